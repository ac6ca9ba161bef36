#!/usr/bin/env node
/*
 * The cache SDK (nodis/cache) in one process:
 *   l1        getOrSet served from L1 (one await per call, KEYS keys rotating): ops/s, target ≥ 2M/s
 *   l2        getOrSet served from Redis (l1: false), CONC calls in flight, vs
 *   raw       plain ioredis GET of the same keys, same concurrency: target l2 within 10% of raw
 *   rawap     the same on an ioredis client with enableAutoPipelining (as the cache's own connection has)
 * Rounds alternate l2 and raw, ROUNDS times; medians are reported.
 *
 * Usage: node bench/e2e/cache.mjs   (env: SECS, ROUNDS, KEYS, CONC, PORT — use a running server instead of spawning nodis-server)
 * Needs a build (npm run build). Run it on an otherwise idle machine.
 */
import { Redis } from 'ioredis';
import { sleep, median, fmt, cacheBench } from './lib.mjs';

const { createCache, SECS, ROUNDS, KEYS, CONC, port } = await cacheBench();

const url = `redis://127.0.0.1:${port}`;
const keys = Array.from({ length: KEYS }, (_, i) => `bench:${i}`);
const value = { id: 1, name: 'ada lovelace', tags: ['a', 'b'], score: 42.5 };
const loader = async () => value;

async function coherent(c) { while (!c.isCoherent) await sleep(5); return c; }

// ---- l1 -------------------------------------------------------------------------------------
async function benchL1() {
  const c = await coherent(createCache({ url, namespace: 'bench', l1: { maxEntries: KEYS * 2 }, ttl: 3_600_000 }));
  for (const k of keys) await c.getOrSet(k, loader);
  const end = performance.now() + SECS * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 10_000; i++) await c.getOrSet(keys[i % KEYS], loader);
    n += 10_000;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  const s = c.stats();
  await c.close();
  if (s.l2Hits + s.loaderCalls > KEYS * 2) throw new Error('not served from L1');
  return rate;
}

// ---- l2 and raw ------------------------------------------------------------------------------
async function loop(call) {
  const end = performance.now() + SECS * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async (_, w) => {
    let i = w;
    while (performance.now() < end) { await call(keys[i % KEYS]); i += CONC; n++; }
  }));
  return n / ((performance.now() - t0) / 1000);
}

const l2 = await coherent(createCache({ url, namespace: 'bench', l1: false, ttl: 3_600_000, beta: 0, timeout: 1000 }));
for (const k of keys) await l2.set(k, value);
const raw = new Redis(port);
const rawap = new Redis(port, { enableAutoPipelining: true });
await loop((k) => l2.getOrSet(k, loader)); // warm-up
await loop((k) => raw.get(`bench:${k}`));

const r = { l1: [], l2: [], raw: [], rawap: [] };
for (let round = 0; round < ROUNDS; round++) {
  r.l2.push(await loop((k) => l2.getOrSet(k, loader)));
  r.raw.push(await loop((k) => raw.get(`bench:${k}`)));
  r.rawap.push(await loop((k) => rawap.get(`bench:${k}`)));
  r.l1.push(await benchL1());
  console.log(`round ${round + 1}: l1 ${fmt(r.l1.at(-1))} ops/s   l2 ${fmt(r.l2.at(-1))} ops/s   raw GET ${fmt(r.raw.at(-1))} ops/s   raw GET (auto-pipelined) ${fmt(r.rawap.at(-1))} ops/s`);
}
const st = l2.stats();
if (st.loaderCalls > 0 || st.l2Hits === 0) console.log(`warning: l2 loader calls ${st.loaderCalls}`);
console.log(`\nmedian of ${ROUNDS} (${SECS} s each, ${KEYS} keys, ${CONC} in flight for l2/raw):`);
console.log(`  L1-hit getOrSet       ${fmt(median(r.l1))} ops/s   (target ≥ 2,000,000)`);
console.log(`  L2-hit getOrSet       ${fmt(median(r.l2))} ops/s`);
console.log(`  raw ioredis GET       ${fmt(median(r.raw))} ops/s   l2/raw = ${(median(r.l2) / median(r.raw) * 100).toFixed(1)}% (target ≥ 90%)`);
console.log(`  raw GET, autopipelined ${fmt(median(r.rawap))} ops/s   l2/this = ${(median(r.l2) / median(r.rawap) * 100).toFixed(1)}%`);
await l2.close();
raw.disconnect();
rawap.disconnect();
