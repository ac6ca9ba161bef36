/*
 * Loading dump.rdb: at start-up, for DEBUG RELOAD and for tests.
 *
 * The file is read whole and parsed by the codec's resumable RdbLoader
 * (rdb/file.ts), stepped until a time budget runs out, so a long start-up load runs in slices
 * across event-loop turns while the server already listens and answers
 * -LOADING (Redis listens first and processes events while loading), with
 * INFO loading:1 and the loading_* progress fields and a progress log line
 * every few seconds. Small files (and DEBUG RELOAD) load in one go.
 *
 * Keys whose expiry has passed are skipped (a master does so; counted in
 * rdb_last_load_keys_expired). The CRC64 trailer is checked when rdbchecksum
 * is yes and the stored CRC is not 0 (a writer with rdbchecksum no).
 */
import fs from 'node:fs';
import type { Server } from '../server/server.js';
import type { Value } from '../types/value.js';
import { RdbError, RdbFeed, RdbLoader, loadContextOf, rdbErrorText, rdbTypeName, type LoadOptions } from './rdb/index.js';
import type { Db } from '../keyspace/db.js';
import path from 'node:path';
import { snapshotState } from './snapshot.js';
import { strerror } from '../server/config-file.js';
import { performance } from 'node:perf_hooks';

/** files smaller than this load before listening, in one go */
const ASYNC_LOAD_MIN_BYTES = 4 * 1024 * 1024;

interface LoadingProgress { start: number; total: number; loaded: number; usedMem: number }

function progress(server: Server): LoadingProgress | undefined {
  return server.ext.get('loading-progress') as LoadingProgress | undefined;
}

