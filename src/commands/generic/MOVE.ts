/*
 * MOVE key db (redis/src/db.c moveCommand): the value object (with its access
 * clock and TTL) moves to the other db unless the key exists there. Events:
 * "new" and move_to in the target db, move_from in the source; one dirty.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_DB_INDEX, ERR_MOVE_CLUSTER, ERR_SAME_OBJECT } from '../../protocol/errors.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { clusterEnabled, dbAt, intArg, notifyNew } from './common.js';

export const MOVE = {
  name: 'move', group: 'generic', summary: 'Move a key to another database', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'db', type: 'integer' }],
  handler(c, argv) {
    const server = c.server;
    if (clusterEnabled(server)) { c.error(ERR_MOVE_CLUSTER); return; }
    const src = c.db;
    const id = intArg(c, argv[2]!);
    if (id === null) return;
    const dst = dbAt(server, id);
    if (dst === undefined) { c.error(ERR_DB_INDEX); return; }
    if (src === dst) { c.error(ERR_SAME_OBJECT); return; }
    const key = argv[1]!;
    const value = src.get(key);
    if (value === undefined) { c.int(0); return; }
    const expire = src.getExpire(key);
    if (dst.get(key) !== undefined) { c.int(0); return; }
    dst.insert(key, value, src.clockOf(key)!);
    notifyNew(server, dst, key);
    if (expire !== -1) dst.setExpire(key, expire);
    src.delete(key);
    const rec = server.recorder;
    rec.keyModified(src, key);
    rec.keyModified(dst, key);
    rec.notify(NOTIFY_GENERIC, 'move_from', key, src.id);
    rec.notify(NOTIFY_GENERIC, 'move_to', key, dst.id);
    rec.dirty++;
    c.int(1);
  },
} as const satisfies CommandDef;
