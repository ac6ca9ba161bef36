/* SISMEMBER key member: 1 or 0. */
import type { CommandDef } from '../registry.js';
import { readSet } from './common.js';

export const SISMEMBER = {
  name: 'sismember', group: 'set', summary: 'Determine if a given value is a member of a set', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string' }],
  handler(c, argv) {
    const s = readSet(c, argv[1]!);
    if (s === false) return;
    c.int(s !== null && s.has(argv[2]!) ? 1 : 0);
  },
} as const satisfies CommandDef;
