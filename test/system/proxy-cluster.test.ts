/*
 * nodis-proxy in front of a real Redis Cluster (redis_cluster: true): three
 * redis-server masters with the slots split as redis-cli does, the proxy
 * given one seed. Keys land on the node owning their slot; MGET / MSET / DEL
 * split by slot and merge; multi-key commands across slots get Redis's
 * CROSSSLOT; SCAN and DBSIZE cover every master; a slot reassigned behind the
 * proxy's back is followed through MOVED, and a slot being migrated through
 * ASK (ASKING + the command on the importing node).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { poll, topology } from '../helpers/topology.js';
import { Proxy } from '../../src/proxy/index.js';
import { keyHashSlot } from '../../src/keyspace/hashslot.js';

const skip = skipWithoutRedis();

test('redis_cluster pool: slots, split commands, CROSSSLOT, SCAN, MOVED', { skip }, async (t) => {
  const conf = { 'cluster-enabled': 'yes', 'cluster-node-timeout': 5000 };
  const [, a, b, c] = await topology(t, [['a', 'redis', conf], ['b', 'redis', conf], ['c', 'redis', conf]]);
  const nodes = [a!, b!, c!];
  const ranges: [number, number][] = [[0, 5460], [5461, 10922], [10923, 16383]];
  for (let i = 0; i < 3; i++) await nodes[i]!.ok('CLUSTER', 'ADDSLOTSRANGE', ranges[i]![0], ranges[i]![1]);
  for (const n of nodes.slice(1)) await n.ok('CLUSTER', 'MEET', '127.0.0.1', a!.port);
  await poll('cluster ok on every node', async () => {
    for (const n of nodes) {
      const info = String(await n.call('CLUSTER', 'INFO'));
      if (!info.includes('cluster_state:ok') || (await n.call('CLUSTER', 'SLOTS') as unknown[]).length !== 3) return false;
    }
    return true;
  }, 20000);
  const ids = await Promise.all(nodes.map(async (n) => String(await n.call('CLUSTER', 'MYID'))));
  const owner = (key: string): number => ranges.findIndex(([x, y]) => keyHashSlot(key) >= x && keyHashSlot(key) <= y);

  const logs: string[] = [];
  const proxy = new Proxy({ configText: `cl:\n  listen: 127.0.0.1:0\n  redis: true\n  redis_cluster: true\n  servers:\n   - 127.0.0.1:${b!.port}:1\n`, log: (m) => logs.push(m) });
  t.after(() => proxy.close());
  await proxy.start();
  const cl = await RawClient.connect(proxy.pools.get('cl')!.port);
  t.after(() => cl.close());

  const keys = Array.from({ length: 60 }, (_, i) => `user:${i}`);
  assert.equal(await cl.call('MSET', ...keys.flatMap((k) => [k, `v-${k}`])), '+OK\r\n');
  assert.deepEqual(parseReply(await cl.call('MGET', ...keys, 'nokey')), [...keys.map((k) => `v-${k}`), null]);
  for (const k of keys.slice(0, 12)) assert.equal(await nodes[owner(k)]!.call('GET', k), `v-${k}`, k);
  assert.equal(await cl.call('EXISTS', ...keys), `:${keys.length}\r\n`);
  assert.equal(await cl.call('MSETNX', 'x1', '1', 'x2', '2'), "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  assert.equal(await cl.call('MSETNX', '{x}1', '1', '{x}2', '2'), ':1\r\n');
  assert.equal(await cl.call('SUNIONSTORE', 'd', 's1', 's2'), "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  assert.equal(await cl.call('DBSIZE'), `:${keys.length + 2}\r\n`);
  const seen: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = parseReply(await cl.call('SCAN', cursor, 'MATCH', 'user:*', 'COUNT', '25')) as [string, string[]];
    seen.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  assert.deepEqual(seen.sort(), [...keys].sort());
  assert.equal(await cl.call('DEL', ...keys), `:${keys.length}\r\n`);

  // move an empty slot from its owner to another node behind the proxy's back: MOVED is followed
  const key = Array.from({ length: 1000 }, (_, i) => `moving:${i}`).find((k) => owner(k) === 0)!;
  const slot = keyHashSlot(key);
  for (const n of nodes) await n.ok('CLUSTER', 'SETSLOT', slot, 'NODE', ids[2]!);
  assert.equal(await cl.call('SET', key, 'here'), '+OK\r\n');
  assert.equal(await c!.call('GET', key), 'here');
  assert.equal(await cl.call('GET', key), '$4\r\nhere\r\n');
  assert.equal(await a!.raw('GET', key), `-MOVED ${slot} 127.0.0.1:${c!.port}\r\n`);

  // a slot being migrated (MIGRATING on b, IMPORTING on a): a key b no longer has gets ASK, answered on a with ASKING
  const askKey = Array.from({ length: 1000 }, (_, i) => `asking:${i}`).find((k) => owner(k) === 1)!;
  const askSlot = keyHashSlot(askKey);
  await a!.ok('CLUSTER', 'SETSLOT', askSlot, 'IMPORTING', ids[1]!);
  await b!.ok('CLUSTER', 'SETSLOT', askSlot, 'MIGRATING', ids[0]!);
  assert.equal(await b!.raw('SET', askKey, 'x'), `-ASK ${askSlot} 127.0.0.1:${a!.port}\r\n`);
  assert.equal(await cl.call('SET', askKey, 'imported'), '+OK\r\n');
  assert.equal(await a!.raw('ASKING'), '+OK\r\n');
  assert.equal(await a!.raw('GET', askKey), '$8\r\nimported\r\n');
  assert.equal(await cl.call('GET', askKey), '$8\r\nimported\r\n');
  assert.equal(logs.filter((l) => /internal error|failed/.test(l)).length, 0, logs.join('\n'));
});
