/*
 * A slow script replayed from the AOF (Redis's aof.tcl "EVAL timeout with
 * slow verbatim Lua script from AOF"), side by side with redis-server: while
 * DEBUG LOADAOF replays a script that runs past busy-reply-threshold, other
 * clients are answered -LOADING (not left waiting, and never served the
 * half-loaded data), "Slow script detected" is logged, the caller gets +OK
 * once the script and the rest of the file are done, and the script's write
 * is there. The same at start-up for a big AOF (loaded in slices).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';
import { REDIS_SERVER, freePort, skipWithoutRedis, spawnOnFreePort } from '../helpers/servers.js';

const BIN = resolve('bin/nodis-server');
const SLOW = "redis.call('set',KEYS[1],'y'); local i = 0 while i < 50000000 do i = i + 1 end return 'ok'";

interface Proc { port: number; proc: ChildProcess; dir: string; log: () => string; stop(): Promise<void> }

async function start(kind: 'nodis' | 'redis', dir: string, extra: string[] = []): Promise<Proc> {
  const logFile = join(dir, 'server.log');
  const args = (p: number): string[] => ['--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    '--aof-use-rdb-preamble', 'no', '--lua-time-limit', '1', '--enable-debug-command', 'yes', '--logfile', logFile, ...extra];
  const { port, proc, exited } = await spawnOnFreePort((p) => kind === 'redis'
    ? spawn(REDIS_SERVER, args(p), { stdio: 'ignore' })
    : spawn(process.execPath, [BIN, ...args(p)], { stdio: 'ignore' }), 30000);
  return {
    port, proc, dir,
    log: () => { try { return readFileSync(logFile, 'latin1'); } catch { return ''; } },
    stop: async () => { proc.kill('SIGKILL'); await exited; },
  };
}

/** PING until it is answered -LOADING (true) or `ms` pass (false). */
async function seesLoading(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  const c = await RawClient.connect(port);
  try {
    while (Date.now() < until) {
      if (await c.call('PING') === '-LOADING Redis is loading the dataset in memory\r\n') return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  } finally { c.close(); }
}

describe('a slow script replayed from the AOF', { skip: skipWithoutRedis() }, () => {
  for (const kind of ['nodis', 'redis'] as const) {
    test(`${kind}: DEBUG LOADAOF answers -LOADING meanwhile, logs the slow script, and keeps its write`, async (t) => {
      const dir = mkdtempSync(join(tmpdir(), `aof-slow-${kind}-`));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const s = await start(kind, dir);
      t.after(() => s.stop());
      const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
      writeFileSync(incr, Buffer.concat([encodeCommand(['select', '9']), encodeCommand(['eval', SLOW, '1', 'x']), encodeCommand(['set', 'after', '1'])]));
      const rd = await RawClient.connect(s.port);
      t.after(() => rd.close());
      rd.send('DEBUG', 'LOADAOF');
      assert.ok(await seesLoading(s.port, 5000), 'PING answered -LOADING while the script runs');
      if (kind === 'nodis') {
        // no second load over the one in progress (Redis runs DEBUG LOADAOF in one go, so there is no such window)
        const other = await RawClient.connect(s.port);
        // (-BUSY while the script runs past its threshold: DEBUG passes LOADING, it has the loading flag)
        assert.match(await other.call('DEBUG', 'RELOAD'), /^-(LOADING|BUSY) /);
        assert.match(await other.call('DEBUG', 'LOADAOF'), /^-(LOADING|BUSY) /);
        other.close();
      }
      assert.equal(await rd.read(120000), '+OK\r\n');
      assert.match(s.log(), /Slow script detected: still in execution after \d+ milliseconds/);
      const c = await RawClient.connect(s.port);
      t.after(() => c.close());
      await c.call('SELECT', '9');
      assert.equal(await c.call('GET', 'x'), '$1\r\ny\r\n');
      assert.equal(await c.call('GET', 'after'), '$1\r\n1\r\n', 'the command after the script was replayed after it');
    });
  }

  test('nodis: at start-up, a big AOF loading in slices answers -LOADING during a slow script', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'aof-slow-start-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const s = await start('nodis', dir);
    await s.stop();
    // 5 MB: past the size (4 MB) from which a start-up load goes in slices after listening
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const filler = Buffer.concat(Array.from({ length: 5000 }, (_, i) => encodeCommand(['set', `k${i}`, 'v'.repeat(1000)])));
    writeFileSync(incr, Buffer.concat([filler, encodeCommand(['eval', SLOW, '1', 'x'])]));
    appendFileSync(incr, encodeCommand(['set', 'after', '1']));
    const logFile = join(dir, 'server.log');
    rmSync(logFile, { force: true });
    // the server answers -LOADING for a while, so spawnOnFreePort (which waits for PONG) is not used: poll for LOADING itself
    const port = await freePort();
    const proc = spawn(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
      '--lua-time-limit', '1', '--logfile', logFile], { stdio: 'ignore' });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    t.after(async () => { proc.kill('SIGKILL'); await exited; });
    let loading = false;
    const until = Date.now() + 30000;
    while (!loading && Date.now() < until) {
      try { loading = await seesLoading(port, 200); } catch { await new Promise((r) => setTimeout(r, 20)); }
      try { if (/DB loaded from/.test(readFileSync(logFile, 'latin1'))) break; } catch { /* no log yet */ }
    }
    assert.ok(loading, 'PING answered -LOADING during the start-up load');
    const c = await RawClient.connect(port);
    t.after(() => c.close());
    const end = Date.now() + 120000;
    while (await c.call('PING') !== '+PONG\r\n' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await c.call('GET', 'x'), '$1\r\ny\r\n');
    assert.equal(await c.call('GET', 'after'), '$1\r\n1\r\n');
    assert.match(readFileSync(logFile, 'latin1'), /Slow script detected/);
  });
});
