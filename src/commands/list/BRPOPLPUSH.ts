/* BRPOPLPUSH source destination timeout: RPOPLPUSH, or block until source has elements. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { blmoveGeneric } from './bmove.js';

export const BRPOPLPUSH = {
  name: 'brpoplpush', group: 'list', summary: 'Pop an element from a list, push it to another list and return it; or block until one is available', since: '2.2.0',
  complexity: 'O(1)',
  arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete']), keyRange(2, ['RW', 'insert'])],
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
  arguments: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, { name: 'timeout', type: 'double' }],
  handler(c, argv) { blmoveGeneric(c, argv, false, true, argv[3]!, true); },
} as const satisfies CommandDef;
