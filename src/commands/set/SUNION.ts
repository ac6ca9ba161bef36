/* SUNION key [key ...]: the union (sunionDiffGenericCommand). */
import type { CommandDef } from '../registry.js';
import { sunionDiffGeneric } from './common.js';

export const SUNION = {
  name: 'sunion', group: 'set', summary: 'Add multiple sets', since: '1.0.0',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  arity: -2, flags: ['readonly'], acl: ['set'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [-1, 1, 0] } }],
  tips: ['nondeterministic_output_order'],
  arguments: [{ name: 'key', type: 'key', multiple: true, key_spec_index: 0 }],
  handler(c, argv) { sunionDiffGeneric(c, argv.slice(1), null, true); },
} as const satisfies CommandDef;
