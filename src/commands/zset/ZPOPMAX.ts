/* ZPOPMAX key [count]: genericZpop from the high end. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { zpopMinMax } from './pop-generic.js';

export const ZPOPMAX = {
  name: 'zpopmax', group: 'sorted-set', summary: 'Remove and return members with the highest scores in a sorted set', since: '5.0.0',
  complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  arity: -2, flags: ['write', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'count', type: 'integer', optional: true },
  ],
  handler(c, argv) {
    zpopMinMax(c, argv, true);
  },
} as const satisfies CommandDef;
