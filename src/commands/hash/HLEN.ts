/* HLEN key: the number of fields. */
import type { CommandDef } from '../registry.js';
import { readHash } from './common.js';

export const HLEN = {
  name: 'hlen', group: 'hash', summary: 'Get the number of fields in a hash', since: '2.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    c.int(h === null ? 0 : h.size);
  },
} as const satisfies CommandDef;
