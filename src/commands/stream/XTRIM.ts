/* XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
import type { CommandDef } from '../registry.js';
import { xtrimCommand } from './add-trim.js';

export const XTRIM = {
  name: 'xtrim', group: 'stream', summary: 'Trims the stream to (approximately if \'~\' is passed) a certain size', since: '5.0.0',
  complexity: 'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
  arity: -4, flags: ['write'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  history: [['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'trim', type: 'block', arguments: [{ name: 'strategy', type: 'oneof', arguments: [{ name: 'maxlen', type: 'pure-token', token: 'MAXLEN' }, { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' }] }, { name: 'operator', type: 'oneof', optional: true, arguments: [{ name: 'equal', type: 'pure-token', token: '=' }, { name: 'approximately', type: 'pure-token', token: '~' }] }, { name: 'threshold', type: 'string' }, { name: 'count', type: 'integer', token: 'LIMIT', optional: true, since: '6.2.0' }] }],
  handler: xtrimCommand,
} as const satisfies CommandDef;
