/*
 * The cache SDK in one process against an in-process Nodis: the API
 * (get/set/delete/getOrSet, negative caching, tags, batches, warm-up, Bloom),
 * errors, timeouts, and L1 coherence between two Cache instances (tracking and
 * the bus fallback), including the flush on FLUSHALL and on a dropped connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';
import { sleep, until } from './cache-helpers.js';
import { createCache, CacheKeyError, CacheSerializationError, CacheTimeoutError, type Cache, type CacheOptions } from '../../src/cache/index.js';


describe('cache SDK against Nodis', () => {
  let server: RunningServer;
  let raw: Redis;
  const caches: Cache[] = [];
  let nsSeq = 0;
  const make = async (o: CacheOptions = {}): Promise<Cache> => {
    const c = createCache({ url: `redis://127.0.0.1:${server.port}`, namespace: `t${nsSeq}`, timeout: 5000, ...o });
    caches.push(c);
    await until(() => c.isCoherent || o.coherence === 'none', 'coherence');
    return c;
  };
  before(async () => { server = await startNodis(); raw = new Redis(server.port); });
  after(async () => { for (const c of caches) await c.close(); raw.disconnect(); await server.close(); });

  test('set/get/delete, a stored null is not a miss, the namespace prefix', async () => {
    nsSeq++;
    const c = await make();
    await c.set('a', { x: 1 });
    assert.deepEqual(await c.get('a'), { x: 1 });
    assert.ok(await raw.get(`t${nsSeq}:a`));
    const pttl = await raw.pttl(`t${nsSeq}:a`);
    assert.ok(pttl > 50_000 && pttl <= 66_000, String(pttl)); // 60 s ± 10%
    await c.set('n', null);
    assert.equal(await c.get('n'), null);
    let loads = 0;
    assert.equal(await c.getOrSet('n', () => { loads++; return 5; }), null);
    assert.equal(loads, 0);
    await c.delete('a');
    assert.equal(await c.get('a'), undefined);
    assert.equal(await raw.exists(`t${nsSeq}:a`), 0);
  });

  test('getOrSet: loads once, then L1; negative caching with its own TTL', async () => {
    nsSeq++;
    const c = await make({ negativeTtl: 300, jitter: 0 });
    let loads = 0;
    const v1 = await c.getOrSet('k', async () => { loads++; return 'v'; });
    const v2 = await c.getOrSet('k', async () => { loads++; return 'w'; });
    assert.equal(v1, 'v'); assert.equal(v2, 'v'); assert.equal(loads, 1);
    assert.equal(c.stats().l1Hits, 1);
    let misses = 0;
    assert.equal(await c.getOrSet('nope', () => { misses++; return undefined; }), undefined);
    assert.equal(await c.getOrSet('nope', () => { misses++; return undefined; }), undefined);
    assert.equal(misses, 1);
    const stored = JSON.parse((await raw.get(`t${nsSeq}:nope`))!) as Record<string, unknown>;
    assert.equal(stored['n'], 1);
    assert.ok(await raw.pttl(`t${nsSeq}:nope`) <= 300);
    await sleep(350);
    assert.equal(await c.getOrSet('nope', () => { misses++; return 7; }), 7);
    assert.equal(misses, 2);
  });

  test('errors: unserializable values, long keys, loader errors release the lease and cache nothing', async () => {
    nsSeq++;
    const c = await make();
    await assert.rejects(c.set('big', { n: 1n }), (e: Error) => e instanceof CacheSerializationError && /BigInt/.test(e.message));
    await assert.rejects(c.getOrSet('big2', () => ({ n: 1n })), CacheSerializationError);
    await until(async () => (await raw.exists(`t${nsSeq}#lease:t${nsSeq}:big2`)) === 0, 'lease released (off the caller\'s path)');
    assert.throws(() => c.getOrSet('x'.repeat(20_000), () => 1), CacheKeyError);
    await assert.rejects(c.getOrSet('boom', () => { throw new Error('db down'); }), /db down/);
    await until(async () => (await raw.exists(`t${nsSeq}#lease:t${nsSeq}:boom`)) === 0, 'lease released');
    assert.equal(await raw.exists(`t${nsSeq}:boom`), 0);
    assert.equal(await c.getOrSet('boom', () => 'ok'), 'ok');
  });

  test('hard timeout rejects, the load still lands; soft timeout serves the stale value', async () => {
    nsSeq++;
    const c = await make({ jitter: 0 });
    await assert.rejects(c.getOrSet('slow', async () => { await sleep(200); return 'late'; }, { timeouts: { hard: 50 } }), CacheTimeoutError);
    await until(async () => (await c.get('slow')) === 'late', 'the late value stored');
    await c.set('s', 'old', { ttl: 50, grace: 10_000 });
    await sleep(80);
    const t0 = Date.now();
    const v = await c.getOrSet('s', async () => { await sleep(300); return 'new'; }, { timeouts: { soft: 30 } });
    assert.equal(v, 'old');
    assert.ok(Date.now() - t0 < 250, `${Date.now() - t0} ms`);
    await until(async () => (await c.get('s')) === 'new', 'the refresh');
    // a fast refresh within the soft timeout is served fresh
    await c.set('s2', 'old', { ttl: 50, grace: 10_000 });
    await sleep(80);
    assert.equal(await c.getOrSet('s2', async () => 'new', { timeouts: { soft: 500 } }), 'new');
  });

  test('XFetch refreshes a value early in the background', async () => {
    nsSeq++;
    const c = await make({ jitter: 0, beta: 1 });
    let loads = 0;
    const loader = async (): Promise<number> => { loads++; await sleep(40); return loads; };
    assert.equal(await c.getOrSet('x', loader, { ttl: 300 }), 1);
    // δ ≈ 40 ms, ttl 300 ms: P(early) per call = exp(−(e−now)/40) grows as e nears.
    const end = Date.now() + 280;
    while (Date.now() < end && loads < 2) { await c.getOrSet('x', loader, { ttl: 300 }); await sleep(5); }
    assert.equal(loads, 2, 'one early refresh before expiry');
  });

  test('tags: deleteByTag makes tagged entries misses in every instance', async () => {
    nsSeq++;
    const a = await make(), b = await make();
    await a.set('u1', 'alice', { tags: ['users'] });
    await a.set('u2', 'bob', { tags: ['users', 'admins'] });
    await a.set('p1', 'post', { tags: ['posts'] });
    assert.equal(await b.get('u1'), 'alice');
    assert.equal(await b.get('u1'), 'alice'); // L1 now, tag version cached
    await a.deleteByTag('users');
    await until(async () => (await b.get('u1')) === undefined, 'b sees the tag bump');
    assert.equal(await a.get('u2'), undefined);
    assert.equal(await a.get('p1'), 'post');
    let loads = 0;
    assert.equal(await b.getOrSet('u1', () => { loads++; return 'alice2'; }, { tags: ['users'] }), 'alice2');
    assert.equal(await a.get('u1'), 'alice2');
    assert.equal(loads, 1);
  });

  test('a deleteByTag during a load leaves the loaded value invalid', async () => {
    nsSeq++;
    const c = await make();
    let loads = 0;
    const v = await c.getOrSet('racy', async () => { loads++; await c.deleteByTag('t'); return 'loaded-before-the-bump'; }, { tags: ['t'] });
    assert.equal(v, 'loaded-before-the-bump'); // the caller gets what it asked for...
    assert.equal(await c.get('racy'), undefined); // ...but it is not served afterwards
    assert.equal(await c.getOrSet('racy', async () => { loads++; return 'fresh'; }, { tags: ['t'] }), 'fresh');
    assert.equal(loads, 2);
  });

  test('a write by another instance during a load is not overwritten by the load', async () => {
    nsSeq++;
    const a = await make(), b = await make();
    const v = await a.getOrSet('k', async () => {
      await b.set('k', 'newer');
      await sleep(50); // let the invalidation arrive
      return 'older';
    });
    assert.equal(v, 'older');
    assert.equal(await a.get('k'), 'newer');
    assert.equal(await b.get('k'), 'newer');
  });

  test('getMany / getOrSetMany: one MGET, one batched loader call, per-key single flight', async () => {
    nsSeq++;
    const c = await make();
    await c.set('a', 1); await c.set('b', 2);
    assert.deepEqual(await c.getMany(['a', 'b', 'c']), [1, 2, undefined]);
    const calls: string[][] = [];
    const loader = async (keys: string[]): Promise<Map<string, number>> => { calls.push(keys); await sleep(30); return new Map(keys.map((k) => [k, k.length])); };
    const single = c.getOrSet('dd', async () => { await sleep(30); return 99; });
    const [r1, r2] = await Promise.all([c.getOrSetMany(['a', 'ccc', 'dd', 'ccc'], loader), c.getOrSetMany(['ccc', 'eeee'], loader)]);
    assert.deepEqual(r1, [1, 3, 99, 3]);
    assert.deepEqual(r2, [3, 4]);
    await single;
    assert.deepEqual(calls, [['ccc'], ['eeee']]);
    assert.equal(await c.get('eeee'), 4);
  });

  test('getOrSetMany across two caches (separate connections, as two processes): each key loaded once, by whichever got its lease', async () => {
    nsSeq++;
    const a = await make();
    const b = await make();
    const loads = new Map<string, number>();
    const loader = async (keys: string[]): Promise<string[]> => {
      for (const k of keys) loads.set(k, (loads.get(k) ?? 0) + 1);
      await sleep(100);
      return keys.map((k) => `v:${k}`);
    };
    const [ra, rb] = await Promise.all([a.getOrSetMany(['x', 'y', 'z'], loader), b.getOrSetMany(['y', 'z', 'w', 'x'], loader)]);
    assert.deepEqual(ra, ['v:x', 'v:y', 'v:z']);
    assert.deepEqual(rb, ['v:y', 'v:z', 'v:w', 'v:x']);
    assert.deepEqual([...loads.entries()].sort(), [['w', 1], ['x', 1], ['y', 1], ['z', 1]], 'no key loaded twice');
    assert.ok(a.stats().leaseWaits + b.stats().leaseWaits > 0, 'one side waited on the other\'s leases');
  });

  test('observability: invalidation lag measured from the write time, stats() and metrics() in Prometheus text', async () => {
    nsSeq++;
    const a = await make();
    const b = await make();
    for (let i = 0; i < 5; i++) {
      await a.set(`lag${i}`, 0);
      assert.equal(await b.get(`lag${i}`), 0);
      await a.set(`lag${i}`, 1);
      const t0 = Date.now();
      while ((await b.get(`lag${i}`)) !== 1) { assert.ok(Date.now() - t0 < 3000, 'b sees the write'); await sleep(1); }
    }
    const lag = b.stats().invalidationLag;
    assert.equal(lag.count, 5, 'one lag per invalidated key read again');
    assert.ok(lag.max >= lag.p99 && lag.p99 >= 0 && lag.max < 3000 && lag.mean <= lag.max, JSON.stringify(lag));
    assert.equal(a.stats().invalidationLag.count, 0, 'the writer is not invalidated by its own writes');
    const text = b.metrics({ instance: 'test' });
    assert.match(text, /^# HELP nodis_cache_l1_hits_total /m);
    assert.match(text, /^# TYPE nodis_cache_l1_hits_total counter$/m);
    assert.match(text, /^nodis_cache_l2_hits_total\{namespace="[^"]+",instance="test"\} [1-9]\d*$/m);
    assert.match(text, /^nodis_cache_invalidation_lag_ms_count\{namespace="[^"]+",instance="test"\} 5$/m);
    assert.match(text, /^nodis_cache_coherent\{[^}]*\} 1$/m);
    // every line is a comment or `name{labels} number`
    for (const line of text.trimEnd().split('\n')) assert.match(line, /^(# (HELP|TYPE) \S+ .+|[a-z_0-9]+\{[^}]*\} -?[\d.e+-]+)$/, line);
  });

  test('preload with a concurrency cap; hotKeys persisted for a cold start', async () => {
    nsSeq++;
    const c = await make();
    let running = 0, peak = 0;
    await c.preload(Array.from({ length: 40 }, (_, i) => `p${i}`), async (k) => { running++; peak = Math.max(peak, running); await sleep(5); running--; return k; }, { concurrency: 4 });
    assert.ok(peak <= 4 && peak >= 2, String(peak));
    assert.equal(await c.get('p7'), 'p7');
    for (let i = 0; i < 20; i++) await c.get('p3');
    for (let i = 0; i < 10; i++) await c.get('p5');
    assert.deepEqual(c.hotKeys(2), ['p3', 'p5']);
    await c.persistHotKeys(2);
    const d = await make();
    assert.deepEqual(await d.loadHotKeys(), ['p3', 'p5']);
  });

  test('Bloom filter: absent ids never reach the loader', async () => {
    nsSeq++;
    const c = await make({ bloom: { key: `t${nsSeq}#bloom`, bits: 1 << 16, hashes: 5 } });
    await c.addToBloom(['user:1', 'user:2']);
    assert.equal(await c.mightContain('user:1'), true);
    let loads = 0;
    assert.equal(await c.getOrSet('user:1', () => { loads++; return 'u1'; }, { bloom: true }), 'u1');
    assert.equal(await c.getOrSet('user:3', () => { loads++; return 'u3'; }, { bloom: true }), undefined);
    assert.equal(await c.getOrSet('x', () => { loads++; return 'u2'; }, { bloom: 'user:2' }), 'u2');
    assert.equal(loads, 2);
  });

  for (const coherence of ['tracking', 'bus'] as const) {
    test(`coherence (${coherence}): a write in one instance drops the other's L1 entry`, async () => {
      nsSeq++;
      const a = await make({ coherence }), b = await make({ coherence });
      assert.equal(a.stats().coherence, coherence);
      const inv = b.stats().invalidations;
      await a.set('k', 1);
      // b hears of a's write on its own socket: wait for it, else it may drop the entry b is about to fill
      await until(() => b.stats().invalidations > inv, 'the invalidation of k');
      assert.equal(await b.get('k'), 1);
      assert.equal(await b.get('k'), 1);
      const l1 = b.stats().l1Hits;
      assert.equal(l1, 1);
      await a.set('k', 2);
      await until(async () => (await b.get('k')) === 2, 'b sees 2');
      await a.delete('k');
      await until(async () => (await b.get('k')) === undefined, 'b sees the delete');
      if (coherence === 'tracking') {
        // a write by a client that is not a cache is seen too
        await b.set('k', 3); assert.equal(await b.get('k'), 3);
        await raw.set(`t${nsSeq}:k`, JSON.stringify({ v: 4, e: Date.now() + 10_000, g: Date.now() + 10_000 }));
        await until(async () => (await b.get('k')) === 4, 'b sees the raw write');
        // FLUSHALL: the null invalidation clears L1
        const flushes = b.stats().l1Flushes;
        await raw.flushall();
        await until(() => b.stats().l1Flushes > flushes, 'flush on FLUSHALL');
        assert.equal(b.stats().l1Size, 0);
      }
    });
  }

  test("'auto' falls back to the bus when CLIENT TRACKING is refused", async () => {
    nsSeq++;
    await raw.call('ACL', 'SETUSER', 'notrack', 'on', '>pw', '~*', '&*', '+@all', '-client|tracking');
    const opts = { redisOptions: { username: 'notrack', password: 'pw' } };
    const a = await make(opts), b = await make(opts);
    assert.equal(a.stats().coherence, 'bus');
    await a.set('k', 1);
    await until(async () => (await b.get('k')) === 1, 'b reads 1');
    assert.equal(await b.get('k'), 1);
    await a.set('k', 2);
    await until(async () => (await b.get('k')) === 2, 'b sees 2 over the bus');
  });

  test('a dropped connection flushes L1; tracking comes back on reconnect', async () => {
    nsSeq++;
    const a = await make(), b = await make();
    await a.set('k', 1);
    assert.equal(await b.get('k'), 1);
    const flushes = b.stats().l1Flushes;
    const list = await raw.client('LIST') as string;
    // kill every connection of b (its data and invalidation links): find them by elimination is hard, so kill all but raw
    const me = await raw.client('ID');
    for (const line of list.split('\n')) {
      const id = /id=(\d+)/.exec(line)?.[1];
      if (id && Number(id) !== me) await raw.client('KILL', 'ID', id);
    }
    await until(() => b.stats().l1Flushes > flushes, 'flush on disconnect');
    await until(() => b.isCoherent && a.isCoherent, 'coherent again', 5000);
    await a.set('k', 2);
    await until(async () => (await b.get('k')) === 2, 'b sees 2 after reconnect');
    assert.equal(await b.get('k'), 2);
    await a.set('k', 3);
    await until(async () => (await b.get('k')) === 3, 'invalidations flow again');
  });

  test('only the invalidation connection dropped: L1 flushed, tracking re-pointed at the new one', async () => {
    nsSeq++;
    const a = await make(), b = await make();
    await a.set('k', 1);
    await until(async () => (await b.get('k')) === 1, 'b reads 1');
    const flushes = b.stats().l1Flushes;
    const list = await raw.client('LIST') as string;
    const subs = list.split('\n').filter((l) => /cmd=subscribe/.test(l)).map((l) => /id=(\d+)/.exec(l)![1]!);
    assert.ok(subs.length >= 2, list);
    for (const id of subs) await raw.client('KILL', 'ID', id);
    await until(() => b.stats().l1Flushes > flushes, 'flush on the subscriber drop');
    await until(() => b.isCoherent, 'coherent again', 5000);
    assert.equal(b.stats().coherence, 'tracking');
    assert.equal(await b.get('k'), 1);
    await a.set('k', 2);
    await until(async () => (await b.get('k')) === 2, 'invalidations reach the new subscriber');
  });

  test('stats and events', async () => {
    nsSeq++;
    const c = await make();
    const seen: string[] = [];
    c.on('hit', (_k, tier: string) => seen.push(`hit:${tier}`));
    c.on('miss', () => seen.push('miss'));
    c.on('load', () => seen.push('load'));
    await c.getOrSet('e', () => 1);
    await c.getOrSet('e', () => 1);
    assert.deepEqual(seen, ['miss', 'load', 'hit:l1']);
    const s = c.stats();
    assert.equal(s.breaker, 'closed');
    assert.equal(s.loaderCalls, 1);
    assert.equal(s.misses, 1);
  });
});
