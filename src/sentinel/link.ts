/*
 * The sentinel's outbound connections (the role hiredis's async contexts play
 * in redis/src/sentinel.c): a RESP reply reader and a connection that sends
 * commands and hands each reply to the callback queued with it, in order.
 *
 * The project's RESP parser (protocol/parser.ts) reads requests; a sentinel
 * reads replies (status, error, integer, bulk, array, and the RESP3 types a
 * server might answer with), so the reader here is the reply-direction twin:
 * small, streaming, latin1 strings as everywhere in Nodis.
 *
 * Invariants: replies reach callbacks in the order commands were sent; a
 * callback marked `persistent` (the SUBSCRIBE of a pub/sub link) stays at the
 * head and receives every later reply, as hiredis routes pub/sub messages to
 * the subscribe callback. When the socket closes or errors, or the peer sends
 * bytes that are not RESP, the connection is closed once, pending callbacks
 * are dropped (never called) and onClose runs once.
 */
import net from 'node:net';
import tls from 'node:tls';

/** An error reply (the text after '-'). */
export class ReplyError {
  constructor(readonly message: string) {}
}

/** A reply: status and bulk strings as strings, integers as numbers, nil as null. */
export type Reply = string | number | null | ReplyError | Reply[];

class BadProtocol extends Error {}

/** Streaming RESP2/RESP3 reply reader: feed bytes, take complete replies. */
export class ReplyReader {
  private buf = '';
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = (this.pos > 0 ? this.buf.slice(this.pos) : this.buf) + chunk.toString('latin1');
    this.pos = 0;
  }

  /** The next complete reply, or undefined when more bytes are needed; throws BadProtocol on garbage. */
  next(): Reply | undefined {
    const start = this.pos;
    const r = this.parse();
    if (r === undefined) this.pos = start;
    return r;
  }

  private line(): string | undefined {
    const e = this.buf.indexOf('\r\n', this.pos);
    if (e < 0) {
      if (this.buf.length - this.pos > 64 * 1024) throw new BadProtocol('line too long');
      return undefined;
    }
    const l = this.buf.slice(this.pos, e);
    this.pos = e + 2;
    return l;
  }

  private parse(): Reply | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const t = this.buf[this.pos]!;
    this.pos++;
    const l = this.line();
    if (l === undefined) return undefined;
    switch (t) {
      case '+': return l;
      case '-': case '!': return new ReplyError(l);
      case ':': case ',': case '(': {
        const n = Number(l);
        if (t === ':' && !/^-?\d+$/.test(l)) throw new BadProtocol('bad integer');
        return t === '(' ? l : n;
      }
      case '#': return l === 't' ? 1 : 0;
      case '_': return null;
      case '$': case '=': {
        const n = Number(l);
        if (!Number.isInteger(n) || n < -1) throw new BadProtocol('bad bulk length');
        if (n === -1) return null;
        if (this.buf.length - this.pos < n + 2) return undefined;
        let s = this.buf.slice(this.pos, this.pos + n);
        this.pos += n + 2;
        if (t === '=') s = s.slice(4); // verbatim: "txt:" prefix
        return s;
      }
      case '*': case '~': case '>': case '%': case '|': {
        let n = Number(l);
        if (!Number.isInteger(n) || n < -1) throw new BadProtocol('bad aggregate length');
        if (n === -1) return null;
        if (t === '%' || t === '|') n *= 2;
        const out: Reply[] = [];
        for (let i = 0; i < n; i++) {
          const r = this.parse();
          if (r === undefined) return undefined;
          out.push(r);
        }
        if (t === '|') return this.parse(); // attribute: the reply follows it
        return out;
      }
      default: throw new BadProtocol(`unexpected byte '${t}'`);
    }
  }
}

type Callback = (r: Reply) => void;

/** RESP encoding of a command. */
export function encodeCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/**
 * One connection to an instance (a link's cc or pc). Commands written before
 * the TCP connect completes are buffered by the socket and go out once it does.
 */
export class RespConn {
  private readonly socket: net.Socket;
  private readonly reader = new ReplyReader();
  private readonly queue: { cb: Callback | null; persistent: boolean }[] = [];
  closed = false;
  /** the error text that closed it, if any (hiredis's errstr) */
  error = '';
  /** the local address of the socket once connected (anetFdToString FD_TO_SOCK_NAME) */
  get localAddress(): string | undefined { return this.socket.localAddress; }
  get connected(): boolean { return this.wasConnected && !this.closed; }
  /** the TCP connect completed at some point */
  wasConnected = false;

  /**
   * Connect to host:port (from bindSource when set), over TLS when `tlsOptions`
   * is given (tls-replication); onConnect runs once the connection (and its
   * TLS handshake) is established, onClose once when it ends.
   */
  constructor(host: string, port: number, private readonly onClose: (conn: RespConn) => void,
    opts: { bindSource?: string; tlsOptions?: tls.ConnectionOptions | null; onConnect?: (conn: RespConn) => void } = {}) {
    const base: net.TcpNetConnectOpts = { host, port, noDelay: true };
    if (opts.bindSource) base.localAddress = opts.bindSource;
    const secure = opts.tlsOptions !== undefined && opts.tlsOptions !== null;
    this.socket = secure ? tls.connect({ ...base, ...opts.tlsOptions, host, port }) : net.connect(base);
    this.socket.setKeepAlive(true, 15000);
    this.socket.once(secure ? 'secureConnect' : 'connect', () => { this.wasConnected = true; if (!this.closed) opts.onConnect?.(this); });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', (e) => { this.error = e.message; this.close(); });
    this.socket.on('close', () => this.close());
  }

  /** Queue a command; cb gets its reply (null cb: reply discarded). */
  send(argv: readonly string[], cb: Callback | null, persistent = false): boolean {
    if (this.closed) return false;
    this.queue.push({ cb, persistent });
    this.socket.write(encodeCommand(argv), 'latin1');
    return true;
  }

  private onData(d: Buffer): void {
    if (this.closed) return;
    this.reader.feed(d);
    for (;;) {
      let r: Reply | undefined;
      try { r = this.reader.next(); } catch (e) { this.error = `Protocol error: ${(e as Error).message}`; this.close(); return; }
      if (r === undefined) return;
      const head = this.queue[0];
      if (head === undefined) { this.error = 'reply without a command'; this.close(); return; }
      if (!head.persistent) this.queue.shift();
      head.cb?.(r);
      if (this.closed) return;
    }
  }

  /** Close (idempotent): pending callbacks are dropped, onClose runs once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
    this.onClose(this);
  }
}
