/*
 * The fuzz driver shared by test/system/fuzz.test.ts (20,000 inputs) and
 * scripts/fuzz.mjs (the long run). It drives a server that is already
 * listening (its pid, if given, is watched for VmRSS and death).
 *
 * Several workers each run sessions: connect, maybe HELLO 3, then batches of
 * generated inputs written back to back; after each batch a barrier
 * (DISCARD, then PING <marker>) waits for the server to catch up, so the
 * fuzzer never runs far ahead of it. An input that leaves the parser
 * mid-frame ends the session (FIN, close or reset); the server closing on us
 * (protocol error, QUIT, CLIENT KILL, output limit) ends it too, and the
 * worker reconnects. A barrier that does not come back within
 * barrierTimeoutMs (a client blocked forever, CLIENT REPLY OFF) ends the
 * session too: it is not a failure by itself.
 *
 * Failures, which stop the run: the process gone or refusing connections
 * (crash); a fresh connection's PING unanswered for pingTimeoutMs (hang,
 * checked every healthEveryMs); VmRSS past rssLimitBytes; a reply stream
 * that is not RESP. Replies are scanned incrementally (no buffering of
 * large replies) only to count errors and to find barrier markers.
 */
import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { FuzzGen, describeInput, encodeArgs, type FuzzInput, type GenOptions } from './fuzz-gen.js';

export interface RunOptions {
  port: number;
  host?: string;
  seed: number;
  inputs: number;
  connections?: number;
  gen?: GenOptions;
  /** server pid: VmRSS is read from /proc/<pid>/status; a vanished pid is a crash */
  pid?: number;
  /** false once the server process has exited */
  alive?: () => boolean;
  rssLimitBytes?: number;
  pingTimeoutMs?: number;
  healthEveryMs?: number;
  barrierTimeoutMs?: number;
  /** stop generating after this much wall time (the long run's budget) */
  maxMs?: number;
  /** slow-log threshold the driver sets, ms (default 100) */
  slowMs?: number;
  progress?: (s: RunStats) => void;
  progressEveryMs?: number;
}

export interface RunStats {
  seed: number;
  inputs: number;
  commandInputs: number;
  rawInputs: number;
  connections: number;
  replies: number;
  errors: number;
  protocolErrors: number;
  /** distinct 'ERR internal error' replies (a handler threw) */
  internalErrors: string[];
  protocolErrorCloses: number;
  otherServerCloses: number;
  barrierTimeouts: number;
  healthChecks: number;
  crashes: number;
  hangs: number;
  startRss: number;
  peakRss: number;
  elapsedMs: number;
  kinds: Record<string, number>;
  /** the slow log's slowest entries (over slowMs) at the end or at a failure */
  slowCommands: string[];
  errorKinds: Record<string, number>;
  failure: string | null;
}

/* ------------------------------------------------------------------ reply scanner */

/**
 * Incremental RESP2/RESP3 reply scanner: counts replies and errors, keeps
 * the text of the last error and reports short bulk strings (for markers).
 * Throws on bytes that cannot start a reply.
 */
export class ReplyScanner {
  replies = 0;
  errors = 0;
  protocolErrors = 0;
  /** errors from a handler that threw (the dispatcher's 'ERR internal error in ...'): bugs */
  readonly internalErrors: string[] = [];
  lastError = '';
  /** error replies by their text up to the first quote or digit (at most 48 characters) */
  readonly errorKinds = new Map<string, number>();
  private line: Buffer[] = [];
  private lineLen = 0;
  private bulkLeft = -1; // bytes of bulk body + CRLF still to skip
  private bulkCapture: Buffer[] | null = null;
  private stack: number[] = [];
  constructor(private readonly onShortBulk: (s: string) => void) {}

