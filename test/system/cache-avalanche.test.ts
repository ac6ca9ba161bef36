/*
 * Avalanche: 100k keys written together must not expire together. TTL jitter
 * (±10% by default) spreads the stored PTTLs: in 20 equal buckets over their
 * range, the fullest bucket holds at most twice the mean.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';
import { createCache, type Cache } from '../../src/cache/index.js';

let server: RunningServer;
let cache: Cache;
let raw: Redis;
before(async () => {
  server = await startNodis();
  raw = new Redis(server.port);
  cache = createCache({ url: `redis://127.0.0.1:${server.port}`, namespace: 'av', timeout: 10_000 });
});
after(async () => { raw.disconnect(); await cache.close(); await server.close(); });

test('100k keys written together get PTTLs spread by jitter (peak bucket ≤ 2 × mean)', async () => {
  const N = 100_000, TTL = 600_000; // jitter ±60 s, far wider than the seconds the writes take
  const t0 = performance.now();
  for (let b = 0; b < N; b += 2000) {
    await Promise.all(Array.from({ length: Math.min(2000, N - b) }, (_, j) => cache.set(`k${b + j}`, b + j, { ttl: TTL })));
  }
  const wrote = performance.now() - t0;
  const pttls: number[] = [];
  for (let b = 0; b < N; b += 5000) {
    const p = raw.pipeline();
    for (let i = b; i < b + 5000; i++) p.pttl(`av:k${i}`);
    for (const [err, v] of (await p.exec())!) { assert.equal(err, null); pttls.push(v as number); }
  }
  const min = Math.min(...pttls), max = Math.max(...pttls);
  const buckets = new Array<number>(20).fill(0);
  for (const t of pttls) buckets[Math.min(19, Math.floor((t - min) / (max - min) * 20))]!++;
  const mean = N / 20, peak = Math.max(...buckets);
  console.log(`# ${N} keys written in ${(wrote / 1000).toFixed(1)} s; PTTL ${min}..${max} ms; buckets ${buckets.join(' ')}; peak/mean ${(peak / mean).toFixed(2)}`);
  assert.ok(min >= 0.9 * TTL - 30_000 && max <= 1.1 * TTL);
  assert.ok(max - min >= 0.15 * TTL, 'spread over most of ±10%');
  assert.ok(peak <= 2 * mean, `peak ${peak} > 2 × ${mean}`);
});
