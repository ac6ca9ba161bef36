/* TYPE key: the value's type name as a status reply, "none" when missing (lookup without touching). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { typeName } from './common.js';

export const TYPE = {
  name: 'type', group: 'generic', summary: 'Determine the type stored at key', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RO'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const v = c.db.peek(argv[1]!);
    if (v === undefined) { c.server.keyMiss(c.db, argv[1]!); c.simple('none'); return; }
    c.server.stats.keyspaceHits++;
    c.simple(typeName(v));
  },
} as const satisfies CommandDef;
