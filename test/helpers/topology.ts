/*
 * Replication topologies for system tests: N servers, each Nodis in-process
 * ('nodis'), Nodis as a process ('nodis-proc', bin/nodis-server) or a real
 * redis-server process ('redis'), on free ports, each in its own temporary
 * dir with its log in a file there; REPLICAOF wiring; bounded polls on
 * observable state (INFO replication, ROLE) and dataset comparison by
 * DEBUG DIGEST, with a per-key explanation when digests differ.
 *
 * Invariants: a Topology registers its teardown with t.after() before it
 * starts its first server, so every server it started is stopped (processes
 * SIGKILLed and awaited, in-process servers closed) and every dir removed
 * even when the test fails or times out; teardown is idempotent. Nothing
 * here sleeps a fixed time: every wait is `poll()` on a condition, bounded.
 *
 * Defaults for every server: bind 127.0.0.1, save "", appendonly no,
 * repl-diskless-sync-delay 0 (a full sync starts at once), loglevel notice
 * (replication events are notices), enable-debug-command yes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient, parseReply } from './resp-client.js';
import { REDIS_SERVER, clusterFreePort, freePort } from './servers.js';

export type Kind = 'nodis' | 'nodis-proc' | 'redis';
export type Conf = Record<string, string | number>;

const BIN = path.resolve('bin/nodis-server');

/** Poll cond every `every` ms until it holds; throws `what` (and the last state seen) after ms. */
export async function poll<T>(what: string, cond: () => Promise<T | false | null | undefined>, ms = 5000, every = 20): Promise<T> {
  const end = Date.now() + ms;
  let lastErr: unknown = null;
  for (;;) {
    try {
      const v = await cond();
      if (v !== false && v !== null && v !== undefined) return v;
    } catch (e) { lastErr = e; }
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** INFO text -> fields */
export function parseInfo(txt: string): Record<string, string> {
  const f: Record<string, string> = {};
  for (const line of txt.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) f[line.slice(0, i)] = line.slice(i + 1);
  }
  return f;
}

/** Config text for redis.conf / nodis stdin: one directive a line (values are plain words, as `replicaof 127.0.0.1 6379`). */
function confText(conf: Conf): string {
  return Object.entries(conf).map(([k, v]) => `${k} ${v === '' ? '""' : String(v)}`).join('\n') + '\n';
}

export class Node {
  /** the command connection (reopened after a restart) */
  private conn: RawClient | null = null;
  private running: RunningServer | null = null;
  private proc: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  readonly logFile: string;

  private constructor(readonly name: string, readonly kind: Kind, public port: number, readonly dir: string, readonly conf: Conf) {
    this.logFile = path.join(dir, 'server.log');
  }

  /** A node not started yet (boot() starts it): the caller can register its teardown first. */
  static create(name: string, kind: Kind, conf: Conf = {}): Node {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nodis-repl-${kind}-`));
    return new Node(name, kind, 0, dir, conf);
  }

  /** the full configuration this node starts with */
  private fullConf(): Conf {
    return {
      bind: '127.0.0.1', save: '', appendonly: 'no', 'repl-diskless-sync-delay': 0, loglevel: 'notice',
      'enable-debug-command': 'yes', dir: this.dir, logfile: this.logFile, ...this.conf, port: this.port,
    };
  }

  async boot(): Promise<void> {
    if (this.kind === 'nodis') {
      // an embedded server does not apply its logfile option at start (only on CONFIG SET): quiet until it
      // listens, then its Logger writes to the file
      const s = await startServer({ ...this.fullConf(), loglevel: 'warning', port: this.port });
      s.server.log.file = this.logFile;
      s.server.log.level = String(this.fullConf()['loglevel']) as typeof s.server.log.level;
      this.running = s;
      this.port = s.port;
      return;
    }
    if (this.port === 0) this.port = this.conf['cluster-enabled'] === 'yes' ? await clusterFreePort() : await freePort();
    const conf = this.fullConf();
    const argv = this.kind === 'redis' ? [REDIS_SERVER, '-'] : [process.execPath, BIN, '-'];
    const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => { err += d.toString('latin1'); });
    this.proc = proc;
    this.exited = new Promise((r) => proc.once('exit', () => r()));
    proc.stdin!.end(confText(conf));
    try {
      await poll(`${this.name} answers PING`, async () => {
        if (!this.alive) throw new Error('exited');
        const c = await RawClient.connect(this.port);
        try { const r = await c.call('PING'); return r === '+PONG\r\n' || r.startsWith('-NOAUTH'); } finally { c.close(); }
      }, 20000);
    } catch (e) {
      throw new Error(`${this.name} (${this.kind}) did not start: ${(e as Error).message}\n${err}\n${this.logTail(20)}`);
    }
  }

  /** the process id (process kinds only) */
  get pid(): number {
    if (this.proc === null || this.proc.pid === undefined) throw new Error(`${this.name} is not a process`);
    return this.proc.pid;
  }

  /** Resolves when the process exits (process kinds only). */
  waitExit(ms: number): Promise<boolean> {
    if (this.exited === null) return Promise.resolve(true);
    return Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  }

  get alive(): boolean {
    if (this.kind === 'nodis') return this.running !== null;
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** the in-process server (kind 'nodis' only) */
  get server(): RunningServer['server'] {
    if (this.running === null) throw new Error(`${this.name} is not an in-process Nodis`);
    return this.running.server;
  }

  /** a connection, authenticated when the node has a requirepass */
  private async connect(): Promise<RawClient> {
    const c = await RawClient.connect(this.port);
    const pass = this.conf['requirepass'];
    if (pass !== undefined && pass !== '') {
      const r = await c.call('AUTH', pass);
      if (r !== '+OK\r\n') { c.close(); throw new Error(`${this.name}: AUTH -> ${r}`); }
    }
    return c;
  }

  private async client(): Promise<RawClient> {
    if (this.conn === null || this.conn.closed) this.conn = await this.connect();
    return this.conn;
  }

  /** one command, its raw reply */
  async raw(...args: (string | number)[]): Promise<string> { return (await this.client()).call(...args); }

  /** one command, its reply parsed (an error reply is an Error value, not thrown) */
  async call(...args: (string | number)[]): Promise<unknown> { return parseReply(await this.raw(...args)); }

  /** one command; an error reply throws */
  async ok(...args: (string | number)[]): Promise<unknown> {
    const r = await this.call(...args);
    if (r instanceof Error) throw new Error(`${this.name}: ${args.join(' ').slice(0, 200)} -> ${r.message}`);
    return r;
  }

  /** Many commands on a fresh connection, pipelined; returns the parsed replies. */
  async pipeline(cmds: readonly (readonly (string | number)[])[]): Promise<unknown[]> {
    const c = await this.connect();
    try {
      const out: unknown[] = [];
      const BATCH = 500;
      for (let i = 0; i < cmds.length; i += BATCH) {
        const part = cmds.slice(i, i + BATCH);
        for (const cmd of part) c.send(...cmd);
        for (let j = 0; j < part.length; j++) out.push(parseReply(await c.read(10000)));
      }
      return out;
    } finally { c.close(); }
  }

  async info(section = 'replication'): Promise<Record<string, string>> {
    return parseInfo(await this.ok('INFO', section) as string);
  }

  async replicaOf(m: Node | null): Promise<void> {
    if (m === null) await this.ok('REPLICAOF', 'NO', 'ONE');
    else await this.ok('REPLICAOF', '127.0.0.1', m.port);
  }

  logText(): string {
    try { return fs.readFileSync(this.logFile, 'latin1'); } catch { return ''; }
  }

  logTail(n: number): string { return this.logText().split('\n').slice(-n - 1).join('\n'); }

  /**
   * Stop it: 'kill' (SIGKILL, or close for in-process), or 'save' (SHUTDOWN SAVE: the RDB
   * keeps the replication id and offset). The dir stays for restart().
   */
  async stop(how: 'kill' | 'save' = 'kill'): Promise<void> {
    if (this.kind === 'nodis') {
      const s = this.running;
      if (s === null) return;
      if (how === 'save') await this.ok('SAVE');
      this.conn?.close();
      this.conn = null;
      this.running = null;
      await s.close();
      return;
    }
    this.conn?.close();
    this.conn = null;
    if (!this.alive) { await this.exited; return; }
    if (how === 'save') {
      const c = await this.connect();
      c.send('SHUTDOWN', 'SAVE');
      await c.waitClose(10000).catch(() => undefined);
      c.close();
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 10000).unref())]);
    }
    if (this.alive) this.proc!.kill('SIGKILL');
    await this.exited;
  }

  /** Start again on the same port and dir (processes), after stop(). */
  async restart(conf: Conf = {}): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is running`);
    Object.assign(this.conf, conf);
    await this.boot();
  }

  /** Stop and remove the dir (teardown). */
  async destroy(): Promise<void> {
    try { await this.stop('kill'); } finally { fs.rmSync(this.dir, { recursive: true, force: true }); }
  }
}

