/* ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pop from the first non-empty key; propagated as ZPOPMIN/ZPOPMAX key count. */
import type { CommandDef } from '../registry.js';
import { keyNum } from '../registry.js';
import { zmpopGeneric } from './pop-generic.js';

export const ZMPOP = {
  name: 'zmpop', group: 'sorted-set', summary: 'Remove and return members with scores in a sorted set', since: '7.0.0',
  complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  arity: -4, flags: ['write'], acl: ['sortedset'],
  keySpecs: [keyNum(1, ['RW', 'access', 'delete'])],
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
    { name: 'where', type: 'oneof', arguments: [{ name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  handler(c, argv) {
    zmpopGeneric(c, argv, 1, false);
  },
} as const satisfies CommandDef;