  feed(b: Buffer): void {
    let p = 0;
    while (p < b.length) {
      if (this.bulkLeft >= 0) {
        const take = Math.min(this.bulkLeft, b.length - p);
        if (this.bulkCapture) this.bulkCapture.push(b.subarray(p, p + take));
        this.bulkLeft -= take;
        p += take;
        if (this.bulkLeft === 0) {
          this.bulkLeft = -1;
          if (this.bulkCapture) {
            const s = Buffer.concat(this.bulkCapture).toString('latin1');
            this.bulkCapture = null;
            this.onShortBulk(s.slice(0, -2));
          }
          this.done();
        }
        continue;
      }
      const nl = b.indexOf(10, p);
      if (nl < 0) {
        this.line.push(b.subarray(p));
        this.lineLen += b.length - p;
        if (this.lineLen > 1 << 20) throw new Error('reply line over 1 MB without LF');
        return;
      }
      this.line.push(b.subarray(p, nl + 1));
      p = nl + 1;
      const line = Buffer.concat(this.line).toString('latin1');
      this.line = [];
      this.lineLen = 0;
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (!line.endsWith('\r\n')) throw new Error(`reply line without CR: ${JSON.stringify(line.slice(0, 80))}`);
    const t = line[0];
    const head = line.slice(1, -2);
    switch (t) {
      case '-': {
        this.errors++;
        this.lastError = head;
        if (head.startsWith('ERR Protocol error')) this.protocolErrors++;
        if (head.startsWith('ERR internal error')) this.internalErrors.push(head.slice(0, 300));
        const k = head.replace(/['"\d(].*$/s, '').slice(0, 48).trim();
        this.errorKinds.set(k, (this.errorKinds.get(k) ?? 0) + 1);
        this.done();
        return;
      }
      case '+': case ':': case ',': case '#': case '_': case '(': this.done(); return;
      case '$': case '=': case '!': {
        const n = Number(head);
        if (!Number.isInteger(n) || n < -1) throw new Error(`bad bulk length ${JSON.stringify(line)}`);
        if (t === '!') { this.errors++; this.lastError = 'blob error'; }
        if (n < 0) { this.done(); return; }
        this.bulkLeft = n + 2;
        this.bulkCapture = n <= 64 ? [] : null;
        return;
      }
      case '*': case '~': case '>': case '%': case '|': {
        let n = Number(head);
        if (!Number.isInteger(n) || n < -1) throw new Error(`bad aggregate length ${JSON.stringify(line)}`);
        if (n <= 0) { this.done(); return; }
        if (t === '%' || t === '|') n *= 2;
        // an attribute comes before the reply it annotates: it takes no slot of its own
        if (t === '|' && this.stack.length) this.stack[this.stack.length - 1]!++;
        this.stack.push(n);
        return;
      }
      default: throw new Error(`bad reply type byte in ${JSON.stringify(line.slice(0, 80))}`);
    }
  }

  private done(): void {
    for (;;) {
      if (this.stack.length === 0) { this.replies++; return; }
      const top = --this.stack[this.stack.length - 1]!;
      if (top > 0) return;
      this.stack.pop();
    }
  }
}

/* ------------------------------------------------------------------ helpers */

export function readRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch { return 0; }
}

function connect(port: number, host: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host });
    const t = setTimeout(() => { s.destroy(); reject(new Error('connect timeout')); }, timeoutMs);
    s.once('connect', () => { clearTimeout(t); s.removeAllListeners('error'); s.on('error', () => {}); resolve(s); });
    s.once('error', (e) => { clearTimeout(t); s.destroy(); reject(e); });
  });
}

/** One PING on a fresh connection: 'ok', 'timeout', or 'refused'. */
export function pingOnce(port: number, host: string, timeoutMs: number): Promise<'ok' | 'timeout' | 'refused'> {
  return new Promise((resolve) => {
    let settled = false;
    const s = net.connect({ port, host });
    const finish = (r: 'ok' | 'timeout' | 'refused'): void => { if (settled) return; settled = true; clearTimeout(t); s.destroy(); resolve(r); };
    const t = setTimeout(() => finish('timeout'), timeoutMs);
    let got = '';
    s.on('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.on('data', (d) => { got += d.toString('latin1'); if (got.includes('\r\n')) finish('ok'); });
    s.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNREFUSED' ? 'refused' : 'timeout'));
    s.on('close', () => { if (!settled) finish(got.length ? 'ok' : 'refused'); });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Send one command on a fresh connection and return the raw reply (or '' on timeout / close). */
export function callOnce(port: number, host: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let settled = false;
    const s = net.connect({ port, host });
    const scanner = new ReplyScanner(() => {});
    const finish = (): void => { if (settled) return; settled = true; clearTimeout(t); s.destroy(); resolve(got.toString('latin1')); };
    const t = setTimeout(finish, timeoutMs);
    s.on('connect', () => s.write(encodeArgs(args), 'latin1'));
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      try { scanner.feed(d); } catch { finish(); }
      if (scanner.replies > 0) finish();
    });
    s.on('error', finish);
    s.on('close', finish);
  });
}

