/*
 * Master–replica replication, Redis 7.0's PSYNC2 protocol (redis/src/replication.c).
 *
 * One Replication per Server (server.ext 'replication'), installed by
 * installReplication. It owns:
 *
 * - the stream (stream.ts): replid/replid2, master_repl_offset and the
 *   backlog, fed by the write recorder's propagate hook on a master, and on a
 *   replica by the bytes of its master's stream as they are applied (a
 *   replica proxies that stream verbatim: same replid, same offsets, so its
 *   own replicas and a later promotion continue the same history);
 * - the replicas (this file, the master side of replication.c): each is a
 *   Client that sent SYNC/PSYNC, with a state (wait_bgsave, send_bulk,
 *   online) and a cursor into the stream. Online replicas get new bytes once
 *   per event-loop turn; one waiting for its full sync keeps its cursor at the
 *   snapshot point, and the stream keeps those bytes for it;
 * - the link to our own master (master-link.ts), when REPLICAOF is set.
 *
 * Full sync: the snapshot is the forkless BGSAVE (persistence/snapshot.ts),
 * point-in-time at its start. Disk target: a BGSAVE to dump.rdb, whose file is
 * then sent as `$<len>` + bytes; diskless (repl-diskless-sync, replicas with
 * capa eof): the save's chunks go to the sockets of every replica of that sync
 * between `$EOF:<mark>` and the mark. The stream offset at the snapshot's start
 * is the +FULLRESYNC offset and each replica's cursor, so the writes made
 * while the snapshot is written follow it exactly.
 *
 * Invariants: only a top-level master (masterhost null) feeds commands into
 * the stream; the offset moves only while the backlog exists; a replica's
 * cursor is never below the stream's first live byte; a replica is never sent
 * stream bytes before its RDB ends.
 */
import fs from 'node:fs';
import type { Server } from '../server/server.js';
import type { Client } from '../server/client.js';
import type { Command } from '../commands/registry.js';
import { onResetStats, setInfoFields, setInfoSection } from '../server/info.js';
import { ReplStream, type Chunk } from './stream.js';
import { MasterLink } from './master-link.js';
import { REPLICATION_COMMANDS } from './commands.js';
import { bgsave, currentSave, rdbPath, saveParams, saveToSink, SAVE_EXCLUDE_DATA, SAVE_EXCLUDE_FUNCTIONS, type RdbSink, type SaveJob } from '../persistence/snapshot.js';
import { splitArgs } from '../protocol/parser.js';
import { errIntRange } from '../protocol/errors.js';
import { RdbWriter, type RdbWriterOptions } from '../persistence/rdb/index.js';
import { clientInfoLine } from '../commands/connection/client-info.js';
import { clientsPaused } from '../commands/connection/pause.js';
import { PROPAGATE_REPL } from '../keyspace/writes.js';
import { execNotStale } from '../server/multi.js';
import { noFailover, updateFailover, type FailoverState } from './failover.js';
import { performance } from 'node:perf_hooks';

export type ReplicaState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online' | 'rdb_transmitted';

/** a replica waits for a diskless sync's start this long at most past repl-diskless-sync-delay */
const PING_NEWLINE_MS = 1000;
/** a diskless transfer pauses while a replica's socket holds this much */
const SINK_HIGH_WATER = 16 * 1024 * 1024;
/** an online replica's socket queues this much of the stream at most; the rest waits in the stream's blocks */
const STREAM_HIGH_WATER = 256 * 1024;

export class ReplicaLink {
  state: ReplicaState = 'wait_bgsave_start';
  listeningPort = 0;
  announcedIp: string | null = null;
  capaEof = false;
  capaPsync2 = false;
  /** REPLCONF rdb-only 1: wants the RDB and no stream; closed once it has it (CLIENT_REPL_RDBONLY) */
  rdbOnly = false;
  /** REPLCONF rdb-filter-only: SAVE_EXCLUDE_* (slave_req) */
  req = 0;
  /** came with SYNC (no ACKs expected, no +FULLRESYNC line) */
  preSync = false;
  /** the next stream offset it needs */
  next = 0;
  ackOff = 0;
  /** ms */
  ackTime = Date.now();
  /** the save this replica's full sync waits for */
  job: SaveJob | null = null;
  /**
   * repl_last_partial_write: while a diskless transfer's bytes wait in the
   * socket, when some of them last went out (0: none wait). A replica that
   * reads slowly but reads keeps it fresh; one that reads nothing lets it age
   * past repl-timeout.
   */
  partialSince = 0;
  /** bytes handed to the socket so far, and where its writes stood at the last look (the progress behind partialSince) */
  queuedBytes = 0;
  private progressAtLook = '';
  /** the stream waits for its first REPLCONF ACK (diskless) */
  startStreamOnAck = false;
  /** its socket holds STREAM_HIGH_WATER bytes: the stream waits for 'drain' */
  draining = false;
  /** an RDB file being sent */
  private file: fs.ReadStream | null = null;

  constructor(readonly client: Client) {}

  /** replicationGetSlaveName */
  get name(): string {
    const c = this.client;
    const ip = this.announcedIp ?? c.addr.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    if (this.listeningPort) return ip.includes(':') ? `[${ip}]:${this.listeningPort}` : `${ip}:${this.listeningPort}`;
    return `${ip}:<unknown-replica-port>`;
  }

