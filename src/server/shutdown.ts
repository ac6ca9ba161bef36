/*
 * The shutdown sequence (redis/src/server.c prepareForShutdown, isReadyToShutdown,
 * finishShutdown, abortShutdown and serverCron's shutdown step; db.c shutdownCommand;
 * blocked.c replyToClientsBlockedOnShutdown).
 *
 * SHUTDOWN and SIGTERM / SIGINT start it. Unless NOW is given or shutdown-timeout
 * is 0, a master whose replicas have not acknowledged its whole stream waits for
 * them: writes are paused, the replicas are asked for an ACK, and the cron
 * finishes the shutdown once every replica's acked offset equals
 * master_repl_offset or the timeout has passed (INFO shutdown_in_milliseconds
 * counts down meanwhile). Finishing runs the pre-shutdown hooks (the final save,
 * the AOF); an error there, unless FORCE, cancels the shutdown: writes resume and
 * every client blocked in SHUTDOWN gets "Errors trying to SHUTDOWN. Check logs.".
 * SHUTDOWN ABORT cancels a waiting shutdown the same way.
 *
 * Invariants: at most one shutdown is initiated (deadline != 0) at a time; a
 * client blocked in SHUTDOWN is answered once (an error if the shutdown fails or
 * is aborted; otherwise the exit closes it); replication is reached only through
 * the `replicas` hook it installs (the server does not know its internals).
 */
import type { Server } from './server.js';
import type { Client } from './client.js';
import { clientsPaused, pauseClients, unpauseClients } from '../commands/connection/pause.js';
import { ERR_SHUTDOWN_FAILED } from '../protocol/errors.js';

export interface ShutdownOpts {
  /** SAVE (true) / NOSAVE (false) / per the save points (undefined) */
  save?: boolean;
  /** FORCE: errors saving do not stop the shutdown */
  force?: boolean;
  /** NOW: do not wait for lagging replicas */
  now?: boolean;
}

/** What replication tells the shutdown (installed by replication/index.ts). */
export interface ShutdownReplicas {
  /** isReadyToShutdown: every replica acked master_repl_offset (true with none) */
  ready(): boolean;
  /** sendGetackToReplicas */
  requestAcks(): void;
  /** finishShutdown's lines: each lagging replica, then "N of M replicas are in sync" */
  report(): void;
  /** best effort: queue what each replica has not been sent yet (flushSlavesOutputBuffers) */
  flush(): void;
}

export type ShutdownResult = 'exit' | 'wait' | 'failed';

export class Shutdown {
  /** when a shutdown waiting for replicas gives up (ms since the epoch; 0: none initiated) */
  deadline = 0;
  private opts: ShutdownOpts = {};
  /** clients blocked in SHUTDOWN */
  readonly blocked = new Set<Client>();
  replicas: ShutdownReplicas | null = null;
  /** called when a shutdown is cancelled (the CLI forgets the signal) */
  onCancel: (() => void) | null = null;

  constructor(private readonly server: Server) {
    server.clientClosedHooks.push((c) => { this.blocked.delete(c); });
  }

  get initiated(): boolean { return this.deadline !== 0; }

  /** SHUTDOWN's blocking form: the client waits for the outcome (blockClient BLOCKED_SHUTDOWN). */
  block(c: Client): void {
    c.blocked = true;
    this.blocked.add(c);
  }

  /** prepareForShutdown: 'exit' (the server closes and exits), 'wait' (for replicas; the cron goes on), 'failed'. */
  prepare(opts: ShutdownOpts): ShutdownResult {
    const server = this.server;
    if (this.initiated || server.shuttingDown) return 'wait';
    // no save over the dataset while it loads (it is half read)
    if (server.persistence.loading) opts = { ...opts, save: false };
    this.opts = opts;
    server.log.warning('User requested shutdown...');
    const timeout = server.config.num('shutdown-timeout');
    if (!opts.now && timeout !== 0 && this.replicas !== null && !this.replicas.ready()) {
      this.deadline = Date.now() + timeout * 1000;
      if (!clientsPaused(server)) this.replicas.requestAcks();
      pauseClients(server, Number.MAX_SAFE_INTEGER, true);
      server.log.notice('Waiting for replicas before shutting down.');
      return 'wait';
    }
    return this.finish();
  }

  /** serverCron: finish a waiting shutdown once the replicas caught up or the time is up. */
  cron(now: number): void {
    if (!this.initiated) return;
    if (now >= this.deadline || this.replicas === null || this.replicas.ready()) this.finish();
  }

  /** abortShutdown: false when no shutdown is in progress. */
  abort(): boolean {
    if (!this.initiated) return false;
    this.cancel();
    this.server.log.notice('Shutdown manually aborted.');
    return true;
  }

  /** INFO server shutdown_in_milliseconds (null: not shutting down) */
  remainingMs(now: number): number | null { return this.initiated ? this.deadline - now : null; }

  /** finishShutdown */
  private finish(): ShutdownResult {
    const server = this.server;
    this.replicas?.report();
    let ok = true;
    for (const h of server.prepareShutdownHooks) {
      if (h(this.opts)) continue;
      ok = false;
      if (!this.opts.force) break;
    }
    if (!ok && !this.opts.force) {
      server.log.warning('Errors trying to shut down the server. Check the logs for more information.');
      this.cancel();
      return 'failed';
    }
    this.replicas?.flush();
    this.deadline = 0;
    server.shuttingDown = true;
    server.shutdownSave = this.opts.save;
    void server.close().then(() => {
      server.log.warning(`${server.sentinelMode ? 'Sentinel' : 'Nodis'} is now ready to exit, bye bye...`); // Redis: "Sentinel" in sentinel mode
      server.onExit?.(0);
    });
    return 'exit';
  }

  /** cancelShutdown: writes resume, blocked SHUTDOWN callers get the error. */
  private cancel(): void {
    const server = this.server;
    const wasWaiting = this.initiated;
    this.deadline = 0;
    this.opts = {};
    for (const c of this.blocked) {
      c.blocked = false;
      if (c.closed) continue;
      c.error(ERR_SHUTDOWN_FAILED);
      c.flush();
      queueMicrotask(() => { if (!c.closed && !c.blocked) c.processInput(); });
    }
    this.blocked.clear();
    if (wasWaiting) unpauseClients(server);
    this.onCancel?.();
  }
}
