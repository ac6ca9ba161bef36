/* SETRANGE key offset value: overwrite from offset (zero padding), in place on a mutable (raw) string. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_NOT_INTEGER, ERR_OFFSET_RANGE } from '../../protocol/errors.js';
import { MutableString, strLen } from '../../types/string.js';
import { addKey, checkStringLength, unshare, writeString } from './common.js';
import { parseLL } from './integers.js';
import { bigArg } from '../../protocol/big-args.js';

export const SETRANGE = {
  name: 'setrange', group: 'string', summary: 'Overwrite part of a string at key starting at the specified offset', since: '2.2.0',
  complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  bigValueArgs: [3, 0],
  arity: 4, flags: ['write', 'denyoom'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'offset', type: 'integer' },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const value = argv[3]!;
    const big = bigArg(value);
    const valueLen = big === undefined ? value.length : big.length;
    const off = parseLL(argv[2]!);
    if (off === null) { c.error(ERR_NOT_INTEGER); return; }
    if (off < 0) { c.error(ERR_OFFSET_RANGE); return; }
    const offset = Number(off);
    const v = writeString(c, key);
    if (v === false) return;
    let m: MutableString;
    if (v === null) {
      if (valueLen === 0) { c.int(0); return; }
      if (!checkStringLength(c, offset, valueLen)) return;
      m = new MutableString('', offset + valueLen);
      addKey(c, key, m);
    } else {
      if (valueLen === 0) { c.int(strLen(v)); return; }
      if (!checkStringLength(c, offset, valueLen)) return;
      m = unshare(c.db, key, v);
    }
    m.grow(offset + valueLen);
    if (big === undefined) m.buf.write(value, offset, 'latin1'); else m.buf.set(big, offset);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'setrange');
    c.int(m.len);
  },
} as const satisfies CommandDef;
