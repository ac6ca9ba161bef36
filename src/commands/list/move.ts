/*
 * lmoveGenericCommand (LMOVE, RPOPLPUSH, and BLMOVE/BRPOPLPUSH when the
 * source has elements): pop from one end of the source, push on one end of
 * the destination (created if missing), reply the element. Both keys are
 * type-checked before anything changes; source and destination may be the
 * same list (a rotation). Events: new (dst created), lpush/rpush on dst,
 * lpop/rpop on src, del when src is emptied; one dirty change.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../../keyspace/notify.js';
import type { List } from '../../types/list.js';
import { createList, writeList } from './common.js';

/** Move one element from the non-empty list src; false after replying WRONGTYPE for dst. */
export function moveElement(c: Client, src: List, srcKey: string, dstKey: string, fromHead: boolean, toHead: boolean): boolean {
  let dst = writeList(c, dstKey);
  if (dst === false) return false;
  // a corrupt destination (types/corrupt.ts: reading it throws CorruptValueError) fails the command here, before
  // the source gives up its element
  if (dst !== null) void dst.length;
  const value = fromHead ? src.popHead()! : src.popTail()!;
  if (dst === null) dst = createList(c, dstKey);
  if (toHead) dst.pushHead(value); else dst.pushTail(value);
  const db = c.db;
  const rec = c.server.recorder;
  rec.keyWritten(db, dstKey, NOTIFY_LIST, toHead ? 'lpush' : 'rpush');
  c.bulk(value);
  rec.keyWritten(db, srcKey, NOTIFY_LIST, fromHead ? 'lpop' : 'rpop', 0);
  if (src.length === 0) {
    db.delete(srcKey);
    rec.notify(NOTIFY_GENERIC, 'del', srcKey, db.id);
  }
  return true;
}

/** LMOVE / RPOPLPUSH: null when the source is missing. */
export function lmoveGeneric(c: Client, srcKey: string, dstKey: string, fromHead: boolean, toHead: boolean): void {
  const src = writeList(c, srcKey);
  if (src === false) return;
  if (src === null) { c.null(); return; }
  moveElement(c, src, srcKey, dstKey, fromHead, toHead);
}
