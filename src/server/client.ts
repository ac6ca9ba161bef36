/*
 * One connected client: its socket, parser, protocol version, selected db and
 * per-connection state (name, flags, reply mode, timestamps).
 *
 * Input loop: socket bytes go to the parser; complete commands run one by one
 * through dispatch; the replies gathered in `out` go out in one socket write
 * at the end of the event-loop turn (Server.queueWrite). Invariants:
 * - A client that stops reading cannot grow server memory without bound: when
 *   `out` passes OUT_CHUNK mid-read it is written at once, and while the
 *   socket holds more than BACKPRESSURE_BYTES unsent, the client's input is
 *   neither parsed nor read (socket paused) until 'drain'. The rest of the
 *   read stays in the parser, so nothing deadlocks: reading resumes as soon as
 *   the peer reads.
 * - client-output-buffer-limit (normal / pubsub classes; Redis's getClientType)
 *   is checked against what Redis would hold in its output buffers: replies
 *   not yet handed to the socket plus the socket's unsent bytes, before each
 *   write. Over the hard limit, or over the soft limit for too long, the
 *   client is closed without the pending replies.
 * - client-query-buffer-limit: unparsed input above it closes the client
 *   without a reply (checked on every read, as readQueryFromClient does).
 * - CLIENT REPLY OFF/SKIP drop a command's replies after it ran; the flags
 *   move on after each command like resetClient() in networking.c.
 */
import type { Socket } from 'node:net';
import { MAX_ARG_LEN, OVERSIZED_COMMAND, RespParser } from '../protocol/parser.js';
import { errArgTooLong, errBigArgNotValue } from '../protocol/errors.js';
import { bigArg, bigArgsInFlight, releaseBigArg } from '../protocol/big-args.js';
import { Buffer, constants as bufferConstants } from 'node:buffer';
import { ReplyBuffer } from '../protocol/reply.js';
import type { Db } from '../keyspace/db.js';
import type { Command } from '../commands/registry.js';
import type { Server } from './server.js';
import type { User } from '../acl/user.js';
import { parseAhead } from './warm.js';
import { clientInfoLine } from '../commands/connection/client-info.js';
import type { FastIo } from './fastio.js';

export type ClientKind = 'normal' | 'pubsub' | 'slave' | 'master';
export type ReplyMode = 'on' | 'off' | 'skip';

/** Stop reading from a client while this many reply bytes wait in its socket. */
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;
/** With no hard output limit, the most reply bytes a client may have pending (a reply only the client's count bounds stops here). */
const MAX_PENDING_OUTPUT = 1024 * 1024 * 1024;
/** Write `out` mid-read once it holds this much (bounds memory for big pipelines). */
const OUT_CHUNK = 256 * 1024;

