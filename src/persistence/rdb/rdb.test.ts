/*
 * Unit tests of the RDB codec: CRC64, LZF, Redis listpack / intset / ziplist
 * / zipmap bytes (vectors taken from redis-server 7.0.15 output and from the
 * format comments in Redis's sources), value encoding and decoding of every
 * type and old encoding, and whole-file writing and loading.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc64, Crc64 } from './crc64.js';
import { lzfCompress, lzfDecompress } from './lzf.js';
import { lpBuild, lpParse } from './listpack.js';
import { intsetBuild, intsetParse } from './intset.js';
import { zipmapParse, zlBuild, zlParse } from './ziplist.js';
import { dumpPayload, restorePayload, verifyDumpPayload } from './dump.js';
import { decodeValue, DEFAULT_LOAD_CONTEXT, EmptyKeyError } from './decode.js';
import { RdbLoader, RdbWriter, loadRdb, standardAux } from './file.js';
import { RdbError } from './reader-bytes.js';
import { ByteWriter, writeLen, writeString } from './writer-bytes.js';
import * as T from './constants.js';
import { List } from '../../types/list.js';
import { HashValue } from '../../types/hash.js';
import { SetValue } from '../../types/set.js';
import { ZSet } from '../../types/zset.js';
import type { Value } from '../../types/value.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** redis-cli's escaped form ("\x10\x12f...") to bytes */
const esc = (s: string): Buffer => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      const c = s[++i];
      if (c === 'x') { out.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; } else if (c === 'n') out.push(10);
      else if (c === 'r') out.push(13); else if (c === 't') out.push(9); else if (c === 'b') out.push(8);
      else if (c === 'a') out.push(7); else out.push(c!.charCodeAt(0));
    } else out.push(s.charCodeAt(i));
  }
  return Buffer.from(out);
};

function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x; };
}

