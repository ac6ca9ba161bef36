/* ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]: zaddGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { zaddGeneric } from './zadd-generic.js';

export const ZADD = {
  name: 'zadd', group: 'sorted-set', summary: 'Add one or more members to a sorted set, or update its score if it already exists', since: '1.2.0',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'update'])],
  warmMembers: [3, 2],
  history: [['2.4.0', 'Accepts multiple elements.'], ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'], ['6.2.0', 'Added the `GT` and `LT` options.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'condition', type: 'oneof', optional: true, since: '3.0.2', arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
    { name: 'comparison', type: 'oneof', optional: true, since: '6.2.0', arguments: [{ name: 'gt', type: 'pure-token', token: 'GT' }, { name: 'lt', type: 'pure-token', token: 'LT' }] },
    { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '3.0.2' },
    { name: 'increment', type: 'pure-token', token: 'INCR', optional: true, since: '3.0.2' },
    { name: 'score_member', type: 'block', multiple: true, arguments: [{ name: 'score', type: 'double' }, { name: 'member', type: 'string' }] },
  ],
  handler(c, argv) {
    zaddGeneric(c, argv, false);
  },
} as const satisfies CommandDef;
