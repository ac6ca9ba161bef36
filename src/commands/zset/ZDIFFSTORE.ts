/* ZDIFFSTORE dst numkeys key [key ...]: zsetOpGeneric storing into dst. */
import type { CommandDef } from '../registry.js';
import { keyNum, keyRange } from '../registry.js';
import { OP_DIFF, zsetOpGeneric } from './setop-generic.js';

export const ZDIFFSTORE = {
  name: 'zdiffstore', group: 'sorted-set', summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', since: '6.2.0',
  complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  arity: -4, flags: ['write', 'denyoom'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['OW', 'update']), keyNum(2, ['RO', 'access'])],
  arguments: [
    { name: 'destination', type: 'key', key_spec_index: 0 },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 1 },
  ],
  handler(c, argv) {
    zsetOpGeneric(c, argv, argv[1]!, 2, OP_DIFF, false);
  },
} as const satisfies CommandDef;
