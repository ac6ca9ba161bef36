/* HVALS key: all values (genericHgetallCommand). */
import type { CommandDef } from '../registry.js';
import { hgetallGeneric } from './HGETALL.js';

export const HVALS = {
  name: 'hvals', group: 'hash', summary: 'Get all the values in a hash', since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  arity: 2, flags: ['readonly'], acl: ['hash'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output_order'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) { hgetallGeneric(c, argv[1]!, false, true); },
} as const satisfies CommandDef;
