/*
 * The EXPIRE family and the TTL family (redis/src/expire.c
 * expireGenericCommand, ttlGenericCommand).
 *
 * EXPIRE: options (NX XX GT LT) are parsed before the time; the time is an
 * exact 64-bit integer (bigint) checked for overflow in unit conversion and
 * base-time addition like Redis. A time in the past deletes the key (event
 * "del", propagated as DEL or UNLINK), except while loading (AOF replay: the
 * TTL is set, the key expires after the load, as checkAlreadyExpired);
 * otherwise the TTL is set (event "expire") and the command propagates as
 * PEXPIREAT <absolute ms>, options kept. A persistent key counts as an infinite TTL for GT / LT.
 */
import type { Client } from '../../server/client.js';
import { toBigInt, LLONG_MAX, LLONG_MIN } from '../args.js';
import {
  ERR_EXPIRE_GT_LT_CONFLICT, ERR_EXPIRE_NX_CONFLICT, ERR_NOT_INTEGER, errInvalidExpire, errUnsupportedOption,
} from '../../protocol/errors.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

/** parseExtendedExpireArgumentsOrReply: option flags from argv[3..], or -1 after replying an error. */
function parseFlags(c: Client, argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'nx') flags |= NX;
    else if (opt === 'xx') flags |= XX;
    else if (opt === 'gt') flags |= GT;
    else if (opt === 'lt') flags |= LT;
    else { c.error(errUnsupportedOption(argv[j]!)); return -1; }
  }
  if ((flags & NX) && (flags & (XX | GT | LT))) { c.error(ERR_EXPIRE_NX_CONFLICT); return -1; }
  if ((flags & GT) && (flags & LT)) { c.error(ERR_EXPIRE_GT_LT_CONFLICT); return -1; }
  return flags;
}

/** EXPIRE / PEXPIRE (basetime = now) and EXPIREAT / PEXPIREAT (basetime 0). */
export function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const flags = parseFlags(c, argv);
  if (flags < 0) return;
  const server = c.server;
  const key = argv[1]!;
  let when = toBigInt(argv[2]!);
  if (when === null) { c.error(ERR_NOT_INTEGER); return; }
  const fullname = c.cmd?.fullname ?? argv[0]!.toLowerCase();
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) { c.error(errInvalidExpire(fullname)); return; }
    when *= 1000n;
  }
  const basetime = relative ? BigInt(server.now) : 0n;
  if (when > LLONG_MAX - basetime) { c.error(errInvalidExpire(fullname)); return; }
  when += basetime;

  const db = c.db;
  if (db.get(key) === undefined) { c.int(0); return; }
  const whenMs = Number(when);
  if (flags !== 0) {
    const current = db.getExpire(key);
    if ((flags & NX) && current !== -1) { c.int(0); return; }
    if ((flags & XX) && current === -1) { c.int(0); return; }
    if ((flags & GT) && (current === -1 || whenMs <= current)) { c.int(0); return; }
    if ((flags & LT) && current !== -1 && whenMs >= current) { c.int(0); return; }
  }
  // checkAlreadyExpired: not while loading (the AOF replays RPUSH after a past PEXPIREAT on the same key)
  if (whenMs <= server.now && !db.hooks.expiryIsRemote && !server.persistence.loading) {
    db.delete(key);
    c.propagateArgv = [server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key];
    server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'del');
    c.int(1);
    return;
  }
  db.setExpire(key, whenMs);
  c.int(1);
  if (relative || seconds) {
    const rewritten = argv.slice();
    rewritten[0] = 'PEXPIREAT';
    rewritten[2] = String(when);
    c.propagateArgv = rewritten;
  }
  server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'expire');
}

/** TTL / PTTL (output_ms) and EXPIRETIME / PEXPIRETIME (output_abs). */
export function ttlGeneric(c: Client, key: string, ms: boolean, abs: boolean): void {
  const db = c.db;
  if (db.peek(key) === undefined) { c.server.keyMiss(db, key); c.int(-2); return; }
  c.server.stats.keyspaceHits++;
  const expire = db.getExpire(key);
  if (expire === -1) { c.int(-1); return; }
  let ttl = abs ? expire : expire - c.server.now;
  if (ttl < 0) ttl = 0;
  c.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}
