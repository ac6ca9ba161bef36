/* ZREM key member [member ...]: the number removed; "zrem" then "del" when emptied. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import { removeEmpty, writeZset } from './common.js';

export const ZREM = {
  name: 'zrem', group: 'sorted-set', summary: 'Remove one or more members from a sorted set', since: '1.2.0',
  complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
  arity: -3, flags: ['write', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'delete'])],
  warmMembers: [2, 1],
  history: [['2.4.0', 'Accepts multiple elements.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'member', type: 'string', multiple: true },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const z = writeZset(c, key);
    if (z === false) return;
    if (z === null) { c.int(0); return; }
    let deleted = 0;
    for (let j = 2; j < argv.length; j++) {
      if (z.remove(argv[j]!)) deleted++;
      if (z.size === 0) break;
    }
    if (deleted) {
      c.server.recorder.keyWritten(c.db, key, NOTIFY_ZSET, 'zrem', deleted);
      if (z.size === 0) removeEmpty(c, key);
    }
    c.int(deleted);
  },
} as const satisfies CommandDef;
