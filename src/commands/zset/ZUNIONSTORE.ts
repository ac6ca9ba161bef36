/* ZUNIONSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]: zsetOpGeneric storing into dst. */
import type { CommandDef } from '../registry.js';
import { keyNum, keyRange } from '../registry.js';
import { OP_UNION, zsetOpGeneric } from './setop-generic.js';

export const ZUNIONSTORE = {
  name: 'zunionstore', group: 'sorted-set', summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
  complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  arity: -4, flags: ['write', 'denyoom'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['OW', 'update']), keyNum(2, ['RO', 'access'])],
  arguments: [
    { name: 'destination', type: 'key', key_spec_index: 0 },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 1 },
    { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
    { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [{ name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] },
  ],
  handler(c, argv) {
    zsetOpGeneric(c, argv, argv[1]!, 2, OP_UNION, false);
  },
} as const satisfies CommandDef;
