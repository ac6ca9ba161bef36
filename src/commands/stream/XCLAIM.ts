/* XCLAIM key group consumer min-idle-time id [id ...] [options] */
import type { CommandDef } from '../registry.js';
import { xclaimCommand } from './group.js';

export const XCLAIM = {
  name: 'xclaim', group: 'stream', summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.', since: '5.0.0',
  complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
  arity: -6, flags: ['write', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }, { name: 'min-idle-time', type: 'string' }, { name: 'id', type: 'string', multiple: true }, { name: 'ms', type: 'integer', token: 'IDLE', optional: true }, { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true }, { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true }, { name: 'force', type: 'pure-token', token: 'FORCE', optional: true }, { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true }, { name: 'id', type: 'string', token: 'LASTID', optional: true }],
  handler: xclaimCommand,
} as const satisfies CommandDef;
