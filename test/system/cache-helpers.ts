/*
 * Helpers of the cache's multi-process tests: fork cache-worker.js children
 * and talk to them over IPC. Every child is killed in close(), even on failure.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Cache } from '../../src/cache/index.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cache-worker.js');

export interface Worker { proc: ChildProcess; next(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>; send(m: unknown): void }

export function forkWorker(): Worker {
  const proc = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const inbox: Array<Record<string, unknown>> = [];
  const wakers = new Set<() => void>();
  const wake = (): void => { for (const f of [...wakers]) f(); };
  proc.on('message', (m: Record<string, unknown>) => {
    if (m['error']) process.stderr.write(`worker ${proc.pid}: ${String(m['error'])}\n`);
    inbox.push(m); wake();
  });
  proc.on('exit', wake);
  return {
    proc,
    send: (m) => proc.send(m as object),
    async next(pred, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const i = inbox.findIndex((m) => pred(m) || m['error'] !== undefined);
        if (i >= 0) {
          const m = inbox.splice(i, 1)[0]!;
          if (m['error'] !== undefined) throw new Error(`worker ${proc.pid}: ${String(m['error'])}`);
          return m;
        }
        if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`worker ${proc.pid} exited`);
        if (Date.now() > until) throw new Error(`worker ${proc.pid}: no reply within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          const done = (): void => { wakers.delete(done); clearTimeout(t); r(); };
          const t = setTimeout(done, 50);
          wakers.add(done);
        });
      }
    },
  };
}

export async function killAll(ws: Worker[]): Promise<void> {
  await Promise.all(ws.map((w) => new Promise<void>((resolve) => {
    if (w.proc.exitCode !== null || w.proc.signalCode !== null) { resolve(); return; }
    w.proc.once('exit', () => resolve());
    w.proc.kill('SIGKILL');
  })));
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]!;
}

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run f(0..n-1) with at most conc in flight. */
export async function runPool(n: number, conc: number, f: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: conc }, async () => { while (next < n) await f(next++); }));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until cond holds, looking every `everyMs`; fails naming `what` after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 3000, everyMs = 2): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Keep c in `caches` (closed by the test file) and wait up to 5 s until its L1 is coherent. */
export async function coherent(c: Cache, caches: Cache[]): Promise<Cache> {
  caches.push(c);
  const end = Date.now() + 5000;
  while (!c.isCoherent && Date.now() < end) await sleep(5);
  return c;
}
