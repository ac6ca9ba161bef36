/*
 * The cache SDK on a real redis-server (skipped without one): tracking
 * coherence between two instances (CLIENT TRACKING REDIRECT in RESP2, BCAST,
 * NOLOOP), the lease (single load under concurrency), tags, the Bloom filter
 * (BITFIELD) and negative caching work there as they do on Nodis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { skipWithoutRedis, startRedis, type RedisProcess } from '../helpers/servers.js';
import { sleep, until } from './cache-helpers.js';
import { createCache, type Cache } from '../../src/cache/index.js';


describe('cache SDK on redis-server', { skip: skipWithoutRedis() }, () => {
  let redis: RedisProcess;
  let a: Cache, b: Cache;
  let raw: Redis;
  before(async () => {
    redis = await startRedis();
    raw = new Redis(redis.port);
    a = createCache({ url: `redis://127.0.0.1:${redis.port}`, namespace: 'rr', timeout: 1000 });
    b = createCache({ redis: new Redis(redis.port), namespace: 'rr', timeout: 1000 }); // an existing client
    await until(() => a.isCoherent && b.isCoherent, 'coherence');
  });
  after(async () => {
    await a?.close();
    if (b) { await b.close(); b.redis.disconnect(); }
    raw?.disconnect();
    await redis?.close();
  });

  test('tracking coherence, lease, tags, negative caching and Bloom on Redis', async () => {
    assert.equal(a.stats().coherence, 'tracking');
    assert.equal(b.stats().coherence, 'tracking');
    const info = await raw.client('LIST') as string;
    assert.match(info, /flags=t/); // a tracking client

    // coherence
    const inv = b.stats().invalidations;
    await a.set('k', 1);
    await until(() => b.stats().invalidations > inv, 'the invalidation');
    assert.equal(await b.get('k'), 1);
    assert.equal(await b.get('k'), 1);
    assert.equal(b.stats().l1Hits, 1);
    await a.set('k', 2);
    await until(async () => (await b.get('k')) === 2, 'b sees 2');

    // one load across both instances for a cold key
    let loads = 0;
    const loader = async (): Promise<string> => { loads++; await sleep(100); return 'v'; };
    const r = await Promise.all([...Array.from({ length: 50 }, () => a.getOrSet('cold', loader)), ...Array.from({ length: 50 }, () => b.getOrSet('cold', loader))]);
    assert.ok(r.every((x) => x === 'v'));
    assert.equal(loads, 1);
    await until(async () => (await raw.exists('rr#lease:rr:cold')) === 0, 'the lease released');

    // tags
    await a.set('t1', 'x', { tags: ['g'] });
    assert.equal(await b.get('t1'), 'x');
    await b.deleteByTag('g');
    await until(async () => (await a.get('t1')) === undefined, 'the tag bump');

    // negative caching
    let miss = 0;
    assert.equal(await a.getOrSet('none', () => { miss++; return undefined; }), undefined);
    assert.equal(await b.getOrSet('none', () => { miss++; return undefined; }), undefined);
    assert.equal(miss, 1);

    // Bloom filter
    const c = createCache({ url: `redis://127.0.0.1:${redis.port}`, namespace: 'rb', bloom: { key: 'rb#bloom', bits: 4096, hashes: 3 }, timeout: 1000 });
    try {
      await c.addToBloom(['id1']);
      assert.equal(await c.mightContain('id1'), true);
      assert.equal(await c.mightContain('id2'), false);
    } finally { await c.close(); }

    // FLUSHALL: null invalidation flushes L1
    const flushes = b.stats().l1Flushes;
    await raw.flushall();
    await until(() => b.stats().l1Flushes > flushes, 'flush');
  });
});
