/* SMEMBERS key: all members as a set reply (Redis runs it as SINTER of one key; an intset lists ascending). */
import type { CommandDef } from '../registry.js';
import { sinterGeneric } from './common.js';

export const SMEMBERS = {
  name: 'smembers', group: 'set', summary: 'Get all the members in a set', since: '1.0.0',
  complexity: 'O(N) where N is the set cardinality.',
  arity: 2, flags: ['readonly'], acl: ['set'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output_order'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) { sinterGeneric(c, [argv[1]!], null, false, 0); },
} as const satisfies CommandDef;
