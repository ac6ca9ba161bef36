/* ZRANK key member: the 0-based ascending rank, or null. O(log n) on big sets. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { readZset } from './common.js';

export const ZRANK = {
  name: 'zrank', group: 'sorted-set', summary: 'Determine the index of a member in a sorted set', since: '2.0.0',
  complexity: 'O(log(N))',
  arity: 3, flags: ['readonly', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  warmMembers: [2, 1],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'member', type: 'string' },
  ],
  handler(c, argv) {
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    if (z === null) { c.null(); return; }
    const r = z.rank(argv[2]!);
    if (r < 0) c.null(); else c.int(r);
  },
} as const satisfies CommandDef;
