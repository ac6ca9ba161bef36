/* BITCOUNT key [start end [BYTE|BIT]]: set bits in a byte or bit range (bitops.c bitcountCommand). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_NOT_INTEGER, ERR_SYNTAX } from '../../protocol/errors.js';
import { popcount } from '../../types/bits.js';
import { bytesOf, readString } from './common.js';
import { parseLL } from './integers.js';
import { bitRange, clampLL } from './range.js';

export const BITCOUNT = {
  name: 'bitcount', group: 'bitmap', summary: 'Count set bits in a string', since: '2.6.0',
  complexity: 'O(N)',
  arity: -2, flags: ['readonly'], acl: ['bitmap'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'index', type: 'block', optional: true, arguments: [
      { name: 'start', type: 'integer' },
      { name: 'end', type: 'integer' },
      { name: 'index_unit', type: 'oneof', optional: true, since: '7.0.0', arguments: [
        { name: 'byte', type: 'pure-token', token: 'BYTE' },
        { name: 'bit', type: 'pure-token', token: 'BIT' },
      ] },
    ] },
  ],
  handler(c, argv) {
    const v = readString(c, argv[1]!);
    if (v === false) return;
    if (v === null) { c.int(0); return; }
    const p = bytesOf(v);
    const strlen = p.length;
    let start: number;
    let end: number;
    let firstMask = 0;
    let lastMask = 0;
    if (argv.length === 4 || argv.length === 5) {
      const s = parseLL(argv[2]!);
      if (s === null) { c.error(ERR_NOT_INTEGER); return; }
      const e = parseLL(argv[3]!);
      if (e === null) { c.error(ERR_NOT_INTEGER); return; }
      if (s < 0 && e < 0 && s > e) { c.int(0); return; }
      let isbit = false;
      if (argv.length === 5) {
        const unit = argv[4]!.toLowerCase();
        if (unit === 'bit') isbit = true;
        else if (unit !== 'byte') { c.error(ERR_SYNTAX); return; }
      }
      const totlen = isbit ? strlen * 8 : strlen;
      ({ start, end, firstMask, lastMask } = bitRange(clampLL(s), clampLL(e), totlen, isbit));
    } else if (argv.length === 2) {
      start = 0;
      end = strlen - 1;
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
    if (start > end) { c.int(0); return; }
    let count = popcount(p, start, end - start + 1);
    if (firstMask !== 0) count -= popcount(Uint8Array.of(p[start]! & firstMask), 0, 1);
    if (lastMask !== 0) count -= popcount(Uint8Array.of(p[end]! & lastMask), 0, 1);
    c.int(count);
  },
} as const satisfies CommandDef;
