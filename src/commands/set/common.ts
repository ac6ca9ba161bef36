/*
 * Helpers shared by the set commands (t_set.c): typed lookups with Redis's
 * hit/miss accounting, set-max-intset-entries, storing a computed set (an
 * empty result deletes the destination), and sinterGenericCommand /
 * sunionDiffGenericCommand, which SMEMBERS, SINTER*, SUNION*, SDIFF* and
 * SPOP (whole-set case) share.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../../keyspace/notify.js';
import { setKey } from '../generic/common.js';
import { ERR_WRONGTYPE } from '../../protocol/errors.js';
import { SetValue } from '../../types/set.js';

/** lookupKeyRead + checkType: the set, null when missing (a miss is counted), false after replying WRONGTYPE. */
export function readSet(c: Client, key: string): SetValue | null | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (typeof v === 'string' || v.type !== 'set') { c.error(ERR_WRONGTYPE); return false; }
  return v as SetValue;
}

/** lookupKeyWrite + checkType: the set, null when missing, false after replying WRONGTYPE. */
export function writeSet(c: Client, key: string): SetValue | null | false {
  const v = c.db.get(key);
  if (v === undefined) return null;
  if (typeof v === 'string' || v.type !== 'set') { c.error(ERR_WRONGTYPE); return false; }
  return v as SetValue;
}

/** set-max-intset-entries */
export const maxIntset = (c: Client): number => c.server.config.num('set-max-intset-entries');

export { addKey } from '../generic/common.js';

/**
 * The end of the *STORE variants: a non-empty result replaces dst (setKey:
 * TTL dropped, "new" if created, then the command's event); an empty one
 * deletes dst ("del", counted only if it existed). Replies the cardinality.
 */
export function storeSet(c: Client, dst: string, s: SetValue, event: string): void {
  const db = c.db;
  const rec = c.server.recorder;
  if (s.size > 0) {
    setKey(c, dst, s);
    c.int(s.size);
    rec.keyWritten(db, dst, NOTIFY_SET, event);
  } else {
    c.int(0);
    if (db.delete(dst)) rec.keyWritten(db, dst, NOTIFY_GENERIC, 'del');
  }
}

/** Look the source keys up (lookupKeyRead each); null after WRONGTYPE. Missing keys are null entries. */
function lookupSources(c: Client, keys: readonly string[]): (SetValue | null)[] | null {
  const sets: (SetValue | null)[] = new Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const s = readSet(c, keys[j]!);
    if (s === false) return null;
    sets[j] = s;
  }
  return sets;
}

/**
 * sinterGenericCommand: the intersection of keys, replied as a set, stored in
 * dst, or only counted (SINTERCARD, stopping at limit when limit > 0).
 */
export function sinterGeneric(c: Client, keys: readonly string[], dst: string | null, cardOnly: boolean, limit: number): void {
  const found = lookupSources(c, keys);
  if (found === null) return;
  if (found.includes(null)) {
    if (dst !== null) {
      if (c.db.delete(dst)) c.server.recorder.keyWritten(c.db, dst, NOTIFY_GENERIC, 'del');
      c.int(0);
    } else if (cardOnly) c.int(0);
    else c.set(0);
    return;
  }
  const sets = (found as SetValue[]).sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const n = sets.length;
  const dstSet = dst !== null ? new SetValue() : null;
  const max = maxIntset(c);
  const out: string[] = [];
  let card = 0;
  first.forEach((m) => {
    if (limit > 0 && card >= limit) return;
    for (let j = 1; j < n; j++) {
      const s = sets[j]!;
      if (s !== first && !s.has(m)) return;
    }
    card++;
    if (dstSet !== null) dstSet.add(m, max);
    else if (!cardOnly) out.push(m);
  });
  if (cardOnly) c.int(card);
  else if (dstSet !== null) storeSet(c, dst!, dstSet, 'sinterstore');
  else {
    c.set(out.length);
    for (let i = 0; i < out.length; i++) c.bulk(out[i]!);
  }
}

/**
 * sunionDiffGenericCommand: union or difference of keys, built into a new
 * set (intset while it can be, so small integer results come out sorted as
 * in Redis), replied as a set or stored in dst.
 */
export function sunionDiffGeneric(c: Client, keys: readonly string[], dst: string | null, union: boolean): void {
  const sets = lookupSources(c, keys);
  if (sets === null) return;
  const result = new SetValue();
  const max = maxIntset(c);
  if (union) {
    for (const s of sets) if (s !== null) s.forEach((m) => { result.add(m, max); });
  } else {
    const first = sets[0];
    const same = first !== null && sets.some((s, j) => j > 0 && s === first);
    if (first !== null && !same) {
      const others = sets.slice(1).filter((s): s is SetValue => s !== null);
      first.forEach((m) => {
        for (let j = 0; j < others.length; j++) if (others[j]!.has(m)) return;
        result.add(m, max);
      });
    }
  }
  if (dst !== null) { storeSet(c, dst, result, union ? 'sunionstore' : 'sdiffstore'); return; }
  c.set(result.size);
  result.forEach((m) => { c.bulk(m); });
}
