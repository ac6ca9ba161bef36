/*
 * MIGRATE's side of the wire, in a worker thread (redis/src/cluster.c
 * migrateGetSocket, migrateCloseSocket, migrateCloseTimedoutSockets and the
 * I/O half of migrateCommand; src/syncio.c syncWrite / syncReadLine).
 *
 * Redis does this I/O blocking, with the whole server stopped. Here it runs
 * in this thread so the main event loop keeps serving clients: the main
 * thread (migrate.ts) hands over a job (the keys, their absolute expire
 * times and DUMP payloads taken at command time) and gets back the outcome
 * and which keys the target acknowledged; deleting them is the main
 * thread's business. The same jobs also run synchronously for MIGRATE inside
 * MULTI/EXEC or a script: the main thread then sleeps in Atomics.wait until
 * this thread bumps ctl[0] after posting the result on the sync port.
 *
 * The socket cache (one connection per "host:port" as given, with the db it
 * last SELECTed) is a MigrateSockets: the worker has one, and the main thread
 * one of its own for the asynchronous jobs (see migrate.ts). Invariants:
 * - at most one job at a time uses a cached connection: jobs for the same
 *   host:port run one after the other, in arrival order (Redis runs one
 *   MIGRATE at a time; jobs for different targets may overlap here);
 * - a connection in use is never closed by the idle sweep (the server
 *   cron's `cron` message: more than MIGRATE_SOCKET_CACHE_TTL seconds unused)
 *   nor dropped to make room for a new one (MIGRATE_SOCKET_CACHE_ITEMS; when
 *   every cached connection is in use, the cache holds one more for a while);
 * - any I/O error or timeout on a connection closes it and forgets it, so the
 *   next job connects afresh and SELECTs again.
 *
 * Connecting is as Redis 7.0.15 really does it (connSocketBlockingConnect
 * ignores a failed or timed out connect): only a host that does not resolve
 * (or a connect refused before any packet) gives "error or timeout
 * connecting"; a refused or slow connection is cached like a good one and
 * its first write fails, so a dead target answers "error or timeout writing"
 * (after one retry), a silent address after twice the timeout.
 *
 * Timeouts are Redis's: connecting within `timeout` ms, each 64 KB chunk
 * written within `timeout`, each byte of a reply line read within `timeout`
 * of the previous one. Reply lines are read as syncReadLine does: at most
 * 1023 bytes, a trailing CR dropped, an empty line is a failure. Sockets are
 * half-open capable, so a peer that sent FIN still takes our writes and the
 * failure shows on the read, as with a C socket.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import net from 'node:net';

/** MIGRATE_SOCKET_CACHE_ITEMS: most connections kept */
export const MIGRATE_SOCKET_CACHE_ITEMS = 64;
/** MIGRATE_SOCKET_CACHE_TTL: seconds a connection may stay unused (closed when strictly more have passed) */
export const MIGRATE_SOCKET_CACHE_TTL = 10;

/** One MIGRATE's transfer. payload holds every key's DUMP payload back to back, key i at offsets[i]..offsets[i+1]. */
export interface MigrateJob {
  t: 'job';
  id: number;
  sync: boolean;
  host: string;
  port: string;
  /** ms, > 0 */
  timeout: number;
  /** destination-db as a decimal integer (compared as the socket's last SELECT) */
  dbid: string;
  username: string | null;
  password: string | null;
  replace: boolean;
  /** RESTORE, or RESTORE-ASKING in cluster mode */
  restore: string;
  keys: string[];
  /** absolute expire time (ms) of each key, -1 for none */
  expireAt: number[];
  payload: ArrayBuffer;
  offsets: number[];
}

/**
 * ok: +OK; target: the target's first error (text without '-'); connect,
 * read, write: the IOERR replies; internal: a bug here (text says what).
 */
export type MigrateOutcome = 'ok' | 'target' | 'connect' | 'read' | 'write' | 'internal';

