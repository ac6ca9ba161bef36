/*
 * The append-only file (Redis 7.0 multi-part AOF, aof.c) for one Server.
 *
 * Feed: every propagated command (recorder.propagateHooks, in order, MULTI/
 * EXEC already wrapped, expiries already absolute) bound for the AOF (target
 * PROPAGATE_AOF: PUBLISH goes to replicas only) is appended to `buf` as a
 * RESP multibulk, preceded by SELECT when the db changes and by "#TS:<unix>"
 * when aof-timestamp-enabled and the second changed.
 *
 * Durability ordering: `buf` must reach the file before any client sees a
 * reply (Redis flushes it in beforeSleep, before handleClientsWithPendingWrites).
 * Nodis gates reply writes (Server.replyGate): while `buf` holds data (or,
 * under `always`, written data is not yet fsynced), a client's reply is held;
 * one setImmediate per event-loop turn writes `buf` (one write(2)), fdatasyncs
 * it under `always`, then releases the held replies. So every client's turn
 * costs one write and at most one fsync, whatever the number of clients.
 * `everysec` fsyncs in the background (libuv thread pool) at most once a second;
 * `no` leaves it to the OS.
 *
 * Files: <dir>/<appenddirname>/<appendfilename>.<seq>.base.{rdb,aof},
 * .<seq>.incr.aof and <appendfilename>.manifest (manifest.ts). BGREWRITEAOF
 * (forkless): flush, open a new incr file (manifest updated atomically), then
 * serialize the dataset as the base at that same instant (rewrite.ts), write it
 * to a temp file asynchronously, fsync, rename into the next base name, turn
 * the older base/incrs into history in the manifest and delete them. The
 * rewrite has a child process standing for Redis's fork child (job-child.ts):
 * its pid names the temp file, and killing it fails the rewrite as in Redis
 * ("terminated by signal N", temp files removed, retried while turning the
 * AOF on). rdb-key-save-delay holds the write back by that many µs per key.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, mkdirSync, openSync, renameSync, statSync, unlink, writeSync, close as fsClose, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import { setInfoFields } from '../../server/info.js';
import { bigArg } from '../../protocol/big-args.js';
import { strerror } from '../../server/config-file.js';
import { Manifest, ManifestError, readManifest, writeManifest, fsyncDir } from './manifest.js';
import { AofLoadError, loadAllSteps, manifestBytes, type LoadAllResult } from './load.js';
import { asyncLoadMinBytes, progressLog, runSliced, runSync } from '../loading.js';
import { emptyDbs } from '../../commands/generic/flush.js';
import type { Handler } from '../../commands/registry.js';
import { serializeBase } from './rewrite.js';
import { JobChild } from '../job-child.js';
import { constants } from 'node:os';
import { PROPAGATE_AOF } from '../../keyspace/writes.js';

const SIGUSR1 = constants.signals.SIGUSR1;

export type AofState = 'off' | 'on' | 'wait_rewrite';

const WRITE_ERROR_LOG_RATE = 30;
/** An argument this long is written from a Buffer of its own (see chunkArg). */
const CHUNK_ARG = 16 * 1024 * 1024;
/** a cell nobody notifies: Atomics.wait on it is a synchronous sleep (usleep) */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class Aof {
  private st: AofState = 'off';
  /** off / on / wait_rewrite; the recorder's PROPAGATE_AOF target follows it (shouldPropagate: nothing is queued for an AOF that is off) */
  get state(): AofState { return this.st; }
  set state(s: AofState) {
    this.st = s;
    const r = this.server.recorder;
    r.targets = s === 'off' ? r.targets & ~PROPAGATE_AOF : r.targets | PROPAGATE_AOF;
  }
  fd = -1;
  /** pending output (Redis's aof_buf): `chunks` (big arguments' bytes and what came before them) then `buf` */
  buf = '';
  private chunks: Buffer[] = [];
  private chunksLen = 0;
  selectedDb = -1;
  manifest = new Manifest();
  private curTimestamp = 0;
  currentSize = 0;
  rewriteBaseSize = 0;
  lastIncrSize = 0;
  lastIncrFsyncOffset = 0;
  lastFsync = 0;
  fsyncInProgress = false;
  private fsyncChain: Promise<void> = Promise.resolve();
  bioFsyncOk = true;
  delayedFsync = 0;
  rewriteInProgress = false;
  rewriteScheduled = false;
  rewriteTimeStart = -1;
  rewriteTimeLast = -1;
  lastBgrewriteOk = true;
  rewrites = 0;
  consecutiveFailures = 0;
  lastWriteOk = true;
  lastWriteError = '';
  private lastWriteErrorLog = 0;
  private rewriteGen = 0;
  /** true while the AOF itself is loading (nothing is fed back into it) */
  loading = false;
  private held = new Set<Client>();
  private releaseScheduled = false;
  private bypassGate = false;

  constructor(readonly server: Server) { this.state = 'off'; }

  get dirName(): string { return join(this.server.config.str('dir'), this.server.config.str('appenddirname')); }
  get prefix(): string { return this.server.config.str('appendfilename'); }
  private get unixtime(): number { return Math.floor(Date.now() / 1000); }

  // ---- feeding ---------------------------------------------------------------

  feed(dbid: number, argv: readonly string[]): void {
    if (this.state === 'off' || this.loading) return;
    if (this.state === 'wait_rewrite' && !this.rewriteInProgress) return;
    let s = this.buf;
    if (this.timestamps) {
      const sec = Math.floor(this.server.now / 1000);
      if (this.curTimestamp < sec) { this.curTimestamp = sec; s += `#TS:${sec}\r\n`; }
    }
    if (dbid !== this.selectedDb) {
      const d = String(dbid);
      s += `*2\r\n$6\r\nSELECT\r\n$${d.length}\r\n${d}\r\n`;
      this.selectedDb = dbid;
    }
    s += '*' + argv.length + '\r\n';
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a.length >= CHUNK_ARG) { s = this.chunkArg(s, a); continue; }
      const big = bigArg(a);
      if (big !== undefined) { s = this.chunkArg(s, big); continue; }
      s += '$' + a.length + '\r\n' + a + '\r\n';
    }
    this.buf = s;
  }

  /**
   * A big argument (past V8's string limit) or a long one: its bytes go out
   * as a Buffer of their own, so the pending string never nears the limit.
   * Copied: the value may change in place before the write. Returns the new `s`.
   */
  private chunkArg(s: string, a: string | Buffer): string {
    s += '$' + a.length + '\r\n';
    this.addChunk(Buffer.from(s, 'latin1'));
    this.addChunk(typeof a === 'string' ? Buffer.from(a, 'latin1') : Buffer.from(a));
    return '\r\n';
  }

  private addChunk(b: Buffer): void { this.chunks.push(b); this.chunksLen += b.length; }

  /** Bytes waiting to be written (aof_buf's length). */
  get pendingBytes(): number { return this.chunksLen + this.buf.length; }

  private clearBuf(): void { this.buf = ''; this.chunks = []; this.chunksLen = 0; }

  /** the running rewrite's child process (job-child.ts) and the rdb-key-save-delay wait before its write */
  private child: JobChild | null = null;
  private delayTimer: NodeJS.Timeout | null = null;
  /** DEBUG AOF-FLUSH-SLEEP: µs slept before each write of the buffer */
  flushSleepUs = 0;

  /** cached config (hot path): appendfsync and aof-timestamp-enabled */
  policy = 'everysec';
  timestamps = false;
  configChanged(): void {
    this.policy = this.server.config.str('appendfsync');
    this.timestamps = this.server.config.bool('aof-timestamp-enabled');
  }

  // ---- reply gate --------------------------------------------------------------

  /** Server.replyGate: true = hold this client's reply until the AOF buffer is written (and synced under always). */
  gate(c: Client): boolean {
    if (this.bypassGate) return false;
    if (this.pendingBytes === 0 && !(this.lastIncrFsyncOffset !== this.lastIncrSize && this.policy === 'always')) return false;
    this.held.add(c);
    if (!this.releaseScheduled) {
      this.releaseScheduled = true;
      setImmediate(() => this.release());
    }
    return true;
  }

  /** Hold replies until the AOF is written; write it once per turn before the queued replies go out. */
  private installGate(): void {
    this.server.replyGate = (c) => this.gate(c);
    this.server.beforeWrites = () => {
      if (this.bypassGate) return;
      if (this.pendingBytes > 0 || (this.lastIncrFsyncOffset !== this.lastIncrSize && this.policy === 'always')) this.flush(false);
    };
  }

  private release(): void {
    this.releaseScheduled = false;
    this.flush(false);
    const held = this.held;
    this.held = new Set();
    this.bypassGate = true;
    try {
      for (const c of held) c.flush();
    } finally {
      this.bypassGate = false;
    }
  }

  // ---- writing -----------------------------------------------------------------

  /** flushAppendOnlyFile: write `buf`, then fsync per policy. */
  flush(force: boolean): void {
    if (this.fd < 0) return;
    const policy = this.policy;
    const now = this.unixtime;
    if (this.pendingBytes === 0) {
      const unsynced = this.lastIncrFsyncOffset !== this.lastIncrSize;
      if (!(unsynced && ((policy === 'everysec' && now > this.lastFsync && !this.fsyncInProgress) || policy === 'always'))) return;
    } else {
      // under everysec the write goes on even while a background fsync runs (Redis postpones it up to 2 s)
      void force;
      if (this.flushSleepUs > 0) Atomics.wait(sleepCell, 0, 0, this.flushSleepUs / 1000);
      const parts = this.chunksLen === 0 ? [Buffer.from(this.buf, 'latin1')] : [...this.chunks, Buffer.from(this.buf, 'latin1')];
      let written = 0;
      try {
        for (const data of parts) {
          let w = 0;
          while (w < data.length) { const n = writeSync(this.fd, data, w, data.length - w); w += n; written += n; }
        }
      } catch (e) {
        this.writeFailed(e as NodeJS.ErrnoException, written);
        return;
      }
      if (!this.lastWriteOk) {
        this.server.log.warning('AOF write error looks solved, Redis can write again.');
        this.lastWriteOk = true;
        this.server.persistence.aofDiskError = this.writeError();
      }
      this.currentSize += written;
      this.lastIncrSize += written;
      this.clearBuf();
    }
    if (this.server.config.bool('no-appendfsync-on-rewrite') && this.rewriteInProgress) return;
    if (policy === 'always') {
      try {
        fdatasyncSync(this.fd);
      } catch (e) {
        this.server.log.warning(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${(e as Error).message}. Exiting...`);
        process.exit(1);
      }
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.lastFsync = now;
    } else if (policy === 'everysec' && now > this.lastFsync) {
      if (!this.fsyncInProgress) {
        this.backgroundFsync(this.fd, false);
        this.lastIncrFsyncOffset = this.lastIncrSize;
      }
      this.lastFsync = now;
    }
  }

  private writeFailed(err: NodeJS.ErrnoException, written: number): void {
    const log = this.server.log;
    const now = this.unixtime;
    const canLog = now - this.lastWriteErrorLog > WRITE_ERROR_LOG_RATE;
    if (canLog) this.lastWriteErrorLog = now;
    if (canLog) log.warning(`Error writing to the AOF file: ${strerror(err)}`);
    this.lastWriteError = strerror(err);
    if (this.policy === 'always') {
      log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      process.exit(1);
    }
    this.lastWriteOk = false;
    this.server.persistence.aofDiskError = this.writeError();
    if (written > 0) {
      this.currentSize += written;
      this.lastIncrSize += written;
      this.dropWritten(written);
    }
  }

  /** The first `n` pending bytes were written (a short write before an error). */
  private dropWritten(n: number): void {
    if (this.chunksLen === 0) { this.buf = this.buf.slice(n); return; }
    const rest: Buffer[] = [];
    for (const b of [...this.chunks, Buffer.from(this.buf, 'latin1')]) {
      if (n >= b.length) { n -= b.length; continue; }
      rest.push(n > 0 ? b.subarray(n) : b);
      n = 0;
    }
    this.clearBuf();
    for (const b of rest) this.addChunk(b);
  }

  /** fdatasync on the thread pool; fsyncs (and closes) on one fd are chained, never concurrent. */
  private backgroundFsync(fd: number, closeAfter: boolean): void {
    this.fsyncInProgress = true;
    this.fsyncChain = this.fsyncChain.then(() => new Promise<void>((resolve) => {
      fdatasync(fd, (err) => {
        if (err) {
          this.bioFsyncOk = false;
          this.lastWriteError = strerror(err);
          this.server.log.warning(`Fail to fsync the AOF file: ${strerror(err)}`);
        } else {
          this.bioFsyncOk = true;
        }
        this.server.persistence.aofDiskError = this.writeError();
        if (closeAfter) fsClose(fd, () => resolve()); else resolve();
        if (fd === this.fd || closeAfter) this.fsyncInProgress = false;
      });
    }));
  }

  /** A write error (everysec/no) refuses writes with MISCONF until it clears; null when fine. */
  writeError(): string | null {
    if (this.state === 'off' || (this.lastWriteOk && this.bioFsyncOk)) return null;
    return `MISCONF Errors writing to the AOF file: ${this.lastWriteError || 'fsync error'}`;
  }

  // ---- incr files and rewrite --------------------------------------------------

  /** openNewIncrAofForAppend */
  private openNewIncr(): boolean {
    if (this.state === 'off') return true;
    const dir = this.dirName;
    let temp: Manifest | null = null;
    let name: string;
    if (this.state === 'wait_rewrite') {
      name = `temp-${this.prefix}.incr`;
    } else {
      temp = this.manifest.clone();
      name = temp.newIncr(this.prefix);
    }
    let fd = -1;
    try {
      fd = openSync(join(dir, name), 'w', 0o644);
      if (temp) writeManifest(dir, this.prefix, temp);
    } catch (e) {
      this.server.log.warning(`Can't open the append-only file ${name}: ${(e as Error).message}`);
      if (fd >= 0) closeSync(fd);
      return false;
    }
    this.server.log.notice(`Creating AOF incr file ${name} on background rewrite`);
    if (this.fd >= 0) {
      this.backgroundFsync(this.fd, true);
      this.lastFsync = this.unixtime;
    }
    this.fd = fd;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    if (temp) this.manifest = temp;
    return true;
  }

  /** rewriteAppendOnlyFileBackground: false if it could not start. */
  rewriteBackground(): boolean {
    if (this.rewriteInProgress) return false;
    const log = this.server.log;
    const dir = this.dirName;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      log.warning(`Can't open or create append-only dir ${dir}: ${(e as Error).message}`);
      this.lastBgrewriteOk = false;
      return false;
    }
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncr()) { this.lastBgrewriteOk = false; return false; }
    this.rewrites++;
    const gen = ++this.rewriteGen;
    const rdb = this.server.config.bool('aof-use-rdb-preamble');
    let chunks: Buffer[];
    try {
      chunks = serializeBase(this.server, rdb, this.server.config.bool('aof-timestamp-enabled'));
    } catch (e) {
      log.warning(`Background AOF rewrite could not serialize the dataset: ${(e as Error).message}`);
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      if (this.state === 'wait_rewrite') this.rewriteScheduled = true;
      return false;
    }
    const child = new JobChild(this.server, (code, signal) => { if (gen === this.rewriteGen) this.rewriteChildDied(code, signal, tmp); });
    this.child = child;
    log.notice(`Background append only file rewriting started by pid ${child.pid}`);
    this.rewriteInProgress = true;
    this.server.persistence.rewriteInProgress = true;
    this.rewriteScheduled = false;
    this.rewriteTimeStart = this.unixtime;
    const tmp = join(this.server.config.str('dir'), `temp-rewriteaof-bg-${child.pid}.aof`);
    const write = (): void => {
      this.delayTimer = null;
      void writeFileDurably(tmp, chunks).then(
        () => { if (gen === this.rewriteGen) this.rewriteDone(true, tmp, rdb); else unlink(tmp, () => {}); },
        (e: Error) => {
          if (gen !== this.rewriteGen) { unlink(tmp, () => {}); return; }
          log.warning(`Write error writing append only file on disk: ${e.message}`);
          this.rewriteDone(false, tmp, rdb);
        },
      );
    };
    // rdb-key-save-delay (a testing knob: µs per key written, as Redis's child sleeps per key): the write waits that long
    const delayUs = this.server.config.num('rdb-key-save-delay');
    const keys = delayUs > 0 ? this.server.dbs.reduce((n, db) => n + db.size, 0) : 0;
    if (keys > 0) {
      this.delayTimer = setTimeout(write, Math.min(2 ** 31 - 1, Math.ceil((keys * delayUs) / 1000)));
      this.delayTimer.unref();
    } else {
      write();
    }
    return true;
  }

  /**
   * The rewrite's child died before the rewrite ended (backgroundRewriteDoneHandler's
   * failure branches): an error unless SIGUSR1; the temp files go and, while
   * waiting to turn the AOF on, the next rewrite is scheduled.
   */
  private rewriteChildDied(code: number, signal: number, tmp: string): void {
    const log = this.server.log;
    this.rewriteGen++;
    if (this.delayTimer) { clearTimeout(this.delayTimer); this.delayTimer = null; }
    this.child = null;
    if (signal === 0) {
      void code;
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      log.warning('Background AOF rewrite terminated with error');
    } else {
      if (signal !== SIGUSR1) { this.lastBgrewriteOk = false; this.consecutiveFailures++; }
      log.warning(`Background AOF rewrite terminated by signal ${signal}`);
    }
    this.rewriteCleanup(tmp);
  }

  /** backgroundRewriteDoneHandler */
  private rewriteDone(ok: boolean, tmp: string, rdb: boolean): void {
    const log = this.server.log;
    const dir = this.dirName;
    if (ok) {
      log.notice('Background AOF rewrite terminated with success');
      const temp = this.manifest.clone();
      const baseName = temp.newBase(this.prefix, rdb);
      const basePath = join(dir, baseName);
      let incrPath: string | null = null;
      try {
        renameSync(tmp, basePath);
        log.notice(`Successfully renamed the temporary AOF base file ${tmp.slice(tmp.lastIndexOf('/') + 1)} into ${baseName}`);
        if (this.state === 'wait_rewrite') {
          const tempIncr = `temp-${this.prefix}.incr`;
          const incrName = temp.newIncr(this.prefix);
          incrPath = join(dir, incrName);
          renameSync(join(dir, tempIncr), incrPath);
          log.notice(`Successfully renamed the temporary AOF incr file ${tempIncr} into ${incrName}`);
        }
        temp.markRewrittenIncrsAsHistory(this.fd >= 0);
        writeManifest(dir, this.prefix, temp);
      } catch (e) {
        log.warning(`Error finishing the AOF rewrite: ${(e as Error).message}`);
        unlink(basePath, () => {});
        if (incrPath) unlink(incrPath, () => {});
        this.lastBgrewriteOk = false;
        this.consecutiveFailures++;
        this.rewriteCleanup(tmp);
        return;
      }
      this.manifest = temp;
      if (this.state !== 'off') {
        this.currentSize = statSync(basePath).size + this.lastIncrSize;
        this.rewriteBaseSize = this.currentSize;
      }
      this.deleteHistory();
      this.lastBgrewriteOk = true;
      this.consecutiveFailures = 0;
      log.notice('Background AOF rewrite finished successfully');
      if (this.state === 'wait_rewrite') this.state = 'on';
    } else {
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      log.warning('Background AOF rewrite terminated with error');
    }
    this.rewriteCleanup(tmp);
  }

  private rewriteCleanup(tmp: string): void {
    this.child?.stop();
    this.child = null;
    unlink(tmp, () => {});
    if (this.state === 'wait_rewrite') {
      this.clearBuf();
      const t = `temp-${this.prefix}.incr`;
      this.server.log.notice(`Removing the temp incr aof file ${t} in the background`);
      unlink(join(this.dirName, t), () => {});
      this.rewriteScheduled = true;
    }
    this.rewriteTimeLast = this.rewriteTimeStart >= 0 ? this.unixtime - this.rewriteTimeStart : -1;
    this.rewriteTimeStart = -1;
    this.rewriteInProgress = false;
    this.server.persistence.rewriteInProgress = false;
  }

  /** aofDelHistoryFiles (after a rewrite, and when aof-disable-auto-gc is set to no) */
  deleteHistory(): void {
    if (this.server.config.bool('aof-disable-auto-gc') || this.manifest.history.length === 0) return;
    for (const h of this.manifest.history) {
      this.server.log.notice(`Removing the history file ${h.name} in the background`);
      unlink(join(this.dirName, h.name), () => {});
    }
    this.manifest.history = [];
    try { writeManifest(this.dirName, this.prefix, this.manifest); } catch (e) {
      this.server.log.warning(`Can't persist the AOF manifest: ${(e as Error).message}`);
    }
  }

  /** Abandon a running rewrite (AOF turned off, shutdown): its result is ignored. */
  private killRewrite(): void {
    if (!this.rewriteInProgress) return;
    const pid = this.child?.pid ?? process.pid;
    this.server.log.notice(`Killing running AOF rewrite child: ${pid}`);
    this.rewriteGen++;
    this.child?.stop();
    this.child = null;
    if (this.delayTimer) { clearTimeout(this.delayTimer); this.delayTimer = null; }
    unlink(join(this.server.config.str('dir'), `temp-rewriteaof-bg-${pid}.aof`), () => {});
    this.rewriteInProgress = false;
    this.server.persistence.rewriteInProgress = false;
    this.rewriteTimeStart = -1;
  }

  // ---- on / off ------------------------------------------------------------------

  /** startAppendOnly (CONFIG SET appendonly yes): false if the rewrite could not start. */
  start(): boolean {
    this.state = 'wait_rewrite';
    if (this.server.persistence.bgsaveInProgress) {
      this.rewriteScheduled = true;
      this.server.log.warning('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (this.inExec()) {
      this.rewriteScheduled = true;
      this.server.log.warning('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (this.rewriteInProgress) {
        this.server.log.warning('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killRewrite();
      }
      if (!this.rewriteBackground()) {
        this.state = 'off';
        this.server.log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
        return false;
      }
    }
    this.installGate();
    this.lastFsync = this.unixtime;
    if (!this.bioFsyncOk) { this.server.log.warning('AOF reopen, just ignore the AOF fsync error in bio job'); this.bioFsyncOk = true; }
    if (!this.lastWriteOk) { this.server.log.warning('AOF reopen, just ignore the last error.'); this.lastWriteOk = true; }
    return true;
  }

  /** a command running inside EXEC (call() nests: EXEC is level 1, its commands level 2) */
  inExec(): boolean { return this.server.nestedCalls > 1; }

  /** stopAppendOnly (CONFIG SET appendonly no, shutdown). */
  stop(): void {
    if (this.state === 'off') return;
    this.flush(true);
    if (this.fd >= 0) {
      try { fdatasyncSync(this.fd); this.lastFsync = this.unixtime; } catch (e) {
        this.server.log.warning(`Fail to fsync the AOF file: ${(e as Error).message}`);
      }
      const fd = this.fd;
      this.fd = -1;
      this.fsyncChain = this.fsyncChain.then(() => new Promise<void>((r) => fsClose(fd, () => r())));
    }
    this.selectedDb = -1;
    this.state = 'off';
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.killRewrite();
    this.clearBuf();
    this.server.replyGate = null;
    this.server.beforeWrites = null;
    const held = this.held;
    this.held = new Set();
    for (const c of held) c.flush();
  }

  // ---- start-up --------------------------------------------------------------------

  /**
   * loadDataFromDisk (AOF part) + aofOpenIfNeededOnServerStart. Throws
   * AofLoadError to stop start-up. A big AOF loads in slices after listening
   * (clients get -LOADING meanwhile).
   */
  async startup(): Promise<void> {
    const server = this.server;
    this.configChanged();
    const log = server.log;
    if (!server.config.bool('appendonly')) return;
    server.persistence.aofWillLoad = true;
    this.state = 'on';
    const dir = this.dirName;
    const mpath = join(dir, `${this.prefix}.manifest`);
    if (existsSync(mpath)) {
      try {
        this.manifest = readManifest(mpath);
      } catch (e) {
        if (e instanceof ManifestError) {
          log.warning('\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
          if (e.line !== null) { log.warning(`Reading the manifest file, at line ${e.lineno}\n`); log.warning(`>>> '${e.line}'\n`); }
          log.warning(`${e.message}\n`);
          throw new AofLoadError(`Bad AOF manifest ${mpath}${e.lineno ? ` at line ${e.lineno}` : ''}: ${e.message}`);
        }
        log.warning(`Fatal error: can't open the AOF manifest file ${mpath} for reading: ${(e as Error).message}`);
        throw new AofLoadError(`Can't read the AOF manifest ${mpath}: ${(e as Error).message}`);
      }
    }
    this.upgradeOldStyle();
    const t0 = Date.now();
    this.loading = true;
    const wasLoading = server.ext.get('loading');
    server.ext.set('loading', true);
    server.persistence.loading = true;
    try {
      const total = manifestBytes(dir, this.manifest) ?? 0;
      const prog = { start: t0, total, loaded: 0, usedMem: 0 };
      server.ext.set('loading-progress', prog);
      const logProgress = progressLog(server, total);
      const steps = loadAllSteps(server, dir, this.manifest, (loaded) => { prog.loaded = loaded; logProgress(loaded); });
      let r: LoadAllResult;
      if (total >= asyncLoadMinBytes(server)) {
        if (!server.listening) await server.listen();
        server.persistence.scriptsMayYield = true;
        try { r = await runSliced(steps); } finally { server.persistence.scriptsMayYield = false; }
      } else {
        r = runSync(steps);
      }
      if (r.result === 'ok') {
        this.currentSize = r.total;
        this.rewriteBaseSize = r.base;
        log.notice(`DB loaded from append only file: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
      }
    } finally {
      this.loading = false;
      server.ext.set('loading', wasLoading ?? false);
      server.persistence.loading = false;
    }
    this.openOnStart();
    this.installGate();
  }

  /**
   * DEBUG LOADAOF: write the AOF buffer, empty the dataset and load the AOF
   * again, then reply to c. Like Redis, a failed load ends the process. Run
   * from a client's own command, the load goes in slices with the caller
   * blocked and other clients answered -LOADING (Redis serves events while
   * it loads, processEventsWhileBlocked), so a slow script in the AOF does
   * not stop the server answering; inside MULTI or a script, in one go.
   */
  debugLoadAof(c: Client): void {
    const server = this.server;
    if (this.state === 'on') this.flush(true);
    emptyDbs(c, server.dbs);
    const mpath = join(this.dirName, `${this.prefix}.manifest`);
    if (existsSync(mpath)) this.manifest = readManifest(mpath);
    this.loading = true;
    server.persistence.loading = true;
    const steps = loadAllSteps(server, this.dirName, this.manifest);
    const done = (r: LoadAllResult | null): void => {
      this.loading = false;
      server.persistence.loading = false;
      const ok = r !== null && (r.result === 'ok' || r.result === 'empty' || r.result === 'not_exist');
      if (!ok) {
        server.log.warning('Failed loading the AOF by DEBUG LOADAOF: exiting.');
        if (server.onExit) server.onExit(1);
        else throw new Error('DEBUG LOADAOF failed');
        return;
      }
      server.recorder.dirty = 0; // nothing to propagate
      server.log.warning('Append Only File loaded by DEBUG LOADAOF');
      if (!server.closed) c.ok();
    };
    const fail = (e: unknown): null => { server.log.warning(`DEBUG LOADAOF: ${(e as Error).message}`); return null; };
    if (server.nestedCalls > 1 || c.inMulti || c.isScript) {
      let r: LoadAllResult | null;
      try { r = runSync(steps); } catch (e) { r = fail(e); }
      done(r);
      return;
    }
    c.blocked = true;
    server.persistence.scriptsMayYield = true;
    // from the next turn: the replayed commands run at the top level, not nested in DEBUG's call
    void new Promise<void>((r) => setImmediate(r)).then(() => runSliced(steps)).catch(fail).then((r) => {
      server.persistence.scriptsMayYield = false;
      c.blocked = false;
      try { done(r); } catch (e) { server.log.warning((e as Error).message); return; }
      if (c.closed) return;
      c.flush();
      queueMicrotask(() => { if (!c.closed && !c.blocked) c.processInput(); });
    });
  }

  /** aofUpgradePrepare: an old single appendonly.aof in dir moves into the AOF directory as the base. */
  private upgradeOldStyle(): void {
    const old = join(this.server.config.str('dir'), this.prefix);
    if (!existsSync(old)) return;
    const am = this.manifest;
    const dir = this.dirName;
    const upgrade = !existsSync(dir) || (am.base === null && am.incrs.length === 0)
      || (am.base !== null && am.incrs.length === 0 && am.base.name === this.prefix && !existsSync(join(dir, this.prefix)));
    if (!upgrade) return;
    mkdirSync(dir, { recursive: true });
    am.base = { name: this.prefix, seq: 1, type: 'b' };
    am.baseSeq = 1;
    writeManifest(dir, this.prefix, am);
    renameSync(old, join(dir, this.prefix));
    this.server.log.notice(`Successfully migrated an old-style AOF file (${this.prefix}) into the AOF directory (${this.server.config.str('appenddirname')}).`);
  }

  /** aofOpenIfNeededOnServerStart */
  private openOnStart(): void {
    const dir = this.dirName;
    const log = this.server.log;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      log.warning(`Can't open or create append-only dir ${dir}: ${(e as Error).message}`);
      throw new AofLoadError(`Can't open or create append-only dir ${dir}`);
    }
    const am = this.manifest;
    const hadIncr = am.incrs.length > 0;
    if (am.base === null && !hadIncr) {
      const rdb = this.server.config.bool('aof-use-rdb-preamble');
      const name = am.newBase(this.prefix, rdb);
      writeFileDurablySync(join(this.server.config.str('dir'), `temp-rewriteaof-${process.pid}.aof`), join(dir, name),
        serializeBase(this.server, rdb, this.server.config.bool('aof-timestamp-enabled')));
      log.notice(`Creating AOF base file ${name} on server start`);
      this.rewriteBaseSize = statSync(join(dir, name)).size;
      this.currentSize = this.rewriteBaseSize;
    }
    const incr = hadIncr ? am.incrs[am.incrs.length - 1]!.name : am.newIncr(this.prefix);
    try {
      this.fd = openSync(join(dir, incr), 'a', 0o644);
      writeManifest(dir, this.prefix, am);
    } catch (e) {
      log.warning(`Can't open the append-only file ${incr}: ${(e as Error).message}`);
      throw new AofLoadError(`Can't open the append-only file ${incr}`);
    }
    this.lastIncrSize = statSync(join(dir, incr)).size;
    this.lastIncrFsyncOffset = this.lastIncrSize;
    this.lastFsync = this.unixtime;
    log.notice(`${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${incr} on server start`);
  }

  // ---- cron --------------------------------------------------------------------------

  cron(): void {
    if (this.loading) return;
    if (this.state === 'off' && !this.rewriteScheduled) return;
    if (!this.rewriteInProgress && this.rewriteScheduled && !this.server.persistence.bgsaveInProgress) {
      this.rewriteBackground();
    }
    if (this.state === 'on') {
      this.flush(false);
      const perc = this.server.config.num('auto-aof-rewrite-percentage');
      const min = this.server.config.num('auto-aof-rewrite-min-size');
      if (!this.rewriteInProgress && !this.server.persistence.bgsaveInProgress && perc > 0 && this.currentSize > min) {
        const base = this.rewriteBaseSize > 0 ? this.rewriteBaseSize : 1;
        const growth = Math.floor((this.currentSize * 100) / base) - 100;
        if (growth >= perc && !this.rewriteLimited()) {
          this.server.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
          this.rewriteBackground();
        }
      }
    }
  }

  private nextDelayMinutes = 0;
  private nextRewriteTime = 0;
  /** aofRewriteLimited: back off after 3 consecutive failures (1, 2, 4 ... 60 minutes). */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < 3) { this.nextDelayMinutes = 0; this.nextRewriteTime = 0; return false; }
    const now = this.unixtime;
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true;
      this.nextRewriteTime = 0;
      return false;
    }
    this.nextDelayMinutes = Math.min(60, this.nextDelayMinutes === 0 ? 1 : this.nextDelayMinutes * 2);
    this.nextRewriteTime = now + this.nextDelayMinutes * 60;
    this.server.log.warning(`Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextDelayMinutes} minutes`);
    return true;
  }

  // ---- INFO ---------------------------------------------------------------------------

  info(): Record<string, string | number> {
    const f: Record<string, string | number> = {
      aof_enabled: this.state !== 'off' ? 1 : 0,
      aof_rewrite_in_progress: this.rewriteInProgress ? 1 : 0,
      aof_rewrite_scheduled: this.rewriteScheduled ? 1 : 0,
      aof_last_rewrite_time_sec: this.rewriteTimeLast,
      aof_current_rewrite_time_sec: this.rewriteInProgress ? this.unixtime - this.rewriteTimeStart : -1,
      aof_last_bgrewrite_status: this.lastBgrewriteOk ? 'ok' : 'err',
      aof_rewrites: this.rewrites,
      aof_rewrites_consecutive_failures: this.consecutiveFailures,
      aof_last_write_status: this.lastWriteOk && this.bioFsyncOk ? 'ok' : 'err',
    };
    if (this.server.config.bool('appendonly')) {
      Object.assign(f, {
        aof_current_size: this.currentSize,
        aof_base_size: this.rewriteBaseSize,
        aof_pending_rewrite: this.rewriteScheduled ? 1 : 0,
        aof_buffer_length: this.pendingBytes,
        aof_pending_bio_fsync: this.fsyncInProgress ? 1 : 0,
        aof_delayed_fsync: this.delayedFsync,
      });
    }
    return f;
  }
}

/** Write chunks to `path` and fsync it (asynchronously). */
async function writeFileDurably(path: string, chunks: Buffer[]): Promise<void> {
  const fh = await fsp.open(path, 'w', 0o644);
  try {
    for (const c of chunks) await fh.write(c);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** rewriteAppendOnlyFile (synchronous, start-up): temp file, fsync, rename. */
function writeFileDurablySync(tmp: string, dest: string, chunks: Buffer[]): void {
  const fd = openSync(tmp, 'w', 0o644);
  try {
    for (const c of chunks) { let off = 0; while (off < c.length) off += writeSync(fd, c, off, c.length - off); }
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, dest);
  fsyncDir(dest.slice(0, dest.lastIndexOf('/')) || '.');
}

/** The server's AOF (created by installAof). */
export function aofOf(server: Server): Aof {
  return server.ext.get('aof') as Aof;
}

/** Installer (features.ts): AOF state, propagation feed, start-up load, cron, INFO, CONFIG SET appendonly, shutdown. */
export function installAof(server: Server): void {
  const aof = new Aof(server);
  aof.configChanged();
  server.ext.set('aof', aof);
  server.recorder.propagateHooks.push((dbid, argv, target) => { if (target & PROPAGATE_AOF) aof.feed(dbid, argv); });
  let debug = server.ext.get('debug-subcommands') as Map<string, Handler> | undefined;
  if (debug === undefined) { debug = new Map(); server.ext.set('debug-subcommands', debug); }
  // DEBUG AOF-FLUSH-SLEEP <microsec>: each write of a non-empty AOF buffer sleeps first (tests of the reply barrier)
  debug.set('aof-flush-sleep', (c, argv) => {
    if (argv.length !== 3) { c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try DEBUG HELP.`); return; }
    aof.flushSleepUs = Math.max(0, Number.parseInt(argv[2]!, 10) || 0);
    c.ok();
  });
  debug.set('loadaof', (c) => { aof.debugLoadAof(c); });
  server.startHooks.push(async () => {
    // a failure has logged Redis's lines already (AofLoadError.logged); the AOF was never opened,
    // so the close that follows has nothing to fsync (no "Calling fsync()" after the error, the last line)
    try {
      await aof.startup();
    } catch (e) {
      aof.state = 'off';
      throw e;
    }
    server.ext.set('aof-started', true);
  });
  server.cronHooks.push(() => aof.cron());
  // finishShutdown: an initial AOF still being written would be lost (unless FORCE)
  server.prepareShutdownHooks.unshift((opts) => {
    if (aof.state !== 'wait_rewrite') return true;
    if (opts.force) { server.log.warning('Writing initial AOF. Exit anyway.'); return true; }
    server.log.warning('Writing initial AOF, can\'t exit.');
    return false;
  });
  server.shutdownHooks.push(() => {
    if (aof.state === 'off') return;
    server.log.notice('Calling fsync() on the AOF file.');
    aof.stop();
  });
  setInfoFields(server, 'persistence', () => aof.info());
  const prev = server.config.onChange;
  server.config.onChange = (name, value) => {
    prev?.(name, value);
    if (name === 'appendfsync' || name === 'aof-timestamp-enabled') aof.configChanged();
    // updateAofAutoGCEnabled: turning the auto gc back on deletes the history files now
    if (name === 'aof-disable-auto-gc' && value === false && !aof.loading) aof.deleteHistory();
    if (name !== 'appendonly' || aof.loading || server.closed) return;
    // only once the server runs: at start-up the start hook reads the setting
    if (!startedAt(server)) return;
    if (value === false && aof.state !== 'off') aof.stop();
    else if (value === true && aof.state === 'off' && !aof.start()) server.config.values.set('appendonly', false);
  };
}

function startedAt(server: Server): boolean { return server.ext.get('aof-started') === true; }
