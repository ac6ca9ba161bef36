/*
 * APPEND key value: a new key takes the value as is; an existing one becomes a mutable (raw) string appended in
 * place.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { strLen } from '../../types/string.js';
import { addKey, checkStringLength, unshare, writeString } from './common.js';

export const APPEND = {
  name: 'append', group: 'string', summary: 'Append a value to a key', since: '2.0.0',
  complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'insert'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const add = argv[2]!;
    const v = writeString(c, key);
    if (v === false) return;
    let total: number;
    if (v === null) {
      addKey(c, key, add);
      total = add.length;
    } else {
      if (!checkStringLength(c, strLen(v), add.length)) return;
      const m = unshare(c.db, key, v);
      m.append(add);
      total = m.len;
    }
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'append');
    c.int(total);
  },
} as const satisfies CommandDef;