export class Client extends ReplyBuffer {
  readonly parser: RespParser;
  db: Db;
  name = '';
  libName = '';
  libVer = '';
  readonly createdAt: number;
  lastInteraction: number;
  /** last command run (CLIENT LIST cmd=) */
  lastCmd: Command | null = null;
  /** the command being executed */
  cmd: Command | null = null;
  argv: string[] = [];
  authenticated: boolean;
  /** the ACL user this connection runs as (acl/user.ts) */
  user: User;
  /** CLIENT REPLY OFF */
  replyOff = false;
  /** the current command's replies are dropped (CLIENT REPLY SKIP was the previous command) */
  replySkip = false;
  /** set by CLIENT REPLY SKIP: skip the next command's replies */
  replySkipNext = false;
  /** set when the connection must close once replies are written */
  closeAfterReply = false;
  closed = false;
  noEvict = false;
  noTouch = false;
  monitor = false;
  /** subscriptions (pub/sub), counted for CLIENT LIST */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** a handler's override of what gets propagated for this command (Redis's rewriteClientCommandVector) */
  propagateArgv: string[] | null = null;
  /** set by a handler to keep its command out of AOF/replicas */
  preventPropagation = false;
  /** set by a handler to replicate its command even though it changed nothing (PUBLISH; Redis's CLIENT_FORCE_REPL) */
  forceReplication = false;
  /** where this client's commands may propagate (PROPAGATE_* bits): a script's redis.set_repl() on its caller's stand-in */
  propagateTarget = 3;
  /** socket reading paused for backpressure */
  private readPaused = false;
  /** time the output buffer first went over the soft limit */
  softLimitSince = 0;
  /** protocol-level blocked state (BLPOP etc. set this; dispatch stops reading) */
  blocked = false;
  /** command held back by CLIENT PAUSE (re-run when the pause ends) */
  postponedArgv: string[] | null = null;
  /** inside MULTI (transactions plug in through Server.queueMulti) */
  inMulti = false;
  /** commands queued in MULTI (CLIENT LIST multi=) */
  multiCount = 0;
  /** a queued MULTI command is a write or may replicate (CLIENT PAUSE WRITE holds EXEC) */
  multiMayReplicate = false;
  /** the scripting engine's client (CLIENT_SCRIPT): commands a script calls run on it */
  isScript = false;
  /** microseconds of this client's last call() (c->duration): a blocked command's share when it is served */
  duration = 0;
  /** the replication link from our master */
  isMaster = false;
  /** cluster: ASKING was sent (the next command may run in a slot being imported) */
  asking = false;
  /** cluster: READONLY mode (reads served by a replica of the slot's master) */
  clusterReadonly = false;
  /** cluster: the hash slot of the running command's keys, -1 for none (a script's keys must stay in it) */
  slot = -1;
  /** a replica connection (REPLCONF/SYNC) */
  isReplica = false;
  /** the replication offset right after this client's last propagated write (WAIT waits for it) */
  woff = 0;
  /** client tracking redirection (CLIENT LIST redir=), -1 when off */
  trackingRedirect = -1;
  /** true while one of this client's commands runs */
  running = false;
  /** pushes (pub/sub, invalidation) made while this client's own command runs under CLIENT REPLY OFF/SKIP: kept, not dropped */
  keptPushes = '';
  /** in the server's queue of replies to write at the end of this turn */
  writeQueued = false;
  /** bytes of the query buffer that held the running command (CLIENT LIST qbuf=) */
  private readSize = 0;
  /** commands parsed ahead of running them (warm.ts), and the index of the next to run */
  private ahead: string[][] = [];
  private aheadAt = 0;
  /**
   * Our master's link only: the query buffer length right after the running command was parsed, and
   * after each command parsed ahead (the applied offset of a command: master-link.ts applied()).
   */
  cmdPending = 0;
  private aheadPending: number[] | null = null;
  /** the socket's handle taken for reads and writes (fastio.ts), or null: the socket's stream */
  io: FastIo | null = null;

  constructor(readonly server: Server, readonly socket: Socket, readonly id: number) {
    super();
    this.parser = new RespParser({ maxBulkLen: server.config.protoMaxBulkLen, authRequired: false });
    this.db = server.dbs[0]!;
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
    const d = server.acl.defaultUser;
    this.user = d;
    this.authenticated = d.nopass && d.enabled;
  }

  /** Redis's getClientType: output-buffer class and CLIENT LIST/KILL TYPE. */
  get kind(): ClientKind {
    if (this.isMaster) return 'master';
    if (this.isReplica && !this.monitor) return 'slave';
    return this.channels.size > 0 || this.patterns.size > 0 || this.shardChannels.size > 0 ? 'pubsub' : 'normal';
  }

  /** CLIENT REPLY state as one word (for inspection). */
  get replyMode(): ReplyMode { return this.replyOff ? 'off' : this.replySkip ? 'skip' : 'on'; }

  /** Authentication still needed before running commands (no-auth ones excepted). */
  get authRequired(): boolean {
    return !this.authenticated && this.server.acl.authNeeded;
  }

  /** Address "ip:port" of the peer ("[ip6]:port" for IPv6). */
  get addr(): string {
    const ip = this.socket.remoteAddress;
    return ip === undefined && this.isUnix ? `${this.server.config.str('unixsocket')}:0` : fmtAddr(ip, this.socket.remotePort);
  }

  get laddr(): string {
    const ip = this.socket.localAddress;
    return ip === undefined && this.isUnix ? `${this.server.config.str('unixsocket')}:0` : fmtAddr(ip, this.socket.localPort);
  }

  /** connected through the unix socket (no peer address) */
  get isUnix(): boolean { return (this.server.config.str('unixsocket') ?? '') !== '' && this.socket.remotePort === undefined; }

  /** The socket's file descriptor (CLIENT LIST fd=), -1 when unknown. */
  get fd(): number {
    const h = (this.socket as unknown as { _handle?: { fd?: number } })._handle;
    return typeof h?.fd === 'number' ? h.fd : -1;
  }

  /** Bytes of the query buffer (CLIENT LIST qbuf=): the read being processed, or what waits unparsed. */
  get queryBufferLength(): number { return Math.max(this.readSize, this.parser.pending); }

  /** Reply bytes not yet sent: gathered plus waiting in the socket. */
  get pendingOutput(): number { return this.outLen + this.heldOutput(); }

  /** Reply bytes handed to the socket that the kernel has not taken yet. */
  private socketHeld(): number { return this.io !== null ? this.io.held() : this.socket.writableLength; }

  /** Bytes handed to the socket that the kernel has not taken yet (0 once closed). */
  heldOutput(): number { return this.closed ? 0 : this.socketHeld(); }

  /** Call `f` once every byte written has left (at once when none is held). */
  whenDrained(f: () => void): void { if (this.io !== null) this.io.onDrain(f); else this.socket.once('drain', f); }

  /**
   * Raw bytes to the peer outside the reply buffer (a replica's stream: replication/index.ts), in order with
   * everything written before; on the handle when the client has it.
   */
  writeRaw(data: Buffer): void { if (this.io !== null) this.io.write(data); else this.socket.write(data); }

  /** Stop and restart reading the socket, on the handle when the client has it (fastio.ts), else on the stream. */
  stopReading(): void { if (this.io !== null) this.io.pause(); else this.socket.pause(); }
  startReading(): void { if (this.io !== null) this.io.resume(); else this.socket.resume(); }

  /** True while input is not being read for backpressure. */
  get readingPaused(): boolean { return this.readPaused; }

  /** Every error reply is counted (INFO errorstats, total_error_replies). */
  override error(line: string): void {
    this.server.stats.countError(line);
    // afterErrorReply: an error to our master or from a replica's command is logged (the other side never sees it)
    if (this.isMaster || this.isReplica) this.logReplicationError(line);
    super.error(line);
  }

  private rogueReplica(before: number): void {
    this.truncateOutput(before);
    this.server.log.warning(`Replica generated a reply to command '${this.cmd?.fullname ?? '<unknown>'}', disconnecting it: ${clientInfoLine(this, Date.now())}`);
    this.closeAsap = true;
    setImmediate(() => this.close());
  }

  private logReplicationError(line: string): void {
    const [from, to] = this.isMaster ? ['replica', 'master'] : ['master', 'replica'];
    // Redis logs the message as the command gave it: a plain one without the "ERR " addReplyError puts first
    const msg = line.startsWith('ERR ') ? line.slice(4) : line;
    this.server.log.warning(`== CRITICAL == This ${from} is sending an error to its ${to}: '${msg.slice(0, 4096)}' after processing the command '${this.cmd?.fullname ?? '<unknown>'}'`);
    this.server.stats.unexpectedErrorReplies++;
  }

  /** Replies wait for this turn's write (fastio.ts hands EOF over after them). */
  repliesQueued(): boolean { return this.writeQueued || this.outLen > 0; }

  /** The read buffer `ab` is about to be reused: the parser copies out what it keeps of it. */
  releaseInput(ab: ArrayBufferLike): void { this.parser.unshare(ab); }

  /** Called with each chunk read from the socket. */
  onData(chunk: Buffer): void {
    if (this.closed) return;
    const server = this.server;
    this.lastInteraction = server.now; // the server's clock: at most one cron period old, like Redis's cached unixtime
    server.stats.netInputBytes += chunk.length;
    const parser = this.parser;
    parser.limits.maxBulkLen = this.isMaster ? Number.MAX_SAFE_INTEGER : server.config.protoMaxBulkLen;
    parser.limits.authRequired = this.authRequired;
    parser.feed(chunk);
    if (!this.isMaster && parser.pending > server.config.queryBufferLimit) {
      server.log.warning(`Closing client that reached max query buffer length: id=${this.id} addr=${this.addr} qbuf=${parser.pending}`);
      server.stats.clientQueryBufferLimitDisconnections++;
      this.close();
      return;
    }
    this.readSize = parser.pending;
    this.processInput();
    this.readSize = 0;
  }

  /** Run every complete command in the query buffer (stops while blocked, closing or backed up), then flush. */
  processInput(): void {
    const parser = this.parser;
    const server = this.server;
    // the commands of this read are timed back to back (Server.chainDepth)
    server.chainDepth = 0;
    server.callClock = 0;
    let gone = false;
    while (!this.blocked && !this.closeAfterReply && !this.closed && !this.closeAsap) {
      const argv = this.nextCommand();
      if (argv === null) break;
      this.runCommand(argv);
      if (this.closed) { gone = true; break; }
      if (this.outLen >= OUT_CHUNK) {
        server.callClock = 0; // the write is no command's time
        if (!this.write()) { gone = true; break; }
        const held = this.socketHeld();
        if (held >= BACKPRESSURE_BYTES && held >= this.backpressureAt()) { this.pauseReading(); break; }
      }
    }
    server.chainDepth = -1;
    server.callClock = 0;
    if (gone) return;
    // processInlineBuffer: a newline from a replica (it pings so while it loads a big payload) refreshes its ACK time
    if (parser.emptyLines !== 0) { parser.emptyLines = 0; if (this.isReplica) server.replicaNewlineHook?.(this); }
    if (parser.error !== null && !this.closeAfterReply && !this.closed && !this.blocked) {
      this.error(parser.error);
      this.server.log.verbose(`Protocol error (${parser.errorReason}) from client: id=${this.id} addr=${this.addr}`);
      this.closeAfterReply = true;
    }
    if (this.outLen > 0 || this.closeAfterReply) {
      if (!this.closeAfterReply && server.mayWriteNow()) this.flush();
      else server.queueWrite(this);
    }
  }

  /** The next command to run: one parsed ahead, else the parser's next (with the plain ones after it parsed ahead and warmed). */
  private nextCommand(): string[] | null {
    const ahead = this.ahead;
    if (this.aheadAt < ahead.length) {
      const i = this.aheadAt++;
      const argv = ahead[i]!;
      if (this.isMaster) this.cmdPending = this.aheadPending![i]!;
      if (this.aheadAt === ahead.length) { ahead.length = 0; this.aheadAt = 0; if (this.aheadPending !== null) this.aheadPending.length = 0; }
      return argv;
    }
    const parser = this.parser;
    const argv = parser.next();
    if (this.isMaster) {
      this.cmdPending = parser.pending;
      if (argv === null || parser.pending === 0) return argv;
      parseAhead(this, argv, ahead, this.aheadPending ??= []);
      return argv;
    }
    if (argv === null || parser.limits.authRequired) return argv;
    // a lone command is worth warming only when it may name several keys (MSET, MGET, DEL k1 k2 ...: their misses overlap)
    if (parser.pending === 0 && argv.length < 5) return argv;
    parseAhead(this, argv, ahead, null);
    return argv;
  }

  /** Dispatch one command and apply CLIENT REPLY OFF/SKIP to its replies. */
  runCommand(argv: string[]): void {
    if (argv === OVERSIZED_COMMAND) { this.server.onRejected(this); this.error(errArgTooLong(bufferConstants.MAX_LENGTH)); return; }
    if (bigArgsInFlight() && !this.admitBigArgs(argv)) return;
    const before = this.outLen;
    const replica = this.isReplica && !this.monitor;
    this.running = true;
    this.server.dispatch(this, argv);
    this.running = false;
    // a replica link carries no replies: a replica whose command made one is dropped (_addReplyToBufferOrList)
    if (replica && this.outLen > before) { this.rogueReplica(before); return; }
    if (this.bigTokens !== null && !this.inMulti) this.releaseBigArgs();
    // a blocked (or postponed) command replies later: its reply flags wait for it
    if (this.blocked) return;
    if ((this.replyOff || this.replySkip) && this.outLen > before) this.truncateOutput(before);
    if (this.keptPushes !== '') { this.raw(this.keptPushes); this.keptPushes = ''; }
    this.replySkip = this.replySkipNext;
    this.replySkipNext = false;
    this.parser.limits.authRequired = this.authRequired;
  }

  /** Write pending replies (one socket write), closing the client if it is over its output limits. */
  flush(): void {
    if (this.closed) return;
    if (this.outLen > 0 && !this.write()) return;
    if (this.outLen > 0) return; // held by Server.replyGate (AOF not yet written): flushed again then
    if (this.closeAfterReply) {
      if (this.bigTokens !== null) this.releaseBigArgs();
      this.closed = true;
      const s = this.socket;
      s.end();
      s.resume(); // discard anything the peer still sends until it closes
      this.io?.resume();
      setTimeout(() => s.destroy(), 5000).unref();
      this.server.removeClient(this);
    } else if (!this.readPaused) {
      const held = this.socketHeld();
      if (held >= BACKPRESSURE_BYTES && held >= this.backpressureAt()) this.pauseReading();
    }
  }

  /**
   * The pending output may reach the class's hard limit less what the socket
   * still holds; with no hard limit, MAX_PENDING_OUTPUT. Checked only when the
   * reply buffer grows, so a single reply too big for the limits (SRANDMEMBER
   * s -2147483648) stops at the limit instead of filling memory.
   */
  protected override outputCap(): number {
    const kind = this.kind;
    if (kind === 'master') return MAX_PENDING_OUTPUT;
    const hard = this.server.outputLimits[kind === 'pubsub' ? 'pubsub' : kind === 'slave' ? 'slave' : 'normal'][0];
    const held = this.closed ? 0 : this.socketHeld();
    return Math.max(0, (hard > 0 ? Math.min(hard, MAX_PENDING_OUTPUT) : MAX_PENDING_OUTPUT) - held);
  }

  /** Over outputCap(): closed for output buffer limits once the running command returns (Redis's CLIENT_CLOSE_ASAP). */
  protected override outputOverflow(): void {
    if (this.closeAsap || this.closed) return;
    this.server.log.warning(`Client ${clientInfoLine(this, Date.now())} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.server.stats.clientOutputLimitDisconnections++;
    setImmediate(() => this.close());
  }

  /** Stop reading while the socket holds this much: the class's limit when it has one (so the limit, not the pause, decides), else BACKPRESSURE_BYTES. */
  private backpressureAt(): number {
    const kind = this.kind;
    if (kind === 'master' || kind === 'slave') return BACKPRESSURE_BYTES;
    const [hard, soft] = this.server.outputLimits[kind];
    return Math.max(BACKPRESSURE_BYTES, hard > 0 ? hard : soft);
  }

  /** Hand `out` to the socket; false if the output limits closed the client instead. */
  private write(): boolean {
    if (this.closeAsap) { this.outLen = 0; return false; }
    // our master gets no replies (REPLCONF GETACK answers on the socket itself)
    if (this.isMaster) { this.outLen = 0; return true; }
    const gate = this.server.replyGate;
    if (gate !== null && gate(this)) return true;
    const socket = this.socket;
    if (!this.closeAfterReply && this.overOutputLimits(this.outLen + this.socketHeld())) {
      this.outputLimitReached();
      return false;
    }
    const out = this.takeOutput();
    this.server.stats.netOutputBytes += out.length;
    this.lastInteraction = this.server.now;
    const io = this.io;
    if (io !== null) {
      this.outputWritten(io.write(out));
    } else {
      socket.write(out);
      // written through at once: the socket holds no reference, the buffer is ours again
      this.outputWritten(socket.writableLength === 0);
    }
    return true;
  }

  /** Stop reading (and parsing) until the socket drains, then carry on with what is buffered. */
  private pauseReading(): void {
    if (this.readPaused) return;
    this.readPaused = true;
    this.stopReading();
    // no new input means no new writes to check the soft limit on: check it when its time is up
    let timer: NodeJS.Timeout | null = null;
    if (this.softLimitSince > 0) {
      const secs = this.server.outputLimits[this.kind === 'pubsub' ? 'pubsub' : 'normal'][2];
      timer = setTimeout(() => {
        if (!this.closed && this.readPaused && this.overOutputLimits(this.pendingOutput)) this.outputLimitReached();
      }, Math.max(0, this.softLimitSince + secs * 1000 - Date.now()) + 10);
      timer.unref();
    }
    const drained = (): void => {
      if (timer) clearTimeout(timer);
      this.readPaused = false;
      if (this.closed) return;
      this.startReading();
      if (!this.blocked) this.processInput();
    };
    this.whenDrained(drained);
  }

  /** client-output-buffer-limit for this client's class, as checkClientOutputBufferLimits. */
  private overOutputLimits(pending: number): boolean {
    const kind = this.kind;
    const cls = kind === 'pubsub' ? 'pubsub' : kind === 'slave' ? 'slave' : 'normal';
    if (kind === 'master') return false;
    const [hard, soft, secs] = this.server.outputLimits[cls];
    if (hard > 0 && pending >= hard) return true;
    if (soft > 0 && pending >= soft) {
      const now = Date.now();
      if (this.softLimitSince === 0) { this.softLimitSince = now; return false; }
      return now - this.softLimitSince > secs * 1000;
    }
    this.softLimitSince = 0;
    return false;
  }

  private outputLimitReached(): void {
    this.server.log.warning(`Client ${clientInfoLine(this, Date.now())} closed for overcoming of output buffer limits.`);
    this.server.stats.clientOutputLimitDisconnections++;
    this.out = '';
    this.close();
  }

  /** Queue a pushed message (pub/sub, monitor, invalidation) and schedule a flush. */
  pushed(): void { this.server.scheduleFlush(this); }

  /** Tokens of big arguments this client sent (big-args.ts), held until its command (or EXEC/DISCARD) is done. */
  private bigTokens: string[] | null = null;

  /**
   * A command may carry big arguments only where it takes a string value
   * (CommandDef.bigValueArgs); elsewhere it is refused before it runs.
   */
  private admitBigArgs(argv: string[]): boolean {
    let found: number[] | null = null;
    for (let i = 0; i < argv.length; i++) if (bigArg(argv[i]!) !== undefined) (found ??= []).push(i);
    if (found === null) return true;
    const def = this.server.table.commands.get(argv[0]!.toLowerCase())?.def;
    const at = def?.bigValueArgs;
    const ok = at !== undefined && found.every((i) => i === at[0] || (at[1] > 0 && i > at[0] && (i - at[0]) % at[1] === 0));
    if (!ok) {
      for (const i of found) releaseBigArg(argv[i]!);
      this.server.onRejected(this);
      this.error(errBigArgNotValue(MAX_ARG_LEN));
      return false;
    }
    const held = (this.bigTokens ??= []);
    for (const i of found) held.push(argv[i]!);
    return true;
  }

  private releaseBigArgs(): void {
    for (const t of this.bigTokens!) releaseBigArg(t);
    this.bigTokens = null;
  }

  /** Close now, dropping unsent replies. */
  close(): void {
    if (this.closed) return;
    if (this.bigTokens !== null) this.releaseBigArgs();
    this.closed = true;
    this.socket.destroy();
    this.server.removeClient(this);
  }
}

function fmtAddr(ip: string | undefined, port: number | undefined): string {
  let a = ip ?? '?';
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  return a.includes(':') ? `[${a}]:${port ?? 0}` : `${a}:${port ?? 0}`;
}
