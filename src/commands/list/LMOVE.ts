/* LMOVE source destination LEFT|RIGHT LEFT|RIGHT: pop from one end of source, push on one end of destination, reply the element. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { whereArg } from './common.js';
import { lmoveGeneric } from './move.js';

export const LMOVE = {
  name: 'lmove', group: 'list', summary: 'Pop an element from a list, push it to another list and return it', since: '6.2.0',
  complexity: 'O(1)',
  arity: 5, flags: ['write', 'denyoom'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete']), keyRange(2, ['RW', 'insert'])],
  arguments: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, { name: 'wherefrom', type: 'oneof', arguments: [{ name: 'left', type: 'pure-token', token: 'LEFT' }, { name: 'right', type: 'pure-token', token: 'RIGHT' }] }, { name: 'whereto', type: 'oneof', arguments: [{ name: 'left', type: 'pure-token', token: 'LEFT' }, { name: 'right', type: 'pure-token', token: 'RIGHT' }] }],
  handler(c, argv) {
    const from = whereArg(c, argv[3]!);
    if (from === null) return;
    const to = whereArg(c, argv[4]!);
    if (to === null) return;
    lmoveGeneric(c, argv[1]!, argv[2]!, from, to);
  },
} as const satisfies CommandDef;
