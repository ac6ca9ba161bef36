/*
 * PFADD key [element ...]: add elements to a HLL, creating it (sparse) when
 * missing. :1 when a register changed or the key was created, else :0. A
 * change invalidates the cached cardinality, counts one dirty per changed
 * register and fires "pfadd".
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_INVALID_HLL } from '../../protocol/errors.js';
import type { MutableString } from '../../types/string.js';
import { add, createHll, invalidateCache } from '../../types/hyperloglog.js';
import { addKey, unshare } from '../string/common.js';
import { sparseMaxBytes, writeHll } from './common.js';

export const PFADD = {
  name: 'pfadd', group: 'hyperloglog', summary: 'Adds the specified elements to the specified HyperLogLog.', since: '2.8.9',
  complexity: 'O(1) to add every element.',
  arity: -2, flags: ['write', 'denyoom', 'fast'], acl: ['hyperloglog'],
  keySpecs: [keyRange(1, ['RW', 'insert'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'element', type: 'string', optional: true, multiple: true },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const v = writeHll(c, key);
    if (v === false) return;
    let updated = 0;
    let m: MutableString;
    if (v === null) {
      m = createHll();
      addKey(c, key, m);
      updated++;
    } else {
      m = unshare(c.db, key, v);
    }
    const maxBytes = sparseMaxBytes(c);
    for (let j = 2; j < argv.length; j++) {
      const r = add(m, argv[j]!, maxBytes);
      if (r === 1) updated++;
      else if (r === -1) { c.error(ERR_INVALID_HLL); return; }
    }
    if (updated > 0) {
      invalidateCache(m);
      c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'pfadd', updated);
    }
    c.int(updated > 0 ? 1 : 0);
  },
} as const satisfies CommandDef;