/** The slow log's entries as 'N us: ARGS' lines (slowest first). */
export async function slowest(port: number, host: string, n: number): Promise<string[]> {
  const raw = await callOnce(port, host, ['SLOWLOG', 'GET', '1000'], 5000);
  // entries: *6 :id :time :duration *args $client $name ; pull duration and args loosely
  const out: [number, string][] = [];
  const re = /\*6\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n\*(\d+)\r\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    let p = re.lastIndex;
    const args: string[] = [];
    for (let i = 0; i < Number(m[4]); i++) {
      const nl = raw.indexOf('\r\n', p);
      const len = Number(raw.slice(p + 1, nl));
      args.push(raw.slice(nl + 2, nl + 2 + len));
      p = nl + 4 + len;
    }
    out.push([Number(m[3]), JSON.stringify(args.join(' ').slice(0, 160))]);
  }
  return out.sort((a, b) => b[0] - a[0]).slice(0, n).map(([us, a]) => `${(us / 1000).toFixed(0)} ms: ${a}`);
}

/** A fuzzing connection. */
class Conn {
  readonly scanner: ReplyScanner;
  closed = false;
  byUs = false;
  private waitingMarker: string | null = null;
  private markerHit: (() => void) | null = null;
  private closeWaiters: (() => void)[] = [];
  badReply: string | null = null;

  constructor(readonly s: net.Socket) {
    s.setNoDelay(true);
    this.scanner = new ReplyScanner((str) => {
      if (this.waitingMarker !== null && str === this.waitingMarker && this.markerHit) { const f = this.markerHit; this.markerHit = null; f(); }
    });
    s.on('data', (d: Buffer) => {
      if (this.badReply) return;
      try { this.scanner.feed(d); } catch (e) { this.badReply = (e as Error).message; s.destroy(); }
    });
    s.on('close', () => {
      this.closed = true;
      const f = this.markerHit; this.markerHit = null; if (f) f();
      for (const w of this.closeWaiters.splice(0)) w();
    });
  }

  /** Write the chunks, yielding between them; resolves when the socket takes them (or closes). */
  async send(inp: FuzzInput): Promise<void> {
    for (let i = 0; i < inp.chunks.length; i++) {
      if (this.closed) return;
      if (i > 0) await new Promise((r) => setImmediate(r));
      if (!this.s.write(inp.chunks[i]!)) await this.drained();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) { resolve(); return; }
      const done = (): void => { this.s.off('drain', done); resolve(); };
      this.s.once('drain', done);
      this.closeWaiters.push(done);
    });
  }

  waitClose(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.closeWaiters.push(() => { clearTimeout(t); resolve(true); });
    });
  }

  /** DISCARD + PING marker; 'ok', 'closed' or 'timeout'. */
  barrier(marker: string, ms: number): Promise<'ok' | 'closed' | 'timeout'> {
    if (this.closed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      let t: NodeJS.Timeout | undefined;
      this.waitingMarker = marker;
      this.markerHit = () => { clearTimeout(t); this.waitingMarker = null; resolve(this.closed ? 'closed' : 'ok'); };
      t = setTimeout(() => { this.markerHit = null; this.waitingMarker = null; resolve('timeout'); }, ms);
      if (!this.s.write(encodeArgs(['DISCARD']) + encodeArgs(['PING', marker]), 'latin1')) { /* the close or the marker ends the wait */ }
    });
  }

  async end(how: FuzzInput['end']): Promise<void> {
    this.byUs = true;
    if (how === 'fin') {
      this.s.end();
      if (!(await this.waitClose(1000))) this.s.destroy();
    } else if (how === 'rst') {
      this.s.resetAndDestroy();
    } else {
      this.s.destroy();
    }
  }

  destroy(): void { this.byUs = true; this.s.destroy(); }
}

/* ------------------------------------------------------------------ the run */

