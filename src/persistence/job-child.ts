/*
 * The child process of a background job (BGSAVE, BGREWRITEAOF).
 *
 * Nodis saves without fork: the work runs in this process (snapshot.ts, the
 * AOF rewrite). But Redis's fork child is part of its interface: it is a
 * child of the server (ps --ppid, pgrep -P), its pid is in the log
 * ("Background saving started by pid N") and in temp file names, it counts
 * in total_forks, and killing it ends the job as failed ("Background saving
 * terminated by signal 9"; SIGUSR1 ends it without an error). Operators and
 * Redis's own tests abort a save that way.
 *
 * A JobChild is that process, and only that: a `cat` reading a pipe from the
 * server and writing nowhere. It is started with the job and stopped when the
 * job ends (its stdin is closed: it exits by itself, so it never outlives the
 * server, even one killed with SIGKILL). If it dies before, `onDeath` gets
 * its exit code or signal number and the owner aborts the job. When it cannot
 * be started (no /bin/sh), the job runs without one (pid = the server's).
 *
 * Starting a process blocks the thread that starts it until the child has
 * exec'd (libuv forks and waits on a pipe): 7-20 ms on this VM whatever the
 * server's size. JobChild.start() keeps that off the event loop: a worker
 * thread (one per process, made on first use) spawns the child and reports
 * its pid and its end by message; the process is still the server's child
 * (threads share the pid), so ps --ppid and kill find it as before. A
 * diskless transfer to replicas uses it (its first slice waits for the
 * child, so nobody sees the transfer without one); BGSAVE and the AOF
 * rewrite start theirs at once (their reply, temp file name and
 * rdb_bgsave_in_progress depend on the pid being there when they return);
 * INFO shows a transfer in progress from when its child runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Server } from '../server/server.js';

/** The worker's side: spawn on request, end a child's stdin on request, report pids and exits. */
const SPAWNER_CODE = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const kids = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'stop') { const p = kids.get(m.id); if (p) p.stdin.end(); return; }
  const t0 = process.hrtime.bigint();
  let p = null;
  try { p = spawn('/bin/sh', ['-c', 'exec cat >/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] }); } catch { p = null; }
  const us = Number((process.hrtime.bigint() - t0) / 1000n);
  if (p === null || p.pid === undefined) { if (p !== null) p.on('error', () => {}); parentPort.postMessage({ id: m.id, pid: 0, us }); return; }
  p.on('error', () => {});
  p.stdin.on('error', () => {});
  kids.set(m.id, p);
  p.once('exit', (code, signal) => { kids.delete(m.id); parentPort.postMessage({ id: m.id, exit: true, code: code ?? 0, signal: signal ?? '' }); });
  parentPort.postMessage({ id: m.id, pid: p.pid, us });
});
`;

interface SpawnerMsg { id: number; pid?: number; us?: number; exit?: boolean; code?: number; signal?: string; lost?: boolean }

let spawner: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (m: SpawnerMsg) => void>();

function spawnerWorker(): Worker {
  if (spawner !== null) return spawner;
  const w = new Worker(SPAWNER_CODE, { eval: true, stdout: false, stderr: false });
  w.on('message', (m: SpawnerMsg) => waiting.get(m.id)?.(m));
  w.on('error', () => {});
  w.on('exit', () => {
    // a worker that died takes its children's reports with it: their jobs carry on without a child
    if (spawner === w) spawner = null;
    for (const [id, f] of [...waiting]) { waiting.delete(id); f({ id, lost: true }); }
  });
  // neither the worker nor its port keeps the process alive (the listener is attached first: it refs the port)
  w.unref();
  spawner = w;
  return w;
}

export class JobChild {
  /** 0 while a child started by start() is not there yet */
  pid: number;
  private proc: ChildProcess | null;
  private stopped = false;
  /** a child of the spawner worker: its message id (0: none) */
  private remote = 0;

  /**
   * Start a job's child off the event loop (see the header): `onStarted(pid)` once it runs (the server's pid
   * when it could not be started), `onDeath` as for the constructor.
   */
  static start(server: Server, onDeath: (code: number, signal: number) => void, onStarted: (pid: number) => void): JobChild {
    const c = new JobChild(server, onDeath, false);
    let w: Worker;
    try {
      w = spawnerWorker();
    } catch {
      c.pid = process.pid;
      queueMicrotask(() => onStarted(process.pid));
      return c;
    }
    const id = nextId++;
    c.remote = id;
    let started = false;
    waiting.set(id, (m) => {
      if (m.lost === true || m.pid === 0) {
        // no child (none could be started, or the worker died): the job goes on without one
        waiting.delete(id);
        c.remote = 0;
        if (!started) { started = true; c.pid = process.pid; onStarted(c.pid); }
        return;
      }
      if (!started) {
        started = true;
        c.pid = m.pid!;
        if (m.us !== undefined) server.persistence.latestForkUsec = m.us;
        if (c.stopped) w.postMessage({ op: 'stop', id });
        onStarted(c.pid);
        return;
      }
      if (m.exit === true) {
        waiting.delete(id);
        c.remote = 0;
        if (c.stopped) return;
        c.stopped = true;
        onDeath(m.code ?? 0, m.signal ? constants.signals[m.signal as NodeJS.Signals] ?? 0 : 0);
      }
    });
    w.postMessage({ op: 'spawn', id });
    return c;
  }

  /** `onDeath(code, signal)`: the process ended before stop(); signal is a number (0 when it exited). */
  constructor(server: Server, onDeath: (code: number, signal: number) => void, now = true) {
    if (!now) {
      this.proc = null;
      this.pid = 0;
      server.persistence.forks++;
      return;
    }
    const t0 = process.hrtime.bigint();
    let proc: ChildProcess | null = null;
    try {
      proc = spawn('/bin/sh', ['-c', 'exec cat >/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
    } catch {
      proc = null;
    }
    if (proc !== null && proc.pid === undefined) { proc.on('error', () => {}); proc = null; }
    this.proc = proc;
    this.pid = proc?.pid ?? process.pid;
    server.persistence.forks++;
    server.persistence.latestForkUsec = Number((process.hrtime.bigint() - t0) / 1000n);
    if (proc === null) return;
    proc.on('error', () => {});
    proc.stdin!.on('error', () => {});
    proc.once('exit', (code, signal) => {
      this.proc = null;
      if (this.stopped) return;
      this.stopped = true;
      onDeath(code ?? 0, signal ? constants.signals[signal] : 0);
    });
    // neither the process nor its pipe keeps an embedding program alive
    proc.unref();
    (proc.stdin as unknown as { unref?: () => void }).unref?.();
  }

  /** True while the process runs and the job owns it. */
  get alive(): boolean { return !this.stopped && (this.proc !== null || this.remote !== 0); }

  /** The job ended (or is abandoned): let the process go. Its death is not reported after this. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.proc?.stdin?.end();
    // a remote child not there yet is stopped when it reports in (start())
    if (this.remote !== 0 && this.pid !== 0) spawner?.postMessage({ op: 'stop', id: this.remote });
  }
}
