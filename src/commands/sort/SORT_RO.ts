/* SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]: SORT without STORE (a read-only command). */
import type { CommandDef } from '../registry.js';
import { sortGeneric } from './sort-generic.js';

export const SORT_RO = {
  name: 'sort_ro', group: 'generic', summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', since: '7.0.0',
  complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
  arity: -2, flags: ['readonly'], acl: ['set', 'sortedset', 'list', 'dangerous'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }, { notes: 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort', flags: ['RO', 'access'], begin: { unknown: null }, find: { unknown: null } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'pattern', type: 'pattern', token: 'BY', optional: true, key_spec_index: 1 }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }, { name: 'pattern', type: 'pattern', token: 'GET', optional: true, multiple: true, multiple_token: true, key_spec_index: 1 }, { name: 'order', type: 'oneof', optional: true, arguments: [{ name: 'asc', type: 'pure-token', token: 'ASC' }, { name: 'desc', type: 'pure-token', token: 'DESC' }] }, { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true }],
  getKeys: () => [1],
  handler(c, argv) { sortGeneric(c, argv, true); },
} as const satisfies CommandDef;
