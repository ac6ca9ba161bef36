/* PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT]: see expire-generic.ts. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { expireGeneric } from './expire-generic.js';

export const PEXPIREAT = {
  name: 'pexpireat', group: 'generic', summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', since: '2.6.0',
  complexity: 'O(1)',
  arity: -3, flags: ['write', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RW', 'update'])],
  history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'unix-time-milliseconds', type: 'unix-time' }, { name: 'condition', type: 'oneof', optional: true, since: '7.0.0', arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }, { name: 'gt', type: 'pure-token', token: 'GT' }, { name: 'lt', type: 'pure-token', token: 'LT' }] }],
  handler(c, argv) { expireGeneric(c, argv, false, false); },
} as const satisfies CommandDef;
