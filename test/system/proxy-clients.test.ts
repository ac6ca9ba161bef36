/*
 * A real client library through nodis-proxy: node-redis (RESP2 and RESP3)
 * connects (its handshake: HELLO / CLIENT SETINFO), pipelines, splits MGET /
 * MSET / DEL, runs a hash-tagged transaction and a script, SCANs and
 * subscribes, against real redis-server backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Redis as IORedis } from 'ioredis';
import { skipWithoutRedis } from '../helpers/servers.js';
import { startProxyTopology } from '../helpers/proxy.js';

const skip = skipWithoutRedis();

for (const RESP of [2, 3] as const) {
  test(`node-redis RESP${RESP} through the proxy`, { skip }, async (t) => {
    const topo = await startProxyTopology(3);
    t.after(() => topo.close());
    const c = createClient({ socket: { port: topo.port, host: '127.0.0.1', reconnectStrategy: false }, RESP, name: 'via-proxy' });
    c.on('error', () => {});
    await c.connect();
    t.after(() => { if (c.isOpen) c.destroy(); });
    const keys = Array.from({ length: 50 }, (_, i) => `${i}:nr`);
    assert.equal(await c.mSet(keys.map((k, i) => [k, `v${i}`] as [string, string])), 'OK');
    assert.deepEqual(await c.mGet([...keys, 'missing']), [...keys.map((_, i) => `v${i}`), null]);
    const replies = await Promise.all(keys.map((k) => c.get(k)));
    assert.deepEqual(replies, keys.map((_, i) => `v${i}`));
    assert.equal(await c.clientGetName(), 'via-proxy');
    const tx = await c.multi().incr('{acct}n').incr('{acct}n').set('{acct}s', 'x').exec();
    assert.deepEqual(tx, [1, 2, 'OK']);
    assert.equal(await c.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", { keys: ['{acct}n'], arguments: ['10'] }), 12);
    const seen: string[] = [];
    for await (const batch of c.scanIterator({ MATCH: '*:nr', COUNT: 20 })) seen.push(...batch);
    assert.deepEqual(seen.sort(), [...keys].sort());
    assert.equal(await c.dbSize(), 52);
    assert.equal(await c.del(keys), 50);

    const sub = c.duplicate();
    sub.on('error', () => {});
    await sub.connect();
    t.after(() => { if (sub.isOpen) sub.destroy(); });
    const got = new Promise<string>((resolve) => { void sub.subscribe('chan', (m) => resolve(m)); });
    // the subscription is confirmed before PUBLISH goes out only once subscribe resolves; poll PUBLISH until delivered
    let delivered = 0;
    for (let i = 0; i < 100 && delivered === 0; i++) {
      delivered = await c.publish('chan', 'hello');
      if (delivered === 0) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await got, 'hello');
  });
}

test('ioredis through the proxy: ready check (INFO), connectionName, pipeline, split commands, transaction, script, scanStream, pub/sub', { skip }, async (t) => {
  const topo = await startProxyTopology(3);
  t.after(() => topo.close());
  // ioredis checks INFO's loading field before it is ready, and sends CLIENT SETNAME for connectionName
  const c = new IORedis({ port: topo.port, host: '127.0.0.1', connectionName: 'via-proxy-io', enableReadyCheck: true, maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  c.on('error', () => {});
  await c.connect();
  t.after(() => c.disconnect());
  assert.equal(await c.client('GETNAME'), 'via-proxy-io');
  const keys = Array.from({ length: 60 }, (_, i) => `${i}:io`);
  assert.equal(await c.mset(Object.fromEntries(keys.map((k, i) => [k, `v${i}`]))), 'OK');
  assert.deepEqual(await c.mget(...keys, 'missing'), [...keys.map((_, i) => `v${i}`), null]);
  const pipe = c.pipeline();
  for (const k of keys) pipe.incr(`${k}:n`);
  pipe.get(keys[0]!);
  const res = await pipe.exec();
  assert.deepEqual(res!.map(([e, v]: [Error | null, unknown]) => { assert.equal(e, null); return v; }), [...keys.map(() => 1), 'v0']);
  assert.deepEqual(await c.multi().incr('{io}n').incr('{io}n').exec(), [[null, 1], [null, 2]]);
  c.defineCommand('addTo', { numberOfKeys: 1, lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])" });
  assert.equal(await (c as unknown as { addTo(k: string, n: number): Promise<number> }).addTo('{io}n', 40), 42);
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const s = c.scanStream({ match: '*:io', count: 25 });
    s.on('data', (batch: string[]) => seen.push(...batch));
    s.on('end', () => resolve());
    s.on('error', reject);
  });
  assert.deepEqual([...new Set(seen)].sort(), [...keys].sort());
  assert.equal(await c.del(...keys), 60);

  const sub = c.duplicate();
  sub.on('error', () => {});
  t.after(() => sub.disconnect());
  await sub.subscribe('io-chan');
  const got = new Promise<string>((resolve) => sub.on('message', (_ch: string, m: string) => resolve(m)));
  let delivered = 0;
  for (let i = 0; i < 100 && delivered === 0; i++) {
    delivered = await c.publish('io-chan', 'hi');
    if (delivered === 0) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(await got, 'hi');
});
