/* HGET key field: the value or null. */
import type { CommandDef } from '../registry.js';
import { readHash } from './common.js';

export const HGET = {
  name: 'hget', group: 'hash', summary: 'Get the value of a hash field', since: '2.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string' }],
  handler(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    if (h === null) { c.null(); return; }
    c.bulkOrNull(h.get(argv[2]!));
  },
} as const satisfies CommandDef;
