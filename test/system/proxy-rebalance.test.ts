/*
 * Online rebalancing (rebalance: true) against real redis-servers: a pool of
 * two grows to three, then shrinks to two different ones, while a client
 * keeps reading and writing. Every read sees the latest write (keys are
 * migrated before they are touched), and once the background pass ends
 * every key sits on the server the new placement names, with its TTL.
 * Then the same under load (several clients writing and reading back their
 * own keys without pause through a rate-limited rebalance: no miss, no stale
 * read), and the dry run's count against the ring's own answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  await untilTrue(async () => /rebalance_in_progress:0\r\n/.test(parseReply(await c.call('INFO', 'proxy')) as string));
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
  await untilTrue(async () => /rebalance_in_progress:0\r\n/.test(parseReply(await c.call('INFO', 'proxy')) as string));
  await check(redis.slice(1, 4), 'v2');
  const left = await RawClient.connect(redis[0]!.port);
  t.after(() => left.close());
  assert.equal(await left.call('DBSIZE'), ':0\r\n', 'the server that left is empty');
  assert.ok(logs.some((l) => /rebalance: done/.test(l)), logs.join('\n'));
  assert.equal(logs.filter((l) => /failed/.test(l)).length, 0, logs.join('\n'));
  const moved = Number(/rebalance_keys_moved:(\d+)\r\n/.exec(parseReply(await c.call('INFO', 'proxy')) as string)![1]);
  assert.ok(moved >= rb.moved && moved > 0, `rebalance_keys_moved ${moved}`);
});

const yamlOf = (rs: RedisProcess[], extra = ''): string => 'p:\n  listen: 127.0.0.1:0\n  redis: true\n  hash: fnv1a_64\n  distribution: ketama\n  rebalance: true\n' +
  extra + '  servers:\n' + rs.map((r) => `   - 127.0.0.1:${r.port}:1\n`).join('');

test('rebalance under load: writers and readers never miss or read stale while a rate-limited pass moves keys', { skip }, async (t) => {
  const redis: RedisProcess[] = [];
  t.after(async () => { await Promise.all(redis.map((r) => r.close())); });
  for (let i = 0; i < 3; i++) redis.push(await startRedis());
  const logs: string[] = [];
  const proxy = new Proxy({ configText: yamlOf(redis.slice(0, 2), '  rebalance_rate: 3000\n'), log: (m) => logs.push(m) });
  t.after(() => proxy.close());
  await proxy.start();
  const pool = proxy.pools.get('p')!;
  const loader = await RawClient.connect(pool.port);
  t.after(() => loader.close());
  const N = 3000;
  for (let i = 0; i < N; i += 500) {
    assert.equal(await loader.call('MSET', ...Array.from({ length: 500 }, (_, j) => [`k${i + j}`, '0']).flat()), '+OK\r\n');
  }
  // 4 clients, each owning every 4th key: SET its next version, GET it back, no pause
  const WORKERS = 4;
  const version = new Array<number>(N).fill(0);
  let stop = false;
  let ops = 0;
  const problems: string[] = [];
  const work = async (w: number): Promise<void> => {
    const c = await RawClient.connect(pool.port);
    try {
      let i = w;
      while (!stop) {
        const v = ++version[i]!;
        const set = await c.call('SET', `k${i}`, String(v));
        if (set !== '+OK\r\n') problems.push(`SET k${i}: ${set}`);
        const got = await c.call('GET', `k${i}`);
        if (got !== `$${String(v).length}\r\n${v}\r\n`) problems.push(`GET k${i}: ${JSON.stringify(got)}, wanted ${v}`);
        ops++;
        i = (i + WORKERS) % N;
      }
    } finally { c.close(); }
  };
  const workers = Array.from({ length: WORKERS }, (_, w) => work(w));
  await new Promise((r) => setTimeout(r, 200));
  pool.reconfigure(parseConfig(yamlOf(redis, '  rebalance_rate: 3000\n'))[0]!);
  assert.match(parseReply(await loader.call('INFO', 'proxy')) as string, /rebalance_in_progress:1\r\n/);
  await untilTrue(async () => /rebalance_in_progress:0\r\n/.test(parseReply(await loader.call('INFO', 'proxy')) as string), 30000);
  const during = ops;
  stop = true;
  await Promise.all(workers);
  console.log(`# ${during} SET+GET pairs during the rebalance, ${proxy.pools.get('p')!.rebalanceMoved} keys moved`);
  assert.deepEqual(problems.slice(0, 5), []);
  assert.ok(during > 200, `the load ran during the rebalance (${during} pairs)`);
  // every key once, on its new server, with its last version
  const ring = new TwemproxyRing(redis.map((r) => ({ host: '127.0.0.1', port: r.port })), { hash: 'fnv1a_64' });
  const direct = await Promise.all(redis.map((r) => RawClient.connect(r.port)));
  t.after(() => direct.forEach((d) => d.close()));
  let total = 0;
  for (const d of direct) total += Number(/:(\d+)/.exec(await d.call('DBSIZE'))![1]);
  assert.equal(total, N);
  for (let i = 0; i < N; i += 13) {
    const v = String(version[i]);
    assert.equal(await direct[ring.lookup(`k${i}`)]!.call('GET', `k${i}`), `$${v.length}\r\n${v}\r\n`, `k${i}`);
  }
  assert.equal(logs.filter((l) => /failed/.test(l)).length, 0, logs.join('\n'));
});

test('nodis-proxy --rebalance-dry-run counts the keys a new placement would move, and moves none', { skip }, async (t) => {
  const redis: RedisProcess[] = [];
  t.after(async () => { await Promise.all(redis.map((r) => r.close())); });
  for (let i = 0; i < 3; i++) redis.push(await startRedis());
  // named servers: placement then does not depend on the ports the servers got (with host:port names the
  // share that moves ranged past a half on some port sets, and the bound below failed at random)
  const named = (rs: RedisProcess[]) => rs.map((r, i) => ({ host: '127.0.0.1', port: r.port, name: `s${i}` }));
  const ring2 = new TwemproxyRing(named(redis.slice(0, 2)), { hash: 'fnv1a_64' });
  const ring3 = new TwemproxyRing(named(redis), { hash: 'fnv1a_64' });
  const direct = await Promise.all(redis.map((r) => RawClient.connect(r.port)));
  t.after(() => direct.forEach((d) => d.close()));
  const N = 2000;
  let want = 0;
  for (let i = 0; i < N; i++) {
    const s = ring2.lookup(`d${i}`);
    await direct[s]!.call('SET', `d${i}`, 'x');
    if (ring3.lookup(`d${i}`) !== s) want++;
  }
  const dir = mkdtempSync(join(tmpdir(), 'proxy-dry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const namedYaml = (rs: RedisProcess[]) => yamlOf(rs).replace(/(127\.0\.0\.1:(\d+):1)\n/g, (_, l: string, port: string) => `${l} s${rs.findIndex((r) => r.port === Number(port))}\n`);
  writeFileSync(join(dir, 'cur.yml'), namedYaml(redis.slice(0, 2)));
  writeFileSync(join(dir, 'next.yml'), namedYaml(redis));
  const BIN = fileURLToPath(new URL('../../../bin/nodis-proxy', import.meta.url));
  const p = spawn(process.execPath, [BIN, '-c', join(dir, 'cur.yml'), '--rebalance-dry-run', join(dir, 'next.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((r) => p.once('close', (c) => r(c)));
  assert.equal(code, 0, out);
  const pct = ((100 * want) / N).toFixed(2);
  assert.match(out, new RegExp(`^pool 'p': ${want} of ${N} keys would move \\(${pct.replace('.', '\\.')}%\\)\n`), out);
  assert.ok(want > N / 6 && want < N / 2, `about a third moves (${want})`);
  let total = 0;
  for (const d of direct.slice(0, 2)) total += Number(/:(\d+)/.exec(await d.call('DBSIZE'))![1]);
  assert.equal(total, N, 'nothing moved');
});
