/*
 * Backend servers and their connections (twemproxy src/nc_server.c: server
 * connections, failure accounting, auto-ejection and retry; src/nc_request.c /
 * nc_response.c: requests answered in the order they were sent).
 *
 * Invariants:
 * - A BackendConn answers its requests strictly in send order: a FIFO of
 *   pending requests, each expecting n replies. A request's callback runs
 *   exactly once, with its replies or with an error line.
 * - When a connection fails (refused, reset, closed, protocol error, request
 *   timeout) every request still pending on it gets the error, in order, and
 *   the connection is dropped: the next request opens a fresh one. Requests on
 *   other connections are untouched.
 * - Handshake commands (AUTH, SELECT, HELLO 3) are written first and their
 *   replies consumed internally.
 * - A request timeout (pool `timeout`) fails the connection: its byte stream
 *   can no longer be matched to requests (twemproxy closes it too). Blocking
 *   and pub/sub connections have no timeout.
 * - Pushes (RESP3 '>' frames, and RESP2 message / pmessage / smessage arrays
 *   on a pub/sub connection) go to onPush, never to a pending request.
 * - A Server counts consecutive failures; with auto_eject_hosts it is ejected
 *   after server_failure_limit of them, probed every server_retry_timeout ms
 *   (connect + PING) and re-added when the probe answers.
 */
import net from 'node:net';
import { bigArg, bigArgsInFlight } from '../protocol/big-args.js';
import { ReplyReader, elementsOf, stringOf } from './reply-reader.js';
import { serverAddr, type ServerConfig } from './config.js';

export type ReplyCallback = (replies: Buffer[] | null, error: string | null) => void;

interface Pending { n: number; got: Buffer[]; cb: ReplyCallback; internal: boolean; sentAt: number }

export interface ConnOptions {
  proto: 2 | 3;
  auth?: string | undefined;
  db: number;
  /** ms, 0 = none */
  timeout: number;
  /** a subscriber connection: message arrays are pushes */
  pubsub?: boolean;
}

const SYSCALL_TEXT: Record<string, string> = {
  ECONNREFUSED: 'Connection refused', ECONNRESET: 'Connection reset by peer', ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host', ENETUNREACH: 'Network is unreachable', EPIPE: 'Broken pipe',
  ENOENT: 'No such file or directory', ENOTFOUND: 'Name or service not known', EAI_AGAIN: 'Temporary failure in name resolution',
};

