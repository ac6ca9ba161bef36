/*
 * The real node-redis client (npm "redis" v5: RESP3 + client side caching)
 * against Nodis: its cache is filled by reads, served locally for repeated
 * reads, and emptied by the server's invalidation push when another client
 * writes the key, deletes it or flushes the db.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient, BasicClientSideCache } from 'redis';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('node-redis client side caching against Nodis', () => {
  let server: RunningServer;
  before(async () => { server = await startNodis(); });
  after(async () => { await server.close(); });

  test('a cached value is invalidated when another client writes', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0, evictPolicy: 'LRU' });
    const reader = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP: 3, clientSideCache: cache });
    const writer = createClient({ socket: { port: server.port, host: '127.0.0.1' } });
    await Promise.all([reader.connect(), writer.connect()]);
    try {
      await writer.set('user:1', 'alice');
      assert.equal(await reader.get('user:1'), 'alice');
      assert.equal(cache.size(), 1);
      const getStats = server.server.table.commands.get('get')!.stats;
      const calls = (): number => getStats.calls;
      const before = calls();
      assert.equal(await reader.get('user:1'), 'alice'); // served from the cache
      assert.equal(calls(), before);
      assert.ok(cache.stats().hitCount >= 1);

      const info = await reader.sendCommand(['CLIENT', 'TRACKINGINFO']);
      assert.ok(JSON.stringify(info).includes('on'), JSON.stringify(info));

      await writer.set('user:1', 'bob');
      await until(() => cache.size() === 0, 'the invalidation of user:1');
      assert.equal(await reader.get('user:1'), 'bob');
      assert.equal(calls(), before + 1);

      await writer.del('user:1');
      await until(() => cache.size() === 0, 'the invalidation after DEL');
      assert.equal(await reader.get('user:1'), null);

      await reader.get('user:1');
      await writer.set('other', 'x');
      await writer.flushAll();
      await until(() => cache.size() === 0, 'the null invalidation of FLUSHALL');
    } finally {
      await Promise.all([reader.quit(), writer.quit()]);
    }
  });
});
