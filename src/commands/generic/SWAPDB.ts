/*
 * SWAPDB index1 index2 (redis/src/db.c swapdbCommand): the two dbs exchange
 * contents; connections stay on their db number and see the other contents.
 * Watchers of both dbs are signalled (keyModified(db, null)) before and after
 * the exchange, so a WATCH hook that checks key existence sees the key in
 * either the emptied or the replacing contents, as touchAllWatchedKeysInDb.
 * Counts one dirty even when the two indexes are the same.
 */
import type { CommandDef } from '../registry.js';
import { ERR_DB_INDEX, ERR_INVALID_FIRST_DB, ERR_INVALID_SECOND_DB, ERR_SWAPDB_CLUSTER } from '../../protocol/errors.js';
import { clusterEnabled, dbAt, intArg } from './common.js';

export const SWAPDB = {
  name: 'swapdb', group: 'server', summary: 'Swaps two Redis databases', since: '4.0.0',
  complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  arity: 3, flags: ['write', 'fast'], acl: ['keyspace', 'dangerous'],
  arguments: [{ name: 'index1', type: 'integer' }, { name: 'index2', type: 'integer' }],
  handler(c, argv) {
    const server = c.server;
    if (clusterEnabled(server)) { c.error(ERR_SWAPDB_CLUSTER); return; }
    const id1 = intArg(c, argv[1]!, ERR_INVALID_FIRST_DB);
    if (id1 === null) return;
    const id2 = intArg(c, argv[2]!, ERR_INVALID_SECOND_DB);
    if (id2 === null) return;
    const db1 = dbAt(server, id1);
    const db2 = dbAt(server, id2);
    if (db1 === undefined || db2 === undefined) { c.error(ERR_DB_INDEX); return; }
    if (db1 !== db2) {
      const rec = server.recorder;
      rec.keyModified(db1, null);
      rec.keyModified(db2, null);
      db1.swapWith(db2);
      rec.keyModified(db1, null);
      rec.keyModified(db2, null);
    }
    server.recorder.dirty++;
    c.ok();
  },
} as const satisfies CommandDef;
