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
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Server } from '../server/server.js';

export class JobChild {
  readonly pid: number;
  private proc: ChildProcess | null;
  private stopped = false;

  /** `onDeath(code, signal)`: the process ended before stop(); signal is a number (0 when it exited). */
  constructor(server: Server, onDeath: (code: number, signal: number) => void) {
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
  get alive(): boolean { return !this.stopped && this.proc !== null; }

  /** The job ended (or is abandoned): let the process go. Its death is not reported after this. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.proc?.stdin?.end();
  }
}
