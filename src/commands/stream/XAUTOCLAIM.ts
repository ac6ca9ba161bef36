/* XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
import type { CommandDef } from '../registry.js';
import { xautoclaimCommand } from './group.js';

export const XAUTOCLAIM = {
  name: 'xautoclaim', group: 'stream', summary: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.', since: '6.2.0',
  complexity: 'O(1) if COUNT is small.',
  arity: -6, flags: ['write', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  history: [['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }, { name: 'min-idle-time', type: 'string' }, { name: 'start', type: 'string' }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true }],
  handler: xautoclaimCommand,
} as const satisfies CommandDef;
