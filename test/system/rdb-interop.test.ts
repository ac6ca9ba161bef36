/*
 * RDB interoperability with a real redis-server 7.0:
 *  (a) redis-server writes dump.rdb (SAVE) holding every type and encoding
 *      (small and large collections, compressed quicklist nodes, expiring
 *      keys, several dbs, binary keys and values, big values, integers);
 *      loadRdb reads it and every key matches what redis returns (type,
 *      encoding, absolute expire time, contents);
 *  (b) RdbWriter writes the same data; redis-check-rdb accepts the file and a
 *      redis-server started on it holds an identical dataset (DEBUG DIGEST
 *      equal to the original server's, and per-key comparison).
 * Temp dirs are removed and servers killed at the end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis, startRedis, type RedisProcess } from '../helpers/servers.js';
import { loadRdb, RdbWriter, standardAux } from '../../src/persistence/rdb/index.js';
import type { Value } from '../../src/types/value.js';
import { MutableString, strOf } from '../../src/types/string.js';
import type { List } from '../../src/types/list.js';
import type { HashValue } from '../../src/types/hash.js';
import type { SetValue } from '../../src/types/set.js';
import type { ZSet } from '../../src/types/zset.js';
import { formatDouble } from '../../src/protocol/reply.js';

const rand = (n: number, seed: number): string => {
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; s += String.fromCharCode((x >>> 16) & 255); }
  return s;
};

type Cmd = (string | number)[];

/** The dataset, as commands per db. */
function dataset(): Map<number, Cmd[]> {
  const far = Date.now() + 3_600_000;
  const db0: Cmd[] = [
    ['SET', 'str:small', 'hello'], ['SET', 'str:int', '12345'], ['SET', 'str:neg', '-42'],
    ['SET', 'str:int64', '9223372036854775807'], ['SET', 'str:float', '3.14'], ['SET', 'str:empty', ''],
    ['SET', '\u0000bin\u00ffkey\r\n', rand(64, 1)], ['SET', 'str:big', rand(300_000, 2)],
    ['SET', 'str:compressible', 'abc'.repeat(20_000)], ['SET', 'str:raw', 'x'], ['APPEND', 'str:raw', 'y'.repeat(100)],
    ['SET', 'exp:px', 'v', 'PX', 3_600_000], ['SET', 'exp:abs', 'v'], ['PEXPIREAT', 'exp:abs', far],
    ['RPUSH', 'list:small', 'a', 'b', '1', '-2', '300000', '5000000000', rand(70, 3)],
    ['HSET', 'hash:small', 'f', 'v', 'n', '1', 'big', '-9223372036854775808', rand(10, 4), rand(20, 5)],
    ['SADD', 'set:int16', '1', '2', '3', '-7'], ['SADD', 'set:int64', '1', '9223372036854775807'],
    ['SADD', 'set:str', 'a', 'b', 'c', rand(30, 6)],
    ['ZADD', 'zset:small', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '1e100', 'e', '0.1', 'f'],
    ['HSET', 'hash:ttl', 'a', '1'], ['PEXPIRE', 'hash:ttl', 7_200_000],
  ];
  const biglist: Cmd = ['RPUSH', 'list:big'];
  for (let i = 0; i < 5000; i++) biglist.push(i % 2 ? String(i) : `item-${i}-${'z'.repeat(i % 50)}`);
  db0.push(biglist);
  db0.push(['RPUSH', 'list:fat', 'a'.repeat(10_000), rand(10_000, 7), 'b'.repeat(9000), 'c']);
  const bighash: Cmd = ['HSET', 'hash:big'];
  for (let i = 0; i < 1000; i++) bighash.push(`field:${i}`, i % 3 ? String(i * 31) : rand(20, i));
  db0.push(bighash, ['HSET', 'hash:longval', 'f', 'x'.repeat(100)]);
  const bigset: Cmd = ['SADD', 'set:bigint'];
  for (let i = 0; i < 1000; i++) bigset.push(String(i * 977));
  db0.push(bigset);
  const bigz: Cmd = ['ZADD', 'zset:big'];
  for (let i = 0; i < 500; i++) bigz.push(i % 5 ? i * 1.25 : -i, `m${i}`);
  db0.push(bigz, ['ZADD', 'zset:longmember', '1', 'm'.repeat(200), '2', 'short']);
  // compressed quicklist nodes (list-compress-depth applies as elements are pushed)
  const cl: Cmd = ['RPUSH', 'list:compressed'];
  for (let i = 0; i < 3000; i++) cl.push(`compress-me-${i % 10}`);
  db0.push(['CONFIG', 'SET', 'list-compress-depth', '1'], cl, ['CONFIG', 'SET', 'list-compress-depth', '0']);
  const many: Cmd[] = [];
  for (let i = 0; i < 2000; i++) many.push(['SET', `k:${i}`, String(i)]);
  db0.push(...many);
  return new Map<number, Cmd[]>([
    [0, db0],
    [1, [['SET', 'one', '1'], ['RPUSH', 'l', 'x'], ['SET', 'e', 'v', 'PX', 5_000_000]]],
    [5, [['ZADD', 'z', '1', 'a'], ['SADD', 's', 'x', 'y'], ['HSET', 'h', 'a', 'b']]],
    [15, [['SET', 'last', 'db']]],
  ]);
}

