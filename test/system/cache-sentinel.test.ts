/*
 * The cache SDK behind Sentinel: two caches built with ioredis's Sentinel
 * options (no URL: the sentinels name the master), over a Nodis master with
 * two replicas (processes) watched by three embedded Nodis sentinels. Before
 * the failover: tracking coherence between the two, and one load for a cold
 * key. The master is SIGKILLed; the caches must find the promoted replica
 * through the sentinels, become coherent again (L1 flushed on the connection
 * loss, tracking re-enabled on the new master), write there and see each
 * other's writes, and keep single flight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Topology, poll } from '../helpers/topology.js';
import { promoted, startSentinelSet } from '../helpers/sentinel-set.js';
import { createCache, type Cache } from '../../src/cache/index.js';
import { sleep } from './cache-helpers.js';

const NAME = 'cachemaster';

test('cache SDK over Sentinel: coherent before and after a failover of the master', { timeout: 90000 }, async (t) => {
  const top = new Topology(t);
  const caches: Cache[] = [];
  t.after(async () => { for (const c of caches) await c.close(); });
  await top.run(async () => {
    const set = await startSentinelSet(t, top, NAME);
    const { sentinels } = set;
    const m = set.master;

    const mk = async (): Promise<Cache> => {
      const c = createCache({
        namespace: 'snt', timeout: 1000,
        redisOptions: { sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })), name: NAME },
      });
      caches.push(c);
      assert.equal(await c.ready(10_000), true, 'the cache connects through the sentinels');
      return c;
    };
    const a = await mk();
    const b = await mk();
    await poll('both caches coherent', async () => a.isCoherent && b.isCoherent, 10000, 10);
    assert.equal(a.stats().coherence, 'tracking');

    // before: b's L1 follows a's writes, one load for a cold key
    await a.set('k', 1);
    assert.equal(await b.get('k'), 1);
    await a.set('k', 2);
    await poll('b sees 2', async () => (await b.get('k')) === 2, 5000, 5);
    let loads = 0;
    const loader = async (): Promise<string> => { loads++; await sleep(100); return 'v1'; };
    const got = await Promise.all([...Array.from({ length: 20 }, () => a.getOrSet('cold', loader)), ...Array.from({ length: 20 }, () => b.getOrSet('cold', loader))]);
    assert.ok(got.every((x) => x === 'v1'));
    assert.equal(loads, 1, 'one load across both caches');

    // the failover
    await m.stop('kill');
    const newMaster = await promoted(set, NAME);
    await poll('the promoted replica is a master', async () => (await newMaster.info())['role'] === 'master', 20000, 100);

    // after: both caches write to the new master and are coherent again
    await poll('writes go through after the failover', async () => {
      try { await a.set('after', 'x'); return true; } catch { return false; }
    }, 30000, 100);
    await poll('both caches coherent again', async () => a.isCoherent && b.isCoherent, 30000, 20);
    assert.equal(await b.get('after'), 'x');
    assert.equal(await b.get('k'), 2, 'a value written before the failover, from the replica that got it');
    await a.set('k', 3);
    await poll('b sees 3 after the failover', async () => (await b.get('k')) === 3, 5000, 5);
    assert.equal(await newMaster.call('EXISTS', 'snt:k', 'snt:after'), 2, 'the writes landed on the promoted replica');
    loads = 0;
    const again = await Promise.all([...Array.from({ length: 20 }, () => a.getOrSet('cold2', loader)), ...Array.from({ length: 20 }, () => b.getOrSet('cold2', loader))]);
    assert.ok(again.every((x) => x === 'v1'));
    assert.equal(loads, 1, 'one load across both caches after the failover');
    t.diagnostic(`promoted ${newMaster.name} (port ${newMaster.port}); stats a ${JSON.stringify(a.stats())}`);
  });
});
