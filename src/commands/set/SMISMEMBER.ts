/* SMISMEMBER key member [member ...]: 1 or 0 per member; a missing key is an empty set. */
import type { CommandDef } from '../registry.js';
import { readSet } from './common.js';

export const SMISMEMBER = {
  name: 'smismember', group: 'set', summary: 'Returns the membership associated with the given elements for a set', since: '6.2.0',
  complexity: 'O(N) where N is the number of elements being checked for membership',
  arity: -3, flags: ['readonly', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string', multiple: true }],
  handler(c, argv) {
    const s = readSet(c, argv[1]!);
    if (s === false) return;
    c.array(argv.length - 2);
    for (let j = 2; j < argv.length; j++) c.int(s !== null && s.has(argv[j]!) ? 1 : 0);
  },
} as const satisfies CommandDef;
