/*
 * KEYS pattern: every key matching the glob, in table order. Keys whose TTL
 * has passed are skipped but not deleted (Redis's keyIsExpired check).
 */
import type { CommandDef } from '../registry.js';
import { globMatch } from '../../keyspace/glob.js';

export const KEYS = {
  name: 'keys', group: 'generic', summary: 'Find all keys matching the given pattern', since: '1.0.0',
  complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
  arity: 2, flags: ['readonly'], acl: ['keyspace', 'dangerous'],
  tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
  arguments: [{ name: 'pattern', type: 'pattern' }],
  handler(c, argv) {
    const db = c.db;
    const pattern = argv[1]!;
    const all = pattern === '*';
    const volatile = db.expires.size > 0;
    const out: string[] = [];
    for (const key of db.keys()) {
      if ((all || globMatch(pattern, key)) && !(volatile && db.isExpired(key))) out.push(key);
    }
    c.bulks(out);
  },
} as const satisfies CommandDef;
