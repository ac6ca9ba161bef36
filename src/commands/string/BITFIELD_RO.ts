/* BITFIELD_RO key [GET type offset ...]: the read-only BITFIELD, GET only. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { bitfieldGeneric } from './bits.js';

export const BITFIELD_RO = {
  name: 'bitfield_ro', group: 'bitmap', summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD', since: '6.0.0',
  complexity: 'O(1) for each subcommand specified',
  arity: -2, flags: ['readonly', 'fast'], acl: ['bitmap'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'encoding_offset', type: 'block', token: 'GET', optional: true, multiple: true, multiple_token: true, arguments: [
      { name: 'encoding', type: 'string' },
      { name: 'offset', type: 'integer' },
    ] },
  ],
  handler(c, argv) { bitfieldGeneric(c, argv, true); },
} as const satisfies CommandDef;
