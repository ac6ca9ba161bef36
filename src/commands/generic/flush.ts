/*
 * FLUSHDB / FLUSHALL (redis/src/db.c): optional ASYNC|SYNC (the same here:
 * dropping the maps is O(1) for the event loop either way). Every flushed db
 * is signalled (keyModified(db, null), empty or not: FLUSHALL signals all
 * dbs, so a tracking hook sends its one flush invalidation per command)
 * while the keys still exist; dirty grows by the number of keys removed; the command propagates
 * even when nothing was removed (forceCommandPropagation).
 */
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';

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
  const rec = c.server.recorder;
  let removed = 0;
  for (const db of dbs) rec.keyModified(db, null);
  for (const db of dbs) { removed += db.size; db.clear(); }
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
