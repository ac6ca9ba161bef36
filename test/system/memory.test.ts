/*
 * Memory figures after a large free, in a server process of its own (the V8
 * heap is process-wide): FLUSHALL / FLUSHDB count the dataset as freed at
 * once (INFO used_memory falls back near used_memory_startup in the reply's
 * own turn, as Redis's counter does), and the full GC that follows gives the
 * pages back so used_memory_rss falls too. Redis 7.0.15 on the same load:
 * used_memory back to its start-up figure at once, RSS from ~600 MB to ~20 MB.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { spawnOnFreePort } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { until } from '../helpers/persist.js';

const BIN = resolve('bin/nodis-server');
const MB = 1024 * 1024;

async function spawnServer(t: { after(fn: () => Promise<void> | void): void }): Promise<{ c: RawClient; proc: ChildProcess }> {
  const { port, proc, exited } = await spawnOnFreePort((p) => {
    const child = spawn(process.execPath, [BIN, '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'], { stdio: 'ignore' });
    return child;
  });
  t.after(async () => { proc.kill('SIGKILL'); await exited; });
  return { c: await RawClient.connect(port), proc };
}

async function mem(c: RawClient): Promise<Record<string, number>> {
  const txt = parseReply(await c.call('INFO', 'memory')) as string;
  const out: Record<string, number> = {};
  for (const m of txt.matchAll(/^(\w+):(\d+)\r$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

describe('memory accounting after large frees', () => {
  test('FLUSHALL: used_memory near start-up at once, RSS given back after', async (t) => {
    const { c } = await spawnServer(t);
    assert.equal(await c.call('DEBUG', 'POPULATE', '300000', 'key', '1000'), '+OK\r\n');
    const full = await mem(c);
    assert.ok(full['used_memory']! - full['used_memory_startup']! > 120 * MB, JSON.stringify(full));
    assert.equal(await c.call('FLUSHALL'), '+OK\r\n');
    const after = await mem(c);
    assert.ok(after['used_memory']! - after['used_memory_startup']! < 40 * MB, `used_memory after FLUSHALL: ${after['used_memory']} (startup ${after['used_memory_startup']})`);
    // the collection the flush scheduled gives the heap back to the system
    await until(async () => (await mem(c))['used_memory_rss']! < full['used_memory_rss']! / 2, 10000);
    const later = await mem(c);
    assert.ok(later['used_memory']! - later['used_memory_startup']! < 40 * MB, JSON.stringify(later));
    // the reading stays true: new data counts again
    assert.equal(await c.call('DEBUG', 'POPULATE', '100000', 'k2', '1000'), '+OK\r\n');
    const refill = await mem(c);
    const was = full['used_memory']! - full['used_memory_startup']!;
    assert.ok(refill['used_memory']! - refill['used_memory_startup']! > was / 5, `refill of a third: ${JSON.stringify(refill)}, full ${was}`);
    c.close();
  });

  test('FLUSHDB frees its own db\'s share; maxmemory eviction sees the room at once', async (t) => {
    const { c } = await spawnServer(t);
    assert.equal(await c.call('SELECT', '1'), '+OK\r\n');
    assert.equal(await c.call('DEBUG', 'POPULATE', '150000', 'a', '1000'), '+OK\r\n');
    assert.equal(await c.call('SELECT', '0'), '+OK\r\n');
    assert.equal(await c.call('DEBUG', 'POPULATE', '150000', 'b', '1000'), '+OK\r\n');
    const full = await mem(c);
    const dataset = full['used_memory']! - full['used_memory_startup']!;
    assert.ok(dataset > 120 * MB, JSON.stringify(full));
    assert.equal(await c.call('FLUSHDB'), '+OK\r\n');
    const half = await mem(c);
    const left = half['used_memory']! - half['used_memory_startup']!;
    assert.ok(left < dataset * 0.7 && left > dataset * 0.3, `dataset ${dataset}, after FLUSHDB of half: ${left}`);
    // with maxmemory above what is left, writes go on without evicting db 1
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    await c.call('CONFIG', 'SET', 'maxmemory', String(half['used_memory']! + 30 * MB));
    for (let i = 0; i < 100; i++) assert.equal(await c.call('SET', `n${i}`, 'x'.repeat(1000)), '+OK\r\n');
    const stats = parseReply(await c.call('INFO', 'stats')) as string;
    assert.match(stats, /^evicted_keys:0\r$/m);
    assert.equal(await c.call('SELECT', '1'), '+OK\r\n');
    assert.equal(await c.call('DBSIZE'), ':150000\r\n');
    c.close();
  });
});
