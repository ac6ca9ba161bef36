/*
 * MIGRATE's transport, main-thread side: the worker that owns the cached
 * connections (migrate-worker.ts), the jobs in flight, the idle sweep from
 * the server cron and INFO migrate_cached_sockets. The command itself (its
 * arguments, the snapshot of the keys, deleting what the target
 * acknowledged, the reply) is commands/generic/MIGRATE.ts.
 *
 * Two ways to run a job:
 * - start(): the normal case. The job runs on this thread's own connection
 *   cache (a MigrateSockets, asynchronous I/O) and the event loop goes on
 *   serving every other client; `done` runs when the outcome comes
 *   back. Meanwhile every write to one of the job's keys (the write
 *   recorder's key-modified signal: a command, expiry, eviction, FLUSH*,
 *   SWAPDB) is noted, so the caller can tell which keys still hold the value
 *   that was sent. While clients are paused (CLIENT PAUSE, a failover) an
 *   outcome that would delete keys waits for the pause to end, as no write
 *   may happen during one. And a client's command that names one of the
 *   job's keys (EXEC: any queued command's; a script: its declared keys)
 *   waits until the outcome is handled, then runs: as if the transfer had
 *   blocked the server, which is what Redis's MIGRATE does. Without this a
 *   write landing between the snapshot and the deletion would stay on the
 *   source only while the target holds the old value, and a resharding
 *   redis-cli would find the key on both nodes.
 * - runSync(): for MIGRATE inside MULTI/EXEC or a script, which cannot wait
 *   for later. The main thread sleeps in Atomics.wait until the worker is
 *   done: the server blocks for the transfer, as Redis's MIGRATE always does
 *   (bounded by the command's timeout per step). The worker keeps its own
 *   connection cache; INFO migrate_cached_sockets counts both.
 *
 * The worker starts with the first synchronous MIGRATE and ends with the server.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Server } from '../server/server.js';
import type { Db } from '../keyspace/db.js';
import type { Client } from '../server/client.js';
import { keyPositions, type Command } from '../commands/registry.js';
import { transactionsOf } from '../server/multi.js';
import { setInfoFields } from '../server/info.js';
import { clientsPaused, holdCommand, rerunHeld } from '../commands/connection/pause.js';
import { MigrateSockets, type FromWorker, type MigrateJob, type MigrateResult, type ToWorker } from './migrate-worker.js';

export type { MigrateResult, MigrateOutcome } from './migrate-worker.js';

/** A transfer: the job's fields, the DUMP payloads as buffers, and whether keys may be deleted after (not COPY). */
export type MigrateRequest = Omit<MigrateJob, 't' | 'id' | 'sync' | 'payload' | 'offsets'> & { payloads: Buffer[]; copy: boolean };

/** Which of the job's keys were written while it was in flight. */
export type TouchedKeys = (key: string) => boolean;

interface InFlight {
  db: Db;
  keys: Set<string>;
  touched: Set<string>;
  /** the whole db was signalled (FLUSHDB, SWAPDB ...) */
  all: boolean;
  copy: boolean;
  done: (r: MigrateResult, touched: TouchedKeys) => void;
}

/** How often the outcome of a job held by a pause looks again (ms). */
const PAUSE_RECHECK_MS = 10;

export class Migrator {
  /** connections the worker caches, as it last said */
  cached = 0;
  /** this thread's connections, for start()'s jobs */
  private readonly local = new MigrateSockets();
  private worker: Worker | null = null;
  private syncPort: MessagePort | null = null;
  private ctl: Int32Array | null = null;
  private nextId = 1;
  private readonly inflight = new Map<number, InFlight>();
  /** clients whose command names a key in flight: re-run when a job ends */
  private readonly held = new Set<Client>();
  private lastSweep = 0;

  constructor(private readonly server: Server) {
    server.recorder.keyModifiedHooks.push((db, key) => this.keyModified(db, key));
    server.cronHooks.push((now) => this.cron(now));
    server.shutdownHooks.push(() => this.close());
    setInfoFields(server, 'stats', () => ({ migrate_cached_sockets: this.cached + this.local.cache.size }));
    server.holdForKeys = (c, cmd, argv) => this.hold(c, cmd, argv);
  }

  /** Jobs whose outcome has not been handled yet. */
  get pending(): number { return this.inflight.size; }

  /** Send the job; `done` gets the outcome and which keys were written meanwhile. */
  start(req: MigrateRequest, db: Db, done: InFlight['done']): void {
    const id = this.nextId++;
    this.inflight.set(id, { db, keys: new Set(req.keys), touched: new Set(), all: false, copy: req.copy, done });
    this.server.keysHeld = this.inflight.size;
    const job = makeJob(id, req, false);
    void this.local.run(job).then((r) => this.finish({ t: 'done', id, ...r, cached: 0 }));
  }

