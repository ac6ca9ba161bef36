/* DBSIZE: keys in the selected db (including expired ones not yet reclaimed, as Redis). */
import type { CommandDef } from '../registry.js';

export const DBSIZE = {
  name: 'dbsize', group: 'server', summary: 'Return the number of keys in the selected database', since: '1.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['readonly', 'fast'], acl: ['keyspace'],
  tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
  handler(c) { c.int(c.db.size); },
} as const satisfies CommandDef;