/** INFO persistence fields of loading (loading:0 when idle). */
export function loadingInfo(server: Server): Record<string, string | number> {
  const p = progress(server);
  if (!server.persistence.loading || !p) return { loading: 0 };
  const elapsed = (Date.now() - p.start) / 1000;
  const perc = p.total > 0 ? (p.loaded / p.total) * 100 : 0;
  const eta = p.loaded > 0 ? Math.round((elapsed * (p.total - p.loaded)) / p.loaded) : 1;
  return {
    loading: 1, loading_start_time: Math.floor(p.start / 1000), loading_total_bytes: p.total,
    loading_rdb_used_mem: p.usedMem, loading_loaded_bytes: p.loaded, loading_loaded_perc: perc.toFixed(2), loading_eta_seconds: eta,
  };
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * debugDelay (key-load-delay, a testing knob): sleep `us` µs per key loaded,
 * synchronously like Redis (a load in slices still yields between slices); a
 * negative value sleeps 1 µs once in -us calls.
 */
export function debugDelay(us: number): void {
  if (us < 0) us = Math.floor(Math.random() * -us) === 0 ? 1 : 0;
  if (us > 0) Atomics.wait(sleepCell, 0, 0, us / 1000);
}

/** rdbFunctionLoad: a library from an RDB (RDBFLAGS_ALLOW_DUP replaces); a failure is a load error. */
export function loadFunction(server: Server, code: string, replace: boolean): void {
  if (server.functionLoad === null) throw new RdbError('Failed loading library, functions are not supported');
  const err = server.functionLoad(code, replace);
  if (err !== null) throw new RdbError(`Failed loading library, ${err}`);
}

/** Insert loaded keys into the server's dbs (duplicate keys are an error, as in Redis). */
interface LoadCounts { loaded: number; expired: number }

function inserter(server: Server, merge: boolean, n: LoadCounts, now: number, keepExpired = false, onExpired: ((db: number, key: string) => void) | null = null, dbs: readonly Db[] = server.dbs): (db: number, key: string, v: Value, expireMs: number, idle: number, freq: number) => void {
  // the clocks once per load, as rdbLoad takes LRU_CLOCK() once (the LFU clock has minute resolution)
  const lfu = server.lfuMode;
  const lru = server.lruClock;
  const clock0 = server.accessClock(0);
  const delayUs = server.config.num('key-load-delay');
  return (dbid, key, v, expireMs, idle, freq) => {
    if (delayUs !== 0) debugDelay(delayUs);
    const db = dbs[dbid];
    if (db === undefined) throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${dbs.length} databases. Exiting\n`);
    // a replica keeps them: its master's DELs end them (rdbLoad skips expired keys only on a master)
    if (expireMs !== -1 && expireMs < now && !keepExpired) { n.expired++; onExpired?.(dbid, key); return; }
    n.loaded++;
    let clock = clock0;
    if (freq !== -1 && lfu) clock = (clock & ~0xff) | freq;
    else if (idle !== -1 && !lfu) clock = Math.max(0, lru - idle) & 0xffffff;
    if (!db.insertIfAbsent(key, v, clock)) {
      // the key is there already (expired or not, as dbAddRDBLoad sees it)
      if (!merge) throw new RdbError(`Duplicate key '${key}' found in RDB file`);
      db.delete(key);
      db.insert(key, v, clock);
    }
    if (expireMs !== -1) db.setExpire(key, expireMs);
  };
}

/**
 * Load an RDB file into the server. Returns true when loaded (or absent at
 * start-up); false, logged, on an error. At start-up an error ends the
 * process as in Redis; a big file loads in slices after listening.
 */
export async function loadRdbFile(server: Server, file: string, opts: { startup: boolean; merge?: boolean }): Promise<boolean> {
  return loadGeneric(server, file, opts, false) as Promise<boolean>;
}

/** DEBUG RELOAD: load in one go, now. */
export function loadRdbSync(server: Server, file: string, merge: boolean): boolean {
  return loadGeneric(server, file, { startup: false, merge }, true) as boolean;
}

/**
 * A replica's load of the RDB its master sent (readSyncBulkPayload), from memory,
 * now: keys already expired are kept (the master's DELs end them). True when loaded.
 */
export function loadRdbFromMaster(server: Server, data: Buffer): Promise<boolean> {
  return Promise.resolve(loadData(server, '(replication payload)', data, { startup: false, replica: true }, false));
}

/** The loader options every load shares: the config's encodings and checksum, the db count, the empty-key warning (the first 10). */
function commonOptions(server: Server, dbnum: number): LoadOptions {
  let emptySkipped = 0;
  return {
    onEmptyKey: (key) => { if (emptySkipped++ < 10) server.log.warning(`rdbLoadObject skipping empty key: ${key}`); },
    ctx: loadContextOf(server.config), verifyChecksum: server.config.bool('rdbchecksum') && !server.skipChecksumValidation, dbnum,
  };
}

/** A load's end: INFO's rdb_last_load_keys_* and Redis's "Done loading RDB" line. */
function loaded(server: Server, counts: LoadCounts, loader: RdbLoader | null): void {
  const st = snapshotState(server);
  st.loadKeysLoaded = counts.loaded;
  st.loadKeysExpired = counts.expired;
  const empty = loader?.stats.emptyKeysSkipped ?? 0;
  server.log.notice(`Done loading RDB, keys loaded: ${counts.loaded}, keys expired: ${counts.expired}${empty > 0 ? `, empty keys skipped: ${empty}` : ''}.`);
}

/**
 * A replica's diskless load (readSyncBulkPayload, rdbLoadRio on the socket):
 * an RdbFeed parsing the payload as it arrives, its keys going to `dbs` (the
 * live dbs, or swapdb's temporary ones) and its libraries to onFunction.
 * done() logs the result as a load does and returns the replication info the
 * payload carried (repl-id, repl-offset, repl-stream-db aux fields). The
 * lines a load logs as it reads the payload's aux fields go to `notice`
 * (the log by default: a disk-based transfer parsed ahead logs them when
 * its load would have read them).
 */
export function replicaFeed(server: Server, dbs: readonly Db[], onFunction: (code: string) => void,
  notice: (line: string) => void = (line) => server.log.notice(line)): { feed: RdbFeed; done(): { replid: string; offset: number; db: number } | null } {
  const counts: LoadCounts = { loaded: 0, expired: 0 };
  const repl = { replid: '', offset: -1, db: 0 };
  let loader: RdbLoader | null = null;
  const feed = new RdbFeed((head) => (loader = new RdbLoader(head, inserter(server, false, counts, Date.now(), true, null, dbs), {
    ...commonOptions(server, dbs.length),
    onAux: auxLogger(server, repl, notice),
    onFunction,
    onResize: (db, size) => { const d = dbs[db]; if (d !== undefined && size > 0) d.reserve(Math.min(size, 1 << 24)); },
  })));
  return {
    feed,
    done() {
      loaded(server, counts, loader);
      return repl.replid.length === 40 && repl.offset >= 0 ? repl : null;
    },
  };
}

/** rdbLoadRio's AUX handling: the log lines, and the replication info a file carries. */
function auxLogger(server: Server, repl: { replid: string; offset: number; db: number },
  notice: (line: string) => void = (line) => server.log.notice(line)): (k: string, v: string) => void {
  return (k, v) => {
    if (k === 'redis-ver') notice(`Loading RDB produced by version ${v}`);
    else if (k === 'ctime') notice(`RDB age ${Math.floor(Date.now() / 1000) - Number(v)} seconds`);
    else if (k === 'used-mem') { notice(`RDB memory usage when created ${(Number(v) / 1024 / 1024).toFixed(2)} Mb`); const p = progress(server); if (p) p.usedMem = Number(v); }
    // rsi: the replication ids and offset the file was saved with (a restarted replica resumes from them)
    else if (k === 'repl-id') repl.replid = v;
    else if (k === 'repl-offset') repl.offset = Number(v);
    else if (k === 'repl-stream-db') repl.db = Number(v);
  };
}

function loadGeneric(server: Server, file: string, opts: { startup: boolean; merge?: boolean }, sync: boolean): boolean | Promise<boolean> {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return opts.startup;
    server.log.warning(`Fatal error loading the DB: ${strerror(e)}. Exiting.`);
    if (opts.startup) fatal(server);
    return false;
  }
  return loadData(server, file, data, { ...opts, replica: server.iAmReplica }, sync);
}

function loadData(server: Server, file: string, data: Buffer, opts: { startup: boolean; merge?: boolean; replica: boolean }, sync: boolean): boolean | Promise<boolean> {
  const t0 = Date.now();
  const counts: LoadCounts = { loaded: 0, expired: 0 };
  let loader: RdbLoader;
  try {
    server.loadedReplInfo = null;
    const repl = { replid: '', offset: -1, db: 0 };
    // a master's start-up load puts a DEL for each expired key it skips into the backlog (RDBFLAGS_FEED_REPL)
    const feed = opts.startup && !opts.replica ? server.loadExpiredHook : null;
    loader = new RdbLoader(data, inserter(server, opts.merge === true, counts, Date.now(), opts.replica, feed), {
    ...commonOptions(server, server.dbs.length),
    onAux: (() => {
      const log = auxLogger(server, repl);
      return (k: string, v: string) => {
        log(k, v);
        if (repl.replid.length === 40 && repl.offset >= 0) server.loadedReplInfo = { ...repl };
      };
    })(),
    // the key table is sized once for the db's keys instead of doubling on the way (as Redis's dictExpand);
    // a key takes at least 3 bytes of the file, which bounds a bogus hint
    onFunction: (code) => loadFunction(server, code, opts.merge === true),
    onResize: (db, size) => { const d = server.dbs[db]; if (d !== undefined && size > 0) d.reserve(Math.min(size, Math.floor(data.length / 3))); },
  });
  } catch (e) {
    reportLoadError(server, file, data, e as Error, opts.startup);
    if (opts.startup) fatal(server);
    return false;
  }
  const prog: LoadingProgress = { start: t0, total: data.length, loaded: 0, usedMem: 0 };
  server.ext.set('loading-progress', prog);
  server.persistence.loading = true;
  const failed = (e: Error): false => {
    server.persistence.loading = false;
    reportLoadError(server, file, data, e, opts.startup);
    if (opts.startup) fatal(server);
    return false;
  };
  const done = (): true => {
    server.persistence.loading = false;
    prog.loaded = data.length;
    loaded(server, counts, loader);
    if (opts.startup) server.log.notice(`DB loaded from disk: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    return true;
  };
  // in slices, serving events between them (processEventsWhileBlocked), as Redis loads: a start-up load, or a
  // replica's load of its master's payload (the cluster bus goes on, clients get -LOADING and INFO), when the
  // data is big or key-load-delay makes it slow
  const sliced = opts.startup || opts.replica;
  if (sync || !sliced || (data.length < asyncLoadMinBytes(server) && server.config.num('key-load-delay') === 0)) {
    try { loader.step(); } catch (e) { return failed(e as Error); }
    return done();
  }
  return (async () => {
    try {
      if (opts.startup && !server.listening) await server.listen();
      const log = progressLog(server, prog.total);
      await runSliced(rdbSteps(loader, (pos) => { prog.loaded = pos; log(pos); }, stepBytes(server)));
    } catch (e) {
      return failed(e as Error);
    }
    return done();
  })();
}

/**
 * Log a failed load as Redis does: a file that is not an RDB (signature,
 * version) or cannot be read with "Fatal error loading the DB: ... Exiting.";
 * a short read with its own line first; then a corrupt or short file through
 * rdbReportError (reportCorruptFile).
 */
function reportLoadError(server: Server, file: string, data: Buffer, e: Error, startup: boolean): void {
  const log = server.log;
  if (!(e instanceof RdbError)) { log.warning(`Fatal error loading the DB: ${e.message}. Exiting.`); return; }
  if (e.plain) { log.warning(e.message); log.warning('Fatal error loading the DB: Invalid argument. Exiting.'); return; }
  if (e.eof) log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  reportCorruptFile(server, file, data, e, startup);
}

/**
 * rdbReportError for a file being loaded: the reason, then what
 * redis-check-rdb says about the file (Redis runs it in-process: its report
 * goes to stdout), then the end. The CRC case logs its own line first.
 */
function reportCorruptFile(server: Server, file: string, data: Buffer, e: RdbError, startup: boolean): void {
  const log = server.log;
  let reason = e.reason ?? e.message;
  if (e.reason !== undefined) log.warning(e.message);
  else if (reason.startsWith('Wrong RDB checksum')) { log.warning(reason); reason = 'RDB CRC error'; }
  const text = rdbErrorText(reason);
  log.warning(text);
  let out = `[offset 0] Checking RDB file ${path.basename(file)}\n`;
  let keys = 0;
  let expires = 0;
  let expired = 0;
  const now = Date.now();
  let check: RdbLoader | null = null;
  const at = (): number => check?.pos ?? 0;
  try {
    check = new RdbLoader(data, (_db, _k, _v, exp) => {
      keys++;
      if (exp !== -1) { expires++; if (exp < now) expired++; }
    }, {
      verifyChecksum: server.config.bool('rdbchecksum') && !server.skipChecksumValidation,
      ctx: loadContextOf(server.config),
      onAux: (k, v) => { out += `[offset ${at()}] AUX FIELD ${k} = '${v}'\n`; },
      onSelectDb: (db) => { out += `[offset ${at()}] Selecting DB ID ${db}\n`; },
      onFunction: () => {},
    });
    while (!check.step(1 << 20));
  } catch { /* the same failure, reported below */ }
  out += `--- RDB ERROR DETECTED ---\n[offset ${at()}] ${text}\n[additional info] While doing: ${check?.doing ?? 'start'}\n`;
  if (check !== null && (check.doing === 'read-key' || check.doing === 'read-object-value')) {
    if (check.curKey !== null) out += `[additional info] Reading key '${check.curKey.split('\0')[0]}'\n`;
    out += `[additional info] Reading type ${check.curType} (${rdbTypeName(check.curType)})\n`;
  }
  out += `[info] ${keys} keys read\n[info] ${expires} expires\n[info] ${expired} already expired\n`;
  if (server.log.file === '') log.rawText('warning', out);
  else process.stdout.write(out);
  if (startup) log.warning('Terminating server after rdb file reading failure.');
}

/** A load that yields between units of work (RDB bytes, AOF commands); returns T. */
/** A load's steps: each yield is a pause; a yielded promise (a replayed script still running) is waited for. */
export type LoadSteps<T> = Generator<Promise<void> | void, T, void>;

/** Run a load to the end, now. */
export function runSync<T>(g: LoadSteps<T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Run a load in slices of about `sliceMs`, yielding to the event loop between slices. */
export async function runSliced<T>(g: LoadSteps<T>, sliceMs = 8): Promise<T> {
  let deadline = performance.now() + sliceMs;
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    if (r.value !== undefined) {
      await r.value;
      deadline = performance.now() + sliceMs;
      continue;
    }
    if (performance.now() >= deadline) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      deadline = performance.now() + sliceMs;
    }
  }
}

