/* HDEL key field [field ...]: removes fields; an emptied hash is deleted ("hdel" then "del"). */
import type { CommandDef } from '../registry.js';
import { NOTIFY_HASH } from '../../keyspace/notify.js';
import { notifyDel, writeHash } from './common.js';

export const HDEL = {
  name: 'hdel', group: 'hash', summary: 'Delete one or more hash fields', since: '2.0.0',
  complexity: 'O(N) where N is the number of fields to be removed.',
  arity: -3, flags: ['write', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  history: [['2.4.0', 'Accepts multiple `field` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string', multiple: true }],
  handler(c, argv) {
    const key = argv[1]!;
    const h = writeHash(c, key);
    if (h === false) return;
    if (h === null) { c.int(0); return; }
    let deleted = 0;
    let removed = false;
    for (let i = 2; i < argv.length; i++) {
      if (!h.delete(argv[i]!)) continue;
      deleted++;
      if (h.size === 0) { c.db.delete(key); removed = true; break; }
    }
    if (deleted > 0) {
      c.server.recorder.keyWritten(c.db, key, NOTIFY_HASH, 'hdel', deleted);
      if (removed) notifyDel(c, key);
    }
    c.int(deleted);
  },
} as const satisfies CommandDef;
