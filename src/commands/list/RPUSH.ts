/* RPUSH key element [element ...]: push at the tail, creating the list; replies the new length. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { pushGeneric } from './push.js';

export const RPUSH = {
  name: 'rpush', group: 'list', summary: 'Append one or multiple elements to a list', since: '1.0.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'insert'])],
  history: [['2.4.0', 'Accepts multiple `element` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'element', type: 'string', multiple: true }],
  handler(c, argv) { pushGeneric(c, argv, false, false); },
} as const satisfies CommandDef;