export async function runFuzz(o: RunOptions): Promise<RunStats> {
  const host = o.host ?? '127.0.0.1';
  const nConn = o.connections ?? 4;
  const pingTimeout = o.pingTimeoutMs ?? 2000;
  const healthEvery = o.healthEveryMs ?? 500;
  const barrierTimeout = o.barrierTimeoutMs ?? 1000;
  const rssLimit = o.rssLimitBytes ?? 1.5 * 1024 ** 3;
  const started = Date.now();
  const st: RunStats = {
    seed: o.seed, inputs: 0, commandInputs: 0, rawInputs: 0, connections: 0, replies: 0, errors: 0, protocolErrors: 0, internalErrors: [], protocolErrorCloses: 0,
    otherServerCloses: 0, barrierTimeouts: 0, healthChecks: 0, crashes: 0, hangs: 0, startRss: o.pid ? readRss(o.pid) : 0,
    peakRss: 0, elapsedMs: 0, kinds: {}, slowCommands: [], errorKinds: {}, failure: null,
  };
  st.peakRss = st.startRss;
  const recent: string[][] = Array.from({ length: nConn }, () => []);
  let stop = false;
  // without a callback, a pid whose /proc entry is gone counts as dead
  const alive = o.alive ?? ((): boolean => (o.pid ? existsSync(`/proc/${o.pid}`) : true));
  const fail = (what: string, detail: string): void => {
    if (st.failure) return;
    stop = true;
    const last = recent.map((r, w) => `  worker ${w}, last inputs (oldest first):\n${r.map((x) => `    ${x}`).join('\n')}`).join('\n');
    st.failure = `${what} (seed ${o.seed}, after ${st.inputs} inputs): ${detail}\n${last}`;
  };
  const open = new Set<Conn>();

  const worker = async (w: number): Promise<void> => {
    const gen = new FuzzGen((o.seed + Math.imul(w + 1, 0x9e3779b9)) >>> 0, o.gen);
    let markers = 0;
    let refused = 0;
    while (!stop && st.inputs < o.inputs) {
      if (o.maxMs !== undefined && Date.now() - started > o.maxMs) break;
      let sock: net.Socket;
      try {
        sock = await connect(o.port, host, 5000);
        refused = 0;
      } catch (e) {
        if (!alive()) { st.crashes++; fail('crash', 'the server process exited'); return; }
        if (++refused > 100) { st.crashes++; fail('crash', `cannot connect: ${(e as Error).message}`); return; }
        await sleep(20);
        continue;
      }
      const c = new Conn(sock);
      open.add(c);
      st.connections++;
      const r = gen.r;
      if (r.chance(0.25)) c.s.write(encodeArgs(['HELLO', '3']), 'latin1');
      const sessionLen = r.range(1, 400);
      let sent = 0;
      let over = false;
      while (!over && sent < sessionLen && !stop && !c.closed && st.inputs < o.inputs) {
        const batch = r.range(1, 40);
        for (let i = 0; i < batch && st.inputs < o.inputs; i++) {
          const inp = gen.next();
          const rec = recent[w]!;
          rec.push(describeInput(inp, 200));
          if (rec.length > 6) rec.shift();
          st.kinds[inp.kind] = (st.kinds[inp.kind] ?? 0) + 1;
          if (inp.end === 'keep') st.commandInputs++; else st.rawInputs++;
          st.inputs++;
          sent++;
          await c.send(inp);
          if (inp.end !== 'keep') { await c.end(inp.end); over = true; break; }
          if (c.closed || stop) break;
        }
        if (over || c.closed || stop) break;
        const res = await c.barrier(`fz${w}:${markers++}`, barrierTimeout);
        if (res === 'timeout') { st.barrierTimeouts++; break; }
        if (res === 'closed') break;
      }
      if (!c.closed && !c.byUs) c.destroy();
      else if (c.closed && !c.byUs) {
        if (/Protocol error|too big|invalid (multibulk|bulk) length|unbalanced/i.test(c.scanner.lastError)) st.protocolErrorCloses++;
        else st.otherServerCloses++;
      }
      await c.waitClose(1000);
      open.delete(c);
      st.replies += c.scanner.replies;
      st.errors += c.scanner.errors;
      st.protocolErrors += c.scanner.protocolErrors;
      for (const e of c.scanner.internalErrors) if (!st.internalErrors.includes(e) && st.internalErrors.length < 20) st.internalErrors.push(e);
      for (const [k, n] of c.scanner.errorKinds) st.errorKinds[k] = (st.errorKinds[k] ?? 0) + n;
      if (c.badReply) { fail('bad reply framing', c.badReply); return; }
    }
  };

  let lastProgress = Date.now();
  const health = async (): Promise<void> => {
    while (!stop) {
      await sleep(healthEvery);
      if (stop) return;
      await checkOnce();
      if (o.progress && Date.now() - lastProgress >= (o.progressEveryMs ?? 10000)) {
        lastProgress = Date.now();
        st.elapsedMs = Date.now() - started;
        o.progress(st);
      }
    }
  };
  const checkOnce = async (): Promise<void> => {
    st.healthChecks++;
    if (!alive()) { st.crashes++; fail('crash', 'the server process exited'); return; }
    const t0 = Date.now();
    for (;;) {
      const res = await pingOnce(o.port, host, Math.max(100, pingTimeout - (Date.now() - t0)));
      if (res === 'ok') break;
      if (!alive()) { st.crashes++; fail('crash', 'the server process exited'); return; }
      if (Date.now() - t0 >= pingTimeout) {
        st.hangs++;
        // a stall or a hang: keep asking for a while, to tell which
        let after = 'no reply 30 s later either';
        while (Date.now() - t0 < 30000) {
          if ((await pingOnce(o.port, host, 1000)) === 'ok') { after = `it answered after ${Date.now() - t0} ms`; break; }
          if (!alive()) { after = 'then the process exited'; break; }
        }
        fail('hang', `a fresh connection's PING got no reply within ${pingTimeout} ms (${res}); ${after}`);
        return;
      }
      await sleep(20);
    }
    if (o.pid) {
      const rss = readRss(o.pid);
      if (rss > st.peakRss) st.peakRss = rss;
      if (rss > rssLimit) fail('memory', `VmRSS ${(rss / 2 ** 20).toFixed(0)} MB past the ${(rssLimit / 2 ** 20).toFixed(0)} MB bound`);
    }
  };

  // the slow log names what took long (the generator leaves these two alone)
  await callOnce(o.port, host, ['CONFIG', 'SET', 'slowlog-log-slower-than', String((o.slowMs ?? 100) * 1000)], 5000);
  await callOnce(o.port, host, ['CONFIG', 'SET', 'slowlog-max-len', '1000'], 5000);
  const h = health();
  await Promise.all(Array.from({ length: nConn }, (_, w) => worker(w)));
  const stillOpen = [...open];
  for (const c of stillOpen) c.destroy();
  if (!st.failure) await checkOnce();
  stop = true;
  await h;
  if (alive()) st.slowCommands = await slowest(o.port, host, 10);
  if (st.failure && st.slowCommands.length) st.failure += `\n  slowest commands:\n${st.slowCommands.map((x) => `    ${x}`).join('\n')}`;
  st.elapsedMs = Date.now() - started;
  return st;
}

