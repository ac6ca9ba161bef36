/*
 * maxmemory and key eviction (redis/src/evict.c performEvictions, the
 * eviction pool, evictionTimeProc; server.c processCommand's OOM check).
 *
 * ---- What "used memory" is ------------------------------------------------
 * Redis counts its allocations exactly (zmalloc_used_memory). Node has no such
 * counter: the closest is the V8 heap in use plus off-heap (external) memory,
 * v8.getHeapStatistics() used_heap_size + external_memory (~2 us to read with
 * the space statistics below; process.memoryUsage() also reads RSS and costs
 * ~18 us). It is process-wide, so the meter below is module state shared
 * by every Server of the process (they share one heap).
 *
 * The young generation's semi-space (new_space) is left out: it is mostly
 * garbage of recent commands (replies, parsed arguments, INFO text), which made
 * the reading swing by up to the semi-space size (MBs) between scavenges.
 * Data written recently counts once a scavenge promotes it (values of 4 KB or
 * more are Buffers, counted at once as external memory; big strings go to the
 * large-object space, counted at once too). So the limit may be exceeded by at
 * most the semi-space's live data for a moment: the documented imprecision.
 *
 * Two things make the raw reading unfit to decide when eviction is done:
 *  - freed memory only shows after V8 collects it: a key evicted now still
 *    counts until the next major (mark-compact) GC, since keys live in the
 *    old generation. Re-reading after each eviction would evict everything.
 *    So each evicted key's estimated size (MEMORY USAGE's estimate,
 *    server/memory.ts, plus a per-key JS overhead) is added to a `credit`
 *    subtracted from readings; a major GC that *started* after the credit
 *    was taken (seen by a PerformanceObserver on 'gc' entries) clears it, as
 *    the reading then reflects the frees. The estimate errs low, so eviction
 *    errs towards freeing a little more than needed. Other uncollected
 *    garbage is not credited, so when the credit passes a quarter of
 *    maxmemory, or before refusing a command with OOM, a full GC is forced
 *    (rate-limited, collectGarbage) and the meter re-read: without it a long
 *    write load between V8's own major GCs could evict every key.
 *  - old-generation garbage other than evicted keys (short-lived objects that
 *    got promoted) also counts until a major GC: maxmemory bounds heap +
 *    external memory, data and Nodis's own structures included, as Redis's
 *    used_memory includes its overhead.
 *
 * Reading cost: dispatch calls performEvictions before every command only
 * when maxmemory > 0. The reading is refreshed when at least 100 us passed
 * since the last one or 64 commands ran (so a pipelined load pays ~1/64 of a
 * reading per command and an interactive client always sees a fresh value);
 * CONFIG SET maxmemory and INFO take a fresh reading. INFO used_memory is the
 * same number (reading minus credit) eviction uses.
 *
 * ---- Eviction ---------------------------------------------------------------
 * Like Redis: noeviction refuses (OOM for denyoom commands); the LRU, LFU and
 * volatile-ttl policies keep a pool of the 16 best candidates, refilled from
 * maxmemory-samples keys of every db (allkeys: Db.randomKey; volatile: keys
 * with a TTL), scored by idle time (LRU clock), 255 - decayed counter (LFU) or
 * nearness of expiry (TTL); the random policies take a random key, dbs in
 * turn. Each eviction deletes the key as Redis does: evicted_keys, the
 * key-modified signal (WATCH, tracking invalidation), the 'evicted' keyspace
 * event, a DEL (UNLINK with lazyfree-lazy-eviction) propagated. The loop stops
 * once the estimated freed bytes cover the excess, or nothing is evictable
 * (EVICT_FAIL: OOM), or the time limit of maxmemory-eviction-tenacity passes
 * (checked every 16 keys): then a time proc (setImmediate) keeps evicting
 * between event-loop turns and commands are not refused meanwhile
 * (EVICT_RUNNING), as in Redis. CONFIG SET maxmemory starts that proc.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { PerformanceObserver, constants as perfConstants, performance } from 'node:perf_hooks';
import type { Db } from './db.js';
import { idleSeconds, lfuDecayed } from './access.js';
import { NOTIFY_EVICTED } from './notify.js';
import type { Server } from '../server/server.js';
import { memoryUsage } from '../server/memory.js';
import { latencyAddSampleIfNeeded } from '../server/latency.js';
import { setInfoFields, onResetStats } from '../server/info.js';
import { clientsPaused } from '../commands/connection/pause.js';

export const EVICT_OK = 0;
export const EVICT_RUNNING = 1;
export const EVICT_FAIL = 2;
export type EvictResult = typeof EVICT_OK | typeof EVICT_RUNNING | typeof EVICT_FAIL;

// ---- memory meter (process-wide) ---------------------------------------------

/** bytes a key costs in the JS heap beyond MEMORY USAGE's Redis-layout estimate (index entry, slot arrays) */
const JS_KEY_OVERHEAD = 32;
const REFRESH_US = 100;
const REFRESH_CALLS = 64;