async function call(c: RawClient, ...args: (string | number)[]): Promise<unknown> {
  const r = await c.call(...args);
  if (r.startsWith('-')) throw new Error(`${args.slice(0, 2).join(' ')}: ${r.trim()}`);
  return parseReply(r);
}

/** A key's content from a live server, in a comparable form. */
async function liveKey(c: RawClient, key: string): Promise<unknown[]> {
  const type = await call(c, 'TYPE', key) as string;
  const enc = await call(c, 'OBJECT', 'ENCODING', key);
  const exp = await call(c, 'PEXPIRETIME', key);
  let body: unknown;
  switch (type) {
    case 'string': body = await call(c, 'GET', key); break;
    case 'list': body = await call(c, 'LRANGE', key, 0, -1); break;
    case 'hash': body = pairsSorted(await call(c, 'HGETALL', key) as string[]); break;
    case 'set': body = (await call(c, 'SMEMBERS', key) as string[]).sort(); break;
    case 'zset': body = await call(c, 'ZRANGE', key, 0, -1, 'WITHSCORES'); break;
    default: body = null;
  }
  return [type, normEnc(enc as string), exp, body];
}

/** Redis reports int/embstr/raw for strings; a loaded string's encoding is recomputed by Nodis: compare "string-ness" only. */
const normEnc = (e: string): string => (e === 'int' || e === 'embstr' || e === 'raw' ? 'string' : e);

