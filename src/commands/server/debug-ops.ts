/*
 * DEBUG subcommand helpers: OBJECT's line, DIGEST / DIGEST-VALUE, POPULATE.
 *
 * DIGEST and DIGEST-VALUE equal Redis 7.0's byte for byte (redis/src/debug.c
 * xorObjectDigest, computeDatasetDigest). Two SHA1 steps build everything:
 * xor (d ^= SHA1(data), order-free) and mix (d = SHA1(d ^ SHA1(data)),
 * order-dependent). A value's digest mixes its type id, then:
 *   string  its bytes;
 *   list    each element in order (mixed);
 *   set     each member xor-ed in directly;
 *   zset    per member e = mix(member) then mix(score as "%.17g") from
 *           zeros, then e xor-ed in (d ^= SHA1(e));
 *   hash    likewise per field, with mix(field) then mix(value);
 *   stream  "<ms>.<seq>" then each field and value, all mixed in order;
 * and "!!expire!!" xor-ed in when the key has a TTL. The dataset digest mixes
 * each non-empty db's id (4 bytes, big-endian) into the result, then xors in
 * one digest per key: mix(key) from zeros, continued with the value's digest
 * as above. An empty dataset is 40 zeros.
 *
 * Redis hashes logical content: integers in listpacks and intsets are turned
 * back into their decimal text first, so no encoding changes a digest, except
 * that a listpack zset stores a -0 score as the integer 0 (ours does the same,
 * src/types/zset.ts, so the scores read here already are what Redis reads).
 * Like Redis's (dictFind, no lookupKey), both read keys whose TTL passed but
 * that are still held, without expiring them.
 */
import { createHash } from 'node:crypto';
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import type { Value } from '../../types/value.js';
import type { List } from '../../types/list.js';
import type { SetValue } from '../../types/set.js';
import type { ZSet } from '../../types/zset.js';
import type { HashValue } from '../../types/hash.js';
import type { Stream } from '../../types/stream.js';
import { strLen, strOf, stringEncoding, type MutableString } from '../../types/string.js';
import { formatDouble } from '../../protocol/reply.js';
import { idleSeconds } from '../../keyspace/access.js';

// ---- digest primitives (debug.c xorDigest / mixDigest) -----------------------

/** xorDigest: digest ^= SHA1(data); data is latin1 text or bytes. */
function xorInto(digest: Buffer, data: string | Buffer): void {
  const h = createHash('sha1');
  if (typeof data === 'string') h.update(data, 'latin1'); else h.update(data);
  const x = h.digest();
  for (let i = 0; i < 20; i++) digest[i]! ^= x[i]!;
}

/** mixDigest: digest = SHA1(digest ^ SHA1(data)). */
function mixInto(digest: Buffer, data: string | Buffer): void {
  xorInto(digest, data);
  createHash('sha1').update(digest).digest().copy(digest);
}

/** One zset or hash element: e = mix(a) then mix(b) from 20 zero bytes; digest ^= SHA1(e). */
function xorPair(digest: Buffer, a: string, b: string): void {
  const ele = Buffer.alloc(20);
  mixInto(ele, a);
  mixInto(ele, b);
  xorInto(digest, ele);
}

/** A 4-byte big-endian integer (htonl), as Redis mixes type and db ids. */
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

// OBJ_STRING, OBJ_LIST, OBJ_SET, OBJ_ZSET, OBJ_HASH, (OBJ_MODULE 5), OBJ_STREAM
const TYPE_IDS = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;

// ---- per-key and dataset digests ------------------------------------------------

/** xorObjectDigest: mixes the type, the value and (xor) the expire mark into `digest`. */
function xorObjectDigest(db: Db, key: string, digest: Buffer, v: Value): void {
  if (typeof v === 'string' || v.type === 'string') {
    mixInto(digest, u32(TYPE_IDS.string));
    mixInto(digest, typeof v === 'string' ? v : (v as MutableString).bytes());
  } else {
    mixInto(digest, u32(TYPE_IDS[v.type]));
    switch (v.type) {
      case 'list': {
        const l = v as List;
        for (let i = 0; i < l.length; i++) mixInto(digest, l.at(i));
        break;
      }
      case 'set':
        (v as SetValue).forEach((m) => { xorInto(digest, m); });
        break;
      case 'zset': {
        const z = v as ZSet;
        z.each(0, z.size, false, (m, score) => { xorPair(digest, m, formatDouble(score)); });
        break;
      }
      case 'hash':
        (v as HashValue).forEach((f, x) => { xorPair(digest, f, x); });
        break;
      case 'stream':
        for (const p of (v as Stream).digestParts()) mixInto(digest, p);
        break;
    }
  }
  if (db.getExpire(key) !== -1) xorInto(digest, '!!expire!!');
}

/** DEBUG DIGEST-VALUE of one key (no key name mixed in). */
export function keyDigest(db: Db, key: string, v: Value): Buffer {
  const d = Buffer.alloc(20);
  xorObjectDigest(db, key, d, v);
  return d;
}

/** DEBUG DIGEST-VALUE of a key by name: 40 zeros when no value is held (expired-but-held keys count). */
export function keyDigestHex(db: Db, key: string): string {
  const v = db.hint(key);
  return v === undefined ? '0'.repeat(40) : keyDigest(db, key, v).toString('hex');
}

/** DEBUG DIGEST: computeDatasetDigest over every db, hex. */
export function datasetDigest(c: Client): string {
  const final = Buffer.alloc(20);
  for (const db of c.server.dbs) {
    if (db.size === 0) continue;
    mixInto(final, u32(db.id));
    for (const key of db.keys()) {
      const v = db.hint(key);
      if (v === undefined) continue;
      const d = Buffer.alloc(20);
      mixInto(d, key);
      xorObjectDigest(db, key, d, v);
      xorInto(final, d);
    }
  }
  return final.toString('hex');
}

/** "Value at:0x... refcount:1 encoding:... serializedlength:... lru:... lru_seconds_idle:..." */
export function objectLine(c: Client, key: string, v: Value): string {
  const db = c.db;
  let enc = 'unknown';
  let serialized = 0;
  if (typeof v === 'string' || v.type === 'string') {
    enc = stringEncoding(v as never);
    const n = strLen(v as never);
    serialized = enc === 'int' ? intSerializedLen(strOf(v as never)) : n + (n < 64 ? 1 : n < 16384 ? 2 : 5);
  } else {
    const ev = v as unknown as { encoding?: string | (() => string) };
    enc = typeof ev.encoding === 'function' ? ev.encoding() : ev.encoding ?? 'unknown';
    serialized = 1;
  }
  const clock = db.clockOf(key) ?? 0;
  const idle = idleSeconds(clock, c.server.now);
  let addr = 0;
  for (let i = 0; i < key.length; i++) addr = (addr * 31 + key.charCodeAt(i)) >>> 0;
  return `Value at:0x7f${addr.toString(16).padStart(10, '0')} refcount:1 encoding:${enc} serializedlength:${serialized} lru:${clock} lru_seconds_idle:${idle}`;
}

/** RDB length of an integer-encoded string (1 + 1/2/4 bytes). */
function intSerializedLen(s: string): number {
  const n = Number(s);
  if (n >= -128 && n <= 127) return 2;
  if (n >= -32768 && n <= 32767) return 3;
  if (n >= -2147483648 && n <= 2147483647) return 5;
  return s.length + 1;
}