const meter = {
  /** last raw reading (heap used + external) */
  reading: 0,
  /** performance.now() of that reading */
  readAt: -Infinity,
  callsSince: 0,
  /** estimated bytes freed (evicted) but not yet collected */
  credit: 0,
  /** performance.now() when the credit started accumulating */
  creditSince: 0,
};
let gcObserver: PerformanceObserver | null = null;

function watchGc(): void {
  if (gcObserver !== null) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      if ((kind & perfConstants.NODE_PERFORMANCE_GC_MAJOR) !== 0 && e.startTime >= meter.creditSince) meter.credit = 0;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/** index of the young generation's semi-space in getHeapSpaceStatistics() */
let newSpaceIndex = -1;

function read(): void {
  const h = v8.getHeapStatistics();
  const spaces = v8.getHeapSpaceStatistics();
  if (newSpaceIndex < 0 || spaces[newSpaceIndex]?.space_name !== 'new_space') newSpaceIndex = spaces.findIndex((x) => x.space_name === 'new_space');
  const young = newSpaceIndex >= 0 ? spaces[newSpaceIndex]!.space_used_size : 0;
  meter.reading = h.used_heap_size - young + h.external_memory;
  meter.readAt = performance.now();
  meter.callsSince = 0;
}

const net = (): number => Math.max(0, meter.reading - meter.credit);

/** Used memory now (a fresh reading, minus freed-but-uncollected credit): INFO used_memory. */
export function usedMemoryNow(): number {
  read();
  return net();
}

/** Used memory for the per-command check: the cached reading, refreshed when stale. */
export function usedMemoryCached(): number {
  if (++meter.callsSince >= REFRESH_CALLS || (performance.now() - meter.readAt) * 1000 >= REFRESH_US) read();
  return net();
}

/** Count bytes as freed before the GC shows it. */
function creditFreed(bytes: number): void {
  if (meter.credit === 0) meter.creditSince = performance.now();
  meter.credit += bytes;
  watchGc();
}

/**
 * A full GC on demand (global.gc, or exposed at run time through V8's flag),
 * rate-limited: spaced by 20x its last duration (and at least 100 ms), so it
 * takes under 5% of the time.
 * Used before refusing a command with OOM and when the freed-but-uncollected
 * credit grows past a quarter of maxmemory, so uncollected garbage (evicted
 * keys, overwritten values, promoted temporaries) does not make eviction take
 * everything or refuse writes. Returns true when it ran (meter refreshed).
 */
let gcFn: (() => void) | null | undefined;
let lastGcAt = -Infinity;
let lastGcMs = 0;

/** Find the gc function once (at install: the VM context it takes is then part of the start-up memory). */
function findGc(): void {
  if (gcFn !== undefined) return;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') gcFn = g;
  else {
    try { v8.setFlagsFromString('--expose-gc'); gcFn = vm.runInNewContext('gc') as () => void; } catch { gcFn = null; }
  }
}

export function collectGarbage(): boolean {
  findGc();
  const now = performance.now();
  if (!gcFn || now - lastGcAt < Math.max(100, lastGcMs * 20)) return false;
  gcFn();
  lastGcAt = performance.now();
  lastGcMs = lastGcAt - now;
  meter.credit = 0;
  read();
  return true;
}

/**
 * A large free (FLUSHALL, FLUSHDB, a full resync's emptyData): `bytes` are
 * counted as freed at once (INFO used_memory and eviction see them gone, as
 * Redis's counter does) and a full GC is scheduled for the next turn, after
 * the reply is written, to make the reading true and let V8 give the pages
 * back to the system (a dataset of 500k 1 KB values: heap 549 -> 9 MB in a
 * ~50 ms GC, RSS 647 -> 94 MB within two seconds). Rate-limited as
 * collectGarbage: a GC runs at most once per max(100 ms, 20x its last duration).
 */
export function memoryReleased(bytes: number): void {
  if (bytes <= 0) return;
  creditFreed(bytes);
  findGc();
  if (gcFn === null || collectTimer !== null) return;
  const wait = Math.max(0, lastGcAt + Math.max(100, lastGcMs * 20) - performance.now());
  collectTimer = setTimeout(() => { collectTimer = null; collectGarbage(); }, wait);
  collectTimer.unref();
}
let collectTimer: NodeJS.Timeout | null = null;

/** Used memory now less the start-up baseline of `server`: what a flush of everything frees (estimate). */
export function datasetMemory(server: Server): number {
  return Math.max(0, usedMemoryNow() - server.startupMemory);
}

/** For tests: forget the credit (as after a full GC). */
export function resetMemoryCredit(): void { meter.credit = 0; }

// ---- per-server state --------------------------------------------------------

const EVPOOL_SIZE = 16;

interface PoolEntry { idle: number; key: string; dbid: number }

interface EvictState {
  pool: PoolEntry[];
  nextDb: number;
  /** rotating iterators over each db's expires map (volatile sampling when few keys have a TTL) */
  volCursors: Map<number, { gen: object; it: Iterator<string> }>;
  timeProc: boolean;
  /** performance.now() when the limit was first exceeded (0: not exceeded) */
  exceededSince: number;
  /** accumulated exceeded time, us */
  exceededTotalUs: number;
}

function evictState(server: Server): EvictState {
  let s = server.ext.get('evict') as EvictState | undefined;
  if (!s) {
    s = { pool: [], nextDb: 0, volCursors: new Map(), timeProc: false, exceededSince: 0, exceededTotalUs: 0 };
    server.ext.set('evict', s);
  }
  return s;
}

/** Memory not counted for eviction (replication/AOF buffers in Redis): none tracked yet. */
export function notCountedForEvict(_server: Server): number { return 0; }

/** evictionTimeLimitUs: maxmemory-eviction-tenacity (0..100) to a time budget. */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * 1.15 ** (tenacity - 10));
  return Infinity;
}

