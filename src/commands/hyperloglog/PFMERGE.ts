/*
 * PFMERGE destkey [sourcekey ...]: the destination (itself one of the
 * inputs) becomes the union of the inputs. Missing inputs are empty; the
 * destination is created sparse when missing and turned dense first when any
 * input is dense. Always a write: cache invalidated, dirty, event "pfadd"
 * (Redis's choice: a merge is a mass add).
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_INVALID_HLL } from '../../protocol/errors.js';
import type { MutableString } from '../../types/string.js';
import { HLL_DENSE, HLL_REGISTERS, applyMax, createHll, invalidateCache, merge, sparseToDense } from '../../types/hyperloglog.js';
import { addKey, unshare, writeString } from '../string/common.js';
import { readHll, sparseMaxBytes } from './common.js';

export const PFMERGE = {
  name: 'pfmerge', group: 'hyperloglog', summary: 'Merge N different HyperLogLogs into a single one.', since: '2.8.9',
  complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
  arity: -2, flags: ['write', 'denyoom'], acl: ['hyperloglog'],
  keySpecs: [keyRange(1, ['RW', 'access', 'insert']), keyRange(2, ['RO', 'access'], -1)],
  arguments: [
    { name: 'destkey', type: 'key', key_spec_index: 0 },
    { name: 'sourcekey', type: 'key', key_spec_index: 1, multiple: true },
  ],
  handler(c, argv) {
    const max = new Uint8Array(HLL_REGISTERS);
    let useDense = false;
    for (let j = 1; j < argv.length; j++) {
      const v = readHll(c, argv[j]!);
      if (v === false) return;
      if (v === null) continue;
      const enc = typeof v === 'string' ? v.charCodeAt(4) : v.buf[4];
      if (enc === HLL_DENSE) useDense = true;
      if (!merge(max, v)) { c.error(ERR_INVALID_HLL); return; }
    }
    const key = argv[1]!;
    // checked above as the first input: a HLL or missing
    const v = writeString(c, key) as string | MutableString | null;
    let m: MutableString;
    if (v === null) {
      m = createHll();
      addKey(c, key, m);
    } else {
      m = unshare(c.db, key, v);
    }
    if (useDense && !sparseToDense(m)) { c.error(ERR_INVALID_HLL); return; }
    applyMax(m, max, sparseMaxBytes(c));
    invalidateCache(m);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'pfadd');
    c.ok();
  },
} as const satisfies CommandDef;
