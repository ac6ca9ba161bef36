/* SREM key member [member ...]: removes members; an emptied set is deleted ("srem" then "del"). */
import type { CommandDef } from '../registry.js';
import { NOTIFY_SET } from '../../keyspace/notify.js';
import { notifyDel } from '../hash/common.js';
import { writeSet } from './common.js';

export const SREM = {
  name: 'srem', group: 'set', summary: 'Remove one or more members from a set', since: '1.0.0',
  complexity: 'O(N) where N is the number of members to be removed.',
  arity: -3, flags: ['write', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  history: [['2.4.0', 'Accepts multiple `member` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string', multiple: true }],
  handler(c, argv) {
    const key = argv[1]!;
    const s = writeSet(c, key);
    if (s === false) return;
    if (s === null) { c.int(0); return; }
    let deleted = 0;
    let removed = false;
    for (let j = 2; j < argv.length; j++) {
      if (!s.delete(argv[j]!)) continue;
      deleted++;
      if (s.size === 0) { c.db.delete(key); removed = true; break; }
    }
    if (deleted > 0) {
      c.server.recorder.keyWritten(c.db, key, NOTIFY_SET, 'srem', deleted);
      if (removed) notifyDel(c, key);
    }
    c.int(deleted);
  },
} as const satisfies CommandDef;