  get ip(): string { return this.announcedIp ?? this.client.addr.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'); }

  /**
   * Bytes to the replica. `onHandle`: the replication stream once online, on the socket's handle (server/fastio.ts)
   * when the client has it, which keeps the order with what went through the stream before (the RDB payload, whose
   * progress stalled() reads from the stream's counters).
   */
  write(data: Chunk, onHandle = false): void {
    const c = this.client;
    if (c.closed) return;
    c.server.stats.netOutputBytes += data.length;
    this.queuedBytes += data.length;
    if (typeof data === 'string') c.socket.write(data, 'latin1');
    else if (onHandle) c.writeRaw(data);
    else c.socket.write(data);
  }

  /** replicationCron's look at a diskless transfer: true once its bytes went nowhere for longer than timeoutMs. */
  stalled(now: number, timeoutMs: number): boolean {
    const sock = this.client.socket;
    const pending = sock.writableLength;
    if (pending === 0) { this.partialSince = 0; this.progressAtLook = ''; return false; }
    // writableLength drops only when a whole write completes, and Node hands everything queued to one writev:
    // the partial writes show in libuv's write queue (the handle's writeQueueSize) instead
    const inLibuv = (sock as unknown as { _handle?: { writeQueueSize?: number } })._handle?.writeQueueSize ?? 0;
    const progress = `${this.queuedBytes - pending}:${inLibuv}`;
    if (this.partialSince === 0 || progress !== this.progressAtLook) {
      this.partialSince = now;
      this.progressAtLook = progress;
      return false;
    }
    return now - this.partialSince > timeoutMs;
  }

  stopFile(): void { this.file?.destroy(); this.file = null; }

  /** Send dump.rdb as `$<len>\r\n` + bytes, then call done (SEND_BULK). */
  sendFile(path: string, done: () => void, fail: (e: Error) => void): void {
    let size: number;
    try { size = fs.statSync(path).size; } catch (e) { fail(e as Error); return; }
    this.state = 'send_bulk';
    this.write(`$${size}\r\n`);
    const rs = fs.createReadStream(path, { highWaterMark: 1024 * 1024 });
    this.file = rs;
    const sock = this.client.socket;
    let sent = 0;
    const finish = (): void => { if (this.file !== rs) return; this.file = null; if (!this.client.closed) done(); };
    rs.on('data', (b) => {
      if (this.client.closed) { rs.destroy(); return; }
      this.write(b as Buffer);
      sent += b.length;
      // done with the last bytes written, as sendBulkToSlave: the peer may close as soon as it has them
      if (sent >= size) { finish(); return; }
      if (sock.writableLength > SINK_HIGH_WATER) { rs.pause(); sock.once('drain', () => rs.resume()); }
    });
    rs.on('error', (e) => { if (this.file !== rs) return; this.file = null; fail(e); });
    rs.on('end', finish);
  }
}

/** A diskless full sync's sink: the save's chunks go to every replica of the sync (rdbSaveToSlavesSockets). */
class ReplicaSocketsSink implements RdbSink {
  readonly writer: RdbWriter;
  error: Error | null = null;
  onDrain: (() => void) | null = null;
  readonly tmp = '';
  readonly mark: string;

  constructor(readonly links: ReplicaLink[], opts: RdbWriterOptions) {
    this.mark = [...crypto.getRandomValues(new Uint8Array(20))].map((b) => b.toString(16).padStart(2, '0')).join('');
    for (const l of links) l.write(`$EOF:${this.mark}\r\n`);
    this.writer = new RdbWriter((b) => this.push(b), opts);
  }

  private alive(): ReplicaLink[] { return this.links.filter((l) => !l.client.closed); }

  private push(b: Buffer): void {
    const live = this.alive();
    if (live.length === 0) { this.error = new Error('all the replicas of the transfer are gone'); return; }
    const copy = Buffer.from(b); // lent by the writer
    for (const l of live) l.write(copy);
  }

  get backlogged(): boolean {
    for (const l of this.links) {
      if (l.client.closed) continue;
      if (l.client.socket.writableLength > SINK_HIGH_WATER) {
        // the save goes on once this replica took its bytes, or went away (then the others go on)
        const sock = l.client.socket;
        const go = (): void => { sock.off('drain', go); sock.off('close', go); const f = this.onDrain; this.onDrain = null; f?.(); };
        sock.once('drain', go);
        sock.once('close', go);
        return true;
      }
    }
    return false;
  }

  commit(): Promise<void> {
    for (const l of this.alive()) l.write(this.mark);
    return Promise.resolve();
  }

  abort(): void { /* the replicas of a failed transfer are dropped by the job's end */ }
}

interface WaitingAck { c: Client; offset: number; numreplicas: number; timer: NodeJS.Timeout | null }

export class Replication {
  readonly stream = new ReplStream();
  readonly replicas: ReplicaLink[] = [];
  readonly byClient = new Map<Client, ReplicaLink>();
  private linkNow: MasterLink | null = null;
  /** the after-call hook that tracks the applied offset: armed while a master link exists */
  armApplied: (on: boolean) => void = () => {};
  get link(): MasterLink | null { return this.linkNow; }
  set link(l: MasterLink | null) { this.linkNow = l; this.armApplied(l !== null); }
  /** INFO stats */
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;
  /** ms since there are no replicas (repl-backlog-ttl) */
  noReplicasSince = Date.now();
  goodReplicas = 0;
  private flushScheduled = false;
  private getAckWanted = false;
  private waiting: WaitingAck[] = [];
  /** since when a diskless sync waits for more replicas (ms; 0: none pending); the delay is read live, as shouldStartChild */
  private disklessWaitSince = 0;
  private cronTicks = 0;
  private lastNewline = 0;

  constructor(readonly server: Server) {}

  get isReplica(): boolean { return this.server.masterhost !== null; }

  // ---- feeding the stream --------------------------------------------------------

  /** The recorder's propagate hook: a top-level master writes each command into the stream. */
  feed(dbid: number, argv: readonly string[], target: number): void {
    if (this.server.masterhost !== null || !this.stream.active || (target & PROPAGATE_REPL) === 0) return;
    this.stream.feedCommand(dbid, argv);
    const c = this.server.currentClient;
    if (c !== null) c.woff = this.stream.offset;
    // with no replica the end-of-turn flush would only trim the backlog to its size: trim here instead (a few
    // comparisons) and spare the turn its callback (GETACK and failovers schedule their own)
    if (this.replicas.length === 0 && this.failover.state === 'no-failover') this.stream.trim(Infinity);
    else this.scheduleFlush();
  }

  /** Raw bytes of our master's stream (b[start, end)), applied here: proxied into our history (replicationFeedStreamFromMasterStream). */
  feedFromMaster(b: Buffer, start: number, end: number): void {
    if (this.stream.active) this.stream.appendBytes(b, start, end);
    else this.stream.offset += end - start;
    // the flush also trims the backlog to its size (with no replicas of ours, nothing else would)
    if (this.stream.active || this.replicas.length > 0) this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => { this.flushScheduled = false; this.flush(); });
  }

