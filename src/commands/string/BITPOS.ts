/*
 * BITPOS key bit [start [end [BYTE|BIT]]]: the first set or clear bit in a range (bitops.c bitposCommand,
 * including its treatment of ranges without an explicit end).
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_BITPOS_BIT, ERR_NOT_INTEGER, ERR_SYNTAX } from '../../protocol/errors.js';
import { bitpos } from '../../types/bits.js';
import { bytesOf, readString } from './common.js';
import { parseLL } from './integers.js';
import { bitRange, clampLL } from './range.js';

export const BITPOS = {
  name: 'bitpos', group: 'bitmap', summary: 'Find first bit set or clear in a string', since: '2.8.7',
  complexity: 'O(N)',
  arity: -3, flags: ['readonly'], acl: ['bitmap'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'bit', type: 'integer' },
    { name: 'index', type: 'block', optional: true, arguments: [
      { name: 'start', type: 'integer' },
      { name: 'end_index', type: 'block', optional: true, arguments: [
        { name: 'end', type: 'integer' },
        { name: 'index_unit', type: 'oneof', optional: true, since: '7.0.0', arguments: [
          { name: 'byte', type: 'pure-token', token: 'BYTE' },
          { name: 'bit', type: 'pure-token', token: 'BIT' },
        ] },
      ] },
    ] },
  ],
  handler(c, argv) {
    const b = parseLL(argv[2]!);
    if (b === null) { c.error(ERR_NOT_INTEGER); return; }
    if (b !== 0 && b !== 1) { c.error(ERR_BITPOS_BIT); return; }
    const bit = b as 0 | 1;
    const v = readString(c, argv[1]!);
    if (v === false) return;
    if (v === null) { c.int(bit ? -1 : 0); return; }
    const p = bytesOf(v);
    const strlen = p.length;
    let start: number;
    let end: number;
    let endGiven = false;
    let firstMask = 0;
    let lastMask = 0;
    if (argv.length >= 4 && argv.length <= 6) {
      let totlen = strlen;
      const s = parseLL(argv[3]!);
      if (s === null) { c.error(ERR_NOT_INTEGER); return; }
      let isbit = false;
      if (argv.length === 6) {
        const unit = argv[5]!.toLowerCase();
        if (unit === 'bit') isbit = true;
        else if (unit !== 'byte') { c.error(ERR_SYNTAX); return; }
      }
      if (argv.length >= 5) {
        const e = parseLL(argv[4]!);
        if (e === null) { c.error(ERR_NOT_INTEGER); return; }
        end = clampLL(e);
        endGiven = true;
      } else {
        end = isbit ? totlen * 8 + 7 : totlen - 1;
      }
      if (isbit) totlen *= 8;
      ({ start, end, firstMask, lastMask } = bitRange(clampLL(s), end, totlen, isbit));
    } else if (argv.length === 3) {
      start = 0;
      end = strlen - 1;
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
    if (start > end) { c.int(-1); return; }
    let bytes = end - start + 1;
    let pos: number;
    found: {
      if (firstMask) {
        let t = bit ? p[start]! & ~firstMask : p[start]! | firstMask;
        if (lastMask && bytes === 1) t = bit ? t & ~lastMask : t | lastMask;
        pos = bitpos(Uint8Array.of(t & 0xff), 0, 1, bit);
        if (bytes === 1 || (pos !== -1 && pos !== 8)) break found;
        start++;
        bytes--;
      }
      const cur = bytes - (lastMask ? 1 : 0);
      if (cur > 0) {
        pos = bitpos(p, start, cur, bit);
        if (bytes === cur || (pos !== -1 && pos !== cur * 8)) break found;
        start += cur;
        bytes -= cur;
      }
      const t = bit ? p[end]! & ~lastMask : p[end]! | lastMask;
      pos = bitpos(Uint8Array.of(t & 0xff), 0, 1, bit);
    }
    if (endGiven && bit === 0 && pos === bytes * 8) { c.int(-1); return; }
    if (pos !== -1) pos += start * 8;
    c.int(pos);
  },
} as const satisfies CommandDef;
