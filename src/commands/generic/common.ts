/*
 * Helpers shared by the keyspace, expiry and db commands (Redis's db.c /
 * expire.c / object.c glue): value copies for COPY, db index arguments as
 * getIntFromObjectOrReply parses them, the "new" event dbAdd fires, a fresh
 * object's access clock, and TYPE / OBJECT ENCODING names.
 */
import type { Client } from '../../server/client.js';
import type { Server } from '../../server/server.js';
import type { Db } from '../../keyspace/db.js';
import type { Value } from '../../types/value.js';
import { MutableString, stringEncoding } from '../../types/string.js';
import { NOTIFY_NEW } from '../../keyspace/notify.js';
import { toBigInt } from '../args.js';
import { ERR_NOT_INTEGER, errIntRange } from '../../protocol/errors.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * getIntFromObjectOrReply: a 32-bit integer argument, or null after replying
 * the error (msg replaces both Redis errors when given, as SWAPDB does).
 */
export function intArg(c: Client, s: string, msg?: string): number | null {
  const b = toBigInt(s);
  if (b === null) { c.error(msg ?? ERR_NOT_INTEGER); return null; }
  if (b < INT_MIN || b > INT_MAX) { c.error(msg ?? errIntRange(INT_MIN, INT_MAX)); return null; }
  return Number(b);
}

/** The db with that index, or undefined when out of range (selectDb failing). */
export const dbAt = (server: Server, id: number): Db | undefined =>
  id >= 0 && id < server.dbs.length ? server.dbs[id] : undefined;

/** cluster-enabled (absent until cluster support lands) */
export const clusterEnabled = (server: Server): boolean =>
  server.config.values.has('cluster-enabled') && server.config.bool('cluster-enabled');

/** A deep, independent copy of a value (COPY), or null when its type cannot copy itself yet. */
export function cloneValue(v: Value): Value | null {
  if (typeof v === 'string') return v;
  if (v instanceof MutableString) return v.clone();
  return v.clone ? v.clone() : null;
}

/** Access clock of a newly created object (createObject: LRU now, or LFU minutes | LFU_INIT_VAL). */
export const freshClock = (server: Server): number => server.accessClock(0);

/** dbAdd's keyspace event. */
export function notifyNew(server: Server, db: Db, key: string): void {
  server.recorder.notify(NOTIFY_NEW, 'new', key, db.id);
}

/** dbAdd: store a new key in the client's db and fire the "new" keyspace event. */
export function addKey(c: Client, key: string, v: Value): void {
  c.db.set(key, v);
  notifyNew(c.server, c.db, key);
}

/** setKey: store (dropping any TTL unless keepTtl), firing "new" when the key was created. */
export function setKey(c: Client, key: string, v: Value, keepTtl = false): void {
  if (c.db.set(key, v, keepTtl)) notifyNew(c.server, c.db, key);
}

/** TYPE's name of a value. */
export const typeName = (v: Value): string => (typeof v === 'string' ? 'string' : v.type);

/** OBJECT ENCODING of a value. */
export function encodingOf(v: Value): string {
  if (typeof v === 'string' || v instanceof MutableString) return stringEncoding(v);
  return v.encoding ? v.encoding() : 'unknown';
}

/** True when Redis would hold the value as a shared integer object (0..9999; OBJECT REFCOUNT). */
export function isSharedInteger(server: Server, v: Value): boolean {
  if (typeof v !== 'string' || v.length > 4 || stringEncoding(v) !== 'int' || v.charCodeAt(0) === 45) return false;
  // maxmemory with an LRU/LFU policy disables shared integers (MAXMEMORY_FLAG_NO_SHARED_INTEGERS)
  const policy = server.config.str('maxmemory-policy');
  return !(server.config.maxmemory > 0 && (policy.includes('lru') || policy.includes('lfu')));
}
