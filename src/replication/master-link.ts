/*
 * The replica side: the link to our master (redis/src/replication.c,
 * connectWithMaster / syncWithMaster / readSyncBulkPayload / replicationCron).
 *
 * States, as Redis's repl_state: connect (waiting for the cron to dial),
 * connecting, handshake (PING, AUTH, REPLCONF listening-port / ip-address /
 * capa eof capa psync2, PSYNC), transfer (+FULLRESYNC: the RDB payload, `$<len>`
 * or `$EOF:<mark>`), connected (the master is a Client whose commands run
 * through dispatch with no replies; REPLCONF ACK <offset> every second).
 *
 * Offsets: our stream's offset is the master client's applied offset
 * (reploff): after each command it ran outside MULTI, the bytes of that
 * command are appended to our own history (replication.feedFromMaster), so
 * our replicas and our backlog see the master's stream byte for byte.
 * `read` counts bytes received (slave_read_repl_offset).
 *
 * The payload: with repl-diskless-load disabled it is gathered whole and
 * written to dbfilename (temp file, fsync, rename), then the old data is
 * flushed and the file's bytes load, as Redis's disk-based load. Diskless
 * (swapdb, or on-empty-db on an empty replica) it is parsed as it arrives:
 * swapdb into temporary dbs swapped in only once the whole payload loaded
 * (the old data is served meanwhile, or -LOADING with a new history), so the
 * dataset is never half loaded; on-empty-db into the flushed dbs.
 *
 * After the link drops the history stays ours (replid, offset, db: the
 * "cached master") and the next connection asks PSYNC <replid> <offset+1>.
 */
import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from '../server/server.js';
import type { Client } from '../server/client.js';
import type { Replication } from './index.js';
import { loadFunction, loadRdbFromMaster, replicaFeed } from '../persistence/loading.js';
import { RdbError } from '../persistence/rdb/index.js';
import { Db } from '../keyspace/db.js';
import { killBgsave, saveParams } from '../persistence/snapshot.js';
import { aofOf } from '../persistence/aof/index.js';
import { emptyDbs } from '../commands/generic/flush.js';
import { strerror } from '../server/config-file.js';
import { abortFailover, clearFailover } from './failover.js';
import { clientOptions } from '../server/tls.js';

/**
 * A disk-based transfer (repl-diskless-load disabled) to a replica without
 * keys, parsed as it arrives. Redis writes the payload to the file, then
 * flushes and loads it while clients wait (-LOADING); with no keys to serve
 * meanwhile, the load can run during the transfer instead: the keys go to dbs
 * of their own (never seen half loaded), swapped in where the load would
 * have run, and the file is written all the same. A fresh replica's full sync
 * takes the longer of the two instead of their sum (1M keys: transfer 0.6 s,
 * load 1.2 s). Anything amiss (a parse error, a payload cut short) drops it
 * and the payload loads as usual, which reports the error as Redis does. The
 * lines the load logs for the payload's aux fields wait for the load's place
 * in the log.
 */
class ParseAhead {
  readonly dbs: Db[];
  readonly functions: string[] = [];
  readonly lines: string[] = [];
  private readonly f: ReturnType<typeof replicaFeed>;
  private failed = false;

  constructor(server: Server) {
    this.dbs = server.dbs.map((d) => new Db(d.id, d.hooks));
    this.f = replicaFeed(server, this.dbs, (code) => { this.functions.push(code); }, (line) => { this.lines.push(line); });
  }

  push(b: Buffer): void {
    if (this.failed) return;
    try { this.f.feed.push(b); } catch { this.failed = true; }
  }

  /** The whole payload was pushed (and the EOF mark after it, withMark): true when it parsed to its end. */
  finish(withMark: boolean): boolean {
    if (this.failed) return false;
    try {
      if (withMark) this.f.feed.poke();
      else this.f.feed.end();
    } catch {
      return false;
    }
    return this.f.feed.finished;
  }

  /** "Done loading RDB" and the replication info the payload carried */
  done(): { replid: string; offset: number; db: number } | null { return this.f.done(); }
}

export type LinkState = 'connect' | 'connecting' | 'handshake' | 'transfer' | 'connected';

class Cancelled extends Error {}

