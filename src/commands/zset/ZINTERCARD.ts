/* ZINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection (stopping at LIMIT). */
import type { CommandDef } from '../registry.js';
import { keyNum } from '../registry.js';
import { OP_INTER, zsetOpGeneric } from './setop-generic.js';

export const ZINTERCARD = {
  name: 'zintercard', group: 'sorted-set', summary: 'Intersect multiple sorted sets and return the cardinality of the result', since: '7.0.0',
  complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  arity: -3, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyNum(1, ['RO', 'access'])],
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
    { name: 'limit', type: 'integer', token: 'LIMIT', optional: true },
  ],
  handler(c, argv) {
    zsetOpGeneric(c, argv, null, 1, OP_INTER, true);
  },
} as const satisfies CommandDef;
