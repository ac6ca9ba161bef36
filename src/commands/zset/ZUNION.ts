/* ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]: zsetOpGeneric. */
import type { CommandDef } from '../registry.js';
import { keyNum } from '../registry.js';
import { OP_UNION, zsetOpGeneric } from './setop-generic.js';

export const ZUNION = {
  name: 'zunion', group: 'sorted-set', summary: 'Add multiple sorted sets', since: '6.2.0',
  complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  arity: -3, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyNum(1, ['RO', 'access'])],
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
    { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
    { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [{ name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
  ],
  handler(c, argv) {
    zsetOpGeneric(c, argv, null, 1, OP_UNION, false);
  },
} as const satisfies CommandDef;
