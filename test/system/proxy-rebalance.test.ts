/*
 * Online rebalancing (rebalance: true) against real redis-servers: a pool of
 * two grows to three, then shrinks to two different ones, while a client
 * keeps reading and writing. Every read sees the latest write (keys are
 * migrated before they are touched), and once the background pass ends
 * every key sits on the server the new placement names, with its TTL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis, startRedis, type RedisProcess } from '../helpers/servers.js';
import { Proxy, parseConfig } from '../../src/proxy/index.js';
import { TwemproxyRing } from '../../src/ring/index.js';

const skip = skipWithoutRedis();

async function untilTrue(f: () => Promise<boolean> | boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('rebalance: keys follow a changed server list, reads never stale, TTLs kept', { skip }, async (t) => {
  const redis: RedisProcess[] = [];
  t.after(async () => { await Promise.all(redis.map((r) => r.close())); });
  for (let i = 0; i < 4; i++) redis.push(await startRedis());
  const yaml = (rs: RedisProcess[]): string => 'p:\n  listen: 127.0.0.1:0\n  redis: true\n  hash: murmur\n  hash_tag: "{}"\n  rebalance: true\n  servers:\n' +
    rs.map((r) => `   - 127.0.0.1:${r.port}:1\n`).join('');
  const logs: string[] = [];
  const proxy = new Proxy({ configText: yaml(redis.slice(0, 2)), log: (m) => logs.push(m) });
  t.after(() => proxy.close());
  await proxy.start();
  const pool = proxy.pools.get('p')!;
  const c = await RawClient.connect(pool.port);
  t.after(() => c.close());
  const keys = Array.from({ length: 400 }, (_, i) => `${i}:rb`);
  for (let i = 0; i < keys.length; i += 100) {
    assert.equal(await c.call('MSET', ...keys.slice(i, i + 100).flatMap((k) => [k, `v1-${k}`])), '+OK\r\n');
  }
  assert.equal(await c.call('SET', 'ttl:rb', 'x', 'EX', '1000'), '+OK\r\n');

  const check = async (rs: RedisProcess[], version: string): Promise<void> => {
    const ring = new TwemproxyRing(rs.map((r) => ({ host: '127.0.0.1', port: r.port })), { hash: 'murmur', hashTag: '{}' });
    const direct = await Promise.all(rs.map((r) => RawClient.connect(r.port)));
    try {
      for (const k of keys.filter((_, i) => i % 7 === 0)) assert.equal(await direct[ring.lookup(k)]!.call('GET', k), `$${version.length + 1 + k.length}\r\n${version}-${k}\r\n`, k);
      let total = 0;
      for (const d of direct) total += Number(/:(\d+)/.exec(await d.call('DBSIZE'))![1]);
      assert.equal(total, keys.length + 1, 'every key exactly once');
      const ttl = Number(/:(\d+)/.exec(await direct[ring.lookup('ttl:rb')]!.call('TTL', 'ttl:rb'))![1]);
      assert.ok(ttl > 900 && ttl <= 1000, `ttl ${ttl}`);
    } finally {
      direct.forEach((d) => d.close());
    }
  };

  // grow: 2 -> 3 servers; read and write at once, while the background pass runs
  pool.reconfigure(parseConfig(yaml(redis.slice(0, 3)))[0]!);
  const rb = pool.rebalance!;
  assert.ok(rb !== null);
  const reads = await Promise.all(keys.map((k) => c.call('GET', k)));
  console.log(`# premigrations ${rb.premigrations}, moved so far ${rb.moved}`);
  assert.ok(rb.premigrations > 0, 'some reads migrated their key first');
  reads.forEach((r, i) => assert.equal(r, `$${3 + keys[i]!.length}\r\nv1-${keys[i]}\r\n`, keys[i]));
  for (let i = 0; i < keys.length; i += 50) {
    assert.equal(await c.call('MSET', ...keys.slice(i, i + 50).flatMap((k) => [k, `v2-${k}`])), '+OK\r\n');
  }
  await untilTrue(async () => /rebalancing:0\r\n/.test(parseReply(await c.call('INFO', 'proxy')) as string));
  await check(redis.slice(0, 3), 'v2');

  // shrink and swap: servers 1, 2, 3 (server 0 leaves, 3 joins); a transaction and a blocking pop right away
  await c.call('RPUSH', '{q}list', 'job');
  pool.reconfigure(parseConfig(yaml(redis.slice(1, 4)))[0]!);
  assert.deepEqual(await Promise.all([c.call('MULTI'), c.call('INCR', '{q}n'), c.call('LLEN', '{q}list'), c.call('EXEC')]),
    ['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '*2\r\n:1\r\n:1\r\n']);
  assert.equal(await c.call('BLPOP', '{q}list', '1'), '*2\r\n$7\r\n{q}list\r\n$3\r\njob\r\n');
  await c.call('DEL', '{q}n');
  const reads2 = await Promise.all(keys.map((k) => c.call('GET', k)));
  reads2.forEach((r, i) => assert.equal(r, `$${3 + keys[i]!.length}\r\nv2-${keys[i]}\r\n`, keys[i]));
  assert.equal(await c.call('MGET', keys[0]!, keys[1]!), `*2\r\n$${3 + keys[0]!.length}\r\nv2-${keys[0]}\r\n$${3 + keys[1]!.length}\r\nv2-${keys[1]}\r\n`);
  await untilTrue(async () => /rebalancing:0\r\n/.test(parseReply(await c.call('INFO', 'proxy')) as string));
  await check(redis.slice(1, 4), 'v2');
  const left = await RawClient.connect(redis[0]!.port);
  t.after(() => left.close());
  assert.equal(await left.call('DBSIZE'), ':0\r\n', 'the server that left is empty');
  assert.ok(logs.some((l) => /rebalance: done/.test(l)), logs.join('\n'));
  assert.equal(logs.filter((l) => /failed/.test(l)).length, 0, logs.join('\n'));
});
