/*
 * One client connection of nodis-proxy (twemproxy src/nc_request.c,
 * nc_response.c: a request is split into per-server fragments and the
 * fragments' replies coalesced; replies leave in request order).
 *
 * Invariants:
 * - Every parsed request takes a slot in an ordered queue at once; a slot is
 *   filled when its reply is known (local, forwarded or merged) and replies
 *   are written strictly in slot order, gathered into one write per tick.
 * - Requests are routed by their keys as the command table finds them
 *   (commands/registry.ts keyPositions): a request whose keys all live on one
 *   server is forwarded unchanged and its reply passed through byte for byte.
 *   MGET, MSET, DEL, UNLINK, EXISTS and TOUCH are split per server and merged
 *   in key order; any other multi-key request on several servers gets a
 *   CROSSSLOT-style error, never a partial execution.
 * - A failed fragment fails its request only (an error reply in its slot);
 *   other requests in the pipeline keep their own replies.
 * - Requests that need a connection of their own (blocking commands, WATCH /
 *   MULTI / EXEC, pub/sub) are exclusive: they wait until every earlier reply
 *   is in and later requests wait for them, so a client's requests still run
 *   in the order it sent them.
 * - A client's pooled backend connection is chosen by its id, so its
 *   requests to one server share one connection and keep their order there.
 * - Bad input from the client (a protocol error) gets an error reply and
 *   closes that client only; an unknown command gets an error reply.
 */
import type net from 'node:net';
import { OVERSIZED_COMMAND, RespParser } from '../protocol/parser.js';
import {
  ERR_AUTH_NO_PASSWORD, ERR_CROSSSLOT, ERR_EXECABORT, ERR_NOAUTH, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGPASS, errArgTooLong, errArity, errUnknownCommand,
  errUnknownSubcommand,
} from '../protocol/errors.js';
import { CommandTable, keyPositions, type Command } from '../commands/registry.js';
import { ALL_COMMANDS } from '../commands/index.js';
import { encodeCommand, type BackendConn, type Server } from './backend.js';
import { elementsOf, errorOf, intOf, isError, stringOf } from './reply-reader.js';
import {
  ERR_CROSSSERVER, ERR_MSETNX_CROSSSERVER, ERR_NO_LIVE_SERVER, ERR_ONLY_DB0, errNotInSubscribeContext, errUnsupported,
} from './errors.js';
import type { Pool } from './pool.js';

let table: CommandTable | null = null;
/** the server's command table (arity, flags, key positions) */
export function commandTable(): CommandTable {
  if (table === null) {
    table = new CommandTable();
    table.register(ALL_COMMANDS);
  }
  return table;
}

export const PROXY_VERSION = '0.1.0';
const MAX_BULK = 512 * 1024 * 1024;

interface Slot { out: Buffer | null }

