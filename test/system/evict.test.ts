/*
 * Eviction policies against a real memory limit (in-process server, so the
 * test can age keys' access clocks and read the meter). Each case fills a db,
 * sets maxmemory some bytes below the current usage and runs one eviction
 * pass, then checks which kind of keys went. The write-load case goes through
 * TCP and checks used memory stays near maxmemory, in bounded time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNodis } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import type { RunningServer } from '../../src/index.js';
import { EVICT_FAIL, performEvictions, usedMemoryNow } from '../../src/keyspace/evict.js';
import { lruClockNow, LFU_INIT_VAL } from '../../src/keyspace/access.js';

describe('eviction policies', () => {
  let srv: RunningServer;
  // unbounded eviction time: one pass evicts all it must (else the rest continues between event-loop turns)
  before(async () => { srv = await startNodis({ 'maxmemory-eviction-tenacity': 100 }); });
  after(async () => { await srv.close(); });

  const N = 4000;
  /** fill db 0: keys k0..k(N-1); `ttl(i)` gives a TTL in ms or 0 */
  const fill = (ttl: (i: number) => number): void => {
    const s = srv.server;
    s.config.set('maxmemory', '0');
    for (const db of s.dbs) db.clear();
    s.setClock(Date.now());
    const db = s.dbs[0]!;
    for (let i = 0; i < N; i++) {
      db.set(`k${i}`, `value-${i}-${'x'.repeat(40)}`);
      const t = ttl(i);
      if (t > 0) db.setExpire(`k${i}`, s.now + t);
    }
  };
  /** set the policy and a limit `bytes` below the current usage, run one eviction; returns the surviving indexes */
  const evict = (policy: string, bytes: number): Set<number> => {
    const s = srv.server;
    s.config.set('maxmemory-policy', policy);
    s.setClock(Date.now());
    s.config.set('maxmemory', String(usedMemoryNow() - bytes));
    const t0 = performance.now();
    performEvictions(s);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, 'eviction pass bounded in time');
    if (process.env['EVICT_VERBOSE']) console.log(policy, s.dbs[0]!.size, ms.toFixed(1));
    s.config.set('maxmemory', '0');
    const left = new Set<number>();
    for (const k of s.dbs[0]!.keys()) left.add(Number(k.slice(1)));
    return left;
  };

  test('volatile policies evict only keys with a TTL', () => {
    for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
      fill((i) => (i % 2 === 0 ? 1e6 : 0));
      const before = srv.server.stats.evictedKeys;
      const left = evict(policy, 100_000);
      const gone = [...Array(N).keys()].filter((i) => !left.has(i));
      assert.ok(gone.length > 100, `${policy}: evicted ${gone.length}`);
      assert.ok(gone.every((i) => i % 2 === 0), `${policy}: evicted a key without TTL`);
      assert.equal(srv.server.stats.evictedKeys - before, gone.length);
    }
  });

  test('allkeys policies evict keys with and without TTL', () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
      fill((i) => (i % 2 === 0 ? 1e6 : 0));
      const left = evict(policy, 100_000);
      const gone = [...Array(N).keys()].filter((i) => !left.has(i));
      assert.ok(gone.some((i) => i % 2 === 0) && gone.some((i) => i % 2 === 1), policy);
    }
  });

  test('volatile-ttl evicts the nearest expiries first', () => {
    fill((i) => 1e6 + i * 1000);
    const left = evict('volatile-ttl', 100_000);
    const gone = [...Array(N).keys()].filter((i) => !left.has(i));
    assert.ok(gone.length > 100);
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    assert.ok(mean(gone) < mean([...left]) / 2, `evicted mean ${mean(gone)} vs kept ${mean([...left])}`);
    // the latest-expiring quarter survives
    for (let i = Math.floor(N * 0.75); i < N; i++) assert.ok(left.has(i), `k${i} with a late expiry was evicted`);
  });

  test('allkeys-lru keeps recently used keys', () => {
    fill(() => 0);
    const s = srv.server;
    const db = s.dbs[0]!;
    const old = lruClockNow(Date.now() - 3600_000);
    for (let i = 0; i < N; i += 2) db.setClock(`k${i}`, old); // even keys idle for an hour
    const left = evict('allkeys-lru', 150_000);
    let evenGone = 0;
    let oddGone = 0;
    for (let i = 0; i < N; i++) if (!left.has(i)) { if (i % 2 === 0) evenGone++; else oddGone++; }
    assert.ok(evenGone > 100);
    assert.ok(oddGone * 10 < evenGone, `recently used evicted: ${oddGone} vs idle ${evenGone}`);
  });

  test('allkeys-lfu keeps frequently used keys', () => {
    fill(() => 0);
    const s = srv.server;
    s.config.set('maxmemory-policy', 'allkeys-lfu');
    const db = s.dbs[0]!;
    const minutes = Math.floor(Date.now() / 60000) & 0xffff;
    for (let i = 0; i < N; i++) db.setClock(`k${i}`, (minutes << 8) | (i % 2 === 0 ? LFU_INIT_VAL : 100));
    const left = evict('allkeys-lfu', 150_000);
    let rareGone = 0;
    let freqGone = 0;
    for (let i = 0; i < N; i++) if (!left.has(i)) { if (i % 2 === 0) rareGone++; else freqGone++; }
    assert.ok(rareGone > 100);
    assert.ok(freqGone * 10 < rareGone, `frequent evicted: ${freqGone} vs rare ${rareGone}`);
  });

  test('noeviction and nothing evictable report OOM', () => {
    fill(() => 0);
    const s = srv.server;
    s.config.set('maxmemory-policy', 'noeviction');
    s.config.set('maxmemory', '1');
    assert.equal(performEvictions(s), EVICT_FAIL);
    assert.equal(s.dbs[0]!.size, N);
    s.config.set('maxmemory-policy', 'volatile-lru');
    assert.equal(performEvictions(s), EVICT_FAIL);
    assert.equal(s.dbs[0]!.size, N);
    s.config.set('maxmemory', '0');
  });
});

