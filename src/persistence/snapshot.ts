/*
 * RDB snapshots without fork: SAVE, BGSAVE [SCHEDULE], save points, LASTSAVE
 * and the rdb_* INFO fields, FLUSHALL's save, SHUTDOWN's save, DEBUG RELOAD
 * and the start-up load (loading.ts does the load itself).
 *
 * BGSAVE design (point-in-time view while serving, as Dragonfly / Valkey 9):
 * at start each non-empty db gets a SnapTracker (keyspace/db.ts) covering the
 * slots [0, end) in use; `marks` (1 byte per slot) start at 0. A slicer walks
 * the slots upward in slices across event-loop turns, writing each unmarked
 * key it finds; slots below its cursor are done. The Db calls snapTouch()
 * before handing out or changing any value of a slot in [cursor, end) whose
 * mark is 0: get/peek (every command reads a value through them before it
 * mutates it in place, so in-place edits of collections are covered),
 * set over an existing key, delete (DEL, expiry lazy or active, eviction,
 * RENAME, MOVE ...), setExpire/persist (TTL changes). snapTouch marks the slot
 * and hands the value to capture(), which keeps a copy (clone() for
 * collections, a plain string for a MutableString; no copy when the value is
 * being dropped: set/delete) with its TTL in the db's pending list, written by
 * the next slice. insert() marks the slot of a new key, so a slot reused by a
 * key created during the save is skipped.
 *
 * Why this is exactly the dataset at start: a key K of the snapshot sits in
 * slot s < end. Until s is either passed by the cursor or marked, nothing has
 * read or changed K's value or TTL (any such access goes through snapTouch,
 * which marks s and captures first) and K is still in s (keys never move
 * slots; deleting K marks s first). So K is written exactly once, either by
 * the slicer (unchanged value) or from its capture (value at first touch,
 * which is the start value). A slot not holding a snapshot key is either
 * empty (skipped) or holds a key inserted during the save (marked by insert).
 * Values are never reachable except through get/peek, so nothing mutates a
 * value without a prior snapTouch. FLUSHDB (Db.clear) during a save moves the
 * contents, tracker included, to a detached Db the slicer keeps reading;
 * SWAPDB swaps trackers with the contents; a tracker knows its RDB db number
 * from the start. FLUSHALL aborts a BGSAVE like Redis (killRDBChild).
 *
 * Slices (SaveJob.slice): while clients keep the loop busy, the save takes
 * 15% of the loop's time (slices of 0.05 to 3 ms, overruns paid back; serving
 * keeps ~85%); under a light load (a few commands between two slices) it takes
 * the spare time in 0.25 ms slices; when idle 4 ms slices. The
 * writer lends its 64 KB chunks; they are copied into pooled 1 MB buffers
 * written with fs.write in libuv's threadpool (the slicer pauses above
 * 16 MB queued), so the loop never waits for the disk and a save allocates
 * almost nothing per key. Files go to temp-<pid>-<n>.rdb in dir, then fsync,
 * rename to dbfilename and fsync of the dir, all asynchronous for BGSAVE
 * (SAVE does the same synchronously).
 *
 * A BGSAVE has a child process all the same (job-child.ts): Redis's fork
 * child as others see it (its pid in the log and the temp file name,
 * total_forks); killing it aborts the save as killing Redis's child does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from '../server/server.js';
import type { Client } from '../server/client.js';
import type { Db, SnapTracker } from '../keyspace/db.js';
import type { Value } from '../types/value.js';
import { isBig, type MutableString } from '../types/string.js';
import { RdbWriter, saveOptionsOf, standardAux, type RdbWriterOptions } from './rdb/index.js';
import { setInfoFields } from '../server/info.js';
import { REDIS_VERSION } from '../server/server.js';
import type { Handler } from '../commands/registry.js';
import { loadRdbFile, loadRdbSync, loadingInfo } from './loading.js';
import { idleSeconds, lfuDecayed } from '../keyspace/access.js';
import { JobChild } from './job-child.js';
import { constants } from 'node:os';
import { memoryUsage } from '../server/memory.js';
import { performance } from 'node:perf_hooks';

const SIGUSR1 = constants.signals.SIGUSR1;

export interface SnapshotState {
  job: SaveJob | null;
  /** BGSAVE SCHEDULE waiting for another background job */
  scheduled: boolean;
  lastBgsaveOk: boolean;
  /** seconds: last BGSAVE attempt (5 s retry rule of save points) */
  lastBgsaveTry: number;
  lastBgsaveTimeSec: number;
  /** the last save's copy-on-write bytes (SaveJob.cowBytes) */
  lastCowBytes: number;
  saves: number;
  loadKeysLoaded: number;
  loadKeysExpired: number;
  tmpCounter: number;
}

