/* BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: LMOVE, or block until source has elements. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { whereArg } from './common.js';
import { blmoveGeneric } from './bmove.js';

export const BLMOVE = {
  name: 'blmove', group: 'list', summary: 'Pop an element from a list, push it to another list and return it; or block until one is available', since: '6.2.0',
  complexity: 'O(1)',
  arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete']), keyRange(2, ['RW', 'insert'])],
  arguments: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, { name: 'wherefrom', type: 'oneof', arguments: [{ name: 'left', type: 'pure-token', token: 'LEFT' }, { name: 'right', type: 'pure-token', token: 'RIGHT' }] }, { name: 'whereto', type: 'oneof', arguments: [{ name: 'left', type: 'pure-token', token: 'LEFT' }, { name: 'right', type: 'pure-token', token: 'RIGHT' }] }, { name: 'timeout', type: 'double' }],
  handler(c, argv) {
    const from = whereArg(c, argv[3]!);
    if (from === null) return;
    const to = whereArg(c, argv[4]!);
    if (to === null) return;
    blmoveGeneric(c, argv, from, to, argv[5]!, false);
  },
} as const satisfies CommandDef;
