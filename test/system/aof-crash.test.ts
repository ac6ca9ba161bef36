/*
 * AOF crash safety, multi-process: bin/nodis-server with appendonly yes is
 * fed numbered writes (INCR of one counter per connection, several pipelined
 * connections) and killed with SIGKILL at a random moment; after a restart on
 * the same directory every acknowledged write must be there (the counter is
 * at least the highest acknowledged value). appendfsync always: 22 trials
 * (some with a BGREWRITEAOF racing the kill, so rewrites are crash-tested
 * too); everysec: at most about one second of acknowledged writes may be lost.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnOnFreePort } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';

const BIN = resolve('bin/nodis-server');
const CONNS = 4;
const WINDOW = 8;

function startServer(dir: string, port: number, fsync: string): ChildProcess {
  return spawn(process.execPath, [BIN, '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', fsync,
    '--save', '', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** One pipelined writer: INCR c<i> with up to WINDOW in flight; acks[] = [value, time]. */
class Writer {
  acks: [number, number][] = [];
  maxAck = 0;
  private sock: net.Socket;
  private buf = '';
  private inflight = 0;
  private stopped = false;
  constructor(port: number, readonly key: string) {
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.setNoDelay(true);
    this.sock.on('connect', () => this.pump());
    this.sock.on('data', (d) => this.onData(d.toString('latin1')));
    this.sock.on('error', () => { this.stopped = true; });
    this.sock.on('close', () => { this.stopped = true; });
  }
  private pump(): void {
    let out = '';
    while (!this.stopped && this.inflight < WINDOW) {
      out += `*2\r\n$4\r\nINCR\r\n$${this.key.length}\r\n${this.key}\r\n`;
      this.inflight++;
    }
    if (out) this.sock.write(out);
  }
  private onData(s: string): void {
    this.buf += s;
    let i: number;
    while ((i = this.buf.indexOf('\r\n')) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      if (line[0] === ':') {
        const v = Number(line.slice(1));
        this.acks.push([v, Date.now()]);
        if (v > this.maxAck) this.maxAck = v;
      }
      this.inflight--;
    }
    this.pump();
  }
  stop(): void { this.stopped = true; this.sock.destroy(); }
}

async function counters(port: number): Promise<number[]> {
  const c = await RawClient.connect(port);
  const keys = Array.from({ length: CONNS }, (_, i) => `c${i}`);
  const r = parseReply(await c.call('MGET', ...keys)) as (string | null)[];
  c.close();
  return r.map((v) => (v === null ? 0 : Number(v)));
}

async function trial(dir: string, fsync: string, opts: { rewrite: boolean; killAfterMs: number }): Promise<{ writers: Writer[]; killedAt: number }> {
  const { port, proc, exited } = await spawnOnFreePort((p) => {
    const child = startServer(dir, p, fsync);
    return child;
  });
  const writers = Array.from({ length: CONNS }, (_, i) => new Writer(port, `c${i}`));
  if (opts.rewrite) {
    setTimeout(() => {
      void RawClient.connect(port).then(async (c) => { try { await c.call('BGREWRITEAOF'); } catch { /* killed */ } c.close(); }, () => {});
    }, Math.floor(opts.killAfterMs * Math.random()));
  }
  await new Promise((r) => setTimeout(r, opts.killAfterMs));
  proc.kill('SIGKILL');
  const killedAt = Date.now();
  await exited;
  for (const w of writers) w.stop();
  return { writers, killedAt };
}

async function recovered(dir: string): Promise<number[]> {
  const { port, proc, exited } = await spawnOnFreePort((p) => {
    const child = startServer(dir, p, 'always');
    return child;
  });
  try {
    return await counters(port);
  } finally {
    proc.kill('SIGKILL');
    await exited;
  }
}

describe('AOF crash safety (SIGKILL)', () => {
  test('appendfsync always: no acknowledged write lost in 22 kill/restart trials', { timeout: 150000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-aof-crash-'));
    try {
      let totalAcked = 0;
      for (let t = 0; t < 22; t++) {
        const { writers } = await trial(dir, 'always', { rewrite: t % 4 === 3, killAfterMs: 60 + Math.floor(Math.random() * 200) });
        const after = await recovered(dir);
        writers.forEach((w, i) => {
          totalAcked += w.acks.length;
          assert.ok(after[i]! >= w.maxAck, `trial ${t}: c${i} acknowledged ${w.maxAck} but recovered ${after[i]}`);
        });
      }
      assert.ok(totalAcked > 22 * CONNS, `the writers made progress (${totalAcked} acks)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('appendfsync everysec: at most ~1 s of acknowledged writes lost', { timeout: 90000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-aof-crash-es-'));
    try {
      for (let t = 0; t < 2; t++) {
        const { writers, killedAt } = await trial(dir, 'everysec', { rewrite: false, killAfterMs: 600 + Math.floor(Math.random() * 500) });
        const after = await recovered(dir);
        writers.forEach((w, i) => {
          // every write acknowledged more than 1.5 s before the kill must be there
          const old = w.acks.filter(([, at]) => at < killedAt - 1500).reduce((m, [v]) => Math.max(m, v), 0);
          assert.ok(after[i]! >= old, `trial ${t}: c${i} lost writes older than 1 s (${old} > ${after[i]})`);
          // in practice Nodis writes the AOF before replying, so nothing is lost on a process crash
          assert.ok(after[i]! >= w.maxAck, `trial ${t}: c${i} acknowledged ${w.maxAck}, recovered ${after[i]}`);
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
