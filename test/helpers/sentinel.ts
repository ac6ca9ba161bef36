/*
 * Sentinel processes for system tests: Nodis (bin/nodis-sentinel) or a real
 * redis-sentinel, each with its own config file in a temporary dir (sentinels
 * rewrite it), on a free port, polled until it answers PING.
 *
 * Invariants: the caller registers teardown (t.after(() => s.destroy())) as
 * soon as it has the object, before it starts; stop() SIGKILLs and awaits the
 * process; destroy() also removes the dir; every wait is a bounded poll.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RawClient, parseReply } from './resp-client.js';
import { freePort } from './servers.js';
import { poll, parseInfo } from './topology.js';

export const REDIS_SENTINEL = process.env['REDIS_SENTINEL'] ?? 'redis-sentinel';
const BIN = path.resolve('bin/nodis-sentinel');

export const redisSentinelAvailable: boolean = (() => {
  try { return spawnSync(REDIS_SENTINEL, ['--version'], { encoding: 'utf8' }).status === 0; } catch { return false; }
})();

export type SentinelKind = 'nodis' | 'redis';

export class SentinelProc {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private conn: RawClient | null = null;
  readonly dir: string;
  readonly confFile: string;
  readonly logFile: string;
  stderr = '';
  port = 0;

  constructor(readonly name: string, readonly kind: SentinelKind, private readonly conf: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `nodis-sentinel-${kind}-`));
    this.confFile = path.join(this.dir, 'sentinel.conf');
    this.logFile = path.join(this.dir, 'sentinel.log');
  }

  /** Write the config (first start only: later starts keep what the sentinel rewrote) and start. */
  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      fs.writeFileSync(this.confFile, `port ${this.port}\nbind 127.0.0.1\ndir ${this.dir}\nlogfile ${this.logFile}\n${this.conf}`);
    }
    const argv = this.kind === 'redis' ? [REDIS_SENTINEL, this.confFile] : [process.execPath, BIN, this.confFile];
    const p = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    p.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString('latin1'); });
    this.proc = p;
    this.exited = new Promise((r) => p.once('exit', () => r()));
    try {
      await poll(`${this.name} answers PING`, async () => {
        if (!this.alive) throw new Error('exited');
        const c = await RawClient.connect(this.port);
        try { return (await c.call('PING')) === '+PONG\r\n'; } finally { c.close(); }
      }, 15000);
    } catch (e) {
      throw new Error(`${this.name} did not start: ${(e as Error).message}\n${this.stderr}\n${this.logTail(20)}`);
    }
  }

  get pid(): number { return this.proc?.pid ?? 0; }

  get alive(): boolean { return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null; }

  private async client(): Promise<RawClient> {
    if (this.conn === null || this.conn.closed) this.conn = await RawClient.connect(this.port);
    return this.conn;
  }

  async raw(...args: (string | number)[]): Promise<string> { return (await this.client()).call(...args); }
  async call(...args: (string | number)[]): Promise<unknown> { return parseReply(await this.raw(...args)); }

  /** SENTINEL MASTER <name> as an object */
  async master(name = 'mymaster'): Promise<Record<string, string>> {
    return pairs(await this.call('SENTINEL', 'MASTER', name));
  }

  async masterAddr(name = 'mymaster'): Promise<string> {
    const r = await this.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name);
    return Array.isArray(r) ? `${r[0]}:${r[1]}` : String(r);
  }

  async info(): Promise<Record<string, string>> { return parseInfo(String(await this.call('INFO', 'sentinel'))); }

  logText(): string { try { return fs.readFileSync(this.logFile, 'latin1'); } catch { return ''; } }
  logTail(n: number): string { return this.logText().split('\n').slice(-n - 1).join('\n'); }
  configText(): string { return fs.readFileSync(this.confFile, 'latin1'); }

  async stop(): Promise<void> {
    this.conn?.close();
    this.conn = null;
    if (this.proc === null) return;
    if (this.alive) this.proc.kill('SIGKILL');
    await this.exited;
  }

  async destroy(): Promise<void> {
    try { await this.stop(); } finally { fs.rmSync(this.dir, { recursive: true, force: true }); }
  }
}

/** A flat [k, v, k, v ...] reply as an object. */
export function pairs(r: unknown): Record<string, string> {
  if (!Array.isArray(r)) throw new Error(`not an array: ${String(r)}`);
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < r.length; i += 2) o[String(r[i])] = String(r[i + 1]);
  return o;
}

/** A subscription to some event channels of a sentinel; next() waits for a message on one of them. */
export class EventWatch {
  private constructor(private readonly c: RawClient) {}
  static async open(port: number, channels: string[]): Promise<EventWatch> {
    const c = await RawClient.connect(port);
    c.send('SUBSCRIBE', ...channels);
    for (let i = 0; i < channels.length; i++) await c.read(5000);
    return new EventWatch(c);
  }
  /** the next [channel, message] within ms */
  async next(ms: number): Promise<[string, string]> {
    const r = parseReply(await this.c.read(ms)) as string[];
    return [r[1]!, r[2]!];
  }
  close(): void { this.c.close(); }
}
