/* ZREMRANGEBYRANK key min max: zremrangeGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { RANGE_RANK } from './range-generic.js';
import { zremrangeGeneric } from './remrange-generic.js';

export const ZREMRANGEBYRANK = {
  name: 'zremrangebyrank', group: 'sorted-set', summary: 'Remove all members in a sorted set within the given indexes', since: '2.0.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  arity: 4, flags: ['write'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'delete'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'start', type: 'integer' },
    { name: 'stop', type: 'integer' },
  ],
  handler(c, argv) {
    zremrangeGeneric(c, argv, RANGE_RANK);
  },
} as const satisfies CommandDef;
