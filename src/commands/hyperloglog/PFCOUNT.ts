/*
 * PFCOUNT key [key ...]: the estimated cardinality.
 *
 * One key: the cached cardinality when valid, else computed and written back
 * into the header. Writing the cache changes the string, so, as Redis, that
 * signals the key modified (WATCH, tracking) and counts as dirty: the command
 * is then propagated (it is flagged may_replicate, not write, so it still
 * runs on a read-only replica, and CLIENT PAUSE WRITE holds it). No event.
 *
 * Several keys: the cardinality of their union, from the registers' maximum
 * (missing keys count as empty); nothing is written.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_INVALID_HLL } from '../../protocol/errors.js';
import { HLL_REGISTERS, cachedCard, count, countRaw, merge, setCachedCard } from '../../types/hyperloglog.js';
import { unshare } from '../string/common.js';
import { readHll, replyCard } from './common.js';

export const PFCOUNT = {
  name: 'pfcount', group: 'hyperloglog', summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).', since: '2.8.9',
  complexity: 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
  arity: -2, flags: ['readonly', 'may_replicate'], acl: ['hyperloglog'],
  keySpecs: [{ ...keyRange(1, ['RW', 'access'], -1), notes: 'RW because it may change the internal representation of the key, and propagate to replicas' }],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0, multiple: true },
  ],
  handler(c, argv) {
    if (argv.length > 2) {
      const max = new Uint8Array(HLL_REGISTERS);
      for (let j = 1; j < argv.length; j++) {
        const v = readHll(c, argv[j]!);
        if (v === false) return;
        if (v === null) continue;
        if (!merge(max, v)) { c.error(ERR_INVALID_HLL); return; }
      }
      replyCard(c, countRaw(max));
      return;
    }
    const key = argv[1]!;
    const v = readHll(c, key);
    if (v === false) return;
    if (v === null) { c.int(0); return; }
    const m = unshare(c.db, key, v);
    let card = cachedCard(m);
    if (card === null) {
      card = count(m);
      if (card === null) { c.error(ERR_INVALID_HLL); return; }
      setCachedCard(m, card);
      const rec = c.server.recorder;
      rec.keyModified(c.db, key);
      rec.dirty++;
    }
    replyCard(c, card);
  },
} as const satisfies CommandDef;
