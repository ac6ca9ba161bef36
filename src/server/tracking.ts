/*
 * Client side caching: key tracking and invalidation (redis/src/tracking.c).
 *
 * Default mode: after a read-only command of a tracking client, the keys it
 * read (from the command table's key specs) go into the tracking table
 * key -> client ids (db-agnostic, like Redis). A write to a tracked key (the
 * write recorder's key-modified signal: writes, expiry, eviction) sends each
 * of those clients one invalidation and drops the key from the table; the ids
 * of clients that stopped tracking are skipped lazily. OPTIN / OPTOUT with
 * CLIENT CACHING decide whether the next command's keys are remembered.
 * BCAST mode: no table; keys written under a registered prefix are gathered
 * per prefix and sent once after the current turn (Redis's beforeSleep), in
 * key order, minus the client's own writes with NOLOOP.
 *
 * Delivery (sendTrackingMessage): RESP3 gets `>2 invalidate [keys]` pushes;
 * with REDIRECT the message goes to that client instead, as a push if it is
 * RESP3 or as a `message` on __redis__:invalidate if it is a RESP2 client in
 * pub/sub mode (nothing otherwise). A redirect target that has gone flags the
 * client broken_redirect and sends it `tracking-redir-broken` (RESP3 only).
 * Invalidations for the client whose command is running wait until after its
 * reply (trackingHandlePendingKeyInvalidations), so they never land inside a
 * transaction's or a multi-key reply.
 *
 * FLUSHDB / FLUSHALL arrive as whole-db signals (one per flushed db, before
 * clearing); SWAPDB sends two per db and is no flush for tracking. Lone
 * signals are settled after the command: one null invalidation to every
 * tracking client and an empty table. tracking-table-max-keys is enforced
 * after commands and from the cron by evicting keys (with invalidation),
 * with an effort that grows while the table stays over the limit.
 */
import { encodeBulk as bulk } from '../protocol/reply.js';
import type { Client } from './client.js';
import type { Server } from './server.js';
import type { Db } from '../keyspace/db.js';
import type { Command } from '../commands/registry.js';
import { keyPositions } from '../commands/registry.js';
import { pushFrame } from './pubsub.js';
import { setInfoFields } from './info.js';

export interface TrackingState {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING given for the next command (or transaction) */
  caching: boolean;
  brokenRedir: boolean;
  /** client id to redirect to, 0 for none */
  redirect: number;
  /** BCAST prefixes of this client */
  prefixes: Set<string>;
}

interface BcastState {
  /** keys written since the last broadcast -> last writer (null: expiry, eviction ...) */
  keys: Map<string, Client | null>;
  clients: Set<Client>;
}

export interface TrackingOptions { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }

const INVALIDATE_PUSH = '>2\r\n$10\r\ninvalidate\r\n';
const INVALIDATE_MESSAGE = '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n';

export class Tracking {
  /** clients with tracking on */
  readonly states = new Map<Client, TrackingState>();
  /** key -> ids of clients that may have it cached */
  readonly table = new Map<string, Set<number>>();
  totalItems = 0;
  /** BCAST prefix -> gathered keys and subscribed clients */
  readonly prefixes = new Map<string, BcastState>();
  /** invalidations for the running client, sent after its reply (null = flush) */
  private pending: (string | null)[] = [];
  private broadcastScheduled = false;
  /** whole-db signals seen in the running command */
  private dbSignals = new Map<Db, number>();
  /**
   * the after-call hook's switch (Server.addAfterCallHook): armed while a client tracks or the table
   * remembers keys (whole-db signals and pending invalidations come only then)
   */
  arm: (on: boolean) => void = () => {};
  private settleScheduled = false;
  /** trackingLimitUsedSlots' timeout_counter */
  private limitRounds = 0;

  constructor(private readonly server: Server) {}

  // ---- enabling ---------------------------------------------------------------

  enable(c: Client, redirect: number, opts: TrackingOptions, prefixes: readonly string[]): void {
    let st = this.states.get(c);
    if (st === undefined) {
      st = { bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedir: false, redirect: 0, prefixes: new Set() };
      this.states.set(c, st);
      this.arm(true);
    }
    st.brokenRedir = false;
    st.redirect = redirect;
    c.trackingRedirect = redirect;
    st.bcast = opts.bcast;
    if (opts.bcast) {
      if (prefixes.length === 0) this.addPrefix(c, st, '');
      for (const p of prefixes) this.addPrefix(c, st, p);
    }
    st.optin = opts.optin;
    st.optout = opts.optout;
    st.noloop = opts.noloop;
  }

