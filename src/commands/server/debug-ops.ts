/*
 * DEBUG subcommand helpers: OBJECT's line, DIGEST / DIGEST-VALUE, POPULATE.
 *
 * DIGEST follows Redis's construction (redis/src/debug.c computeDatasetDigest):
 * per db the id is mixed in, then per key SHA1-mix of key, type, value and the
 * expire mark, XOR-ed into the result so key order does not matter; 40 zeros
 * for an empty dataset. For string values the bytes match Redis's; other types are
 * digested from a canonical serialization of their contents (types can
 * provide digestParts()), so the result changes whenever data changes but is
 * not guaranteed to equal Redis's for collections.
 */
import { createHash } from 'node:crypto';
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import type { Value } from '../../types/value.js';
import { strLen, strOf, stringEncoding, type MutableString } from '../../types/string.js';
import { idleSeconds } from '../../keyspace/access.js';

const sha1 = (parts: readonly (string | Buffer)[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
  return h.digest();
};

/** xorDigest: digest ^= SHA1(data). */
function xorInto(digest: Buffer, data: string | Buffer): void {
  const h = sha1([data]);
  for (let i = 0; i < 20; i++) digest[i]! ^= h[i]!;
}

/** mixDigest: digest = SHA1(digest ^ data) (order-dependent). */
function mixInto(digest: Buffer, data: string | Buffer): void {
  xorInto(digest, data);
  sha1([digest]).copy(digest);
}

/** Canonical parts of a non-string value for the digest. */
function valueParts(v: Value): string[] {
  if (typeof v === 'string' || v.type === 'string') return [strOf(v as never)];
  const dv = v as unknown as { digestParts?: () => string[] };
  if (typeof dv.digestParts === 'function') return dv.digestParts();
  // sets: members only (an intset's spare capacity must not change the digest, e.g. after DEBUG RELOAD)
  if (v.type === 'set') return ['set', ...(v as unknown as { members(): string[] }).members().sort()];
  if (v.type === 'hash') {
    // hashes: field/value pairs sorted by field (the table layout must not change the digest)
    const pairs: [string, string][] = [];
    (v as unknown as { forEach(fn: (f: string, x: string) => void): void }).forEach((f, x) => { pairs.push([f, x]); });
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return ['hash', ...pairs.flat()];
  }
  if (v.type === 'list') {
    const l = v as unknown as { length: number; slice(start: number, count: number): string[] };
    return ['list', ...l.slice(0, l.length)];
  }
  if (v.type === 'zset') {
    // sorted sets: members and scores in rank order (the skiplist's layout must not change the digest)
    const z = v as unknown as { each(from: number, n: number, rev: boolean, cb: (m: string, s: number) => void): void };
    const out: string[] = ['zset'];
    z.each(0, Number.MAX_SAFE_INTEGER, false, (m, sc) => { out.push(m, String(sc)); });
    return out;
  }
  const seen = new WeakSet<object>();
  const ser = (x: unknown): string => {
    if (x === null || x === undefined) return String(x);
    if (typeof x === 'string') return JSON.stringify(x);
    if (typeof x !== 'object') return String(x);
    if (seen.has(x)) return '~';
    seen.add(x);
    if (x instanceof Map) return '{' + [...x.entries()].map(([k, y]) => ser(k) + ':' + ser(y)).sort().join(',') + '}';
    if (x instanceof Set) return '[' + [...x].map(ser).sort().join(',') + ']';
    if (Array.isArray(x) || ArrayBuffer.isView(x)) return '[' + Array.from(x as ArrayLike<unknown>).map(ser).join(',') + ']';
    return '{' + Object.keys(x).sort().map((k) => k + ':' + ser((x as Record<string, unknown>)[k])).join(',') + '}';
  };
  return [v.type, ser(v)];
}

const TYPE_IDS: Record<string, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };

/** xorObjectDigest: mixes the type, the value and (xor) the expire mark into `digest`. */
function xorObjectDigest(db: Db, key: string, digest: Buffer, v: Value): void {
  const t = typeof v === 'string' ? 'string' : v.type;
  const aux = Buffer.alloc(4);
  aux.writeUInt32BE(TYPE_IDS[t] ?? 0);
  mixInto(digest, aux);
  if (t === 'string') mixInto(digest, typeof v === 'string' ? v : (v as MutableString).bytes());
  else for (const p of valueParts(v)) mixInto(digest, p);
  if (db.getExpire(key) !== -1) xorInto(digest, '!!expire!!');
}

/** DEBUG DIGEST-VALUE of one key (no key name mixed in). */
export function keyDigest(db: Db, key: string, v: Value): Buffer {
  const d = Buffer.alloc(20);
  xorObjectDigest(db, key, d, v);
  return d;
}

export function datasetDigest(c: Client): string {
  const final = Buffer.alloc(20);
  for (const db of c.server.dbs) {
    if (db.size === 0) continue;
    const aux = Buffer.alloc(4);
    aux.writeUInt32BE(db.id);
    mixInto(final, aux);
    for (const key of db.keys()) {
      // (keys whose TTL passed are left out rather than deleted by reading them)
      if (db.isExpired(key)) continue;
      const v = db.peek(key);
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
