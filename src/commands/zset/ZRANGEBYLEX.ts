/* ZRANGEBYLEX key min max [LIMIT offset count]: zrangeGeneric by lex. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { DIR_FORWARD, RANGE_LEX, zrangeGeneric } from './range-generic.js';

export const ZRANGEBYLEX = {
  name: 'zrangebylex', group: 'sorted-set', summary: 'Return a range of members in a sorted set, by lexicographical range', since: '2.8.9',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  arity: -4, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `BYLEX` argument',
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' },
    { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] },
  ],
  handler(c, argv) {
    zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_FORWARD);
  },
} as const satisfies CommandDef;
