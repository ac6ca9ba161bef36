/* XDEL key id [id ...] */
import type { CommandDef } from '../registry.js';
import { xdelCommand } from './add-trim.js';

export const XDEL = {
  name: 'xdel', group: 'stream', summary: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.', since: '5.0.0',
  complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
  arity: -3, flags: ['write', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'id', type: 'string', multiple: true }],
  handler: xdelCommand,
} as const satisfies CommandDef;
