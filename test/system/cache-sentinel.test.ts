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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Topology, poll } from '../helpers/topology.js';
import { startSentinel, type RunningSentinel } from '../../src/index.js';
import { createCache, type Cache } from '../../src/cache/index.js';
import { sleep } from './cache-helpers.js';

const NAME = 'cachemaster';

test('cache SDK over Sentinel: coherent before and after a failover of the master', { timeout: 90000 }, async (t) => {
  const top = new Topology(t);
  const sentinels: RunningSentinel[] = [];
  const caches: Cache[] = [];
  t.after(async () => {
    for (const c of caches) await c.close();
    await Promise.all(sentinels.map((s) => s.close()));
  });
  await top.run(async () => {
    const [m, r1, r2] = await Promise.all([top.add('m', 'nodis-proc'), top.add('r1', 'nodis-proc'), top.add('r2', 'nodis-proc')]);
    await r1!.replicaOf(m!);
    await r2!.replicaOf(m!);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-cache-sentinel-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (let i = 0; i < 3; i++) {
      sentinels.push(await startSentinel({
        logfile: path.join(dir, `s${i}.log`),
        monitor: [{ name: NAME, host: '127.0.0.1', port: m!.port, quorum: 2 }],
        config: `sentinel down-after-milliseconds ${NAME} 1000\nsentinel failover-timeout ${NAME} 6000\n`,
      }));
    }
    for (const s of sentinels) Object.assign(s.sentinel.timing, { infoPeriod: 1000, publishPeriod: 500 });
    await poll('sentinels discover each other and the replicas', async () => sentinels.every((s) => {
      const ri = s.sentinel.masters.get(NAME)!;
      return ri.slaves.size === 2 && ri.sentinels.size === 2;
    }), 15000, 100);

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
    await m!.stop('kill');
    await poll('the sentinels agree on a new master', async () => sentinels.every((s) => {
      const addr = s.sentinel.currentMasterAddress(s.sentinel.masters.get(NAME)!);
      return addr.port !== m!.port;
    }), 30000, 100);
    const newPort = sentinels[0]!.sentinel.currentMasterAddress(sentinels[0]!.sentinel.masters.get(NAME)!).port;
    const promoted = newPort === r1!.port ? r1! : r2!;
    await poll('the promoted replica is a master', async () => (await promoted.info())['role'] === 'master', 20000, 100);

    // after: both caches write to the new master and are coherent again
    await poll('writes go through after the failover', async () => {
      try { await a.set('after', 'x'); return true; } catch { return false; }
    }, 30000, 100);
    await poll('both caches coherent again', async () => a.isCoherent && b.isCoherent, 30000, 20);
    assert.equal(await b.get('after'), 'x');
    assert.equal(await b.get('k'), 2, 'a value written before the failover, from the replica that got it');
    await a.set('k', 3);
    await poll('b sees 3 after the failover', async () => (await b.get('k')) === 3, 5000, 5);
    assert.equal(await promoted.call('EXISTS', 'snt:k', 'snt:after'), 2, 'the writes landed on the promoted replica');
    loads = 0;
    const again = await Promise.all([...Array.from({ length: 20 }, () => a.getOrSet('cold2', loader)), ...Array.from({ length: 20 }, () => b.getOrSet('cold2', loader))]);
    assert.ok(again.every((x) => x === 'v1'));
    assert.equal(loads, 1, 'one load across both caches after the failover');
    t.diagnostic(`promoted ${promoted.name} (port ${newPort}); stats a ${JSON.stringify(a.stats())}`);
  });
});
