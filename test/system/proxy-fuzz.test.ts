/*
 * Hostile clients against nodis-proxy: a seeded stream of every command in
 * the table with random arguments (random arity, numkeys, binary bytes),
 * random RESP garbage and frames cut mid-way, from several connections at
 * once. The proxy must stay up: a bystander's PING and GET keep answering
 * correctly throughout and after. PROXY_FUZZ_SEED=<n> replays a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { startProxyTopology } from '../helpers/proxy.js';
import { commandTable } from '../../src/proxy/client.js';

const skip = skipWithoutRedis();

test('random commands and garbage from several clients never take the proxy down', { skip }, async (t) => {
  const topo = await startProxyTopology(2, { pool: '  hash: fnv1a_64\n  hash_tag: "{}"\n  timeout: 2000\n' });
  t.after(() => topo.close());
  let seed = Number(process.env['PROXY_FUZZ_SEED'] ?? Date.now() % 100000);
  console.log(`# PROXY_FUZZ_SEED=${seed}`);
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  // commands that would stop the backends or wreck the test's own assumptions
  const banned = new Set(['shutdown', 'debug', 'flushall', 'flushdb', 'monitor', 'sync', 'psync', 'replicaof', 'slaveof',
    'failover', 'cluster', 'client', 'script', 'function', 'config', 'save', 'bgsave', 'bgrewriteaof', 'acl', 'module', 'swapdb', 'quit', 'reset']);
  const names = [...commandTable().commands.keys()].filter((n) => !banned.has(n));
  const arg = (): string => {
    switch (rnd(6)) {
      case 0: return String(rnd(5));
      case 1: return `{t}${rnd(10)}`;
      case 2: return `k${rnd(20)}`;
      case 3: return String.fromCharCode(...Array.from({ length: rnd(8) }, () => rnd(256)));
      case 4: return ['EX', 'PX', 'NX', 'XX', 'GET', 'KEYS', 'STREAMS', 'COUNT', 'BLOCK', '0', '-1', '$', '*', '+'][rnd(14)]!;
      default: return 'v'.repeat(rnd(40));
    }
  };
  const bystander = await RawClient.connect(topo.port);
  t.after(() => bystander.close());
  assert.equal(await bystander.call('SET', '{b}safe', 'yes'), '+OK\r\n');
  const socks: net.Socket[] = [];
  t.after(() => socks.forEach((s) => s.destroy()));
  for (let round = 0; round < 6; round++) {
    const conns = await Promise.all(Array.from({ length: 4 }, () => new Promise<net.Socket>((res, rej) => {
      const s = net.connect(topo.port, '127.0.0.1', () => res(s));
      s.on('error', rej);
    })));
    for (const s of conns) {
      socks.push(s);
      s.on('error', () => {});
      s.on('data', () => {});
      const parts: Buffer[] = [];
      for (let i = 0; i < 150; i++) {
        const r = rnd(20);
        if (r === 0) parts.push(Buffer.from(String.fromCharCode(...Array.from({ length: rnd(30) }, () => rnd(256))), 'latin1'));
        else if (r === 1) parts.push(encodeCommand(['SET', arg(), arg()]).subarray(0, 1 + rnd(10)));
        else {
          const name = names[rnd(names.length)]!;
          const argv = [name, ...Array.from({ length: rnd(7) }, arg)];
          if (name.startsWith('b') || name.startsWith('x') || name === 'wait') continue; // blocking ones: covered elsewhere
          parts.push(encodeCommand(argv));
        }
      }
      s.write(Buffer.concat(parts));
    }
    assert.equal(await bystander.call('PING'), '+PONG\r\n');
    assert.equal(await bystander.call('GET', '{b}safe'), '$3\r\nyes\r\n');
    for (const s of conns) s.destroy();
  }
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await bystander.call('GET', '{b}safe'), '$3\r\nyes\r\n');
  const fresh = await RawClient.connect(topo.port);
  t.after(() => fresh.close());
  assert.equal(await fresh.call('PING'), '+PONG\r\n');
  assert.equal(topo.logs.filter((l) => /reply handling failed|internal error/.test(l)).length, 0, topo.logs.join('\n'));
});
