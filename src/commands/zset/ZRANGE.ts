/* ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]: zrangeGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { DIR_AUTO, RANGE_AUTO, zrangeGeneric } from './range-generic.js';

export const ZRANGE = {
  name: 'zrange', group: 'sorted-set', summary: 'Return a range of members in a sorted set', since: '1.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  arity: -4, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'start', type: 'string' },
    { name: 'stop', type: 'string' },
    { name: 'sortby', type: 'oneof', optional: true, since: '6.2.0', arguments: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }] },
    { name: 'rev', type: 'pure-token', token: 'REV', optional: true, since: '6.2.0' },
    { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, since: '6.2.0', arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
  ],
  handler(c, argv) {
    zrangeGeneric(c, argv, 1, false, RANGE_AUTO, DIR_AUTO);
  },
} as const satisfies CommandDef;
