/* XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
import type { CommandDef } from '../registry.js';
import { xpendingCommand } from './group.js';

export const XPENDING = {
  name: 'xpending', group: 'stream', summary: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.', since: '5.0.0',
  complexity: 'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
  arity: -3, flags: ['readonly'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'group', type: 'string' }, { name: 'filters', type: 'block', optional: true, arguments: [{ name: 'min-idle-time', type: 'integer', token: 'IDLE', optional: true, since: '6.2.0' }, { name: 'start', type: 'string' }, { name: 'end', type: 'string' }, { name: 'count', type: 'integer' }, { name: 'consumer', type: 'string', optional: true }] }],
  handler: xpendingCommand,
} as const satisfies CommandDef;
