/* FLUSHALL [ASYNC|SYNC]: removes every key of every db (functions stay). */
import type { CommandDef } from '../registry.js';
import { flushGeneric } from './flush.js';
import { afterFlushAll } from '../../persistence/snapshot.js';

export const FLUSHALL = {
  name: 'flushall', group: 'server', summary: 'Remove all keys from all databases', since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  arity: -1, flags: ['write'], acl: ['keyspace', 'dangerous'],
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  history: [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']],
  arguments: [{ name: 'async', type: 'oneof', optional: true, arguments: [{ name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' }, { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' }] }],
  handler(c, argv) {
    const errors = c.server.stats.totalErrorReplies;
    flushGeneric(c, argv, true);
    if (c.server.stats.totalErrorReplies === errors) afterFlushAll(c.server); // abort BGSAVE; save points: save now
  },
} as const satisfies CommandDef;