  /** End of a turn: GETACK if a WAIT asked, new bytes to online replicas, the backlog trimmed. */
  flush(): void {
    // not while clients are paused (a failover waits for the acks to reach the offset: GETACK would move it)
    if (this.getAckWanted && !(this.server.pauseUntil > 0 && clientsPaused(this.server))) {
      this.getAckWanted = false;
      if (this.server.masterhost === null && this.stream.active) this.stream.feedCommand(this.stream.selectedDb, ['REPLCONF', 'GETACK', '*']);
    }
    let min = Infinity;
    for (const l of [...this.replicas]) {
      if (l.client.closed) continue;
      if (l.state === 'wait_bgsave_start') continue;
      if (l.state === 'online' && !l.startStreamOnAck) this.sendStream(l);
      // waiting for (or receiving) its RDB: what it will need is held for it, and counts against its limits
      else this.checkOutputLimit(l);
      if (!l.client.closed && l.next < min) min = l.next;
    }
    this.stream.trim(min);
    if (this.failover.state === 'waiting-for-sync') updateFailover(this.server);
  }

  /** The lowest stream offset a replica still needs (Infinity: none). */
  private minCursor(): number {
    let min = Infinity;
    for (const l of this.replicas) {
      if (l.client.closed || l.state === 'wait_bgsave_start' || l.rdbOnly) continue;
      if (l.next < min) min = l.next;
    }
    return min;
  }

  /**
   * Write what the replica still needs, up to STREAM_HIGH_WATER bytes queued on its socket; the rest stays in the
   * stream's shared blocks (its cursor holds them, as Redis's replica holds replBufBlocks) until the socket drains.
   * Then the replica is dropped if its output went over the replica class's limits.
   */
  private sendStream(l: ReplicaLink, all = false): void {
    const s = this.stream;
    if (l.next <= s.offset && (all || !l.draining)) {
      for (const ch of s.readFrom(l.next)) {
        l.write(ch, true);
        l.next += ch.length;
        if (!all && l.client.heldOutput() > STREAM_HIGH_WATER) {
          l.draining = true;
          l.client.whenDrained(() => { l.draining = false; this.scheduleFlush(); });
          break;
        }
      }
    }
    this.checkOutputLimit(l);
  }

  private softSince = new Map<ReplicaLink, number>();

