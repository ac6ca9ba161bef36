/* RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { lmoveGeneric } from './move.js';

export const RPOPLPUSH = {
  name: 'rpoplpush', group: 'list', summary: 'Remove the last element in a list, prepend it to another list and return it', since: '1.2.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'denyoom'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete']), keyRange(2, ['RW', 'insert'])],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
  arguments: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }],
  handler(c, argv) { lmoveGeneric(c, argv[1]!, argv[2]!, false, true); },
} as const satisfies CommandDef;
