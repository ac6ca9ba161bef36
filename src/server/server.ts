/*
 * The server: configuration, databases, clients, the command table, the write
 * recorder, statistics, the TCP listener and the cron (active expiry, client
 * timeouts, stats sampling).
 *
 * Several Servers can live in one process (tests rely on it): nothing here is
 * module-global. Features of later issues plug in through the hook fields
 * (clusterCheck, queueMulti, recorder hooks) without dispatch
 * knowing about them.
 */
import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import { Config } from './config.js';
import { parseOutputLimits, type OutputLimits } from './config-params.js';
import { Logger, type LogLevel } from './log.js';
import { Stats } from './stats.js';
import { Client } from './client.js';
import type { Acl } from '../acl/acl.js';
import { processCommand } from './dispatch.js';
import { CommandTable, type Command } from '../commands/registry.js';
import { ALL_COMMANDS } from '../commands/index.js';
import { Db, type DbHooks } from '../keyspace/db.js';
import { WriteRecorder } from '../keyspace/writes.js';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, parseNotifyFlags } from '../keyspace/notify.js';
import { lfuTouch, lruClockNow } from '../keyspace/access.js';
import { activeExpireCycle } from '../keyspace/expire.js';
import { latencyAddSampleIfNeeded } from './latency.js';
import { resyncWallOffset } from './wall-clock.js';
import { EVICT_FAIL, performEvictions } from '../keyspace/evict.js';
import { FEATURES } from './features.js';
import { Blocking } from './blocking.js';
import { clientsPaused } from '../commands/connection/pause.js';
import { Shutdown, type ShutdownOpts } from './shutdown.js';
import { adjustOpenFilesLimit, checkTcpBacklog } from './fd-limit.js';
import { configureTls, listenerOptions, refusedPeer, SessionCache, sslErrorText, tlsWanted, type TlsSettings } from './tls.js';
import { FastIo } from './fastio.js';
import { performance } from 'node:perf_hooks';

export const REDIS_VERSION = '7.0.15';
export const NODIS_VERSION = '0.1.0';

/**
 * The listen queue holds this many times tcp-backlog (the kernel caps it at
 * net.core.somaxconn, as it caps Redis's). Node accepts a connection in
 * 30-60 us of JavaScript (net.Socket and its streams, built by Node before our
 * callback runs) where Redis takes a few: against a burst of connects (10,000
 * sockets opened at once) a queue of 511 that Redis drains in time overflows
 * here, the kernel drops the handshakes, and the clients retry after 1 s, 3 s,
 * ... (bench/e2e/connections.mjs: 2-3x Redis's time, every extra second a
 * retry). A deeper queue takes the same bursts Redis takes.
 */
const ACCEPT_QUEUE_FACTOR = 8;

/** What a CONFIG REWRITE hook writes with (see Server.rewriteHooks). */
export interface ConfigRewriter {
  line(key: string, text: string, force: boolean): void;
  processed(key: string): void;
}

/** the command flags a script or function declares (getCommandFlags for EVAL* / FCALL*) */
export interface ScriptCmdFlags { write: boolean; denyOom: boolean; stale: boolean; mayReplicate: boolean }

/** Run after a command (see Server.addAfterCallHook); usec is its time. */
export type AfterCallHook = (c: Client, cmd: Command, argv: string[], usec: number) => void;

/** see Server.writeNowBudget */
const WRITE_NOW_READS = 32;
const WRITE_NOW_AFTER = 4;

