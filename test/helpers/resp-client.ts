/*
 * A raw RESP client for tests: sends commands as multibulk (or raw bytes) and
 * returns each reply as its exact bytes (a latin1 string), so encoding
 * differences fail tests. replyLength() frames one RESP2/RESP3 reply,
 * including nested aggregates, attributes and push frames.
 */
import net from 'node:net';
import tls from 'node:tls';

/** Length of the first complete reply in buf from pos, or -1 if incomplete. */
export function replyLength(buf: string, pos = 0): number {
  const end = frame(buf, pos);
  return end < 0 ? -1 : end - pos;
}

function frame(buf: string, pos: number): number {
  if (pos >= buf.length) return -1;
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return -1;
  const type = buf[pos];
  const head = buf.slice(pos + 1, nl);
  let p = nl + 2;
  switch (type) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
      return p;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return p;
      if (buf.length < p + n + 2) return -1;
      return p + n + 2;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return p;
      if (type === '%' || type === '|') n *= 2;
      for (let i = 0; i < n; i++) {
        p = frame(buf, p);
        if (p < 0) return -1;
      }
      if (type === '|') return frame(buf, p); // attribute precedes the real reply
      return p;
    }
    default:
      throw new Error(`bad reply type ${JSON.stringify(type)} in ${JSON.stringify(buf.slice(pos, pos + 40))}`);
  }
}

export function encodeCommand(args: readonly (string | number | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private buf = '';
  private waiters: { resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closed = false;
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => { this.buf += d.toString('latin1'); this.pump(); });
    const onEnd = (): void => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error('connection closed')); }
      for (const f of this.closeWaiters.splice(0)) f();
    };
    socket.on('close', onEnd);
    socket.on('error', () => {});
  }

  /**
   * A TLS connection (handshake done); options as tls.connect's (cert, key, ca ...).
   * The server's name is not checked (Redis's clients check the chain only).
   */
  static connectTls(port: number, opts: tls.ConnectionOptions = {}, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = tls.connect({ port, host, checkServerIdentity: () => undefined, ...opts }, () => { s.off('error', reject); resolve(new RawClient(s)); });
      s.once('error', reject);
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => { s.off('error', reject); resolve(new RawClient(s)); });
      s.once('error', reject);
    });
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      const n = replyLength(this.buf);
      if (n < 0) return;
      const reply = this.buf.slice(0, n);
      this.buf = this.buf.slice(n);
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(reply);
    }
  }

  /** Wait for the next reply (raw bytes). */
  read(timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.closed && replyLength(this.buf) < 0) { reject(new Error('connection closed')); return; }
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ resolve, reject, timer });
      this.pump();
    });
  }

  write(data: string | Buffer): void { this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data); }

  send(...args: (string | number | Buffer)[]): void { this.socket.write(encodeCommand(args)); }

  /** Send one command and return its raw reply. */
  async call(...args: (string | number | Buffer)[]): Promise<string> {
    this.send(...args);
    return this.read();
  }

  /** Resolves when the server closes the connection. */
  waitClose(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('connection not closed')), timeoutMs);
      this.closeWaiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Bytes received but not consumed as replies. */
  get unread(): string { return this.buf; }

  close(): void { this.socket.destroy(); }
}

/** Decode a raw reply into JS values (for assertions that are not byte comparisons). */
export function parseReply(raw: string): unknown {
  let pos = 0;
  const one = (): unknown => {
    const nl = raw.indexOf('\r\n', pos);
    const type = raw[pos];
    const head = raw.slice(pos + 1, nl);
    pos = nl + 2;
    switch (type) {
      case '+': return head;
      case '-': return new Error(head);
      case ':': return Number(head);
      case ',': return Number(head.replace('inf', 'Infinity'));
      case '#': return head === 't';
      case '_': return null;
      case '(': return BigInt(head);
      case '$': case '=': case '!': {
        const n = Number(head);
        if (n < 0) return null;
        const s = raw.slice(pos, pos + n);
        pos += n + 2;
        return type === '=' ? s.slice(4) : s;
      }
      case '*': case '~': case '>': {
        const n = Number(head);
        if (n < 0) return null;
        const a: unknown[] = [];
        for (let i = 0; i < n; i++) a.push(one());
        return a;
      }
      case '%': case '|': {
        const n = Number(head);
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) { const k = one(); m.set(k, one()); }
        return type === '|' ? one() : m;
      }
      default: throw new Error(`bad reply ${raw}`);
    }
  };
  return one();
}
