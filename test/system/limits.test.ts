/*
 * Connection limits and output handling of Nodis (in-process servers, so the
 * tests can look at server-side state): bounded memory for a client that
 * never reads, client-output-buffer-limit, no deadlock for a slow reader,
 * one socket write per read, pushed output flushed via scheduleFlush,
 * maxclients, idle timeout, client-query-buffer-limit.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';
import type { Client } from '../../src/server/client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The server-side client other than `except` (the newest one). */
function serverClient(s: RunningServer, except?: number): Client {
  const all = [...s.server.clients.values()].filter((c) => c.id !== except);
  return all[all.length - 1]!;
}

async function withServer(opts: Record<string, string | number>, f: (s: RunningServer) => Promise<void>): Promise<void> {
  const s = await startNodis(opts);
  try { await f(s); } finally { await s.close(); }
}

/** A raw socket that pipelines n copies of a command and never reads. */
async function nonReader(port: number, cmd: Buffer, n: number): Promise<net.Socket> {
  const sock = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.on('error', () => {});
  sock.pause();
  sock.write(Buffer.concat(Array.from({ length: n }, () => cmd)));
  return sock;
}

describe('limits: output', () => {
  test('a client pipelining GETs of a 1 MB value and never reading keeps server memory bounded', async () => {
    await withServer({}, async (s) => {
      const admin = await RawClient.connect(s.port);
      await admin.call('SET', 'big', 'x'.repeat(1024 * 1024));
      const sock = await nonReader(s.port, encodeCommand(['GET', 'big']), 2000); // 2 GB of replies if unbounded
      let peak = 0;
      for (let i = 0; i < 20; i++) {
        await sleep(50);
        const c = serverClient(s, Number((await admin.call('CLIENT', 'ID')).slice(1, -2)));
        peak = Math.max(peak, c.pendingOutput);
      }
      const c = serverClient(s, Number((await admin.call('CLIENT', 'ID')).slice(1, -2)));
      assert.ok(peak > 0, 'the client should have pending output');
      assert.ok(peak < 16 * 1024 * 1024, `pending output ${peak} bytes is not bounded`);
      assert.ok(c.readingPaused, 'reading should be paused for backpressure');
      assert.ok(c.parser.pending > 0, 'unprocessed commands wait in the parser');
      assert.match(await admin.call('PING'), /PONG/); // the server still serves others
      sock.destroy();
      admin.close();
    });
  });

  test('client-output-buffer-limit normal 1mb 0 0 disconnects a client that does not read', async () => {
    await withServer({ 'client-output-buffer-limit': 'normal 1mb 0 0' }, async (s) => {
      const admin = await RawClient.connect(s.port);
      await admin.call('SET', 'big', 'x'.repeat(1024 * 1024));
      const before = s.server.stats.clientOutputLimitDisconnections;
      const sock = await nonReader(s.port, encodeCommand(['GET', 'big']), 200);
      const closed = new Promise<void>((r) => sock.once('close', () => r()));
      sock.resume(); // the kernel buffer fills anyway: the app reads nothing useful in time
      sock.pause();
      await closed;
      assert.equal(s.server.stats.clientOutputLimitDisconnections, before + 1);
      assert.equal(s.server.clients.size, 1);
      // a client that reads small replies is unaffected
      for (let i = 0; i < 100; i++) assert.equal(await admin.call('PING'), '+PONG\r\n');
      admin.close();
    });
  });

  test('normal 64mb 32mb 10: a client pipelining GETs of 1 MB and never reading is dropped at the hard limit, fast', async () => {
    await withServer({ 'client-output-buffer-limit': 'normal 64mb 32mb 10' }, async (s) => {
      const admin = await RawClient.connect(s.port);
      await admin.call('SET', 'big', 'x'.repeat(1024 * 1024));
      const before = s.server.stats.clientOutputLimitDisconnections;
      const t0 = Date.now();
      const sock = await nonReader(s.port, encodeCommand(['GET', 'big']), 200);
      // (a paused socket sees no 'close' until it reads: watch the server side)
      while (s.server.clients.size > 1 && Date.now() - t0 < 10000) await sleep(20);
      // Redis drops it in about 0.25 s; the read-side pause (4 MB) no longer keeps it under the limit forever
      assert.ok(Date.now() - t0 < 5000, `closed after ${Date.now() - t0} ms`);
      assert.equal(s.server.stats.clientOutputLimitDisconnections, before + 1);
      sock.destroy();
      assert.equal(await admin.call('PING'), '+PONG\r\n');
      admin.close();
    });
  });

  test('a reply only the count bounds (SRANDMEMBER s -2147483648) stops at the output cap: the client is closed, the server serves on', async () => {
    for (const limits of ['normal 0 0 0', 'normal 16mb 0 0']) {
      await withServer({ 'client-output-buffer-limit': limits }, async (s) => {
        const admin = await RawClient.connect(s.port);
        await admin.call('SADD', 's', 'a', 'b');
        await admin.call('ZADD', 'z', 1, 'a', 2, 'b');
        await admin.call('HSET', 'h', 'a', 1, 'b', 2);
        for (const cmd of [['SRANDMEMBER', 's', '-2147483648'], ['ZRANDMEMBER', 'z', '-4611686018427387903', 'WITHSCORES'], ['HRANDFIELD', 'h', '-4611686018427387903', 'WITHVALUES']]) {
          const before = s.server.stats.clientOutputLimitDisconnections;
          const victim = await RawClient.connect(s.port);
          victim.send(...cmd);
          await victim.waitClose(30000);
          assert.equal(s.server.stats.clientOutputLimitDisconnections, before + 1, cmd.join(' '));
          assert.equal(await admin.call('PING'), '+PONG\r\n');
        }
        admin.close();
      });
    }
  });

  test('a bulk of 536,870,889 bytes (legal under proto-max-bulk-len, past V8\'s string limit) is stored as Redis does; the connection goes on', async () => {
    await withServer({}, async (s) => {
      const sock = net.connect({ port: s.port, host: '127.0.0.1' });
      await new Promise<void>((r) => sock.once('connect', () => r()));
      let got = '';
      sock.on('data', (d: Buffer) => { got += d.toString('latin1'); });
      const n = 536870889;
      sock.write(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${n}\r\n`);
      const chunk = Buffer.alloc(8 << 20, 120);
      for (let left = n; left > 0; left -= chunk.length) {
        if (!sock.write(chunk.subarray(0, Math.min(left, chunk.length)))) await new Promise((r) => sock.once('drain', r));
      }
      sock.write('\r\n*1\r\n$4\r\nPING\r\n*2\r\n$6\r\nSTRLEN\r\n$3\r\nbig\r\n*4\r\n$8\r\nGETRANGE\r\n$3\r\nbig\r\n$2\r\n-2\r\n$2\r\n-1\r\n');
      const want = `+OK\r\n+PONG\r\n:${n}\r\n$2\r\nxx\r\n`;
      for (let i = 0; i < 600 && got !== want; i++) await sleep(50);
      assert.equal(got, want);
      sock.destroy();
    });
  });

  test('proto-max-bulk-len raised past 4 GB: a string that would outgrow a Buffer gets the too-long error, not an exception', async () => {
    await withServer({ 'proto-max-bulk-len': '8gb' }, async (s) => {
      const c = await RawClient.connect(s.port);
      const tooLong = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n';
      assert.equal(await c.call('SETRANGE', 'k', '4294967296', 'x'), tooLong);
      assert.equal(await c.call('SETRANGE', 'k', '4294967295', 'xy'), tooLong);
      assert.equal(await c.call('SETBIT', 'k', String(2 ** 35), '1'), '-ERR bit offset is not an integer or out of range\r\n');
      assert.equal(await c.call('BITFIELD', 'k', 'SET', 'u8', String(2 ** 35), '1'), '-ERR bit offset is not an integer or out of range\r\n');
      assert.equal(await c.call('EXISTS', 'k'), ':0\r\n');
      c.close();
    });
  });

  test('soft limit: over it for longer than the seconds disconnects', async () => {
    await withServer({ 'client-output-buffer-limit': 'normal 0 512kb 1' }, async (s) => {
      const admin = await RawClient.connect(s.port);
      await admin.call('SET', 'big', 'x'.repeat(1024 * 1024));
      const sock = await nonReader(s.port, encodeCommand(['GET', 'big']), 30);
      const closed = new Promise<void>((r) => sock.once('close', () => r()));
      // keep the output pending and above the soft limit: push more GETs after the window
      await sleep(1200);
      sock.write(encodeCommand(['GET', 'big']));
      await sleep(100);
      sock.write(encodeCommand(['GET', 'big']));
      await closed;
      admin.close();
    });
  });

  test('a client that pipelines a lot and reads slowly gets every reply (no deadlock)', async () => {
    await withServer({}, async (s) => {
      const admin = await RawClient.connect(s.port);
      const value = 'v'.repeat(100 * 1024);
      await admin.call('SET', 'k', value);
      const n = 400; // 40 MB of replies, well past the backpressure threshold
      const sock = net.connect({ port: s.port, host: '127.0.0.1' });
      await new Promise<void>((r) => sock.once('connect', () => r()));
      const reply = `$${value.length}\r\n${value}\r\n`;
      let got = 0;
      const done = new Promise<void>((resolve) => {
        sock.on('data', (d: Buffer) => {
          got += d.length;
          sock.pause();
          setTimeout(() => sock.resume(), 1); // slow reader
          if (got >= reply.length * n) resolve();
        });
      });
      sock.write(Buffer.concat(Array.from({ length: n }, () => encodeCommand(['GET', 'k']))));
      await done;
      assert.equal(got, reply.length * n);
      sock.destroy();
      admin.close();
    });
  });

  test('replies for one read go out in one socket write', async () => {
    await withServer({}, async (s) => {
      const c = await RawClient.connect(s.port);
      await c.call('PING');
      const sc = serverClient(s);
      let writes = 0;
      const orig = sc.socket.write.bind(sc.socket);
      sc.socket.write = ((...a: Parameters<typeof orig>) => { writes++; return orig(...a); }) as typeof sc.socket.write;
      // the socket's handle (server/fastio.ts) when the client writes through it
      const io = sc.io;
      if (io !== null) {
        const ioWrite = io.write.bind(io);
        io.write = (b: Buffer): boolean => { writes++; return ioWrite(b); };
      }
      let data = '';
      for (let i = 0; i < 100; i++) data += `INCR n\r\n`;
      c.write(data);
      for (let i = 0; i < 100; i++) await c.read();
      assert.equal(writes, 1);
      c.close();
    });
  });

  test('pushed output is flushed by scheduleFlush', async () => {
    await withServer({}, async (s) => {
      const c = await RawClient.connect(s.port);
      await c.call('PING');
      const sc = serverClient(s);
      sc.push(2);
      sc.bulk('message');
      sc.bulk('hello');
      sc.pushed();
      sc.push(1);
      sc.bulk('again');
      sc.pushed(); // both in one flush at the end of this turn
      assert.equal(await c.read(), '*2\r\n$7\r\nmessage\r\n$5\r\nhello\r\n');
      assert.equal(await c.read(), '*1\r\n$5\r\nagain\r\n');
      c.close();
    });
  });
});

describe('limits: connections', () => {
  test('maxclients', async () => {
    await withServer({ maxclients: 2 }, async (s) => {
      const a = await RawClient.connect(s.port);
      const b = await RawClient.connect(s.port);
      await a.call('PING');
      await b.call('PING');
      const c = await RawClient.connect(s.port);
      assert.equal(await c.read(), '-ERR max number of clients reached\r\n');
      await c.waitClose();
      assert.equal(s.server.stats.rejectedConnections, 1);
      b.close();
      await sleep(50);
      const d = await RawClient.connect(s.port);
      assert.equal(await d.call('PING'), '+PONG\r\n');
      a.close();
      d.close();
    });
  });

  test('idle timeout closes idle normal clients, not active ones', async () => {
    await withServer({ timeout: 1, hz: 50 }, async (s) => {
      const idle = await RawClient.connect(s.port);
      const active = await RawClient.connect(s.port);
      await idle.call('PING');
      const t0 = Date.now();
      const closed = idle.waitClose(4000);
      while (!idle.closed) {
        assert.equal(await active.call('PING'), '+PONG\r\n');
        await sleep(200);
        if (Date.now() - t0 > 4000) break;
      }
      await closed;
      assert.ok(Date.now() - t0 >= 1000, 'closed before the timeout');
      assert.equal(active.closed, false);
      active.close();
    });
  });

  test('client-query-buffer-limit closes a client sending a too large argument', async () => {
    await withServer({ 'client-query-buffer-limit': '1mb' }, async (s) => {
      const c = await RawClient.connect(s.port);
      c.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n' + 'x'.repeat(1_200_000));
      await c.waitClose();
      assert.equal(c.unread, '');
      const d = await RawClient.connect(s.port);
      assert.equal(await d.call('EXISTS', 'k'), ':0\r\n');
      d.close();
    });
  });
});
