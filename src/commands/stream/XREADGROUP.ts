/* XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...] */
import type { CommandDef } from '../registry.js';
import { xreadgroupCommand } from './read.js';

export const XREADGROUP = {
  name: 'xreadgroup', group: 'stream', summary: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.', since: '5.0.0',
  complexity: 'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
  arity: -7, flags: ['blocking', 'write'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { keyword: 'STREAMS', startfrom: 4 }, find: { range: [-1, 1, 2] } }],
  arguments: [{ name: 'group_consumer', type: 'block', token: 'GROUP', arguments: [{ name: 'group', type: 'string' }, { name: 'consumer', type: 'string' }] }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true }, { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true }, { name: 'streams', type: 'block', token: 'STREAMS', arguments: [{ name: 'key', type: 'key', multiple: true, key_spec_index: 0 }, { name: 'id', type: 'string', multiple: true }] }],
  handler: xreadgroupCommand,
} as const satisfies CommandDef;
