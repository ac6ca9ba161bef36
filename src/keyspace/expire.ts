/*
 * Active expiry: each cron tick walks the keys with a TTL through a live
 * iterator per db (so successive ticks continue where the last stopped and a
 * full sweep eventually visits every key), deleting expired ones, within a time
 * budget of 25% of the tick (Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC) and
 * repeating while more than 10% of the sampled keys were expired
 * (redis/src/expire.c activeExpireCycle). The event loop is never held for
 * longer than the budget.
 */
import type { Db } from './db.js';

interface Expirer { dbs: Db[]; now: number; stats: { expiredStalePerc: number; expiredTimeCapReached: number } }

const cursors = new WeakMap<Db, { map: unknown; it: Iterator<[string, number]> }>();
const SAMPLE = 20;

export function activeExpireCycle(server: Expirer, tickMs: number): void {
  const budget = Math.max(1, tickMs * 0.25);
  const start = performance.now();
  for (const db of server.dbs) {
    if (db.expires.size === 0) continue;
    for (;;) {
      let cur = cursors.get(db);
      if (!cur || cur.map !== db.expires) {
        cur = { map: db.expires, it: db.expires.entries() };
        cursors.set(db, cur);
      }
      let sampled = 0;
      let expired = 0;
      const now = server.now;
      while (sampled < SAMPLE) {
        const r = cur.it.next();
        if (r.done) { cursors.delete(db); break; }
        sampled++;
        const [key, when] = r.value;
        if (when <= now && db.expireIfNeeded(key)) expired++;
      }
      if (sampled > 0) server.stats.expiredStalePerc = expired / sampled;
      if (performance.now() - start > budget) { server.stats.expiredTimeCapReached++; return; }
      if (sampled === 0 || expired * 10 <= sampled) break;
    }
  }
}
