/* FLUSHDB [ASYNC|SYNC]: removes every key of the selected db. */
import type { CommandDef } from '../registry.js';
import { flushGeneric } from './flush.js';

export const FLUSHDB = {
  name: 'flushdb', group: 'server', summary: 'Remove all keys from the current database', since: '1.0.0',
  complexity: 'O(N) where N is the number of keys in the selected database',
  arity: -1, flags: ['write'], acl: ['keyspace', 'dangerous'],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  history: [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']],
  arguments: [{ name: 'async', type: 'oneof', optional: true, arguments: [{ name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' }, { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' }] }],
  handler(c, argv) { flushGeneric(c, argv, false); },
} as const satisfies CommandDef;
