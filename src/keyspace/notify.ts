/*
 * Keyspace notification classes (notify-keyspace-events), as in
 * redis/src/notify.c: parse the class string into a bitmask and back.
 * Events are published on __keyspace@<db>__:<key> and __keyevent@<db>__:<event>
 * through the publish hook the pub/sub layer installs.
 */

export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_LOADED = 1 << 12; // module only
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
  | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE; // A

const LETTERS: [string, number][] = [
  ['g', NOTIFY_GENERIC], ['$', NOTIFY_STRING], ['l', NOTIFY_LIST], ['s', NOTIFY_SET], ['h', NOTIFY_HASH],
  ['z', NOTIFY_ZSET], ['x', NOTIFY_EXPIRED], ['e', NOTIFY_EVICTED], ['K', NOTIFY_KEYSPACE], ['E', NOTIFY_KEYEVENT],
  ['t', NOTIFY_STREAM], ['m', NOTIFY_KEY_MISS], ['d', NOTIFY_MODULE], ['n', NOTIFY_NEW],
];

/** Parse a class string; null if it has an unknown character. */
export function parseNotifyFlags(s: string): number | null {
  let flags = 0;
  for (const ch of s) {
    if (ch === 'A') { flags |= NOTIFY_ALL; continue; }
    const hit = LETTERS.find(([l]) => l === ch);
    if (!hit) return null;
    flags |= hit[1];
  }
  return flags;
}

/** The canonical class string for a bitmask (CONFIG GET notify-keyspace-events). */
export function formatNotifyFlags(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s += 'A';
  else {
    for (const [l, bit] of LETTERS.slice(0, 8)) if (flags & bit) s += l;
    if (flags & NOTIFY_STREAM) s += 't';
    if (flags & NOTIFY_MODULE) s += 'd';
    if (flags & NOTIFY_NEW) s += 'n';
  }
  if (flags & NOTIFY_KEYSPACE) s += 'K';
  if (flags & NOTIFY_KEYEVENT) s += 'E';
  if (flags & NOTIFY_KEY_MISS) s += 'm';
  return s;
}