  private checkOutputLimit(l: ReplicaLink): void {
    const [hardConf, soft, secs] = this.server.outputLimits.slave;
    // a hard limit below repl-backlog-size is taken as repl-backlog-size (the replica shares the backlog's memory)
    const hard = hardConf > 0 ? Math.max(hardConf, this.server.config.num('repl-backlog-size')) : 0;
    const c = l.client;
    const pending = c.heldOutput() + Math.max(0, this.stream.offset + 1 - l.next);
    let over = hard > 0 && pending >= hard;
    if (!over && soft > 0 && pending >= soft) {
      const since = this.softSince.get(l);
      if (since === undefined) this.softSince.set(l, Date.now());
      else over = Date.now() - since > secs * 1000;
    } else if (soft > 0) this.softSince.delete(l);
    if (!over) return;
    this.server.log.warning(`Client ${clientInfoLine(c, Date.now())} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.server.stats.clientOutputLimitDisconnections++;
    c.close();
  }

  // ---- SYNC / PSYNC (syncCommand) ----------------------------------------------------

  replicaOf(c: Client): ReplicaLink {
    let l = this.byClient.get(c);
    if (l === undefined) { l = new ReplicaLink(c); this.byClient.set(c, l); }
    return l;
  }

  sync(c: Client, argv: string[]): void {
    const server = this.server;
    const l = this.replicaOf(c);
    if (this.replicas.includes(l)) return; // already a replica: ignored
    const psync = argv[0]!.toLowerCase() === 'psync';
    if (psync && argv.length > 3 && argv[3]!.toLowerCase() === 'failover') {
      // the old master hands over (failoverCommand's PSYNC ... FAILOVER): become a master first
      server.log.warning(`Failover request received for replid ${argv[1]}.`);
      if (server.masterhost === null) { c.error('ERR PSYNC FAILOVER can\'t be sent to a master.'); return; }
      if (argv[1]!.toLowerCase() !== this.stream.replid.toLowerCase()) { c.error('ERR PSYNC FAILOVER replid must match my replid.'); return; }
      unsetMaster(server);
      server.log.notice(`MASTER MODE enabled (failover request from '${clientInfoLine(c, Date.now())}')`);
    }
    if (this.failover.state !== 'no-failover') { c.error('NOMASTERLINK Can\'t SYNC while failing over'); return; }
    if (server.masterhost !== null && this.link?.state !== 'connected') { c.error('NOMASTERLINK Can\'t SYNC while not connected with my master'); return; }
    if (c.outLen > 0) { c.error('ERR SYNC and PSYNC are invalid with pending output'); return; }
    // a filtered RDB goes over the socket only (never to dump.rdb), which needs the EOF capability
    if (l.req !== 0 && !l.capaEof) { c.error('ERR Filtered replica requires EOF capability'); return; }
    server.log.notice(`Replica ${l.name} asks for synchronization`);
    if (psync) {
      const off = argv[2]!;
      if (!/^-?\d+$/.test(off) || !Number.isSafeInteger(Number(off))) {
        c.error('ERR value is not an integer or out of range');
        server.log.warning(`Replica ${l.name} asks for synchronization but with a wrong offset`);
        return;
      }
      if (this.tryPartial(l, argv[1]!, Number(off))) { this.syncPartialOk++; return; }
      if (argv[1] !== '?') this.syncPartialErr++;
    } else {
      l.preSync = true;
    }
    this.syncFull++;
    l.state = 'wait_bgsave_start';
    c.isReplica = true;
    this.replicas.push(l);
    if (this.replicas.length === 1 && !this.stream.active) {
      this.stream.changeId();
      this.stream.clearId2();
      this.createBacklog();
      server.log.notice(`Replication backlog created, my new replication IDs are '${this.stream.replid}' and '${this.stream.replid2}'`);
    }
    const job = currentSave(server);
    if (job !== null && job.counted) {
      // a BGSAVE to disk: attachable when another replica registers the writes since its start
      // (one that only wants the RDB registers no writes: only another rdb-only replica can share its save)
      const other = this.replicas.find((r) => r !== l && r.state === 'wait_bgsave_end' && r.job === job && (!r.rdbOnly || l.rdbOnly));
      if (other !== undefined && job.replOffset >= 0 && l.req === other.req) {
        this.setupFullResync(l, job.replOffset, job);
        server.log.notice('Waiting for end of BGSAVE for SYNC');
      } else {
        server.log.notice('Can\'t attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC');
      }
    } else if (job !== null) {
      server.log.notice('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
    } else if (server.config.bool('repl-diskless-sync') && l.capaEof && server.config.num('repl-diskless-sync-delay') > 0) {
      server.log.notice('Delay next BGSAVE for diskless SYNC');
      if (this.disklessWaitSince === 0) this.disklessWaitSince = Date.now();
    } else if (server.persistence.rewriteInProgress) {
      server.log.notice('No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed');
    } else {
      this.startBgsaveForReplication(l.capaEof, l.req);
    }
  }

  /** masterTryPartialResynchronization */
  private tryPartial(l: ReplicaLink, replid: string, off: number): boolean {
    const s = this.stream;
    const log = this.server.log;
    const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
    if (!same(replid, s.replid) && (!same(replid, s.replid2) || off > s.secondOffset)) {
      if (replid[0] !== '?') {
        if (!same(replid, s.replid) && !same(replid, s.replid2)) {
          log.notice(`Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${s.replid}' and '${s.replid2}')`);
        } else {
          log.notice(`Partial resynchronization not accepted: Requested offset for second ID was ${off}, but I can reply up to ${s.secondOffset}`);
        }
      } else {
        log.notice(`Full resync requested by replica ${l.name}`);
      }
      return false;
    }
    if (!s.active || off < s.backlogStart || off > s.backlogStart + s.histlen) {
      log.notice(`Unable to partial resync with replica ${l.name} for lack of backlog (Replica request was: ${off}).`);
      if (off > s.offset) log.warning(`Warning: replica ${l.name} tried to PSYNC with an offset that is greater than the master replication offset.`);
      return false;
    }
    const c = l.client;
    c.isReplica = true;
    l.state = 'online';
    l.ackTime = Date.now();
    l.startStreamOnAck = false;
    this.replicas.push(l);
    l.write(l.capaPsync2 ? `+CONTINUE ${s.replid}\r\n` : '+CONTINUE\r\n');
    l.next = off;
    const len = s.offset + 1 - off;
    this.sendStream(l);
    log.notice(`Partial resynchronization request from ${l.name} accepted. Sending ${len} bytes of backlog starting from offset ${off}.`);
    this.refreshGoodReplicas();
    return true;
  }

  createBacklog(): void {
    this.stream.backlogSize = this.server.config.num('repl-backlog-size');
    this.stream.create();
  }

  /** replicationSetupSlaveForFullResync: +FULLRESYNC, the cursor at the snapshot's offset, SELECT forced next. */
  private setupFullResync(l: ReplicaLink, offset: number, job: SaveJob): boolean {
    l.state = 'wait_bgsave_end';
    l.job = job;
    l.next = offset + 1;
    this.stream.selectedDb = -1;
    if (!l.preSync) l.write(`+FULLRESYNC ${this.stream.replid} ${offset}\r\n`);
    return true;
  }

  /**
   * startBgsaveForReplication: diskless when configured and every waiting
   * replica can read EOF-marked payloads, or always for a filtered RDB
   * (req); the replicas waiting with other filters wait for the next save.
   */
  private startBgsaveForReplication(allEof: boolean, req = 0): void {
    const server = this.server;
    const waiting = this.replicas.filter((r) => r.state === 'wait_bgsave_start' && !r.client.closed && r.req === req);
    if (waiting.length === 0) return;
    const mincapaEof = allEof && waiting.every((r) => r.capaEof);
    const socket = (server.config.bool('repl-diskless-sync') || req !== 0) && mincapaEof;
    server.log.notice(`Starting BGSAVE for SYNC with target: ${socket ? 'replicas sockets' : 'disk'}`);
    this.disklessWaitSince = 0;
    const offset = this.stream.offset;
    let job: SaveJob | null = null;
    if (socket) {
      const max = server.config.num('repl-diskless-sync-max-replicas');
      const links = waiting;
      // +FULLRESYNC before the payload's $EOF line
      for (const l of links) this.setupFullResync(l, offset, null as unknown as SaveJob);
      job = saveToSink(server, (opts) => new ReplicaSocketsSink(links, opts), req);
      void max;
      if (job !== null) for (const l of links) l.job = job;
    } else {
      if (bgsave(server)) job = currentSave(server);
      if (job !== null) for (const l of waiting) this.setupFullResync(l, offset, job);
    }
    if (job === null) {
      server.log.warning('BGSAVE for replication failed');
      for (const l of waiting) {
        l.state = 'wait_bgsave_start';
        this.dropReplica(l);
        l.client.error('ERR BGSAVE failed, replication can\'t continue');
        l.client.closeAfterReply = true;
        server.queueWrite(l.client);
      }
      return;
    }
    job.replOffset = offset;
    const j = job;
    void job.finished.then((ok) => this.saveDone(j, ok, socket));
  }

  /** updateSlavesWaitingBgsave */
  private saveDone(job: SaveJob, ok: boolean, socket: boolean): void {
    const server = this.server;
    if (socket && ok) {
      // rdbPipeReadHandler at the pipe's end (Nodis: the snapshot was written out to the sockets)
      const up = this.replicas.filter((l) => l.job === job && l.state === 'wait_bgsave_end' && !l.client.closed).length;
      server.log.notice(`Diskless rdb transfer, done reading from pipe, ${up} replicas still up.`);
    }
    for (const l of [...this.replicas]) {
      if (l.job !== job || l.state !== 'wait_bgsave_end') continue;
      if (l.client.closed) continue;
      if (!ok) {
        server.log.warning('SYNC failed. BGSAVE child returned an error');
        l.client.close();
        continue;
      }
      if (socket) {
        server.log.notice(`Streamed RDB transfer with replica ${l.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`);
        l.startStreamOnAck = true;
        if (!this.putOnline(l)) this.closeWhenSent(l);
      } else {
        l.sendFile(rdbPath(server), () => { if (this.putOnline(l)) this.scheduleFlush(); else this.closeWhenSent(l); }, (e) => {
          server.log.warning(`SYNC failed. Can't open/stat DB after BGSAVE: ${e.message}`);
          l.client.close();
        });
      }
    }
    // replicas that arrived meanwhile need the next save
    this.startPendingSync();
  }

  /** Close a replica once what its socket holds is sent (the RDB of an rdb-only one). */
  private closeWhenSent(l: ReplicaLink): void {
    l.client.closeAfterReply = true;
    this.server.queueWrite(l.client);
  }

  /** replicaPutOnline: false for a replica that only wanted the RDB (to be closed once it is sent). */
  private putOnline(l: ReplicaLink): boolean {
    if (l.rdbOnly) {
      l.state = 'rdb_transmitted';
      l.job = null;
      this.server.log.notice(`RDB transfer completed, rdb only replica (${l.name}) should be disconnected asap`);
      return false;
    }
    l.state = 'online';
    l.ackTime = Date.now();
    l.job = null;
    this.refreshGoodReplicas();
    this.server.log.notice(`Synchronization with replica ${l.name} succeeded`);
    return true;
  }

  /** replicationStartPendingFork: a sync waiting for its save starts when nothing else runs (and the diskless delay passed). */
  private startPendingSync(): void {
    const server = this.server;
    const waiting = this.replicas.filter((r) => r.state === 'wait_bgsave_start' && !r.client.closed);
    if (waiting.length === 0) { this.disklessWaitSince = 0; return; }
    if (currentSave(server) !== null || server.persistence.rewriteInProgress) return;
    const diskless = server.config.bool('repl-diskless-sync') && waiting.every((r) => r.capaEof);
    if (diskless && server.config.num('repl-diskless-sync-delay') > 0) {
      const max = server.config.num('repl-diskless-sync-max-replicas');
      if (this.disklessWaitSince === 0) this.disklessWaitSince = Date.now();
      const waited = Date.now() - this.disklessWaitSince >= server.config.num('repl-diskless-sync-delay') * 1000;
      if (!waited && !(max > 0 && waiting.length >= max)) return;
    }
    this.startBgsaveForReplication(waiting[0]!.capaEof && waiting.every((r) => r.capaEof), waiting[0]!.req);
  }

  /** A replica client went away (or is dropped). */
  dropReplica(l: ReplicaLink): void {
    const i = this.replicas.indexOf(l);
    if (i >= 0) this.replicas.splice(i, 1);
    this.byClient.delete(l.client);
    this.softSince.delete(l);
    l.stopFile();
    l.client.isReplica = false;
    if (i >= 0) {
      this.server.log.warning(`Connection with replica ${l.name} lost.`); // freeClient: any replica, whatever its state
      if (this.replicas.length === 0) this.noReplicasSince = Date.now();
      // a diskless transfer whose last replica left stops (killing the child)
      const job = l.job;
      if (job !== null && !job.counted && !this.replicas.some((r) => r.job === job)) {
        this.server.log.warning('Diskless rdb transfer, last replica dropped, killing fork child.');
        job.kill();
      }
      // a disk save no replica waits for any more is not needed, unless save points want it (unlinkClient)
      if (job !== null && job.counted && l.state === 'wait_bgsave_end' && currentSave(this.server) === job &&
          saveParams(this.server).length === 0 && !this.replicas.some((r) => r.state === 'wait_bgsave_end')) {
        job.kill();
      }
      this.refreshGoodReplicas();
      // what only this replica held can go
      this.stream.trim(this.minCursor());
    }
  }

  /** disconnectSlaves: they reconnect and PSYNC (a replid change, a new master). */
  disconnectReplicas(): void {
    for (const l of [...this.replicas]) l.client.close();
  }

  // ---- REPLCONF ------------------------------------------------------------------

  replconf(c: Client, argv: string[]): void {
    if (argv.length % 2 === 0) { c.error('ERR syntax error'); return; }
    const l = this.replicaOf(c);
    for (let j = 1; j < argv.length; j += 2) {
      const opt = argv[j]!.toLowerCase();
      const val = argv[j + 1]!;
      if (opt === 'listening-port') {
        if (!/^-?\d+$/.test(val)) { c.error('ERR value is not an integer or out of range'); return; }
        l.listeningPort = Number(val);
      } else if (opt === 'ip-address') {
        if (val.length >= 46) { c.error(`ERR REPLCONF ip-address provided by replica instance is too long: ${val.length} bytes`); return; }
        l.announcedIp = val;
      } else if (opt === 'capa') {
        const v = val.toLowerCase();
        if (v === 'eof') l.capaEof = true; else if (v === 'psync2') l.capaPsync2 = true;
      } else if (opt === 'ack') {
        if (!this.replicas.includes(l)) return;
        if (!/^-?\d+$/.test(val)) return;
        const off = Number(val);
        if (off > l.ackOff) l.ackOff = off;
        l.ackTime = Date.now();
        if (l.startStreamOnAck && l.state === 'online') { l.startStreamOnAck = false; this.sendStream(l); }
        this.acksChanged();
        return;
      } else if (opt === 'getack') {
        if (this.server.masterhost !== null && this.link !== null) this.link.sendAck();
        return;
      } else if (opt === 'rdb-only') {
        if (!/^-?\d+$/.test(val) || !Number.isSafeInteger(Number(val))) { c.error('ERR value is not an integer or out of range'); return; }
        const v = Number(val);
        if (v < 0 || v > 1) { c.error(errIntRange(0, 1)); return; }
        l.rdbOnly = v === 1;
      } else if (opt === 'rdb-filter-only') {
        // include filters; by default the RDB leaves everything out. Only "functions" exists (Redis 7.0).
        const filters = splitArgs(val);
        if (filters === null) { c.error('ERR Missing rdb-filter-only values'); return; }
        l.req |= SAVE_EXCLUDE_DATA | SAVE_EXCLUDE_FUNCTIONS;
        for (const f of filters) {
          if (f.toLowerCase() === 'functions') l.req &= ~SAVE_EXCLUDE_FUNCTIONS;
          else { c.error(`ERR Unsupported rdb-filter-only option: ${f}`); return; }
        }
      } else {
        c.error(`ERR Unrecognized REPLCONF option: ${argv[j]}`);
        return;
      }
    }
    c.ok();
  }

  // ---- shutdown (server.c isReadyToShutdown, sendGetackToReplicas, finishShutdown) --

  /** Every replica has acknowledged the whole stream. */
  shutdownReady(): boolean {
    for (const l of this.replicas) if (!l.client.closed && l.ackOff !== this.stream.offset) return false;
    return true;
  }

  /** REPLCONF GETACK into the stream now (a shutdown pauses writes right after, which holds flush()'s GETACK). */
  sendGetack(): void {
    if (this.server.masterhost !== null || !this.stream.active || this.replicas.length === 0) return;
    this.stream.feedCommand(this.stream.selectedDb, ['REPLCONF', 'GETACK', '*']);
    this.scheduleFlush();
  }

  /** finishShutdown's report: a line per lagging replica, then how many are in sync. */
  shutdownReport(): void {
    const log = this.server.log;
    let n = 0;
    let lagging = 0;
    const nowSec = Math.floor(Date.now() / 1000);
    for (const l of this.replicas) {
      if (l.client.closed) continue;
      n++;
      if (l.ackOff === this.stream.offset) continue;
      lagging++;
      const lag = l.state === 'online' ? nowSec - Math.floor(l.ackTime / 1000) : 0;
      const state = l.state === 'wait_bgsave_start' || l.state === 'wait_bgsave_end' ? 'wait_bgsave' : l.state;
      log.warning(`Lagging replica ${l.name} reported offset ${this.stream.offset - l.ackOff} behind master, lag=${lag}, state=${state}.`);
    }
    if (n > 0) log.notice(`${n - lagging} of ${n} replicas are in sync when shutting down.`);
  }

  /** flushSlavesOutputBuffers: what online replicas have not been sent goes to their sockets before they close. */
  flushAll(): void {
    for (const l of this.replicas) if (!l.client.closed && l.state === 'online' && !l.startStreamOnAck) this.sendStream(l, true);
  }

  // ---- WAIT, min-replicas ----------------------------------------------------------

  /** replicationCountAcksByOffset */
  countAcks(offset: number): number {
    let n = 0;
    for (const l of this.replicas) if (l.state === 'online' && l.ackOff >= offset) n++;
    return n;
  }

  wait(c: Client, numreplicas: number, timeoutMs: number): void {
    const acked = this.countAcks(c.woff);
    if (acked >= numreplicas || c.inMulti || this.server.nestedCalls > 1) { c.int(acked); return; }
    const w: WaitingAck = { c, offset: c.woff, numreplicas, timer: null };
    c.blocked = true;
    if (timeoutMs > 0) w.timer = setTimeout(() => this.endWait(w), timeoutMs);
    this.waiting.push(w);
    this.getAckWanted = true;
    this.scheduleFlush();
  }

  private endWait(w: WaitingAck): void {
    const i = this.waiting.indexOf(w);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    if (w.timer) clearTimeout(w.timer);
    const c = w.c;
    c.blocked = false;
    if (c.closed) return;
    c.int(this.countAcks(w.offset));
    c.flush();
    queueMicrotask(() => { if (!c.closed && !c.blocked) c.processInput(); });
  }

  /** processClientsWaitingReplicas */
  private acksChanged(): void {
    this.refreshGoodReplicas();
    if (this.failover.state === 'waiting-for-sync') this.scheduleFlush();
    for (const w of [...this.waiting]) if (this.countAcks(w.offset) >= w.numreplicas) this.endWait(w);
  }

  /** CLIENT UNBLOCK of a WAIT: it answers with the acks so far. */
  unblockWait(c: Client): boolean {
    const w = this.waiting.find((x) => x.c === c);
    if (w === undefined) return false;
    this.endWait(w);
    return true;
  }

  refreshGoodReplicas(): void {
    const lag = this.server.config.num('min-replicas-max-lag');
    const now = Date.now();
    let n = 0;
    for (const l of this.replicas) if (l.state === 'online' && (now - l.ackTime) / 1000 <= lag) n++;
    this.goodReplicas = n;
  }

  // ---- cron (replicationCron, once a second) ---------------------------------------------

  cron(now: number): void {
    const server = this.server;
    this.link?.cron(now);
    if (server.masterhost !== null) this.expireLocalKeys();
    // diskless syncs waiting for their delay start here (checked every tick)
    this.startPendingSync();
    if (this.failover.state === 'waiting-for-sync') updateFailover(server);
    if (now - this.lastNewline < PING_NEWLINE_MS) return;
    this.lastNewline = now;
    this.cronTicks++;
    const period = Math.max(1, server.config.num('repl-ping-replica-period'));
    // no PING during a failover with a deadline (it would move the offset the target must reach)
    const failingOver = this.failover.endTime !== 0 && server.pauseUntil > 0 && clientsPaused(server);
    if (this.cronTicks % period === 0 && this.replicas.length > 0 && server.masterhost === null && this.stream.active && !failingOver) {
      this.stream.feedCommand(this.stream.selectedDb, ['PING']);
      this.scheduleFlush();
    }
    const timeoutSec = server.config.num('repl-timeout');
    const timeout = timeoutSec * 1000;
    for (const l of [...this.replicas]) {
      const socketTarget = l.job !== null && !l.job.counted;
      if (l.state === 'wait_bgsave_start' || (l.state === 'wait_bgsave_end' && !socketTarget)) l.write('\n');
      // a diskless replica is online once its payload was handed to the socket, but Redis puts it online only once
      // the bytes were written out: until its first ACK, its silence counts from when its socket emptied
      if (l.state === 'online' && l.startStreamOnAck && l.client.heldOutput() > 0) l.ackTime = now;
      // in whole seconds, as Redis (server.unixtime - repl_ack_time > repl_timeout)
      if (l.state === 'online' && !l.preSync && Math.floor(now / 1000) - Math.floor(l.ackTime / 1000) > timeoutSec) {
        server.log.warning(`Disconnecting timedout replica (streaming sync): ${l.name}`);
        l.client.close();
      }
      // a diskless transfer's replica that takes nothing holds up the others (they share the snapshot)
      if (l.state === 'wait_bgsave_end' && socketTarget && !l.client.closed) {
        if (l.stalled(now, timeout)) {
          server.log.warning(`Disconnecting timedout replica (full sync): ${l.name}`);
          l.client.close();
        }
      }
    }
    const ttl = server.config.num('repl-backlog-ttl');
    if (this.replicas.length === 0 && ttl > 0 && this.stream.active && server.masterhost === null && (now - this.noReplicasSince) / 1000 > ttl) {
      this.stream.changeId();
      this.stream.clearId2();
      this.stream.free();
      server.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
    this.refreshGoodReplicas();
  }

  /**
   * Keys a writable replica's own clients gave a TTL (slaveKeysWithExpire): the
   * master never expires them, so the replica does, from its cron (expireSlaveKeys).
   */
  readonly localExpires = new Map<string, Set<number>>();

  rememberLocalExpire(dbid: number, key: string): void {
    // as Redis's setExpire: only a client's write on a writable replica, never
    // the master's stream nor a load (the RDB of a full sync holds keys with TTLs)
    const c = this.server.currentClient;
    if (c === null || c.isMaster || this.server.persistence.loading || this.server.config.bool('replica-read-only')) return;
    let dbs = this.localExpires.get(key);
    if (dbs === undefined) { dbs = new Set(); this.localExpires.set(key, dbs); }
    dbs.add(dbid);
  }

  /** expireSlaveKeys: at most ~1 ms per tick */
  private expireLocalKeys(): void {
    if (this.localExpires.size === 0) return;
    const server = this.server;
    const end = performance.now() + 1;
    server.setClock(Date.now());
    server.forceLocalExpiry = true;
    try {
      for (const [key, dbs] of this.localExpires) {
        for (const id of [...dbs]) {
          const db = server.dbs[id];
          if (db === undefined || db.getExpire(key) === -1) { dbs.delete(id); continue; }
          if (db.expireIfNeeded(key)) dbs.delete(id);
        }
        if (dbs.size === 0) this.localExpires.delete(key);
        if (performance.now() > end) break;
      }
      server.recorder.flush();
    } finally {
      server.forceLocalExpiry = false;
    }
  }

  /** the coordinated failover (FAILOVER) */
  failover: FailoverState = noFailover();

  /** replicationRequestAckFromSlaves: a REPLCONF GETACK goes out at the end of this turn. */
  requestAcks(): void {
    this.getAckWanted = true;
    this.scheduleFlush();
  }

  // ---- introspection ---------------------------------------------------------------

  /** INFO replication, in Redis's order */
  info(): Record<string, string | number> {
    const server = this.server;
    const s = this.stream;
    const f: Record<string, string | number> = { role: server.masterhost === null ? 'master' : 'slave' };
    if (server.masterhost !== null && this.link !== null) Object.assign(f, this.link.info());
    f['connected_slaves'] = this.replicas.length;
    if (server.config.num('min-replicas-to-write') > 0 && server.config.num('min-replicas-max-lag') > 0) f['min_slaves_good_slaves'] = this.goodReplicas;
    let i = 0;
    const nowSec = Math.floor(Date.now() / 1000);
    for (const l of this.replicas) {
      const state = l.state === 'wait_bgsave_start' || l.state === 'wait_bgsave_end' ? 'wait_bgsave' : l.state;
      const lag = l.state === 'online' ? nowSec - Math.floor(l.ackTime / 1000) : 0;
      f[`slave${i++}`] = `ip=${l.ip},port=${l.listeningPort},state=${state},offset=${l.ackOff},lag=${lag}`;
    }
    Object.assign(f, {
      master_failover_state: this.failover.state,
      master_replid: s.replid, master_replid2: s.replid2, master_repl_offset: s.offset, second_repl_offset: s.secondOffset,
      repl_backlog_active: s.active ? 1 : 0, repl_backlog_size: server.config.num('repl-backlog-size'),
      repl_backlog_first_byte_offset: s.active ? s.backlogStart : 0, repl_backlog_histlen: s.histlen,
    });
    return f;
  }

  /** replicationGetSlaveOffset (cluster: the offset a replica announces and ranks by) */
  replicaOffset(): number { return this.link === null ? 0 : this.link.processedOffset; }

  /** how old a replica's data is, in ms (cluster failover's data_age) */
  masterDataAgeMs(): number { return this.link === null ? Date.now() : this.link.dataAgeMs(Date.now()); }

  /** ROLE */
  role(c: Client): void {
    const server = this.server;
    if (server.masterhost === null) {
      const online = this.replicas.filter((l) => l.state === 'online');
      c.array(3);
      c.bulk('master');
      c.int(this.stream.offset);
      c.array(online.length);
      for (const l of online) {
        c.array(3);
        c.bulk(l.ip);
        c.bulk(String(l.listeningPort));
        c.bulk(String(l.ackOff));
      }
      return;
    }
    const link = this.link!;
    c.array(5);
    c.bulk('slave');
    c.bulk(server.masterhost);
    c.int(server.masterport);
    c.bulk(link.roleState);
    c.int(link.state === 'connected' ? this.stream.offset : -1);
  }

  /** rdbPopulateSaveInfo: what an RDB saved now records of the replication state (null: nothing) */
  saveInfo(): Record<string, string | number> | null {
    const server = this.server;
    let db: number;
    if (server.masterhost === null) {
      if (!this.stream.active) return null;
      db = this.stream.selectedDb === -1 ? 0 : this.stream.selectedDb;
    } else {
      const link = this.link;
      if (link === null || !link.hasHistory) return null;
      db = link.streamDb;
    }
    return { 'repl-stream-db': db, 'repl-id': this.stream.replid, 'repl-offset': this.stream.offset };
  }
}

