/* PEXPIRETIME key: -2 when missing, -1 without TTL, else the absolute expiry in ms. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ttlGeneric } from './expire-generic.js';

export const PEXPIRETIME = {
  name: 'pexpiretime', group: 'generic', summary: 'Get the expiration Unix timestamp for a key in milliseconds', since: '7.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) { ttlGeneric(c, argv[1]!, true, true); },
} as const satisfies CommandDef;
