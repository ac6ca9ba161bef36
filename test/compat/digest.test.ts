/*
 * DEBUG DIGEST and DEBUG DIGEST-VALUE against real Redis, byte for byte
 * (redis/src/debug.c xorObjectDigest, computeDatasetDigest): every type in
 * every 7.0 encoding (strings int/embstr/raw, lists, sets intset/hashtable,
 * sorted sets listpack/skiplist, hashes listpack/hashtable, streams), integers
 * and non-integers where listpacks and intsets store numbers, zset scores
 * that exercise "%.17g", binary data, TTLs, several dbs, logically expired
 * keys, and the empty dataset. Each test also checks OBJECT ENCODING on both
 * sides so the encodings it means to cover are the ones built.
 *
 * The random test prints its seed; rerun one with DIGEST_SEED=<seed>.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type Arg, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const ZEROS = '+' + '0'.repeat(40) + '\r\n';

/** Both digests of the dataset and of each key, compared; returns the per-key replies (ours). */
async function digests(c: PairClient, ...keys: string[]): Promise<string> {
  for (const k of keys) await c.do('DEBUG', 'DIGEST-VALUE', k); // one by one first: a failure names the key
  const r = await c.do('DEBUG', 'DIGEST-VALUE', ...keys);
  await c.do('DEBUG', 'DIGEST');
  return r;
}

/** OBJECT ENCODING of key is `enc` on both servers. */
async function encoding(c: PairClient, key: string, enc: string): Promise<void> {
  const r = await c.do('OBJECT', 'ENCODING', key);
  assert.equal(r, `$${enc.length}\r\n${enc}\r\n`, `OBJECT ENCODING ${key}`);
}

