/* SCARD key: the number of members. */
import type { CommandDef } from '../registry.js';
import { readSet } from './common.js';

export const SCARD = {
  name: 'scard', group: 'set', summary: 'Get the number of members in a set', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const s = readSet(c, argv[1]!);
    if (s === false) return;
    c.int(s === null ? 0 : s.size);
  },
} as const satisfies CommandDef;
