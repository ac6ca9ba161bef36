/* MGET key [key ...]: one bulk per key; missing keys and non-strings are null. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { replyValue } from './common.js';

export const MGET = {
  name: 'mget', group: 'string', summary: 'Get the values of all the given keys', since: '1.0.0',
  complexity: 'O(N) where N is the number of keys to retrieve.',
  arity: -2, flags: ['readonly', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RO', 'access'], -1, 1, 0)],
  tips: ['request_policy:multi_shard'],
  arguments: [
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
  ],
  handler(c, argv) {
    const db = c.db;
    const server = c.server;
    c.array(argv.length - 1);
    for (let j = 1; j < argv.length; j++) {
      const v = db.get(argv[j]!);
      if (v === undefined) { server.keyMiss(db, argv[j]!); c.null(); continue; }
      server.stats.keyspaceHits++;
      if (typeof v === 'string') c.bulk(v);
      else if (v.type === 'string') replyValue(c, v as never);
      else c.null();
    }
  },
} as const satisfies CommandDef;
