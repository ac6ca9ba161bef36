/* HSTRLEN key field: the value's length, 0 if missing. */
import type { CommandDef } from '../registry.js';
import { readHash } from './common.js';

export const HSTRLEN = {
  name: 'hstrlen', group: 'hash', summary: 'Get the length of the value of a hash field', since: '3.2.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string' }],
  handler(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    c.int(h === null ? 0 : h.strlen(argv[2]!));
  },
} as const satisfies CommandDef;
