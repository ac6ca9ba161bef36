/* RPUSHX key element [element ...]: RPUSH only when the list exists (else 0). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { pushGeneric } from './push.js';

export const RPUSHX = {
  name: 'rpushx', group: 'list', summary: 'Append an element to a list, only if the list exists', since: '2.2.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'insert'])],
  history: [['4.0.0', 'Accepts multiple `element` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'element', type: 'string', multiple: true }],
  handler(c, argv) { pushGeneric(c, argv, false, true); },
} as const satisfies CommandDef;