type Ctx = { after(fn: () => unknown): void; diagnostic(msg: string): void };

export class Topology {
  readonly nodes: Node[] = [];
  private closed = false;

  constructor(private readonly t: Ctx) {
    t.after(() => this.close());
  }

  async add(name: string, kind: Kind, conf: Conf = {}): Promise<Node> {
    if (this.closed) throw new Error('topology closed');
    const n = Node.create(name, kind, conf);
    this.nodes.push(n); // torn down even if its start fails or ends after the teardown began
    try {
      await n.boot();
    } catch (e) {
      await n.destroy().catch(() => undefined);
      throw e;
    }
    if (this.closed) { await n.destroy(); throw new Error('topology closed while starting'); }
    return n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.nodes.map((n) => n.destroy().catch(() => undefined)));
  }

  /** The last lines of every node's log, for a failure message. */
  logs(n = Number(process.env.NODIS_LOG_TAIL ?? 25)): string {
    return this.nodes.map((x) => `----- ${x.name} (${x.kind}, port ${x.port}) log tail -----\n${x.logTail(n)}`).join('\n');
  }

  /** Run fn; on failure, print each node's log tail as diagnostics, then rethrow. */
  async run(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      for (const line of this.logs().split('\n')) this.t.diagnostic(line);
      throw e;
    }
  }
}

