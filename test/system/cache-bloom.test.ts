/*
 * Cache penetration with the Bloom filter: 10k existing ids added to a
 * 2^17-bit filter with 7 hashes; 100k lookups of distinct missing ids reach
 * the loader at most false-positive-rate × N + slack times, and present ids
 * always do.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';
import { createCache, type Cache } from '../../src/cache/index.js';
import { coherent, runPool as run } from './cache-helpers.js';

let server: RunningServer;
const caches: Cache[] = [];

before(async () => { server = await startNodis(); });
after(async () => { for (const c of caches) await c.close(); await server.close(); });


test('Bloom filter: 100k lookups of distinct missing ids → loader calls ≤ FPR × N + slack', async () => {
  const bits = 1 << 17, hashes = 7, present = 10_000, N = 100_000;
  const c = await coherent(createCache({ url: `redis://127.0.0.1:${server.port}`, namespace: 'bl', timeout: 10_000, bloom: { key: 'bl#bloom', bits, hashes } }), caches);
  await c.addToBloom(Array.from({ length: present }, (_, i) => `user:e${i}`));
  const fpr = Math.pow(1 - Math.exp(-hashes * present / bits), hashes);
  let loads = 0;
  const t0 = performance.now();
  await run(N, 100, async (i) => {
    await c.getOrSet(`user:m${i}`, async () => { loads++; return undefined; }, { bloom: true });
  });
  let existing = 0;
  for (let i = 0; i < 100; i++) await c.getOrSet(`user:e${i}`, async () => { existing++; return { id: i }; }, { bloom: true });
  const bound = Math.ceil(fpr * N + 50);
  console.log(`# Bloom ${bits} bits, ${hashes} hashes, ${present} ids: theoretical FPR ${(fpr * 100).toFixed(3)}%, loader calls for ${N} missing ids ${loads} (bound ${bound}), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok(loads <= bound, `${loads} > ${bound}`);
  assert.equal(existing, 100, 'present ids always reach the loader');
});
