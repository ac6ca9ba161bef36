/*
 * One connected client: its socket, parser, protocol version, selected db and
 * per-connection state (name, flags, reply mode, timestamps).
 *
 * Input loop: socket bytes go to the parser; complete commands run one by one
 * through dispatch; the replies gathered in `out` go out in one write per read.
 * A client whose socket is not draining stops being read (TCP backpressure),
 * so a client that never reads cannot grow server memory; the
 * client-output-buffer-limit classes disconnect pushed-to clients (monitor,
 * pub/sub) and, when set, normal ones.
 */
import type { Socket } from 'node:net';
import { RespParser } from '../protocol/parser.js';
import { ReplyBuffer } from '../protocol/reply.js';
import type { Db } from '../keyspace/db.js';
import type { Command } from '../commands/registry.js';
import type { Server } from './server.js';

export type ClientKind = 'normal' | 'pubsub' | 'slave' | 'master';
export type ReplyMode = 'on' | 'off' | 'skip';

/** Stop reading from a client while this many reply bytes wait in its socket. */
const BACKPRESSURE_BYTES = 8 * 1024 * 1024;

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
  user = 'default';
  replyMode: ReplyMode = 'on';
  /** set when the connection must close once replies are written */
  closeAfterReply = false;
  closed = false;
  noEvict = false;
  noTouch = false;
  monitor = false;
  /** subscriptions (pub/sub), counted for CLIENT LIST */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  /** a handler's override of what gets propagated for this command (Redis's rewriteClientCommandVector) */
  propagateArgv: string[] | null = null;
  /** set by a handler to keep its command out of AOF/replicas */
  preventPropagation = false;
  /** socket reading paused for backpressure */
  private paused = false;
  /** time the output buffer first went over the soft limit */
  softLimitSince = 0;
  /** protocol-level blocked state (BLPOP etc. set this; dispatch stops reading) */
  blocked = false;
  /** inside MULTI (transactions plug in through Server.queueMulti) */
  inMulti = false;
  /** the replication link from our master */
  isMaster = false;
  /** set by CLIENT REPLY ON so its own +OK is not suppressed */
  replyForced = false;

  constructor(readonly server: Server, readonly socket: Socket, readonly id: number) {
    super();
    this.parser = new RespParser({ maxBulkLen: server.config.protoMaxBulkLen, authRequired: false });
    this.db = server.dbs[0]!;
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
    this.authenticated = server.config.str('requirepass') === '';
  }

  get kind(): ClientKind {
    return this.channels.size > 0 || this.patterns.size > 0 ? 'pubsub' : 'normal';
  }

  /** Address "ip:port" of the peer. */
  get addr(): string {
    const a = this.socket.remoteAddress ?? '';
    return `${a.startsWith('::ffff:') ? a.slice(7) : a}:${this.socket.remotePort ?? 0}`;
  }

  get laddr(): string {
    const a = this.socket.localAddress ?? '';
    return `${a.startsWith('::ffff:') ? a.slice(7) : a}:${this.socket.localPort ?? 0}`;
  }

  /** Every error reply is counted (INFO errorstats, total_error_replies). */
  override error(line: string): void {
    this.server.stats.countError(line);
    this.out += '-' + line + '\r\n';
  }

  /** Called with each chunk read from the socket. */
  onData(chunk: Buffer): void {
    const server = this.server;
    this.lastInteraction = Date.now();
    server.stats.netInputBytes += chunk.length;
    const parser = this.parser;
    parser.limits.maxBulkLen = server.config.protoMaxBulkLen;
    parser.limits.authRequired = !this.authenticated;
    parser.feed(chunk);
    this.processInput();
  }

  /** Run every complete command in the query buffer (stops while blocked). */
  processInput(): void {
    const server = this.server;
    const parser = this.parser;
    while (!this.blocked && !this.closeAfterReply && !this.closed) {
      const argv = parser.next();
      if (argv === null) break;
      server.dispatch(this, argv);
      parser.limits.authRequired = !this.authenticated;
    }
    if (parser.error !== null && !this.closeAfterReply) {
      this.error(parser.error);
      server.log.verbose(`Protocol error (${parser.errorReason}) from client: id=${this.id} addr=${this.addr}`);
      this.closeAfterReply = true;
    } else if (parser.pending > server.config.num('client-query-buffer-limit')) {
      server.log.warning(`Closing client that reached max query buffer length: id=${this.id} addr=${this.addr} qbuf=${parser.pending}`);
      this.close();
      return;
    }
    this.flush();
  }

  /** Write pending replies in one socket write. */
  flush(): void {
    if (this.closed) return;
    if (this.out.length > 0) {
      const out = this.out;
      this.out = '';
      this.server.stats.netOutputBytes += out.length;
      this.socket.write(out, 'latin1');
      if (!this.closeAfterReply && this.checkOutputLimits()) return;
    }
    if (this.closeAfterReply) {
      this.closed = true;
      this.socket.end();
      this.server.removeClient(this);
    }
  }

  /** Enforce client-output-buffer-limit and read backpressure. True if the client was closed. */
  private checkOutputLimits(): boolean {
    const pending = this.socket.writableLength;
    if (pending === 0) { this.softLimitSince = 0; return false; }
    const limits = this.server.outputLimits[this.kind === 'pubsub' || this.monitor ? (this.monitor ? 'normal' : 'pubsub') : 'normal'];
    const [hard, soft, secs] = limits;
    if (hard > 0 && pending >= hard) return this.outputLimitReached(pending);
    if (soft > 0 && pending >= soft) {
      const now = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince >= secs * 1000) return this.outputLimitReached(pending);
    } else {
      this.softLimitSince = 0;
    }
    if (!this.paused && pending > BACKPRESSURE_BYTES) {
      this.paused = true;
      this.socket.pause();
      this.socket.once('drain', () => { this.paused = false; if (!this.closed) this.socket.resume(); });
    }
    return false;
  }

  private outputLimitReached(pending: number): boolean {
    this.server.log.warning(`Client id=${this.id} addr=${this.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.server.stats.clientOutputLimitDisconnections++;
    void pending;
    this.close();
    return true;
  }

  /** Queue a pushed message (pub/sub, monitor, invalidation) and schedule a flush. */
  pushed(): void { this.server.scheduleFlush(this); }

  /** Close now, dropping unsent replies. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.server.removeClient(this);
  }
}
