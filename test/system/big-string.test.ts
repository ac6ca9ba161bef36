/*
 * A string value longer than V8's string length limit (536,870,888 bytes):
 * the default proto-max-bulk-len (512 MB) lets SETRANGE make one of up to
 * 536,870,912 bytes, as Redis does. Found by the fuzzer's --big-alloc mode:
 * GET / GETEX / GETDEL / GETSET / MGET replied 'ERR internal error ... Cannot
 * create a string longer than 0x1fffffe8 characters', and an RDB holding such
 * a value could not be loaded (DEBUG RELOAD failed, a restart exited with
 * 'Fatal error loading the DB'). Now the value replies from its bytes and
 * loads as bytes. A server process of its own (the value is 512 MB, its RDB
 * ~6 MB compressed); replies are counted, never held as strings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnOnFreePort } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';

const BIN = resolve('bin/nodis-server');
const SIZE = 536870912; // 512 MB, the largest proto-max-bulk-len allows by default

async function spawnServer(t: { after(fn: () => Promise<void> | void): void }, dir: string): Promise<{ port: number; proc: ChildProcess }> {
  const { port, proc, exited } = await spawnOnFreePort((p) => {
    const child = spawn(process.execPath, [BIN, '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes'], { stdio: 'ignore' });
    return child;
  });
  t.after(async () => { proc.kill('SIGKILL'); await exited; });
  return { port, proc };
}

/** Send one command; return the reply's first bytes (up to 300) and its total length, without keeping it. */
function sizedReply(port: number, args: string[], timeoutMs = 60000): Promise<{ head: string; bytes: number }> {
  return new Promise((resolveP, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let head = '';
    let bytes = 0;
    let expect = -1;
    const t = setTimeout(() => { s.destroy(); reject(new Error(`no full reply within ${timeoutMs} ms (${bytes} bytes, ${JSON.stringify(head)})`)); }, timeoutMs);
    s.on('connect', () => s.write(args.map((a) => `$${a.length}\r\n${a}\r\n`).reduce((acc, x) => acc + x, `*${args.length}\r\n`)));
    s.on('data', (d: Buffer) => {
      if (head.length < 300) head += d.subarray(0, 300 - head.length).toString('latin1');
      bytes += d.length;
      if (expect < 0) {
        const nl = head.indexOf('\r\n');
        if (nl > 0) expect = head[0] === '$' ? nl + 2 + Number(head.slice(1, nl)) + 2 : nl + 2;
      }
      if (expect > 0 && bytes >= expect) { clearTimeout(t); s.destroy(); resolveP({ head, bytes }); }
    });
    s.on('error', (e) => { clearTimeout(t); reject(e); });
  });
}

test('a 512 MB string replies from its bytes and loads again from an RDB', { timeout: 170_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-bigstr-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let { port } = await spawnServer(t, dir);
  let c = await RawClient.connect(port);
  assert.equal(await c.call('SETRANGE', 'k', String(SIZE - 1), 'x'), `:${SIZE}\r\n`);
  assert.equal(await c.call('SETBIT', 'k', '5', '1'), ':0\r\n');
  assert.equal(await c.call('SET', 'small', 'v'), '+OK\r\n');

  const want = `$${SIZE}\r\n\x04`;
  const r0 = await sizedReply(port, ['GET', 'k']);
  assert.ok(r0.head.startsWith(want), JSON.stringify(r0.head));
  assert.equal(r0.bytes, `$${SIZE}\r\n`.length + SIZE + 2);

  // an RDB with the value loads again (DEBUG RELOAD goes through the same loader)
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  c.close();

  ({ port } = await spawnServer(t, dir));
  c = await RawClient.connect(port);
  assert.equal(await c.call('STRLEN', 'k'), `:${SIZE}\r\n`);
  assert.equal(await c.call('GETRANGE', 'k', '0', '0'), '$1\r\n\x04\r\n');
  assert.equal(await c.call('GETRANGE', 'k', '-1', '-1'), '$1\r\nx\r\n');
  assert.equal(await c.call('GET', 'small'), '$1\r\nv\r\n');
  const r = await sizedReply(port, ['GETDEL', 'k']);
  assert.ok(r.head.startsWith(want), JSON.stringify(r.head));
  assert.equal(await c.call('EXISTS', 'k'), ':0\r\n');
  c.close();
});
