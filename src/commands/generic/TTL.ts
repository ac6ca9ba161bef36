/* TTL key: -2 when missing, -1 without TTL, else the remaining time in seconds. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ttlGeneric } from './expire-generic.js';

export const TTL = {
  name: 'ttl', group: 'generic', summary: 'Get the time to live for a key in seconds', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  history: [['2.8.0', 'Added the -2 reply.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) { ttlGeneric(c, argv[1]!, false, false); },
} as const satisfies CommandDef;