export interface MigrateResult {
  t: 'done';
  id: number;
  outcome: MigrateOutcome;
  text: string;
  /** indexes (into the job's keys) of the keys whose RESTORE the target acknowledged */
  acked: number[];
  /** connections cached after the job (INFO migrate_cached_sockets) */
  cached: number;
}

export type ToWorker = MigrateJob | { t: 'cron' };
export type FromWorker = MigrateResult | { t: 'cached'; cached: number };

/** An I/O failure: timedOut says whether errno would be ETIMEDOUT (no retry then). */
interface Fail { fail: true; timedOut: boolean }
const FAIL_TIMEOUT: Fail = { fail: true, timedOut: true };
const FAIL_IO: Fail = { fail: true, timedOut: false };
const failOf = (e: NodeJS.ErrnoException | null | undefined): Fail => (e?.code === 'ETIMEDOUT' ? FAIL_TIMEOUT : FAIL_IO);
const isFail = (x: unknown): x is Fail => typeof x === 'object' && x !== null && (x as Fail).fail === true;

/** Node fires a timer at once past 2^31-1 ms: long timeouts are capped there (about 24 days). */
const delay = (ms: number): number => Math.min(Math.max(1, ms), 0x7fffffff);
const unixNow = (): number => Math.floor(Date.now() / 1000);

/** syncio.c's line size: a reply line is read into a 1024-byte buffer */
const LINE_MAX = 1023;
/** migrateCommand writes the request in 64 KB chunks, each within the timeout */
const WRITE_CHUNK = 64 * 1024;

/** A cached connection to a target (migrateCachedSocket) and its read buffer. */
class Conn {
  lastDbid = '-1';
  lastUse = unixNow();
  busy = false;
  private chunks: Buffer[] = [];
  private head = 0;
  private ended = false;
  private error: NodeJS.ErrnoException | null = null;
  private wake: (() => void) | null = null;

  constructor(readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => { this.chunks.push(d); this.notify(); });
    sock.on('end', () => { this.ended = true; this.notify(); });
    sock.on('close', () => { this.ended = true; this.notify(); });
    sock.on('error', (e: NodeJS.ErrnoException) => { this.error ??= e; this.notify(); });
  }

  /** the socket's first error, if any */
  get failure(): NodeJS.ErrnoException | null { return this.error; }

  private notify(): void { const w = this.wake; if (w !== null) w(); }

  /** Wait for more input: null when some came (or the stream ended: the caller looks), else the failure. */
  private waitData(timeout: number): Promise<Fail | null> {
    if (this.error !== null) return Promise.resolve(failOf(this.error));
    if (this.ended) return Promise.resolve(FAIL_IO);
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = null; resolve(FAIL_TIMEOUT); }, delay(timeout));
      this.wake = () => { clearTimeout(t); this.wake = null; resolve(null); };
    });
  }

  /** syncReadLine: the line without its CR LF, or a failure (an empty line counts as one, as Redis's `<= 0`). */
  async readLine(timeout: number): Promise<string | Fail> {
    let line = '';
    let room = LINE_MAX;
    while (room > 0) {
      const c = this.chunks[0];
      if (c === undefined) {
        const f = await this.waitData(timeout);
        if (f !== null) return f;
        if (this.chunks.length === 0) return failOf(this.error);
        continue;
      }
      const end = Math.min(c.length, this.head + room);
      let i = this.head;
      while (i < end && c[i] !== 10) i++;
      line += c.toString('latin1', this.head, i);
      const found = i < end;
      const used = i - this.head + (found ? 1 : 0);
      room -= used;
      this.head += used;
      if (this.head >= c.length) { this.chunks.shift(); this.head = 0; }
      if (found) {
        if (line.length === 0) return FAIL_IO;
        return line.endsWith('\r') ? line.slice(0, -1) : line;
      }
    }
    return line;
  }

  /** syncWrite of the whole request, 64 KB at a time, each chunk within the timeout. */
  async write(buf: Buffer, timeout: number): Promise<Fail | null> {
    for (let pos = 0; pos < buf.length; pos += WRITE_CHUNK) {
      const f = await this.writeChunk(buf.subarray(pos, pos + WRITE_CHUNK), timeout);
      if (f !== null) return f;
    }
    return null;
  }

  private writeChunk(chunk: Buffer, timeout: number): Promise<Fail | null> {
    if (this.error !== null) return Promise.resolve(failOf(this.error));
    if (this.sock.destroyed || !this.sock.writable) return Promise.resolve(FAIL_IO);
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: Fail | null): void => {
        if (done) return;
        done = true;
        clearTimeout(t);
        this.sock.off('error', onError);
        resolve(r);
      };
      const onError = (e: NodeJS.ErrnoException): void => finish(failOf(e));
      const t = setTimeout(() => finish(FAIL_TIMEOUT), delay(timeout));
      this.sock.on('error', onError);
      this.sock.write(chunk, (e) => finish(e ? failOf(e as NodeJS.ErrnoException) : null));
    });
  }

  close(): void { this.sock.destroy(); }
}

