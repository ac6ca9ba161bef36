/* TOUCH key [key ...]: how many keys exist, updating their access clocks (a plain read lookup). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';

export const TOUCH = {
  name: 'touch', group: 'generic', summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.', since: '3.2.1',
  complexity: 'O(N) where N is the number of keys that will be touched.',
  arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RO'], -1, 1, 0)],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
  handler(c, argv) {
    const db = c.db;
    const server = c.server;
    let n = 0;
    for (let j = 1; j < argv.length; j++) {
      if (db.get(argv[j]!) !== undefined) { server.stats.keyspaceHits++; n++; } else server.keyMiss(db, argv[j]!);
    }
    c.int(n);
  },
} as const satisfies CommandDef;