  private addPrefix(c: Client, st: TrackingState, prefix: string): void {
    let bs = this.prefixes.get(prefix);
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() };
      this.prefixes.set(prefix, bs);
    }
    bs.clients.add(c);
    st.prefixes.add(prefix);
  }

  disable(c: Client): void {
    const st = this.states.get(c);
    c.trackingRedirect = -1;
    if (st === undefined) return;
    if (st.bcast) {
      for (const p of st.prefixes) {
        const bs = this.prefixes.get(p);
        if (bs === undefined) continue;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixes.delete(p);
      }
    }
    this.states.delete(c);
  }

  /** checkPrefixCollisionsOrReply's test: one string is a prefix of the other. */
  static overlaps(a: string, b: string): boolean {
    return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
  }

  // ---- remembering keys -------------------------------------------------------

  /** trackingRememberKeys: after a read-only command of a (non-BCAST) tracking client. */
  private remember(c: Client, st: TrackingState, cmd: Command, argv: string[]): void {
    if ((st.optin && !st.caching) || (st.optout && st.caching)) return;
    if (cmd.flags.has('pubsub')) return;
    const positions = keyPositions(cmd, argv);
    const id = c.id;
    for (let i = 0; i < positions.length; i++) {
      const key = argv[positions[i]!]!;
      let ids = this.table.get(key);
      if (ids === undefined) { ids = new Set(); this.table.set(key, ids); }
      if (!ids.has(id)) { ids.add(id); this.totalItems++; }
    }
  }

  /** After every call (nested ones too): remember keys, settle flushes; at top level flush pending invalidations. */
  afterCall(c: Client, cmd: Command, argv: string[]): void {
    if (this.dbSignals.size > 0) this.settleFlushes();
    if (this.states.size === 0 && this.pending.length === 0) {
      if (this.table.size === 0 && this.dbSignals.size === 0) this.arm(false);
      return;
    }
    const st = this.states.get(c);
    if (st !== undefined && !st.bcast && cmd.isReadonly && !RO_SCRIPTS.has(cmd.name)) this.remember(c, st, cmd, argv);
    if (this.server.nestedCalls !== 0) return;
    if (this.pending.length > 0) this.flushPending(c);
    // CLIENT CACHING covers the next command, or the whole next transaction
    if (st !== undefined && st.caching && !c.inMulti && cmd.parent?.name !== 'client') st.caching = false;
    if (this.table.size > this.maxKeys()) {
      const saved = this.server.currentClient;
      this.server.currentClient = null;
      this.limitUsedSlots();
      this.server.currentClient = saved;
    }
  }

  private maxKeys(): number {
    const n = this.server.config.num('tracking-table-max-keys');
    return n === 0 ? Infinity : n;
  }

  // ---- invalidation -------------------------------------------------------------

  /** The key-modified signal. */
  keyModified(db: Db, key: string | null): void {
    if (key === null) {
      if (this.states.size === 0 && this.table.size === 0) return;
      this.dbSignals.set(db, (this.dbSignals.get(db) ?? 0) + 1);
      if (this.server.nestedCalls === 0 && !this.settleScheduled) {
        this.settleScheduled = true;
        queueMicrotask(() => { this.settleScheduled = false; this.settleFlushes(); });
      }
      return;
    }
    if (this.table.size === 0 && this.prefixes.size === 0) return;
    this.invalidateKey(key, true, this.server.currentClient);
  }

  /** trackingInvalidateKey */
  invalidateKey(key: string, bcast: boolean, writer: Client | null): void {
    if (bcast && this.prefixes.size > 0) this.rememberForBroadcast(key, writer);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const server = this.server;
    const current = server.currentClient;
    for (const id of ids) {
      const target = server.clients.get(id);
      if (target === undefined) continue;
      const st = this.states.get(target);
      if (st === undefined || st.bcast) continue;
      if (st.noloop && target === current) continue;
      if (target === current && server.nestedCalls > 0) this.pending.push(key);
      else this.send(target, st, '*1\r\n' + bulk(key));
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
  }

  private flushPending(c: Client): void {
    const pending = this.pending;
    this.pending = [];
    const st = this.states.get(c);
    if (st === undefined || c.closed) return;
    for (const key of pending) {
      this.send(c, st, key === null ? (c.resp === 3 ? '_\r\n' : '$-1\r\n') : '*1\r\n' + bulk(key));
    }
  }

  /** Whole-db signals of the command: one per db is a flush (SWAPDB sends two). */
  private settleFlushes(): void {
    const signals = this.dbSignals;
    if (signals.size === 0) return;
    this.dbSignals = new Map();
    let flushed = false;
    for (const n of signals.values()) if (n === 1) flushed = true;
    if (flushed) this.invalidateOnFlush();
  }

  /** trackingInvalidateKeysOnFlush */
  private invalidateOnFlush(): void {
    const current = this.server.currentClient;
    for (const [c, st] of this.states) {
      if (c === current) this.pending.push(null);
      else this.send(c, st, c.resp === 3 ? '_\r\n' : '$-1\r\n');
    }
    this.table.clear();
    this.totalItems = 0;
  }

  /** sendTrackingMessage: `payload` is the RESP value after the message head (array of keys or null). */
  send(c: Client, st: TrackingState, payload: string): void {
    let target = c;
    let redirected = false;
    if (st.redirect !== 0) {
      const r = this.server.clients.get(st.redirect);
      if (r === undefined || r.closed) {
        st.brokenRedir = true;
        if (c.resp === 3) pushFrame(c, '>2\r\n$21\r\ntracking-redir-broken\r\n:' + st.redirect + '\r\n');
        return;
      }
      target = r;
      redirected = true;
    }
    if (target.resp === 3) pushFrame(target, INVALIDATE_PUSH + payload);
    else if (redirected && target.kind === 'pubsub') pushFrame(target, INVALIDATE_MESSAGE + payload);
  }

  // ---- BCAST ----------------------------------------------------------------------

  private rememberForBroadcast(key: string, writer: Client | null): void {
    let any = false;
    for (const [prefix, bs] of this.prefixes) {
      if (prefix.length > key.length || !key.startsWith(prefix)) continue;
      bs.keys.delete(key); // raxInsert overwrites: the last writer counts
      bs.keys.set(key, writer);
      any = true;
    }
    if (any && !this.broadcastScheduled) {
      this.broadcastScheduled = true;
      queueMicrotask(() => { this.broadcastScheduled = false; this.broadcast(); });
    }
  }

  /** trackingBroadcastInvalidationMessages: prefixes and keys in byte order, as Redis's radix trees. */
  broadcast(): void {
    const prefixes = [...this.prefixes.keys()].sort();
    for (const p of prefixes) {
      const bs = this.prefixes.get(p)!;
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys.keys()].sort();
      const writers = bs.keys;
      bs.keys = new Map();
      let common: string | null = null;
      for (const c of bs.clients) {
        const st = this.states.get(c);
        if (st === undefined || c.closed) continue;
        if (st.noloop) {
          let n = 0;
          let body = '';
          for (const k of keys) if (writers.get(k) !== c) { n++; body += bulk(k); }
          if (n > 0) this.send(c, st, '*' + n + '\r\n' + body);
        } else {
          if (common === null) { common = '*' + keys.length + '\r\n'; for (const k of keys) common += bulk(k); }
          this.send(c, st, common);
        }
      }
    }
  }

  // ---- tracking-table-max-keys ---------------------------------------------------

  /** trackingLimitUsedSlots: evict keys (invalidating them) until under the limit, effort growing per round. */
  limitUsedSlots(): void {
    const max = this.maxKeys();
    if (this.table.size <= max) { this.limitRounds = 0; return; }
    let effort = 100 * (this.limitRounds + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.invalidateKey(key, false, null);
      if (this.table.size <= max) { this.limitRounds = 0; return; }
    }
    this.limitRounds++;
  }

  // ---- client lifecycle ------------------------------------------------------------

  forget(c: Client): void {
    this.disable(c);
  }
}

/** EVAL_RO and friends remember the script's declared keys instead (scripting). */
const RO_SCRIPTS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

export function trackingOf(server: Server): Tracking {
  return server.ext.get('tracking') as Tracking;
}

export function installTracking(server: Server): void {
  const t = new Tracking(server);
  server.ext.set('tracking', t);
  server.recorder.keyModifiedHooks.push((db, key) => t.keyModified(db, key));
  t.arm = server.addAfterCallHook((c, cmd, argv) => t.afterCall(c, cmd, argv), false);
  server.clientClosedHooks.push((c) => t.forget(c));
  server.clientResetHooks.push((c) => t.forget(c));
  server.cronHooks.push(() => { if (t.states.size > 0) t.limitUsedSlots(); });
  setInfoFields(server, 'clients', () => ({ tracking_clients: t.states.size }));
  setInfoFields(server, 'stats', () => ({
    tracking_total_keys: t.table.size, tracking_total_items: t.totalItems, tracking_total_prefixes: t.prefixes.size,
  }));
}
