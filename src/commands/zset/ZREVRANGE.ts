/* ZREVRANGE key start stop [WITHSCORES]: zrangeGeneric by rank, reversed. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { DIR_REVERSE, RANGE_RANK, zrangeGeneric } from './range-generic.js';

export const ZREVRANGE = {
  name: 'zrevrange', group: 'sorted-set', summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', since: '1.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  arity: -4, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` argument',
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'start', type: 'integer' },
    { name: 'stop', type: 'integer' },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
  ],
  handler(c, argv) {
    zrangeGeneric(c, argv, 1, false, RANGE_RANK, DIR_REVERSE);
  },
} as const satisfies CommandDef;