export class Server {
  readonly config = new Config();
  readonly log = new Logger();
  readonly stats = new Stats();
  readonly table = new CommandTable();
  readonly recorder = new WriteRecorder();
  dbs: Db[] = [];
  readonly clients = new Map<number, Client>();
  private nextClientId = 1;
  private listener: net.Server | null = null;
  /**
   * TLS (tls.ts): the settings tlsConfigure last built (null until TLS is
   * wanted), the tls-port listener and the port it is bound to (0: none).
   */
  tls: TlsSettings | null = null;
  private tlsListener: tls.Server | null = null;
  tlsPort = 0;
  private readonly tlsSessions = new SessionCache();
  /** TLS connections not yet clients (in their handshake): closed with the server, which would wait for them */
  private readonly tlsHandshaking = new Set<net.Socket>();
  /**
   * Embedded servers (startServer) bind any free port for `port 0`; redis-server's
   * rule (the CLI's) is that port 0 opens no TCP listener.
   */
  anyPort = false;
  /** a listener is open (TCP, TLS or unix socket) */
  private bound = false;
  private cron: NodeJS.Timeout | null = null;
  /** clients with replies to write at the end of this event-loop turn (see queueWrite) */
  private writeQueue: (Client | undefined)[] = [];
  private writeQueueLen = 0;
  /** the other of the two queues (swapped each turn: writes may queue clients for the next turn, nothing is allocated per turn) */
  private writeQueueSpare: (Client | undefined)[] = [];
  private writeScheduled = false;
  readonly startTime = Date.now();
  readonly runId: string;
  /** the current command's time (ms); fixed for a whole command, transaction or script */
  now = Date.now();
  nestedCalls = 0;
  /**
   * Clock chaining (dispatch.ts call()): calls at nesting depth chainDepth
   * (-1: none) start their timing at callClock, the end of the previous call at
   * that depth, when it is set: back-to-back commands of a pipeline
   * (Client.processInput, depth 0) and of an EXEC (its depth) read the clock
   * once per command instead of twice.
   */
  chainDepth = -1;
  callClock = 0;
  /** the client whose command call() is running (Redis's server.current_client), null between commands */
  currentClient: Client | null = null;
  outputLimits: OutputLimits;
  port = 0;
  /** time of the last successful save (LASTSAVE), seconds */
  lastSave = Math.floor(Date.now() / 1000);
  /** true on a replica with replica-read-only */
  isReadonlyReplica = false;
  /**
   * Replication state the server itself reads (src/replication/ drives it):
   * masterhost is set while this server is a replica (REPLICAOF host port);
   * minReplicasCheck (min-replicas-to-write: the NOREPLICAS line for a write, or
   * null) and staleCheck (replica-serve-stale-data no with the link down: the
   * MASTERDOWN line, or null) are null whenever they cannot refuse anything.
   */
  masterhost: string | null = null;
  /** set while a replica expires keys itself: writes of its own clients, and keys they gave a TTL (writable replicas) */
  forceLocalExpiry = false;
  /** a writable replica's client set a TTL (rememberSlaveKeyWithExpire); null when not a replica */
  replicaExpireHook: ((db: Db, key: string) => void) | null = null;
  /** a replica's client sent an empty line (src/replication/ refreshes its ACK time) */
  replicaNewlineHook: ((c: Client) => void) | null = null;
  masterport = 0;
  minReplicasCheck: ((c: Client, cmd: Command) => string | null) | null = null;
  staleCheck: ((c: Client, cmd: Command, allowStale: boolean) => string | null) | null = null;
  /** EVAL* / FCALL*: the flags of the script or function they would run (scripting/), or null to keep the command's */
  scriptCommandFlags: ((cmd: Command, argv: string[]) => ScriptCmdFlags | null) | null = null;
  /** extra RDB aux fields for the next save (the replication ids and offset: rdbPopulateSaveInfo), or null */
  rdbSaveInfo: (() => Record<string, string | number> | null) | null = null;
  /** repl-stream-db / repl-id / repl-offset read from the last RDB loaded (a restarted replica resumes with them) */
  loadedReplInfo: { replid: string; offset: number; db: number } | null = null;
  /**
   * Function libraries (scripting/functions.ts) as persistence sees them: their
   * codes for an RDB or an AOF rewrite, a load of one from an RDB (an error
   * text, or null), a flush before a full load. Null until installed.
   */
  functionCodes: (() => string[]) | null = null;
  functionLoad: ((code: string, replace: boolean) => string | null) | null = null;
  functionFlush: (() => void) | null = null;
  /** a master's start-up RDB load skipped this expired key (replication feeds a DEL for it) */
  loadExpiredHook: ((dbid: number, key: string) => void) | null = null;
  /**
   * Sentinel mode (src/sentinel/ sets it, with the command table and hooks it
   * needs): HELLO's mode, the logo. The server never imports the sentinel.
   */
  sentinelMode = false;
  /**
   * Config-file directives a subsystem owns (the sentinel's `sentinel ...`):
   * directive -> apply(args after the directive, line number, line text),
   * returning an error text (the FATAL CONFIG FILE ERROR reason) or null.
   */
  readonly configDirectives = new Map<string, (args: string[], lineNo: number, line: string) => string | null>();
  /**
   * CONFIG REWRITE hooks for the lines of such directives (rewriteConfigSentinelOption):
   * line(key, text, force) replaces the next old line of that key or appends,
   * processed(key) drops the old lines of that key not replaced. Keys of
   * two-word directives are "<directive> <first arg>" as in Redis ("sentinel monitor").
   */
  readonly rewriteHooks: ((rw: ConfigRewriter) => void)[] = [];
  /** called with a config parameter's name when CONFIG SET (or start-up) changes it */
  readonly configHooks: ((name: string) => void)[] = [];
  shuttingDown = false;
  closed: Promise<void> | null = null;
  /** hooks that later issues fill in */
  /** users, permission checks and the ACL log (acl/acl.ts, installed with the features) */
  acl!: Acl;
  clusterCheck: ((c: Client, cmd: Command, argv: string[]) => string | null) | null = null;
  /** cluster mode: is this node a replica by its cluster configuration (set before the data loads)? */
  clusterReplica: (() => boolean) | null = null;
  /**
   * !iAmMaster(): a replica of a master, or a cluster node that nodes.conf says is a replica, even before it
   * connects to its master (a restarted cluster replica loads its data keeping expired keys, and expires none)
   */
  get iAmReplica(): boolean { return this.masterhost !== null || (this.clusterReplica !== null && this.clusterReplica()); }
  /** cluster mode: may a script's command run here (scriptVerifyClusterState)? null, or the error text */
  scriptClusterCheck: ((caller: Client, cmd: Command, argv: string[], crossSlot: boolean) => string | null) | null = null;
  /** cluster mode: PUBLISH / SPUBLISH go over the cluster bus (clusterPropagatePublish) */
  clusterPublish: ((channel: string, message: string, sharded: boolean) => void) | null = null;
  /** cluster mode: the bus connections (INFO cluster_connections) */
  clusterConnections: (() => number) | null = null;
  /**
   * keys some job holds (MIGRATE in flight: cluster/migrate.ts): while `keysHeld` > 0, dispatch asks
   * holdForKeys whether a command names one of them; if so the hook has postponed it (true) until the job ends
   */
  keysHeld = 0;
  holdForKeys: ((c: Client, cmd: Command, argv: string[]) => boolean) | null = null;
  /** set while a script runs past busy-reply-threshold: the -BUSY line for a command, or null to run it (scripting/engine.ts) */
  busyCheck: ((c: Client, cmd: Command) => string | null) | null = null;
  /** a script is running past busy-reply-threshold: the cron holds (no active expiry, frozen clock), as Redis */
  scriptBusy = false;
  /**
   * Called after every command (slowlog, latency, monitor feed, ...): the armed ones of addAfterCallHook, in the
   * order they were added. Replaced (not changed in place) when a hook is armed or disarmed.
   */
  afterCallHooks: readonly AfterCallHook[] = [];
  private readonly afterCallSlots: { readonly fn: AfterCallHook; armed: boolean }[] = [];

