/*
 * zrandmemberWithCountCommand: ZRANDMEMBER key count [WITHSCORES] with Redis's
 * cases: negative count = that many picks with repetition; count >= size =
 * the whole set in descending order (Redis's iterator walks from the tail); otherwise distinct random members (a partial
 * Fisher-Yates over the ranks). Picks by rank: O(log n) each on big sets.
 */
import type { Client } from '../../server/client.js';
import type { ZSet } from '../../types/zset.js';
import { minBulkBytes } from '../args.js';

export function zrandmemberWithCount(c: Client, z: ZSet, l: number, withscores: boolean): void {
  const pairs = withscores && c.resp > 2;
  const emit = (m: string, s: number): void => {
    if (pairs) c.array(2);
    c.bulk(m);
    if (withscores) c.double(s);
  };
  const uniq = l >= 0;
  const count = Math.abs(l);
  if (count === 0) { c.array(0); return; }
  const size = z.size;
  if (!uniq || count === 1) {
    if (count > size) {
      const ms: string[] = [];
      z.each(0, size, false, (m) => { ms.push(m); });
      // a score is at least 4 bytes on the wire (",1\r\n"; "$1\r\n1\r\n" in RESP2)
      if (c.overflowsWith(count * (minBulkBytes(ms) + (withscores ? 4 : 0)))) return;
    }
    c.array(withscores && c.resp === 2 ? count * 2 : count);
    if (!z.big) {
      const ms: string[] = [];
      const ss: number[] = [];
      z.each(0, size, false, (m, s) => { ms.push(m); ss.push(s); });
      for (let i = 0; i < count && !c.closeAsap; i++) { const r = Math.floor(Math.random() * size); emit(ms[r]!, ss[r]!); }
    } else {
      for (let i = 0; i < count && !c.closeAsap; i++) z.each(Math.floor(Math.random() * size), 1, false, emit);
    }
    return;
  }
  const n = count < size ? count : size;
  c.array(withscores && c.resp === 2 ? n * 2 : n);
  if (count >= size) { z.each(size - 1, size, true, emit); return; } // zuiNext walks from the tail
  if (count * 3 > size || !z.big) {
    const ranks = new Array<number>(size);
    for (let i = 0; i < size; i++) ranks[i] = i;
    for (let i = 0; i < n; i++) {
      const k = i + Math.floor(Math.random() * (size - i));
      const t = ranks[i]!; ranks[i] = ranks[k]!; ranks[k] = t;
    }
    const chosen = ranks.slice(0, n).sort((a, b) => a - b);
    if (z.big) for (const r of chosen) z.each(r, 1, false, emit);
    else {
      const ms: string[] = [];
      const ss: number[] = [];
      z.each(0, size, false, (m, s) => { ms.push(m); ss.push(s); });
      for (let k = 0; k < n; k++) emit(ms[chosen[k]!]!, ss[chosen[k]!]!);
    }
    return;
  }
  const picked = new Set<number>();
  while (picked.size < n) {
    const r = Math.floor(Math.random() * size);
    if (picked.has(r)) continue;
    picked.add(r);
    z.each(r, 1, false, emit);
  }
}
