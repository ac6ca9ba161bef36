/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pop up to count elements from the first non-empty list. */
import type { CommandDef } from '../registry.js';
import { lmpopGeneric } from './mpop.js';

export const LMPOP = {
  name: 'lmpop', group: 'list', summary: 'Pop elements from a list', since: '7.0.0',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  arity: -4, flags: ['write'], acl: ['list'],
  keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { keynum: [0, 1, 1] } }],
  arguments: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'where', type: 'oneof', arguments: [{ name: 'left', type: 'pure-token', token: 'LEFT' }, { name: 'right', type: 'pure-token', token: 'RIGHT' }] }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  handler(c, argv) { lmpopGeneric(c, argv, 1, false); },
} as const satisfies CommandDef;
