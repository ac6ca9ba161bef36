/* SINTER key [key ...]: the intersection, iterating the smallest set (sinterGenericCommand). */
import type { CommandDef } from '../registry.js';
import { sinterGeneric } from './common.js';

export const SINTER = {
  name: 'sinter', group: 'set', summary: 'Intersect multiple sets', since: '1.0.0',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  arity: -2, flags: ['readonly'], acl: ['set'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [-1, 1, 0] } }],
  tips: ['nondeterministic_output_order'],
  arguments: [{ name: 'key', type: 'key', multiple: true, key_spec_index: 0 }],
  handler(c, argv) { sinterGeneric(c, argv.slice(1), null, false, 0); },
} as const satisfies CommandDef;
