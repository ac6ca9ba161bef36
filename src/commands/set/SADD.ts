/* SADD key member [member ...]: adds members (a new key is an intset if the first member is an integer); replies how many were new. */
import type { CommandDef } from '../registry.js';
import { NOTIFY_SET } from '../../keyspace/notify.js';
import { setFor } from '../../types/set.js';
import { addKey, maxIntset, writeSet } from './common.js';

export const SADD = {
  name: 'sadd', group: 'set', summary: 'Add one or more members to a set', since: '1.0.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RW', 'insert'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  history: [['2.4.0', 'Accepts multiple `member` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string', multiple: true }],
  handler(c, argv) {
    const key = argv[1]!;
    let s = writeSet(c, key);
    if (s === false) return;
    if (s === null) { s = setFor(argv[2]!); addKey(c, key, s); }
    const max = maxIntset(c);
    let added = 0;
    for (let j = 2; j < argv.length; j++) if (s.add(argv[j]!, max)) added++;
    if (added > 0) c.server.recorder.keyWritten(c.db, key, NOTIFY_SET, 'sadd', added);
    c.int(added);
  },
} as const satisfies CommandDef;