function crcReference(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of data) {
    crc ^= BigInt(b);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe('crc64', () => {
  test('check value and Redis test vector', () => {
    assert.equal(crc64(Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
    assert.equal(crc64(Buffer.alloc(0)), 0n);
  });
  test('slice-by-8 equals the bitwise definition, and incremental equals one-shot', () => {
    const r = prng(7);
    for (const n of [1, 7, 8, 9, 15, 16, 17, 100, 1000, 4099, 8195, 70001]) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = r() & 255;
      const one = crc64(b);
      assert.equal(one, crcReference(b), `n=${n}`);
      const cut = Math.floor(n / 3);
      assert.equal(new Crc64().update(b, 0, cut).update(b, cut, n).value, one);
      assert.equal(crc64(b.subarray(cut), crc64(b.subarray(0, cut))), one);
    }
  });
});

describe('lzf', () => {
  test('compresses like liblzf (vector from a Redis DUMP of 50 x "a")', () => {
    const input = Buffer.from('a'.repeat(50));
    const out = Buffer.alloc(64);
    const n = lzfCompress(input, out, 46);
    assert.equal(out.subarray(0, n).toString('hex'), '016161e025000161 61'.replace(/ /g, ''));
  });
  test('round trips data of many shapes; refuses when the output does not fit', () => {
    const r = prng(3);
    const samples: Buffer[] = [];
    for (const n of [1, 2, 3, 4, 33, 100, 1000, 9000, 70000]) {
      const random = Buffer.alloc(n); for (let i = 0; i < n; i++) random[i] = r() & 255;
      const small = Buffer.alloc(n); for (let i = 0; i < n; i++) small[i] = 97 + (r() % 4);
      const text = Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(Math.ceil(n / 44)).slice(0, n));
      samples.push(random, small, text, Buffer.alloc(n, 7));
    }
    for (const s of samples) {
      const room = s.length + Math.ceil(s.length / 32) + 64; // worst case: one control byte per 32 literals
      const out = Buffer.alloc(room);
      const n = lzfCompress(s, out, room);
      assert.ok(n > 0);
      const back = Buffer.alloc(s.length);
      assert.equal(lzfDecompress(out, 0, n, back, s.length), s.length);
      assert.ok(back.equals(s));
      // too small an output buffer: 0, as liblzf
      if (n > 1) assert.equal(lzfCompress(s, Buffer.alloc(n), n - 1), 0);
    }
  });
  test('decompression detects corrupt input', () => {
    const out = Buffer.alloc(10);
    assert.equal(lzfDecompress(Buffer.from([5, 1, 2]), 0, 3, out, 10), 0); // literal runs past input
    assert.equal(lzfDecompress(Buffer.from([0x20, 0x05]), 0, 2, out, 10), 0); // reference before start
    assert.equal(lzfDecompress(Buffer.from([3, 1, 2, 3, 4]), 0, 5, Buffer.alloc(2), 2), 0); // output too small
  });
});

describe('listpack bytes', () => {
  test('matches Redis for a small hash (HSET h f v n 1)', () => {
    const lp = lpBuild(['f', 'v', 'n', '1']);
    assert.ok(lp.equals(hex('12000000 0400 8166 02 8176 02 816e 02 01 01 ff')));
    assert.deepEqual(lpParse(lp), ['f', 'v', 'n', '1']);
  });
  test('every integer and string encoding round trips', () => {
    const items = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-4097', '32767', '-32768', '32768', '8388607',
      '-8388608', '8388608', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808',
      '9223372036854775808', '01', '-0', '', 'a'.repeat(63), 'b'.repeat(64), 'c'.repeat(4095), 'd'.repeat(4096), 'e'.repeat(70000)];
    const lp = lpBuild(items);
    assert.equal(lp.readUInt32LE(0), lp.length);
    assert.deepEqual(lpParse(lp), items);
  });
  test('corruption is detected', () => {
    const lp = lpBuild(['abc', '12', 'hello']);
    const bad1 = Buffer.from(lp); bad1.writeUInt32LE(lp.length + 1, 0);
    const bad2 = Buffer.from(lp); bad2[bad2.length - 1] = 0;
    const bad3 = Buffer.from(lp); bad3.writeUInt16LE(5, 4);
    const bad4 = Buffer.from(lp); bad4[10] ^= 0x7f; // a backlen
    for (const b of [bad1, bad2, bad3, bad4, lp.subarray(0, 5)]) assert.equal(lpParse(b), null);
  });
});

describe('intset bytes', () => {
  test('matches Redis (SADD s 1 2 70000) and picks the narrowest encoding', () => {
    const ints = BigInt64Array.from([1n, 2n, 70000n]);
    assert.ok(intsetBuild(ints, 3).equals(hex('04000000 03000000 01000000 02000000 70110100')));
    assert.deepEqual([...intsetParse(intsetBuild(ints, 3))!], [1n, 2n, 70000n]);
    assert.equal(intsetBuild(BigInt64Array.from([-5n, 3n]), 2).readUInt32LE(0), 2);
    const wide = BigInt64Array.from([-9223372036854775808n, 9223372036854775807n]);
    assert.deepEqual([...intsetParse(intsetBuild(wide, 2))!], [...wide]);
  });
  test('bad encodings, sizes and order are refused', () => {
    assert.equal(intsetParse(hex('03000000 01000000 010000')), null);
    assert.equal(intsetParse(hex('02000000 02000000 0100')), null);
    assert.equal(intsetParse(hex('02000000 02000000 0200 0100')), null);
    assert.equal(intsetParse(hex('02000000 02000000 0100 0100')), null);
  });
});