export function replicationOf(server: Server): Replication {
  let r = server.ext.get('replication') as Replication | undefined;
  if (!r) { r = new Replication(server); server.ext.set('replication', r); }
  return r;
}

const ERR_NOREPLICAS = 'NOREPLICAS Not enough good replicas to write.';
const ERR_MASTERDOWN = 'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to \'no\'.';

/** The dispatch checks that depend on replication's config, set only while they can refuse something. */
export function refreshChecks(server: Server): void {
  const r = replicationOf(server);
  const cfg = server.config;
  server.isReadonlyReplica = server.masterhost !== null && cfg.bool('replica-read-only');
  server.replicaExpireHook = server.masterhost !== null ? (db, key) => r.rememberLocalExpire(db.id, key) : null;
  if (server.masterhost === null) r.localExpires.clear();
  server.minReplicasCheck = cfg.num('min-replicas-to-write') > 0 && cfg.num('min-replicas-max-lag') > 0
    ? (c: Client) => (server.masterhost === null && !c.isMaster && r.goodReplicas < cfg.num('min-replicas-to-write') ? ERR_NOREPLICAS : null)
    : null;
  server.staleCheck = server.masterhost !== null && !cfg.bool('replica-serve-stale-data')
    ? (c: Client, cmd: Command, allowStale: boolean) => (server.masterhost !== null && r.link?.state !== 'connected' && !c.isMaster &&
      (!allowStale || (cmd.fullname === 'exec' && execNotStale(server, c))) ? ERR_MASTERDOWN : null)
    : null;
}

