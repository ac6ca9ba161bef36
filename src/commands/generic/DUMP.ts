/*
 * DUMP key (redis/src/cluster.c dumpCommand): the value serialized as in an
 * RDB file (type byte + payload, Redis 7.0 encodings, rdbcompression applies)
 * followed by the RDB version (2 bytes LE) and a CRC64 (8 bytes LE).
 * The codec lives in src/persistence/rdb.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { dumpPayload, saveOptionsOf } from '../../persistence/rdb/index.js';

export const DUMP = {
  name: 'dump', group: 'generic', summary: 'Return a serialized version of the value stored at the specified key.', since: '2.6.0',
  complexity: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
  arity: 2, flags: ['readonly'], acl: ['keyspace'], tips: ['nondeterministic_output'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const key = argv[1]!;
    const v = c.db.get(key);
    if (v === undefined) { c.server.keyMiss(c.db, key); c.null(); return; }
    c.server.stats.keyspaceHits++;
    c.bulkBuffer(dumpPayload(v, saveOptionsOf(c.server.config)));
  },
} as const satisfies CommandDef;
