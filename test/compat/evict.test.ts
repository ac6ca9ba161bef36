/*
 * maxmemory, differential where the outcome does not depend on how much memory
 * each server uses: with maxmemory 1 every server is over the limit, so the
 * OOM refusals (which commands, the error text, inside MULTI, EXEC's
 * EXECABORT) and evictions of "everything evictable" are deterministic.
 * Policies' choices under a real limit are in test/system/evict.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';

describe('maxmemory', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  const limit = async (c: PairClient, policy: string, max: string): Promise<void> => {
    await c.do('CONFIG', 'SET', 'maxmemory-policy', policy);
    await c.do('CONFIG', 'SET', 'maxmemory', max);
  };
  const unlimit = async (c: PairClient): Promise<void> => {
    await c.do('CONFIG', 'SET', 'maxmemory', '0');
    await c.do('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  };

  test('noeviction: denyoom commands refused, others run', async () => {
    const c = await p.client();
    await c.do('SET', 'a', '1');
    await c.do('RPUSH', 'l', 'x');
    await limit(c, 'noeviction', '1');
    for (const cmd of [['SET', 'b', '1'], ['INCR', 'a'], ['APPEND', 'a', 'x'], ['RPUSH', 'l', 'y'], ['SADD', 's', 'm'],
      ['HSET', 'h', 'f', 'v'], ['ZADD', 'z', '1', 'm'], ['SETEX', 'e', '10', 'v'], ['MSET', 'x', '1'], ['SETRANGE', 'a', '0', 'z']]) {
      await c.error('OOM', ...cmd);
    }
    await c.do('GET', 'a');
    await c.do('LRANGE', 'l', '0', '-1');
    await c.do('EXPIRE', 'a', '100');
    await c.do('PERSIST', 'a');
    await c.do('LPOP', 'l');
    await c.do('DEL', 'a');
    await c.do('DBSIZE');
    await c.do('PING');
    await c.error('OOM', 'SET', 'a', '1');
    await unlimit(c);
    await c.do('SET', 'a', '1');
  });

  test('OOM in MULTI: queueing refused, EXEC aborts; DISCARD passes', async () => {
    const c = await p.client();
    await limit(c, 'noeviction', '1');
    await c.do('MULTI');
    await c.error('OOM', 'SET', 'x', '1');
    await c.error('OOM', 'GET', 'x');
    await c.error('EXECABORT', 'EXEC');
    await c.do('MULTI');
    await c.error('OOM', 'PING');
    await c.do('DISCARD');
    await unlimit(c);
  });

  test('OOM reached while queued: EXEC of reads runs, EXEC with a denyoom command fails', async () => {
    const c = await p.client();
    const admin = await p.client({ flush: false });
    await c.do('SET', 'x', 'value');
    await c.do('MULTI');
    await c.do('GET', 'x');
    await c.do('PING');
    await admin.do('CONFIG', 'SET', 'maxmemory', '1');
    await c.do('EXEC');
    await admin.do('CONFIG', 'SET', 'maxmemory', '0');
    await c.do('MULTI');
    await c.do('SET', 'x', '1');
    await c.do('GET', 'x');
    await admin.do('CONFIG', 'SET', 'maxmemory', '1');
    await c.error('EXECABORT', 'EXEC');
    await admin.do('CONFIG', 'SET', 'maxmemory', '0');
    await c.do('GET', 'x');
  });

  test('allkeys policies evict everything on maxmemory 1, with evicted events', async () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
      const c = await p.client();
      await c.do('CONFIG', 'SET', 'notify-keyspace-events', 'Ee');
      const subs = await Promise.all([RawClient.connect(p.nodis.port), RawClient.connect(p.redis.port)]);
      for (const s of subs) { s.send('PSUBSCRIBE', '*'); await s.read(); }
      await c.do('SET', 'foo', 'bar');
      await limit(c, policy, '1');
      const frames = await Promise.all(subs.map((s) => s.read(3000)));
      assert.equal(frames[0], frames[1], policy);
      assert.deepEqual(parseReply(frames[0]!), ['pmessage', '*', '__keyevent@0__:evicted', 'foo']);
      await c.do('DBSIZE');
      await c.error('OOM', 'SET', 'foo', 'bar'); // nothing left to evict
      await c.do('GET', 'foo');
      await unlimit(c);
      await c.do('CONFIG', 'SET', 'notify-keyspace-events', '');
      for (const s of subs) s.close();
    }
  });

  test('volatile policies evict only keys with a TTL', async () => {
    for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
      const c = await p.client();
      await c.do('SET', 'keep1', 'v');
      await c.do('RPUSH', 'keep2', 'v');
      await c.do('SETEX', 'gone1', '1000', 'v');
      await c.do('SET', 'gone2', 'v', 'PX', '500000');
      await limit(c, policy, '1');
      await c.do('GET', 'keep1'); // the eviction runs before this command
      await c.doSorted('KEYS', '*');
      await c.error('OOM', 'SETEX', 'x', '100', 'v');
      await unlimit(c);
    }
  });

  test('INFO fields', async () => {
    const c = await p.client();
    const fields = (raw: string, section: string): Map<string, string> => {
      const text = String(parseReply(raw));
      const m = new Map<string, string>();
      for (const line of text.split('\r\n')) { const i = line.indexOf(':'); if (i > 0) m.set(line.slice(0, i), line.slice(i + 1)); }
      assert.ok(text.startsWith(`# ${section}`));
      return m;
    };
    await limit(c, 'allkeys-lru', '123456789');
    const [om, rm] = (await c.both('INFO', 'memory')).map((r) => fields(r, 'Memory'));
    for (const f of ['used_memory', 'maxmemory', 'maxmemory_human', 'maxmemory_policy', 'mem_not_counted_for_evict']) {
      assert.ok(om!.has(f) && rm!.has(f), f);
    }
    for (const f of ['maxmemory', 'maxmemory_human', 'maxmemory_policy']) assert.equal(om!.get(f), rm!.get(f), f);
    const [os, rs] = (await c.both('INFO', 'stats')).map((r) => fields(r, 'Stats'));
    for (const f of ['evicted_keys', 'total_eviction_exceeded_time', 'current_eviction_exceeded_time']) {
      assert.ok(os!.has(f) && rs!.has(f), f);
    }
    await unlimit(c);
  });
});
