/* EXISTS key [key ...]: how many of the keys exist (repeats count again); no access-clock update, hits/misses counted. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';

export const EXISTS = {
  name: 'exists', group: 'generic', summary: 'Determine if a key exists', since: '1.0.0',
  complexity: 'O(N) where N is the number of keys to check.',
  arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RO'], -1, 1, 0)],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  history: [['3.0.3', 'Accepts multiple `key` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
  handler(c, argv) {
    const db = c.db;
    const server = c.server;
    let n = 0;
    for (let j = 1; j < argv.length; j++) {
      if (db.peek(argv[j]!) !== undefined) { server.stats.keyspaceHits++; n++; } else server.keyMiss(db, argv[j]!);
    }
    c.int(n);
  },
} as const satisfies CommandDef;
