/*
 * Fail-open: a spawned nodis-server is SIGSTOPped. Cached keys (fresh in L1,
 * or stale in L1 within grace) are served within timeout + a few ms with no
 * error, uncached keys come from the loader, the breaker opens and later calls
 * fail fast. After SIGCONT the cache is back to normal within a second.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { spawnOnFreePort } from '../helpers/servers.js';
import { createCache, type Cache } from '../../src/cache/index.js';
import { sleep } from './cache-helpers.js';

let proc: ChildProcess;
let port: number;
let cache: Cache;
let raw: Redis;
const TIMEOUT = 50;
/** Timer lateness allowed on a loaded 2-core machine. */
const SLACK = 30;

before(async () => {
  ({ port, proc } = await spawnOnFreePort((p) => spawn(process.execPath,
    [path.resolve('bin/nodis-server'), '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })));
  cache = createCache({ url: `redis://127.0.0.1:${port}`, namespace: 'fo', timeout: TIMEOUT, breaker: { threshold: 3, coolDown: 300 } });
  raw = new Redis(port);
  raw.on('error', () => {});
  const until = Date.now() + 5000;
  while (!cache.isCoherent && Date.now() < until) await sleep(5);
});
after(async () => {
  if (proc.exitCode === null && proc.signalCode === null) { proc.kill('SIGCONT'); proc.kill('SIGKILL'); await new Promise((r) => proc.once('exit', r)); }
  raw.disconnect();
  await cache.close();
});

/*
 * Prime L1. A priming call that itself timed out (a loaded machine, 50 ms) fell back to the
 * loader and left a fallback-only entry, so each key is read again until it is an L1 hit.
 */
async function prime(key: string, v: string, o: { ttl: number; grace?: number }): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await cache.getOrSet(key, () => v, o);
    const hits = cache.stats().l1Hits;
    await cache.getOrSet(key, () => v, o);
    if (cache.stats().l1Hits > hits) return;
    await sleep(20);
  }
  assert.fail(`${key} never became an L1 hit`);
}

test('Redis stopped: cached keys within timeout, uncached from the loader, no errors; normal within 1 s of SIGCONT', async () => {
  const errors: unknown[] = [];
  for (let i = 0; i < 10; i++) await prime(`fresh${i}`, `F${i}`, { ttl: 60_000 });
  for (let i = 0; i < 10; i++) await prime(`graced${i}`, `G${i}`, { ttl: 200, grace: 60_000 });
  await sleep(260); // graced* are now stale (in L1 and in Redis)
  const until = Date.now() + 3000;
  while (cache.stats().breaker !== 'closed' && Date.now() < until) { await cache.get('probe'); await sleep(50); }
  assert.equal(cache.stats().breaker, 'closed');
  const errorsBefore = cache.stats().errors;

  proc.kill('SIGSTOP');
  const lat = { fresh: [] as number[], graced: [] as number[], uncached: [] as number[] };
  const time = async <T>(bucket: number[], f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await f(); } catch (e) { errors.push(e); throw e; } finally { bucket.push(performance.now() - t0); }
  };
  for (let i = 0; i < 10; i++) {
    assert.equal(await time(lat.fresh, () => cache.getOrSet(`fresh${i}`, () => 'loader!')), `F${i}`);
    assert.equal(await time(lat.graced, () => cache.getOrSet(`graced${i}`, () => 'loader!')), `G${i}`);
    assert.equal(await time(lat.uncached, () => cache.getOrSet(`new${i}`, async () => `N${i}`)), `N${i}`);
  }
  const s = cache.stats();
  const f = (xs: number[]): string => `max ${Math.max(...xs).toFixed(1)} ms, first ${xs[0]!.toFixed(1)} ms, last ${xs.at(-1)!.toFixed(1)} ms`;
  console.log(`# stopped server, timeout ${TIMEOUT} ms: fresh L1 ${f(lat.fresh)}; stale L1 ${f(lat.graced)}; uncached (loader) ${f(lat.uncached)}; breaker ${s.breaker}, Redis errors counted ${s.errors - errorsBefore}, stale served ${s.staleServed}`);
  assert.equal(errors.length, 0);
  assert.ok(Math.max(...lat.fresh) < 20, f(lat.fresh)); // no Redis call at all; the bound only absorbs scheduling on a loaded machine
  assert.ok(Math.max(...lat.graced) <= TIMEOUT + SLACK, f(lat.graced));
  assert.ok(Math.max(...lat.uncached) <= TIMEOUT + SLACK, f(lat.uncached));
  assert.equal(s.breaker, 'open');
  assert.ok(s.staleServed >= 10);
  // open: no command is sent, except one probe per cool-down (bounded by the timeout)
  const t0 = performance.now();
  await cache.getOrSet('new-fast', async () => 1);
  assert.ok(performance.now() - t0 <= TIMEOUT + SLACK, `${performance.now() - t0} ms with the breaker open`);
  assert.equal(await cache.get('never'), undefined);

  proc.kill('SIGCONT');
  const resumed = performance.now();
  await raw.set('fo:probe', JSON.stringify({ v: 'from-redis', e: Date.now() + 60_000, g: Date.now() + 60_000 }));
  let back = -1;
  while (performance.now() - resumed < 3000) {
    if (await cache.get('probe') === 'from-redis' && cache.stats().breaker === 'closed') { back = performance.now() - resumed; break; }
    await sleep(10);
  }
  console.log(`# after SIGCONT: L2 served again after ${back.toFixed(0)} ms`);
  assert.ok(back >= 0 && back <= 1000, `normal again after ${back} ms`);
  // a stale key is refreshed by its loader again (one lease holder)
  let loads = 0;
  assert.equal(await cache.getOrSet('graced0', async () => { loads++; return 'G0-new'; }, { ttl: 60_000, timeouts: { soft: 500 } }), 'G0-new');
  assert.equal(loads, 1);
});

test('Redis killed: L1 is flushed for serving, yet its values still answer (fail-open) without errors', async () => {
  await prime('kept', 'K', { ttl: 60_000 });
  const l1Before = cache.stats().l1Hits;
  const flushes = cache.stats().l1Flushes;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await gone;
  const until = Date.now() + 3000;
  while (cache.stats().l1Flushes === flushes && Date.now() < until) await sleep(5);
  assert.ok(cache.stats().l1Flushes > flushes, 'L1 flushed on the dropped connection');
  assert.equal(cache.isCoherent, false);
  const t0 = performance.now();
  assert.equal(await cache.getOrSet('kept', () => 'loader!'), 'K'); // a fallback, not an L1 hit
  assert.equal(await cache.getOrSet('unseen', async () => 'U'), 'U');
  const took = performance.now() - t0;
  console.log(`# killed server: cached key and uncached key answered in ${took.toFixed(1)} ms together; L1 flushes ${cache.stats().l1Flushes - flushes}`);
  assert.equal(cache.stats().l1Hits, l1Before);
  assert.ok(took <= 2 * (TIMEOUT + SLACK), `${took} ms`); // two calls, each bounded by the timeout
});
