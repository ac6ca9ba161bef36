/* ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: zrangeGeneric storing into dst. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { DIR_AUTO, RANGE_AUTO, zrangeGeneric } from './range-generic.js';

export const ZRANGESTORE = {
  name: 'zrangestore', group: 'sorted-set', summary: 'Store a range of members from sorted set into another key', since: '6.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  arity: -5, flags: ['write', 'denyoom'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['OW', 'update']), keyRange(2, ['RO', 'access'])],
  arguments: [
    { name: 'dst', type: 'key', key_spec_index: 0 },
    { name: 'src', type: 'key', key_spec_index: 1 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' },
    { name: 'sortby', type: 'oneof', optional: true, arguments: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }] },
    { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
    { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] },
  ],
  handler(c, argv) {
    zrangeGeneric(c, argv, 2, true, RANGE_AUTO, DIR_AUTO);
  },
} as const satisfies CommandDef;