/**
 * An RDB parse as steps of 64 KB, or of loading-process-events-interval-bytes
 * when smaller (Redis serves events that often while loading; with
 * key-load-delay a 64 KB step could take long); `onPos` gets the position
 * after each step.
 */
export function* rdbSteps(loader: RdbLoader, onPos?: (pos: number) => void, stepBytes = 64 * 1024): LoadSteps<void> {
  for (;;) {
    const finished = loader.step(stepBytes);
    onPos?.(loader.pos);
    if (finished) return;
    yield;
  }
}

/** bytes of RDB parsed between two looks at the clock: 64 KB, less if loading-process-events-interval-bytes says so */
export function stepBytes(server: Server): number {
  return Math.min(64 * 1024, server.config.num('loading-process-events-interval-bytes'));
}

/** The "Loading x MB of y MB" log line of a long load, at most every 2 s: call with the bytes loaded so far. */
export function progressLog(server: Server, total: number): (loaded: number) => void {
  let lastLog = Date.now();
  return (loaded) => {
    const now = Date.now();
    if (now - lastLog < 2000 || total === 0) return;
    lastLog = now;
    server.log.notice(`Loading ${(loaded / 1024 / 1024).toFixed(1)} MB of ${(total / 1024 / 1024).toFixed(1)} MB (${((loaded / total) * 100).toFixed(1)}%)...`);
  };
}

/** Files at least this big load in slices after listening; tests lower the threshold through server.ext 'async-load-min-bytes'. */
export function asyncLoadMinBytes(server: Server): number {
  const v = server.ext.get('async-load-min-bytes');
  return typeof v === 'number' ? v : ASYNC_LOAD_MIN_BYTES;
}


function fatal(server: Server): void {
  if (server.onExit) server.onExit(1);
  else throw new Error('Fatal error loading the DB');
}
