/*
 * Loading the AOF: a big AOF loads in slices after listening (clients get
 * -LOADING, INFO shows loading:1 with progress), DEBUG LOADAOF reloads the
 * dataset from the AOF, and an old single-file AOF made of an RDB preamble
 * followed by commands loads both parts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { info, startCheckingLoad, tmpDir } from '../helpers/persist.js';

async function fill(c: RawClient, n: number): Promise<void> {
  for (let i = 0; i < n; i += 5000) {
    const m = Math.min(n, i + 5000);
    for (let j = i; j < m; j++) c.send('RPUSH', `l:${j % 100}`, `e${j}`, `f${j}`);
    for (let j = i; j < m; j++) await c.read();
  }
}

describe('AOF loading', () => {
  test('-LOADING and loading:1 while a big AOF loads at start-up', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'no', loglevel: 'warning' });
    const c = await RawClient.connect(a.port);
    await fill(c, 200_000);
    await c.call('SET', 'last', 'written');
    c.close();
    await a.close();
    const d = await startCheckingLoad(t, { dir, appendonly: 'yes' }, 'last');
    assert.equal(await info(d, 'loading'), '0');
    assert.equal(await d.call('GET', 'last'), '$7\r\nwritten\r\n');
    assert.equal(await d.call('LLEN', 'l:7'), ':4000\r\n');
    assert.equal(await d.call('LINDEX', 'l:7', '-1'), '$7\r\nf199907\r\n');
    // writes after the load go on appending to the same AOF
    assert.equal(await d.call('SET', 'after', '1'), '+OK\r\n');
  });

  test('DEBUG LOADAOF reloads the dataset from the AOF', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, appendonly: 'yes', 'enable-debug-command': 'yes', loglevel: 'warning' });
    t.after(() => a.close());
    const c = await RawClient.connect(a.port);
    t.after(() => c.close());
    await c.call('SET', 'a', '1');
    await c.call('RPUSH', 'l', 'x', 'y');
    await c.call('SELECT', '3');
    await c.call('HSET', 'h', 'f', 'v');
    await c.call('PEXPIRE', 'h', '100000');
    const digest = await c.call('DEBUG', 'DIGEST');
    assert.equal(await c.call('DEBUG', 'LOADAOF'), '+OK\r\n');
    assert.equal(await c.call('DEBUG', 'DIGEST'), digest);
    assert.equal(await c.call('HGET', 'h', 'f'), '$1\r\nv\r\n');
    assert.match(await c.call('PTTL', 'h'), /^:\d+\r\n$/);
    assert.equal(await info(c, 'rdb_changes_since_last_save'), '0');
    // the reload neither duplicated the AOF nor stopped appending to it
    await c.call('SET', 'b', '2');
    assert.equal(await c.call('DEBUG', 'LOADAOF'), '+OK\r\n');
    assert.equal(await c.call('GET', 'b'), '$1\r\n2\r\n');
    assert.equal(await c.call('SELECT', '0'), '+OK\r\n');
    assert.equal(await c.call('DBSIZE'), ':2\r\n');
  });

  test('an old single-file AOF with an RDB preamble and a command tail loads both parts', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    const c = await RawClient.connect(a.port);
    await c.call('SET', 'fromrdb', 'yes');
    await c.call('RPUSH', 'list', 'a', 'b');
    assert.equal(await c.call('SAVE'), '+OK\r\n');
    c.close();
    await a.close();
    const rdb = fs.readFileSync(path.join(dir, 'dump.rdb'));
    fs.rmSync(path.join(dir, 'dump.rdb'));
    const tail = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$8\r\nfromtail\r\n$3\r\nyes\r\n*3\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n$1\r\nc\r\n';
    fs.writeFileSync(path.join(dir, 'appendonly.aof'), Buffer.concat([rdb, Buffer.from(tail, 'latin1')]));
    const b = await startServer({ port: 0, save: '', dir, appendonly: 'yes', loglevel: 'warning' });
    t.after(() => b.close());
    const d = await RawClient.connect(b.port);
    t.after(() => d.close());
    assert.equal(await d.call('GET', 'fromrdb'), '$3\r\nyes\r\n');
    assert.equal(await d.call('GET', 'fromtail'), '$3\r\nyes\r\n');
    assert.equal(await d.call('LRANGE', 'list', '0', '-1'), '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
  });
});
