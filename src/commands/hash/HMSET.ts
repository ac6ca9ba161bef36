/* HMSET key field value [field value ...]: HSET replying +OK (deprecated). */
import type { CommandDef } from '../registry.js';
import { hsetGeneric } from './HSET.js';

export const HMSET = {
  name: 'hmset', group: 'hash', summary: 'Set multiple hash fields to multiple values', since: '2.0.0',
  complexity: 'O(N) where N is the number of fields being set.',
  arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 2],
  docFlags: ['deprecated'],
  deprecatedSince: '4.0.0',
  replacedBy: '`HSET` with multiple field-value pairs',
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field_value', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] }],
  handler(c, argv) { hsetGeneric(c, argv, true); },
} as const satisfies CommandDef;