/** RESP multibulk of a command (what the replica sends its master). */
function encode(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** Lines and payload bytes read off the handshake socket. */
class Reader {
  private chunks: Buffer[] = [];
  private len = 0;
  private wake: (() => void) | null = null;
  private ended: Error | null = null;
  lastIo = Date.now();
  /** payload mode: every chunk goes here instead */
  sink: ((b: Buffer) => void) | null = null;

  constructor(readonly sock: net.Socket) {
    sock.on('data', this.onData);
    sock.on('close', this.onEnd);
  }

  private readonly onData = (b: Buffer): void => {
    this.lastIo = Date.now();
    if (this.sink !== null) { this.sink(b); return; }
    this.chunks.push(b);
    this.len += b.length;
    const w = this.wake; this.wake = null; w?.();
  };

  private readonly onEnd = (): void => {
    this.ended = new Cancelled('connection closed');
    const w = this.wake; this.wake = null; w?.();
  };

  /** The next line without its \r\n (a bare \n ends one too). */
  async line(): Promise<string> {
    for (;;) {
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = all.length > 0 ? [all] : [];
      const i = all.indexOf(10);
      if (i >= 0) {
        const end = i > 0 && all[i - 1] === 13 ? i - 1 : i;
        const line = all.latin1Slice(0, end);
        const rest = all.subarray(i + 1);
        this.chunks = rest.length > 0 ? [rest] : [];
        this.len = rest.length;
        return line;
      }
      if (this.ended) throw this.ended;
      if (all.length > 64 * 1024) throw new Cancelled('line too long');
      await new Promise<void>((r) => { this.wake = r; });
    }
  }

  /** Switch to payload mode: what was buffered first, then every chunk, go to `sink`. */
  drainTo(sink: (b: Buffer) => void): void {
    this.sink = sink;
    const had = this.chunks;
    this.chunks = [];
    this.len = 0;
    for (const b of had) sink(b);
  }

  /** What was read past the last line (the stream's first bytes after +CONTINUE). */
  takeRest(): Buffer {
    const b = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.len = 0;
    return b;
  }

  detach(): void {
    this.sock.off('data', this.onData);
    this.sock.off('close', this.onEnd);
  }
}

export class MasterLink {
  state: LinkState = 'connect';
  private sock: net.Socket | null = null;
  private reader: Reader | null = null;
  /** the master, once the stream flows */
  client: Client | null = null;
  /** our history can be continued by PSYNC (a cached master) */
  private cached = false;
  private cachedDb = 0;
  /** bytes of the master's stream read (read_reploff) */
  private read = 0;
  /** received but not applied yet (the bytes after the last whole command) */
  private unapplied: Buffer[] = [];
  /** bytes of unapplied[0] already applied */
  private unappliedAt = 0;
  private stopped = false;
  private stateSince = Date.now();
  /** ms the link went down (0: never up) */
  private downSince = 0;
  private lastAck = 0;
  /** the history our last PSYNC asked to continue (null: none) */
  private psyncReplid: string | null = null;
  /** this link is a FAILOVER's: PSYNC carries FAILOVER, and its answer ends (or aborts) the failover */
  failoverPsync = false;
  private transferSize = -1;
  private transferRead = 0;

  constructor(readonly server: Server, readonly repl: Replication, readonly host: string, readonly port: number) {}

  /** there is a history to save (an RDB of a replica records it) */
  get hasHistory(): boolean { return this.client !== null || this.cached; }

  /** replicationGetSlaveOffset: the offset processed from the master (or the cached master), 0 without one */
  get processedOffset(): number { return this.state === 'connected' || this.cached ? this.repl.stream.offset : 0; }

  /** ms of silence from the master (connected) or since the link went down (a cluster failover's data age) */
  dataAgeMs(now: number): number {
    if (this.state === 'connected' && this.client !== null) return Math.floor((now - this.client.lastInteraction) / 1000) * 1000;
    return this.downSince > 0 ? Math.floor((now - this.downSince) / 1000) * 1000 : now;
  }

  /** the db of the master's stream */
  get streamDb(): number { return this.client !== null ? this.client.db.id : this.cachedDb; }

  /** A history to continue (a restarted replica's RDB, or ours when a master turns replica). */
  resumeFrom(replid: string, offset: number, db: number): void {
    this.repl.stream.replid = replid;
    this.repl.stream.offset = offset;
    this.cached = true;
    this.cachedDb = db;
  }

  /** REPLICAOF another master: what the old link could PSYNC with stays valid. */
  inheritCache(old: MasterLink): void {
    this.cached = old.hasHistory;
    this.cachedDb = old.streamDb;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Leave this master: the link closes, nothing reconnects. */
  stop(): void {
    this.stopped = true;
    const c = this.client;
    if (c !== null) c.close();
    this.cancel(false);
  }

  /** cancelReplicationHandshake */
  private cancel(retry = true): void {
    this.reader?.detach();
    this.reader = null;
    if (this.sock !== null && this.client === null) this.sock.destroy();
    this.sock = null;
    if (this.state !== 'connected' || this.client === null) this.setState('connect');
    if (!retry) this.stopped = true;
  }

  private setState(s: LinkState): void {
    this.state = s;
    this.stateSince = Date.now();
  }

  /** ROLE's state names */
  get roleState(): string {
    switch (this.state) {
      case 'connect': return 'connect';
      case 'connecting': return 'connecting';
      case 'handshake': return 'handshake';
      case 'transfer': return 'sync';
      default: return 'connected';
    }
  }

  // ---- connecting and the handshake -------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const log = this.server.log;
    this.setState('connecting');
    this.transferSize = -1;
    this.transferRead = 0;
    // tls-replication: the link is TLS (connCreateTLS), its client certificate and CA from the TLS settings;
    // the handshake done is the event Redis's connect handler waits for
    const secure = this.server.config.bool('tls-replication') && this.server.tls !== null;
    const sock = secure ? tls.connect(clientOptions(this.server.tls!, this.host, this.port)) : net.connect({ host: this.host, port: this.port });
    sock.setNoDelay(!this.server.config.bool('repl-disable-tcp-nodelay'));
    this.sock = sock;
    this.reader = new Reader(sock);
    log.notice('MASTER <-> REPLICA sync started');
    sock.once(secure ? 'secureConnect' : 'connect', () => {
      if (this.sock !== sock) return;
      log.notice('Non blocking connect for SYNC fired the event.');
      this.handshake(sock).catch((e: Error) => {
        if (this.sock !== sock) return;
        if (!(e instanceof Cancelled)) log.warning(`Replication handshake error: ${e.message}`);
        this.cancel();
      });
    });
    sock.on('error', (e) => {
      if (this.sock !== sock || this.client !== null) return;
      log.warning(`Error condition on socket for SYNC: ${strerror(e)}`);
      this.cancel();
    });
    sock.on('close', () => { if (this.sock === sock && this.client === null) this.cancel(); });
  }

  private send(argv: readonly string[]): void { this.sock?.write(encode(argv), 'latin1'); }

  private async handshake(sock: net.Socket): Promise<void> {
    const server = this.server;
    const log = server.log;
    const cfg = server.config;
    const rd = this.reader!;
    this.setState('handshake');
    this.send(['PING']);
    let r = await rd.line();
    if (r.startsWith('-') && !r.startsWith('-NOAUTH') && !r.startsWith('-NOPERM') && !r.startsWith('-ERR operation not permitted')) {
      log.warning(`Error reply to PING from master: '${r}'`);
      throw new Cancelled('ping');
    }
    log.notice('Master replied to PING, replication can continue...');
    const pass = cfg.str('masterauth') ?? '';
    if (pass !== '') {
      const user = cfg.str('masteruser') ?? '';
      this.send(user !== '' ? ['AUTH', user, pass] : ['AUTH', pass]);
      r = await rd.line();
      if (r.startsWith('-')) { log.warning(`Unable to AUTH to MASTER: ${r}`); throw new Cancelled('auth'); }
    }
    const port = cfg.num('replica-announce-port') || (cfg.bool('tls-replication') && server.tlsPort !== 0 ? server.tlsPort : server.port);
    this.send(['REPLCONF', 'listening-port', String(port)]);
    r = await rd.line();
    if (r.startsWith('-')) log.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${r}`);
    const ip = cfg.str('replica-announce-ip') ?? '';
    if (ip !== '') {
      this.send(['REPLCONF', 'ip-address', ip]);
      r = await rd.line();
      if (r.startsWith('-')) log.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${r}`);
    }
    this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    r = await rd.line();
    if (r.startsWith('-')) log.notice(`(Non critical) Master does not understand REPLCONF capa: ${r}`);
    // PSYNC (slaveTryPartialResynchronization)
    const s = this.repl.stream;
    let psyncId = '?';
    let psyncOff = '-1';
    this.psyncReplid = this.cached ? s.replid : null;
    if (this.cached) {
      psyncId = s.replid;
      psyncOff = String(s.offset + 1);
      log.notice(`Trying a partial resynchronization (request ${psyncId}:${psyncOff}).`);
    } else {
      log.notice('Partial resynchronization not possible (no cached master)');
    }
    const failing = this.failoverPsync && this.repl.failover.state === 'failover-in-progress';
    this.send(failing ? ['PSYNC', psyncId, psyncOff, 'FAILOVER'] : ['PSYNC', psyncId, psyncOff]);
    do r = await rd.line(); while (r === '');
    if (failing) {
      if (r.startsWith('+FULLRESYNC') || r.startsWith('+CONTINUE')) clearFailover(server);
      else { abortFailover(server, 'Failover target rejected psync request'); throw new Cancelled('failover'); }
    }
    if (r.startsWith('+FULLRESYNC')) {
      const m = /^\+FULLRESYNC ([0-9a-zA-Z]{40}) (-?\d+)/.exec(r);
      let replid = '';
      let offset = -1;
      if (m === null) log.warning('Master replied with wrong +FULLRESYNC syntax.');
      else { replid = m[1]!; offset = Number(m[2]); log.notice(`Full resync from master: ${replid}:${offset}`); }
      // the cached history is dropped only once the new payload is loaded (replicationAttachToNewMaster)
      await this.transfer(sock, replid, offset);
      return;
    }
    if (r.startsWith('+CONTINUE')) {
      const newId = r.slice(9).trim();
      log.notice('Successful partial resynchronization with master.');
      if (newId.length === 40 && newId !== s.replid) {
        log.warning(`Master replication ID changed to ${newId}`);
        s.replid2 = s.replid;
        s.secondOffset = s.offset + 1;
        s.replid = newId;
        this.repl.disconnectReplicas();
      }
      log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
      if (!s.active) this.repl.createBacklog();
      this.attachMaster(sock, this.cachedDb, rd.takeRest());
      return;
    }
    if (r.startsWith('-NOMASTERLINK') || r.startsWith('-LOADING')) {
      log.notice(`Master is currently unable to PSYNC but should be in the future: ${r}`);
      throw new Cancelled('try later');
    }
    if (!r.startsWith('-ERR')) log.warning(`Unexpected reply to PSYNC from master: ${r}`);
    else log.notice(`Master does not support PSYNC or is in error state (reply: ${r})`);
    log.notice('Retrying with SYNC...');
    this.send(['SYNC']);
    await this.transfer(sock, '', -1);
  }

  /** replicationDiscardCachedMaster */
  private discardCache(): void {
    if (!this.cached) return;
    this.server.log.notice('Discarding previously cached master state.');
    this.cached = false;
  }

  // ---- the RDB payload (readSyncBulkPayload) --------------------------------------------

  private async transfer(sock: net.Socket, replid: string, offset: number): Promise<void> {
    const server = this.server;
    const log = server.log;
    const rd = this.reader!;
    this.setState('transfer');
    let r: string;
    do r = await rd.line(); while (r === '');
    if (r.startsWith('-')) { log.warning(`MASTER aborted replication with an error: ${r.slice(1)}`); throw new Cancelled('aborted'); }
    if (!r.startsWith('$')) {
      log.warning(`Bad protocol from MASTER, the first byte is not '$' (we received '${r}'), are you sure the host and port are right?`);
      throw new Cancelled('bad protocol');
    }
    const mode = server.config.str('repl-diskless-load');
    let keys = 0;
    for (const db of server.dbs) keys += db.size;
    const diskless = mode === 'swapdb' || (mode === 'on-empty-db' && keys === 0);
    let mark: Buffer | null = null;
    let size = -1;
    if (r.startsWith('$EOF:') && r.length >= 45) {
      mark = Buffer.from(r.slice(5, 45), 'latin1');
      this.transferSize = 0;
      log.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${diskless ? 'to parser' : 'to disk'}`);
    } else {
      size = Number(r.slice(1));
      this.transferSize = size;
      log.notice(`MASTER <-> REPLICA sync: receiving ${size} bytes from master ${diskless ? 'to parser' : 'to disk'}`);
    }
    if (diskless) { await this.loadFromSocket(sock, replid, offset, mark, size, mode === 'swapdb'); return; }
    // a replica without keys has nothing to serve meanwhile: the payload is parsed as it arrives (ParseAhead);
    // key-load-delay, the knob that stretches a load for tests, keeps the load after the transfer
    const ahead = keys === 0 && server.config.num('key-load-delay') === 0 ? new ParseAhead(server) : null;
    // the payload goes to a temp file as it arrives (readSyncBulkPayload), then becomes dbfilename
    const dir = server.config.str('dir');
    const tmp = path.join(dir, `temp-${Math.floor(Date.now() / 1000)}.${process.pid}.rdb`);
    let fd: number;
    try {
      fd = fs.openSync(tmp, 'w', 0o644);
    } catch (e) {
      log.warning(`Opening the temp file needed for MASTER <-> REPLICA synchronization: ${strerror(e)}`);
      throw new Cancelled('disk');
    }
    const dropTmp = (): void => {
      try { fs.closeSync(fd); } catch { /* closed */ }
      try { fs.unlinkSync(tmp); } catch { /* gone */ }
    };
    const parts: Buffer[] = [];
    let got = 0;
    let written = 0;
    let payload: Buffer;
    try {
      payload = await new Promise<Buffer>((resolve, reject) => {
        const onClose = (): void => reject(new Cancelled('closed during transfer'));
        sock.once('close', onClose);
        let broken = false;
        const write = (b: Buffer): boolean => {
          if (broken) return false;
          try {
            for (let off = 0; off < b.length;) off += fs.writeSync(fd, b, off, b.length - off);
            written += b.length;
            return true;
          } catch (e) {
            log.warning(`Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: ${strerror(e)}`);
            broken = true;
            sock.off('close', onClose);
            reject(new Cancelled('disk'));
            return false;
          }
        };
        // the last 40 bytes seen (the EOF mark, when it ends the payload), kept without copying the payload
        let tail: Buffer = Buffer.alloc(0);
        rd.drainTo((b) => {
          got += b.length;
          this.transferRead = got;
          if (broken) return;
          if (mark === null) {
            if (got < size) { parts.push(b); if (write(b)) ahead?.push(b); return; }
            const keep = b.length - (got - size);
            const last = b.subarray(0, keep);
            parts.push(last);
            ahead?.push(last);
            // what follows is the stream (a disk-based master sends it at once): kept for the master client
            this.late = [b.subarray(keep)];
            rd.sink = (x) => { this.late.push(x); };
            sock.off('close', onClose);
            sock.pause();
            if (write(last)) resolve(Buffer.concat(parts));
            return;
          }
          parts.push(b);
          if (!write(b)) return;
          ahead?.push(b);
          tail = b.length >= 40 ? b.subarray(b.length - 40) : Buffer.concat([tail, b]).subarray(-40);
          if (got >= 40 && tail.length === 40 && tail.equals(mark)) {
            sock.off('close', onClose);
            sock.pause();
            this.late = [];
            rd.sink = (x) => { this.late.push(x); };
            const all = Buffer.concat(parts);
            resolve(all.subarray(0, all.length - 40));
          }
        });
      });
    } catch (e) {
      dropTmp();
      throw e;
    }
    rd.detach();
    this.reader = null;
    // the load (the payload is whole: nothing is flushed before it is)
    const aofWasOn = this.stopBackgroundJobs();
    try {
      // the EOF mark went to the file with the rest: cut it off
      if (written > payload.length) fs.ftruncateSync(fd, payload.length);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.renameSync(tmp, path.join(dir, server.config.str('dbfilename')));
    } catch (e) {
      log.warning(`Failed trying to rename the temp DB into ${server.config.str('dbfilename')} in MASTER <-> REPLICA synchronization: ${strerror(e)}`);
      dropTmp();
      throw new Cancelled('disk');
    }
    this.attachToNewMaster();
    log.notice('MASTER <-> REPLICA sync: Flushing old data');
    this.flushAll();
    log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    let info: { db: number } | null;
    if (ahead !== null && ahead.finish(mark !== null)) {
      // parsed during the transfer: its keys and libraries take the place of the flushed ones
      log.verbose('MASTER <-> REPLICA sync: the payload was parsed as it arrived (no keys to serve meanwhile)');
      for (const line of ahead.lines) log.notice(line);
      this.installLoaded(ahead.dbs, ahead.functions);
      info = ahead.done();
    } else {
      const stopPings = this.pingWhileLoading(sock);
      const ok = await loadRdbFromMaster(server, payload).finally(stopPings);
      if (!ok) {
        log.warning('Failed trying to load the MASTER synchronization DB from disk, check server logs.');
        this.flushAll();
        throw new Cancelled('load');
      }
      info = server.loadedReplInfo;
      server.loadedReplInfo = null;
    }
    if (saveParams(server).length === 0 && !aofWasOn) {
      log.notice('Removing the RDB file obtained from the master. This replica has persistence disabled');
      try { fs.unlinkSync(path.join(server.config.str('dir'), server.config.str('dbfilename'))); } catch { /* gone */ }
    }
    this.synced(sock, replid, offset, info?.db ?? 0, aofWasOn);
  }

  /**
   * replicationSendNewlineToMaster: while the payload loads, a newline to the
   * master once a second (best effort), which refreshes our ACK time there, so
   * a master with a short repl-timeout does not drop us while we load a big
   * payload (it is online for it from the moment the payload was sent).
   */
  private pingWhileLoading(sock: net.Socket): () => void {
    const t = setInterval(() => { if (!sock.destroyed && sock.writable) sock.write('\n'); }, 1000);
    return () => clearInterval(t);
  }

  /** what arrived after the payload (the start of the stream), for the master client */
  private late: Buffer[] = [];

  /** No AOF or snapshot of a dataset about to be replaced (stopAppendOnly, killRDBChild); true if the AOF was on (synced() restarts it). */
  private stopBackgroundJobs(): boolean {
    const aof = aofOf(this.server);
    const wasOn = aof.state !== 'off';
    if (wasOn) aof.stop();
    killBgsave(this.server);
    return wasOn;
  }

  /** replicationAttachToNewMaster: our cached history, replicas and backlog belong to the old history. */
  private attachToNewMaster(): void {
    this.discardCache();
    this.repl.disconnectReplicas();
    this.repl.stream.free();
  }

  /** A payload loaded aside (swapdb, ParseAhead) takes the place of the flushed data: its dbs' contents, then its libraries. */
  private installLoaded(dbs: readonly Db[], functions: readonly string[]): void {
    const server = this.server;
    for (let i = 0; i < dbs.length; i++) server.dbs[i]!.swapWith(dbs[i]!);
    for (const code of functions) loadFunction(server, code, true);
  }

  /** emptyData of every db and the functions (the replica's own expiries go with them). */
  private flushAll(): void {
    const server = this.server;
    this.repl.localExpires.clear();
    emptyDbs({ server, db: server.dbs[0]! } as unknown as Client, server.dbs);
    server.functionFlush?.();
  }

  /**
   * The diskless load (readSyncBulkPayload with repl-diskless-load swapdb, or
   * on-empty-db on an empty replica): the payload is parsed as it arrives
   * (RdbFeed), never held whole. swapdb loads into temporary dbs while the old
   * data is served (async_loading when the history is the same, -LOADING
   * otherwise) and swaps them in only once the whole payload loaded; a
   * failure discards them and the old data stays. Otherwise the old data is
   * flushed first and a failure leaves the dbs empty, as Redis.
   */
  private async loadFromSocket(sock: net.Socket, replid: string, offset: number, mark: Buffer | null, size: number, swap: boolean): Promise<void> {
    const server = this.server;
    const log = server.log;
    const rd = this.reader!;
    const aofWasOn = this.stopBackgroundJobs();
    const dbs = swap ? server.dbs.map((d) => new Db(d.id, d.hooks)) : server.dbs;
    const functions: string[] = [];
    if (!swap) {
      this.attachToNewMaster();
      log.notice('MASTER <-> REPLICA sync: Flushing old data');
      this.flushAll();
    }
    log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    const { feed, done } = replicaFeed(server, dbs, swap ? (code) => { functions.push(code); } : (code) => loadFunction(server, code, true));
    // swapdb with the same history: the old data is served meanwhile (async_loading, Redis 7.0); otherwise -LOADING
    const asyncLoad = swap && replid !== '' && replid === this.psyncReplid;
    const prog = { start: Date.now(), total: Math.max(0, size), loaded: 0, usedMem: 0 };
    if (asyncLoad) server.persistence.asyncLoading = true;
    else { server.ext.set('loading-progress', prog); server.persistence.loading = true; }
    let got = 0;
    let failure: Error | null = null;
    const stopPings = this.pingWhileLoading(sock);
    try {
      const rest = await new Promise<Buffer>((resolve, reject) => {
        const onClose = (): void => {
          clearTimeout(idle);
          // the socket ended: a record cut short is a short read
          try { feed.end(); } catch (e) { reject(e); return; }
          reject(new Cancelled('closed during transfer'));
        };
        sock.once('close', onClose);
        const finish = (rest: Buffer): void => {
          sock.off('close', onClose);
          sock.pause();
          this.late = [];
          rd.sink = (x) => { this.late.push(x); };
          resolve(rest);
        };
        const failed = (e: unknown): void => { clearTimeout(idle); sock.off('close', onClose); reject(e); };
        /** with the EOF mark, the payload ended once the RDB did and the mark followed */
        const checkMark = (): void => {
          if (!feed.finished) return;
          const after = feed.rest();
          if (after.length < 40) return; // the mark is still coming
          clearTimeout(idle);
          if (!after.subarray(0, 40).equals(mark!)) throw new RdbError('Replication stream EOF marker is broken', false, undefined, true);
          finish(after.subarray(40));
        };
        // a record waits for as many bytes again before it is parsed again; when the sender pauses
        // (the payload's end is only known by parsing it), what is pending is parsed at once
        const idle = setTimeout(() => {
          try { feed.poke(); prog.loaded = feed.offset; if (mark !== null) checkMark(); } catch (e) { failed(e); }
        }, 2);
        rd.drainTo((b) => {
          got += b.length;
          this.transferRead = got;
          idle.refresh();
          let over: Buffer | null = null;
          if (mark === null && got >= size) {
            // the payload ends inside this chunk: what follows is the stream
            const keep = b.length - (got - size);
            over = b.subarray(keep);
            b = b.subarray(0, keep);
          }
          try {
            feed.push(b);
            prog.loaded = feed.offset;
            if (mark !== null) { checkMark(); return; }
            if (over === null) return;
            clearTimeout(idle);
            feed.end();
            const extra = feed.rest();
            finish(extra.length > 0 ? Buffer.concat([extra, over]) : over);
          } catch (e) {
            failed(e);
          }
        });
      });
      this.late.unshift(rest);
    } catch (e) {
      failure = e as Error;
    } finally {
      stopPings();
      if (asyncLoad) server.persistence.asyncLoading = false;
      else server.persistence.loading = false;
    }
    if (failure !== null) {
      const e = failure;
      if (e instanceof RdbError && e.plain) log.warning(e.message);
      else if (e instanceof RdbError) {
        if (e.eof) log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
        // rdbReportError: a short read resumes; Redis exits on a corrupt payload, Nodis drops it and syncs again
        log.warning(`Internal error in RDB reading offset ${feed.offset}, function at rdb.c:0 -> ${e.message}. ${e.eof ? 'Failure loading rdb format from socket, assuming connection error, resuming operation.' : 'Failure loading rdb format'}`);
      }
      if (!(e instanceof Cancelled) || e.message !== 'closed during transfer') {
        log.warning(`Failed trying to load the MASTER synchronization DB from socket: ${e instanceof RdbError && e.eof ? 'Connection reset by peer' : 'Invalid argument'}`);
      }
      if (swap) log.notice('MASTER <-> REPLICA sync: Discarding temporary DB in background');
      else this.flushAll();
      throw e instanceof Cancelled ? e : new Cancelled('load');
    }
    rd.detach();
    this.reader = null;
    const info = done();
    if (swap) {
      // replicationAttachToNewMaster, then swapMainDbWithTempDb: the old data goes as the new comes
      this.attachToNewMaster();
      log.notice('MASTER <-> REPLICA sync: Swapping active DB with loaded DB');
      this.flushAll();
      this.installLoaded(dbs, functions);
      log.notice('MASTER <-> REPLICA sync: Discarding old DB in background');
    }
    server.recorder.dirty++;
    this.synced(sock, replid, offset, info?.db ?? 0, aofWasOn);
  }

  /** The payload loaded: take the master's history and go on with its stream. */
  private synced(sock: net.Socket, replid: string, offset: number, db: number, aofWasOn: boolean): void {
    const s = this.repl.stream;
    s.replid = replid !== '' ? replid : s.replid;
    s.clearId2();
    s.offset = offset >= 0 ? offset : 0;
    this.repl.createBacklog();
    this.cached = offset >= 0;
    const late = this.late;
    this.late = [];
    this.attachMaster(sock, db, late.length === 1 ? late[0]! : Buffer.concat(late));
    this.server.log.notice('MASTER <-> REPLICA sync: Finished with success');
    if (aofWasOn) aofOf(this.server).start();
    // the first ACK at once (a diskless master waits for it to start the stream)
    this.sendAck();
  }

  // ---- the stream ------------------------------------------------------------------------

  /** replicationCreateMasterClient / replicationResurrectCachedMaster */
  private attachMaster(sock: net.Socket, db: number, rest?: Buffer): void {
    const server = this.server;
    this.reader?.detach();
    this.reader = null;
    sock.removeAllListeners('data');
    sock.removeAllListeners('close');
    sock.removeAllListeners('error');
    const c = server.adoptClient(sock);
    c.isMaster = true;
    c.authenticated = true;
    c.user = server.acl.superuser;
    c.name = '';
    c.db = server.dbs[db] ?? server.dbs[0]!;
    this.client = c;
    this.read = this.repl.stream.offset;
    this.appliedTo = this.read;
    this.unapplied = [];
    this.unappliedAt = 0;
    this.setState('connected');
    this.downSince = 0;
    sock.on('data', (b: Buffer) => this.onData(c, b));
    sock.resume();
    if (rest !== undefined && rest.length > 0) this.onData(c, rest);
  }

  private onData(c: Client, b: Buffer): void {
    if (c.closed || this.client !== c) return;
    this.read += b.length;
    this.unapplied.push(b);
    c.onData(b);
    this.applied();
  }

  /**
   * Where the master's stream is applied up to: after each of its commands outside MULTI, the end of its bytes
   * (they are whole, up to where it was parsed, even with commands parsed ahead of it). Copied into our history
   * by applied(), once per read instead of once per command; whatever reads the offset in between (REPLCONF
   * GETACK's answer) copies first.
   */
  private appliedTo = 0;

  /** After a command of our master (the after-call hook). */
  markApplied(): void {
    const c = this.client;
    if (c !== null && !c.inMulti) this.appliedTo = this.read - c.cmdPending;
  }

  /**
   * Copy the applied bytes into our history: up to the last command marked, and after a read (`endOfRead`) at a
   * command boundary outside MULTI, everything read.
   */
  applied(endOfRead = true): void {
    const c = this.client;
    if (c === null) return;
    let upto = this.appliedTo;
    if (endOfRead && !c.inMulti && c.parser.atBoundary) upto = Math.max(upto, this.read - c.parser.pending);
    const s = this.repl.stream;
    let n = upto - s.offset;
    if (n <= 0) return;
    const parts = this.unapplied;
    const repl = this.repl;
    while (n > 0 && parts.length > 0) {
      const b = parts[0]!;
      const at = this.unappliedAt;
      const left = b.length - at;
      if (left <= n) {
        repl.feedFromMaster(b, at, b.length);
        n -= left;
        parts.shift();
        this.unappliedAt = 0;
      } else {
        repl.feedFromMaster(b, at, at + n);
        this.unappliedAt = at + n;
        n = 0;
      }
    }
  }

  /** replicationSendAck: REPLCONF ACK <applied offset> */
  sendAck(): void {
    const c = this.client;
    if (c === null || c.closed) return;
    this.lastAck = Date.now();
    // the commands before this one (GETACK runs inside a read) count
    this.applied(false);
    c.socket.write(encode(['REPLCONF', 'ACK', String(this.repl.stream.offset)]), 'latin1');
  }

  /** The master client went away: cache its history (replicationCacheMaster) and reconnect from the cron. */
  masterClosed(c: Client): void {
    if (this.client !== c) return;
    const log = this.server.log;
    // the commands it ran are in our history before it is cached (the link may close inside a read)
    this.applied(false);
    this.client = null;
    log.notice('Connection with master lost.');
    log.notice('Caching the disconnected master state.');
    this.cached = true;
    this.cachedDb = c.db.id;
    this.unapplied = [];
    this.unappliedAt = 0;
    this.sock = null;
    this.setState('connect');
    this.downSince = Date.now();
    if (!this.stopped) log.notice(`Reconnecting to MASTER ${this.host}:${this.port}`);
  }

  // ---- cron (replicationCron, replica part) -------------------------------------------------

  cron(now: number): void {
    if (this.stopped) return;
    const log = this.server.log;
    const timeout = this.server.config.num('repl-timeout') * 1000;
    if ((this.state === 'connecting' || this.state === 'handshake') && now - this.stateSince > timeout) {
      log.warning('Timeout connecting to the MASTER...');
      this.cancel();
    }
    // (not while the payload loads: Redis's cron does not run during its blocking load either)
    if (this.state === 'transfer' && !this.server.persistence.loading && now - (this.reader?.lastIo ?? this.stateSince) > timeout) {
      log.warning('Timeout receiving bulk data from MASTER... If the problem persists try to set the \'repl-timeout\' parameter in redis.conf to a larger value.');
      this.cancel();
    }
    const c = this.client;
    if (this.state === 'connected' && c !== null && now - c.lastInteraction > timeout) {
      log.warning('MASTER timeout: no data nor PING received...');
      c.close();
      return;
    }
    if (this.state === 'connect' && now - this.stateSince >= 1000) {
      log.notice(`Connecting to MASTER ${this.host}:${this.port}`);
      this.connect();
    }
    if (this.state === 'connected' && now - this.lastAck >= 1000) this.sendAck();
  }

  // ---- INFO ---------------------------------------------------------------------------

  info(): Record<string, string | number> {
    const server = this.server;
    const now = Date.now();
    const c = this.client;
    const off = this.state === 'connected' || this.cached ? this.repl.stream.offset : 1;
    const f: Record<string, string | number> = {
      master_host: this.host, master_port: this.port,
      master_link_status: this.state === 'connected' ? 'up' : 'down',
      master_last_io_seconds_ago: c !== null ? Math.floor((now - c.lastInteraction) / 1000) : -1,
      master_sync_in_progress: this.state === 'transfer' ? 1 : 0,
      slave_read_repl_offset: c !== null ? this.read : off,
      slave_repl_offset: off,
    };
    if (this.state === 'transfer') {
      const total = Math.max(0, this.transferSize);
      f['master_sync_total_bytes'] = this.transferSize;
      f['master_sync_read_bytes'] = this.transferRead;
      f['master_sync_left_bytes'] = this.transferSize - this.transferRead;
      f['master_sync_perc'] = (total > 0 ? (this.transferRead / total) * 100 : 0).toFixed(2);
      f['master_sync_last_io_seconds_ago'] = Math.floor((now - (this.reader?.lastIo ?? now)) / 1000);
    }
    if (this.state !== 'connected') f['master_link_down_since_seconds'] = this.downSince > 0 ? Math.floor((now - this.downSince) / 1000) : -1;
    f['slave_priority'] = server.config.num('replica-priority');
    f['slave_read_only'] = server.config.bool('replica-read-only') ? 1 : 0;
    f['replica_announced'] = server.config.bool('replica-announced') ? 1 : 0;
    return f;
  }
}
