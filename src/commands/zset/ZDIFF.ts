/* ZDIFF numkeys key [key ...] [WITHSCORES]: zsetOpGeneric. */
import type { CommandDef } from '../registry.js';
import { keyNum } from '../registry.js';
import { OP_DIFF, zsetOpGeneric } from './setop-generic.js';

export const ZDIFF = {
  name: 'zdiff', group: 'sorted-set', summary: 'Subtract multiple sorted sets', since: '6.2.0',
  complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  arity: -3, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyNum(1, ['RO', 'access'])],
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
  ],
  handler(c, argv) {
    zsetOpGeneric(c, argv, null, 1, OP_DIFF, false);
  },
} as const satisfies CommandDef;