  /** Run the job to its end, blocking the event loop meanwhile (MULTI/EXEC, scripts). */
  runSync(req: MigrateRequest): MigrateResult {
    const id = this.nextId++;
    this.post(id, req, true);
    const ctl = this.ctl!;
    const port = this.syncPort!;
    for (;;) {
      const seen = Atomics.load(ctl, 0);
      const r = receiveMessageOnPort(port);
      if (r !== undefined) {
        const m = r.message as MigrateResult;
        this.cached = m.cached;
        if (m.id === id) return m;
        continue;
      }
      Atomics.wait(ctl, 0, seen);
    }
  }

  private post(id: number, req: MigrateRequest, sync: boolean): void {
    const w = this.ensureWorker();
    const job = makeJob(id, req, sync);
    w.postMessage(job satisfies ToWorker, [job.payload]);
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const sab = new SharedArrayBuffer(8);
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(new URL('./migrate-worker.js', import.meta.url), {
      workerData: { migrate: true, sab, syncPort: port2 }, transferList: [port2],
    });
    w.unref();
    port1.unref();
    w.on('message', (m: FromWorker) => this.fromWorker(m));
    w.on('error', (e) => this.server.log.warning(`MIGRATE worker failed: ${e.message}`));
    w.on('exit', () => {
      if (this.worker !== w) return;
      // only synchronous jobs run there (and none is in flight once runSync returned): start afresh next time
      this.worker = null;
      this.cached = 0;
    });
    this.worker = w;
    this.syncPort = port1;
    this.ctl = new Int32Array(sab);
    return w;
  }

  private fromWorker(m: FromWorker): void {
    this.cached = m.cached;
    // a synchronous job's result comes on the sync port; nothing else is posted here but cache counts
    if (m.t === 'done') this.finish(m);
  }

  private finish(m: MigrateResult): void {
    const f = this.inflight.get(m.id);
    if (f === undefined) return;
    if (!f.copy && m.acked.length > 0 && this.server.pauseUntil > 0 && clientsPaused(this.server)) {
      setTimeout(() => this.finish(m), PAUSE_RECHECK_MS).unref();
      return;
    }
    this.inflight.delete(m.id);
    this.server.keysHeld = this.inflight.size;
    f.done(m, (key) => f.all || f.touched.has(key));
    this.release();
  }

  /** dispatch's check (server.holdForKeys): does this command name a key in flight? Then it waits (postponed). */
  private hold(c: Client, cmd: Command, argv: string[]): boolean {
    if (this.inflight.size === 0) return false;
    const named = (cm: Command, av: readonly string[]): boolean => {
      if (cm.def.keySpecs === undefined && cm.def.getKeys === undefined) return false;
      for (const pos of keyPositions(cm, av)) {
        const key = av[pos]!;
        for (const f of this.inflight.values()) if (f.db === c.db && f.keys.has(key)) return true;
      }
      return false;
    };
    let hit = named(cmd, argv);
    if (!hit && cmd.fullname === 'exec') hit = transactionsOf(this.server).queued(c).some((q) => named(q.cmd, q.argv));
    if (!hit) return false;
    holdCommand(this.held, c, argv);
    return true;
  }

  /** A job ended: the held commands run again, in the order they came (they may be held again by another job). */
  private release(): void { rerunHeld(this.held); }

  private keyModified(db: Db, key: string | null): void {
    if (this.inflight.size === 0) return;
    for (const f of this.inflight.values()) {
      if (f.db !== db) continue;
      if (key === null) f.all = true;
      else if (f.keys.has(key)) f.touched.add(key);
    }
  }

  /** serverCron's run_with_period(1000) migrateCloseTimedoutSockets */
  private cron(now: number): void {
    if ((this.cached === 0 && this.local.cache.size === 0) || now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    this.local.closeTimedOut();
    if (this.worker !== null && this.cached > 0) this.worker.postMessage({ t: 'cron' } satisfies ToWorker);
  }

  private close(): void {
    const w = this.worker;
    this.worker = null;
    this.cached = 0;
    this.inflight.clear();
    this.server.keysHeld = 0;
    this.held.clear();
    this.local.closeAll();
    if (w !== null) void w.terminate();
  }
}

/** The job as the transfer code takes it: the payloads back to back in one buffer (transferable to the worker). */
function makeJob(id: number, req: MigrateRequest, sync: boolean): MigrateJob {
  let total = 0;
  for (const p of req.payloads) total += p.length;
  const payload = new ArrayBuffer(total);
  const bytes = new Uint8Array(payload);
  const offsets = [0];
  let pos = 0;
  for (const p of req.payloads) { bytes.set(p, pos); pos += p.length; offsets.push(pos); }
  return {
    t: 'job', id, sync, host: req.host, port: req.port, timeout: req.timeout, dbid: req.dbid,
    username: req.username, password: req.password, replace: req.replace, restore: req.restore,
    keys: req.keys, expireAt: req.expireAt, payload, offsets,
  };
}

export function migratorOf(server: Server): Migrator {
  let m = server.ext.get('migrate') as Migrator | undefined;
  if (m === undefined) { m = new Migrator(server); server.ext.set('migrate', m); }
  return m;
}

/** Installer (features.ts): INFO migrate_cached_sockets, the idle sweep, the worker's end with the server. */
export function installMigrate(server: Server): void {
  migratorOf(server);
}
