/*
 * Server launchers for tests: Nodis in-process on a free port, a real
 * redis-server as a child process configured on stdin (free port, loopback,
 * no persistence), polled until it answers PING. Both close in after().
 * REDIS_SERVER names the binary; without one, differential tests are skipped
 * with a loud message.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/index.js';
import { RawClient } from './resp-client.js';

export const REDIS_SERVER = process.env['REDIS_SERVER'] ?? 'redis-server';

/** The redis-server binary if it runs, else null. */
export const redisAvailable: boolean = (() => {
  try {
    return spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).status === 0;
  } catch {
    return false;
  }
})();

let warned = false;
/** For node:test's skip option: false when redis-server is there, else a loud reason. */
export function skipWithoutRedis(): string | false {
  if (redisAvailable) return false;
  if (!warned) {
    warned = true;
    process.stderr.write(`\n!!! DIFFERENTIAL TESTS SKIPPED: no redis-server (${REDIS_SERVER}) found. Install redis-server or set REDIS_SERVER.\n\n`);
  }
  return `no redis-server binary (${REDIS_SERVER}); differential tests skipped`;
}

/** p, or a rejection once `ms` pass (the timer cleared either way, so it never holds the process). */
export function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, rej) => { timer = setTimeout(() => rej(new Error(`not within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Whether a listener can bind 127.0.0.1:port right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** ports this process handed out lately: two calls in a row never get the same one before either is bound */
const recentPorts: number[] = [];

/**
 * A port that is free now, for a server the test starts. Picked below the kernel's ephemeral range (as
 * clusterFreePort, whose 20000-22767 / 30000-32767 it leaves alone): a port the kernel hands out for
 * listen(0) lies in that range, where any outgoing connection may take it before the server binds it
 * (a full run failed with EADDRINUSE on such a port). The kernel's pick when no low port is found.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  const spans: [number, number][] = [[10000, 20000], [23000, Math.min(30000, low)]];
  const width = spans.reduce((n, [a, b]) => n + Math.max(0, b - a), 0);
  for (let i = 0; i < 100 && width > 0; i++) {
    let r = Math.floor(Math.random() * width);
    let p = 0;
    for (const [a, b] of spans) { const w = Math.max(0, b - a); if (r < w) { p = a + r; break; } r -= w; }
    if (recentPorts.includes(p) || !(await portFree(p))) continue;
    recentPorts.push(p);
    if (recentPorts.length > 256) recentPorts.shift();
    return p;
  }
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

/**
 * A port p with p and p + 10000 (its cluster bus port) both free. Both lie below the kernel's ephemeral range
 * (ip_local_port_range, 32768 and up here) when there is room: a port found free there can still be taken by any
 * outgoing connection before the node binds it ("Failed listening on port ... (cluster)" in a full run), one
 * below it only by another test's listener.
 */
export async function clusterFreePort(): Promise<number> {
  const lowest = ephemeralLow();
  const top = lowest - 10000 > 20100 ? lowest - 10000 : 45000;
  for (let i = 0; i < 200; i++) {
    const p = 20000 + Math.floor(Math.random() * (top - 20000));
    if (await portFree(p) && await portFree(p + 10000)) return p;
  }
  throw new Error('no free port pair for a cluster node');
}

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralLow(): number {
  try {
    const n = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/)[0]);
    return Number.isInteger(n) && n > 0 ? n : 32768;
  } catch { return 32768; }
}

export async function waitForPing(port: number, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await RawClient.connect(port);
      const r = await c.call('PING');
      c.close();
      if (r === '+PONG\r\n') return;
    } catch { /* not up yet */ }
    if (Date.now() > until) throw new Error(`server on port ${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Thrown when the port a test picked was taken by another process before its server bound it. */
export class PortTaken extends Error {}

/**
 * Waits until the server `proc` spawned on `port` answers, and proves it is
 * that server: INFO's process_id must be proc's pid. freePort() closes the
 * port it found, so under a parallel test run another file's server (or a
 * client's ephemeral port) can take it first; then proc fails to bind and
 * exits, while PING alone would be answered by the stranger. It returns
 * once that process answers PING (its data loaded). PortTaken
 * tells the caller to pick another port (see spawnOnFreePort).
 */
export async function waitForOwnServer(port: number, proc: ChildProcess, timeoutMs = 20000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new PortTaken(`server on port ${port} exited (${proc.exitCode ?? proc.signalCode})`);
    try {
      const c = await RawClient.connect(port);
      try {
        const info = await c.call('INFO', 'server');
        const pid = /process_id:(\d+)/.exec(info)?.[1];
        if (pid !== undefined && Number(pid) === proc.pid) {
          // ours; a reply other than PONG (-LOADING) means it is still loading its data: ask again
          if (await c.call('PING') === '+PONG\r\n') return;
        } else if (pid !== undefined) {
          throw new PortTaken(`port ${port} is served by pid ${pid}, not ${proc.pid}`);
        }
      } finally { c.close(); }
    } catch (e) { if (e instanceof PortTaken) throw e; /* not up yet, or still loading */ }
    if (Date.now() > until) throw new Error(`server on port ${port} did not answer in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Spawns a server on a free port (start(port) returns the child) and waits
 * until that very process answers; on a port race the child is killed and
 * another port tried. `exited` resolves with the child's exit code.
 */
export async function spawnOnFreePort(start: (port: number) => ChildProcess, timeoutMs = 20000): Promise<{ port: number; proc: ChildProcess; exited: Promise<number | null> }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const proc = start(port);
    // its exit code once it exits (null when a signal ended it), however early that happens
    const exited = new Promise<number | null>((r) => {
      if (proc.exitCode !== null || proc.signalCode !== null) r(proc.exitCode);
      else proc.once('exit', (code) => r(code));
    });
    try {
      await waitForOwnServer(port, proc, timeoutMs);
      return { port, proc, exited };
    } catch (e) {
      if (proc.exitCode === null && proc.signalCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await gone;
      }
      if (!(e instanceof PortTaken) || attempt >= 4) throw e;
    }
  }
}

export interface RedisProcess { port: number; proc: ChildProcess; close(): Promise<void> }

/** Start a real redis-server; extra lines are appended to its config. */
export async function startRedis(extra: string[] = []): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  const { port, proc } = await spawnOnFreePort((p) => {
    const child = spawn(REDIS_SERVER, ['-'], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.stdin!.end([`port ${p}`, 'bind 127.0.0.1', 'appendonly no', 'save ""', `dir ${dir}`, 'enable-debug-command yes', 'loglevel warning', ...extra].join('\n') + '\n');
    return child;
  });
  return {
    port, proc,
    close: () => new Promise<void>((resolve) => {
      const done = (): void => { rmSync(dir, { recursive: true, force: true }); resolve(); };
      if (proc.exitCode !== null || proc.signalCode !== null) { done(); return; }
      proc.once('exit', done);
      proc.kill('SIGKILL');
    }),
  };
}

/**
 * Start Nodis in-process on a free port, with its own temporary `dir` (removed on close) so
 * that a SAVE in one test never leaves a dump.rdb for another server to load.
 */
export async function startNodis(options: ServerOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-test-'));
  const s = await startServer({ port: 0, loglevel: 'warning', save: '', dir, 'enable-debug-command': 'yes', ...options });
  return {
    port: s.port, server: s.server,
    close: async () => { await s.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}
