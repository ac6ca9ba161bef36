/* DECR key: -1 through the shared 64-bit incrDecr. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { incrDecr } from './integers.js';

export const DECR = {
  name: 'decr', group: 'string', summary: 'Decrement the integer value of a key by one', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
  ],
  handler(c, argv) { incrDecr(c, argv[1]!, -1); },
} as const satisfies CommandDef;