/** a command as RESP multibulk bytes (args are latin1 strings) */
export function encodeCommand(argv: readonly string[]): Buffer {
  if (bigArgsInFlight()) {
    const parts: Buffer[] = [];
    let head = `*${argv.length}\r\n`;
    for (const a of argv) {
      const b = bigArg(a);
      if (b === undefined) { head += `$${a.length}\r\n${a}\r\n`; continue; }
      parts.push(Buffer.from(head + `$${b.length}\r\n`, 'latin1'), b);
      head = '\r\n';
    }
    parts.push(Buffer.from(head, 'latin1'));
    return Buffer.concat(parts);
  }
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

export class BackendConn {
  private sock: net.Socket;
  private reader = new ReplyReader();
  private queue: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  closed = false;
  /** set once the first reply arrived (the server answered) */
  answered = false;
  onPush: ((frame: Buffer) => void) | null = null;
  onClose: ((error: string) => void) | null = null;

  constructor(readonly server: Server, readonly opts: ConnOptions) {
    const a = server.cfg;
    this.sock = a.path !== undefined ? net.connect(a.path) : net.connect(a.port, a.host);
    this.sock.setNoDelay(true);
    this.sock.on('data', (d) => this.onData(d));
    this.sock.on('error', (e: NodeJS.ErrnoException) => this.fail(`ERR ${SYSCALL_TEXT[e.code ?? ''] ?? e.message}`));
    this.sock.on('close', () => this.fail('ERR Connection closed by server'));
    if (opts.auth !== undefined) this.internal(['AUTH', opts.auth]);
    if (opts.db !== 0) this.internal(['SELECT', String(opts.db)]);
    if (opts.proto === 3) this.internal(['HELLO', '3']);
  }

  get pending(): number { return this.queue.length - this.head; }

  private internal(argv: string[]): void {
    this.queue.push({ n: 1, got: [], cb: (r, e) => {
      const err = e ?? (r && r[0]![0] === 45 ? r[0]!.latin1Slice(1, r[0]!.length - 2) : null);
      if (err !== null && !this.closed) this.server.log(`${argv[0]} on connect failed: ${err}`);
    }, internal: true, sentAt: Date.now() });
    this.sock.write(encodeCommand(argv));
  }

  /** send a request (one or more commands as bytes) that expects n replies */
  send(bytes: Buffer, n: number, cb: ReplyCallback): void {
    if (this.closed) { cb(null, 'ERR Connection closed by server'); return; }
    this.queue.push({ n, got: [], cb, internal: false, sentAt: Date.now() });
    // gather the requests of one loop turn (every client read in this poll phase) into one write
    if (!this.corked) {
      this.corked = true;
      this.sock.cork();
      setImmediate(this.uncork);
    }
    this.sock.write(bytes);
    this.arm();
  }

  private corked = false;
  private readonly uncork = (): void => { this.corked = false; this.sock.uncork(); };

  private arm(): void {
    const t = this.opts.timeout;
    if (t <= 0 || this.timer !== null || this.pending === 0 || this.opts.pubsub) return;
    const p = this.queue[this.head]!;
    const wait = Math.max(1, p.sentAt + t - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending > 0 && this.queue[this.head] === p) this.fail('ERR Connection timed out');
      else this.arm();
    }, wait);
  }

  private onData(d: Buffer): void {
    this.reader.push(d);
    for (;;) {
      const r = this.reader.next();
      if (r === null) break;
      this.answered = true;
      if (this.opts.pubsub ? isMessage(r) : r[0] === 62) { this.onPush?.(r); continue; }
      const p = this.queue[this.head];
      if (p === undefined) { this.fail('ERR unexpected reply from server'); return; }
      p.got.push(r);
      if (p.got.length < p.n) continue;
      this.queue[this.head++] = undefined as unknown as Pending;
      if (this.head > 1024 && this.head * 2 > this.queue.length) { this.queue = this.queue.slice(this.head); this.head = 0; }
      if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
      if (!p.internal) { this.server.ok(); this.server.stats.responses++; }
      try {
        p.cb(p.got, null);
      } catch (e) {
        // a merge that could not make sense of a reply must not take the proxy down
        this.server.log(`reply handling failed: ${(e as Error).stack ?? String(e)}`);
      }
      this.arm();
    }
    if (this.reader.error !== null) this.fail(`ERR ${this.reader.error}`);
  }

  /** fail every pending request, in order, and drop the connection */
  fail(error: string): void {
    if (this.closed) return;
    const pend = this.shut();
    this.server.connClosed(this, error, pend.some((p) => !p.internal) || !this.answered);
    for (const p of pend) {
      try { p.cb(null, error); } catch (e) { this.server.log(`error handling failed: ${(e as Error).stack ?? String(e)}`); }
    }
    this.onClose?.(error);
  }

  /** drop the connection now, without counting a server failure (a departing client's blocked request) */
  abort(): void {
    if (this.closed) return;
    const pend = this.shut();
    this.server.connClosed(this, '', false);
    for (const p of pend) p.cb(null, 'ERR client gone');
  }

  /** close the socket and its timer; the requests still waiting for a reply, taken off the queue */
  private shut(): Pending[] {
    this.closed = true;
    if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
    this.sock.destroy();
    const pend = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    return pend;
  }

  /** close once nothing is pending (a retired server, a departing client) */
  close(): void {
    if (this.closed) return;
    if (this.pending === 0 || this.opts.pubsub) { this.closed = true; this.sock.destroy(); this.server.connClosed(this, '', false); return; }
    const q = this.queue[this.queue.length - 1]!;
    const cb = q.cb;
    q.cb = (r, e) => { cb(r, e); this.close(); };
  }
}

/** a pub/sub message (not a subscribe / unsubscribe confirmation) */
function isMessage(r: Buffer): boolean {
  if (r[0] !== 42 && r[0] !== 62) return false;
  const els = elementsOf(r);
  const kind = els && els[0] ? stringOf(els[0]) : null;
  return kind === 'message' || kind === 'pmessage' || kind === 'smessage';
}

export interface PoolLike {
  readonly name: string;
  readonly cfg: { timeout: number; redisAuth?: string | undefined; redisDb: number; serverConnections: number; autoEjectHosts: boolean; serverRetryTimeout: number; serverFailureLimit: number };
  onEject(s: Server): void;
  onRestore(s: Server): void;
  log(msg: string): void;
}

