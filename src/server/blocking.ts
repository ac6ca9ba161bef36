/*
 * Blocking operations (BLPOP, BRPOP, BLMOVE, BLMPOP, BZPOPMIN, BZMPOP ...).
 *
 * A handler that finds nothing to serve calls blockForKeys(c, keys, deadline)
 * instead of replying; the client stops reading input. Any write to a key
 * someone waits on reaches us through the write recorder's key-modified
 * signal and marks the key ready. After the current top-level command (so
 * pushes inside MULTI or a script are served after it), waiters of each ready
 * key, first come first served, re-run their command through call(): the
 * handler sees isReprocessing(c) and either serves (replies, propagates its
 * non-blocking form) or calls blockForKeys again, which keeps its place.
 * Timeouts reply a null array (or the handler's own timeout reply);
 * CLIENT UNBLOCK ends a wait with a timeout reply or an UNBLOCKED error.
 * Stats as Redis: the command counts one call (when it blocked); a re-run
 * is not counted again, an error that ends the wait counts a failed call.
 * A wait that ends with a reply (served, a vanished key, CLIENT UNBLOCK; not
 * a timeout) goes through Server.unblockHooks (updateStatsOnUnblock): the
 * slowlog entry and latency sample of a blocked command are made there, with
 * the blocking call's time plus the reply's.
 * A waiter may also give a `gone` hook (XREADGROUP): when a key it waits on
 * is missing or no longer of gone.type at serve time, the wait ends with
 * gone.reply instead of a re-run (Redis's unblockDeletedStreamReadgroupClients).
 * A client that disconnects leaves nothing behind.
 */
import type { Client } from './client.js';
import type { Server } from './server.js';
import type { Db } from '../keyspace/db.js';
import { call } from './dispatch.js';
import { typeOf, type TypeName } from '../types/value.js';
import { performance } from 'node:perf_hooks';

/** How a waiter ends when a key it waits on vanishes or changes type. */
export interface GoneHook {
  type: TypeName;
  reply: (c: Client) => void;
}

interface Waiting {
  db: Db;
  keys: string[];
  deadline: number;
  timer: NodeJS.Timeout | null;
  argv: string[];
  onTimeout: ((c: Client) => void) | null;
  gone: GoneHook | null;
}

export const ERR_UNBLOCKED = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/** setTimeout's delay for a deadline: Node fires at once beyond 2^31-1 ms, so long waits re-arm in steps. */
const timerDelay = (deadline: number): number => Math.min(Math.max(0, deadline - Date.now()), 0x7fffffff);

export class Blocking {
  /** db -> key -> waiting clients in arrival order */
  private readonly queues = new Map<Db, Map<string, Client[]>>();
  private readonly waiting = new Map<Client, Waiting>();
  private ready: { db: Db; key: string }[] = [];
  private readonly readySet = new Set<string>();
  private reprocessing: Client | null = null;
  private stillBlocked = false;
  private serving = false;

  constructor(private readonly server: Server) {
    server.recorder.keyModifiedHooks.push((db, key) => this.keyModified(db, key));
    server.clientClosedHooks.push((c) => this.remove(c));
  }

  /** Number of clients blocked on keys. */
  get count(): number { return this.waiting.size; }

  /** True when the running command may block: not inside MULTI/EXEC or a script. */
  canBlock(c: Client): boolean {
    return !c.inMulti && this.server.nestedCalls <= 1 && !c.isMaster;
  }

  /** True while c's blocked command is being re-run because a key became ready. */
  isReprocessing(c: Client): boolean { return this.reprocessing === c; }

  /** Block c on keys until served or the absolute deadline (ms, 0 = forever). */
  blockForKeys(c: Client, keys: readonly string[], deadline: number, onTimeout: ((c: Client) => void) | null = null, gone: GoneHook | null = null): void {
    if (this.reprocessing === c) { this.stillBlocked = true; return; }
    const w: Waiting = { db: c.db, keys: [...new Set(keys)], deadline, timer: null, argv: c.argv, onTimeout, gone };
    let perDb = this.queues.get(c.db);
    if (!perDb) { perDb = new Map(); this.queues.set(c.db, perDb); }
    for (const k of w.keys) {
      const q = perDb.get(k);
      if (q) q.push(c);
      else perDb.set(k, [c]);
    }
    this.waiting.set(c, w);
    c.blocked = true;
    if (deadline > 0) {
      w.timer = setTimeout(() => this.timeout(c), timerDelay(deadline));
    }
  }

  private keyModified(db: Db, key: string | null): void {
    if (this.waiting.size === 0) return;
    const perDb = this.queues.get(db);
    if (!perDb) return;
    if (key === null) {
      for (const k of perDb.keys()) this.markReady(db, k);
    } else if (perDb.has(key)) {
      this.markReady(db, key);
    }
  }