/** A topology of fresh servers, torn down after the test. */
export async function topology(t: Ctx, specs: [string, Kind, Conf?][]): Promise<[Topology, ...Node[]]> {
  const topo = new Topology(t);
  const nodes = await Promise.all(specs.map(([name, kind, conf]) => topo.add(name, kind, conf ?? {})));
  return [topo, ...nodes];
}

/** the replica's link is up and its applied offset equals `top`'s master_repl_offset */
export async function waitSynced(top: Node, replicas: Node[], ms = 8000): Promise<number> {
  let last = '';
  try {
    return await poll('replicas in sync', async () => {
      const m = await top.info();
      const off = m['master_repl_offset'];
      const states: string[] = [];
      let ok = true;
      for (const r of replicas) {
        const f = await r.info();
        states.push(`${r.name}: link=${f['master_link_status']} off=${f['slave_repl_offset']}`);
        if (f['master_link_status'] !== 'up' || f['slave_repl_offset'] !== off) ok = false;
      }
      // the top must not have moved meanwhile
      if (ok && (await top.info())['master_repl_offset'] !== off) ok = false;
      last = `${top.name}: master_repl_offset=${off}; ${states.join('; ')}`;
      return ok ? Number(off) : false;
    }, ms);
  } catch (e) {
    throw new Error(`${(e as Error).message}: ${last}`);
  }
}

/** A stat of INFO stats (sync_full, sync_partial_ok, ...) */
export async function stat(n: Node, field: string): Promise<number> {
  return Number((await n.info('stats'))[field]);
}

/** the dbs holding keys (INFO keyspace) */
async function dbsOf(n: Node): Promise<number[]> {
  return Object.keys(await n.info('keyspace')).map((k) => Number(k.slice(2))).sort((a, b) => a - b);
}