export function snapshotState(server: Server): SnapshotState {
  let s = server.ext.get('snapshot') as SnapshotState | undefined;
  if (!s) {
    s = { job: null, scheduled: false, lastBgsaveOk: true, lastBgsaveTry: 0, lastBgsaveTimeSec: -1, lastCowBytes: 0, saves: 0, loadKeysLoaded: 0, loadKeysExpired: 0, tmpCounter: 0 };
    server.ext.set('snapshot', s);
  }
  return s;
}

/** the save points of the `save` config: [seconds, changes] pairs */
export function saveParams(server: Server): [number, number][] {
  const w = String(server.config.str('save') ?? '').split(/\s+/).filter(Boolean);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < w.length; i += 2) out.push([Number(w[i]), Number(w[i + 1])]);
  return out;
}

export function rdbPath(server: Server): string {
  return path.resolve(server.config.str('dir'), server.config.str('dbfilename'));
}

/** The RDB's aux fields: Redis's standard ones, with the replication ids and offset when the server has them (rdbPopulateSaveInfo). */
function auxFields(server: Server): Record<string, string | number> {
  const m = process.memoryUsage();
  const std = standardAux({ nowMs: Date.now(), usedMem: m.heapUsed + m.external, version: REDIS_VERSION });
  const repl = server.rdbSaveInfo?.() ?? null;
  if (repl === null) return std;
  // Redis writes them after used-mem and before aof-base
  const { 'aof-base': aofBase, ...head } = std;
  return { ...head, ...repl, 'aof-base': aofBase! };
}

/** A copy of a value that later in-place edits of the original cannot change. */
function preImage(v: Value): Value {
  if (typeof v === 'string') return v;
  if (v.type === 'string') return isBig(v as MutableString) ? (v as MutableString).clone() : (v as MutableString).toString();
  if (typeof v.clone === 'function') return v.clone();
  throw new Error(`cannot snapshot a ${v.type} value`);
}

// ---- the output file ---------------------------------------------------------

/** a BGSAVE pauses serializing while more than this many bytes wait to be written */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** BGSAVE output buffers: the writer's chunks are gathered into these, written whole, and reused */
const OUT_BUF_SIZE = 1024 * 1024;
const outPool: Buffer[] = [];
const OUT_POOL_KEEP = 4;

/**
 * Where a save writes: a file (RdbFile) or, for a diskless full sync, the
 * replicas' sockets (replication/). The SaveJob pauses while `backlogged`
 * (and resumes on onDrain), fails on `error`, and ends with commit().
 */
export interface RdbSink {
  readonly writer: RdbWriter;
  readonly error: Error | null;
  readonly backlogged: boolean;
  onDrain: (() => void) | null;
  /** the temp file removed on an immediate exit ('' for none) */
  readonly tmp: string;
  commit(): Promise<void>;
  abort(): void;
}

/**
 * Temp file + RdbWriter (lent chunks: no allocation per chunk). SAVE writes
 * each chunk at once (writeSync); BGSAVE copies the chunks into 1 MB
 * buffers from a pool and writes full buffers with fs.write (libuv's
 * threadpool: the event loop never waits for the disk), one write at a time,
 * and commits (fsync, close, rename, fsync of the dir) asynchronously too.
 */
class RdbFile implements RdbSink {
  readonly writer: RdbWriter;
  private fd: number;
  /** the buffer being filled, and its fill */
  private cur: Buffer | null = null;
  private curLen = 0;
  private queue: { buf: Buffer; len: number }[] = [];
  /** bytes in full buffers not yet written */
  queued = 0;
  private writing = false;
  private closed = false;
  error: Error | null = null;
  /** called when the queue drained (or a write failed) */
  onDrain: (() => void) | null = null;
  bytes = 0;

  constructor(readonly tmp: string, readonly final: string, server: Server, private readonly async: boolean) {
    this.fd = fs.openSync(tmp, 'w', 0o644);
    this.writer = new RdbWriter((b) => this.push(b), {
      ...saveOptionsOf(server.config), checksum: server.config.bool('rdbchecksum'), compression: server.config.bool('rdbcompression'),
      borrowChunks: true,
    });
  }

