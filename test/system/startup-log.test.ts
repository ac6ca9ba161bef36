/*
 * Starting and dying like redis-server, as Redis's own test suite sees it:
 * the logo's " PID: <pid>" line once the port is bound and before the data
 * loads (so a failed load still announced itself), the one-line form without
 * always-show-logo, Redis's crash report on SIGABRT and DEBUG SEGFAULT (and
 * death by that signal), and a connection refused at maxclients that resets
 * under the server without taking it down. Every wait is bounded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { freePort, waitForPing, bounded } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';
import { until } from '../helpers/persist.js';

const BIN = resolve('bin/nodis-server');

interface Proc { proc: ChildProcess; port: number; log: () => string; exit: Promise<{ code: number | null; signal: string | null }> }

async function spawnServer(args: string[], files: Record<string, string | Buffer> = {}): Promise<Proc> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-startlog-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  const proc = spawn(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => proc.once('exit', (code, signal) => { rmSync(dir, { recursive: true, force: true }); r({ code, signal }); }));
  return { proc, port, log: () => out, exit };
}

async function stop(p: Proc): Promise<void> {
  if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  await p.exit;
}

describe('start-up and crash log', () => {
  test('always-show-logo: the " PID: <pid>" line, after binding, before "Server initialized"', async () => {
    const s = await spawnServer(['--always-show-logo', 'yes']);
    try {
      await waitForPing(s.port, 20000);
      const log = s.log();
      const pidAt = log.indexOf(` PID: ${s.proc.pid}\n`);
      assert.ok(pidAt > 0, log);
      assert.match(log, new RegExp(`Port: ${s.port}\\n`));
      assert.match(log, /Running in standalone mode/);
      assert.ok(log.indexOf('# Server initialized') > pidAt);
      assert.ok(log.indexOf('* Ready to accept connections') > pidAt);
    } finally { await stop(s); }
  });

  test('without a tty or always-show-logo: one "Running mode=standalone, port=N." line', async () => {
    const s = await spawnServer([]);
    try {
      await waitForPing(s.port, 20000);
      assert.match(s.log(), new RegExp(`\\* Running mode=standalone, port=${s.port}\\.\\n`));
      assert.doesNotMatch(s.log(), / PID: /);
    } finally { await stop(s); }
  });

  test('a corrupt dump.rdb: the PID line is out before the load fails and the process exits 1', async () => {
    const s = await spawnServer(['--always-show-logo', 'yes'], { 'dump.rdb': Buffer.from('REDIS0010\xfa\x09redis-ver\x067.0.15\xfe\x00\xfb\x05\x00garbage', 'latin1') });
    try {
      const { code } = await bounded(s.exit, 20000);
      assert.equal(code, 1);
      const log = s.log();
      const pidAt = log.indexOf(` PID: ${s.proc.pid}\n`);
      assert.ok(pidAt > 0, log);
      // Redis's lines: rdbReportError's, redis-check-rdb's report, then the end
      const errAt = log.indexOf('# Internal error in RDB reading offset 0, function at rdb.c:2317 -> Unknown RDB encoding type 103', pidAt);
      assert.ok(errAt > pidAt, log);
      assert.ok(log.indexOf('--- RDB ERROR DETECTED ---', errAt) > errAt, log);
      assert.ok(log.indexOf('# Terminating server after rdb file reading failure.', errAt) > errAt, log);
    } finally { await stop(s); }
  });

  test('SIGABRT: Redis\'s crash report, then death by SIGABRT', async () => {
    const s = await spawnServer(['--crash-memcheck-enabled', 'no']);
    try {
      await waitForPing(s.port, 20000);
      s.proc.kill('SIGABRT');
      const { signal } = await bounded(s.exit, 10000);
      assert.equal(signal, 'SIGABRT');
      const log = s.log();
      assert.match(log, /=== REDIS BUG REPORT START: Cut & paste starting from here ===/);
      assert.match(log, /# Redis 7\.0\.15 crashed by signal: 6, si_code: 0/);
      assert.match(log, /------ INFO OUTPUT ------\n# Server\nredis_version:7\.0\.15/);
      assert.match(log, /=== REDIS BUG REPORT END\. Make sure to include from START to END\. ===/);
    } finally { await stop(s); }
  });

  test('DEBUG SEGFAULT: the report names the client and the command, then death by SIGSEGV', async () => {
    const s = await spawnServer(['--enable-debug-command', 'yes']);
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      c.send('DEBUG', 'SEGFAULT');
      await c.waitClose(10000);
      const { signal } = await bounded(s.exit, 10000);
      assert.equal(signal, 'SIGSEGV');
      assert.match(s.log(), /crashed by signal: 11/);
      assert.match(s.log(), /------ CURRENT CLIENT INFO ------\nid=\d+ .*cmd=debug/);
      assert.match(s.log(), /argv\[1\]: 'SEGFAULT'/);
    } finally { await stop(s); }
  });

  test('maxclients: the refused connection gets the error, and one that resets does not hurt the server', async () => {
    const s = await spawnServer(['--maxclients', '2']);
    const held: net.Socket[] = [];
    try {
      await waitForPing(s.port, 20000);
      const a = await RawClient.connect(s.port);
      const b = await RawClient.connect(s.port);
      assert.equal(await a.call('PING'), '+PONG\r\n');
      assert.equal(await b.call('PING'), '+PONG\r\n');
      const refused = await RawClient.connect(s.port);
      assert.equal(await refused.read(5000), '-ERR max number of clients reached\r\n');
      // peers that reset at once (RST before the error is written) many times over
      for (let i = 0; i < 50; i++) {
        const sock = net.connect(s.port, '127.0.0.1');
        sock.on('error', () => {});
        sock.on('connect', () => sock.resetAndDestroy());
        held.push(sock);
      }
      await until(() => held.every((x) => x.destroyed), 5000);
      assert.equal(await a.call('PING'), '+PONG\r\n');
      // some resets die in the kernel's backlog before accept(): at least one more than the first refusal got through
      const rejected = Number(/rejected_connections:(\d+)/.exec(await a.call('INFO', 'stats'))![1]);
      assert.ok(rejected >= 2, `rejected_connections ${rejected}`);
      a.close(); b.close(); refused.close();
      assert.equal(s.proc.exitCode, null);
    } finally { for (const x of held) x.destroy(); await stop(s); }
  });
});
