/*
 * A client's reads and writes on the socket's handle (src/server/fastio.ts)
 * and on Node's socket stream (NODIS_STREAM_IO=1) behave alike, and as
 * redis-server: a pipeline followed by a half-close gets every reply before
 * the close, a slow reader of big replies gets every byte, a peer that
 * resets in the middle of a big reply leaves the server serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForPing, skipWithoutRedis, startRedis, startNodis, type RedisProcess } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';
import { until } from '../helpers/persist.js';

const BIN = resolve('bin/nodis-server');

interface Target { name: string; port: number; close(): Promise<void> }

async function spawnNodis(env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-sockio-'));
  const proc: ChildProcess = spawn(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    { stdio: 'ignore', env: { ...process.env, ...env } });
  const exited = new Promise<void>((r) => proc.once('exit', () => { rmSync(dir, { recursive: true, force: true }); r(); }));
  await waitForPing(port, 20000);
  return {
    name: env['NODIS_STREAM_IO'] === '1' ? 'nodis (stream)' : 'nodis (handle)', port,
    close: async () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); await exited; },
  };
}

/** Send `data`, half-close, and collect everything until the server closes. */
function sendAndHalfClose(port: number, data: string | Buffer): Promise<Buffer> {
  return new Promise((resolveP, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => { s.write(data); s.end(); });
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => resolveP(Buffer.concat(chunks)));
    s.setTimeout(10000, () => { s.destroy(); reject(new Error('no close within 10 s')); });
  });
}

async function connectedClients(port: number): Promise<number> {
  const c = await RawClient.connect(port);
  try {
    return Number(/connected_clients:(\d+)/.exec(await c.call('INFO', 'clients'))![1]);
  } finally { c.close(); }
}