describe('eviction under a write load', () => {
  let srv: RunningServer;
  before(async () => { srv = await startNodis(); });
  after(async () => { await srv.close(); });

  test('used memory stays near maxmemory', async () => {
    const c = await RawClient.connect(srv.port);
    const info = async (): Promise<Map<string, string>> => {
      const m = new Map<string, string>();
      for (const l of String(parseReply(await c.call('INFO', 'everything'))).split('\r\n')) {
        const i = l.indexOf(':');
        if (i > 0) m.set(l.slice(0, i), l.slice(i + 1));
      }
      return m;
    };
    const base = Number((await info()).get('used_memory'));
    const max = base + 32 * 1024 * 1024; // Node's own heap use under load varies by MBs: leave room for it
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await c.call('CONFIG', 'SET', 'maxmemory', String(max));
    const value = 'v'.repeat(1000);
    const t0 = Date.now();
    let peakOver = 0;
    const total = 150_000;
    for (let i = 0; i < total; i += 1000) {
      let batch = '';
      for (let j = i; j < i + 1000; j++) batch += `*3\r\n$3\r\nSET\r\n$${String(j).length + 4}\r\nkey:${j}\r\n$1000\r\n${value}\r\n`;
      c.write(batch);
      for (let j = 0; j < 1000; j++) {
        const r = await c.read();
        if (r !== '+OK\r\n') assert.fail(`write ${i + j}: ${r.trim()}; used ${usedMemoryNow()} max ${max} keys ${srv.server.dbs[0]!.size} evicted ${srv.server.stats.evictedKeys} policy ${srv.server.config.str('maxmemory-policy')}`);
      }
      const used = Number((await info()).get('used_memory'));
      peakOver = Math.max(peakOver, used - max);
    }
    const m = await info();
    const dbsize = Number(/keys=(\d+)/.exec(m.get('db0') ?? '')?.[1] ?? 0);
    if (process.env['EVICT_VERBOSE']) console.log(`dbsize ${dbsize} evicted ${m.get('evicted_keys')} used-max ${Number(m.get('used_memory')) - max} peakOver ${peakOver}`);
    assert.ok(Number(m.get('evicted_keys')) > 0, 'evicted');
    assert.ok(dbsize < total && dbsize > 1000, `dbsize ${dbsize}`);
    assert.ok(Number(m.get('used_memory')) <= max + 8 * 1024 * 1024, `used ${m.get('used_memory')} max ${max}`);
    assert.ok(peakOver < 16 * 1024 * 1024, `peak over the limit by ${peakOver}`);
    assert.ok(Date.now() - t0 < 20_000, 'bounded in time');
    await c.call('CONFIG', 'SET', 'maxmemory', '0');
    c.close();
  });
});
