/* XLEN key */
import type { CommandDef } from '../registry.js';
import { xlenCommand } from './add-trim.js';

export const XLEN = {
  name: 'xlen', group: 'stream', summary: 'Return the number of entries in a stream', since: '5.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler: xlenCommand,
} as const satisfies CommandDef;
