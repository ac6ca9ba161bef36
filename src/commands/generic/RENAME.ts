/* RENAME key newkey: moves the value (and TTL) to newkey, replacing it. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { renameGeneric } from './rename-generic.js';

export const RENAME = {
  name: 'rename', group: 'generic', summary: 'Rename a key', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete']), keyRange(2, ['OW', 'update'])],
  history: [],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'newkey', type: 'key', key_spec_index: 1 }],
  handler(c, argv) { renameGeneric(c, argv, false); },
} as const satisfies CommandDef;