export function installReplication(server: Server): void {
  const r = replicationOf(server);
  server.table.register(REPLICATION_COMMANDS);
  server.recorder.propagateHooks.push((dbid, argv, target) => r.feed(dbid, argv, target));
  server.replicaNewlineHook = (c) => { const l = r.byClient.get(c); if (l !== undefined) l.ackTime = Date.now(); };
  // shouldPropagate: commands bound for replicas only are queued while a backlog exists
  const rec = server.recorder;
  r.stream.onActiveChange = (active) => { rec.targets = active ? rec.targets | PROPAGATE_REPL : rec.targets & ~PROPAGATE_REPL; };
  rec.targets &= ~PROPAGATE_REPL;
  server.rdbSaveInfo = () => r.saveInfo();
  server.clientClosedHooks.push((c) => {
    const l = r.byClient.get(c);
    if (l !== undefined) r.dropReplica(l);
    if (c.isMaster) r.link?.masterClosed(c);
    if (c.blocked) r.unblockWait(c);
  });
  // armed while this server is a replica (a master link exists): the applied offset after each command of the master
  r.armApplied = server.addAfterCallHook((c) => { if (c.isMaster && server.nestedCalls === 0) r.link?.markApplied(); }, r.link !== null);
  server.cronHooks.push((now) => r.cron(now));
  server.configHooks.push((name) => {
    if (name === 'min-replicas-to-write' || name === 'min-replicas-max-lag' || name === 'replica-serve-stale-data' || name === 'replica-read-only') refreshChecks(server);
    if (name === 'repl-backlog-size') { r.stream.backlogSize = server.config.num('repl-backlog-size'); r.stream.trim(Infinity); }
  });
  setInfoSection(server, 'replication', () => r.info());
  setInfoFields(server, 'memory', () => {
    const held = r.stream.heldBytes;
    return { mem_replication_backlog: r.stream.active ? held : 0, mem_total_replication_buffers: held };
  });
  onResetStats(server, () => { r.syncFull = 0; r.syncPartialOk = 0; r.syncPartialErr = 0; });
  setInfoFields(server, 'stats', () => ({ sync_full: r.syncFull, sync_partial_ok: r.syncPartialOk, sync_partial_err: r.syncPartialErr }));
  // start-up load of a master: the backlog exists first, and takes a DEL for each expired key the load skips
  server.startHooks.unshift(() => {
    if (String(server.config.str('replicaof') ?? '').trim() !== '') return;
    r.createBacklog();
    const del = server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL';
    // (the flush trims the backlog to its size: a load that skips many keys fills it past that)
    server.loadExpiredHook = (dbid, key) => { r.stream.feedCommand(dbid, [del, key]); r.scheduleFlush(); };
  });
  // start-up: the history an RDB was saved with, then the replicaof directive
  server.startHooks.push(() => {
    server.loadExpiredHook = null;
    const info = server.loadedReplInfo;
    const conf = String(server.config.str('replicaof') ?? '').trim();
    if (conf !== '') {
      const [host, port] = conf.split(/\s+/);
      r.link = new MasterLink(server, r, host!, Number(port));
      server.masterhost = host!;
      server.masterport = Number(port);
      server.log.role = 'S';
      if (info !== null) r.link.resumeFrom(info.replid, info.offset, info.db);
      refreshChecks(server);
      r.link.start();
    } else if (info !== null) {
      // a master restarted: its old history stays valid as the secondary one (replicas may PSYNC),
      // and the DELs of the keys that expired meanwhile follow it
      r.stream.replid2 = info.replid;
      r.stream.secondOffset = info.offset + 1;
      r.stream.rebase(info.offset);
      r.stream.trim(Infinity);
      r.noReplicasSince = Date.now();
    } else if (r.stream.offset === 0 && r.stream.active) {
      r.stream.free();
    }
  });
  server.shutdownHooks.push(() => { r.link?.stop(); r.disconnectReplicas(); });
  server.shutdown.replicas = {
    ready: () => r.shutdownReady(),
    requestAcks: () => r.sendGetack(),
    report: () => r.shutdownReport(),
    flush: () => r.flushAll(),
  };
  // DEBUG REPLICATE <command ...>: straight into the replicas' stream, not run here
  let debug = server.ext.get('debug-subcommands') as Map<string, (c: Client, argv: string[]) => void> | undefined;
  if (!debug) { debug = new Map(); server.ext.set('debug-subcommands', debug); }
  debug.set('replicate', (c, argv) => {
    if (argv.length < 3) { c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`); return; }
    if (server.masterhost === null && r.stream.active) { r.stream.feedCommand(r.stream.selectedDb, argv.slice(2)); r.scheduleFlush(); }
    c.ok();
  });
  refreshChecks(server);
}

/** REPLICAOF host port: become a replica (replicationSetMaster). */
export function setMaster(server: Server, host: string, port: number, failover = false): void {
  const r = replicationOf(server);
  const wasMaster = server.masterhost === null;
  r.link?.stop();
  server.masterhost = host;
  server.masterport = port;
  server.log.role = 'S'; // serverLogRaw's role character: S while we have a master
  // CONFIG GET / REWRITE replicaof show the current master (getConfigReplicaOfOption)
  server.config.set('replicaof', `${host} ${port}`, true);
  const link = new MasterLink(server, r, host, port);
  link.failoverPsync = failover;
  if (wasMaster) {
    // PSYNC the new master with our own history (replicationCacheMasterUsingMyself)
    link.resumeFrom(r.stream.replid, r.stream.offset, r.stream.selectedDb === -1 ? 0 : r.stream.selectedDb);
  } else if (r.link !== null) {
    link.inheritCache(r.link);
  }
  r.link = link;
  server.blocking.disconnectAll('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)');
  refreshChecks(server);
  server.log.notice(`Connecting to MASTER ${host}:${port}`);
  link.start();
}

/** REPLICAOF NO ONE (replicationUnsetMaster) */
export function unsetMaster(server: Server): void {
  const r = replicationOf(server);
  if (server.masterhost === null) return;
  r.link?.stop();
  r.link = null;
  server.masterhost = null;
  server.masterport = 0;
  server.log.role = 'M';
  server.config.set('replicaof', '', true);
  r.stream.shiftId();
  server.log.warning(`Setting secondary replication ID to ${r.stream.replid2}, valid up to offset: ${r.stream.secondOffset}. New replication ID is ${r.stream.replid}`);
  r.disconnectReplicas();
  r.stream.selectedDb = -1;
  r.noReplicasSince = Date.now();
  if (!r.stream.active) r.createBacklog();
  refreshChecks(server);
}
