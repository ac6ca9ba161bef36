/*
 * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL]
 * ...: integer fields of 1..64 bits (bitops.c bitfieldGeneric), shared with BITFIELD_RO.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { bitfieldGeneric } from './bits.js';

export const BITFIELD = {
  name: 'bitfield', group: 'bitmap', summary: 'Perform arbitrary bitfield integer operations on strings', since: '3.2.0',
  complexity: 'O(1) for each subcommand specified',
  arity: -2, flags: ['write', 'denyoom'], acl: ['bitmap'],
  keySpecs: [{ ...keyRange(1, ['RW', 'update', 'access', 'variable_flags']), notes: 'This command allows both access and modification of the key' }],
  /** bitfieldGetKeys: read-only when only GET/OVERFLOW appear (same argument walk as Redis). */
  getKeyFlags(argv) {
    let readonly = true;
    for (let i = 2; i < argv.length; i++) {
      const rem = argv.length - i - 1;
      const a = argv[i]!.toLowerCase();
      if (a === 'get' && rem >= 2) i += 2;
      else if ((a === 'set' || a === 'incrby') && rem >= 3) { readonly = false; break; }
      else if (a === 'overflow' && rem >= 1) i += 1;
      else { readonly = false; break; }
    }
    return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
  },
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'operation', type: 'oneof', optional: true, multiple: true, arguments: [
      { name: 'encoding_offset', type: 'block', token: 'GET', arguments: [
        { name: 'encoding', type: 'string' },
        { name: 'offset', type: 'integer' },
      ] },
      { name: 'write', type: 'block', arguments: [
        { name: 'wrap_sat_fail', type: 'oneof', token: 'OVERFLOW', optional: true, arguments: [
          { name: 'wrap', type: 'pure-token', token: 'WRAP' },
          { name: 'sat', type: 'pure-token', token: 'SAT' },
          { name: 'fail', type: 'pure-token', token: 'FAIL' },
        ] },
        { name: 'write_operation', type: 'oneof', arguments: [
          { name: 'encoding_offset_value', type: 'block', token: 'SET', arguments: [
            { name: 'encoding', type: 'string' },
            { name: 'offset', type: 'integer' },
            { name: 'value', type: 'integer' },
          ] },
          { name: 'encoding_offset_increment', type: 'block', token: 'INCRBY', arguments: [
            { name: 'encoding', type: 'string' },
            { name: 'offset', type: 'integer' },
            { name: 'increment', type: 'integer' },
          ] },
        ] },
      ] },
    ] },
  ],
  handler(c, argv) { bitfieldGeneric(c, argv, false); },
} as const satisfies CommandDef;