  /**
   * Add a hook run after every command (nested calls too), armed or idle; returns its switch. A module
   * keeps its hook disarmed while it has nothing to do after a call (no monitor, no tracking client, no
   * flush pending for WATCH, no master link): then the loop in afterCall calls only the hooks in use
   * (slowlog and latency as shipped), a call site V8 can inline instead of an indirect call per hook.
   */
  addAfterCallHook(fn: AfterCallHook, armed = true): (on: boolean) => void {
    const slot = { fn, armed };
    this.afterCallSlots.push(slot);
    this.rebuildAfterCallHooks();
    return (on) => {
      if (slot.armed === on) return;
      slot.armed = on;
      this.rebuildAfterCallHooks();
    };
  }

  private rebuildAfterCallHooks(): void {
    this.afterCallHooks = this.afterCallSlots.filter((s) => s.armed).map((s) => s.fn);
  }
  /**
   * called when a blocked command's wait ends with a reply (updateStatsOnUnblock): usec is the blocking
   * call's time plus replyUsec, the time spent replying; argv what the slowlog shows (see blocking.ts)
   */
  readonly unblockHooks: ((c: Client, cmd: Command, argv: readonly string[], usec: number, replyUsec: number) => void)[] = [];
  /** called when a client goes away */
  readonly clientClosedHooks: ((c: Client) => void)[] = [];
  /** called by RESET to clear per-feature connection state (MULTI/WATCH, pub/sub, MONITOR, tracking) */
  readonly clientResetHooks: ((c: Client) => void)[] = [];
  /** called at shutdown before the listener closes (save on shutdown, ...) */
  readonly shutdownHooks: (() => void)[] = [];
  /** run first by shutdown(): false stops the shutdown (a failed final save) unless FORCE */
  readonly prepareShutdownHooks: ((opts: ShutdownOpts) => boolean)[] = [];
  /**
   * Persistence state shared by snapshots (persistence/snapshot.ts) and the AOF:
   * loading (dispatch answers -LOADING), bgsaveInProgress / rewriteInProgress
   * (one background job at a time), rdbDiskError (last BGSAVE failed: MISCONF
   * when stop-writes-on-bgsave-error and save points), aofDiskError (MISCONF
   * text for the AOF, or null), aofWillLoad (the AOF loads at start-up, not the RDB),
   * the fork counters (persistence/job-child.ts).
   */
  readonly persistence = {
    loading: false, asyncLoading: false, bgsaveInProgress: false, rewriteInProgress: false, rdbDiskError: false,
    aofDiskError: null as string | null, aofWillLoad: false,
    /**
     * an AOF load in slices is under way: a script it replays may outlive
     * busy-reply-threshold (clients get -LOADING meanwhile) and the load waits
     * for it (scriptWait) before the next command
     */
    scriptsMayYield: false,
    /** the end of the script running past its threshold (set by the scripting engine) */
    scriptWait: null as (() => Promise<void>) | null,
    /** background jobs started (INFO total_forks) and how long starting the last one's child took (latest_fork_usec) */
    forks: 0, latestForkUsec: 0,
  };
  /**
   * Called before a client's replies are written: returning true holds them (the
   * AOF does, until its buffer is on disk) and the caller flushes the client later.
   */
  replyGate: ((c: Client) => boolean) | null = null;
  /** Runs once per turn before the queued replies are written (the AOF writes its buffer, like Redis's beforeSleep). */
  beforeWrites: (() => void) | null = null;
  /** paused clients (CLIENT PAUSE): until when, and for which commands */
  pauseUntil = 0;
  pauseWritesOnly = false;
  private hooks: DbHooks;

