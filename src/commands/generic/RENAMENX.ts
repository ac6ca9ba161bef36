/* RENAMENX key newkey: RENAME only when newkey does not exist; 1 or 0. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { renameGeneric } from './rename-generic.js';

export const RENAMENX = {
  name: 'renamenx', group: 'generic', summary: 'Rename a key, only if the new key does not exist', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete']), keyRange(2, ['OW', 'insert'])],
  history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'newkey', type: 'key', key_spec_index: 1 }],
  handler(c, argv) { renameGeneric(c, argv, true); },
} as const satisfies CommandDef;
