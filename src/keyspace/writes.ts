/*
 * The write recorder: the one place every write goes through.
 *
 * A command that changes a key calls recorder.keyWritten(db, key, cls, event):
 * that bumps the dirty counter, signals the key as modified (WATCH, client
 * tracking hooks), and fires the keyspace notification. After the command,
 * the dispatcher's call() queues its argv (or the rewrite a handler set, e.g.
 * SET EX -> SET PXAT) if it changed anything; additional commands (a
 * handler's own propagate(), lazy-expiry DELs) are queued in order with it.
 *
 * flush() hands the queue to the propagation hooks (AOF and replication plug
 * in there; each selects the db itself). At the end of a top-level command,
 * as propagatePendingCommands in Redis 7.0, more than one queued command
 * goes out wrapped in MULTI ... EXEC (MULTI in the first one's db, EXEC in
 * the last one's, so no extra SELECT): a transaction, a script's effects, a
 * lazy-expiry DEL with the write that found the key expired, XREADGROUP's
 * XCLAIMs. Not wrapped: one command alone, commands that touch arbitrary keys
 * (SCAN, RANDOMKEY: their lazy-expiry DELs), active expiry and eviction
 * (they flush outside any command).
 *
 * Targets (Redis's PROPAGATE_AOF / PROPAGATE_REPL): every queued command
 * carries a mask of where it goes, and hooks receive it. Almost everything
 * goes to both; PUBLISH and SPUBLISH reach replicas only (Redis forces their
 * replication, not their AOF, and they change no key, so they are queued
 * with PROPAGATE_REPL), and a script's redis.set_repl() narrows what its
 * commands propagate. The AOF skips items without PROPAGATE_AOF; a
 * replication feed must skip items without PROPAGATE_REPL. MULTI/EXEC go to
 * both (so a transaction of a PUBLISH and a SET, with replicas, writes
 * MULTI SET EXEC to the AOF, as Redis does).
 *
 * `targets` holds the destinations that are live (Redis's shouldPropagate):
 * a command bound for none of them is not queued at all, so it neither
 * reaches hooks nor counts toward the MULTI/EXEC wrapping (with the AOF off,
 * a script's REPL_AOF write vanishes and its other single write goes out
 * bare). The AOF keeps PROPAGATE_AOF in step with its state (aof/index.ts).
 * PROPAGATE_REPL is set by default, as if a replica were attached; the
 * replication module is meant to keep it in step with whether a backlog
 * exists (then, with no replicas, a PUBLISH is not queued, as in Redis).
 */
import type { Db } from './db.js';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from './notify.js';

/** where a propagated command goes (bits, as Redis's PROPAGATE_AOF / PROPAGATE_REPL) */
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;
export const PROPAGATE_ALL = 3;

export type PropagateHook = (dbid: number, argv: readonly string[], target: number) => void;
export type KeyModifiedHook = (db: Db, key: string | null) => void;
export type PublishHook = (channel: string, message: string) => void;

export class WriteRecorder {
  /** changes since the last save (INFO rdb_changes_since_last_save) */
  dirty = 0;
  /** notify-keyspace-events as a bitmask */
  notifyFlags = 0;
  readonly keyModifiedHooks: KeyModifiedHook[] = [];
  readonly propagateHooks: PropagateHook[] = [];
  publish: PublishHook | null = null;
  /** destinations that take propagation now (PROPAGATE_* bits): see the header */
  targets = PROPAGATE_ALL;
  /** destinations kept live whatever `targets` says: an observer added by listen() */
  private observed = 0;
  /**
   * Commands queued for propagation by the current command, as parallel arrays (no object per write): `pendingN` of
   * them. flush() swaps in the spare set before calling hooks, so a hook that queues more starts a new batch.
   */
  private pendingN = 0;
  private pDb: number[] = [];
  private pArgv: (readonly string[] | null)[] = [];
  private pTarget: number[] = [];
  /** the spare set (null while a flush holds it: a flush inside a hook makes its own) */
  private sDb: number[] | null = [];
  private sArgv: (readonly string[] | null)[] | null = [];
  private sTarget: number[] | null = [];

  /** A key was written: dirty, modified signal, keyspace event. */
  keyWritten(db: Db, key: string, cls: number, event: string, changes = 1): void {
    this.dirty += changes;
    this.keyModified(db, key);
    this.notify(cls, event, key, db.id);
  }

  /** Signal a key as modified without an event (WATCH / tracking). key null = whole db. */
  keyModified(db: Db, key: string | null): void {
    const hooks = this.keyModifiedHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!(db, key);
  }

  /** Publish a keyspace/keyevent notification if its class is enabled. */
  notify(cls: number, event: string, key: string, dbid: number): void {
    const flags = this.notifyFlags;
    if (flags === 0 || !(flags & cls) || this.publish === null) return;
    if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${dbid}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${dbid}__:${event}`, key);
  }

  /** Queue a command for propagation (in order), to the AOF and replicas unless target says otherwise. */
  propagate(dbid: number, argv: readonly string[], target = PROPAGATE_ALL): void {
    if ((target & (this.targets | this.observed)) === 0) return;
    const i = this.pendingN++;
    this.pDb[i] = dbid;
    this.pArgv[i] = argv;
    this.pTarget[i] = target;
  }

  /**
   * Hand everything queued to the propagation hooks; with `wrap` (the end of
   * a top-level command), more than one command goes out inside MULTI/EXEC.
   */
  flush(wrap = false): void {
    const n = this.pendingN;
    if (n === 0) return;
    const dbs = this.pDb;
    const argvs = this.pArgv;
    const targets = this.pTarget;
    this.pDb = this.sDb ?? [];
    this.pArgv = this.sArgv ?? [];
    this.pTarget = this.sTarget ?? [];
    this.sDb = null;
    this.sArgv = null;
    this.sTarget = null;
    this.pendingN = 0;
    const hooks = this.propagateHooks;
    const nh = hooks.length;
    if (nh > 0) {
      const multi = wrap && n > 1;
      if (multi) for (let j = 0; j < nh; j++) hooks[j]!(dbs[0]!, ['MULTI'], PROPAGATE_ALL);
      for (let i = 0; i < n; i++) {
        const dbid = dbs[i]!;
        const argv = argvs[i]!;
        const target = targets[i]!;
        for (let j = 0; j < nh; j++) hooks[j]!(dbid, argv, target);
      }
      if (multi) for (let j = 0; j < nh; j++) hooks[j]!(dbs[n - 1]!, ['EXEC'], PROPAGATE_ALL);
    }
    for (let i = 0; i < n; i++) argvs[i] = null; // no reference outlives the flush
    this.sDb = dbs;
    this.sArgv = argvs;
    this.sTarget = targets;
  }

  /**
   * Add a hook that observes every propagated command, as if every
   * destination were live (tests and tools that read the stream without
   * being an AOF or a replica); `as` names the destinations it stands for.
   * The AOF and replication push their hooks directly and keep `targets` in
   * step with their own state.
   */
  listen(hook: PropagateHook, as = PROPAGATE_ALL): void {
    this.propagateHooks.push(hook);
    this.observed |= as;
  }

  get hasPending(): boolean { return this.pendingN > 0; }
}
