/* ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]: zrangeGeneric by score, reversed. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { DIR_REVERSE, RANGE_SCORE, zrangeGeneric } from './range-generic.js';

export const ZREVRANGEBYSCORE = {
  name: 'zrevrangebyscore', group: 'sorted-set', summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', since: '2.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  arity: -4, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  history: [['2.1.6', '`min` and `max` can be exclusive.']],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'max', type: 'double' },
    { name: 'min', type: 'double' },
    { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] },
  ],
  handler(c, argv) {
    zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_REVERSE);
  },
} as const satisfies CommandDef;