/** isSafeToPerformEvictions: not while loading, on an ignoring replica, or with clients paused. */
function safeToEvict(server: Server): boolean {
  if (server.persistence.loading) return false;
  if (server.masterhost !== null && server.config.bool('replica-ignore-maxmemory')) return false;
  if (server.pauseUntil > 0 && clientsPaused(server)) return false;
  return true;
}

// ---- sampling ------------------------------------------------------------------

/** A key with a TTL, at random when volatile keys are common, else from a rotating cursor. */
function volatileKey(st: EvictState, db: Db): string | undefined {
  const n = db.expires.size;
  if (n === 0) return undefined;
  if (n * 8 >= db.size) {
    for (let i = 0; i < 32; i++) {
      const k = db.randomKey();
      if (k !== undefined && db.expires.has(k)) return k;
    }
  }
  let cur = st.volCursors.get(db.id);
  if (cur === undefined || cur.gen !== db.expires.generation) {
    cur = { gen: db.expires.generation, it: db.expires.keys() };
    st.volCursors.set(db.id, cur);
  }
  let r = cur.it.next();
  if (r.done) { cur.it = db.expires.keys(); r = cur.it.next(); }
  return r.done ? undefined : r.value;
}

/** The pool score: higher is evicted first. */
function scoreOf(server: Server, policy: string, db: Db, key: string): number {
  if (policy === 'volatile-ttl') return Number.MAX_SAFE_INTEGER - db.getExpire(key);
  const clock = db.clockOf(key) ?? 0;
  if (policy.endsWith('lfu')) return 255 - lfuDecayed(clock, server.now, server.config.num('lfu-decay-time'));
  return idleSeconds(clock, server.now) * 1000;
}