const SUB_ALLOWED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'ping', 'quit', 'reset']);
/** keyless commands any one live server can answer */
const ANY_SERVER = new Set(['command', 'time', 'lolwut', 'echo', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);
/** split and merged across servers */
const SPLIT_SUM = new Set(['del', 'unlink', 'exists', 'touch']);

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const OK = b('+OK\r\n');
const QUEUED = b('+QUEUED\r\n');
const errBuf = (e: string): Buffer => b(`-${e}\r\n`);
const bulkStr = (s: string): string => `$${s.length}\r\n${s}\r\n`;
const intStr = (n: number | bigint): string => `:${n}\r\n`;

export class ProxyClient {
  private parser = new RespParser({ maxBulkLen: MAX_BULK, authRequired: false });
  private slots: Slot[] = [];
  /** first slot not yet written */
  private head = 0;
  private inflight = 0;
  private paused = false;
  private deferred: string[] | null = null;
  private waitDrain = false;
  private flushQueued = false;
  private closed = false;
  private closeAfterFlush = false;
  resp: 2 | 3 = 2;
  authed: boolean;
  name: string | null = null;
  libName = '';
  libVer = '';
  readonly createdAt = Date.now();
  private multi: { cmds: string[][]; dirty: boolean } | null = null;
  /** the server a WATCH or a queued transaction is bound to */
  private pin: Server | null = null;
  private watching = false;
  /** dedicated connections for transactions and blocking commands, per server */
  private own = new Map<Server, BackendConn>();
  /** pub/sub connections, per server */
  private subConns = new Map<Server, BackendConn>();
  private channels = new Set<string>();
  private patterns = new Set<string>();
  private shardChannels = new Set<string>();
  /** set while a request whose keys were just migrated is dispatched */
  private premigrated = false;

  constructor(readonly pool: Pool, readonly sock: net.Socket, readonly id: number) {
    this.authed = pool.cfg.redisAuth === undefined;
    sock.on('data', (d) => { this.parser.feed(d); this.pump(); });
    sock.on('error', () => { pool.stats.clientErrors++; this.destroy(); });
    sock.on('end', () => { pool.stats.clientEof++; });
    sock.on('close', () => this.destroy());
  }

  // -------------------------------------------------------------------------
  // the reply queue

  private slot(): Slot {
    const s: Slot = { out: null };
    this.slots.push(s);
    this.inflight++;
    return s;
  }

  private complete(s: Slot, out: Buffer): void {
    if (s.out !== null) return;
    s.out = out;
    this.inflight--;
    this.scheduleFlush();
    if (this.inflight === 0 && this.waitDrain) {
      this.waitDrain = false;
      this.paused = false;
      process.nextTick(() => this.pump());
    }
  }

  private reply(out: Buffer | string): void {
    this.complete(this.slot(), typeof out === 'string' ? b(out) : out);
  }

  private error(e: string): void {
    this.reply(errBuf(e));
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // once per loop turn: the replies that every backend read of this poll phase completed go in one write
    setImmediate(this.flushNow);
  }

  private readonly flushNow = (): void => this.flush();

  private flush(): void {
    this.flushQueued = false;
    if (this.closed) return;
    const out: Buffer[] = [];
    let i = this.head;
    for (; i < this.slots.length && this.slots[i]!.out !== null; i++) out.push(this.slots[i]!.out!);
    this.head = i;
    if (this.head === this.slots.length) { this.slots = []; this.head = 0; }
    else if (this.head > 1024) { this.slots = this.slots.slice(this.head); this.head = 0; }
    if (out.length > 0) this.sock.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    if (this.closeAfterFlush && this.slots.length === this.head) { this.release(); this.sock.end(); }
  }

  /** a push frame (pub/sub message, tracking invalidation): written at once */
  private push(frame: Buffer): void {
    if (!this.closed) this.sock.write(frame);
  }

  // -------------------------------------------------------------------------
  // reading requests

  private pump(): void {
    while (!this.paused && !this.closed && !this.closeAfterFlush) {
      let argv = this.deferred;
      this.deferred = null;
      if (argv === null) {
        argv = this.parser.next();
        if (argv !== null && argv.length > 0) this.pool.stats.commands++;
      }
      if (argv === null) {
        if (this.parser.error !== null) {
          this.pool.log(`client ${this.id}: protocol error (${this.parser.errorReason || this.parser.error}), closing it`);
          this.pool.stats.clientErrors++;
          this.error(this.parser.error);
          this.closeAfterFlush = true;
          this.scheduleFlush();
        }
        return;
      }
      if (argv.length === 0) continue;
      try {
        this.dispatch(argv);
      } catch (e) {
        this.pool.log(`client ${this.id}: internal error on ${argv[0]}: ${(e as Error).stack ?? String(e)}`);
        this.error(`ERR nodis-proxy internal error: ${(e as Error).message}`);
      }
    }
  }

  /** run fn once every earlier reply is in; later requests wait until it calls done */
  private exclusive(argv: string[], fn: (done: () => void) => void): void {
    if (this.inflight > 0) {
      this.deferred = argv;
      this.paused = true;
      this.waitDrain = true;
      return;
    }
    this.paused = true;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      this.paused = false;
      process.nextTick(() => this.pump());
    };
    try {
      fn(done);
    } catch (e) {
      done();
      throw e;
    }
  }

  // -------------------------------------------------------------------------
  // dispatch

  private dispatch(argv: string[]): void {
    if (argv === OVERSIZED_COMMAND) { this.error(errArgTooLong(MAX_BULK)); return; }
    const name = argv[0]!.toLowerCase();
    if (!this.authed && name !== 'auth' && name !== 'hello' && name !== 'quit') { this.error(ERR_NOAUTH); return; }
    if (this.resp === 2 && this.subscribed() && !SUB_ALLOWED.has(name)) { this.error(errNotInSubscribeContext(name)); return; }
    const tbl = commandTable();
    const cmd = tbl.lookup(argv);
    if (cmd === undefined) {
      const container = tbl.commands.get(name);
      this.error(container !== undefined ? errUnknownSubcommand(argv[1]!, name) : errUnknownCommand(argv[0]!, argv.slice(1)));
      if (this.multi) this.multi.dirty = true;
      return;
    }
    if ((cmd.arity > 0 && argv.length !== cmd.arity) || (cmd.arity < 0 && argv.length < -cmd.arity)) {
      this.error(errArity(cmd.fullname));
      if (this.multi) this.multi.dirty = true;
      return;
    }
    if (this.multi !== null && name !== 'exec' && name !== 'discard' && name !== 'multi' && name !== 'watch' && name !== 'quit' && name !== 'reset') {
      this.queueTx(cmd, argv);
      return;
    }
    const rb = this.pool.rebalance;
    if (rb !== null && !this.premigrated && !NO_PREMIGRATE.has(name) && !cmd.flags.has('blocking') && !cmd.flags.has('pubsub')) {
      const keys = keyPositions(cmd, argv).map((p) => argv[p]!);
      if (keys.some((k) => rb.sourceOf(k, this.pool.route(k)) !== null)) {
        // move the request's keys to their new servers first, then run it (rebalance.ts)
        this.exclusive(argv, (done) => {
          void rb.before(keys, (k) => this.pool.route(k)).then(() => {
            this.premigrated = true;
            try {
              this.dispatch(argv);
            } catch (e) {
              this.error(`ERR nodis-proxy internal error: ${(e as Error).message}`);
            } finally {
              this.premigrated = false;
              done();
            }
          });
        });
        return;
      }
    }
    switch (name) {
      case 'ping': return this.ping(argv);
      case 'echo': return this.reply(bulkStr(argv[1]!));
      case 'quit': this.reply(OK); this.closeAfterFlush = true; this.scheduleFlush(); return;
      case 'hello': return this.hello(argv);
      case 'auth': return this.auth(argv);
      case 'select': return this.select(argv);
      case 'client': return this.client(argv);
      case 'reset': return this.resetClient();
      case 'info': return this.info(argv);
      case 'dbsize': return this.broadcastSum(['DBSIZE']);
      case 'scan': return this.scan(argv);
      case 'keys': return this.broadcastConcat(argv);
      case 'randomkey': return this.randomKey(argv);
      case 'flushdb': case 'flushall': return this.broadcastFirst(argv);
      case 'script': return this.script(argv);
      case 'function': return this.functionCmd(argv);
      case 'multi': return this.multiCmd();
      case 'exec': return this.exec(argv);
      case 'discard': return this.discard(argv);
      case 'watch': return this.watch(cmd, argv);
      case 'unwatch': return this.unwatch(argv);
      case 'subscribe': case 'ssubscribe': case 'psubscribe': return this.subscribe(name, argv);
      case 'unsubscribe': case 'sunsubscribe': case 'punsubscribe': return this.unsubscribe(name, argv);
      case 'publish': case 'spublish': return this.forward(this.pool.route(argv[1]!), argv);
      case 'pubsub': return this.pubsubIntrospection(argv);
      case 'mget': return this.mget(cmd, argv);
      case 'mset': return this.mset(cmd, argv);
      case 'msetnx': return this.msetnx(cmd, argv);
    }
    if (SPLIT_SUM.has(name)) return this.splitSum(cmd, argv);
    this.route(cmd, name, argv);
  }

  /** the one server all of argv's keys live on; undefined: no keys; null: several or none live (error sent) */
  private serverFor(cmd: Command, argv: readonly string[], crossErr = ERR_CROSSSERVER): Server | null | undefined {
    const keys = keyPositions(cmd, argv);
    if (keys.length === 0) return undefined;
    if (this.pool.cluster) {
      const slot = this.pool.slotOf(argv[keys[0]!]!);
      for (const p of keys) if (this.pool.slotOf(argv[p]!) !== slot) { this.error(ERR_CROSSSLOT); return null; }
    }
    let s: Server | null = null;
    for (const p of keys) {
      const t = this.pool.route(argv[p]!);
      if (t === null) { this.error(ERR_NO_LIVE_SERVER); return null; }
      if (s === null) s = t;
      else if (t !== s) { this.error(crossErr); return null; }
    }
    return s;
  }

  private route(cmd: Command, name: string, argv: string[]): void {
    let s = this.serverFor(cmd, argv);
    if (s === null) return;
    if (s === undefined) {
      if (!ANY_SERVER.has(name)) { this.error(errUnsupported(name)); return; }
      s = this.pool.anyServer();
    }
    if (cmd.flags.has('blocking')) { this.blocking(s, argv, keyPositions(cmd, argv).map((p) => argv[p]!)); return; }
    this.forward(s, argv);
  }

  /** send argv to s; its reply fills the next slot unchanged */
  private forward(s: Server | null, argv: readonly string[]): void {
    if (s === null) { this.error(ERR_NO_LIVE_SERVER); return; }
    const slot = this.slot();
    this.ask(s, argv, (r) => this.complete(slot, r));
  }

  /**
   * send to s; callback gets the reply or an error reply (as bytes). In a
   * redis_cluster pool, MOVED is followed (the slot table learns it) and ASK
   * answered with ASKING + the command on the target, up to 5 redirections.
   */
  private ask(s: Server, argv: readonly string[], cb: (r: Buffer) => void, conn?: BackendConn, redirects = 0): void {
    s.stats.requests++;
    (conn ?? s.conn(this.resp, this.id)).send(encodeCommand(argv), 1, (r, e) => {
      if (r === null) { this.pool.stats.forwardErrors++; cb(errBuf(e!)); return; }
      const rep = r[0]!;
      if (this.pool.cluster && rep[0] === 45 && redirects < 5 && (rep[1] === 77 || rep[1] === 65)) { // -M / -A
        const m = /^(MOVED|ASK) (\d+) (\S+)$/.exec(rep.latin1Slice(1, Math.min(rep.length - 2, 300)));
        if (m !== null) {
          const moved = m[1] === 'MOVED';
          const target = moved ? this.pool.noteMoved(Number(m[2]), m[3]!) : this.pool.serverAt(m[3]!);
          const tconn = conn === undefined ? undefined : this.ownConn(target);
          if (moved) { this.ask(target, argv, cb, tconn, redirects + 1); return; }
          target.stats.requests++;
          (tconn ?? target.conn(this.resp, this.id)).send(Buffer.concat([encodeCommand(['ASKING']), encodeCommand(argv)]), 2,
            (r2, e2) => cb(r2 ? r2[1]! : errBuf(e2!)));
          return;
        }
      }
      cb(rep);
    });
  }

  private ownConn(s: Server): BackendConn {
    let c = this.own.get(s);
    if (c === undefined || c.closed || c.opts.proto !== this.resp) {
      c = s.dedicated(this.resp);
      this.own.set(s, c);
    }
    return c;
  }

  private blocking(s: Server | null, argv: string[], keys: string[]): void {
    if (s === null) { this.error(ERR_NO_LIVE_SERVER); return; }
    this.exclusive(argv, (done) => {
      const slot = this.slot();
      void this.premigrate(keys).then(() => this.ask(s, argv, (r) => { this.complete(slot, r); done(); }, this.ownConn(s)));
    });
  }

  /** during a rebalance, move keys still on their old server to their new one (requests that bypass dispatch's check) */
  private premigrate(keys: readonly string[]): Promise<void> {
    const rb = this.pool.rebalance;
    if (rb === null || !keys.some((k) => rb.sourceOf(k, this.pool.route(k)) !== null)) return Promise.resolve();
    return rb.before(keys, (k) => this.pool.route(k));
  }

  // -------------------------------------------------------------------------
  // split commands

  /**
   * key positions grouped by server (by slot in a redis_cluster pool, whose
   * servers refuse multi-key commands across slots), in first-seen order;
   * null when a key has no live server (error sent)
   */
  private group(argv: readonly string[], positions: number[]): [Server, number[]][] | null {
    const m = new Map<Server | number, [Server, number[]]>();
    const cluster = this.pool.cluster;
    for (const p of positions) {
      const s = this.pool.route(argv[p]!);
      if (s === null) { this.error(ERR_NO_LIVE_SERVER); return null; }
      const k = cluster ? this.pool.slotOf(argv[p]!) : s;
      let l = m.get(k);
      if (l === undefined) m.set(k, (l = [s, []]));
      l[1].push(p);
    }
    return [...m.values()];
  }

  /** send one fragment per server; done gets the replies in the map's order */
  private fanOut(frags: [Server, string[]][], done: (replies: Buffer[]) => Buffer): void {
    const slot = this.slot();
    const replies: Buffer[] = new Array<Buffer>(frags.length);
    let left = frags.length;
    if (left === 0) { this.complete(slot, done([])); return; }
    this.pool.stats.fragments += left;
    frags.forEach(([s, argv], i) => this.ask(s, argv, (r) => {
      replies[i] = r;
      if (--left === 0) this.complete(slot, done(replies));
    }));
  }

  private firstError(replies: Buffer[]): Buffer | null {
    for (const r of replies) if (isError(r)) return r;
    return null;
  }

  private mget(cmd: Command, argv: string[]): void {
    const g = this.group(argv, keyPositions(cmd, argv));
    if (g === null) return;
    if (g.length === 1) { this.forward(g[0]![0], argv); return; }
    const groups = g;
    this.fanOut(groups.map(([s, ps]) => [s, ['MGET', ...ps.map((p) => argv[p]!)]]), (replies) => {
      const err = this.firstError(replies);
      if (err) return err;
      const out: Buffer[] = new Array<Buffer>(argv.length - 1);
      for (let i = 0; i < groups.length; i++) {
        const els = elementsOf(replies[i]!);
        const ps = groups[i]![1];
        if (els === null || els.length !== ps.length) return errBuf('ERR unexpected MGET reply from a server');
        ps.forEach((p, j) => { out[p - 1] = els[j]!; });
      }
      return Buffer.concat([b(`*${out.length}\r\n`), ...out]);
    });
  }

  private mset(cmd: Command, argv: string[]): void {
    if ((argv.length - 1) % 2 !== 0) { this.error(errArity('mset')); return; }
    const g = this.group(argv, keyPositions(cmd, argv));
    if (g === null) return;
    if (g.length === 1) { this.forward(g[0]![0], argv); return; }
    this.fanOut(g.map(([s, ps]) => [s, ['MSET', ...ps.flatMap((p) => [argv[p]!, argv[p + 1]!])]]),
      (replies) => this.firstError(replies) ?? OK);
  }

  private msetnx(cmd: Command, argv: string[]): void {
    if ((argv.length - 1) % 2 !== 0) { this.error(errArity('msetnx')); return; }
    const s = this.serverFor(cmd, argv, ERR_MSETNX_CROSSSERVER);
    if (s === null || s === undefined) return;
    this.forward(s, argv);
  }

  private splitSum(cmd: Command, argv: string[]): void {
    const g = this.group(argv, keyPositions(cmd, argv));
    if (g === null) return;
    if (g.length === 1) { this.forward(g[0]![0], argv); return; }
    const name = argv[0]!;
    this.fanOut(g.map(([s, ps]) => [s, [name, ...ps.map((p) => argv[p]!)]]), (replies) => {
      const err = this.firstError(replies);
      if (err) return err;
      let n = 0;
      for (const r of replies) n += intOf(r) ?? 0;
      return b(intStr(n));
    });
  }

  // -------------------------------------------------------------------------
  // broadcasts

  private broadcast(argv: string[], merge: (replies: Buffer[]) => Buffer): void {
    const live = this.pool.liveServers();
    if (live.length === 0) { this.error(ERR_NO_LIVE_SERVER); return; }
    this.fanOut(live.map((s) => [s, argv]), merge);
  }

  private broadcastFirst(argv: string[]): void {
    this.broadcast(argv, (r) => this.firstError(r) ?? r[0]!);
  }

  private broadcastSum(argv: string[]): void {
    this.broadcast(argv, (r) => {
      const err = this.firstError(r);
      if (err) return err;
      return b(intStr(r.reduce((a, x) => a + (intOf(x) ?? 0), 0)));
    });
  }

  private broadcastConcat(argv: string[]): void {
    this.broadcast(argv, (r) => {
      const err = this.firstError(r);
      if (err) return err;
      const all: Buffer[] = [];
      for (const x of r) all.push(...(elementsOf(x) ?? []));
      return Buffer.concat([b(`*${all.length}\r\n`), ...all]);
    });
  }

  private randomKey(argv: string[]): void {
    const live = this.pool.liveServers();
    if (live.length === 0) { this.error(ERR_NO_LIVE_SERVER); return; }
    const start = Math.floor(Math.random() * live.length);
    const slot = this.slot();
    const tryAt = (k: number): void => {
      this.ask(live[(start + k) % live.length]!, argv, (r) => {
        if (stringOf(r) === null && !isError(r) && k + 1 < live.length) tryAt(k + 1);
        else this.complete(slot, r);
      });
    };
    tryAt(0);
  }

  private script(argv: string[]): void {
    const sub = argv[1]!.toLowerCase();
    if (sub === 'load' || sub === 'flush') return this.broadcastFirst(argv);
    if (sub === 'kill') return this.broadcast(argv, (r) => r.find((x) => !isError(x)) ?? r[0]!);
    if (sub === 'exists') {
      return this.broadcast(argv, (r) => {
        const err = this.firstError(r);
        if (err) return err;
        const lists = r.map((x) => (elementsOf(x) ?? []).map((e) => intOf(e) ?? 0));
        const n = lists[0]!.length;
        let out = `*${n}\r\n`;
        for (let i = 0; i < n; i++) out += intStr(lists.every((l) => l[i] === 1) ? 1 : 0);
        return b(out);
      });
    }
    this.forward(this.pool.anyServer(), argv);
  }

  private functionCmd(argv: string[]): void {
    const sub = argv[1]!.toLowerCase();
    if (sub === 'load' || sub === 'delete' || sub === 'flush' || sub === 'restore') return this.broadcastFirst(argv);
    if (sub === 'kill') return this.broadcast(argv, (r) => r.find((x) => !isError(x)) ?? r[0]!);
    this.forward(this.pool.anyServer(), argv);
  }

  // -------------------------------------------------------------------------
  // SCAN: the cursor carries the server index (cursor = backendCursor * nservers + index)

  private scan(argv: string[]): void {
    const cur = argv[1]!;
    if (!/^[0-9]+$/.test(cur) || cur.length > 40) { this.error('ERR invalid cursor'); return; }
    const servers = this.pool.servers;
    const n = BigInt(servers.length);
    let c = BigInt(cur);
    let idx = Number(c % n);
    let back = c / n;
    // skip ejected servers (their keys are unreachable until they return)
    while (idx < servers.length && servers[idx]!.ejected) { idx++; back = 0n; }
    if (idx >= servers.length) { this.reply(b(`*2\r\n${bulkStr('0')}*0\r\n`)); return; }
    const slot = this.slot();
    const s = servers[idx]!;
    const fwd = [...argv];
    fwd[1] = back.toString();
    this.ask(s, fwd, (r) => {
      if (isError(r)) { this.complete(slot, r); return; }
      const els = elementsOf(r);
      const next = els && els.length === 2 ? stringOf(els[0]!) : null;
      if (els === null || next === null || !/^[0-9]+$/.test(next)) { this.complete(slot, errBuf('ERR unexpected SCAN reply from a server')); return; }
      const nb = BigInt(next);
      if (nb !== 0n) c = nb * n + BigInt(idx);
      else c = idx + 1 < servers.length ? BigInt(idx + 1) : 0n;
      this.complete(slot, Buffer.concat([b(`*2\r\n${bulkStr(c.toString())}`), els[1]!]));
    });
  }

  // -------------------------------------------------------------------------
  // connection commands answered by the proxy

  private ping(argv: string[]): void {
    if (argv.length > 2) { this.error(errArity('ping')); return; }
    if (this.resp === 2 && this.subscribed()) {
      this.reply(`*2\r\n${bulkStr('pong')}${bulkStr(argv[1] ?? '')}`);
      return;
    }
    this.reply(argv.length === 2 ? bulkStr(argv[1]!) : '+PONG\r\n');
  }

  private checkPassword(user: string | undefined, pass: string): string | null {
    const want = this.pool.cfg.redisAuth;
    if (want === undefined) return user === undefined ? ERR_AUTH_NO_PASSWORD : user === 'default' ? null : ERR_WRONGPASS;
    if ((user === undefined || user === 'default') && pass === want) return null;
    return ERR_WRONGPASS;
  }

  private auth(argv: string[]): void {
    if (argv.length > 3) { this.error(ERR_SYNTAX); return; }
    const err = argv.length === 3 ? this.checkPassword(argv[1], argv[2]!) : this.checkPassword(undefined, argv[1]!);
    if (err !== null) { this.error(err); return; }
    this.authed = true;
    this.reply(OK);
  }

  private hello(argv: string[]): void {
    let proto = this.resp;
    let i = 1;
    if (argv.length > 1) {
      const v = argv[1]!;
      if (!/^-?[0-9]+$/.test(v)) { this.error('ERR Protocol version is not an integer or out of range'); return; }
      if (v !== '2' && v !== '3') { this.error('NOPROTO unsupported protocol version'); return; }
      proto = Number(v) as 2 | 3;
      i = 2;
    }
    let setName: string | undefined;
    let authed = this.authed;
    for (; i < argv.length; i++) {
      const opt = argv[i]!.toLowerCase();
      if (opt === 'auth' && i + 2 < argv.length) {
        const err = this.checkPassword(argv[i + 1], argv[i + 2]!);
        if (err !== null) { this.error(err); return; }
        authed = true;
        i += 2;
      } else if (opt === 'setname' && i + 1 < argv.length) {
        setName = argv[++i]!;
        if (!validName(setName)) { this.error('ERR Client names cannot contain spaces, newlines or special characters.'); return; }
      } else {
        this.error(`ERR Syntax error in HELLO option '${argv[i]}'`);
        return;
      }
    }
    if (!authed) {
      this.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
      return;
    }
    this.authed = true;
    this.resp = proto;
    if (setName !== undefined) this.name = setName === '' ? null : setName;
    const fields: [string, string][] = [
      ['server', bulkStr('redis')], ['version', bulkStr('7.0.0')], ['proto', intStr(proto)], ['id', intStr(this.id)],
      ['mode', bulkStr('standalone')], ['role', bulkStr('master')], ['modules', '*0\r\n'],
    ];
    let out = proto === 3 ? `%${fields.length}\r\n` : `*${fields.length * 2}\r\n`;
    for (const [k, v] of fields) out += bulkStr(k) + v;
    this.reply(out);
  }

  private select(argv: string[]): void {
    if (!/^-?[0-9]+$/.test(argv[1]!)) { this.error(ERR_NOT_INTEGER); return; }
    if (Number(argv[1]) !== 0) { this.error(ERR_ONLY_DB0); return; }
    this.reply(OK);
  }

  private client(argv: string[]): void {
    const sub = argv[1]!.toLowerCase();
    switch (sub) {
      case 'setname':
        if (!validName(argv[2]!)) { this.error('ERR Client names cannot contain spaces, newlines or special characters.'); return; }
        this.name = argv[2] === '' ? null : argv[2]!;
        this.reply(OK);
        return;
      case 'getname':
        this.reply(this.name === null ? (this.resp === 3 ? '_\r\n' : '$-1\r\n') : bulkStr(this.name));
        return;
      case 'setinfo': {
        const attr = argv[2]!.toLowerCase();
        if (attr !== 'lib-name' && attr !== 'lib-ver') { this.error(`ERR Unrecognized option '${argv[2]}'`); return; }
        if (!validName(argv[3]!)) { this.error(`ERR ${attr} cannot contain spaces, newlines or special characters.`); return; }
        if (attr === 'lib-name') this.libName = argv[3]!; else this.libVer = argv[3]!;
        this.reply(OK);
        return;
      }
      case 'id':
        this.reply(intStr(this.id));
        return;
      case 'info':
        this.reply(this.resp === 3 ? verbatim(this.clientLine() + '\n') : bulkStr(this.clientLine() + '\n'));
        return;
      case 'list': {
        let s = '';
        for (const c of this.pool.clients) s += c.clientLine() + '\n';
        this.reply(this.resp === 3 ? verbatim(s) : bulkStr(s));
        return;
      }
      default:
        this.error(errUnsupported(`client|${sub}`));
    }
  }

  clientLine(): string {
    const a = this.sock;
    return `id=${this.id} addr=${a.remoteAddress}:${a.remotePort} laddr=${a.localAddress}:${a.localPort} name=${this.name ?? ''} ` +
      `age=${Math.floor((Date.now() - this.createdAt) / 1000)} db=0 sub=${this.channels.size + this.shardChannels.size} psub=${this.patterns.size} ` +
      `multi=${this.multi ? this.multi.cmds.length : -1} resp=${this.resp} lib-name=${this.libName} lib-ver=${this.libVer}`;
  }

  private resetClient(): void {
    this.multi = null;
    this.pin = null;
    this.watching = false;
    for (const c of this.own.values()) c.close();
    this.own.clear();
    this.dropSubscriptions();
    this.resp = 2;
    this.name = null;
    this.authed = this.pool.cfg.redisAuth === undefined;
    this.reply('+RESET\r\n');
  }

  private info(argv: string[]): void {
    const want = new Set(argv.slice(1).map((s) => s.toLowerCase()));
    const all = want.size === 0 || want.has('all') || want.has('everything') || want.has('default');
    const p = this.pool;
    const sections: string[] = [];
    if (all || want.has('server')) {
      sections.push('# Server\r\nredis_version:7.0.0\r\nredis_mode:proxy\r\n' +
        `nodis_proxy_version:${PROXY_VERSION}\r\nprocess_id:${process.pid}\r\ntcp_port:${p.port}\r\n` +
        `uptime_in_seconds:${Math.floor((Date.now() - p.startedAt) / 1000)}\r\n`);
    }
    if (all || want.has('clients')) sections.push(`# Clients\r\nconnected_clients:${p.clients.size}\r\n`);
    if (all || want.has('proxy') || want.has('pool')) {
      let s = `# Proxy\r\npool:${p.name}\r\nhash:${p.cfg.hash}\r\ndistribution:${p.cfg.distribution}\r\n` +
        `hash_tag:${p.cfg.hashTag ?? ''}\r\nauto_eject_hosts:${p.cfg.autoEjectHosts ? 1 : 0}\r\nservers:${p.servers.length}\r\n` +
        `live_servers:${p.liveServers().length}\r\ntotal_connections_received:${p.stats.connectionsReceived}\r\n` +
        `total_commands_processed:${p.stats.commands}\r\nrebalance_in_progress:${p.rebalance ? 1 : 0}\r\n` +
        `rebalance_keys_moved:${p.rebalanceMoved}\r\n` + (p.rebalance ? `rebalance_keys_scanned:${p.rebalance.scanned}\r\n` : '');
      p.servers.forEach((sv, i) => {
        s += `server${i}:name=${sv.name},addr=${sv.addr},weight=${sv.cfg.weight},status=${sv.ejected ? 'ejected' : 'live'},` +
          `failures=${sv.failures},requests=${sv.stats.requests},errors=${sv.stats.errors},ejections=${sv.stats.ejections}\r\n`;
      });
      sections.push(s);
    }
    const finish = (keyspace: string | null): Buffer => {
      const text = [...sections, ...(keyspace !== null ? [keyspace] : [])].join('\r\n');
      return b(this.resp === 3 ? verbatim(text) : bulkStr(text));
    };
    if (!(all || want.has('keyspace'))) { this.reply(finish(null)); return; }
    const live = p.liveServers();
    const db = `db${p.cfg.redisDb}`;
    this.fanOut(live.map((s) => [s, ['INFO', 'keyspace']]), (replies) => {
      let keys = 0, expires = 0, ttlWeighted = 0;
      for (const r of replies) {
        if (isError(r)) continue;
        const text = stringOf(r) ?? '';
        for (const line of text.split('\r\n')) {
          if (!line.startsWith(db + ':')) continue;
          const f = Object.fromEntries(line.slice(db.length + 1).split(',').map((kv) => kv.split('=') as [string, string]));
          keys += Number(f['keys'] ?? 0);
          const e = Number(f['expires'] ?? 0);
          expires += e;
          ttlWeighted += Number(f['avg_ttl'] ?? 0) * e;
        }
      }
      const ks = '# Keyspace\r\n' + (keys > 0 ? `db0:keys=${keys},expires=${expires},avg_ttl=${expires ? Math.round(ttlWeighted / expires) : 0}\r\n` : '');
      return finish(ks);
    });
  }

  // -------------------------------------------------------------------------
  // transactions: queued here, sent as MULTI ... EXEC in one write on a
  // connection of the client's own to the one server every key lives on

  private multiCmd(): void {
    if (this.multi !== null) { this.error('ERR MULTI calls can not be nested'); return; }
    this.multi = { cmds: [], dirty: false };
    this.reply(OK);
  }

  private queueTx(cmd: Command, argv: string[]): void {
    const tx = this.multi!;
    if (cmd.flags.has('no_multi') || cmd.def.name === 'subscribe' || cmd.def.name === 'psubscribe' || cmd.def.name === 'ssubscribe') {
      this.error('ERR Command not allowed inside a transaction');
      tx.dirty = true;
      return;
    }
    const keys = keyPositions(cmd, argv);
    for (const p of keys) {
      const s = this.pool.route(argv[p]!);
      if (s === null) { this.error(ERR_NO_LIVE_SERVER); tx.dirty = true; return; }
      if (this.pin === null) this.pin = s;
      else if (this.pin !== s) { this.error(ERR_CROSSSERVER); tx.dirty = true; return; }
    }
    if (keys.length === 0 && !ANY_SERVER.has(cmd.def.name) && !TX_KEYLESS.has(cmd.def.name)) {
      this.error(errUnsupported(cmd.def.name));
      tx.dirty = true;
      return;
    }
    tx.cmds.push(argv);
    this.reply(QUEUED);
  }

  private endTx(): void {
    this.multi = null;
    this.pin = null;
    this.watching = false;
  }

  private exec(argv: string[]): void {
    const tx = this.multi;
    if (tx === null) { this.error('ERR EXEC without MULTI'); return; }
    const s = this.pin ?? this.pool.anyServer();
    if (tx.dirty) {
      const watched = this.watching ? this.pin : null;
      this.endTx();
      if (watched !== null) this.exclusive(argv, (done) => {
        const slot = this.slot();
        this.ask(watched, ['UNWATCH'], () => { this.complete(slot, errBuf(ERR_EXECABORT)); done(); }, this.ownConn(watched));
      });
      else this.error(ERR_EXECABORT);
      return;
    }
    if (tx.cmds.length === 0 && !this.watching) { this.endTx(); this.reply('*0\r\n'); return; }
    if (s === null) { this.endTx(); this.error(ERR_NO_LIVE_SERVER); return; }
    this.exclusive(argv, (done) => {
      const cmds = tx.cmds;
      this.endTx();
      const slot = this.slot();
      const keys: string[] = [];
      for (const c of cmds) {
        const def = commandTable().lookup(c);
        if (def !== undefined) for (const p of keyPositions(def, c)) keys.push(c[p]!);
      }
      const bytes = Buffer.concat([encodeCommand(['MULTI']), ...cmds.map(encodeCommand), encodeCommand(['EXEC'])]);
      void this.premigrate(keys).then(() => {
        s.stats.requests++;
        this.ownConn(s).send(bytes, cmds.length + 2, (r, e) => {
          this.complete(slot, r ? r[r.length - 1]! : errBuf(e!));
          done();
        });
      });
    });
  }

  private discard(argv: string[]): void {
    if (this.multi === null) { this.error('ERR DISCARD without MULTI'); return; }
    const watched = this.watching ? this.pin : null;
    this.endTx();
    if (watched === null) { this.reply(OK); return; }
    this.exclusive(argv, (done) => {
      const slot = this.slot();
      this.ask(watched, ['UNWATCH'], () => { this.complete(slot, OK); done(); }, this.ownConn(watched));
    });
  }

  private watch(cmd: Command, argv: string[]): void {
    if (this.multi !== null) { this.error('ERR WATCH inside MULTI is not allowed'); return; }
    const s = this.serverFor(cmd, argv);
    if (s === null || s === undefined) return;
    if (this.pin !== null && this.pin !== s) { this.error(ERR_CROSSSERVER); return; }
    this.exclusive(argv, (done) => {
      this.pin = s;
      this.watching = true;
      const slot = this.slot();
      void this.premigrate(argv.slice(1)).then(() => this.ask(s, argv, (r) => { this.complete(slot, r); done(); }, this.ownConn(s)));
    });
  }

  private unwatch(argv: string[]): void {
    const s = this.watching ? this.pin : null;
    this.pin = null;
    this.watching = false;
    if (s === null) { this.reply(OK); return; }
    this.exclusive(argv, (done) => {
      const slot = this.slot();
      this.ask(s, argv, (r) => { this.complete(slot, r); done(); }, this.ownConn(s));
    });
  }

  // -------------------------------------------------------------------------
  // pub/sub: channels (and shard channels) live on the server the ring gives
  // them, patterns on every server; confirmations are composed here with
  // this client's own subscription counts

  private subscribed(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  private subConn(s: Server): BackendConn {
    let c = this.subConns.get(s);
    if (c === undefined || c.closed) {
      c = s.dedicated(this.resp, true);
      c.onPush = (f) => this.push(f);
      c.onClose = (e) => {
        if (this.subConns.get(s) !== c) return;
        this.pool.log(`client ${this.id}: pub/sub connection to ${s.addr} lost (${e}); closing the client`);
        this.closeAfterFlush = true;
        this.scheduleFlush();
      };
      this.subConns.set(s, c);
    }
    return c;
  }

  private confirm(kind: string, name: string | null, count: number): string {
    return `${this.resp === 3 ? '>' : '*'}3\r\n${bulkStr(kind)}${name === null ? (this.resp === 3 ? '_\r\n' : '$-1\r\n') : bulkStr(name)}${intStr(count)}`;
  }

  private subscribe(name: string, argv: string[]): void {
    const names = argv.slice(1);
    const set = name === 'subscribe' ? this.channels : name === 'psubscribe' ? this.patterns : this.shardChannels;
    const targets = new Map<Server, string[]>();
    if (name === 'psubscribe') {
      const live = this.pool.liveServers();
      if (live.length === 0) { this.error(ERR_NO_LIVE_SERVER); return; }
      for (const s of live) targets.set(s, names);
    } else {
      for (const ch of names) {
        const s = this.pool.route(ch);
        if (s === null) { this.error(ERR_NO_LIVE_SERVER); return; }
        let l = targets.get(s);
        if (l === undefined) targets.set(s, (l = []));
        l.push(ch);
      }
    }
    this.exclusive(argv, (done) => {
      const slot = this.slot();
      let left = targets.size;
      let err: string | null = null;
      for (const [s, chs] of targets) {
        this.subConn(s).send(encodeCommand([argv[0]!, ...chs]), chs.length, (r, e) => {
          if (e !== null) err = e;
          else if (r && isError(r[0]!)) err = errorOf(r[0]!);
          if (--left > 0) return;
          if (err !== null) { this.complete(slot, errBuf(err)); done(); return; }
          let out = '';
          for (const ch of names) {
            set.add(ch);
            out += this.confirm(name, ch, name === 'ssubscribe' ? this.shardChannels.size : this.channels.size + this.patterns.size);
          }
          this.complete(slot, b(out));
          done();
        });
      }
    });
  }

  private unsubscribe(name: string, argv: string[]): void {
    const set = name === 'unsubscribe' ? this.channels : name === 'punsubscribe' ? this.patterns : this.shardChannels;
    const kind = name;
    const names = argv.length > 1 ? argv.slice(1) : [...set];
    const count = (): number => (name === 'sunsubscribe' ? this.shardChannels.size : this.channels.size + this.patterns.size);
    if (names.length === 0) { this.reply(this.confirm(kind, null, count())); return; }
    const targets = new Map<Server, string[]>();
    for (const ch of names) {
      if (!set.has(ch)) continue;
      const servers = name === 'punsubscribe' ? [...this.subConns.keys()] : [this.pool.route(ch)];
      for (const s of servers) {
        if (s === null || !this.subConns.has(s)) continue;
        let l = targets.get(s);
        if (l === undefined) targets.set(s, (l = []));
        if (!l.includes(ch)) l.push(ch);
      }
    }
    const finish = (): Buffer => {
      let out = '';
      for (const ch of names) { set.delete(ch); out += this.confirm(kind, ch, count()); }
      return b(out);
    };
    if (targets.size === 0) { this.reply(finish()); return; }
    this.exclusive(argv, (done) => {
      const slot = this.slot();
      let left = targets.size;
      for (const [s, chs] of targets) {
        this.subConn(s).send(encodeCommand([argv[0]!, ...chs]), chs.length, () => {
          if (--left > 0) return;
          this.complete(slot, finish());
          if (!this.subscribed()) this.dropSubscriptions();
          done();
        });
      }
    });
  }

  /** PUBSUB CHANNELS / SHARDCHANNELS (union), NUMSUB / SHARDNUMSUB (summed per channel), NUMPAT over every server */
  private pubsubIntrospection(argv: string[]): void {
    const sub = argv[1]!.toLowerCase();
    // patterns are subscribed on every server: any one server's count is the count (the largest, should one have missed some)
    if (sub === 'numpat') {
      return this.broadcast(argv, (r) => this.firstError(r) ?? b(intStr(Math.max(...r.map((x) => intOf(x) ?? 0)))));
    }
    if (sub === 'channels' || sub === 'shardchannels') {
      return this.broadcast(argv, (r) => {
        const err = this.firstError(r);
        if (err) return err;
        const seen = new Map<string, Buffer>();
        for (const x of r) for (const e of elementsOf(x) ?? []) seen.set(e.toString('latin1'), e);
        return Buffer.concat([b(`*${seen.size}\r\n`), ...seen.values()]);
      });
    }
    if (sub === 'numsub' || sub === 'shardnumsub') {
      return this.broadcast(argv, (r) => {
        const err = this.firstError(r);
        if (err) return err;
        const names = argv.slice(2);
        const counts = names.map(() => 0);
        for (const x of r) {
          const els = elementsOf(x) ?? [];
          for (let i = 0; i + 1 < els.length; i += 2) counts[i / 2] = (counts[i / 2] ?? 0) + (intOf(els[i + 1]!) ?? 0);
        }
        let out = this.resp === 3 ? `%${names.length}\r\n` : `*${names.length * 2}\r\n`;
        names.forEach((n, i) => { out += bulkStr(n) + intStr(counts[i]!); });
        return b(out);
      });
    }
    this.forward(this.pool.anyServer(), argv);
  }

  private dropSubscriptions(): void {
    this.channels.clear();
    this.patterns.clear();
    this.shardChannels.clear();
    const conns = [...this.subConns.values()];
    this.subConns.clear();
    for (const c of conns) c.close();
  }

  // -------------------------------------------------------------------------

  /** stop: the client's own backend connections go at once (a blocked request is abandoned) */
  private release(): void {
    if (this.closed) return;
    this.closed = true;
    const conns = [...this.own.values(), ...this.subConns.values()];
    this.own.clear();
    this.subConns.clear();
    for (const c of conns) c.abort();
  }

  destroy(): void {
    this.release();
    this.sock.destroy();
  }
}

/** requests that go to the new servers without migrating their keys first (see rebalance.ts) */
const NO_PREMIGRATE = new Set(['watch', 'unwatch', 'multi', 'exec', 'discard']);

/** keyless commands allowed inside MULTI (they run on the transaction's server) */
const TX_KEYLESS = new Set(['ping', 'echo', 'time', 'dbsize', 'randomkey', 'publish', 'spublish']);

function validName(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

function verbatim(text: string): string {
  return `=${text.length + 4}\r\ntxt:${text}\r\n`;
}
