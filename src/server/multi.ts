/*
 * Transactions: MULTI/EXEC state and WATCH (redis/src/multi.c).
 *
 * Per client (in `states`, only for clients that have MULTI or WATCH state):
 * the queued commands, the DIRTY_EXEC flag (a command was rejected while
 * queueing: EXEC answers EXECABORT), the DIRTY_CAS flag (a watched key was
 * touched: EXEC answers a null array), the union of the queued commands'
 * write / denyoom flags (dispatch's OOM and READONLY checks of EXEC) and the
 * watched keys. Client.inMulti / multiCount / multiMayReplicate mirror the
 * MULTI flag, the queue length (CLIENT LIST multi=) and the CLIENT PAUSE
 * WRITE condition.
 *
 * WATCH: a reverse index db -> key -> watchers. The write recorder's
 * key-modified signal (touchWatchedKey) marks the watchers dirty and unwatches
 * them. A key already expired when watched is flagged `expired` and its later
 * deletion is no logical change (Redis 7.0's stale-key rules). A whole-db
 * signal (key null) is FLUSHDB/FLUSHALL (one signal per db, before clearing)
 * or SWAPDB (two per db: the old contents, then the new): the first signal
 * snapshots which watched keys exist, a second one in the same command pairs
 * with it as touchAllWatchedKeysInDb(emptied, replaced_with); a lone one is
 * settled after the command as a flush. EXEC also fails when a watched key
 * has expired by its time (isWatchedKeyExpired).
 *
 * EXEC runs the queue through dispatch's call(): nesting is counted (one
 * clock, no blocking, propagation gathered and flushed once after EXEC,
 * where several writes go out wrapped in MULTI ... EXEC).
 */
import type { Client } from './client.js';
import type { ScriptCmdFlags, Server } from './server.js';
import type { Db } from '../keyspace/db.js';
import type { Command } from '../commands/registry.js';
import { call } from './dispatch.js';
import { feedMonitors } from './monitor.js';
import { ERR_EXECABORT, errExecAbort } from '../protocol/errors.js';

interface WatchedKey { key: string; db: Db; client: Client; expired: boolean }

interface TxState {
  cmds: Command[];
  argvs: string[][];
  dirtyExec: boolean;
  dirtyCas: boolean;
  anyWrite: boolean;
  anyDenyOom: boolean;
  /** a queued command lacks the stale flag (EXEC is then refused on a stale replica: cmd_inv_flags & CMD_STALE) */
  anyNotStale: boolean;
  watched: WatchedKey[];
}

/** A key exists in the db's dict (expired or not), as dictFind. */
const rawExists = (db: Db, key: string): boolean => db.clockOf(key) !== undefined;

export class Transactions {
  private readonly states = new Map<Client, TxState>();
  /** db -> key -> watchers (Redis's db->watched_keys) */
  private readonly watchedKeys = new Map<Db, Map<string, WatchedKey[]>>();
  /** the after-call hook that settles flushes is armed while one is pending (Server.addAfterCallHook) */
  armSettle: (on: boolean) => void = () => {};
  /** whole-db signals of the running command waiting for their pair: db -> watched key -> existed before */
  private pendingFlush = new Map<Db, Map<string, boolean>>();

  constructor(private readonly server: Server) {}

  private state(c: Client): TxState {
    let st = this.states.get(c);
    if (st === undefined) {
      st = { cmds: [], argvs: [], dirtyExec: false, dirtyCas: false, anyWrite: false, anyDenyOom: false, anyNotStale: false, watched: [] };
      this.states.set(c, st);
    }
    return st;
  }

  /** Drop the state object once nothing is left in it. */
  private release(c: Client, st: TxState): void {
    if (!c.inMulti && st.watched.length === 0 && !st.dirtyCas) this.states.delete(c);
  }

  // ---- MULTI state -----------------------------------------------------------

  /** queueMultiCommand: nothing is kept once the transaction is doomed; flags are getCommandFlags' (a script's declared ones). */
  queue(c: Client, cmd: Command, argv: string[], flags: ScriptCmdFlags): void {
    const st = this.state(c);
    if (!st.dirtyCas && !st.dirtyExec) {
      st.cmds.push(cmd);
      st.argvs.push(argv);
      c.multiCount++;
      if (flags.write) st.anyWrite = true;
      if (flags.denyOom) st.anyDenyOom = true;
      if (!flags.stale) st.anyNotStale = true;
      if (flags.write || flags.mayReplicate) c.multiMayReplicate = true;
    }
    c.raw('+QUEUED\r\n');
  }

  /** flagTransaction: a command rejected inside MULTI dooms the EXEC. */
  flag(c: Client): void {
    if (c.inMulti) this.state(c).dirtyExec = true;
  }