describe('client socket I/O (handle and stream) against redis-server', { skip: skipWithoutRedis() }, () => {
  let redis: RedisProcess;
  const targets: Target[] = [];
  before(async () => {
    redis = await startRedis();
    targets.push({ name: 'redis', port: redis.port, close: () => redis.close() });
    targets.push(await spawnNodis({}));
    targets.push(await spawnNodis({ NODIS_STREAM_IO: '1' }));
  });
  after(async () => { for (const t of targets) await t.close(); });

  test('a pipeline then a half-close: every reply, then the close; the client is gone', async () => {
    const cmds = 'SET a 1\r\nPING\r\nGET a\r\n' + Array.from({ length: 200 }, (_, i) => `INCR n${i % 3}\r\n`).join('') +
      encodeCommand(['MGET', 'a', 'n0', 'n1', 'n2']).toString('latin1');
    const got: string[] = [];
    for (const t of targets) {
      got.push((await sendAndHalfClose(t.port, cmds)).toString('latin1'));
      await until(async () => (await connectedClients(t.port)) === 1, 5000);
    }
    assert.ok(got[0]!.endsWith('*4\r\n$1\r\n1\r\n$2\r\n67\r\n$2\r\n67\r\n$2\r\n66\r\n'), got[0]);
    assert.equal(got[1], got[0]);
    assert.equal(got[2], got[0]);
  });

  test('a slow reader of 300 replies of 100 KB gets every byte', async () => {
    const value = 'v'.repeat(100_000);
    const n = 300;
    const lens: number[] = [];
    for (const t of targets) {
      const admin = await RawClient.connect(t.port);
      assert.equal(await admin.call('SET', 'big', value), '+OK\r\n');
      const want = (`$${value.length}\r\n`.length + value.length + 2) * n;
      const got = await new Promise<number>((resolveP, reject) => {
        let bytes = 0;
        const s = net.connect(t.port, '127.0.0.1', () => s.write(Buffer.concat(Array.from({ length: n }, () => encodeCommand(['GET', 'big'])))));
        s.on('data', (d: Buffer) => {
          bytes += d.length;
          s.pause();
          setTimeout(() => s.resume(), 2); // a slow reader: the server's socket backs up
          if (bytes >= want) { s.destroy(); resolveP(bytes); }
        });
        s.on('error', reject);
        s.setTimeout(20000, () => { s.destroy(); reject(new Error(`${t.name}: ${bytes} of ${want} bytes in 20 s`)); });
      });
      assert.equal(got, want, t.name);
      assert.equal(await admin.call('PING'), '+PONG\r\n');
      admin.close();
      lens.push(got);
    }
    assert.equal(new Set(lens).size, 1);
  });

  test('commands split over many reads, two connections interleaved: every byte lands where it belongs', async () => {
    // the handle path reads every connection into one shared buffer (fastio.ts): a command's head kept from one
    // read must survive the other connection's reads before its tail comes
    const mk = (tag: string): Buffer => Buffer.concat(Array.from({ length: 20 }, (_, i) =>
      encodeCommand(['SET', `${tag}${i}`, `${tag}:${i}:`.repeat(2000 + i * 37)])));
    const replies: string[] = [];
    for (const t of targets) {
      const sockets = ['a', 'b'].map((tag) => ({ tag, data: mk(tag), sock: net.connect(t.port, '127.0.0.1'), got: '' }));
      await Promise.all(sockets.map((x) => new Promise<void>((r) => x.sock.once('connect', () => r()))));
      for (const x of sockets) { x.sock.setNoDelay(true); x.sock.on('data', (d: Buffer) => { x.got += d.toString('latin1'); }); }
      // 997-byte pieces, the two connections taking turns, a pause now and then so that they arrive as separate reads
      let at = 0;
      while (at < Math.max(...sockets.map((x) => x.data.length))) {
        for (const x of sockets) if (at < x.data.length) x.sock.write(x.data.subarray(at, at + 997));
        at += 997;
        if ((at / 997) % 16 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      await until(() => sockets.every((x) => x.got.length >= 20 * 5), 10000);
      const admin = await RawClient.connect(t.port);
      let digest = '';
      for (const tag of ['a', 'b']) for (let i = 0; i < 20; i++) {
        const v = await admin.call('GET', `${tag}${i}`);
        assert.equal(v, `$${(`${tag}:${i}:`.length) * (2000 + i * 37)}\r\n${`${tag}:${i}:`.repeat(2000 + i * 37)}\r\n`, `${t.name} ${tag}${i}`);
        digest += v.length + ',';
      }
      replies.push(sockets.map((x) => x.got).join('|') + digest);
      for (const x of sockets) x.sock.destroy();
      admin.close();
    }
    assert.equal(new Set(replies).size, 1);
  });

  test('a peer that resets in the middle of big replies: the server goes on', async () => {
    for (const t of targets) {
      const admin = await RawClient.connect(t.port);
      await admin.call('SET', 'big', 'x'.repeat(1_000_000));
      await new Promise<void>((resolveP) => {
        const s = net.connect(t.port, '127.0.0.1', () => s.write(Buffer.concat(Array.from({ length: 50 }, () => encodeCommand(['GET', 'big'])))));
        s.once('data', () => { s.resetAndDestroy(); resolveP(); });
        s.on('error', () => {});
      });
      await until(async () => (await connectedClients(t.port)) === 2, 5000);
      assert.equal(await admin.call('PING'), '+PONG\r\n', t.name);
      admin.close();
    }
  });
});

describe('client socket I/O: which path a connection takes', () => {
  test('an accepted TCP client reads and writes through its handle; NODIS_STREAM_IO=1 is the stream (checked above)', async () => {
    const s = await startNodis();
    try {
      const c = await RawClient.connect(s.port);
      assert.equal(await c.call('PING'), '+PONG\r\n');
      const clients = [...s.server.clients.values()];
      assert.equal(clients.length, 1);
      assert.notEqual(clients[0]!.io, null);
      c.close();
    } finally { await s.close(); }
  });
});
