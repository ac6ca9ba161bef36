/* HMGET key field [field ...]: values or nulls; a missing key gives all nulls. */
import type { CommandDef } from '../registry.js';
import { readHash } from './common.js';

export const HMGET = {
  name: 'hmget', group: 'hash', summary: 'Get the values of all the given hash fields', since: '2.0.0',
  complexity: 'O(N) where N is the number of fields being requested.',
  arity: -3, flags: ['readonly', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 1],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string', multiple: true }],
  handler(c, argv) {
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    c.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      if (h === null) c.null(); else c.bulkOrNull(h.get(argv[i]!));
    }
  },
} as const satisfies CommandDef;
