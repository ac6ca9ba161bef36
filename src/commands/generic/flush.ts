/*
 * FLUSHDB / FLUSHALL (redis/src/db.c): optional ASYNC|SYNC (the same here:
 * dropping the maps is O(1) for the event loop either way; an ASYNC flush,
 * or lazyfree-lazy-user-flush with no option, counts its keys in
 * lazyfreed_objects as Redis's emptyDbAsync). Every flushed db
 * is signalled (keyModified(db, null), empty or not: FLUSHALL signals all
 * dbs, so a tracking hook sends its one flush invalidation per command)
 * while the keys still exist; dirty grows by the number of keys removed; the command propagates
 * even when nothing was removed (forceCommandPropagation). The memory the
 * keys held counts as freed at once and a full GC follows (memoryReleased).
 */
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';
import { datasetMemory, memoryReleased } from '../../keyspace/evict.js';

/** getFlushCommandFlags: null after replying a syntax error, else whether the flush is ASYNC (lazyfree-lazy-user-flush without an option). */
function flushAsync(c: Client, argv: string[]): boolean | null {
  if (argv.length === 1) return c.server.config.bool('lazyfree-lazy-user-flush');
  if (argv.length === 2) {
    const opt = argv[1]!.toLowerCase();
    if (opt === 'sync') return false;
    if (opt === 'async') return true;
  }
  c.error(ERR_SYNTAX);
  return null;
}

/** Empty dbs (emptyData): signal, clear, count; returns the keys removed. */
export function emptyDbs(c: Client, dbs: readonly Db[]): number {
  const server = c.server;
  const rec = server.recorder;
  let removed = 0;
  let total = 0;
  for (const db of server.dbs) total += db.size;
  // the share of the dataset these dbs hold (by keys) is freed now: counted at once, collected next turn
  const freed = total > 0 ? datasetMemory(server) : 0;
  for (const db of dbs) rec.keyModified(db, null);
  for (const db of dbs) { removed += db.size; db.clear(); }
  if (removed > 0) memoryReleased(Math.round(freed * (removed / total)));
  return removed;
}

export function flushGeneric(c: Client, argv: string[], all: boolean): void {
  const async = flushAsync(c, argv);
  if (async === null) return;
  const server = c.server;
  const removed = emptyDbs(c, all ? server.dbs : [c.db]);
  server.recorder.dirty += removed;
  // emptyDbAsync: the keys count as lazily freed (keyspace/lazyfree.ts)
  if (async) server.stats.lazyfreedObjects += removed;
  c.preventPropagation = true;
  server.recorder.propagate(c.db.id, argv);
  c.ok();
}
