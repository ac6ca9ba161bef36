/*
 * A real client library through nodis-proxy: node-redis (RESP2 and RESP3)
 * connects (its handshake: HELLO / CLIENT SETINFO), pipelines, splits MGET /
 * MSET / DEL, runs a hash-tagged transaction and a script, SCANs and
 * subscribes, against real redis-server backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
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
