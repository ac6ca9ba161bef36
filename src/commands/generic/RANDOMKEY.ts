/*
 * RANDOMKEY (redis/src/db.c dbRandomKey): a random live key, or null. A
 * picked key whose TTL passed is expired (deleted) and another is picked; on
 * a replica, where expired keys stay, a db of only volatile keys gives up
 * after 100 tries and returns an expired key, as Redis does.
 */
import type { CommandDef } from '../registry.js';

export const RANDOMKEY = {
  name: 'randomkey', group: 'generic', summary: 'Return a random key from the keyspace', since: '1.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['readonly', 'touches_arbitrary_keys'], acl: ['keyspace'],
  tips: ['request_policy:all_shards', 'nondeterministic_output'],
  handler(c) {
    const db = c.db;
    let tries = 100;
    for (;;) {
      const key = db.randomKey();
      if (key === undefined) { c.null(); return; }
      if (db.expires.size > 0 && db.getExpire(key) !== -1) {
        const allVolatile = db.size === db.expires.size;
        if (allVolatile && db.hooks.expiryIsRemote && --tries === 0) { c.bulk(key); return; }
        if (db.expireIfNeeded(key)) continue;
      }
      c.bulk(key);
      return;
    }
  },
} as const satisfies CommandDef;