/** evictionPoolPopulate: sample keys of one db into the pool (sorted by ascending score). */
function poolPopulate(server: Server, st: EvictState, policy: string, db: Db, samples: number): void {
  const pool = st.pool;
  const volatile = policy.startsWith('volatile');
  for (let i = 0; i < samples; i++) {
    const key = volatile ? volatileKey(st, db) : db.randomKey();
    if (key === undefined) return;
    const idle = scoreOf(server, policy, db, key);
    if (pool.some((e) => e.key === key && e.dbid === db.id)) continue;
    let k = 0;
    while (k < pool.length && pool[k]!.idle < idle) k++;
    if (pool.length >= EVPOOL_SIZE) {
      if (k === 0) continue; // worse than every candidate
      pool.shift();
      k--;
    }
    pool.splice(k, 0, { idle, key, dbid: db.id });
  }
}

/** The next key to evict for the policy: [db, key], or null when nothing is evictable. */
function pickKey(server: Server, st: EvictState, policy: string): [Db, string] | null {
  const dbs = server.dbs;
  if (policy === 'allkeys-random' || policy === 'volatile-random') {
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[++st.nextDb % dbs.length]!;
      const key = policy === 'allkeys-random' ? db.randomKey() : volatileKey(st, db);
      if (key !== undefined) return [db, key];
    }
    return null;
  }
  const volatile = policy.startsWith('volatile');
  const samples = server.config.num('maxmemory-samples');
  for (;;) {
    let total = 0;
    for (const db of dbs) {
      const n = volatile ? db.expires.size : db.size;
      if (n === 0) continue;
      total += n;
      poolPopulate(server, st, policy, db, samples);
    }
    if (total === 0) return null;
    const pool = st.pool;
    while (pool.length > 0) {
      const e = pool.pop()!;
      const db = dbs[e.dbid];
      if (db === undefined) continue;
      const exists = volatile ? db.expires.has(e.key) : db.clockOf(e.key) !== undefined;
      if (exists) return [db, e.key];
    }
    // every candidate was a ghost (deleted since it was pooled): sample again
  }
}

// ---- the eviction loop ---------------------------------------------------------

