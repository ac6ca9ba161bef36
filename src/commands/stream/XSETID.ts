/* XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id] */
import type { CommandDef } from '../registry.js';
import { xsetidCommand } from './add-trim.js';

export const XSETID = {
  name: 'xsetid', group: 'stream', summary: 'An internal command for replicating stream values', since: '5.0.0',
  complexity: 'O(1)',
  arity: -3, flags: ['write', 'denyoom', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'last-id', type: 'string' }, { name: 'entries_added', type: 'integer', token: 'ENTRIESADDED', optional: true, since: '7.0.0' }, { name: 'max_deleted_entry_id', type: 'string', token: 'MAXDELETEDID', optional: true, since: '7.0.0' }],
  handler: xsetidCommand,
} as const satisfies CommandDef;
