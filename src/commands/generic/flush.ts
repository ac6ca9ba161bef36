/*
 * FLUSHDB / FLUSHALL (redis/src/db.c): optional ASYNC|SYNC (the same here:
 * dropping the maps is O(1) for the event loop either way). Every flushed db
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

/** getFlushCommandFlags: false after replying a syntax error. */
function flushArgsOk(c: Client, argv: string[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2) {
    const opt = argv[1]!.toLowerCase();
    if (opt === 'sync' || opt === 'async') return true;
  }
  c.error(ERR_SYNTAX);
  return false;
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
  if (!flushArgsOk(c, argv)) return;
  const server = c.server;
  server.recorder.dirty += emptyDbs(c, all ? server.dbs : [c.db]);
  c.preventPropagation = true;
  server.recorder.propagate(c.db.id, argv);
  c.ok();
}
