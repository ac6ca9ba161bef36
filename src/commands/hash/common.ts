/*
 * Helpers shared by the hash commands (t_hash.c private functions) and, for
 * scanning and bounded replies, by the set commands: typed lookups with
 * Redis's hit/miss accounting (lookupKeyRead vs lookupKeyWrite),
 * hashTypeLookupWriteOrCreate, the emptied-key "del" event, the option parser
 * and collection step of scanGenericCommand, and the guard that stops a
 * reply of unbounded size (negative counts of HRANDFIELD / SRANDMEMBER).
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { addKey } from '../generic/common.js';
import { ERR_WRONGTYPE } from '../../protocol/errors.js';
import { HashValue } from '../../types/hash.js';
import { globMatch } from '../../keyspace/glob.js';

/** lookupKeyRead + checkType: the hash, null when missing (a miss is counted), false after replying WRONGTYPE. */
export function readHash(c: Client, key: string): HashValue | null | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (typeof v === 'string' || v.type !== 'hash') { c.error(ERR_WRONGTYPE); return false; }
  return v as HashValue;
}

/** lookupKeyWrite + checkType: the hash, null when missing, false after replying WRONGTYPE. */
export function writeHash(c: Client, key: string): HashValue | null | false {
  const v = c.db.get(key);
  if (v === undefined) return null;
  if (typeof v === 'string' || v.type !== 'hash') { c.error(ERR_WRONGTYPE); return false; }
  return v as HashValue;
}

/** hashTypeLookupWriteOrCreate: the hash, created (and the "new" event fired) when missing; false after WRONGTYPE. */
export function hashForWrite(c: Client, key: string): HashValue | false {
  const h = writeHash(c, key);
  if (h !== null) return h;
  const n = new HashValue();
  addKey(c, key, n);
  return n;
}

/** hash-max-listpack-entries */
export const maxEntries = (c: Client): number => c.server.config.num('hash-max-listpack-entries');
/** hash-max-listpack-value */
export const maxValue = (c: Client): number => c.server.config.num('hash-max-listpack-value');

/** The "del" event of a key a command emptied (and deleted); no extra dirty. */
export function notifyDel(c: Client, key: string): void {
  c.server.recorder.notify(NOTIFY_GENERIC, 'del', key, c.db.id);
}

/** The reply of a missing key for HSCAN/SSCAN/ZSCAN (shared.emptyscan). */
export function replyEmptyScan(c: Client): void { c.raw('*2\r\n$1\r\n0\r\n*0\r\n'); }


/** scanGenericCommand step 1 for a key's collection: COUNT / MATCH from argv[3]; null after replying the error. */
/**
 * scanGenericCommand steps 3-4: filter the collected items (pairs when
 * `pairs`: the pattern tests the first of each) and reply [cursor, items].
 */
export function replyScan(c: Client, cursor: number, items: string[], pattern: string | null, pairs: boolean): void {
  let out = items;
  if (pattern !== null) {
    out = [];
    const step = pairs ? 2 : 1;
    for (let i = 0; i < items.length; i += step) {
      if (!globMatch(pattern, items[i]!)) continue;
      out.push(items[i]!);
      if (pairs) out.push(items[i + 1]!);
    }
  }
  c.array(2);
  c.bulk(String(cursor));
  c.bulks(out);
}

/** Output above this many bytes in one reply: the client is dropped (Redis's CLIENT_CLOSE_ASAP). */

