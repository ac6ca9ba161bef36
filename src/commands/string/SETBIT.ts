/* SETBIT key offset value: the old bit; the string grows zero-padded and becomes mutable (raw). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_BIT_VALUE } from '../../protocol/errors.js';
import { toInt } from '../args.js';
import { bitOffset, stringForBits } from './bits.js';

export const SETBIT = {
  name: 'setbit', group: 'bitmap', summary: 'Sets or clears the bit at offset in the string value stored at key', since: '2.2.0',
  complexity: 'O(1)',
  arity: 4, flags: ['write', 'denyoom'], acl: ['bitmap'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'offset', type: 'integer' },
    { name: 'value', type: 'integer' },
  ],
  handler(c, argv) {
    const off = bitOffset(c, argv[2]!, 0);
    if (off === null) return;
    const on = toInt(argv[3]!);
    if (on === null || (on !== 0 && on !== 1)) { c.error(ERR_BIT_VALUE); return; }
    const key = argv[1]!;
    const t = stringForBits(c, key, off);
    if (t === null) return;
    const buf = t.m.buf;
    const byte = Math.floor(off / 8);
    const bit = 7 - (off % 8);
    const old = (buf[byte]! >> bit) & 1;
    if (t.dirty || old !== on) {
      buf[byte] = (buf[byte]! & ~(1 << bit)) | (on << bit);
      c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'setbit');
    }
    c.int(old);
  },
} as const satisfies CommandDef;
