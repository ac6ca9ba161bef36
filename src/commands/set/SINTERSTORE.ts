/* SINTERSTORE destination key [key ...]: stores the intersection (an empty one deletes destination). */
import type { CommandDef } from '../registry.js';
import { sinterGeneric } from './common.js';

export const SINTERSTORE = {
  name: 'sinterstore', group: 'set', summary: 'Intersect multiple sets and store the resulting set in a key', since: '1.0.0',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  arity: -3, flags: ['write', 'denyoom'], acl: ['set'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }, { flags: ['RO', 'access'], begin: { index: 2 }, find: { range: [-1, 1, 0] } }],
  arguments: [{ name: 'destination', type: 'key', key_spec_index: 0 }, { name: 'key', type: 'key', multiple: true, key_spec_index: 1 }],
  handler(c, argv) { sinterGeneric(c, argv.slice(2), argv[1]!, false, 0); },
} as const satisfies CommandDef;
