/*
 * The cache SDK on an ioredis Cluster (an embedded 3-master Nodis cluster):
 * coherence falls back to the pub/sub bus (tracking would need a subscriber
 * per node), the lease runs its SET NX and GET one after the other (different
 * slots), MGET is split per key, and the stampede guarantee holds.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Cluster } from 'ioredis';
import { startCluster, type RunningCluster } from '../../src/index.js';
import { sleep, until as waitUntil } from './cache-helpers.js';
import { createCache, type Cache } from '../../src/cache/index.js';

/** waits over the bus take longer than over tracking: 5 s, looking every 5 ms */
const until = (cond: () => boolean | Promise<boolean>, what: string): Promise<void> => waitUntil(cond, what, 5000, 5);

let cluster: RunningCluster;
const clients: Cluster[] = [];
const caches: Cache[] = [];
before(async () => { cluster = await startCluster({ masters: 3 }); });
after(async () => {
  for (const c of caches) await c.close();
  for (const c of clients) c.disconnect();
  await cluster.close();
});

test('Cluster client: bus coherence, leases, batches, tags', async () => {
  const mk = async (): Promise<Cache> => {
    const cl = new Cluster([{ host: '127.0.0.1', port: cluster.masterPorts[0]! }]);
    clients.push(cl);
    const c = createCache({ redis: cl, namespace: 'cl', timeout: 1000 });
    caches.push(c);
    assert.equal(await c.ready(10_000), true);
    return c;
  };
  const a = await mk(), b = await mk();
  assert.equal(a.stats().coherence, 'bus');

  // coherence over the bus
  await a.set('k', 1);
  await until(async () => (await b.get('k')) === 1, 'b reads 1');
  assert.equal(await b.get('k'), 1);
  await a.set('k', 2);
  await until(async () => (await b.get('k')) === 2, 'b sees 2');

  // one load across both instances (keys and leases on different slots)
  let loads = 0;
  const loader = async (): Promise<number> => { loads++; await sleep(100); return 7; };
  const r = await Promise.all([...Array.from({ length: 30 }, () => a.getOrSet('cold', loader)), ...Array.from({ length: 30 }, () => b.getOrSet('cold', loader))]);
  assert.ok(r.every((x) => x === 7));
  assert.equal(loads, 1);

  // batches across slots
  await Promise.all(['x', 'y', 'z'].map((k, i) => a.set(k, i)));
  assert.deepEqual(await b.getMany(['x', 'y', 'z', 'none']), [0, 1, 2, undefined]);
  assert.deepEqual(await b.getOrSetMany(['x', 'w1', 'w2'], async (ks) => ks.map((k) => k.toUpperCase())), [0, 'W1', 'W2']);

  // tags
  await a.set('t', 'v', { tags: ['g'] });
  assert.equal(await b.get('t'), 'v');
  await a.deleteByTag('g');
  await until(async () => (await b.get('t')) === undefined, 'the tag bump over the bus');
});
