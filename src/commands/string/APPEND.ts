/*
 * APPEND key value: a new key takes the value as is; an existing one becomes a mutable (raw) string appended in
 * place.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { MutableString, strLen } from '../../types/string.js';
import { bigArg } from '../../protocol/big-args.js';
import { addKey, checkStringLength, unshare, writeString } from './common.js';

export const APPEND = {
  name: 'append', group: 'string', summary: 'Append a value to a key', since: '2.0.0',
  complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  bigValueArgs: [2, 0],
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'insert'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const add = argv[2]!;
    const big = bigArg(add);
    const addLen = big === undefined ? add.length : big.length;
    const v = writeString(c, key);
    if (v === false) return;
    let total: number;
    if (v === null) {
      addKey(c, key, big === undefined ? add : MutableString.adopt(big));
      total = addLen;
    } else {
      if (!checkStringLength(c, strLen(v), addLen)) return;
      const m = unshare(c.db, key, v);
      if (big === undefined) m.append(add); else m.appendBytes(big);
      total = m.len;
    }
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'append');
    c.int(total);
  },
} as const satisfies CommandDef;