export class Server {
  /** pooled connections per protocol, server_connections of each at most */
  private conns: Record<2 | 3, (BackendConn | undefined)[]> = { 2: [], 3: [] };
  private others = new Set<BackendConn>();
  failures = 0;
  ejected = false;
  retired = false;
  private probeTimer: NodeJS.Timeout | null = null;
  /** requests sent, errors returned (for INFO) */
  stats = { requests: 0, responses: 0, errors: 0, timeouts: 0, ejections: 0, ejectedAt: 0 };

  /** open connections to this server (pooled, dedicated) */
  get connections(): number {
    let n = this.others.size;
    for (const p of [2, 3] as const) for (const c of this.conns[p]) if (c !== undefined && !c.closed) n++;
    return n;
  }

  constructor(readonly cfg: ServerConfig, public index: number, readonly name: string, readonly pool: PoolLike) {}

  get addr(): string { return serverAddr(this.cfg); }

  log(msg: string): void { this.pool.log(`server ${this.addr}: ${msg}`); }

  private options(proto: 2 | 3, extra: Partial<ConnOptions> = {}): ConnOptions {
    const c = this.pool.cfg;
    return { proto, auth: c.redisAuth, db: c.redisDb, timeout: c.timeout, ...extra };
  }

  /** the pooled connection for this client (pinned by client id, so one client's requests keep their order) */
  conn(proto: 2 | 3, clientId: number): BackendConn {
    const list = this.conns[proto];
    const i = clientId % this.pool.cfg.serverConnections;
    let c = list[i];
    if (c === undefined || c.closed) {
      c = new BackendConn(this, this.options(proto));
      list[i] = c;
    }
    return c;
  }

  /** a connection of its own (blocking commands, transactions, pub/sub) */
  dedicated(proto: 2 | 3, pubsub = false): BackendConn {
    const c = new BackendConn(this, this.options(proto, pubsub ? { pubsub: true, timeout: 0 } : { timeout: 0 }));
    this.others.add(c);
    return c;
  }

  /** open the pooled connections now (preconnect) */
  preconnect(): void {
    for (let i = 0; i < this.pool.cfg.serverConnections; i++) this.conn(2, i);
  }

  ok(): void {
    this.failures = 0;
  }

  connClosed(c: BackendConn, error: string, failed: boolean): void {
    this.others.delete(c);
    for (const p of [2, 3] as const) {
      const list = this.conns[p];
      const i = list.indexOf(c);
      if (i >= 0) list[i] = undefined;
    }
    if (error === '' || this.retired || !failed) return;
    this.stats.errors++;
    if (error === 'ERR Connection timed out') this.stats.timeouts++;
    this.failures++;
    this.log(`connection failed (${error}), ${this.failures} consecutive failure(s)`);
    const c2 = this.pool.cfg;
    if (c2.autoEjectHosts && !this.ejected && this.failures >= c2.serverFailureLimit) this.eject();
  }

  private eject(): void {
    this.ejected = true;
    this.stats.ejections++;
    this.stats.ejectedAt = Date.now();
    this.log(`ejected after ${this.failures} failures; probing every ${this.pool.cfg.serverRetryTimeout} ms`);
    this.pool.onEject(this);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probeTimer !== null || this.retired) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      this.probe();
    }, this.pool.cfg.serverRetryTimeout);
    this.probeTimer.unref?.();
  }

  private probe(): void {
    const c = new BackendConn(this, this.options(2, { timeout: Math.min(this.pool.cfg.serverRetryTimeout, 5000) || 5000 }));
    c.send(encodeCommand(['PING']), 1, (r) => {
      c.close();
      if (r !== null && !this.retired) {
        this.ejected = false;
        this.failures = 0;
        this.log('answered a probe: back in the pool');
        this.pool.onRestore(this);
      } else {
        this.scheduleProbe();
      }
    });
  }

  /** stop using this server: close idle connections now, busy ones when drained */
  retire(): void {
    this.retired = true;
    if (this.probeTimer !== null) { clearTimeout(this.probeTimer); this.probeTimer = null; }
    for (const p of [2, 3] as const) for (const c of this.conns[p]) c?.close();
    for (const c of [...this.others]) c.close();
  }

  /** close every connection at once (shutdown) */
  destroy(): void {
    this.retired = true;
    if (this.probeTimer !== null) { clearTimeout(this.probeTimer); this.probeTimer = null; }
    for (const p of [2, 3] as const) for (const c of this.conns[p]) c?.fail('ERR proxy shutting down');
    for (const c of [...this.others]) c.fail('ERR proxy shutting down');
  }
}