/** atoi(): leading blanks, a sign, digits; anything else ends the number (0 when none); an int as C keeps it. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(BigInt.asIntN(32, BigInt(m[1]!)));
}

/**
 * Errors that anetTcpNonBlockConnect meets before it returns (the name does
 * not resolve, no route, a bad address): Redis's only "connecting" failure.
 */
function failsAtOnce(e: NodeJS.ErrnoException | null): boolean {
  if (e === null) return false;
  if (e.syscall === 'getaddrinfo' || e.code === 'ENOTFOUND' || (e.code?.startsWith('EAI_') ?? false)) return true;
  return ['ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL', 'EACCES', 'EPERM'].includes(e.code ?? '');
}

/**
 * connBlockingConnect, as Redis 7.0 really behaves: null only when the
 * connection fails at once (see failsAtOnce; an empty host or a negative port
 * does not resolve). Otherwise the connection counts as made after at most
 * `timeout` ms, even if it was refused or is still in progress (Redis's
 * connSocketBlockingConnect returns C_OK then): the first write fails (and
 * is retried once unless it timed out) and the reply says "writing". The
 * port goes through getaddrinfo as text: glibc keeps its low 16 bits.
 */
async function connect(job: MigrateJob): Promise<Conn | null> {
  if (job.host === '') return null;
  const port = atoi(job.port);
  if (port < 0) return null;
  let sock: net.Socket;
  try {
    sock = net.connect({ host: job.host, port: port & 0xffff, allowHalfOpen: true });
  } catch {
    return null;
  }
  sock.setNoDelay(true);
  const cs = new Conn(sock);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      sock.off('error', done);
      sock.off('connect', done);
      resolve();
    };
    const t = setTimeout(done, delay(job.timeout));
    sock.once('error', done);
    sock.once('connect', done);
  });
  if (failsAtOnce(cs.failure)) { cs.close(); return null; }
  return cs;
}

// ---- the request ------------------------------------------------------------------

/** a command's RESP text as latin1 (AUTH, SELECT: no binary payload) */
const command = (parts: string[]): string => {
  let out = `*${parts.length}\r\n`;
  for (const p of parts) out += `$${p.length}\r\n${p}\r\n`;
  return out;
};

/**
 * The request (AUTH, SELECT when the connection's last db differs, a RESTORE
 * per key with its remaining TTL now) and the keys it carries: a key that
 * expired since the command looked it up is left out, as Redis's second
 * lookup does. Built in one buffer of its exact size: each RESTORE's text
 * up to its payload, the payload, then the rest (keys are latin1 strings).
 */