  /** The queued commands (cluster routing checks EXEC's keys). */
  queued(c: Client): { cmd: Command; argv: string[] }[] {
    const st = this.states.get(c);
    if (st === undefined) return [];
    return st.cmds.map((cmd, i) => ({ cmd, argv: st.argvs[i]! }));
  }

  /** The queue has a write command (EXEC is then a write for READONLY). */
  queuedWrite(c: Client): boolean { return this.states.get(c)?.anyWrite === true; }

  /** The queue has a denyoom command (EXEC is then rejected on OOM). */
  queuedDenyOom(c: Client): boolean { return this.states.get(c)?.anyDenyOom === true; }

  /** The queue has a command a stale replica refuses. */
  queuedNotStale(c: Client): boolean { return this.states.get(c)?.anyNotStale === true; }

  begin(c: Client): void {
    c.inMulti = true;
  }

  /** discardTransaction: queue, flags and watched keys go. */
  discard(c: Client): void {
    c.inMulti = false;
    c.multiCount = 0;
    c.multiMayReplicate = false;
    const st = this.states.get(c);
    if (st === undefined) return;
    this.unwatchAll(c);
    this.states.delete(c);
  }

  /** execCommandAbort: a rejected EXEC discards the transaction and says why. */
  abort(c: Client, reason: string, argv: readonly string[]): void {
    this.discard(c);
    c.error(errExecAbort(reason));
    feedMonitors(this.server, c, c.db.id, argv);
  }

  exec(c: Client, execArgv: string[]): void {
    const server = this.server;
    this.settle();
    const st = this.states.get(c);
    if (st !== undefined && this.watchedKeyExpired(st)) st.dirtyCas = true;
    if (st !== undefined && (st.dirtyExec || st.dirtyCas)) {
      if (st.dirtyExec) c.error(ERR_EXECABORT);
      else c.nullArray();
      this.discard(c);
      return;
    }
    const cmds = st?.cmds ?? [];
    const argvs = st?.argvs ?? [];
    if (st) this.unwatchAll(c);
    const execCmd = c.cmd;
    c.array(cmds.length);
    // the queued commands are timed back to back (Server.chainDepth)
    const chainDepth = server.chainDepth;
    server.chainDepth = server.nestedCalls;
    server.callClock = 0;
    for (let j = 0; j < cmds.length; j++) {
      const cmd = cmds[j]!;
      const argv = argvs[j]!;
      if (!c.user.unrestricted) {
        // ACL rules may have changed since the command was queued; the log shows EXEC as the client's command
        c.cmd = execCmd;
        c.argv = execArgv;
        const denied = server.acl.execDenyLine(c, cmd, argv);
        if (denied !== null) { c.error(denied); continue; }
      }
      call(server, c, cmd, argv);
    }
    server.chainDepth = chainDepth;
    server.callClock = 0;
    c.cmd = execCmd;
    c.argv = execArgv;
    this.discard(c);
  }

  // ---- WATCH -----------------------------------------------------------------

  watch(c: Client, keys: readonly string[]): void {
    this.settle();
    const st = this.state(c);
    if (st.dirtyCas) return;
    const db = c.db;
    for (const key of keys) {
      if (st.watched.some((w) => w.db === db && w.key === key)) continue;
      let perDb = this.watchedKeys.get(db);
      if (perDb === undefined) { perDb = new Map(); this.watchedKeys.set(db, perDb); }
      const wk: WatchedKey = { key, db, client: c, expired: db.isExpired(key) };
      const list = perDb.get(key);
      if (list === undefined) perDb.set(key, [wk]);
      else list.push(wk);
      st.watched.push(wk);
    }
  }

  /** UNWATCH: keys and the dirty flag go. */
  unwatch(c: Client): void {
    const st = this.states.get(c);
    if (st === undefined) return;
    this.unwatchAll(c);
    st.dirtyCas = false;
    this.release(c, st);
  }

