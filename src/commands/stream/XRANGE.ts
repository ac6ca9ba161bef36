/* XRANGE key start end [COUNT count] */
import type { CommandDef } from '../registry.js';
import { xrangeCommand } from './add-trim.js';

export const XRANGE = {
  name: 'xrange', group: 'stream', summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval', since: '5.0.0',
  complexity: 'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  arity: -4, flags: ['readonly'], acl: ['stream'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  history: [['6.2.0', 'Added exclusive ranges.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'start', type: 'string' }, { name: 'end', type: 'string' }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  handler: xrangeCommand,
} as const satisfies CommandDef;
