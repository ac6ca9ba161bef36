/* BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: ZMPOP that blocks while every key is empty. */
import type { CommandDef } from '../registry.js';
import { keyNum } from '../registry.js';
import { zmpopGeneric } from './pop-generic.js';

export const BZMPOP = {
  name: 'bzmpop', group: 'sorted-set', summary: 'Remove and return members with scores in a sorted set or block until one is available', since: '7.0.0',
  complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  arity: -5, flags: ['write', 'blocking'], acl: ['sortedset'],
  keySpecs: [keyNum(2, ['RW', 'access', 'delete'])],
  arguments: [
    { name: 'timeout', type: 'double' },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
    { name: 'where', type: 'oneof', arguments: [{ name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  handler(c, argv) {
    zmpopGeneric(c, argv, 2, true);
  },
} as const satisfies CommandDef;