  /** a chunk lent by the writer: write it now (SAVE) or copy it into the output buffers */
  private push(b: Buffer): void {
    if (!this.async) {
      let off = 0;
      while (off < b.length) off += fs.writeSync(this.fd, b, off, b.length - off);
      this.bytes += b.length;
      return;
    }
    if (this.closed) return;
    let off = 0;
    while (off < b.length) {
      if (this.cur === null) { this.cur = outPool.pop() ?? Buffer.allocUnsafeSlow(OUT_BUF_SIZE); this.curLen = 0; }
      const n = Math.min(b.length - off, OUT_BUF_SIZE - this.curLen);
      b.copy(this.cur, this.curLen, off, off + n);
      this.curLen += n;
      off += n;
      if (this.curLen === OUT_BUF_SIZE) this.enqueueCur();
    }
  }

  private enqueueCur(): void {
    if (this.cur === null) return;
    if (this.curLen > 0) {
      this.queue.push({ buf: this.cur, len: this.curLen });
      this.queued += this.curLen;
      if (!this.writing) this.writeNext(0);
    } else outPool.push(this.cur);
    this.cur = null;
    this.curLen = 0;
  }

  /** true while the slicer should wait for the disk */
  get backlogged(): boolean { return this.queued > MAX_QUEUED_BYTES; }

  private writeNext(off: number): void {
    const q = this.queue[0];
    if (this.closed || this.error || q === undefined) { this.writing = false; this.settle(); return; }
    this.writing = true;
    fs.write(this.fd, q.buf, off, q.len - off, null, (e, n) => {
      if (e) { this.error = e; this.writing = false; this.settle(); return; }
      if (off + n < q.len) { this.writeNext(off + n); return; }
      this.queue.shift();
      this.queued -= q.len;
      this.bytes += q.len;
      if (outPool.length < OUT_POOL_KEEP) outPool.push(q.buf);
      this.writeNext(0);
    });
  }

  private settle(): void {
    if (this.closed && !this.writing) this.closeFd();
    const f = this.onDrain;
    if (f) { this.onDrain = null; f(); }
  }

  /** resolves when everything is written (rejects on a write error) */
  private drained(): Promise<void> {
    this.enqueueCur();
    return new Promise((res, rej) => {
      const check = (): void => {
        if (this.error) rej(this.error);
        else if (!this.writing && this.queue.length === 0) res();
        else this.onDrain = check;
      };
      check();
    });
  }

  /** SAVE: fsync, close, rename into place, fsync the directory */
  commitSync(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.tmp, this.final);
    fsyncDirSync(path.dirname(this.final));
  }

  /** BGSAVE: the same without blocking the event loop */
  async commit(): Promise<void> {
    await this.drained();
    const fd = this.fd;
    this.fd = -1;
    await fsp(fs.fsync, fd);
    await fsp(fs.close, fd);
    await fs.promises.rename(this.tmp, this.final);
    await fsyncDir(path.dirname(this.final));
  }

  abort(): void {
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    this.cur = null;
    // a write in flight still uses the fd: it is closed when that write returns
    if (!this.writing) this.closeFd();
  }

  private closeFd(): void {
    if (this.fd >= 0) { try { fs.closeSync(this.fd); } catch { /* already gone */ } this.fd = -1; }
    try { fs.unlinkSync(this.tmp); } catch { /* never created, or renamed */ }
  }
}

