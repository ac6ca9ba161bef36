/*
 * A scriptable stand-in for MIGRATE's target (in the spirit of ioredis's
 * test/helpers/mock_server.ts): a TCP server that parses the RESP commands
 * each connection sends and answers through a handler, so tests can make a
 * target that never answers, answers late, closes the connection at a chosen
 * point, or sends odd lines. Every command is recorded per connection.
 *
 *   const m = await MockTarget.start(t);             // answers +OK to everything
 *   m.handler = (argv, conn) => conn.index === 0 ? 'close' : '+OK\r\n';
 *
 * A handler returns the raw bytes to send, null for no answer (the test may
 * answer later with conn.send), or 'close' to drop the connection. The server
 * and its connections close in t.after().
 */
import net from 'node:net';

export type MockReply = string | null | 'close';

export class MockConn {
  /** every command received, in order */
  readonly cmds: string[][] = [];
  private buf = Buffer.alloc(0);

  constructor(readonly socket: net.Socket, readonly index: number, private readonly target: MockTarget) {
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.parse(); });
  }

  send(raw: string): void { if (!this.socket.destroyed) this.socket.write(Buffer.from(raw, 'latin1')); }

  close(): void { this.socket.destroy(); }

  private parse(): void {
    for (;;) {
      const r = parseCommand(this.buf);
      if (r === null) return;
      this.buf = this.buf.subarray(r.end);
      this.cmds.push(r.argv);
      const reply = this.target.handler(r.argv, this);
      if (reply === 'close') { this.socket.destroy(); return; }
      if (reply !== null) this.send(reply);
    }
  }
}

/** One RESP multibulk at the head of buf (latin1 arguments), or null if incomplete. */
function parseCommand(buf: Buffer): { argv: string[]; end: number } | null {
  if (buf.length === 0) return null;
  let nl = buf.indexOf('\r\n');
  if (nl < 0) return null;
  const n = Number(buf.toString('latin1', 1, nl));
  let p = nl + 2;
  const argv: string[] = [];
  for (let i = 0; i < n; i++) {
    nl = buf.indexOf('\r\n', p);
    if (nl < 0) return null;
    const len = Number(buf.toString('latin1', p + 1, nl));
    p = nl + 2;
    if (buf.length < p + len + 2) return null;
    argv.push(buf.toString('latin1', p, p + len));
    p += len + 2;
  }
  return { argv, end: p };
}

type Ctx = { after(fn: () => unknown): void };

export class MockTarget {
  readonly conns: MockConn[] = [];
  /** what to answer to each command (default: +OK) */
  handler: (argv: string[], conn: MockConn) => MockReply = () => '+OK\r\n';
  /** called with each new connection (e.g. to stop reading from it: conn.socket.pause()) */
  onConnection: ((conn: MockConn) => void) | null = null;

  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async start(t: Ctx): Promise<MockTarget> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const m = new MockTarget(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (s) => {
      const conn = new MockConn(s, m.conns.length, m);
      m.conns.push(conn);
      m.onConnection?.(conn);
    });
    t.after(() => m.close());
    return m;
  }

  /** connections still open */
  get open(): MockConn[] { return this.conns.filter((c) => !c.socket.destroyed); }

  /** Drop every connection (the next MIGRATE finds its cached one dead). */
  closeAll(): void { for (const c of this.conns) c.close(); }

  /** The commands of every connection, names uppercased and payloads left out: [[SELECT 0, RESTORE k 0], ...]. */
  script(): string[][] {
    return this.conns.map((c) => c.cmds.map((a) => {
      const name = a[0]!.toUpperCase();
      return name.startsWith('RESTORE') ? [name, a[1], a[2], ...a.slice(4)].join(' ') : [name, ...a.slice(1)].join(' ');
    }));
  }

  close(): Promise<void> {
    this.closeAll();
    return new Promise((r) => this.server.close(() => r()));
  }
}