  constructor(options: Record<string, string | number | boolean | string[]> = {}) {
    this.runId = [...crypto.getRandomValues(new Uint8Array(20))].map((b) => b.toString(16).padStart(2, '0')).join('');
    for (const [k, v] of Object.entries(options)) {
      const raw = Array.isArray(v) ? v : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
      const err = this.config.set(k, raw, true);
      if (err) throw new Error(`Bad option '${k}': ${err}`);
    }
    this.outputLimits = parseOutputLimits(this.config.str('client-output-buffer-limit'));
    this.config.onChange = (name) => this.configChanged(name);
    this.configChanged('loglevel');
    this.configChanged('logfile');
    this.configChanged('notify-keyspace-events');
    this.configChanged('maxmemory-policy');
    this.table.register(ALL_COMMANDS);
    this.hooks = new ServerDbHooks(this);
    const n = this.config.num('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, this.hooks));
    for (const install of FEATURES) install(this);
  }

  /** Per-feature state attached by installers (features.ts), by feature name. */
  readonly ext = new Map<string, unknown>();
  /** heap in use once started (MEMORY STATS startup.allocated) and the highest seen (peak.allocated) */
  startupMemory = process.memoryUsage().heapUsed;
  peakMemory = 0;
  /** clients blocked on keys (BLPOP ...) */
  readonly blocking: Blocking = new Blocking(this);

  private configChanged(name: string): void {
    switch (name) {
      case 'loglevel': this.log.level = this.config.str('loglevel') as LogLevel; break;
      case 'logfile': this.log.file = this.config.str('logfile'); break;
      case 'client-output-buffer-limit': this.outputLimits = parseOutputLimits(this.config.str('client-output-buffer-limit')); break;
      case 'notify-keyspace-events': this.recorder.notifyFlags = parseNotifyFlags(this.config.str('notify-keyspace-events')) ?? 0; break;
      case 'hz': this.restartCron(); break;
      case 'maxmemory-policy': this.lfuMode = this.config.str('maxmemory-policy').includes('lfu'); break;
      case 'maxclients':
        for (const l of [this.listener, this.tlsListener, this.unixListener]) if (l) l.maxConnections = this.config.num('maxclients') + 32;
        break;
      case 'tls-auth-clients': this.reloadTlsListener(); break;
    }
    const hooks = this.configHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!(name);
  }

  // ---- keyspace glue -------------------------------------------------------

  keyExpired(db: Db, key: string): void {
    this.stats.expiredKeys++;
    this.recorder.keyModified(db, key);
    this.recorder.notify(NOTIFY_EXPIRED, 'expired', key, db.id);
    this.recorder.propagate(db.id, [this.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    if (this.nestedCalls === 0) this.recorder.flush();
  }

  /** maxmemory-policy is an LFU one (cached from the config) */
  lfuMode = false;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RDB loads and RESTORE skip the CRC64 check */
  skipChecksumValidation = false;
  /** DEBUG set-disable-deny-scripts: scripts may call noscript commands (server.script_disable_deny_script) */
  scriptDisableDenyScript = false;
  /** LRU clock (seconds, 24 bits) of `now` */
  lruClock = lruClockNow(Date.now());

  /**
   * Wall-clock ms = wallOffset + performance.now(): a command reads one clock
   * (the monotonic one it times itself with) instead of two. The cron puts
   * the offset back in line when the wall clock was stepped (wall-clock.ts).
   */
  wallOffset = performance.timeOrigin;

  /** Wall-clock time in ms from a performance.now() reading. */
  wallTime(perfNow: number): number { return Math.floor(this.wallOffset + perfNow); }

  /** Set the command clock (and the derived LRU clock). */
  setClock(ms: number): void {
    this.now = ms;
    this.lruClock = lruClockNow(ms);
  }

  lfuClock(old: number): number {
    return lfuTouch(old, this.now, this.config.num('lfu-log-factor'), this.config.num('lfu-decay-time'));
  }

  /** The access clock a key gets when touched now. */
  accessClock(old: number): number { return this.lfuMode ? this.lfuClock(old) : this.lruClock; }

  /** A read missed: count it and fire the keymiss event. */
  keyMiss(db: Db, key: string): void {
    this.stats.keyspaceMisses++;
    this.recorder.notify(NOTIFY_KEY_MISS, 'keymiss', key, db.id);
  }

  /** Evict keys until under maxmemory (keyspace/evict.ts); returns true if still over the limit (OOM). */
  performEvictions(): boolean { return performEvictions(this) === EVICT_FAIL; }

  // ---- dispatch ------------------------------------------------------------

  dispatch(c: Client, argv: string[]): void {
    if (c.noTouch) {
      // the running command must not touch access clocks (CLIENT NO-TOUCH), except TOUCH itself
      this.hooks.noTouch = argv[0]!.toLowerCase() !== 'touch';
      processCommand(this, c, argv);
      this.hooks.noTouch = false;
    } else {
      processCommand(this, c, argv);
    }
  }

  /** Rejected before running (counts rejected_calls; MULTI is flagged by transactions). */
  onRejected(c: Client): void { this.rejectedHook?.(c); }
  rejectedHook: ((c: Client) => void) | null = null;

  afterCall(c: Client, cmd: Command, argv: string[], usec: number): void {
    const hooks = this.afterCallHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!(c, cmd, argv, usec);
  }

  /** MULTI/EXEC/DISCARD/WATCH run even inside MULTI; the transactions module replaces these. */
  isMultiControl(cmd: Command): boolean {
    return cmd.fullname === 'exec' || cmd.fullname === 'discard' || cmd.fullname === 'multi' || cmd.fullname === 'watch' || cmd.fullname === 'quit' || cmd.fullname === 'reset';
  }

  queueMulti(c: Client, _cmd: Command, _argv: string[], _flags: ScriptCmdFlags): void { c.error('ERR MULTI is not supported yet'); }

  /** DEBUG and MODULE under enable-*-command (no / yes / local). */
  protectedAllowed(c: Client, cmd: Command): boolean {
    const v = this.config.str(cmd.name === 'debug' ? 'enable-debug-command' : 'enable-module-command');
    if (v === 'yes') return true;
    if (v === 'local') {
      const a = c.socket.remoteAddress ?? '';
      return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a === '';
    }
    return false;
  }

  // ---- clients -------------------------------------------------------------

  /**
   * A new connection (acceptCommonHandler, then createClient's socket options):
   * over maxclients it gets the error and is closed; else TCP_NODELAY (set by
   * the listener's noDelay option before this runs) and tcp-keepalive.
   */
  private accept(socket: net.Socket): void {
    if (this.clients.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      socket.on('error', () => socket.destroy()); // a peer that resets first must not throw an unhandled 'error'
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    this.acceptClient(socket);
  }

  /** A connection past the maxclients check: its socket options, then a Client. */
  private acceptClient(socket: net.Socket): void {
    const ka = this.config.num('tcp-keepalive');
    if (ka > 0) socket.setKeepAlive(true, ka * 1000);
    this.stats.totalConnections++;
    const c = new Client(this, socket, this.nextClientId++);
    this.clients.set(c.id, c);
    const io = FastIo.attach(socket, c);
    if (io !== null) c.io = io;
    else socket.on('data', (chunk: Buffer) => c.onData(chunk));
    socket.on('error', () => c.close());
    socket.on('close', () => { c.closed = true; this.removeClient(c); });
    const gate = this.startGate;
    if (gate !== null) {
      c.stopReading();
      void gate.then(() => { if (!socket.destroyed) c.startReading(); });
    }
  }

  /** While set, what accepted clients send waits (holdClientsUntil). */
  private startGate: Promise<unknown> | null = null;

  /**
   * A start step Redis runs before its event loop turns (clusterInit): the
   * listener is bound already, so clients may connect, but what they send
   * waits until `step` settles (as connections wait in the backlog until
   * Redis's aeMain).
   */
  holdClientsUntil(step: Promise<unknown>): void {
    const gate = step.then(() => undefined, () => undefined);
    this.startGate = gate;
    void gate.then(() => { if (this.startGate === gate) this.startGate = null; });
  }

  /**
   * A client over a connection this server opened (replication's link to its
   * master): registered like an accepted one; the caller feeds it its input.
   */
  adoptClient(socket: net.Socket): Client {
    const c = new Client(this, socket, this.nextClientId++);
    this.clients.set(c.id, c);
    socket.on('error', () => c.close());
    socket.on('close', () => { c.closed = true; this.removeClient(c); });
    return c;
  }

  removeClient(c: Client): void {
    if (!this.clients.delete(c.id)) return;
    for (const h of this.clientClosedHooks) h(c);
  }

  /**
   * Write a client's replies at the end of this event-loop turn, after every
   * client readable in this turn has run its commands (Redis writes replies in
   * beforeSleep, handleClientsWithPendingWrites). Writing back to back, instead
   * of one write between the parsing of each client, lets the kernel wake a
   * peer once per turn: on a busy server that saves a third of the CPU per
   * pipelined command (bench/README.md). A client's read may write at once
   * instead when turns read one client each (mayWriteNow).
   */
  queueWrite(c: Client): void {
    if (c.writeQueued) return;
    c.writeQueued = true;
    this.writeQueue[this.writeQueueLen++] = c;
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(this.writeQueued);
  }

  /**
   * Replies of this many more reads go out at once (mayWriteNow) instead of at the end of the turn. Set when an
   * end-of-turn write found one client: a load bound by round trips (a few clients, each waiting for its reply),
   * where each turn reads one client, waiting batches nothing and the turn's setImmediate is a cost per request
   * (an Immediate object, ~80 bytes with its async ids, a third of a GET's garbage). It takes WRITE_NOW_AFTER such
   * turns in a row (a busy server's turns read many clients, and an odd turn of one must not end its batching);
   * after WRITE_NOW_READS reads a write is queued again, and a turn that finds several clients goes back to batching.
   */
  private writeNowBudget = 0;
  /** end-of-turn writes in a row that found one client */
  private singleWriteTurns = 0;

  /** Whether a client's replies may be written now instead of by queueWrite (see writeNowBudget). */
  mayWriteNow(): boolean {
    if (this.writeNowBudget === 0 || this.writeScheduled || this.beforeWrites !== null) return false;
    this.writeNowBudget--;
    return true;
  }

  private readonly writeQueued = (): void => {
    this.writeScheduled = false;
    this.beforeWrites?.();
    const q = this.writeQueue;
    const n = this.writeQueueLen;
    if (n !== 1) {
      this.singleWriteTurns = 0;
      this.writeNowBudget = 0;
    } else if (++this.singleWriteTurns >= WRITE_NOW_AFTER) {
      this.writeNowBudget = WRITE_NOW_READS;
    }
    this.writeQueue = this.writeQueueSpare;
    this.writeQueueLen = 0;
    for (let i = 0; i < n; i++) {
      const c = q[i]!;
      q[i] = undefined; // a closed client is not kept alive by the queue
      c.writeQueued = false;
      c.flush();
    }
    this.writeQueueSpare = q;
  };

  /** Flush a client's pushed output at the end of this turn (pub/sub, monitor). */
  scheduleFlush(c: Client): void { this.queueWrite(c); }

  // ---- lifecycle -----------------------------------------------------------

  /** Start-up hooks (loading data, ...) run before listening. */
  readonly startHooks: (() => Promise<void> | void)[] = [];

  /**
   * Listen, then run the start hooks (loading data), as Redis binds its
   * sockets in initServer before loadDataFromDisk: a load that fails comes
   * after the server announced itself (onListening: the CLI's logo). Clients
   * that connect meanwhile wait, or get -LOADING from a load done in slices.
   */
  async start(): Promise<void> {
    this.fitMaxclients(); // initServer's adjustOpenFilesLimit, before binding
    checkTcpBacklog(this.log, this.config.num('tcp-backlog'));
    if (this.tls === null && tlsWanted(this.config)) {
      const t = configureTls(this.config, this.log);
      if (t === null) throw startupError('Failed to configure TLS. Check logs for more info.');
      this.tls = t;
    }
    if (!this.bound) await this.listen();
    this.onListening?.();
    try {
      for (const h of this.startHooks) await h();
    } catch (e) {
      // a start that fails (a corrupt AOF or RDB ...) leaves nothing behind: listener,
      // cron and clients close (no save: saving is prepareShutdown's, never run here)
      await this.close();
      throw e;
    }
  }

  /** Called once the listener is bound at start, before any data loads (the CLI prints the logo). */
  onListening: (() => void) | null = null;

  /**
   * At start, maxclients lowered to what the file-descriptor limit allows, with
   * Redis's warnings (fd-limit.ts). A limit too low for any client stops the start.
   */
  private fitMaxclients(): void {
    const want = this.config.num('maxclients');
    const fit = adjustOpenFilesLimit(this.log, want);
    if (fit === want) return;
    if (fit < 1) throw new Error("the open files limit ('ulimit -n') is too low to start");
    this.config.set('maxclients', String(fit), true);
  }

  /**
   * CONFIG SET maxclients (updateMaxclients): null when the descriptor limit
   * allows the new value, else the error text naming the most it allows.
   */
  applyMaxclients(): string | null {
    const want = this.config.num('maxclients');
    const fit = adjustOpenFilesLimit(this.log, want);
    return fit === want ? null : `The operating system is not able to handle the specified number of clients, try with ${fit}`;
  }

  /** true once listening (a start hook may listen early to answer -LOADING while it loads) */
  get listening(): boolean { return this.bound; }

  /** The address the TCP and TLS listeners bind (the first usable `bind` address). */
  bindHost(): string {
    const binds = this.config.values.get('bind') as string[];
    const host = binds.find((b) => !b.startsWith('-') && b !== '*') ?? (binds.includes('*') ? '0.0.0.0' : '127.0.0.1');
    return host.replace(/^-/, '');
  }

  /** A TCP listener on `port` (rejects with the listen error). */
  private async bindTcp(port: number): Promise<net.Server> {
    const l = net.createServer({ noDelay: true }, (s) => this.accept(s));
    l.maxConnections = this.config.num('maxclients') + 32;
    await listenOn(l, { port, host: this.bindHost(), backlog: this.config.num('tcp-backlog') * ACCEPT_QUEUE_FACTOR });
    return l;
  }

  /**
   * A TLS listener on `port` with the current settings (acceptTLSHandler). Over
   * maxclients a connection is dropped before its handshake, as Redis drops it
   * (its error line cannot be sent in clear on a TLS port). A failed handshake
   * is logged as Redis logs it; under tls-auth-clients optional a certificate
   * that did not verify is refused once the handshake is done (tls.ts).
   */
  private async bindTls(port: number): Promise<tls.Server> {
    const l = tls.createServer({ ...listenerOptions(this.tls!, this.config.str('tls-auth-clients')), noDelay: true }, (s) => {
      if (refusedPeer(s, this.config.str('tls-auth-clients'))) {
        // what OpenSSL reports when it refuses the certificate during the handshake
        this.log.warning(`Error accepting a client connection: error:0A000086:SSL routines::certificate verify failed (conn: ${s.remoteAddress}:${s.remotePort})`);
        s.destroy();
        return;
      }
      this.tlsHandshaking.delete((s as unknown as { _parent: net.Socket })._parent);
      this.acceptClient(s);
    });
    const dropped = new WeakSet<net.Socket>();
    l.prependListener('connection', (raw: net.Socket) => {
      this.tlsHandshaking.add(raw);
      raw.once('close', () => this.tlsHandshaking.delete(raw));
      if (this.clients.size < this.config.num('maxclients')) return;
      this.stats.rejectedConnections++;
      dropped.add(raw);
      raw.destroy();
    });
    l.on('tlsClientError', (e, s) => {
      // a connection dropped over maxclients ends its TLSSocket with 'socket hang up': not logged, as in Redis
      const raw = (s as unknown as { _parent?: net.Socket })._parent;
      if (raw !== undefined && dropped.has(raw)) return;
      this.log.warning(`Error accepting a client connection: ${sslErrorText(e)} (conn: ${s.remoteAddress ?? '?'}:${s.remotePort ?? 0})`);
    });
    l.maxConnections = this.config.num('maxclients') + 32;
    this.tlsSessions.apply(l, this.tls!);
    await listenOn(l, { port, host: this.bindHost(), backlog: this.config.num('tcp-backlog') * ACCEPT_QUEUE_FACTOR });
    return l;
  }

  /**
   * Open the listeners (initServer): TCP on `port` unless it is 0 (embedded
   * servers take any free port then), TLS on `tls-port` unless 0, the unix
   * socket. Nothing stays open when one fails; none at all is an error.
   */
  async listen(): Promise<void> {
    const port = this.config.num('port');
    const tlsPort = this.config.num('tls-port');
    const tcp = port !== 0 || this.anyPort ? await this.bindTcp(port) : null;
    let secure: tls.Server | null = null;
    if (tlsPort !== 0) {
      try {
        if (this.tls === null) throw new Error('TLS is not configured');
        secure = await this.bindTls(tlsPort);
      } catch (e) {
        tcp?.close();
        const err = e as NodeJS.ErrnoException;
        if (err.code !== undefined) {
          const why = err.code === 'EADDRINUSE' ? 'bind: Address already in use' : err.code === 'EACCES' ? 'bind: Permission denied' : err.message;
          this.log.warning(`Warning: Could not create server TCP listening socket ${this.bindHost()}:${tlsPort}: ${why}`);
        }
        throw startupError(`Failed listening on port ${tlsPort} (TLS), aborting.`, e);
      }
    }
    this.listener = tcp;
    this.port = boundPort(tcp, port);
    this.tlsListener = secure;
    this.tlsPort = boundPort(secure, tlsPort);
    if (this.unixListener === null) await this.listenUnix();
    if (tcp === null && secure === null && this.unixListener === null) throw startupError('Configured to not listen anywhere, exiting.');
    this.bound = true;
    this.restartCron();
  }

  /** The TCP port announced (INFO tcp_port, the logo): port, else tls-port (Redis's `port ? port : tls_port`). */
  get announcedPort(): number { return this.port !== 0 ? this.port : this.tlsPort; }

  /**
   * applyTlsCfg / the TLS half of applyTLSPort: rebuild the TLS settings
   * (when TLS is wanted, or always with `force`) and give them to the TLS
   * listener. false, logged and with nothing changed, on failure.
   */
  reconfigureTls(force = false): boolean {
    if (!force && !tlsWanted(this.config)) return true;
    const t = configureTls(this.config, this.log);
    if (t === null) return false;
    this.tls = t;
    this.reloadTlsListener();
    return true;
  }

  /** The TLS listener takes the current settings and tls-auth-clients for its next connections. */
  private reloadTlsListener(): void {
    if (this.tlsListener === null || this.tls === null) return;
    const o = listenerOptions(this.tls, this.config.str('tls-auth-clients'));
    this.tlsListener.setSecureContext(o);
    // the verify mode of later connections: read from these fields per connection, not set by setSecureContext
    const l = this.tlsListener as tls.Server & { requestCert: boolean; rejectUnauthorized: boolean };
    l.requestCert = o.requestCert === true;
    l.rejectUnauthorized = o.rejectUnauthorized === true;
    this.tlsSessions.apply(this.tlsListener, this.tls);
  }

  /** the unixsocket listener, when configured (opened once, at start) */
  private unixListener: net.Server | null = null;

  /** Listen on `unixsocket` (a stale socket file is replaced) with `unixsocketperm`, as Redis's listenToPort for unix sockets. */
  private async listenUnix(): Promise<void> {
    const file = this.config.str('unixsocket') ?? '';
    if (file === '') return;
    try { fs.unlinkSync(file); } catch { /* none */ }
    const l = net.createServer((s) => this.accept(s));
    l.maxConnections = this.config.num('maxclients') + 32;
    await new Promise<void>((resolve, reject) => {
      l.once('error', reject);
      l.listen({ path: file, backlog: this.config.num('tcp-backlog') }, () => { l.off('error', reject); resolve(); });
    });
    const perm = this.config.num('unixsocketperm');
    if (perm > 0) fs.chmodSync(file, perm);
    this.unixListener = l;
  }

  /**
   * CONFIG SET port, tls-port (changeListenPort: that listener only) or bind
   * (changeBindAddr: both): listen as configured, a port of 0 closing that
   * listener; the old listeners close only once the new ones are up. Resolves
   * true on failure (nothing changed).
   */
  async relisten(which: 'port' | 'tls-port' | 'bind' = 'bind'): Promise<boolean> {
    if (!this.bound) return false;
    const port = this.config.num('port');
    const tlsPort = this.config.num('tls-port');
    let tcp: net.Server | null | undefined;
    let secure: tls.Server | null | undefined;
    try {
      if (which !== 'tls-port') tcp = port !== 0 || this.anyPort ? await this.bindTcp(port) : null;
      if (which !== 'port') secure = tlsPort !== 0 && this.tls !== null ? await this.bindTls(tlsPort) : null;
      if (tlsPort !== 0 && this.tls === null && which !== 'port') throw new Error('TLS is not configured');
    } catch (e) {
      this.log.warning(`Could not listen: ${(e as Error).message}`);
      tcp?.close();
      secure?.close();
      return true;
    }
    if (tcp !== undefined) {
      this.listener?.close();
      this.listener = tcp;
      this.port = boundPort(tcp, port);
    }
    if (secure !== undefined) {
      this.tlsListener?.close();
      this.tlsListener = secure;
      this.tlsPort = boundPort(secure, tlsPort);
    }
    return false;
  }

  private restartCron(): void {
    if (this.cron) clearInterval(this.cron);
    if (!this.bound) return;
    const hz = Math.max(1, Math.min(500, this.config.num('hz')));
    this.cron = setInterval(() => this.serverCron(), Math.floor(1000 / hz));
    this.cron.unref();
  }

  private serverCron(): void {
    if (this.scriptBusy) return;
    const p1 = performance.now();
    const now = Date.now();
    this.wallOffset = resyncWallOffset(this.wallOffset, p1, now, performance.now());
    this.setClock(now);
    if (this.pauseCron) return; // DEBUG PAUSE-CRON: the clock is kept, no cron work
    this.stats.sample(now);
    if (this.activeExpireEnabled && !this.persistence.loading && !(this.pauseUntil > 0 && clientsPaused(this))) {
      latencyAddSampleIfNeeded(this, 'expire-cycle', Math.floor(activeExpireCycle(this, 1000 / Math.max(1, this.config.num('hz')))));
    }
    const timeout = this.config.num('timeout');
    if (timeout > 0) {
      for (const c of this.clients.values()) {
        if (c.blocked || c.kind !== 'normal' || c.monitor) continue;
        if (now - c.lastInteraction > timeout * 1000) { this.log.verbose('Closing idle client'); c.close(); }
      }
    }
    if (this.config.bool('activerehashing') && !this.persistence.loading) this.rehashCron();
    const heap = process.memoryUsage();
    const used = heap.heapUsed + heap.external;
    if (used > this.peakMemory) this.peakMemory = used;
    for (const h of this.cronHooks) h(now);
    this.shutdown.cron(now);
  }

  /** activerehashing: move buckets of key tables being resized, up to 1 ms per db per cron tick (databasesCron) */
  private rehashCron(): void {
    for (const db of this.dbs) {
      if (!db.rehashing) continue;
      const end = performance.now() + 1;
      while (db.rehash(1000) && performance.now() < end);
    }
  }

  activeExpireEnabled = true;
  /** DEBUG PAUSE-CRON 1: the cron only updates the clock (server.pause_cron) */
  pauseCron = false;
  readonly cronHooks: ((now: number) => void)[] = [];

  /** path of the config file given at start (CONFIG REWRITE, INFO config_file) */
  configFile = '';
  /** the CLI sets this so SHUTDOWN can end the process */
  onExit: ((code: number) => void) | null = null;

  /** the shutdown sequence: SHUTDOWN, signals, waiting for replicas (server/shutdown.ts) */
  readonly shutdown: Shutdown = new Shutdown(this);

  /** SHUTDOWN SAVE / NOSAVE choice for the persistence hooks (undefined: per config) */
  shutdownSave: boolean | undefined = undefined;

  /** Stop accepting, close every client and the listener. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    this.closed = (async () => {
      if (this.cron) clearInterval(this.cron);
      this.cron = null;
      for (const h of this.shutdownHooks) h();
      for (const c of [...this.clients.values()]) { c.flush(); c.close(); }
      const l = this.listener;
      this.listener = null;
      const t = this.tlsListener;
      this.tlsListener = null;
      this.bound = false;
      if (t) {
        const closing = new Promise<void>((r) => t.close(() => r()));
        for (const raw of this.tlsHandshaking) raw.destroy();
        this.tlsHandshaking.clear();
        await closing;
      }
      const u = this.unixListener;
      this.unixListener = null;
      if (u) { await new Promise<void>((r) => u.close(() => r())); try { fs.unlinkSync(this.config.str('unixsocket')); } catch { /* gone */ } }
      if (l) await new Promise<void>((r) => l.close(() => r()));
    })();
    return this.closed;
  }
}

