/*
 * The propagated command stream of both servers, as arrays of argv.
 *
 * Redis (ReplStream): a socket that says `SYNC` like a pre-PSYNC replica. The
 * master answers with newlines while its BGSAVE runs, then `$<len>` and the
 * RDB payload (disk-based: an old SYNC replica cannot take the EOF-marked
 * diskless form), then the live stream: RESP multibulks, SELECT <db> when the
 * db changes, and a PING every repl-ping-replica-period (dropped here).
 *
 * Nodis (NodisStream): a hook on server.recorder.propagateHooks, fed in
 * process; it keeps what is bound for replicas (target PROPAGATE_REPL) and
 * inserts SELECT when the db changes as replicationFeedSlaves does (the
 * first command always gets one, as after a full sync).
 *
 * Both have the same reading API: until(pred) resolves with the commands up
 * to the first one matching pred (that one excluded) and consumes them, so a
 * test marks the end of a step with a recognisable command (a PUBLISH on a
 * marker channel) and compares the two segments.
 */
import net from 'node:net';
import type { Server } from '../../src/server/server.js';
import { PROPAGATE_REPL } from '../../src/keyspace/writes.js';

export type Argv = string[];

/** A parsed command stream with a reader that waits for a matching command. */
abstract class CommandStream {
  protected cmds: Argv[] = [];
  private waiter: { pred: (a: Argv) => boolean; resolve: (r: Argv[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  protected failed: Error | null = null;

  protected pushCommand(argv: Argv): void {
    this.cmds.push(argv);
    this.check();
  }

  protected fail(e: Error): void {
    this.failed = e;
    const w = this.waiter;
    if (w !== null) { this.waiter = null; clearTimeout(w.timer); w.reject(e); }
  }

  private check(): void {
    const w = this.waiter;
    if (w === null) return;
    const i = this.cmds.findIndex(w.pred);
    if (i < 0) return;
    const seg = this.cmds.slice(0, i);
    this.cmds = this.cmds.slice(i + 1);
    this.waiter = null;
    clearTimeout(w.timer);
    w.resolve(seg);
  }

  /** The commands before the first one matching pred (consumed, with it). */
  until(pred: (a: Argv) => boolean, timeoutMs = 5000): Promise<Argv[]> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.waiter !== null) return Promise.reject(new Error('one reader at a time'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no matching command within ${timeoutMs} ms; got ${JSON.stringify(this.cmds)}`));
      }, timeoutMs);
      this.waiter = { pred, resolve, reject, timer };
      this.check();
    });
  }

  /** Everything received so far (consumed). */
  drain(): Argv[] { const c = this.cmds; this.cmds = []; return c; }

  abstract close(): void;
}

/** The replication stream of a real redis-server, read as a SYNC replica. */
export class ReplStream extends CommandStream {
  private buf = '';
  /** 'wait' for the $len line, 'rdb' skipping payload bytes, 'live' parsing commands */
  private phase: 'wait' | 'rdb' | 'live' = 'wait';
  private rdbLeft = 0;
  private synced: (() => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    super();
    socket.on('data', (d: Buffer) => { this.buf += d.toString('latin1'); this.parse(); });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('replication link closed')));
  }

  /** Connect, SYNC, and resolve once the RDB payload is skipped. */
  static async connect(port: number, timeoutMs = 10000): Promise<ReplStream> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
    });
    const r = new ReplStream(socket);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => { socket.destroy(); reject(new Error('SYNC: no RDB payload in time')); }, timeoutMs);
      r.synced = () => { clearTimeout(t); resolve(); };
      socket.write('SYNC\r\n');
    });
    return r;
  }

  private parse(): void {
    for (;;) {
      if (this.phase === 'wait') {
        const nl = this.buf.indexOf('\n');
        if (nl < 0) return;
        const line = this.buf.slice(0, nl).replace(/\r$/, '');
        this.buf = this.buf.slice(nl + 1);
        if (line.startsWith('-')) { this.fail(new Error(`SYNC refused: ${line}`)); return; }
        if (!line.startsWith('$')) continue; // keep-alive newlines while the BGSAVE runs
        this.rdbLeft = Number(line.slice(1));
        this.phase = 'rdb';
      } else if (this.phase === 'rdb') {
        const n = Math.min(this.rdbLeft, this.buf.length);
        this.buf = this.buf.slice(n);
        this.rdbLeft -= n;
        if (this.rdbLeft > 0) return;
        this.phase = 'live';
        this.synced?.();
        this.synced = null;
      } else {
        const r = parseCommand(this.buf);
        if (r === null) return;
        this.buf = this.buf.slice(r.end);
        if (r.argv.length === 1 && r.argv[0]!.toUpperCase() === 'PING') continue;
        this.pushCommand(r.argv);
      }
    }
  }

  close(): void { this.socket.destroy(); }
}

/** One RESP multibulk at the head of buf, or null if incomplete. */
function parseCommand(buf: string): { argv: Argv; end: number } | null {
  if (buf.length === 0) return null;
  if (buf[0] !== '*') throw new Error(`replication stream: expected a multibulk, got ${JSON.stringify(buf.slice(0, 40))}`);
  let nl = buf.indexOf('\r\n');
  if (nl < 0) return null;
  const n = Number(buf.slice(1, nl));
  let p = nl + 2;
  const argv: Argv = [];
  for (let i = 0; i < n; i++) {
    nl = buf.indexOf('\r\n', p);
    if (nl < 0) return null;
    const len = Number(buf.slice(p + 1, nl));
    p = nl + 2;
    if (buf.length < p + len + 2) return null;
    argv.push(buf.slice(p, p + len));
    p += len + 2;
  }
  return { argv, end: p };
}

/** What Nodis propagates to replicas, captured in process from the write recorder. */
export class NodisStream extends CommandStream {
  private selected = -1;
  private active = true;

  constructor(server: Server) {
    super();
    server.recorder.listen((dbid, argv, target) => {
      if (!this.active || (target & PROPAGATE_REPL) === 0) return;
      if (dbid !== this.selected) {
        this.selected = dbid;
        this.pushCommand(['SELECT', String(dbid)]);
      }
      this.pushCommand([...argv]);
    }, PROPAGATE_REPL); // a replica is attached
  }

  close(): void { this.active = false; }
}
