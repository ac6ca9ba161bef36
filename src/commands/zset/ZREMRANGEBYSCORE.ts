/* ZREMRANGEBYSCORE key min max: zremrangeGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { RANGE_SCORE } from './range-generic.js';
import { zremrangeGeneric } from './remrange-generic.js';

export const ZREMRANGEBYSCORE = {
  name: 'zremrangebyscore', group: 'sorted-set', summary: 'Remove all members in a sorted set within the given scores', since: '1.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  arity: 4, flags: ['write'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'delete'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'min', type: 'double' },
    { name: 'max', type: 'double' },
  ],
  handler(c, argv) {
    zremrangeGeneric(c, argv, RANGE_SCORE);
  },
} as const satisfies CommandDef;
