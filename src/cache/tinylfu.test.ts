/*
 * W-TinyLFU against a plain LRU of the same size on Zipf traces (α 0.7, 0.9,
 * 1.1; L1 at 1%, 5%, 10% of the key space): the hit ratio must be at least
 * the LRU's. Seeded, so a failure replays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WTinyLfu, Lru, type BoundedStore } from './tinylfu.js';

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n draws from a Zipf(α) distribution over `keys` ranks, ranks shuffled so key names carry no order. */
function zipfTrace(keys: number, alpha: number, n: number, seed: number): string[] {
  const r = rng(seed);
  const cdf = new Float64Array(keys);
  let sum = 0;
  for (let i = 0; i < keys; i++) { sum += 1 / Math.pow(i + 1, alpha); cdf[i] = sum; }
  const perm = Array.from({ length: keys }, (_, i) => i);
  for (let i = keys - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [perm[i], perm[j]] = [perm[j]!, perm[i]!]; }
  const out: string[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const u = r() * sum;
    let lo = 0, hi = keys - 1;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (cdf[mid]! < u) lo = mid + 1; else hi = mid; }
    out[j] = `k${perm[lo]}`;
  }
  return out;
}

function hitRatio(store: BoundedStore<number>, trace: string[]): number {
  let hits = 0;
  for (const k of trace) {
    if (store.get(k) !== undefined) hits++;
    else store.set(k, 1);
  }
  return hits / trace.length;
}

test('W-TinyLFU hit ratio ≥ LRU on Zipf traces', () => {
  const keys = 20_000, n = 200_000, seed = 20261206;
  console.log(`# seed ${seed}, ${keys} keys, ${n} accesses`);
  for (const alpha of [0.7, 0.9, 1.1]) {
    const trace = zipfTrace(keys, alpha, n, seed + Math.round(alpha * 10));
    for (const pct of [1, 5, 10]) {
      const cap = keys * pct / 100;
      const lfu = hitRatio(new WTinyLfu<number>(cap), trace);
      const lru = hitRatio(new Lru<number>(cap), trace);
      console.log(`# alpha ${alpha} size ${pct}%: W-TinyLFU ${(lfu * 100).toFixed(2)}%  LRU ${(lru * 100).toFixed(2)}%`);
      assert.ok(lfu >= lru, `alpha ${alpha} size ${pct}%: W-TinyLFU ${lfu} < LRU ${lru}`);
    }
  }
});

test('W-TinyLFU stays within capacity and keeps a hot key through a scan', () => {
  const c = new WTinyLfu<number>(100);
  for (let i = 0; i < 50; i++) c.get('hot'), c.set('hot', 1);
  for (let i = 0; i < 10_000; i++) {
    c.get(`scan${i}`); c.set(`scan${i}`, i); assert.ok(c.size() <= 100);
    if (i % 50 === 0) assert.equal(c.get('hot'), 1, `hot key evicted by the scan at ${i}`);
  }
  assert.equal(c.peek('hot'), 1);
  assert.equal(c.hottest(1)[0], 'hot');
  assert.equal(c.delete('hot'), true);
  assert.equal(c.peek('hot'), undefined);
  c.clear();
  assert.equal(c.size(), 0);
});
