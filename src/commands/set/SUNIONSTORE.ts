/* SUNIONSTORE destination key [key ...]: stores the union (an empty one deletes destination). */
import type { CommandDef } from '../registry.js';
import { sunionDiffGeneric } from './common.js';

export const SUNIONSTORE = {
  name: 'sunionstore', group: 'set', summary: 'Add multiple sets and store the resulting set in a key', since: '1.0.0',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  arity: -3, flags: ['write', 'denyoom'], acl: ['set'],
  keySpecs: [{ flags: ['OW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }, { flags: ['RO', 'access'], begin: { index: 2 }, find: { range: [-1, 1, 0] } }],
  arguments: [{ name: 'destination', type: 'key', key_spec_index: 0 }, { name: 'key', type: 'key', multiple: true, key_spec_index: 1 }],
  handler(c, argv) { sunionDiffGeneric(c, argv.slice(2), argv[1]!, true); },
} as const satisfies CommandDef;
