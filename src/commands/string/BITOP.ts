/*
 * BITOP AND|OR|XOR|NOT destkey key [key ...]: the result is stored as a mutable (raw) string; an empty result
 * deletes destkey.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_BITOP_NOT, ERR_SYNTAX, ERR_WRONGTYPE } from '../../protocol/errors.js';
import { MutableString } from '../../types/string.js';
import { bytesOf, setKey } from './common.js';

export const BITOP = {
  name: 'bitop', group: 'bitmap', summary: 'Perform bitwise operations between strings', since: '2.6.0',
  complexity: 'O(N)',
  arity: -4, flags: ['write', 'denyoom'], acl: ['bitmap'],
  keySpecs: [keyRange(2, ['OW', 'update']), keyRange(3, ['RO', 'access'], -1, 1, 0)],
  arguments: [
    { name: 'operation', type: 'string' },
    { name: 'destkey', type: 'key', key_spec_index: 0 },
    { name: 'key', type: 'key', multiple: true, key_spec_index: 1 },
  ],
  handler(c, argv) {
    const op = argv[1]!.toLowerCase();
    if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') { c.error(ERR_SYNTAX); return; }
    if (op === 'not' && argv.length !== 4) { c.error(ERR_BITOP_NOT); return; }
    const db = c.db;
    const srcs: (Uint8Array | null)[] = [];
    let maxlen = 0;
    for (let j = 3; j < argv.length; j++) {
      const v = db.get(argv[j]!);
      if (v === undefined) { c.server.keyMiss(db, argv[j]!); srcs.push(null); continue; }
      c.server.stats.keyspaceHits++;
      if (typeof v !== 'string' && v.type !== 'string') { c.error(ERR_WRONGTYPE); return; }
      const p = bytesOf(v as string | MutableString);
      srcs.push(p);
      if (p.length > maxlen) maxlen = p.length;
    }
    const target = argv[2]!;
    const rec = c.server.recorder;
    if (maxlen === 0) {
      if (db.delete(target)) rec.keyWritten(db, target, NOTIFY_GENERIC, 'del');
      c.int(0);
      return;
    }
    const res = new MutableString('', maxlen);
    res.grow(maxlen);
    const out = res.buf;
    const n = srcs.length;
    const first = srcs[0];
    if (op === 'not') {
      for (let i = 0; i < maxlen; i++) out[i] = ~(first !== null && i < first.length ? first[i]! : 0) & 0xff;
    } else {
      for (let i = 0; i < maxlen; i++) {
        let o = first !== null && i < first.length ? first[i]! : 0;
        for (let k = 1; k < n; k++) {
          const s = srcs[k];
          const byte = s !== null && i < s.length ? s[i]! : 0;
          if (op === 'and') o &= byte; else if (op === 'or') o |= byte; else o ^= byte;
        }
        out[i] = o;
      }
    }
    setKey(c, target, res);
    rec.keyWritten(db, target, NOTIFY_STRING, 'set');
    c.int(maxlen);
  },
} as const satisfies CommandDef;
