/* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: LMPOP, or block until one of the lists has elements. */
import type { CommandDef } from '../registry.js';
import { lmpopGeneric } from './mpop.js';

export const BLMPOP = {
  name: 'blmpop', group: 'list', summary: 'Pop elements from a list, or block until one is available', since: '7.0.0',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  arity: -5, flags: ['write', 'blocking'], acl: ['list'],
  keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 2 }, find: { keynum: [0, 1, 1] } }],
  arguments: [{ name: 'timeout', type: 'double' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'where', type: 'oneof', arguments: [{ name: 'left', type: 'pure-token', token: 'LEFT' }, { name: 'right', type: 'pure-token', token: 'RIGHT' }] }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  handler(c, argv) { lmpopGeneric(c, argv, 2, true); },
} as const satisfies CommandDef;
