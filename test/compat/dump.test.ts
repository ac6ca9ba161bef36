/*
 * DUMP / RESTORE against real Redis: payloads byte-identical wherever Redis's
 * bytes are deterministic (strings, listpack hashes and sorted sets, intsets,
 * skiplist sorted sets, quicklists built by RPUSH), payloads moving both ways
 * (Redis -> Nodis and Nodis -> Redis) with identical contents for every
 * encoding (hashtables included), and RESTORE's options and errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const bin = (n: number, seed: number): string => {
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; s += String.fromCharCode(x >> 16 & 255); }
  return s;
};

/** Send to one side only. */
async function one(side: 'ours' | 'theirs', c: PairClient, ...args: (string | number)[]): Promise<unknown> {
  return parseReply(await c[side].call(...args));
}

/** Full contents of a key as comparable data (type-specific, order-insensitive where Redis's order is unspecified). */
async function contents(c: PairClient, side: 'ours' | 'theirs', key: string): Promise<unknown> {
  const type = await one(side, c, 'TYPE', key);
  const sort = (a: unknown): unknown => (a as string[]).slice().sort();
  switch (type) {
    case 'string': return ['string', await one(side, c, 'GET', key)];
    case 'list': return ['list', await one(side, c, 'LRANGE', key, 0, -1)];
    case 'hash': {
      const flat = (await one(side, c, 'HGETALL', key)) as string[];
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(flat[i]! + '\u0000=' + flat[i + 1]!);
      return ['hash', pairs.sort()];
    }
    case 'set': return ['set', sort(await one(side, c, 'SMEMBERS', key))];
    case 'zset': return ['zset', await one(side, c, 'ZRANGE', key, 0, -1, 'WITHSCORES')];
    default: return [type];
  }
}

/** Build a key with the same commands on both sides. */
async function build(c: PairClient, cmds: (string | number)[][]): Promise<void> {
  for (const cmd of cmds) await c.both(...cmd);
}