/** Delete one key as an eviction; returns the estimated bytes freed. */
function evictKey(server: Server, db: Db, key: string): number {
  const v = db.peek(key);
  if (v === undefined) return 0; // it had expired: deleted as such by the lookup
  const est = memoryUsage(key, v, 5) + JS_KEY_OVERHEAD;
  const lazy = server.config.bool('lazyfree-lazy-eviction');
  const t0 = performance.now();
  db.delete(key);
  latencyAddSampleIfNeeded(server, 'eviction-del', Math.round(performance.now() - t0));
  server.stats.evictedKeys++;
  const rec = server.recorder;
  rec.keyModified(db, key);
  rec.notify(NOTIFY_EVICTED, 'evicted', key, db.id);
  rec.propagate(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
  return est;
}

function updateMetrics(st: EvictState, result: EvictResult): EvictResult {
  if (result === EVICT_OK) {
    if (st.exceededSince !== 0) {
      st.exceededTotalUs += (performance.now() - st.exceededSince) * 1000;
      st.exceededSince = 0;
    }
  } else if (st.exceededSince === 0) {
    st.exceededSince = performance.now();
  }
  return result;
}

/** performEvictions: evict until under maxmemory; EVICT_FAIL means still over (OOM for denyoom commands). */
export function performEvictions(server: Server): EvictResult {
  const max = server.config.maxmemory;
  if (max <= 0 || !safeToEvict(server)) return EVICT_OK;
  const st = evictState(server);
  let used = usedMemoryCached();
  if (used <= max) return updateMetrics(st, EVICT_OK);
  used = Math.max(0, used - notCountedForEvict(server));
  if (used <= max) return updateMetrics(st, EVICT_OK);
  const policy = server.config.str('maxmemory-policy');
  if (policy === 'noeviction') return updateMetrics(st, overAfterGc(server, max) ? EVICT_FAIL : EVICT_OK);

  let toFree = used - max;
  const limitUs = evictionTimeLimitUs(server.config.num('maxmemory-eviction-tenacity'));
  const t0 = performance.now();
  let freed = 0;
  let keys = 0;
  let result: EvictResult = EVICT_OK;
  while (freed < toFree) {
    if (meter.credit > max / 4 && collectGarbage()) {
      // the reading now shows what the evictions freed: start over from it
      if (!overAfterGc(server, max, false)) break;
      freed = 0;
      toFree = Math.max(0, meter.reading - notCountedForEvict(server)) - max;
    }
    const pick = pickKey(server, st, policy);
    if (pick === null) { if (overAfterGc(server, max)) result = EVICT_FAIL; break; }
    const bytes = evictKey(server, pick[0], pick[1]);
    freed += bytes;
    creditFreed(bytes);
    keys++;
    if (keys % 16 === 0 && (performance.now() - t0) * 1000 > limitUs) {
      startTimeProc(server);
      break;
    }
  }
  if (result === EVICT_OK && st.timeProc) result = EVICT_RUNNING;
  if (server.nestedCalls === 0) server.recorder.flush();
  latencyAddSampleIfNeeded(server, 'eviction-cycle', Math.round(performance.now() - t0));
  return updateMetrics(st, result);
}

/** Still over the limit, after a full GC if one may run now (`tryGc`) and the reading may be stale. */
function overAfterGc(server: Server, max: number, tryGc = true): boolean {
  if (tryGc) collectGarbage();
  return net() - notCountedForEvict(server) > max;
}

/** evictionTimeProc: keep evicting between event-loop turns until under the limit or nothing is left. */
export function startTimeProc(server: Server): void {
  const st = evictState(server);
  if (st.timeProc) return;
  st.timeProc = true;
  const tick = (): void => {
    if (server.shuttingDown || server.closed) { st.timeProc = false; return; }
    st.timeProc = false;
    const r = performEvictions(server);
    if (r === EVICT_RUNNING || (r === EVICT_OK && st.timeProc)) { st.timeProc = true; setImmediate(tick); }
  };
  setImmediate(tick);
}

/** CONFIG SET maxmemory (updateMaxmemory): warn when below current usage and start evicting. */
export function maxmemoryChanged(server: Server): void {
  const max = server.config.maxmemory;
  if (max <= 0) return;
  const used = usedMemoryNow() - notCountedForEvict(server);
  if (max < used) {
    server.log.warning(`WARNING: the new maxmemory value set via CONFIG SET (${max}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
  }
  startTimeProc(server);
}

// ---- installer -----------------------------------------------------------------

export function installEviction(server: Server): void {
  const st = evictState(server);
  findGc();
  setInfoFields(server, 'memory', (s) => ({ mem_not_counted_for_evict: notCountedForEvict(s) }));
  setInfoFields(server, 'stats', () => {
    const cur = st.exceededSince !== 0 ? Math.floor((performance.now() - st.exceededSince) * 1000) : 0;
    return {
      total_eviction_exceeded_time: Math.floor((st.exceededTotalUs + cur) / 1000),
      current_eviction_exceeded_time: Math.floor(cur / 1000),
    };
  });
  onResetStats(server, () => {
    st.exceededTotalUs = 0;
    st.exceededSince = 0;
  });
}