function fsp(f: (fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => void, fd: number): Promise<void> {
  return new Promise((res, rej) => f(fd, (e) => (e ? rej(e) : res())));
}

function fsyncDirSync(dir: string): void {
  let fd = -1;
  try { fd = fs.openSync(dir, 'r'); fs.fsyncSync(fd); } catch { /* some filesystems refuse: best effort */ }
  if (fd >= 0) fs.closeSync(fd);
}

async function fsyncDir(dir: string): Promise<void> {
  let h: fs.promises.FileHandle | null = null;
  try { h = await fs.promises.open(dir, 'r'); await h.sync(); } catch { /* some filesystems refuse: best effort */ }
  if (h) await h.close().catch(() => undefined);
}

/** The temp file: temp-<pid>.rdb as Redis (a BGSAVE's pid is its child's), with a counter for SAVEs of this process. */
function openFile(server: Server, st: SnapshotState, async: boolean, childPid?: number): RdbFile {
  const final = rdbPath(server);
  const tmp = path.join(path.dirname(final), childPid !== undefined ? `temp-${childPid}.rdb` : `temp-${process.pid}-${++st.tmpCounter}.rdb`);
  return new RdbFile(tmp, final, server, async);
}

// ---- per-db tracking ---------------------------------------------------------

/** What a replica's RDB leaves out (Redis's SLAVE_REQ_RDB_EXCLUDE_DATA / _FUNCTIONS). */
export const SAVE_EXCLUDE_DATA = 1;
export const SAVE_EXCLUDE_FUNCTIONS = 2;

class Tracker implements SnapTracker {
  cursor = 0;
  /** one byte per slot, by page of 64k slots, each created on its first mark (db.ts) */
  marks: (Uint8Array | undefined)[];
  /** captured pre-images: key, value, expire, access clock, ... */
  pending: (string | Value | number)[] = [];

  constructor(public db: Db, readonly rdbId: number, readonly end: number, readonly size: number, readonly expires: number, private job: SaveJob) {
    const pages = Math.ceil(end / 65536);
    this.marks = new Array<Uint8Array | undefined>(pages).fill(undefined);
  }

  capture(key: string, v: Value, expireMs: number, owned: boolean, clock: number): void {
    this.pending.push(key, owned ? v : preImage(v), expireMs, clock);
    this.job.captured++;
    // Nodis's copy-on-write: what a write during the save makes the snapshot keep (MEMORY USAGE's estimate, 5 samples)
    this.job.cowBytes += memoryUsage(key, v, 5);
    this.job.cowAt = Date.now();
  }

  moved(db: Db): void { this.db = db; }
}

// ---- a save in progress ---------------------------------------------------------

/** slice budgets (ms), see SaveJob.slice */
const BUSY_WINDOW_MS = 20;
const BUSY_SHARE = 0.15;
const MIN_SLICE_MS = 0.05;
const MAX_BUSY_SLICE_MS = 3;
const IDLE_SLICE_MS = 4;
/** at most this many commands between two slices is a light load: LIGHT_SLICE_MS slices, one after the other */
const LIGHT_CMDS = 4;
const LIGHT_SLICE_MS = 0.25;
/** slots walked between two looks at the clock */
const SLOTS_PER_CHECK = 64;

/**
 * The save whose slice is running, for visitKey: one function for every save
 * (a closure per save would be compiled again by each one: a slice of several
 * ms early in every BGSAVE).
 */
let slicing: SaveJob | null = null;
function visitKey(key: string, v: Value, expireMs: number, clock: number): void { slicing!.writeKey(key, v, expireMs, clock); }

export class SaveJob {
  trackers: Tracker[] = [];
  private idx = 0;
  private dbStarted = false;
  keysDone = 0;
  keysTotal = 0;
  captured = 0;
  /**
   * The snapshot's copy-on-write (INFO current_cow_size, rdb_last_cow_size): the bytes of the
   * pre-images it kept because writes changed or deleted keys before they were written out, the
   * analogue of the pages a forked child's save copies; and when it last grew.
   */
  cowBytes = 0;
  cowAt = 0;
  /** time spent in slices (ms) and their number (benchmarks) */
  sliceMs = 0;
  slices = 0;
  readonly startMs = Date.now();
  readonly dirtyAtStart: number;
  private timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private lastBusy = 0;
  private lastActive = 0;
  private cmdsSeen = 0;
  /** start of the current busy period (-1 while idle) and the slice time spent in it */
  private busySince = -1;
  private busyMs = 0;
  done = false;
  readonly finished: Promise<boolean>;
  private resolve!: (ok: boolean) => void;

  /** the job's child process (BGSAVE; job-child.ts): killing it aborts the save */
  child: JobChild | null = null;
  /** a save to dump.rdb (false: a diskless transfer to replicas, which no save status counts) */
  counted = true;
  /** the replication offset when the snapshot was taken (set by replication) */
  replOffset = -1;

  /** req: SAVE_EXCLUDE_* (a replica's REPLCONF rdb-filter-only) */
  constructor(readonly server: Server, readonly file: RdbSink, readonly background: boolean, readonly req = 0) {
    this.dirtyAtStart = server.recorder.dirty;
    const policy = server.config.str('maxmemory-policy');
    this.saveLru = policy.includes('lru');
    this.saveLfu = policy.includes('lfu');
    this.lfuDecayTime = server.config.num('lfu-decay-time');
    this.finished = new Promise((r) => { this.resolve = r; });
    file.writer.header(auxFields(server));
    if (!(req & SAVE_EXCLUDE_FUNCTIONS)) for (const code of server.functionCodes?.() ?? []) file.writer.functionLib(code);
    server.dbs.forEach((db, i) => {
      if (db.size === 0 || (req & SAVE_EXCLUDE_DATA)) return;
      const t = new Tracker(db, i, db.slotTop, db.size, db.expires.size, this);
      this.keysTotal += db.size;
      this.trackers.push(t);
      if (background) db.snap = t;
    });
  }

  /** maxmemory-policy at the start: LRU policies save each key's idle time, LFU ones its counter (rdbSaveKeyValuePair) */
  private readonly saveLru: boolean;
  private readonly saveLfu: boolean;
  private readonly lfuDecayTime: number;

  writeKey(key: string, v: Value, expireMs: number, clock: number): void {
    if (this.saveLru) this.file.writer.key(key, v, expireMs, idleSeconds(clock, this.server.now));
    else if (this.saveLfu) this.file.writer.key(key, v, expireMs, undefined, lfuDecayed(clock, this.server.now, this.lfuDecayTime));
    else this.file.writer.key(key, v, expireMs);
    this.keysDone++;
  }

  private drainPending(t: Tracker): void {
    const p = t.pending;
    if (p.length === 0) return;
    t.pending = [];
    for (let i = 0; i < p.length; i += 4) this.writeKey(p[i] as string, p[i + 1] as Value, p[i + 2] as number, p[i + 3] as number);
  }

  /** Serialize until the deadline (ms, performance.now()) or `maxKeys`; true when all is written. */
  step(deadline: number, maxKeys = Infinity): boolean {
    const w = this.file.writer;
    let budgetKeys = maxKeys;
    while (this.idx < this.trackers.length) {
      const t = this.trackers[this.idx]!;
      if (!this.dbStarted) { w.selectDb(t.rdbId, t.size, t.expires); this.dbStarted = true; }
      this.drainPending(t);
      while (t.cursor < t.end) {
        const chunk = Math.min(SLOTS_PER_CHECK, budgetKeys === Infinity ? SLOTS_PER_CHECK : Math.max(1, budgetKeys));
        slicing = this;
        const n = t.db.snapSlice(t, t.cursor + chunk, visitKey);
        budgetKeys -= Math.max(n, 1);
        this.drainPending(t);
        if (budgetKeys <= 0 || performance.now() >= deadline) {
          if (t.cursor >= t.end) break;
          return false;
        }
      }
      this.drainPending(t);
      if (t.db.snap === t) t.db.snap = null;
      this.idx++;
      this.dbStarted = false;
    }
    w.end();
    return true;
  }

  /** Run in slices across event-loop turns until written, then commit. */
  startBackground(): void {
    this.lastBusy = performance.now();
    this.cmdsSeen = this.server.stats.totalCommands;
    this.schedule();
  }

  /** The next slice: at the next turn of the loop, or after `ms` (waiting for the save's share to build up). */
  private schedule(ms = 0): void {
    const delay = this.server.config.num('rdb-key-save-delay');
    if (delay > 0) this.timer = setTimeout(() => this.slice(), Math.max(1, delay / 1000));
    else if (ms > 0) this.timer = setTimeout(() => this.slice(), ms);
    else this.timer = setImmediate(() => this.slice());
  }

  /**
   * One slice. Its time budget: while clients are active (a command ran in
   * the last BUSY_WINDOW_MS), what is left of BUSY_SHARE of the time since
   * they got busy after the slices so far (so overruns are paid back, and a
   * save on a loop of short turns does not take a minimal slice every turn),
   * at most MAX_BUSY_SLICE_MS so a request waits at most a few ms; under
   * MIN_SLICE_MS the slice waits 1 ms. Under a light load (a command in the
   * last BUSY_WINDOW_MS, never more than LIGHT_CMDS between two slices) the
   * save takes the loop's spare time in LIGHT_SLICE_MS slices one after the
   * other, so a request waits at most that long. When idle, IDLE_SLICE_MS.
   */
  private slice(): void {
    this.timer = null;
    if (this.done) return;
    if (this.file.error) { this.fail(this.file.error); return; }
    if (this.file.backlogged) { this.file.onDrain = () => this.schedule(); return; }
    const t0 = performance.now();
    const cmds = this.server.stats.totalCommands;
    // more than LIGHT_CMDS commands since the last slice: clients keep the loop busy (the share below);
    // a few: light clients (a request now and then), whose latency short back-to-back slices keep small
    const ran = cmds - this.cmdsSeen;
    this.cmdsSeen = cmds;
    if (ran > 0) { this.lastActive = t0; if (ran > LIGHT_CMDS) this.lastBusy = t0; }
    const delay = this.server.config.num('rdb-key-save-delay');
    let budget = t0 - this.lastActive < BUSY_WINDOW_MS ? LIGHT_SLICE_MS : IDLE_SLICE_MS;
    if (t0 - this.lastBusy < BUSY_WINDOW_MS) {
      if (this.busySince < 0) { this.busySince = t0; this.busyMs = 0; }
      // BUSY_SHARE of the time since the clients got busy, overruns of earlier slices included;
      // below a minimal slice, wait (a timer, so a lightly loaded loop does not spin)
      let credit = (t0 - this.busySince) * BUSY_SHARE - this.busyMs;
      if (credit < MIN_SLICE_MS && delay === 0) { this.schedule(1); return; }
      if (credit > MAX_BUSY_SLICE_MS) { this.busyMs += credit - MAX_BUSY_SLICE_MS; credit = MAX_BUSY_SLICE_MS; }
      budget = Math.max(MIN_SLICE_MS, credit);
    } else {
      this.busySince = -1;
    }
    const maxKeys = delay > 0 ? Math.max(1, Math.floor(1000 / delay)) : Infinity;
    let finished: boolean;
    try {
      finished = this.step(t0 + budget, maxKeys);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    const spent = performance.now() - t0;
    this.sliceMs += spent;
    if (this.busySince >= 0) this.busyMs += spent;
    this.slices++;
    if (!finished) { this.schedule(); return; }
    this.detach();
    this.file.commit().then(() => this.finish(true), (e: Error) => this.fail(e));
  }

  /**
   * The child died before the save ended (backgroundSaveDoneHandlerDisk):
   * by a signal, "terminated by signal N" (an error unless SIGUSR1), else
   * an exit code, "Background saving error". The temp file goes.
   */
  childDied(code: number, signal: number): void {
    if (this.done) return;
    if (this.timer) { clearTimeout(this.timer as NodeJS.Timeout); clearImmediate(this.timer as NodeJS.Immediate); this.timer = null; }
    this.detach();
    this.file.abort();
    if (signal === 0) { this.finish(false); return; }
    this.server.log.warning(`Background saving terminated by signal ${signal}`);
    this.finish(signal === SIGUSR1 ? null : false);
  }

  /** stop tracking writes (all trackers) */
  private detach(): void {
    for (const t of this.trackers) if (t.db.snap === t) t.db.snap = null;
  }

  private fail(e: Error): void {
    if (this.done) return;
    this.server.log.warning(`Write error saving DB on disk: ${e.message}`);
    this.detach();
    this.file.abort();
    this.finish(false);
  }

  /** FLUSHALL / SHUTDOWN: stop without writing dump.rdb (not a failure). */
  kill(): void {
    if (this.done) return;
    this.child?.stop();
    if (this.timer) { clearTimeout(this.timer as NodeJS.Timeout); clearImmediate(this.timer as NodeJS.Immediate); this.timer = null; }
    this.detach();
    this.file.abort();
    this.done = true;
    const st = snapshotState(this.server);
    if (st.job === this) st.job = null;
    this.server.persistence.bgsaveInProgress = false;
    this.server.log.warning('Background saving terminated by signal 10');
    this.resolve(false);
  }

  /** ok: saved; false: failed; null: stopped by SIGUSR1 (neither: the status is kept) */
  private finish(ok: boolean | null): void {
    if (this.done) return;
    this.done = true;
    this.child?.stop();
    const server = this.server;
    const st = snapshotState(server);
    if (st.job === this) st.job = null;
    server.persistence.bgsaveInProgress = false;
    st.lastBgsaveTimeSec = Math.round((Date.now() - this.startMs) / 1000);
    st.lastCowBytes = this.cowBytes;
    if (!this.counted) {
      // a transfer to replicas, not a save: dump.rdb and the save status are not touched
      server.log.notice(ok ? 'Background RDB transfer terminated with success' : 'Background transfer error');
    } else if (ok === null) {
      // SIGUSR1: not an error
    } else if (ok) {
      server.log.notice('Background saving terminated with success');
      server.recorder.dirty = Math.max(0, server.recorder.dirty - this.dirtyAtStart);
      server.lastSave = Math.floor(Date.now() / 1000);
      st.lastBgsaveOk = true;
    } else {
      server.log.warning('Background saving error');
      st.lastBgsaveOk = false;
    }
    if (this.counted) server.persistence.rdbDiskError = !st.lastBgsaveOk;
    this.resolve(ok === true);
    if (st.scheduled) { st.scheduled = false; bgsave(server); }
  }
}

// ---- entry points ---------------------------------------------------------------

/** SAVE (and FLUSHALL / SHUTDOWN / DEBUG RELOAD): write everything now. True on success. */
export function saveSync(server: Server): boolean {
  const st = snapshotState(server);
  let file: RdbSink | null = null;
  try {
    file = openFile(server, st, false);
    const job = new SaveJob(server, file, false);
    job.step(Infinity);
    (file as RdbFile).commitSync();
  } catch (e) {
    file?.abort();
    server.log.warning(`Failed opening/writing the RDB file ${server.config.str('dbfilename')} (in server root dir ${server.config.str('dir')}) for saving: ${(e as Error).message}`);
    return false;
  }
  server.log.notice('DB saved on disk');
  server.recorder.dirty = 0;
  server.lastSave = Math.floor(Date.now() / 1000);
  st.lastBgsaveOk = true;
  server.persistence.rdbDiskError = false;
  return true;
}

/** Start a background save (false when one runs already); failures show in rdb_last_bgsave_status. */
export function bgsave(server: Server): boolean {
  const st = snapshotState(server);
  if (st.job) return false;
  st.lastBgsaveTry = Math.floor(Date.now() / 1000);
  st.saves++;
  let job: SaveJob | null = null;
  const child = new JobChild(server, (code, signal) => job?.childDied(code, signal));
  let file: RdbFile;
  try {
    file = openFile(server, st, true, child.pid);
  } catch (e) {
    // as a forked child failing to open its file: BGSAVE "started", then failed
    child.stop();
    server.log.notice(`Background saving started by pid ${child.pid}`);
    server.log.warning(`Failed opening the temp RDB file for saving: ${(e as Error).message}`);
    server.log.warning('Background saving error');
    st.lastBgsaveOk = false;
    st.lastBgsaveTimeSec = 0;
    server.persistence.rdbDiskError = true;
    return true;
  }
  job = new SaveJob(server, file, true);
  job.child = child;
  st.job = job;
  server.persistence.bgsaveInProgress = true;
  server.log.notice(`Background saving started by pid ${child.pid}`);
  job.startBackground();
  return true;
}

export function bgsaveInProgress(server: Server): boolean { return snapshotState(server).job !== null; }

/**
 * A background save into another sink (a diskless full sync: rdbSaveToSlavesSockets):
 * the same job, child process and one-at-a-time rule as BGSAVE, but dump.rdb is
 * not touched and the save counters stay. Null when a save runs already.
 */
export function saveToSink(server: Server, makeSink: (writerOptions: RdbWriterOptions) => RdbSink, req = 0): SaveJob | null {
  const st = snapshotState(server);
  if (st.job) return null;
  let job: SaveJob | null = null;
  // the child starts off the loop (job-child.ts) and the transfer with it: its pid is in the log line before any
  // byte goes out, as after Redis's fork
  const child = JobChild.start(server, (code, signal) => job?.childDied(code, signal), (pid) => {
    if (job === null || job.done) return;
    server.log.notice(`Background RDB transfer started by pid ${pid}`);
    job.startBackground();
  });
  const sink = makeSink({ ...saveOptionsOf(server.config), checksum: server.config.bool('rdbchecksum'), compression: server.config.bool('rdbcompression'), borrowChunks: true });
  job = new SaveJob(server, sink, true, req);
  job.child = child;
  job.counted = false;
  st.job = job;
  server.persistence.bgsaveInProgress = true;
  return job;
}

/** The save in progress, if any (replication attaches to one writing dump.rdb). */
export function currentSave(server: Server): SaveJob | null { return snapshotState(server).job; }

/** rdbRemoveTempFile: on an immediate exit, the temp file of the save in progress (if any) goes. */
export function removeTempFile(server: Server): void {
  const job = snapshotState(server).job;
  if (job !== null) fs.rmSync(job.file.tmp, { force: true });
}

/** Abort a running BGSAVE (FLUSHALL, SHUTDOWN, DEBUG RELOAD). */
export function killBgsave(server: Server): void { snapshotState(server).job?.kill(); }

/** FLUSHALL (Redis 7.0 flushAllDataAndResetRDB): abort a BGSAVE; with save points, save the empty dataset. */
export function afterFlushAll(server: Server): void {
  killBgsave(server);
  if (saveParams(server).length > 0) {
    const dirty = server.recorder.dirty;
    saveSync(server);
    server.recorder.dirty = dirty;
  }
}

// ---- cron: save points and scheduled BGSAVE -------------------------------------

function cron(server: Server, now: number): void {
  const st = snapshotState(server);
  if (st.job || server.persistence.rewriteInProgress || server.persistence.loading) return;
  if (st.scheduled) { st.scheduled = false; bgsave(server); return; }
  const dirty = server.recorder.dirty;
  if (dirty === 0) return;
  const sec = Math.floor(now / 1000);
  for (const [seconds, changes] of saveParams(server)) {
    if (dirty >= changes && sec - server.lastSave > seconds && (sec - st.lastBgsaveTry > 5 || st.lastBgsaveOk)) {
      server.log.notice(`${changes} changes in ${seconds} seconds. Saving...`);
      bgsave(server);
      break;
    }
  }
}

// ---- install ------------------------------------------------------------------

export function installSnapshots(server: Server): void {
  const st = snapshotState(server);
  server.cronHooks.push((now) => cron(server, now));
  setInfoFields(server, 'persistence', (s) => {
    const job = st.job;
    return {
      ...loadingInfo(s),
      // the save's progress (Redis: the child's keys written / the keys at fork)
      current_cow_peak: job ? job.cowBytes : 0,
      current_cow_size: job ? job.cowBytes : 0,
      current_cow_size_age: job && job.cowAt > 0 ? Math.floor((Date.now() - job.cowAt) / 1000) : 0,
      rdb_last_cow_size: st.lastCowBytes,
      current_fork_perc: job && job.keysTotal > 0 ? ((job.keysDone / job.keysTotal) * 100).toFixed(2) : '0.00',
      current_save_keys_processed: job ? job.keysDone : 0,
      current_save_keys_total: job ? job.keysTotal : 0,
      rdb_changes_since_last_save: s.recorder.dirty,
      // from when the job's child runs (a diskless transfer's starts off the loop: job-child.ts), as Redis's from its fork
      rdb_bgsave_in_progress: job !== null && (job.child === null || job.child.pid !== 0) ? 1 : 0,
      rdb_last_save_time: s.lastSave,
      rdb_last_bgsave_status: st.lastBgsaveOk ? 'ok' : 'err',
      rdb_last_bgsave_time_sec: st.lastBgsaveTimeSec,
      rdb_current_bgsave_time_sec: job ? Math.round((Date.now() - job.startMs) / 1000) : -1,
      rdb_saves: st.saves,
      rdb_last_load_keys_expired: st.loadKeysExpired,
      rdb_last_load_keys_loaded: st.loadKeysLoaded,
    };
  });
  // start-up: load dump.rdb unless the AOF will be loaded
  server.startHooks.push(async () => {
    if (server.persistence.aofWillLoad || server.config.bool('appendonly')) return;
    await loadRdbFile(server, rdbPath(server), { startup: true });
  });
  // SHUTDOWN [SAVE|NOSAVE], SIGTERM: save when asked, or when save points are configured
  server.prepareShutdownHooks.push((opts) => {
    killBgsave(server);
    const save = opts.save ?? saveParams(server).length > 0;
    if (!save) return true;
    server.log.notice('Saving the final RDB snapshot before exiting.');
    const ok = saveSync(server);
    if (!ok) server.log.warning('Error trying to save the DB, can\'t exit.');
    return ok;
  });
  let debug = server.ext.get('debug-subcommands') as Map<string, Handler> | undefined;
  if (!debug) { debug = new Map(); server.ext.set('debug-subcommands', debug); }
  debug.set('reload', debugReload);
}

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (redis/src/debug.c): synchronous, like Redis. */
function debugReload(c: Client, argv: string[]): void {
  const server = c.server;
  let merge = false;
  let flush = true;
  let save = true;
  for (let i = 2; i < argv.length; i++) {
    const o = argv[i]!.toLowerCase();
    if (o === 'merge') merge = true;
    else if (o === 'noflush') flush = false;
    else if (o === 'nosave') save = false;
    else { c.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.'); return; }
  }
  if (save && !saveSync(server)) { c.error('ERR'); return; }
  if (flush) { for (const db of server.dbs) { server.recorder.keyModified(db, null); db.clear(); } server.functionFlush?.(); }
  if (!loadRdbSync(server, rdbPath(server), merge)) { c.error('ERR Error trying to load the RDB dump'); return; }
  server.log.warning('DB reloaded by DEBUG RELOAD');
  c.ok();
}
