/*
 * COPY source destination [DB destination-db] [REPLACE] (redis/src/db.c
 * copyCommand). The copy is a new, independent object (fresh access clock)
 * and keeps the source's TTL. Collection types copy themselves through
 * TypedValue.clone(). Events: "new" then "copy_to" in the destination db.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_COPY_CLUSTER, ERR_DB_INDEX, ERR_SAME_OBJECT, ERR_SYNTAX, ERR_UNKNOWN_TYPE_OBJECT } from '../../protocol/errors.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { cloneValue, clusterEnabled, dbAt, freshClock, intArg, notifyNew } from './common.js';

export const COPY = {
  name: 'copy', group: 'generic', summary: 'Copy a key', since: '6.2.0',
  complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  arity: -3, flags: ['write', 'denyoom'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RO', 'access']), keyRange(2, ['OW', 'update'])],
  arguments: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, { name: 'destination-db', type: 'integer', token: 'DB', optional: true }, { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true }],
  handler(c, argv) {
    const server = c.server;
    const src = c.db;
    let dst = c.db;
    let replace = false;
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j]!.toLowerCase();
      if (opt === 'replace') {
        replace = true;
      } else if (opt === 'db' && argv.length - j - 1 >= 1) {
        const id = intArg(c, argv[j + 1]!);
        if (id === null) return;
        const db = dbAt(server, id);
        if (db === undefined) { c.error(ERR_DB_INDEX); return; }
        dst = db;
        j++;
      } else {
        c.error(ERR_SYNTAX);
        return;
      }
    }
    if (clusterEnabled(server) && (src.id !== 0 || dst.id !== 0)) { c.error(ERR_COPY_CLUSTER); return; }
    const key = argv[1]!;
    const newkey = argv[2]!;
    if (src === dst && key === newkey) { c.error(ERR_SAME_OBJECT); return; }
    const value = src.get(key);
    if (value === undefined) { server.keyMiss(src, key); c.int(0); return; }
    server.stats.keyspaceHits++;
    const expire = src.getExpire(key);
    let del = false;
    if (dst.get(newkey) !== undefined) {
      if (!replace) { c.int(0); return; }
      del = true;
    }
    const copy = cloneValue(value);
    if (copy === null) { c.error(ERR_UNKNOWN_TYPE_OBJECT); return; }
    if (del) dst.delete(newkey);
    dst.insert(newkey, copy, freshClock(server));
    notifyNew(server, dst, newkey);
    if (expire !== -1) dst.setExpire(newkey, expire);
    server.recorder.keyWritten(dst, newkey, NOTIFY_GENERIC, 'copy_to');
    c.int(1);
  },
} as const satisfies CommandDef;