/** The counts as text, one per line. */
export function formatStats(s: RunStats): string {
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`;
  const kinds = Object.entries(s.kinds).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `seed                   ${s.seed}`,
    `inputs sent            ${s.inputs} (${s.commandInputs} keep-alive, ${s.rawInputs} ending the connection) in ${(s.elapsedMs / 1000).toFixed(1)} s, ${Math.round(s.inputs / (s.elapsedMs / 1000))}/s`,
    `input kinds            ${kinds}`,
    `connections            ${s.connections}`,
    `replies                ${s.replies}`,
    `errors replied         ${s.errors}`,
    `protocol errors        ${s.protocolErrors} replied; ${s.protocolErrorCloses} closes seen before the fuzzer closed`,
    `other server closes    ${s.otherServerCloses}`,
    `barrier timeouts       ${s.barrierTimeouts}`,
    `health checks          ${s.healthChecks}`,
    `handler exceptions     ${s.internalErrors.length ? s.internalErrors.join('\n                       ') : 0}`,
    `crashes                ${s.crashes}`,
    `hangs                  ${s.hangs}`,
    `RSS start / peak       ${mb(s.startRss)} / ${mb(s.peakRss)}`,
    `top error replies      ${Object.entries(s.errorKinds).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${n} ${k}`).join('\n                       ')}`,
    `slowest commands       ${s.slowCommands.slice(0, 5).join('\n                       ') || '-'}`,
    `result                 ${s.failure ? 'FAILED: ' + s.failure : 'ok'}`,
  ].join('\n');
}
