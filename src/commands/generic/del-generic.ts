/*
 * DEL / UNLINK (redis/src/db.c delGenericCommand): per key, lazy expiry first
 * (an expired key fires "expired" and is not counted), then delete, signal,
 * event "del", one dirty each.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { freedLazily } from '../../keyspace/lazyfree.js';

/** lazy: UNLINK, or DEL with lazyfree-lazy-user-del (dbAsyncDelete: counted in lazyfreed_objects) */
export function delGeneric(c: Client, argv: string[], lazy: boolean): void {
  const db = c.db;
  const rec = c.server.recorder;
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    if (db.expires.size > 0) db.expireIfNeeded(key);
    const v = lazy ? db.hint(key) : undefined;
    if (db.delete(key)) {
      if (v !== undefined) freedLazily(c.server.stats, v);
      rec.keyWritten(db, key, NOTIFY_GENERIC, 'del');
      deleted++;
    }
  }
  c.int(deleted);
}