/**
 * The server's side of every Db (keyspace/db.ts DbHooks). A class, not an object literal: V8 makes a literal
 * with getters a dictionary-mode object, and every lookup's hooks.accessClock / hooks.noTouch was then a
 * dictionary probe (a LoadIC call) instead of a field or a known method.
 */
class ServerDbHooks implements DbHooks {
  noTouch = false;
  constructor(private readonly server: Server) {}
  now(): number { return this.server.now; }
  expired(db: Db, key: string): void { this.server.keyExpired(db, key); }
  get expiryIsRemote(): boolean {
    const server = this.server;
    return (server.iAmReplica && !server.forceLocalExpiry) || (server.pauseUntil > 0 && clientsPaused(server));
  }
  expireSet(db: Db, key: string): void { if (this.server.replicaExpireHook !== null) this.server.replicaExpireHook(db, key); }
  /** nothing expires while loading, nor for the master's own stream on a replica (keys live until its DEL) */
  get loading(): boolean {
    const server = this.server;
    return server.persistence.loading || (server.currentClient !== null && server.currentClient.isMaster);
  }
  accessClock(old: number): number { const server = this.server; return server.lfuMode ? server.lfuClock(old) : server.lruClock; }
  get slotIndexed(): boolean { return this.server.config.bool('cluster-enabled'); }
}

/** An error that ends a start with the line redis-server logs (the CLI prints `startupLog`, then exits 1). */
export function startupError(line: string, cause?: unknown): Error & { startupLog: string } {
  const e = new Error(cause instanceof Error ? `${line} (${cause.message})` : line) as Error & { startupLog: string };
  e.startupLog = line;
  return e;
}

/** Listen, rejecting with the listen error. */
function listenOn(l: net.Server, o: net.ListenOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    l.once('error', reject);
    l.listen(o, () => { l.off('error', reject); resolve(); });
  });
}

/** The port a listener is bound to, 0 without one. */
function boundPort(l: net.Server | null, configured: number): number {
  if (l === null) return 0;
  const a = l.address();
  return typeof a === 'object' && a ? a.port : configured;
}