function buildRequest(job: MigrateJob, select: boolean): { buf: Buffer; sent: number[] } {
  let head = '';
  if (job.password !== null) head += command(job.username !== null ? ['AUTH', job.username, job.password] : ['AUTH', job.password]);
  if (select) head += command(['SELECT', job.dbid]);
  const sent: number[] = [];
  const pre: string[] = [];
  const restore = `*${job.replace ? 5 : 4}\r\n$${job.restore.length}\r\n${job.restore}\r\n`;
  const tail = job.replace ? '\r\n$7\r\nREPLACE\r\n' : '\r\n';
  const offsets = job.offsets;
  let total = head.length;
  for (let i = 0; i < job.keys.length; i++) {
    let ttl = 0;
    const at = job.expireAt[i]!;
    if (at !== -1) {
      ttl = at - Date.now();
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    sent.push(i);
    const key = job.keys[i]!;
    const t = String(ttl);
    const p = `${restore}$${key.length}\r\n${key}\r\n$${t.length}\r\n${t}\r\n$${offsets[i + 1]! - offsets[i]!}\r\n`;
    pre.push(p);
    total += p.length + (offsets[i + 1]! - offsets[i]!) + tail.length;
  }
  const buf = Buffer.allocUnsafe(total);
  const payload = new Uint8Array(job.payload);
  let pos = buf.latin1Write(head, 0);
  for (let k = 0; k < sent.length; k++) {
    const i = sent[k]!;
    pos += buf.latin1Write(pre[k]!, pos);
    buf.set(payload.subarray(offsets[i]!, offsets[i + 1]!), pos);
    pos += offsets[i + 1]! - offsets[i]!;
    pos += buf.latin1Write(tail, pos);
  }
  return { buf, sent };
}

/**
 * The connection cache and the transfers through it: one instance in the
 * worker (jobs the main thread posts, and the synchronous ones), one on the
 * main thread (migrate.ts runs the asynchronous jobs there directly: two
 * thread hops less per MIGRATE, which is what a resharding redis-cli waits
 * on). Jobs for one "host:port" run one after the other, in arrival order.
 */
export class MigrateSockets {
  readonly cache = new Map<string, Conn>();
  private readonly queues = new Map<string, Promise<unknown>>();

  /** Run a job after the ones for the same target; never rejects (a bug gives the 'internal' outcome). */
  run(job: MigrateJob): Promise<Omit<MigrateResult, 't' | 'id' | 'cached'>> {
    const name = `${job.host}:${job.port}`;
    const prev = this.queues.get(name) ?? Promise.resolve();
    const next = prev.then(() => this.migrate(job)).catch((e: unknown) => ({ outcome: 'internal' as const, text: (e as Error)?.message ?? String(e), acked: [] }));
    this.queues.set(name, next);
    void next.finally(() => { if (this.queues.get(name) === next) this.queues.delete(name); });
    return next;
  }

  /** every connection closed (the server ends) */
  closeAll(): void {
    for (const cs of this.cache.values()) cs.close();
    this.cache.clear();
  }

  /** migrateGetSocket: the cached connection for name, or a new one (null: could not connect). */
  async getSocket(name: string, job: MigrateJob): Promise<Conn | null> {
    const cached = this.cache.get(name);
    if (cached !== undefined) { cached.lastUse = unixNow(); return cached; }
    if (this.cache.size >= MIGRATE_SOCKET_CACHE_ITEMS) {
      // too many: drop one at random (one not in use by another job)
      const idle = [...this.cache].filter(([, cs]) => !cs.busy);
      if (idle.length > 0) {
        const [victim, cs] = idle[Math.floor(Math.random() * idle.length)]!;
        cs.close();
        this.cache.delete(victim);
      }
    }
    const cs = await connect(job);
    if (cs === null) return null;
    this.cache.set(name, cs);
    return cs;
  }

  /** migrateCloseSocket */
  closeSocket(name: string): void {
    const cs = this.cache.get(name);
    if (cs === undefined) return;
    cs.close();
    this.cache.delete(name);
  }

  /** migrateCloseTimedoutSockets (idle ones only) */
  closeTimedOut(): void {
    const now = unixNow();
    for (const [name, cs] of [...this.cache]) {
      if (!cs.busy && now - cs.lastUse > MIGRATE_SOCKET_CACHE_TTL) { cs.close(); this.cache.delete(name); }
    }
  }

  /** migrateCommand from try_again on: connect, send, read the replies, retry once on a socket error. */
  async migrate(job: MigrateJob): Promise<Omit<MigrateResult, 't' | 'id' | 'cached'>> {
    const name = `${job.host}:${job.port}`;
    const timeout = job.timeout;
    let mayRetry = true;
    for (;;) {
      const cs = await this.getSocket(name, job);
      if (cs === null) return { outcome: 'connect', text: '', acked: [] };
      cs.busy = true;
      let writeError = false;
      let fail: Fail;
      let acked: number[] = [];
      try {
        attempt: {
          const select = cs.lastDbid !== job.dbid;
          const { buf, sent } = buildRequest(job, select);
          const w = await cs.write(buf, timeout);
          if (w !== null) { writeError = true; fail = w; break attempt; }
          let authLine = '';
          let selectLine = '';
          if (job.password !== null) {
            const r = await cs.readLine(timeout);
            if (isFail(r)) { fail = r; break attempt; }
            authLine = r;
          }
          if (select) {
            const r = await cs.readLine(timeout);
            if (isFail(r)) { fail = r; break attempt; }
            selectLine = r;
          }
          let targetError: string | null = null;
          let socketError: Fail | null = null;
          let j = 0;
          for (; j < sent.length; j++) {
            const r = await cs.readLine(timeout);
            if (isFail(r)) { socketError = r; break; }
            const authErr = job.password !== null && authLine.startsWith('-');
            const selectErr = select && selectLine.startsWith('-');
            if (authErr || selectErr || r.startsWith('-')) {
              if (targetError === null) {
                // on error the connection's db is no longer known
                cs.lastDbid = '-1';
                targetError = (authErr ? authLine : selectErr ? selectLine : r).slice(1);
              }
            } else {
              acked.push(sent[j]!);
            }
          }
          // nothing was read yet: a retry on a new connection is safe (not after a timeout)
          if (targetError === null && socketError !== null && j === 0 && mayRetry && !socketError.timedOut) { fail = socketError; acked = []; break attempt; }
          if (socketError !== null) this.closeSocket(name);
          if (targetError === null && socketError !== null) return { outcome: 'read', text: '', acked };
          if (targetError === null) { cs.lastDbid = job.dbid; return { outcome: 'ok', text: '', acked }; }
          return { outcome: 'target', text: targetError, acked };
        }
      } finally {
        cs.busy = false;
      }
      // socket_err: close (forces a SELECT next time), retry once unless it timed out
      this.closeSocket(name);
      if (!fail.timedOut && mayRetry) { mayRetry = false; continue; }
      return { outcome: writeError ? 'write' : 'read', text: '', acked: [] };
    }
  }
}

// ---- the thread ---------------------------------------------------------------------

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'migrate' in workerData) {
  const main = parentPort;
  const { sab, syncPort } = workerData as { migrate: true; sab: SharedArrayBuffer; syncPort: MessagePort };
  const ctl = new Int32Array(sab);
  const sockets = new MigrateSockets();

  const deliver = (job: MigrateJob, r: Omit<MigrateResult, 't' | 'id' | 'cached'>): void => {
    const msg: MigrateResult = { t: 'done', id: job.id, ...r, cached: sockets.cache.size };
    if (!job.sync) { main.postMessage(msg); return; }
    syncPort.postMessage(msg);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  };

  main.on('message', (m: ToWorker) => {
    if (m.t === 'job') void sockets.run(m).then((r) => deliver(m, r));
    else if (m.t === 'cron') {
      const before = sockets.cache.size;
      sockets.closeTimedOut();
      if (sockets.cache.size !== before) main.postMessage({ t: 'cached', cached: sockets.cache.size } satisfies FromWorker);
    }
  });
}
