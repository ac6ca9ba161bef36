#!/usr/bin/env node
/*
 * nodis/cache vs bentocache (npm, the tiered cache most used in Node today), same Nodis server, same scenarios:
 *   l1         getOrSet served from the in-process tier: ops/s (one await per call, KEYS keys rotating)
 *   l2         getOrSet served from Redis (no in-process tier), CONC calls in flight: ops/s
 *   stampede   CONC concurrent getOrSet of one cold key in one instance: loader calls (want 1)
 *   two        two instances (separate connections: two processes as far as Redis knows), CONC calls each on one
 *              cold key: loader calls in all (want 1)
 *   coherence  instance A sets a key B holds in its in-process tier; ms until B reads the new value (median, p99)
 * Rounds alternate the two libraries, ROUNDS times; medians are reported.
 *
 * Usage: node bench/e2e/cache-vs-bentocache.mjs   (env: SECS, ROUNDS, KEYS, CONC, PORT)
 * Needs a build (npm run build) and the dev dependency bentocache. Run it on an otherwise idle machine.
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver, redisBusDriver } from 'bentocache/drivers/redis';
import { sleep, median, pct, fmt, cacheBench } from './lib.mjs';

const { createCache, SECS, ROUNDS, KEYS, CONC, port } = await cacheBench();
const connection = { host: '127.0.0.1', port };
const value = { id: 1, name: 'ada lovelace', tags: ['a', 'b'], score: 42.5 };
let seq = 0;
const RUN = Date.now().toString(36);

/** one library behind a common face: getOrSet(key, loader), set(key, v), get(key), close() */
function make(lib, ns, { l1 = true } = {}) {
  if (lib === 'nodis') {
    const c = createCache({ url: `redis://127.0.0.1:${port}`, namespace: ns, l1: l1 ? { maxEntries: KEYS * 2 } : false, ttl: 3_600_000 });
    return {
      ready: async () => { while (l1 && !c.isCoherent) await sleep(5); },
      getOrSet: (k, f) => c.getOrSet(k, f), set: (k, v) => c.set(k, v), get: (k) => c.get(k), close: () => c.close(),
    };
  }
  const store = bentostore();
  if (l1) store.useL1Layer(memoryDriver({ maxItems: KEYS * 2 }));
  store.useL2Layer(redisDriver({ connection }));
  if (l1) store.useBus(redisBusDriver({ connection }));
  const b = new BentoCache({ default: 'main', stores: { main: store }, prefix: ns, ttl: '1h' });
  return {
    ready: async () => { await sleep(50); },
    getOrSet: (k, f) => b.getOrSet({ key: k, factory: f }), set: (k, v) => b.set({ key: k, value: v }), get: (k) => b.get({ key: k }),
    close: () => b.disconnect(),
  };
}

async function rate(c, keys, conc) {
  const loader = async () => value;
  for (const k of keys) await c.getOrSet(k, loader);
  const end = performance.now() + SECS * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async (_, w) => {
    let i = w;
    while (performance.now() < end) { for (let j = 0; j < 100; j++) { await c.getOrSet(keys[i % keys.length], loader); i += conc; } n += 100; }
  }));
  return n / ((performance.now() - t0) / 1000);
}

async function stampede(cs) {
  let calls = 0;
  const key = `cold:${++seq}`;
  const loader = async () => { calls++; await sleep(50); return value; };
  await Promise.all(cs.flatMap((c) => Array.from({ length: CONC }, () => c.getOrSet(key, loader))));
  return calls;
}

async function coherence(a, b, trials = 50) {
  const ms = [];
  for (let i = 0; i < trials; i++) {
    const key = `coh:${i}`;
    await a.set(key, 0);
    await b.getOrSet(key, async () => 0);
    await sleep(5);
    const t0 = performance.now();
    await a.set(key, 1);
    while ((await b.get(key)) !== 1) { if (performance.now() - t0 > 2000) break; await sleep(0.2); }
    ms.push(performance.now() - t0); if (process.env.DEBUG) process.stderr.write(`${i}:${(performance.now() - t0).toFixed(1)} `);
  }
  return ms;
}

const keys = Array.from({ length: KEYS }, (_, i) => `k:${i}`);
const res = { nodis: { l1: [], l2: [], stampede: [], two: [], coh: [] }, bento: { l1: [], l2: [], stampede: [], two: [], coh: [] } };
for (let r = 0; r < ROUNDS; r++) {
  for (const lib of ['nodis', 'bento']) {
    const ns = `cmp${RUN}-${++seq}`;
    const a = make(lib, ns); await a.ready();
    res[lib].l1.push(await rate(a, keys, 1));
    res[lib].stampede.push(await stampede([a]));
    const b = make(lib, ns); await b.ready();
    res[lib].two.push(await stampede([a, b]));
    res[lib].coh.push(...await coherence(a, b));
    await a.close(); await b.close();
    const n = make(lib, `${ns}l2`, { l1: false }); await n.ready();
    res[lib].l2.push(await rate(n, keys, CONC));
    await n.close();
    process.stderr.write(`round ${r + 1} ${lib} done\n`);
  }
}
console.log(`keys=${KEYS} conc=${CONC} secs=${SECS} rounds=${ROUNDS} (medians)`);
console.log('scenario                      nodis/cache      bentocache');
console.log(`l1 getOrSet ops/s         ${fmt(median(res.nodis.l1)).padStart(15)} ${fmt(median(res.bento.l1)).padStart(15)}`);
console.log(`l2 getOrSet ops/s         ${fmt(median(res.nodis.l2)).padStart(15)} ${fmt(median(res.bento.l2)).padStart(15)}`);
console.log(`stampede, 1 instance      ${String(median(res.nodis.stampede)).padStart(15)} ${String(median(res.bento.stampede)).padStart(15)}   loader calls for ${CONC} concurrent calls`);
console.log(`stampede, 2 instances     ${String(median(res.nodis.two)).padStart(15)} ${String(median(res.bento.two)).padStart(15)}   loader calls for 2 x ${CONC}`);
console.log(`coherence p50 / p99 ms    ${(median(res.nodis.coh).toFixed(2) + ' / ' + pct(res.nodis.coh, 0.99).toFixed(2)).padStart(15)} ${(median(res.bento.coh).toFixed(2) + ' / ' + pct(res.bento.coh, 0.99).toFixed(2)).padStart(15)}`);
process.exit(0);
