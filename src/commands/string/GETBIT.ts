/* GETBIT key offset: the bit at offset, 0 beyond the end or when missing. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { readString, bytesOf } from './common.js';
import { bitOffset } from './bits.js';

export const GETBIT = {
  name: 'getbit', group: 'bitmap', summary: 'Returns the bit value at offset in the string value stored at key', since: '2.2.0',
  complexity: 'O(1)',
  arity: 3, flags: ['readonly', 'fast'], acl: ['bitmap'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'offset', type: 'integer' },
  ],
  handler(c, argv) {
    const off = bitOffset(c, argv[2]!, 0);
    if (off === null) return;
    const v = readString(c, argv[1]!);
    if (v === false) return;
    if (v === null) { c.int(0); return; }
    const byte = Math.floor(off / 8);
    let val = 0;
    if (typeof v === 'string') {
      if (byte < v.length) val = (v.charCodeAt(byte) >> (7 - (off % 8))) & 1;
    } else if (byte < v.len) {
      val = (bytesOf(v)[byte]! >> (7 - (off % 8))) & 1;
    }
    c.int(val);
  },
} as const satisfies CommandDef;
