/*
 * The write recorder: the one place every write goes through.
 *
 * A command that changes a key calls recorder.keyWritten(db, key, cls, event):
 * that bumps the dirty counter, signals the key as modified (WATCH, client
 * tracking hooks), and fires the keyspace notification. After the command,
 * the dispatcher calls commandDone(): if the command changed anything, its argv
 * (or the rewrite a handler set, e.g. SET EX -> SET PXAT) reaches the
 * propagation hooks (AOF and replication plug in there), preceded by a SELECT
 * when the target db changed. Additional commands (alsoPropagate) and
 * lazy-expiry DELs go out in order.
 */
import type { Db } from './db.js';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from './notify.js';

export type PropagateHook = (dbid: number, argv: readonly string[]) => void;
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
  /** commands queued for propagation by the current command */
  private pending: { dbid: number; argv: readonly string[] }[] = [];

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

  /** Queue a command for propagation (in order). */
  propagate(dbid: number, argv: readonly string[]): void {
    this.pending.push({ dbid, argv });
  }

  /** Hand everything queued to the propagation hooks. */
  flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    const hooks = this.propagateHooks;
    if (hooks.length === 0) return;
    for (const { dbid, argv } of items) for (const h of hooks) h(dbid, argv);
  }

  get hasPending(): boolean { return this.pending.length > 0; }

  /**
   * EXEC (propagatePendingCommands, Redis 7.0): when a transaction queued
   * more than one command, they go out wrapped in MULTI ... EXEC (MULTI in
   * the first one's db, EXEC in the last one's, so no extra SELECT).
   */
  wrapPendingInMulti(): void {
    const p = this.pending;
    if (p.length <= 1) return;
    p.unshift({ dbid: p[0]!.dbid, argv: ['MULTI'] });
    p.push({ dbid: p[p.length - 1]!.dbid, argv: ['EXEC'] });
  }
}
