/* HEXISTS key field: 1 or 0. */
import type { CommandDef } from '../registry.js';
import { readHash } from './common.js';

export const HEXISTS = {
  name: 'hexists', group: 'hash', summary: 'Determine if a hash field exists', since: '2.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string' }],
  handler(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    c.int(h !== null && h.has(argv[2]!) ? 1 : 0);
  },
} as const satisfies CommandDef;