/**
 * DEBUG DIGEST of every node is the same (and not the empty dataset's unless allowEmpty);
 * otherwise an error naming the first keys that differ.
 */
export async function sameDigest(nodes: Node[], allowEmpty = false): Promise<string> {
  const ds = await Promise.all(nodes.map(async (n) => String(await n.ok('DEBUG', 'DIGEST'))));
  if (ds.every((d) => d === ds[0])) {
    if (!allowEmpty && ds[0] === '0'.repeat(40)) throw new Error('every dataset is empty');
    return ds[0]!;
  }
  const lines = nodes.map((n, i) => `${n.name}=${ds[i]}`);
  throw new Error(`DEBUG DIGEST differs: ${lines.join(' ')}\n${await explainDiff(nodes[0]!, nodes[ds.findIndex((d) => d !== ds[0])]!)}`);
}

/** The keys whose presence or DIGEST-VALUE differ between a and b (at most 10). */
export async function explainDiff(a: Node, b: Node): Promise<string> {
  const out: string[] = [];
  const dbs = [...new Set([...(await dbsOf(a)), ...(await dbsOf(b))])];
  for (const db of dbs) {
    const keysOf = async (n: Node): Promise<string[]> => {
      const r = await n.pipeline([['SELECT', db], ['KEYS', '*']]);
      return (r[1] as string[]).sort();
    };
    const ka = await keysOf(a);
    const kb = await keysOf(b);
    const sb = new Set(kb);
    const sa = new Set(ka);
    for (const k of ka) if (!sb.has(k) && out.length < 10) out.push(`db${db} ${JSON.stringify(k)} only on ${a.name}`);
    for (const k of kb) if (!sa.has(k) && out.length < 10) out.push(`db${db} ${JSON.stringify(k)} only on ${b.name}`);
    const common = ka.filter((k) => sb.has(k));
    const q = (n: Node): Promise<unknown[]> => n.pipeline([['SELECT', db], ...common.flatMap((k) => [['DEBUG', 'DIGEST-VALUE', k], ['TYPE', k], ['PEXPIRETIME', k]])]);
    const [ra, rb] = await Promise.all([q(a), q(b)]);
    for (let i = 0; i < common.length && out.length < 10; i++) {
      const va = JSON.stringify(ra.slice(1 + 3 * i, 4 + 3 * i));
      const vb = JSON.stringify(rb.slice(1 + 3 * i, 4 + 3 * i));
      if (va !== vb) out.push(`db${db} ${JSON.stringify(common[i])}: ${a.name} ${va} / ${b.name} ${vb}`);
    }
  }
  return out.length > 0 ? out.join('\n') : '(no key differs: the difference is in the db numbering)';
}

/**
 * A TCP relay in front of a server, to cut a replication link deterministically: while cut,
 * every relayed connection is closed and new ones are closed at once (a replica keeps
 * retrying and failing), until restore().
 */
export class LinkCutter {
  private readonly socks = new Set<net.Socket>();
  private cut = false;
  /** connections accepted (relayed or refused) */
  accepted = 0;

  private constructor(private readonly srv: net.Server, readonly port: number) {}

  static async start(t: Ctx, targetPort: number): Promise<LinkCutter> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const lc = new LinkCutter(srv, (srv.address() as net.AddressInfo).port);
    t.after(() => lc.close());
    srv.on('connection', (a) => {
      lc.accepted++;
      a.on('error', () => {});
      if (lc.cut) { a.destroy(); return; }
      const b = net.connect({ host: '127.0.0.1', port: targetPort });
      b.on('error', () => {});
      lc.socks.add(a); lc.socks.add(b);
      a.pipe(b); b.pipe(a);
      const end = (): void => { a.destroy(); b.destroy(); lc.socks.delete(a); lc.socks.delete(b); };
      a.on('close', end); b.on('close', end);
    });
    return lc;
  }

  sever(): void {
    this.cut = true;
    for (const s of this.socks) s.destroy();
    this.socks.clear();
  }

  restore(): void { this.cut = false; }

  close(): Promise<void> {
    this.sever();
    return new Promise((r) => this.srv.close(() => r()));
  }
}
