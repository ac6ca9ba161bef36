/* ZCARD key: the number of elements (0 for a missing key). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { readZset } from './common.js';

export const ZCARD = {
  name: 'zcard', group: 'sorted-set', summary: 'Get the number of members in a sorted set', since: '1.2.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
  ],
  handler(c, argv) {
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    c.int(z === null ? 0 : z.size);
  },
} as const satisfies CommandDef;
