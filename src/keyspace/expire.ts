/*
 * Active expiry (redis/src/expire.c activeExpireCycle, slow cycle).
 *
 * Each cron tick walks the keys with a TTL through a live iterator per db, so
 * successive ticks continue where the last one stopped and a full sweep
 * eventually visits every volatile key. Per db it samples keys_per_loop keys
 * (20, more with active-expire-effort), deletes the expired ones, and repeats
 * while more than the acceptable stale share (10%, less with effort) of the
 * sample was expired. The whole cycle stops when its time budget is used up:
 * 25% of the tick (plus 2% per effort step), checked every 16 loops, so the
 * event loop is never held longer than the budget. Databases are visited
 * round-robin from where the last cycle stopped, so a busy db 0 cannot starve
 * the others.
 *
 * A cursor remembers the Map generation it iterates: FLUSHDB (Db.clear) and
 * SWAPDB replace the underlying maps, and the stale iterator is dropped
 * instead of walking entries of a map the db no longer uses.
 *
 * Statistics kept like Redis: expired_stale_perc (a 5% moving average of the
 * expired share of samples), expired_time_cap_reached_count,
 * expire_cycle_cpu_milliseconds, and each db's avg_ttl estimate.
 */
import type { Db } from './db.js';
import { performance } from 'node:perf_hooks';

export interface Expirer {
  dbs: Db[];
  now: number;
  stats: { expiredStalePerc: number; expiredTimeCapReached: number; expireCycleCpuMs: number };
  /** active-expire-effort (1..10) is read from here */
  config?: { num(name: string): number };
}

interface Cursor { gen: unknown; it: Iterator<[string, number]> }

const cursors = new WeakMap<Db, Cursor>();
const nextDb = new WeakMap<object, number>();
const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;

/** One slow expire cycle; tickMs is the cron period (1000 / hz). Returns the milliseconds it took. */
export function activeExpireCycle(server: Expirer, tickMs: number): number {
  const effort = Math.max(0, Math.min(9, (server.config?.num('active-expire-effort') ?? 1) - 1));
  const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
  const acceptableStale = ACCEPTABLE_STALE - effort;
  const budget = (tickMs * (SLOW_TIME_PERC + 2 * effort)) / 100;
  const start = performance.now();
  const dbs = server.dbs;
  let totalSampled = 0;
  let totalExpired = 0;
  let capped = false;
  let iteration = 0;
  let dbIndex = nextDb.get(server) ?? 0;
  for (let n = 0; n < dbs.length && !capped; n++, dbIndex++) {
    const db = dbs[dbIndex % dbs.length]!;
    if (db.hooks.expiryIsRemote) continue; // a replica waits for the master's DELs
    if (db.expires.size === 0) { db.avgTtl = 0; continue; }
    for (;;) {
      if (db.expires.size === 0) { db.avgTtl = 0; break; }
      const cur = cursorOf(db);
      const now = Date.now();
      server.now = now;
      let sampled = 0;
      let expired = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      while (sampled < keysPerLoop) {
        const r = cur.it.next();
        if (r.done) { cursors.delete(db); break; }
        sampled++;
        const [key, when] = r.value;
        if (when <= now) {
          if (db.expireIfNeeded(key)) expired++;
        } else {
          ttlSum += when - now;
          ttlSamples++;
        }
      }
      totalSampled += sampled;
      totalExpired += expired;
      if (ttlSamples > 0) {
        const avg = Math.floor(ttlSum / ttlSamples);
        if (db.avgTtl === 0) db.avgTtl = avg;
        db.avgTtl = Math.floor(db.avgTtl / 50) * 49 + Math.floor(avg / 50);
      }
      if ((++iteration & 15) === 0 && performance.now() - start > budget) { capped = true; break; }
      // an exhausted iterator restarts from the top next loop; stop when the sample was mostly live
      if (sampled === 0 || (expired * 100) / sampled <= acceptableStale) break;
    }
    if (capped) break;
  }
  nextDb.set(server, dbIndex % dbs.length);
  const elapsed = performance.now() - start;
  server.stats.expireCycleCpuMs += elapsed;
  if (capped) server.stats.expiredTimeCapReached++;
  const perc = totalSampled > 0 ? totalExpired / totalSampled : 0;
  server.stats.expiredStalePerc = perc * 0.05 + server.stats.expiredStalePerc * 0.95;
  return elapsed;
}

function cursorOf(db: Db): Cursor {
  const gen = db.expires.generation;
  let cur = cursors.get(db);
  if (cur === undefined || cur.gen !== gen) {
    cur = { gen, it: db.expires.entries() };
    cursors.set(db, cur);
  }
  return cur;
}
