/* ZMSCORE key member [member ...]: a score or null per member (a missing key is an empty set). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { readZset } from './common.js';

export const ZMSCORE = {
  name: 'zmscore', group: 'sorted-set', summary: 'Get the score associated with the given members in a sorted set', since: '6.2.0',
  complexity: 'O(N) where N is the number of members being requested.',
  arity: -3, flags: ['readonly', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  warmMembers: [2, 1],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'member', type: 'string', multiple: true },
  ],
  handler(c, argv) {
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    c.array(argv.length - 2);
    for (let j = 2; j < argv.length; j++) {
      const s = z === null ? undefined : z.score(argv[j]!);
      if (s === undefined) c.null(); else c.double(s);
    }
  },
} as const satisfies CommandDef;
