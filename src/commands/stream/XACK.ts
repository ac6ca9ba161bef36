/* XACK key group id [id ...] */
import type { CommandDef } from '../registry.js';
import { xackCommand } from './group.js';

export const XACK = {
  name: 'xack', group: 'stream', summary: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.', since: '5.0.0',
  complexity: 'O(1) for each message ID processed.',
  arity: -4, flags: ['write', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'group', type: 'string' }, { name: 'id', type: 'string', multiple: true }],
  handler: xackCommand,
} as const satisfies CommandDef;
