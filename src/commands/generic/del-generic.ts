/*
 * DEL / UNLINK (redis/src/db.c delGenericCommand): per key, lazy expiry first
 * (an expired key fires "expired" and is not counted), then delete, signal,
 * event "del", one dirty each.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';

export function delGeneric(c: Client, argv: string[]): void {
  const db = c.db;
  const rec = c.server.recorder;
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    if (db.expires.size > 0) db.expireIfNeeded(key);
    if (db.delete(key)) {
      rec.keyWritten(db, key, NOTIFY_GENERIC, 'del');
      deleted++;
    }
  }
  c.int(deleted);
}