/** The per-key digest lines of a DIGEST-VALUE reply. */
const lines = (r: string): string[] => r.split('\r\n').slice(1, -1);

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** Integers and integer-looking strings: those a listpack/intset stores as numbers and those it keeps as text. */
const NUMERIC = ['0', '1', '-1', '12', '-128', '255', '32767', '-32768', '8388607', '2147483647', '-2147483648',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-0', '007', '+1', ' 1', '1.5', '1e3', ''];

describe('DEBUG DIGEST', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('empty dataset and missing keys', async () => {
    const c = await p.client();
    assert.equal(await c.do('DEBUG', 'DIGEST'), ZEROS);
    assert.equal(await c.do('DEBUG', 'DIGEST-VALUE'), '*0\r\n');
    await c.do('DEBUG', 'DIGEST-VALUE', 'nokey', 'other');
    await c.do('SET', 'k', 'v');
    await c.do('DEL', 'k');
    assert.equal(await c.do('DEBUG', 'DIGEST'), ZEROS);
  });

  test('strings: int, embstr, raw, binary', async () => {
    const c = await p.client();
    const bin = Buffer.from([0, 255, 13, 10, 128, 1, 0]);
    await c.do('SET', 'int', '12345');
    await c.do('SET', 'neg', '-9223372036854775808');
    await c.do('SET', 'emb', 'hello');
    await c.do('SET', 'raw', 'x'.repeat(100));
    await c.do('SET', 'empty', '');
    await c.do('SET', 'bin', bin);
    await c.do('SET', 'app', 'abc');
    await c.do('APPEND', 'app', 'def');
    await c.do('SETRANGE', 'rng', '5', 'z');
    await c.do('INCRBYFLOAT', 'flt', '0.1');
    await c.do('SETBIT', 'bits', '100', '1');
    await encoding(c, 'int', 'int');
    await encoding(c, 'emb', 'embstr');
    await encoding(c, 'raw', 'raw');
    await digests(c, 'int', 'neg', 'emb', 'raw', 'empty', 'bin', 'app', 'rng', 'flt', 'bits');
  });

  test('lists: small and large, integers, binary, order matters', async () => {
    const c = await p.client();
    await c.do('RPUSH', 'l', 'a', 'b', 'c');
    await c.do('RPUSH', 'r', 'c', 'b', 'a');
    await c.do('RPUSH', 'nums', ...NUMERIC);
    await c.do('RPUSH', 'bin', Buffer.from([0, 1, 2]), Buffer.from([255, 254]), 'x'.repeat(200));
    await c.do('RPUSH', 'big', ...range(1000, (i) => (i % 3 === 0 ? String(i * 7919 - 5000) : `elem:${i}`)));
    await c.do('LPUSH', 'big', 'head');
    await c.do('LSET', 'big', '500', 'middle');
    await c.do('LINSERT', 'big', 'BEFORE', 'middle', '42');
    await c.do('RPUSH', 'long', 'y'.repeat(10000), 'z');
    await encoding(c, 'l', 'quicklist');
    await encoding(c, 'big', 'quicklist');
    const r = lines(await digests(c, 'l', 'r', 'nums', 'bin', 'big', 'long'));
    assert.notEqual(r[0], r[1], 'a list digest depends on the order');
  });

  test('sets: intset and hashtable, same members either way', async () => {
    const c = await p.client();
    await c.do('SADD', 'ints', '1', '-5', '300', '70000', '-9223372036854775808', '9223372036854775807');
    await c.do('SADD', 'strs', 'a', 'b', 'c', ...NUMERIC);
    await c.do('SADD', 'bin', Buffer.from([0, 0xff]), Buffer.from([0x80]));
    await c.do('SADD', 'bigints', ...range(600, (i) => String(i * 13 - 1000)));
    await c.do('SADD', 'big', ...range(700, (i) => `m${i}`));
    // the same members in both encodings: an intset, and a hashtable made by a string member added and removed
    await c.do('SADD', 's1', '3', '1', '2');
    await c.do('SADD', 's2', '2', 'x', '3', '1');
    await c.do('SREM', 's2', 'x');
    await encoding(c, 'ints', 'intset');
    await encoding(c, 'strs', 'hashtable');
    await encoding(c, 'bigints', 'hashtable');
    await encoding(c, 's1', 'intset');
    await encoding(c, 's2', 'hashtable');
    const r = lines(await digests(c, 'ints', 'strs', 'bin', 'bigints', 'big', 's1', 's2'));
    assert.equal(r[5], r[6], 'a set digest does not depend on the encoding');
  });

  test('sorted sets: listpack and skiplist, "%.17g" scores', async () => {
    const c = await p.client();
    const scores = ['0', '1', '-1', '3.0', '0.1', '-2.5', '1e300', '-1e-300', '1.5e-7', '123456789012345678',
      '4611686018427387904', '1125899906842624.25', '0.30000000000000004', '5e-324', '1.7976931348623157e308', 'inf', '-inf'];
    const pairs = (prefix: string): string[] => scores.flatMap((s, i) => [s, `${prefix}${i}`]);
    await c.do('ZADD', 'small', ...pairs('m'));
    await c.do('ZADD', 'nummembers', ...NUMERIC.flatMap((m, i) => [String(i / 4), m]));
    await c.do('ZADD', 'bin', '1', Buffer.from([0, 0xff]), '2', Buffer.from([0x80, 0]));
    await c.do('ZADD', 'big', ...range(300, (i) => [String((i - 150) / 7), i % 2 ? `m${i}` : String(i)]).flat());
    await c.do('ZADD', 'longmember', '1', 'x'.repeat(100), '2', 'y');
    await c.do('ZINCRBY', 'small', '0.2', 'm4');
    await c.do('ZINCRBY', 'big', '0.1', 'm1');
    // -0: kept by the skiplist, stored as the integer 0 in a listpack
    await c.do('ZADD', 'negzero', '-0', 'a', '0', 'b');
    await c.do('ZADD', 'negzerobig', '-0', 'a', '0', 'b', '1', 'z'.repeat(100));
    // the same content in both encodings
    await c.do('ZADD', 'z1', '1.5', 'a', '2', 'b');
    await c.do('ZADD', 'z2', '1.5', 'a', '2', 'b', '3', 'c'.repeat(100));
    await c.do('ZREM', 'z2', 'c'.repeat(100));
    await encoding(c, 'small', 'listpack');
    await encoding(c, 'nummembers', 'listpack');
    await encoding(c, 'big', 'skiplist');
    await encoding(c, 'longmember', 'skiplist');
    await encoding(c, 'negzerobig', 'skiplist');
    await encoding(c, 'z2', 'skiplist');
    await c.do('ZRANGE', 'small', '0', '-1', 'WITHSCORES');
    const r = lines(await digests(c, 'small', 'nummembers', 'bin', 'big', 'longmember', 'negzero', 'negzerobig', 'z1', 'z2'));
    assert.equal(r[7], r[8], 'a zset digest does not depend on the encoding');
  });

  test('hashes: listpack and hashtable, integer fields and values', async () => {
    const c = await p.client();
    await c.do('HSET', 'small', 'f1', 'v1', 'f2', 'v2');
    await c.do('HSET', 'nums', ...NUMERIC.flatMap((x, i) => [x, NUMERIC[NUMERIC.length - 1 - i]!]));
    await c.do('HSET', 'bin', Buffer.from([0, 1]), Buffer.from([0xff, 0]), 'e', '');
    await c.do('HSET', 'big', ...range(600, (i) => [`f${i}`, i % 2 ? String(i * 31) : `v${i}`]).flat());
    await c.do('HSET', 'longval', 'a', 'x'.repeat(100));
    await c.do('HINCRBY', 'small', 'n', '-7');
    await c.do('HINCRBYFLOAT', 'small', 'fl', '2.5');
    // the same content in both encodings
    await c.do('HSET', 'h1', 'a', '1', 'b', '2');
    await c.do('HSET', 'h2', 'b', '2', 'a', '1', 'c', 'c'.repeat(100));
    await c.do('HDEL', 'h2', 'c');
    await encoding(c, 'small', 'listpack');
    await encoding(c, 'nums', 'listpack');
    await encoding(c, 'big', 'hashtable');
    await encoding(c, 'longval', 'hashtable');
    await encoding(c, 'h2', 'hashtable');
    const r = lines(await digests(c, 'small', 'nums', 'bin', 'big', 'longval', 'h1', 'h2'));
    assert.equal(r[5], r[6], 'a hash digest does not depend on the encoding');
  });

  test('streams', async () => {
    const c = await p.client();
    await c.do('XADD', 's', '1-1', 'a', '1', 'b', 'two');
    await c.do('XADD', 's', '1-2', 'a', '3', 'c', Buffer.from([0, 0xff]));
    await c.do('XADD', 's', '18446744073709551615-5', 'x', '');
    await c.do('XADD', 'big', '5-0', ...range(10, (i) => [`f${i}`, String(i)]).flat());
    for (let i = 1; i <= 300; i++) await c.do('XADD', 'big', `${i + 5}-0`, 'n', String(i), 'v', 'y'.repeat(i % 7));
    await c.do('XDEL', 'big', '100-0', '101-0');
    await c.do('XGROUP', 'CREATE', 'big', 'g', '0');
    await c.do('XADD', 'empty', 'MAXLEN', '0', '1-0', 'a', 'b');
    await digests(c, 's', 'big', 'empty');
  });

  test('expire times are mixed in', async () => {
    const c = await p.client();
    const far = String(Date.now() + 3_600_000);
    await c.do('SET', 'str', 'v', 'EX', '1000');
    await c.do('SET', 'strnottl', 'v');
    await c.do('RPUSH', 'list', 'a', 'b');
    await c.do('SADD', 'set', '1', '2');
    await c.do('SADD', 'sets', 'x', 'y');
    await c.do('ZADD', 'zset', '1', 'a');
    await c.do('HSET', 'hash', 'f', 'v');
    await c.do('XADD', 'stream', '1-1', 'f', 'v');
    for (const k of ['list', 'set', 'sets', 'zset', 'hash', 'stream']) await c.do('PEXPIREAT', k, far);
    const withTtl = await digests(c, 'str', 'strnottl', 'list', 'set', 'sets', 'zset', 'hash', 'stream');
    const r = lines(withTtl);
    assert.notEqual(r[0], r[1], 'the expire changes the digest');
    for (const k of ['str', 'list', 'set', 'sets', 'zset', 'hash', 'stream']) await c.do('PERSIST', k);
    const without = await digests(c, 'str', 'strnottl', 'list', 'set', 'sets', 'zset', 'hash', 'stream');
    assert.equal(lines(without)[0], lines(without)[1]);
  });

  test('several dbs: the db id is mixed in', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    const only0 = await c.do('DEBUG', 'DIGEST');
    await c.do('SELECT', '1');
    await c.do('SET', 'k', 'v');
    await c.do('HSET', 'h', 'a', '1');
    await c.do('SELECT', '7');
    await c.do('ZADD', 'z', '1', 'a', '2.5', 'b');
    await c.do('SADD', 's', 'x', '5');
    await c.do('SELECT', '15');
    await c.do('RPUSH', 'l', '1', 'two', '3');
    await c.do('SET', 't', 'x', 'EX', '500');
    await digests(c, 'l', 't', 'k');
    for (const db of ['15', '7', '1']) {
      await c.do('SELECT', db);
      await c.do('FLUSHDB');
      await c.do('DEBUG', 'DIGEST');
    }
    assert.equal(await c.do('DEBUG', 'DIGEST'), only0);
    await c.do('SELECT', '0');
    await c.do('MOVE', 'k', '3');
    assert.notEqual(await c.do('DEBUG', 'DIGEST'), only0, 'the same key in another db digests differently');
  });

  test('logically expired keys still held are digested (active expire off)', async () => {
    const c = await p.client();
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await c.do('SET', 'gone', 'v', 'PX', '1');
      await c.do('HSET', 'h', 'a', '1');
      await c.do('PEXPIRE', 'h', '1');
      await c.do('SET', 'live', 'v');
      await new Promise((r) => setTimeout(r, 20));
      const r = lines(await digests(c, 'gone', 'h', 'live'));
      assert.notEqual(r[0], '+' + '0'.repeat(40));
      await c.do('GET', 'gone');
      await digests(c, 'gone', 'h', 'live');
    } finally {
      await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  test('random sorted sets, hashes and sets (seeded)', async () => {
    const seed = Number(process.env['DIGEST_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    process.stdout.write(`# digest random seed ${seed}\n`);
    let s = seed >>> 0;
    const rnd = (): number => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
    const int = (n: number): number => Math.floor(rnd() * n);
    const view = new DataView(new ArrayBuffer(8));
    const score = (): string => {
      switch (int(4)) {
        case 0: return String(int(2000) - 1000);
        case 1: return String((int(2000) - 1000) / (1 + int(64)));
        case 2: return (rnd() * 10 ** (int(40) - 20)).toPrecision(1 + int(17));
        default: {
          // any finite double, from random bits
          for (;;) {
            view.setUint32(0, Math.floor(rnd() * 2 ** 32));
            view.setUint32(4, Math.floor(rnd() * 2 ** 32));
            const d = view.getFloat64(0);
            if (Number.isFinite(d)) return String(d);
          }
        }
      }
    };
    const member = (): Arg => (int(3) === 0 ? String(int(100000) - 50000) : Buffer.from(range(1 + int(int(10) === 0 ? 90 : 12), () => String.fromCharCode(int(256))).join(''), 'latin1'));
    const c = await p.client();
    const keys: string[] = [];
    for (let k = 0; k < 12; k++) {
      const n = int(2) === 0 ? 1 + int(20) : 100 + int(200);
      await c.do('ZADD', `z${k}`, ...range(n, () => '').flatMap(() => [score(), member()]));
      await c.do('HSET', `h${k}`, ...range(n, () => '').flatMap(() => [member(), member()]));
      await c.do('SADD', `s${k}`, ...range(n, () => '').map(() => (k % 2 ? String(int(1e9)) : member())));
      await c.do('RPUSH', `l${k}`, ...range(n, () => '').map(member));
      keys.push(`z${k}`, `h${k}`, `s${k}`, `l${k}`);
    }
    await digests(c, ...keys);
  });
});
