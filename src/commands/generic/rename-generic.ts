/*
 * RENAME / RENAMENX (redis/src/db.c renameGenericCommand). The value object
 * itself moves (with its access clock and TTL); a missing source is an error
 * even when source and destination are the same. Events: "new" (dbAdd) for
 * the destination, then rename_from, rename_to; one dirty.
 */
import type { Client } from '../../server/client.js';
import { ERR_NO_SUCH_KEY } from '../../protocol/errors.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { notifyNew } from './common.js';

export function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const src = argv[1]!;
  const dst = argv[2]!;
  const value = db.get(src);
  if (value === undefined) { c.error(ERR_NO_SUCH_KEY); return; }
  if (src === dst) { if (nx) c.int(0); else c.ok(); return; }
  const expire = db.getExpire(src);
  const clock = db.clockOf(src)!;
  if (db.get(dst) !== undefined) {
    if (nx) { c.int(0); return; }
    db.delete(dst);
  }
  db.insert(dst, value, clock);
  notifyNew(c.server, db, dst);
  if (expire !== -1) db.setExpire(dst, expire);
  db.delete(src);
  const rec = c.server.recorder;
  rec.keyWritten(db, src, NOTIFY_GENERIC, 'rename_from');
  rec.keyWritten(db, dst, NOTIFY_GENERIC, 'rename_to', 0);
  if (nx) c.int(1); else c.ok();
}
