/* XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
import type { CommandDef } from '../registry.js';
import { xaddCommand } from './add-trim.js';

export const XADD = {
  name: 'xadd', group: 'stream', summary: 'Appends a new entry to a stream', since: '5.0.0',
  complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
  arity: -5, flags: ['write', 'denyoom', 'fast'], acl: ['stream'],
  keySpecs: [{ flags: ['RW', 'update'], notes: 'UPDATE instead of INSERT because of the optional trimming feature', begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  history: [['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'], ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', optional: true, since: '6.2.0' }, { name: 'trim', type: 'block', optional: true, arguments: [{ name: 'strategy', type: 'oneof', arguments: [{ name: 'maxlen', type: 'pure-token', token: 'MAXLEN' }, { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' }] }, { name: 'operator', type: 'oneof', optional: true, arguments: [{ name: 'equal', type: 'pure-token', token: '=' }, { name: 'approximately', type: 'pure-token', token: '~' }] }, { name: 'threshold', type: 'string' }, { name: 'count', type: 'integer', token: 'LIMIT', optional: true, since: '6.2.0' }] }, { name: 'id_or_auto', type: 'oneof', arguments: [{ name: 'auto_id', type: 'pure-token', token: '*' }, { name: 'id', type: 'string' }] }, { name: 'field_value', type: 'block', multiple: true, arguments: [{ name: 'field', type: 'string' }, { name: 'value', type: 'string' }] }],
  handler: xaddCommand,
} as const satisfies CommandDef;
