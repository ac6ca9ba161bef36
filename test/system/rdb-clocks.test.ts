/*
 * Access clocks in RDB files: under an LRU maxmemory-policy each key's idle
 * time is saved (RDB_OPCODE_IDLE), under an LFU one its counter
 * (RDB_OPCODE_FREQ), and loading gives them back (OBJECT IDLETIME / FREQ) —
 * with Nodis on both ends and with a real redis-server loading Nodis's file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { skipWithoutRedis, startRedis } from '../helpers/servers.js';
import { tmpDir } from '../helpers/persist.js';

/** Save a dump with key `old` idle for 1000 s (LRU) or with LFU counter 100, and `new` just touched. */
async function saveWithClocks(dir: string, policy: string): Promise<void> {
  const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'maxmemory-policy': policy });
  const c = await RawClient.connect(a.port);
  await c.call('SET', 'old', 'v');
  await c.call('SET', 'new', 'v');
  const server = a.server;
  const db = server.dbs[0]!;
  if (policy.includes('lru')) db.setClock('old', (server.lruClock - 1000) & 0xffffff);
  else db.setClock('old', (db.clockOf('old')! & ~0xff) | 100);
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  c.close();
  await a.close();
}

describe('RDB access clocks', () => {
  test('LRU idle time survives a save and a load', async (t) => {
    const dir = tmpDir(t);
    await saveWithClocks(dir, 'allkeys-lru');
    const b = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'maxmemory-policy': 'allkeys-lru' });
    t.after(() => b.close());
    const c = await RawClient.connect(b.port);
    t.after(() => c.close());
    const idle = Number((await c.call('OBJECT', 'IDLETIME', 'old')).slice(1, -2));
    assert.ok(idle >= 1000 && idle <= 1003, `idle ${idle}`);
    assert.ok(Number((await c.call('OBJECT', 'IDLETIME', 'new')).slice(1, -2)) <= 3);
  });

  test('LFU counter survives a save and a load', async (t) => {
    const dir = tmpDir(t);
    await saveWithClocks(dir, 'allkeys-lfu');
    const b = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'maxmemory-policy': 'allkeys-lfu' });
    t.after(() => b.close());
    const c = await RawClient.connect(b.port);
    t.after(() => c.close());
    assert.equal(await c.call('OBJECT', 'FREQ', 'old'), ':100\r\n');
    assert.equal(await c.call('OBJECT', 'FREQ', 'new'), ':5\r\n');
  });

  test('redis-server loads the idle times and counters Nodis saved', { skip: skipWithoutRedis() }, async (t) => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu']) {
      const dir = tmpDir(t);
      await saveWithClocks(dir, policy);
      const r = await startRedis([`dir ${dir}`, `maxmemory-policy ${policy}`]);
      t.after(() => r.close());
      const c = await RawClient.connect(r.port);
      if (policy === 'allkeys-lru') {
        const idle = Number((await c.call('OBJECT', 'IDLETIME', 'old')).slice(1, -2));
        assert.ok(idle >= 1000 && idle <= 1003, `redis idle ${idle}`);
      } else {
        assert.equal(await c.call('OBJECT', 'FREQ', 'old'), ':100\r\n');
      }
      c.close();
    }
  });
});
