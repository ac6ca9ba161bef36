/*
 * PFDEBUG <subcommand> key: GETREG (the 16384 registers; turns a sparse HLL
 * dense), DECODE (the sparse opcodes as text), ENCODING, TODENSE. The key is
 * looked up and checked before the subcommand is (an unknown subcommand on a
 * missing key says the key does not exist). A conversion counts as dirty
 * (propagated, as Redis forces it) with no event or modified signal.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_HLL_NOT_SPARSE, ERR_INVALID_HLL, ERR_PFDEBUG_NO_KEY, errPfdebugSubcommand } from '../../protocol/errors.js';
import { HLL_HDR_SIZE, HLL_REGISTERS, HLL_SPARSE, decodeSparse, denseGet, sparseToDense } from '../../types/hyperloglog.js';
import { unshare } from '../string/common.js';
import { writeHll } from './common.js';

export const PFDEBUG = {
  name: 'pfdebug', group: 'hyperloglog', summary: 'Internal commands for debugging HyperLogLog values', since: '2.8.9',
  complexity: 'N/A', docFlags: ['syscmd'],
  arity: 3, flags: ['write', 'denyoom', 'admin'], acl: ['hyperloglog'],
  keySpecs: [keyRange(2, ['RW', 'access'])],
  arguments: [
    { name: 'subcommand', type: 'string' },
    { name: 'key', type: 'key', key_spec_index: 0 },
  ],
  handler(c, argv) {
    const sub = argv[1]!;
    const key = argv[2]!;
    const v = writeHll(c, key);
    if (v === false) return;
    if (v === null) { c.error(ERR_PFDEBUG_NO_KEY); return; }
    const m = unshare(c.db, key, v);
    const rec = c.server.recorder;
    switch (sub.toLowerCase()) {
      case 'getreg': {
        if (m.buf[4] === HLL_SPARSE) {
          if (!sparseToDense(m)) { c.error(ERR_INVALID_HLL); return; }
          rec.dirty++;
        }
        c.array(HLL_REGISTERS);
        for (let j = 0; j < HLL_REGISTERS; j++) c.int(denseGet(m.buf, HLL_HDR_SIZE, j));
        return;
      }
      case 'decode':
        if (m.buf[4] !== HLL_SPARSE) { c.error(ERR_HLL_NOT_SPARSE); return; }
        c.bulk(decodeSparse(m));
        return;
      case 'encoding':
        c.simple(m.buf[4] === HLL_SPARSE ? 'sparse' : 'dense');
        return;
      case 'todense': {
        let conv = 0;
        if (m.buf[4] === HLL_SPARSE) {
          if (!sparseToDense(m)) { c.error(ERR_INVALID_HLL); return; }
          conv = 1;
          rec.dirty++;
        }
        c.int(conv);
        return;
      }
      default:
        c.error(errPfdebugSubcommand(sub));
    }
  },
} as const satisfies CommandDef;