  private markReady(db: Db, key: string): void {
    const id = `${db.id}\0${key}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push({ db, key });
  }

  /** Serve waiters of every ready key; called after each top-level command. */
  handleReadyKeys(): void {
    if (this.ready.length === 0 || this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readySet.clear();
        for (const { db, key } of batch) this.serveKey(db, key);
      }
    } finally {
      this.serving = false;
    }
  }

  private serveKey(db: Db, key: string): void {
    const q = this.queues.get(db)?.get(key);
    if (!q) return;
    // snapshot: clients blocked while serving wait for the next signal
    for (const c of [...q]) {
      const w = this.waiting.get(c);
      if (!w || c.closed) continue;
      const v = db.has(key) ? db.peek(key) : undefined;
      if (w.gone !== null && (v === undefined || typeOf(v) !== w.gone.type)) {
        this.remove(c);
        const t0 = performance.now();
        w.gone.reply(c);
        this.endStats(c, w.argv, true, c.duration, Math.round((performance.now() - t0) * 1000));
        this.resume(c);
        continue;
      }
      if (v === undefined) continue;
      const cmd = this.server.table.lookup(w.argv);
      if (!cmd) continue;
      const savedDb = c.db;
      const blockedUsec = c.duration;
      c.db = w.db;
      this.reprocessing = c;
      this.stillBlocked = false;
      try {
        call(this.server, c, cmd, w.argv);
      } finally {
        this.reprocessing = null;
      }
      // as Redis, the blocked command counts as one call (made when it blocked); a re-run adds only its failure,
      // and its time only when it serves (with the blocking call's: updateStatsOnUnblock)
      const replyUsec = c.duration;
      cmd.stats.calls--;
      cmd.stats.usec -= replyUsec;
      this.server.stats.totalCommands--;
      c.duration = blockedUsec;
      if (c.db === w.db) c.db = savedDb;
      if (!this.stillBlocked) {
        this.endStats(c, w.argv, false, blockedUsec, replyUsec);
        this.unblock(c);
      }
    }
  }

  private timeout(c: Client): void {
    const w = this.waiting.get(c);
    if (!w) return;
    if (Date.now() < w.deadline) { w.timer = setTimeout(() => this.timeout(c), timerDelay(w.deadline)); return; }
    this.remove(c);
    if (w.onTimeout) w.onTimeout(c);
    else c.nullArray();
    this.resume(c);
  }

  /**
   * CLIENT UNBLOCK: end the wait with the timeout reply or an UNBLOCKED error. False if c was not blocked on keys.
   * As Redis 7.0 (updateStatsOnUnblock(target, 0, 0, 1) after unblockClient): both count a failed call, and the
   * slowlog entry has no arguments (the client's argv is already freed there).
   */
  unblockByRequest(c: Client, withError: boolean): boolean {
    const w = this.waiting.get(c);
    if (!w) return false;
    this.remove(c);
    if (withError) c.error(ERR_UNBLOCKED);
    else if (w.onTimeout) w.onTimeout(c);
    else c.nullArray();
    this.endStats(c, [], true, c.duration, 0, w.argv);
    this.resume(c);
    return true;
  }

  /**
   * disconnectAllBlockedClients (a master turning replica): every client blocked
   * on keys gets the error and is closed once it is written. As Redis, this is not
   * a failed call of the blocked command (no updateStatsOnUnblock).
   */
  disconnectAll(line: string): void {
    for (const c of [...this.waiting.keys()]) {
      this.remove(c);
      c.error(line);
      c.blocked = false;
      c.closeAfterReply = true;
      if (!c.closed) c.flush();
    }
  }

  /**
   * clusterRedirectBlockedClientIfNeeded: each client blocked on keys is
   * asked about; a non-null line is sent to it as an error and it is unblocked.
   */
  redirectEach(check: (c: Client, keys: readonly string[], argv: readonly string[]) => string | null): void {
    for (const [c, w] of [...this.waiting]) {
      const line = check(c, w.keys, w.argv);
      if (line === null) continue;
      this.remove(c);
      c.error(line);
      this.resume(c);
    }
  }

  /**
   * updateStatsOnUnblock: the blocked command's time (blockedUsec + replyUsec), a failed call if it ended with an
   * error, then the unblock hooks (slowlog with `shown` as its arguments, latency). `cmdArgv` finds the command.
   */
  private endStats(c: Client, shown: readonly string[], failed: boolean, blockedUsec: number, replyUsec: number, cmdArgv: readonly string[] = shown): void {
    const cmd = this.server.table.lookup(cmdArgv);
    if (!cmd) return;
    cmd.stats.usec += blockedUsec + replyUsec;
    if (failed) cmd.stats.failed++;
    const hooks = this.server.unblockHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!(c, cmd, shown, blockedUsec + replyUsec, replyUsec);
  }

  private unblock(c: Client): void {
    this.remove(c);
    this.resume(c);
  }

  /** Let the client go on with its pipeline. */
  private resume(c: Client): void {
    c.blocked = false;
    if (c.closed) return;
    c.flush();
    queueMicrotask(() => { if (!c.closed && !c.blocked) c.processInput(); });
  }

  /** Forget c everywhere (served, timed out, or disconnected). */
  private remove(c: Client): void {
    const w = this.waiting.get(c);
    if (!w) return;
    this.waiting.delete(c);
    if (w.timer) clearTimeout(w.timer);
    const perDb = this.queues.get(w.db);
    if (!perDb) return;
    for (const k of w.keys) {
      const q = perDb.get(k);
      if (!q) continue;
      const i = q.indexOf(c);
      if (i >= 0) q.splice(i, 1);
      if (q.length === 0) perDb.delete(k);
    }
    if (perDb.size === 0) this.queues.delete(w.db);
  }
}
