/*
 * bin/nodis-server as a process: Redis-like start-up log lines, and a clean
 * stop on SIGTERM, SIGINT and SHUTDOWN (exit code 0, shutdown logged), each
 * bounded in time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { bounded, spawnOnFreePort } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';

const BIN = resolve('bin/nodis-server');

async function start(): Promise<{ proc: ChildProcess; port: number; log: () => string; exit: Promise<number | null> }> {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-life-'));
  let out = '';
  const { port, proc, exited: exit } = await spawnOnFreePort((p) => {
    out = '';
    const child = spawn(process.execPath, [BIN, '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    return child;
  });
  proc.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { proc, port, log: () => out, exit };
}

describe('nodis-server lifecycle', () => {
  test('start-up log lines: version, pid, port, ready', async () => {
    const s = await start();
    try {
      const log = s.log();
      assert.match(log, /Redis version=7\.0\.15, nodis_version=[0-9.]+, bits=64, pid=\d+, just started/);
      assert.match(log, new RegExp(`^${s.proc.pid}:M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\* Ready to accept connections`, 'm'));
      assert.match(log, new RegExp(`Running mode=standalone, port=${s.port}\\.`));
    } finally {
      s.proc.kill('SIGKILL');
      await s.exit;
    }
  });

  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    test(`${sig} stops it cleanly`, async () => {
      const s = await start();
      s.proc.kill(sig);
      assert.equal(await bounded(s.exit, 10000), 0);
      assert.match(s.log(), new RegExp(`Received ${sig} scheduling shutdown`));
      assert.match(s.log(), /ready to exit, bye bye/);
    });
  }

  test('SHUTDOWN NOSAVE ends the process; the client sees the connection close', async () => {
    const s = await start();
    const c = await RawClient.connect(s.port);
    c.send('SHUTDOWN', 'NOSAVE');
    await c.waitClose(10000);
    assert.equal(await bounded(s.exit, 10000), 0);
    assert.match(s.log(), /ready to exit, bye bye/);
  });
});
