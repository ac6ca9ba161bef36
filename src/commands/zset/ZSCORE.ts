/* ZSCORE key member: the score as a double, or null. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { readZset } from './common.js';

export const ZSCORE = {
  name: 'zscore', group: 'sorted-set', summary: 'Get the score associated with the given member in a sorted set', since: '1.2.0',
  complexity: 'O(1)',
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
    const s = z === null ? undefined : z.score(argv[2]!);
    if (s === undefined) c.null(); else c.double(s);
  },
} as const satisfies CommandDef;