  /** unwatchAllKeys (the dirty flag is the caller's business). */
  private unwatchAll(c: Client): void {
    const st = this.states.get(c);
    if (st === undefined || st.watched.length === 0) return;
    for (const wk of st.watched) {
      const perDb = this.watchedKeys.get(wk.db);
      const list = perDb?.get(wk.key);
      if (list === undefined) continue;
      const i = list.indexOf(wk);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) {
        perDb!.delete(wk.key);
        if (perDb!.size === 0) this.watchedKeys.delete(wk.db);
      }
    }
    st.watched = [];
  }

  /** Number of keys c watches. */
  watchCount(c: Client): number { return this.states.get(c)?.watched.length ?? 0; }

  /** isWatchedKeyExpired: keys that were already stale when watched don't count. */
  private watchedKeyExpired(st: TxState): boolean {
    for (const wk of st.watched) if (!wk.expired && wk.db.isExpired(wk.key)) return true;
    return false;
  }

  /** The key-modified signal: one key (touchWatchedKey) or a whole db. */
  keyModified(db: Db, key: string | null): void {
    if (key === null) { this.dbSignal(db); return; }
    if (this.watchedKeys.size === 0) return;
    if (this.pendingFlush.size > 0) this.settle();
    const list = this.watchedKeys.get(db)?.get(key);
    if (list === undefined) return;
    for (const wk of [...list]) {
      if (wk.expired) {
        // watched while already stale: its deletion is no logical change
        if (!rawExists(db, key)) { wk.expired = false; continue; }
        break; // as Redis 7.0: the walk stops here
      }
      const st = this.states.get(wk.client);
      if (st === undefined) continue;
      st.dirtyCas = true;
      this.unwatchAll(wk.client);
    }
  }

  private dbSignal(db: Db): void {
    const watched = this.watchedKeys.get(db);
    const snapshot = this.pendingFlush.get(db);
    if (snapshot !== undefined) {
      // the second signal of a SWAPDB: db now holds what replaced the snapshot's contents
      this.pendingFlush.delete(db);
      if (watched !== undefined) this.touchAll(watched, snapshot, db);
      return;
    }
    if (watched === undefined) return;
    const snap = new Map<string, boolean>();
    for (const key of watched.keys()) snap.set(key, rawExists(db, key));
    this.pendingFlush.set(db, snap);
    this.armSettle(true);
    if (this.server.nestedCalls === 0) queueMicrotask(() => this.settle());
  }

  /** Settle lone whole-db signals as flushes (touchAllWatchedKeysInDb(db, NULL)). */
  settle(): void {
    if (this.pendingFlush.size === 0) return;
    const pending = this.pendingFlush;
    this.pendingFlush = new Map();
    this.armSettle(false);
    for (const [db, snapshot] of pending) {
      const watched = this.watchedKeys.get(db);
      if (watched !== undefined) this.touchAll(watched, snapshot, null);
    }
  }

  /** touchAllWatchedKeysInDb(emptied, replacedWith): existence in `emptied` comes from the snapshot. */
  private touchAll(watched: Map<string, WatchedKey[]>, snapshot: Map<string, boolean>, replaced: Db | null): void {
    for (const [key, list] of watched) {
      const inEmptied = snapshot.get(key) === true;
      const inReplaced = replaced !== null && rawExists(replaced, key);
      if (!inEmptied && !inReplaced) continue;
      for (const wk of list) {
        if (wk.expired) {
          if (!inReplaced) { wk.expired = false; continue; }
          if (replaced!.isExpired(key)) continue;
        } else if (!inEmptied && replaced !== null && replaced.isExpired(key)) {
          wk.expired = true;
          continue;
        }
        const st = this.states.get(wk.client);
        if (st !== undefined) st.dirtyCas = true;
      }
    }
  }

  /** A client went away or was RESET. */
  forget(c: Client): void {
    this.discard(c);
  }
}

export function transactionsOf(server: Server): Transactions {
  return server.ext.get('transactions') as Transactions;
}

/** Dispatch's view for a rejected EXEC: abort the transaction with the rejection's text. */
export function execRejected(server: Server, c: Client, line: string, argv: readonly string[]): void {
  // Redis's formatted rejections carry no code ("wrong number of arguments ..."), shared ones do ("OOM ...")
  transactionsOf(server).abort(c, line.startsWith('ERR ') ? line.slice(4) : line, argv);
}

/** A redirected EXEC (cluster): the transaction goes (discardTransaction). */
export function execDiscard(server: Server, c: Client): void { transactionsOf(server).discard(c); }

/** EXEC counts as a write (READONLY, CLIENT PAUSE) / denyoom (OOM) when its queue has one. */
export function execIsWrite(server: Server, c: Client): boolean { return transactionsOf(server).queuedWrite(c); }
export function execDenyOom(server: Server, c: Client): boolean { return transactionsOf(server).queuedDenyOom(c); }
export function execNotStale(server: Server, c: Client): boolean { return transactionsOf(server).queuedNotStale(c); }

export function installTransactions(server: Server): void {
  const tx = new Transactions(server);
  server.ext.set('transactions', tx);
  server.queueMulti = (c, cmd, argv, flags) => tx.queue(c, cmd, argv, flags);
  server.rejectedHook = (c) => tx.flag(c);
  server.recorder.keyModifiedHooks.push((db, key) => tx.keyModified(db, key));
  tx.armSettle = server.addAfterCallHook(() => tx.settle(), false);
  server.clientClosedHooks.push((c) => tx.forget(c));
  server.clientResetHooks.push((c) => tx.forget(c));
}