describe('DUMP / RESTORE', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  let restored = 0;

  /** DUMP on both sides must be byte-identical, and restore on both sides to the same contents and encoding. */
  async function same(c: PairClient, key: string): Promise<void> {
    await c.do('OBJECT', 'ENCODING', key);
    await c.do('DUMP', key);
    const payload = (await one('theirs', c, 'DUMP', key)) as string;
    const r = `${key}:r${++restored}`;
    await c.do('RESTORE', r, 0, payload);
    assert.deepEqual(await contents(c, 'ours', r), await contents(c, 'theirs', r));
    assert.deepEqual(await contents(c, 'ours', r), await contents(c, 'ours', key));
    await c.do('OBJECT', 'ENCODING', r);
  }

  /** Payloads cross over: Redis's restores into Nodis and Nodis's into Redis, same contents and encoding. */
  async function crossed(c: PairClient, key: string): Promise<void> {
    const x = `${key}:x${++restored}`;
    const theirs = (await one('theirs', c, 'DUMP', key)) as string;
    const ours = (await one('ours', c, 'DUMP', key)) as string;
    assert.equal(await one('ours', c, 'RESTORE', x, 0, theirs), 'OK');
    assert.equal(await one('theirs', c, 'RESTORE', x, 0, ours), 'OK');
    const a = await contents(c, 'ours', x);
    const b = await contents(c, 'theirs', x);
    assert.deepEqual(a, b);
    assert.deepEqual(a, await contents(c, 'ours', key));
    await c.do('OBJECT', 'ENCODING', x);
  }

  test('command metadata', async () => {
    const c = await p.client();
    await c.do('COMMAND', 'INFO', 'DUMP', 'RESTORE');
    await c.do('COMMAND', 'DOCS', 'DUMP', 'RESTORE');
    await c.do('COMMAND', 'GETKEYS', 'RESTORE', 'k', '0', 'x');
  });

  test('strings: ints, short, compressible, binary, big, appended', async () => {
    const c = await p.client();
    const values = ['', 'a', 'hello', '0', '1', '-1', '127', '128', '-128', '-129', '32767', '32768', '-32768', '-32769',
      '2147483647', '2147483648', '-2147483648', '-2147483649', '12345678901', '123456789012',
      '9223372036854775807', '-9223372036854775808', '9223372036854775808', '007', '+1', '1.5', ' 1',
      'x'.repeat(20), 'x'.repeat(21), 'abcd'.repeat(30), bin(21, 1), bin(300, 2), bin(100000, 3), 'ab'.repeat(50000),
      '\u0000\u00ff\r\n'.repeat(40)];
    for (let i = 0; i < values.length; i++) {
      await c.do('SET', `s${i}`, values[i]!);
      await same(c, `s${i}`);
    }
    await c.do('SET', 'app', 'abc');
    await c.do('APPEND', 'app', 'def'.repeat(20));
    await same(c, 'app');
    await c.do('SET', 'num', '12');
    await c.do('APPEND', 'num', '3');
    await same(c, 'num');
  });

  test('strings with rdbcompression no', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'rdbcompression', 'no');
    try {
      await c.do('SET', 'k', 'abc'.repeat(100));
      await same(c, 'k');
    } finally {
      await c.do('CONFIG', 'SET', 'rdbcompression', 'yes');
    }
  });

  test('lists: small, ints, many nodes, big elements, fill and compress settings', async () => {
    const c = await p.client();
    await build(c, [['RPUSH', 'l1', 'a', 'b', 'c', '1', '-200', '70000', '5000000000', 'x'.repeat(70)]]);
    await same(c, 'l1');
    const many: string[] = [];
    for (let i = 0; i < 3000; i++) many.push(i % 3 === 0 ? String(i * 7919) : `element:${i}`);
    await build(c, [['RPUSH', 'l2', ...many]]);
    await same(c, 'l2');
    await build(c, [['RPUSH', 'l3', 'x'.repeat(5000), 'y'.repeat(5000), 'z'.repeat(9000), 'w']]);
    await same(c, 'l3');
    for (const [fill, depth] of [['5', '0'], ['-1', '0'], ['-5', '0'], ['100', '1'], ['-2', '2']] as const) {
      await c.do('CONFIG', 'SET', 'list-max-listpack-size', fill);
      await c.do('CONFIG', 'SET', 'list-compress-depth', depth);
      await c.do('DEL', 'l4');
      await build(c, [['RPUSH', 'l4', ...many.slice(0, 500)]]);
      await same(c, 'l4');
    }
    await c.do('CONFIG', 'SET', 'list-max-listpack-size', '-2');
    await c.do('CONFIG', 'SET', 'list-compress-depth', '0');
  });

  test('hashes: listpack identical, hashtable crosses over', async () => {
    const c = await p.client();
    await build(c, [['HSET', 'h1', 'f1', 'v1', 'n', '12', 'neg', '-5000', 'big', '9223372036854775807', 'e', '']]);
    await same(c, 'h1');
    await build(c, [['HSET', 'h1', 'f1', 'changed'], ['HDEL', 'h1', 'n']]);
    await same(c, 'h1');
    const pairs: string[] = [];
    for (let i = 0; i < 600; i++) pairs.push(`field:${i}`, String(i));
    await build(c, [['HSET', 'h2', ...pairs]]);
    await c.do('OBJECT', 'ENCODING', 'h2');
    await crossed(c, 'h2');
    await build(c, [['HSET', 'h3', 'a', 'x'.repeat(65)]]);
    await crossed(c, 'h3');
  });

  test('sets: intsets identical, hashtables cross over', async () => {
    const c = await p.client();
    await build(c, [['SADD', 'i16', '1', '2', '3', '-5', '32767']]);
    await same(c, 'i16');
    await build(c, [['SADD', 'i32', '1', '70000', '-2147483648']]);
    await same(c, 'i32');
    await build(c, [['SADD', 'i64', '1', '9223372036854775807', '-9223372036854775808']]);
    await same(c, 'i64');
    await build(c, [['SADD', 'st', 'a', 'b', 'c', '1']]);
    await crossed(c, 'st');
    const many: string[] = [];
    for (let i = 0; i < 700; i++) many.push(String(i));
    await build(c, [['SADD', 'bigint', ...many]]);
    await crossed(c, 'bigint');
  });

  test('sorted sets: listpack and skiplist identical', async () => {
    const c = await p.client();
    await build(c, [['ZADD', 'z1', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd', '-inf', 'e', '0.1', 'f', '1e20', 'g',
      '-0', 'h', '4611686018427387904', 'i', '4611686018427387905', 'j', '123456789012', 'k', '3.14159265358979', 'l']]);
    await same(c, 'z1');
    const many: (string | number)[] = [];
    for (let i = 0; i < 300; i++) many.push(i % 7 === 0 ? i / 3 : i * 1000, `member:${i}`);
    await build(c, [['ZADD', 'z2', ...many]]);
    await same(c, 'z2');
    await build(c, [['ZADD', 'z3', '1', 'x'.repeat(100), '2', 'y']]);
    await same(c, 'z3');
  });

  test('RESTORE converts to the encoding of the current thresholds', async () => {
    const c = await p.client();
    await build(c, [['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['SADD', 's', '1', '2', '3']]);
    const payloads: Record<string, string> = {};
    for (const k of ['h', 'z', 's']) payloads[k] = (await one('theirs', c, 'DUMP', k)) as string;
    await c.do('CONFIG', 'SET', 'hash-max-listpack-entries', '2');
    await c.do('CONFIG', 'SET', 'zset-max-listpack-entries', '2');
    await c.do('CONFIG', 'SET', 'set-max-intset-entries', '2');
    try {
      for (const k of ['h', 'z', 's']) {
        await c.do('RESTORE', k + '2', 0, payloads[k]!);
        await c.do('OBJECT', 'ENCODING', k + '2');
      }
    } finally {
      await c.do('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      await c.do('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
      await c.do('CONFIG', 'SET', 'set-max-intset-entries', '512');
    }
  });

  test('RESTORE options: TTL, ABSTTL, REPLACE, IDLETIME, FREQ, past TTL', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'value');
    const payload = (await one('theirs', c, 'DUMP', 'k')) as string;
    await c.do('RESTORE', 'a', 5000, payload);
    await c.doApprox(100, 'PTTL', 'a');
    await c.do('RESTORE', 'b', Date.now() + 100000, payload, 'ABSTTL');
    await c.doApprox(1000, 'PTTL', 'b');
    await c.do('RESTORE', 'c', 2569591501000, payload, 'ABSTTL');
    await c.doApprox(1000, 'PEXPIRETIME', 'c');
    await c.error('BUSYKEY', 'RESTORE', 'k', 0, payload);
    await c.do('RESTORE', 'k', 0, payload, 'REPLACE');
    await c.do('RESTORE', 'd', 0, payload, 'IDLETIME', 1000);
    await c.doApprox(2, 'OBJECT', 'IDLETIME', 'd');
    await c.do('RESTORE', 'e', 1, payload, 'ABSTTL');
    await c.do('EXISTS', 'e');
    await c.do('RESTORE', 'k', 1, payload, 'ABSTTL', 'REPLACE');
    await c.do('EXISTS', 'k');
    await c.do('RESTORE', 'f', 0, payload, 'ABSTTL');
    await c.do('TTL', 'f');
    await c.do('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    try {
      await c.do('RESTORE', 'g', 0, payload, 'FREQ', 100);
      await c.do('OBJECT', 'FREQ', 'g');
    } finally {
      await c.do('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
  });

  test('RESTORE errors', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'value');
    const payload = (await one('theirs', c, 'DUMP', 'k')) as string;
    await c.error('ERR wrong number', 'RESTORE', 'x', 0);
    await c.error('ERR syntax error', 'RESTORE', 'x', 0, payload, 'BOGUS');
    await c.error('ERR syntax error', 'RESTORE', 'x', 0, payload, 'IDLETIME');
    await c.error('ERR syntax error', 'RESTORE', 'x', 0, payload, 'IDLETIME', 1, 'FREQ', 1);
    await c.error('ERR value is not an integer', 'RESTORE', 'x', 0, payload, 'IDLETIME', 'a');
    await c.error('ERR Invalid IDLETIME', 'RESTORE', 'x', 0, payload, 'IDLETIME', -1);
    await c.error('ERR value is not an integer', 'RESTORE', 'x', 0, payload, 'FREQ', 'a');
    await c.error('ERR Invalid FREQ', 'RESTORE', 'x', 0, payload, 'FREQ', 256);
    await c.error('ERR Invalid FREQ', 'RESTORE', 'x', 0, payload, 'FREQ', -1);
    await c.error('ERR value is not an integer', 'RESTORE', 'x', 'abc', payload);
    await c.error('ERR Invalid TTL', 'RESTORE', 'x', -1, payload);
    await c.error('BUSYKEY', 'RESTORE', 'k', -1, payload);
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE', 'x', 0, 'short');
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE', 'x', 0, payload.slice(0, -1) + 'x');
    const newer = Buffer.from(payload, 'latin1');
    newer[newer.length - 10] = 11;
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE', 'x', 0, newer.toString('latin1'));
    // a valid footer over garbage: Bad data format (the CRC is made to match with Redis's own DUMP of a tampered value)
    await c.do('DUMP', 'missing');
    await c.do('EXISTS', 'x');
  });

  test('RESTORE of a payload with a bad body but a correct CRC', async () => {
    const c = await p.client();
    const { crc64 } = await import('../../src/persistence/rdb/index.js');
    for (const body of [Buffer.from([0x63, 0x01]), Buffer.from([0x00]), Buffer.from([0x0b, 0x05, 1, 2, 3, 4, 5]), Buffer.from([0x10, 0x03, 1, 2, 3])]) {
      const pre = Buffer.concat([body, Buffer.from([10, 0])]);
      const crc = crc64(pre);
      const t = Buffer.alloc(8);
      t.writeBigUInt64LE(crc);
      await c.error('ERR Bad data format', 'RESTORE', 'x', 0, Buffer.concat([pre, t]).toString('latin1'));
    }
  });

  test('keyspace events: new + restore, del for a past TTL with REPLACE (same sequence as Redis)', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    const payload = (await one('theirs', c, 'DUMP', 'k')) as string;
    await c.do('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const subs = await Promise.all([RawClient.connect(p.nodis.port), RawClient.connect(p.redis.port)]);
    try {
      for (const s of subs) await s.call('PSUBSCRIBE', '__keyevent@0__:*');
      await c.do('RESTORE', 'n', 0, payload);
      await c.do('RESTORE', 'n', 0, payload, 'REPLACE');
      await c.do('RESTORE', 'n', 1, payload, 'REPLACE', 'ABSTTL');
      await c.do('RESTORE', 'gone', 1, payload, 'ABSTTL');
      await c.do('SET', 'marker', '1');
      const events = async (s: RawClient): Promise<unknown[]> => {
        const out: unknown[] = [];
        for (;;) {
          const m = parseReply(await s.read()) as string[];
          out.push([m[2], m[3]]);
          if (m[3] === 'marker') return out;
        }
      };
      assert.deepEqual(await events(subs[0]), await events(subs[1]));
    } finally {
      for (const s of subs) s.close();
      await c.do('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  });

  test('propagation: a relative TTL goes out absolute with ABSTTL; a past TTL with REPLACE as DEL', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    const payload = (await one('theirs', c, 'DUMP', 'k')) as string;
    const seen: string[][] = [];
    const hook = (_db: number, argv: readonly string[]): void => { seen.push([...argv]); };
    p.nodis.server.recorder.listen(hook);
    try {
      await one('ours', c, 'RESTORE', 'a', 10000, payload);
      await one('ours', c, 'RESTORE', 'b', 0, payload);
      await one('ours', c, 'RESTORE', 'b', 1, payload, 'ABSTTL', 'REPLACE');
      await one('ours', c, 'RESTORE', 'c', 1, payload, 'ABSTTL');
    } finally {
      p.nodis.server.recorder.propagateHooks.splice(p.nodis.server.recorder.propagateHooks.indexOf(hook), 1);
    }
    const [a, b, del] = seen;
    assert.equal(seen.length, 3);
    assert.equal(a![0]!.toLowerCase(), 'restore');
    assert.equal(a![4], 'ABSTTL');
    assert.ok(Math.abs(Number(a![2]) - (Date.now() + 10000)) < 2000);
    assert.deepEqual(b, ['RESTORE', 'b', '0', payload].map((x, i) => (i === 0 ? b![0]! : x)));
    assert.deepEqual(del, ['DEL', 'b']);
  });
});