describe('ziplist and zipmap bytes', () => {
  test('the example from ziplist.c ("2", "5") parses and is rebuilt identically', () => {
    const zl = hex('0f000000 0c000000 0200 00f3 02f6 ff');
    assert.deepEqual(zlParse(zl), ['2', '5']);
    assert.ok(zlBuild(['2', '5']).equals(zl));
  });
  test('every ziplist encoding round trips; corruption is detected', () => {
    const items = ['0', '12', '13', '-128', '127', '-32768', '32767', '8388607', '-8388608', '2147483647', '-2147483649',
      '9223372036854775807', '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(16383), 'w'.repeat(16384), 'hello'];
    const zl = zlBuild(items);
    assert.deepEqual(zlParse(zl), items);
    const bad = Buffer.from(zl); bad.writeUInt32LE(3, 4);
    assert.equal(zlParse(bad), null);
    assert.equal(zlParse(zl.subarray(0, zl.length - 1)), null);
  });
  test('zipmap', () => {
    // zmlen 2, "foo" => "bar", "hello" => "world", with one free byte after "bar"
    const zm = Buffer.concat([Buffer.from([2, 3]), Buffer.from('foo'), Buffer.from([3, 1]), Buffer.from('bar'), Buffer.from([0]),
      Buffer.from([5]), Buffer.from('hello'), Buffer.from([5, 0]), Buffer.from('world'), Buffer.from([255])]);
    assert.deepEqual(zipmapParse(zm), ['foo', 'bar', 'hello', 'world']);
    assert.equal(zipmapParse(zm.subarray(0, zm.length - 1)), null);
  });
});

/** Redis 7.0.15 DUMP payloads (redis-cli escapes) of HSET h f v n 1 / ZADD z 1 a 2.5 b / SADD s 1 2 70000 / RPUSH l a 1. */
const REDIS_DUMPS: [string, () => Value][] = [
  ['\\x10\\x12\\x12\\x00\\x00\\x00\\x04\\x00\\x81f\\x02\\x81v\\x02\\x81n\\x02\\x01\\x01\\xff\\n\\x00\\xfc\\xe4\\b\\xf1y"\\xe0\\x16', () => {
    const h = new HashValue(); h.set('f', 'v', 512, 64); h.set('n', '1', 512, 64); return h;
  }],
  ['\\x11\\x14\\x14\\x00\\x00\\x00\\x04\\x00\\x81a\\x02\\x01\\x01\\x81b\\x02\\x832.5\\x04\\xff\\n\\x00\\xd4Ln\\xa4\\xf6D\\xd9\\xd7',
    () => ZSet.fromSorted(['a', 'b'], [1, 2.5], { maxEntries: 128, maxValue: 64 })],
  ['\\x0b\\x14\\x04\\x00\\x00\\x00\\x03\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00p\\x11\\x01\\x00\\n\\x00\\x85\\xd5\\xc1\\x06[\\x1d\\xd0U', () => {
    const s = new SetValue(); for (const m of ['1', '2', '70000']) s.add(m, 512); return s;
  }],
  ['\\x12\\x01\\x02\\x0c\\x0c\\x00\\x00\\x00\\x02\\x00\\x81a\\x02\\x01\\x01\\xff\\n\\x00\\x94\\x96+#\\xac\\x17\\xaa\\x85', () => List.from(['a', '1'])],
  ['\\x00\\x05hello\\n\\x00cr\\xdfve4 \\n', () => 'hello'],
  ['\\x00\\xc3\\t2\\x01aa\\xe0%\\x00\\x01aa\\n\\x00\\t\\xacH\\xb9\\xab\\x15\\xfb\\xc9', () => 'a'.repeat(50)],
];

describe('DUMP payloads', () => {
  test('byte-identical to Redis for known values, and restorable', () => {
    for (const [redis, make] of REDIS_DUMPS) {
      const v = make();
      const p = dumpPayload(v);
      assert.equal(p.toString('hex'), esc(redis).toString('hex'));
      assert.ok(verifyDumpPayload(p));
      const back = restorePayload(p);
      assert.ok(dumpPayload(back).equals(p));
    }
  });
  test('verification: version, checksum, skip', () => {
    const p = dumpPayload('value');
    const bad = Buffer.from(p); bad[bad.length - 1] ^= 1;
    assert.equal(verifyDumpPayload(bad), false);
    assert.equal(verifyDumpPayload(bad, true), true);
    const newer = Buffer.from(p); newer[newer.length - 10] = 11;
    assert.equal(verifyDumpPayload(newer, true), false);
    assert.equal(verifyDumpPayload(Buffer.alloc(9)), false);
  });
});

/** A payload body: type byte then whatever the builder writes. */
function body(type: number, fill: (w: ByteWriter) => void): { buf: Buffer; pos: number } {
  const w = new ByteWriter();
  fill(w);
  void type;
  return { buf: w.take(), pos: 0 };
}

const str = (w: ByteWriter, s: string): void => writeString(w, s, false);
const blobOf = (w: ByteWriter, b: Buffer): void => { writeLen(w, b.length); w.bytes(b); };

describe('decoding old and alternative encodings', () => {
  const ctx = DEFAULT_LOAD_CONTEXT;
  test('lists: plain, ziplist, quicklist of ziplists, quicklist 2 with plain nodes', () => {
    let r = body(T.RDB_TYPE_LIST, (w) => { writeLen(w, 3); for (const s of ['a', '1', 'b']) str(w, s); });
    assert.deepEqual((decodeValue(T.RDB_TYPE_LIST, r, ctx) as List).slice(0, 3), ['a', '1', 'b']);
    r = body(0, (w) => blobOf(w, zlBuild(['x', '7', 'y'])));
    assert.deepEqual((decodeValue(T.RDB_TYPE_LIST_ZIPLIST, r, ctx) as List).slice(0, 3), ['x', '7', 'y']);
    r = body(0, (w) => { writeLen(w, 2); blobOf(w, zlBuild(['a', 'b'])); blobOf(w, zlBuild(['c'])); });
    assert.deepEqual((decodeValue(T.RDB_TYPE_LIST_QUICKLIST, r, ctx) as List).slice(0, 3), ['a', 'b', 'c']);
    r = body(0, (w) => { writeLen(w, 2); writeLen(w, 1); str(w, 'plain'); writeLen(w, 2); blobOf(w, lpBuild(['p', '5'])); });
    assert.deepEqual((decodeValue(T.RDB_TYPE_LIST_QUICKLIST_2, r, ctx) as List).slice(0, 3), ['plain', 'p', '5']);
    r = body(0, (w) => { writeLen(w, 1); writeLen(w, 3); str(w, 'x'); });
    assert.throws(() => decodeValue(T.RDB_TYPE_LIST_QUICKLIST_2, r, ctx), RdbError);
  });
  test('hashes: ziplist, zipmap, plain; conversion under thresholds; duplicates refused', () => {
    let r = body(0, (w) => blobOf(w, zlBuild(['f', 'v', 'g', '2'])));
    let h = decodeValue(T.RDB_TYPE_HASH_ZIPLIST, r, ctx) as HashValue;
    assert.deepEqual([h.encoding(), h.pairs()], ['listpack', ['f', 'v', 'g', '2']]);
    const zm = Buffer.concat([Buffer.from([1, 1]), Buffer.from('f'), Buffer.from([70, 0]), Buffer.from('x'.repeat(70)), Buffer.from([255])]);
    r = body(0, (w) => blobOf(w, zm));
    h = decodeValue(T.RDB_TYPE_HASH_ZIPMAP, r, ctx) as HashValue;
    assert.equal(h.encoding(), 'hashtable'); // a value over hash-max-listpack-value
    assert.equal(h.get('f'), 'x'.repeat(70));
    r = body(0, (w) => { writeLen(w, 2); for (const s of ['a', '1', 'b', '2']) str(w, s); });
    h = decodeValue(T.RDB_TYPE_HASH, r, { ...ctx, hashMaxEntries: 1 }) as HashValue;
    assert.equal(h.encoding(), 'hashtable');
    r = body(0, (w) => { writeLen(w, 2); for (const s of ['a', '1', 'b', '2']) str(w, s); });
    assert.equal((decodeValue(T.RDB_TYPE_HASH, r, ctx) as HashValue).encoding(), 'listpack');
    r = body(0, (w) => { writeLen(w, 2); for (const s of ['a', '1', 'a', '2']) str(w, s); });
    assert.throws(() => decodeValue(T.RDB_TYPE_HASH, r, ctx), RdbError);
    r = body(0, (w) => blobOf(w, lpBuild(['a', '1', 'a', '2'])));
    assert.throws(() => decodeValue(T.RDB_TYPE_HASH_LISTPACK, r, ctx), RdbError);
    r = body(0, (w) => blobOf(w, lpBuild(['a', '1', 'b', '2', 'c', '3'])));
    assert.equal((decodeValue(T.RDB_TYPE_HASH_LISTPACK, r, { ...ctx, hashMaxEntries: 2 }) as HashValue).encoding(), 'hashtable');
  });
  test('sets: plain with integers stays an intset, strings convert, limits apply', () => {
    let r = body(0, (w) => { writeLen(w, 3); for (const s of ['3', '1', '2']) str(w, s); });
    let s = decodeValue(T.RDB_TYPE_SET, r, ctx) as SetValue;
    assert.deepEqual([s.encoding(), s.members()], ['intset', ['1', '2', '3']]);
    r = body(0, (w) => { writeLen(w, 2); for (const m of ['1', 'x']) str(w, m); });
    assert.equal((decodeValue(T.RDB_TYPE_SET, r, ctx) as SetValue).encoding(), 'hashtable');
    r = body(0, (w) => blobOf(w, intsetBuild(BigInt64Array.from([1n, 2n, 3n]), 3)));
    s = decodeValue(T.RDB_TYPE_SET_INTSET, r, { ...ctx, setMaxIntset: 2 }) as SetValue;
    assert.deepEqual([s.encoding(), s.members().sort()], ['hashtable', ['1', '2', '3']]);
    r = body(0, (w) => { writeLen(w, 2); for (const m of ['x', 'x']) str(w, m); });
    assert.throws(() => decodeValue(T.RDB_TYPE_SET, r, ctx), /Duplicate set members/);
  });
  test('sorted sets: string doubles (ZSET), ziplist, unsorted input, NaN refused', () => {
    const dbl = (w: ByteWriter, s: string): void => { w.byte(s.length); w.latin1(s); };
    let r = body(0, (w) => { writeLen(w, 3); str(w, 'b'); dbl(w, '2.5'); str(w, 'a'); dbl(w, '1'); str(w, 'c'); w.byte(255); });
    let z = decodeValue(T.RDB_TYPE_ZSET, r, ctx) as ZSet;
    const all = (zz: ZSet): unknown[] => { const o: unknown[] = []; zz.each(0, zz.size, false, (m, sc) => o.push(m, sc)); return o; };
    assert.deepEqual(all(z), ['c', -Infinity, 'a', 1, 'b', 2.5]);
    r = body(0, (w) => blobOf(w, zlBuild(['x', '3', 'y', '1.5', 'z', 'inf'])));
    z = decodeValue(T.RDB_TYPE_ZSET_ZIPLIST, r, ctx) as ZSet;
    assert.deepEqual([z.encoding(), all(z)], ['listpack', ['y', 1.5, 'x', 3, 'z', Infinity]]);
    r = body(0, (w) => { writeLen(w, 1); str(w, 'n'); w.byte(253); });
    assert.throws(() => decodeValue(T.RDB_TYPE_ZSET, r, ctx), /NAN/);
    r = body(0, (w) => blobOf(w, lpBuild(['a', '1', 'b', '2', 'c', '3'])));
    assert.equal((decodeValue(T.RDB_TYPE_ZSET_LISTPACK, r, { ...ctx, zsetMaxEntries: 2 }) as ZSet).encoding(), 'skiplist');
  });
  test('empty collections, streams, unknown types', () => {
    for (const t of [T.RDB_TYPE_LIST, T.RDB_TYPE_SET, T.RDB_TYPE_HASH, T.RDB_TYPE_ZSET_2, T.RDB_TYPE_LIST_QUICKLIST_2]) {
      assert.throws(() => decodeValue(t, body(0, (w) => writeLen(w, 0)), ctx), EmptyKeyError);
    }
    assert.throws(() => decodeValue(T.RDB_TYPE_HASH_LISTPACK, body(0, (w) => blobOf(w, lpBuild([]))), ctx), EmptyKeyError);
    assert.throws(() => decodeValue(T.RDB_TYPE_STREAM_LISTPACKS_2, body(0, () => {}), ctx), /Unexpected EOF/); // a truncated stream (codec: stream.test.ts)
    assert.throws(() => decodeValue(8, body(0, () => {}), ctx), RdbError);
    assert.throws(() => decodeValue(T.RDB_TYPE_STRING, { buf: Buffer.from([5, 97]), pos: 0 }, ctx), /Unexpected EOF/);
  });
});

describe('RDB files', () => {
  function write(opts: { checksum: boolean; compression: boolean }): Buffer {
    const chunks: Buffer[] = [];
    const w = new RdbWriter((b) => { chunks.push(b); }, opts);
    w.header(standardAux({ nowMs: 1_700_000_000_000, usedMem: 12345 }));
    w.selectDb(0, 3, 1);
    w.key('s', 'x'.repeat(1000), 1_800_000_000_000);
    w.key('l', List.from(['a', 'b']), -1, 42);
    w.key('n', '12', -1, undefined, 7);
    w.selectDb(3, 1, 0);
    const big: string[] = [];
    for (let i = 0; i < 20000; i++) big.push(`element-${i}`);
    w.key('big', List.from(big), -1);
    w.end();
    return Buffer.concat(chunks);
  }

  test('write then load: keys, dbs, expires, IDLE/FREQ, aux fields, checksum', () => {
    const file = write({ checksum: true, compression: true });
    assert.equal(file.latin1Slice(0, 9), 'REDIS0010');
    const keys: unknown[] = [];
    const aux: string[] = [];
    const stats = loadRdb(file, (db, key, v, exp, idle, freq) => {
      keys.push([db, key, typeof v === 'string' ? v.length : (v as List).length, exp, idle, freq]);
    }, { onAux: (k, v) => aux.push(`${k}=${v}`) });
    assert.deepEqual(keys, [[0, 's', 1000, 1_800_000_000_000, -1, -1], [0, 'l', 2, -1, 42, -1], [0, 'n', 2, -1, -1, 7], [3, 'big', 20000, -1, -1, -1]]);
    assert.deepEqual(aux, ['redis-ver=7.0.15', 'redis-bits=64', 'ctime=1700000000', 'used-mem=12345', 'aof-base=0']);
    assert.equal(stats.checksumVerified, true);
  });

  test('checksum off writes zeros and loads unverified; a wrong checksum fails', () => {
    const off = write({ checksum: false, compression: false });
    assert.ok(off.subarray(off.length - 8).equals(Buffer.alloc(8)));
    assert.equal(loadRdb(off, () => {}).checksumVerified, false);
    const on = write({ checksum: true, compression: true });
    const bad = Buffer.from(on); bad[bad.length - 1] ^= 1;
    assert.throws(() => loadRdb(bad, () => {}), /Wrong RDB checksum/);
    assert.equal(loadRdb(bad, () => {}, { verifyChecksum: false }).keys, 4);
  });

  test('bad signature, unsupported version, truncation, db limit', () => {
    const file = write({ checksum: true, compression: true });
    assert.throws(() => loadRdb(Buffer.from('RADIS0010'), () => {}), /Wrong signature/);
    assert.throws(() => loadRdb(Buffer.from('REDIS0011\xff'), () => {}), /Can't handle RDB format version 11/);
    for (const cut of [5, 20, 200, file.length - 4]) assert.throws(() => loadRdb(file.subarray(0, cut), () => {}), RdbError);
    assert.throws(() => loadRdb(file, () => {}, { dbnum: 2 }), /configured to handle more than 2 databases/);
  });

  test('the loader works in steps of a byte budget', () => {
    const file = write({ checksum: true, compression: true });
    const progress: number[] = [];
    let keys = 0;
    const l = new RdbLoader(file, () => { keys++; }, { onProgress: (b) => progress.push(b) });
    let steps = 0;
    while (!l.step(16)) steps++;
    assert.ok(steps >= 5, `steps ${steps}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! > progress[i - 1]!);
    assert.equal(keys, 4);
    assert.equal(progress[progress.length - 1], file.length);
    assert.equal(l.stats.checksumVerified, true);
  });
});
