/* PERSIST key: removes the TTL (event "persist"); 1 if there was one. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';

export const PERSIST = {
  name: 'persist', group: 'generic', summary: 'Remove the expiration from a key', since: '2.2.0',
  complexity: 'O(1)',
  arity: 2, flags: ['write', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RW', 'update'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const db = c.db;
    const key = argv[1]!;
    if (db.get(key) !== undefined && db.persist(key)) {
      c.server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'persist');
      c.int(1);
    } else {
      c.int(0);
    }
  },
} as const satisfies CommandDef;
