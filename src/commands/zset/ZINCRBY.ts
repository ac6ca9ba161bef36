/* ZINCRBY key increment member: zaddGeneric with INCR (the reply is the new score). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { zaddGeneric } from './zadd-generic.js';

export const ZINCRBY = {
  name: 'zincrby', group: 'sorted-set', summary: 'Increment the score of a member in a sorted set', since: '1.2.0',
  complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  warmMembers: [3, 1],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'increment', type: 'integer' },
    { name: 'member', type: 'string' },
  ],
  handler(c, argv) {
    zaddGeneric(c, argv, true);
  },
} as const satisfies CommandDef;