function pairsSorted(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}\u0000${flat[i + 1]}`);
  return out.sort();
}

/** The same form from a loaded value. */
function loadedKey(v: Value, expire: number): unknown[] {
  if (typeof v === 'string' || v instanceof MutableString) return ['string', 'string', expire, strOf(v)];
  const enc = v.encoding!();
  switch (v.type) {
    case 'list': { const l = v as List; return ['list', enc, expire, l.slice(0, l.length)]; }
    case 'hash': return ['hash', enc, expire, pairsSorted((v as HashValue).pairs())];
    case 'set': return ['set', enc, expire, (v as SetValue).members().sort()];
    case 'zset': {
      const z = v as ZSet;
      const out: string[] = [];
      z.each(0, z.size, false, (m, s) => { out.push(m, formatDouble(s)); });
      return ['zset', enc, expire, out];
    }
    default: return [v.type];
  }
}

async function dbKeys(c: RawClient): Promise<string[]> {
  return (await call(c, 'KEYS', '*') as string[]).sort();
}

describe('RDB interop with redis-server', { skip: skipWithoutRedis(), timeout: 120_000 }, () => {
  let dir = '';
  let redis: RedisProcess;
  let rc: RawClient;
  const loaded = new Map<number, Map<string, { v: Value; exp: number }>>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-rdb-interop-'));
    redis = await startRedis([`dir ${dir}`, 'dbfilename dump.rdb']);
    rc = await RawClient.connect(redis.port);
    for (const [db, cmds] of dataset()) {
      await call(rc, 'SELECT', db);
      for (const cmd of cmds) await call(rc, ...cmd);
    }
    await call(rc, 'SAVE');
  });

  after(async () => {
    rc?.close();
    await redis?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('(a) a dump.rdb written by redis-server loads with identical data', async () => {
    const data = fs.readFileSync(path.join(dir, 'dump.rdb'));
    const aux: Record<string, string> = {};
    const stats = loadRdb(data, (db, key, v, exp) => {
      let m = loaded.get(db);
      if (!m) loaded.set(db, m = new Map());
      assert.ok(!m.has(key), `duplicate key ${key}`);
      m.set(key, { v, exp });
    }, { onAux: (k, v) => { aux[k] = v; } });
    assert.equal(stats.version, 10);
    assert.equal(stats.checksumVerified, true);
    assert.equal(aux['redis-ver'], '7.0.15');
    let compared = 0;
    for (const db of [0, 1, 5, 15]) {
      await call(rc, 'SELECT', db);
      const keys = await dbKeys(rc);
      const m = loaded.get(db)!;
      assert.deepEqual([...m.keys()].sort(), keys, `db ${db} keys`);
      for (const k of keys) {
        const { v, exp } = m.get(k)!;
        assert.deepEqual(loadedKey(v, exp), await liveKey(rc, k), `db ${db} key ${JSON.stringify(k)}`);
        compared++;
      }
    }
    assert.ok(compared > 2000);
    // the interesting encodings really were in the file
    const encs = new Set([...loaded.get(0)!.values()].map(({ v }) => (typeof v === 'string' || v instanceof MutableString ? 'string' : `${v.type}:${v.encoding?.()}`)));
    for (const e of ['hash:listpack', 'hash:hashtable', 'set:intset', 'set:hashtable', 'zset:listpack', 'zset:skiplist', 'list:quicklist']) {
      assert.ok(encs.has(e), `encoding ${e} covered`);
    }
  });

  for (const opts of [{ checksum: true, compression: true }, { checksum: false, compression: false }]) {
    test(`(b) an RDB written by Nodis (checksum ${opts.checksum}, compression ${opts.compression}) passes redis-check-rdb and loads into redis-server`, async () => {
      assert.ok(loaded.size > 0, 'part (a) loaded the data');
      const sub = fs.mkdtempSync(path.join(dir, 'nodis-'));
      const file = path.join(sub, 'nodis.rdb');
      const chunks: Buffer[] = [];
      const w = new RdbWriter((b) => { chunks.push(b); }, opts);
      w.header(standardAux({ nowMs: Date.now(), usedMem: 1_000_000 }));
      for (const [db, m] of [...loaded].sort((a, b) => a[0] - b[0])) {
        let expires = 0;
        for (const { exp } of m.values()) if (exp !== -1) expires++;
        w.selectDb(db, m.size, expires);
        for (const [k, { v, exp }] of m) w.key(k, v, exp);
      }
      w.end();
      fs.writeFileSync(file, Buffer.concat(chunks));
      const check = spawnSync('redis-check-rdb', [file], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(check.status, 0, `redis-check-rdb failed:\n${check.stdout}\n${check.stderr}`);
      assert.match(check.stdout, /RDB looks OK!/);
      const r2 = await startRedis([`dir ${sub}`, 'dbfilename nodis.rdb']);
      const c2 = await RawClient.connect(r2.port);
      try {
        assert.equal(await call(c2, 'DEBUG', 'DIGEST'), await call(rc, 'DEBUG', 'DIGEST'));
        for (const db of [0, 1, 5, 15]) {
          await call(rc, 'SELECT', db);
          await call(c2, 'SELECT', db);
          const keys = await dbKeys(rc);
          assert.deepEqual(await dbKeys(c2), keys);
          for (const k of keys) assert.deepEqual(await liveKey(c2, k), await liveKey(rc, k), `db ${db} key ${JSON.stringify(k)}`);
        }
      } finally {
        c2.close();
        await r2.close();
      }
    });
  }
});
