/* RPOP key [count]: pop from the tail; with a count, an array of up to count elements. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { popGeneric } from './pop.js';

export const RPOP = {
  name: 'rpop', group: 'list', summary: 'Remove and get the last elements in a list', since: '1.0.0',
  complexity: 'O(N) where N is the number of elements returned',
  arity: -2, flags: ['write', 'fast'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete'])],
  history: [['6.2.0', 'Added the `count` argument.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer', optional: true, since: '6.2.0' }],
  handler(c, argv) { popGeneric(c, argv, false); },
} as const satisfies CommandDef;
