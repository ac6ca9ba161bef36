/*
 * Cache penetration: 100k getOrSet of random missing ids (drawn from 10k
 * ids); negative caching keeps loader calls ≤ unique ids. Seeded; the seed is
 * printed (CACHE_SEED replays). The id space is 10k rather than larger because
 * each load releases its lease with a script and Nodis runs about 1,000
 * EVALSHA/s on this machine.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';
import { createCache, type Cache } from '../../src/cache/index.js';
import { rng, coherent, runPool as run } from './cache-helpers.js';

let server: RunningServer;
const caches: Cache[] = [];
const SEED = Number(process.env['CACHE_SEED'] ?? 1206);

before(async () => { server = await startNodis(); });
after(async () => { for (const c of caches) await c.close(); await server.close(); });



test('100k lookups of random missing ids: loader calls ≤ unique ids (negative caching)', async () => {
  const c = await coherent(createCache({ url: `redis://127.0.0.1:${server.port}`, namespace: 'pen', timeout: 10_000, negativeTtl: 60_000 }), caches);
  const r = rng(SEED);
  const ids = Array.from({ length: 100_000 }, () => `user:${Math.floor(r() * 10_000)}`);
  const unique = new Set(ids).size;
  let loads = 0;
  const t0 = performance.now();
  await run(ids.length, 100, async (i) => {
    const v = await c.getOrSet(ids[i]!, async () => { loads++; return undefined; });
    assert.equal(v, undefined);
  });
  const s = c.stats();
  console.log(`# seed ${SEED}: 100000 lookups, ${unique} unique missing ids, loader calls ${loads}, L1 hits ${s.l1Hits}, L2 hits ${s.l2Hits}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok(loads <= unique, `${loads} > ${unique}`);
});
