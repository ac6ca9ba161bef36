/* XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...] */
import type { CommandDef } from '../registry.js';
import { xreadCommand } from './read.js';

export const XREAD = {
  name: 'xread', group: 'stream', summary: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.', since: '5.0.0',
  complexity: 'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
  arity: -4, flags: ['readonly', 'blocking'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { keyword: 'STREAMS', startfrom: 1 }, find: { range: [-1, 1, 2] } }],
  arguments: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true }, { name: 'streams', type: 'block', token: 'STREAMS', arguments: [{ name: 'key', type: 'key', multiple: true, key_spec_index: 0 }, { name: 'id', type: 'string', multiple: true }] }],
  handler: xreadCommand,
} as const satisfies CommandDef;
