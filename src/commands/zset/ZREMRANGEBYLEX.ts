/* ZREMRANGEBYLEX key min max: zremrangeGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { RANGE_LEX } from './range-generic.js';
import { zremrangeGeneric } from './remrange-generic.js';

export const ZREMRANGEBYLEX = {
  name: 'zremrangebylex', group: 'sorted-set', summary: 'Remove all members in a sorted set between the given lexicographical range', since: '2.8.9',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  arity: 4, flags: ['write'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'delete'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' },
  ],
  handler(c, argv) {
    zremrangeGeneric(c, argv, RANGE_LEX);
  },
} as const satisfies CommandDef;
