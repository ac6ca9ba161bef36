/*
 * bin/nodis-proxy as a process: -t checks a file (errors name the line),
 * a bad file refuses to start, the stats port (JSON, Prometheus), SIGHUP reloads (a server added, a pool added;
 * a bad reload keeps the running configuration), SIGTERM exits. Plus the
 * pool `timeout`: a stalled backend answers "Connection timed out" to the
 * requests it holds, and the next request opens a fresh connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { freePort, skipWithoutRedis, startRedis, waitForPing } from '../helpers/servers.js';
import { keysOn, startProxyTopology } from '../helpers/proxy.js';

const skip = skipWithoutRedis();
const BIN = fileURLToPath(new URL('../../../bin/nodis-proxy', import.meta.url));

async function untilTrue(f: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** connect, optionally send something, read until the server closes */
function readAll(port: number, send?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => { if (send !== undefined) s.write(send); });
    let buf = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error('stats port did not close')); }, 3000);
    s.on('data', (d: Buffer) => { buf += d.toString('utf8'); });
    s.on('end', () => { clearTimeout(timer); resolve(buf); });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

async function info(port: number): Promise<string> {
  const c = await RawClient.connect(port);
  try { return parseReply(await c.call('INFO', 'proxy')) as string; } finally { c.close(); }
}

test('nodis-proxy -t: valid and invalid files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-cli-'));
  try {
    const good = join(dir, 'good.yml');
    writeFileSync(good, 'alpha:\n  listen: 127.0.0.1:22121\n  hash: fnv1a_64\n  servers:\n   - 127.0.0.1:6379:1\n');
    const ok = spawnSync(process.execPath, [BIN, '-t', '-c', good], { encoding: 'utf8', timeout: 20000 });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /syntax is ok/);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'alpha:\n  listen: 127.0.0.1:22121\n  hash: fnv1a_65\n  servers:\n   - 127.0.0.1:6379:1\n');
    const no = spawnSync(process.execPath, [BIN, '-t', '-c', bad], { encoding: 'utf8', timeout: 20000 });
    assert.equal(no.status, 1);
    assert.match(no.stderr, /syntax is invalid: line 3: pool 'alpha': unknown hash 'fnv1a_65'/);
    const run = spawnSync(process.execPath, [BIN, '-c', bad], { encoding: 'utf8', timeout: 20000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /failed to start: .*bad\.yml: line 3: pool 'alpha': unknown hash 'fnv1a_65'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGHUP reloads the file; a bad file keeps the running configuration; SIGTERM exits', { skip }, async (t) => {
  const [r1, r2] = [await startRedis(), await startRedis()];
  const dir = mkdtempSync(join(tmpdir(), 'proxy-cli-'));
  let proc: ChildProcess | null = null;
  t.after(async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await r1.close(); await r2.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const [p1, p2, ps] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, 'n.yml');
  const pool = (name: string, port: number, servers: number[]): string =>
    `${name}:\n  listen: 127.0.0.1:${port}\n  redis: true\n  servers:\n${servers.map((s) => `   - 127.0.0.1:${s}:1\n`).join('')}`;
  writeFileSync(conf, pool('alpha', p1, [r1.port]));
  let stderr = '';
  proc = spawn(process.execPath, [BIN, '-c', conf, '-s', String(ps), '-a', '127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  await waitForPing(p1);
  assert.match(await info(p1), /servers:1\r\n/);
  const c = await RawClient.connect(p1);
  t.after(() => c.close());
  assert.equal(await c.call('SET', 'k', 'v'), '+OK\r\n');

  // stats port: nutcracker's JSON on connect, Prometheus text for an HTTP GET
  const stats = JSON.parse(await readAll(ps)) as Record<string, unknown>;
  assert.equal(stats['service'], 'nodis-proxy');
  const alpha = stats['alpha'] as Record<string, unknown>;
  assert.equal(alpha['client_connections'], 1);
  assert.equal((alpha[`127.0.0.1:${r1.port}`] as Record<string, number>)['requests'], 1);
  const http = await readAll(ps, 'GET /metrics HTTP/1.0\r\n\r\n');
  assert.match(http, /^HTTP\/1\.0 200 OK\r\n/);
  assert.match(http, /\nnodis_proxy_commands_total\{pool="alpha"\} [1-9]/);
  assert.match(http, new RegExp(`\nnodis_proxy_server_requests_total\\{pool="alpha",server="127.0.0.1:${r1.port}",addr="127.0.0.1:${r1.port}"\\} 1\n`));

  writeFileSync(conf, pool('alpha', p1, [r1.port, r2.port]) + pool('beta', p2, [r2.port]));
  proc.kill('SIGHUP');
  await untilTrue(async () => /servers:2\r\n/.test(await info(p1)));
  await waitForPing(p2);
  // the old client connection survived the reload
  assert.equal(await c.call('PING'), '+PONG\r\n');

  writeFileSync(conf, 'alpha:\n  listen: 127.0.0.1:1\n  hash: nope\n');
  proc.kill('SIGHUP');
  await untilTrue(() => /reload failed, keeping the running configuration: .*line 3: pool 'alpha': unknown hash 'nope'/.test(stderr));
  assert.match(await info(p1), /servers:2\r\n/);

  const exited = new Promise<number | null>((r) => proc!.once('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('pool timeout: a stalled backend times out its requests only; the next request reconnects', { skip }, async (t) => {
  const topo = await startProxyTopology(2, { pool: '  hash: murmur\n  timeout: 300\n' });
  t.after(() => topo.close());
  const c = await RawClient.connect(topo.port);
  t.after(() => c.close());
  const [k0] = keysOn(topo, 0, 1, 't') as [string];
  const [k1] = keysOn(topo, 1, 1, 't') as [string];
  assert.equal(await c.call('MSET', k0, 'a', k1, 'b'), '+OK\r\n');
  const d = await RawClient.connect(topo.redis[0]!.port);
  t.after(() => d.close());
  assert.equal(await d.call('CLIENT', 'PAUSE', '800', 'ALL'), '+OK\r\n');
  const t0 = Date.now();
  c.send('GET', k0);
  c.send('GET', k1);
  assert.equal(await c.read(3000), '-ERR Connection timed out\r\n');
  assert.ok(Date.now() - t0 < 750, `timed out after ${Date.now() - t0} ms`);
  assert.equal(await c.read(3000), '$1\r\nb\r\n');
  await untilTrue(async () => (await d.call('PING')) === '+PONG\r\n');
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(await c.call('GET', k0), '$1\r\na\r\n');
});
