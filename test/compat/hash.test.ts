/*
 * Hash commands against real Redis: replies byte for byte (unordered ones
 * via doSorted, random ones via doLoosely plus property checks), errors,
 * encodings and their thresholds, RESP3 shapes, emptied keys, events.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';

describe('hash', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('HSET / HGET / HMGET / HLEN / HSTRLEN / HEXISTS / HSETNX / HMSET', async () => {
    const c = await p.client();
    await c.do('HSET', 'h', 'a', '1', 'b', '2', 'a', '3');
    await c.do('HSET', 'h', 'a', '1', 'c', '');
    await c.do('HGET', 'h', 'a');
    await c.do('HGET', 'h', 'c');
    await c.do('HGET', 'h', 'zz');
    await c.do('HGET', 'nokey', 'a');
    await c.do('HMGET', 'h', 'a', 'zz', 'b');
    await c.do('HMGET', 'nokey', 'a', 'b');
    await c.do('HLEN', 'h');
    await c.do('HLEN', 'nokey');
    await c.do('HSTRLEN', 'h', 'a');
    await c.do('HSTRLEN', 'h', 'zz');
    await c.do('HSTRLEN', 'nokey', 'a');
    await c.do('HEXISTS', 'h', 'a');
    await c.do('HEXISTS', 'h', 'zz');
    await c.do('HSETNX', 'h', 'a', 'x');
    await c.do('HSETNX', 'h', 'new', 'x');
    await c.do('HSETNX', 'h2', 'f', 'v');
    await c.do('HMSET', 'h', 'm1', 'v1', 'm2', 'v2');
    await c.do('HGETALL', 'h');
    await c.do('HKEYS', 'h');
    await c.do('HVALS', 'h');
    await c.do('HGETALL', 'nokey');
    await c.do('HKEYS', 'nokey');
    await c.do('HSET', 'bin', '\x00\xff\r\n', 'é\x00');
    await c.do('HGET', 'bin', '\x00\xff\r\n');
  });

  test('arity and syntax errors, WRONGTYPE', async () => {
    const c = await p.client();
    await c.error('ERR wrong number', 'HSET', 'h', 'a');
    await c.error('ERR wrong number', 'HSET', 'h', 'a', '1', 'b');
    await c.error('ERR wrong number', 'HMSET', 'h', 'a', '1', 'b');
    await c.error('ERR wrong number', 'HGET', 'h');
    await c.error('ERR wrong number', 'HDEL', 'h');
    await c.error('ERR wrong number', 'HSCAN', 'h');
    await c.error('ERR wrong number', 'HRANDFIELD');
    await c.do('SET', 's', 'str');
    for (const args of [['HSET', 's', 'a', '1'], ['HSETNX', 's', 'a', '1'], ['HGET', 's', 'a'], ['HMGET', 's', 'a'],
      ['HDEL', 's', 'a'], ['HLEN', 's'], ['HSTRLEN', 's', 'a'], ['HEXISTS', 's', 'a'], ['HKEYS', 's'], ['HVALS', 's'],
      ['HGETALL', 's'], ['HINCRBY', 's', 'a', '1'], ['HINCRBYFLOAT', 's', 'a', '1'], ['HRANDFIELD', 's'],
      ['HRANDFIELD', 's', '2'], ['HSCAN', 's', '0'], ['HMSET', 's', 'a', '1']]) {
      await c.error('WRONGTYPE', ...args);
    }
    await c.do('GET', 's');
  });

  test('HDEL deletes the emptied key', async () => {
    const c = await p.client();
    await c.do('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    await c.do('HDEL', 'h', 'a', 'zz', 'a');
    await c.do('HDEL', 'h', 'b', 'c', 'd');
    await c.do('EXISTS', 'h');
    await c.do('HDEL', 'h', 'b');
  });

  test('HINCRBY / HINCRBYFLOAT', async () => {
    const c = await p.client();
    await c.do('HINCRBY', 'h', 'n', '5');
    await c.do('HINCRBY', 'h', 'n', '-12');
    await c.do('HSET', 'h', 'big', '9223372036854775800', 's', 'abc', 'f', '1.5', 'sp', ' 1');
    await c.error('ERR increment or decrement would overflow', 'HINCRBY', 'h', 'big', '8');
    await c.do('HINCRBY', 'h', 'big', '7');
    await c.error('ERR hash value is not an integer', 'HINCRBY', 'h', 's', '1');
    await c.error('ERR hash value is not an integer', 'HINCRBY', 'h', 'f', '1');
    await c.error('ERR value is not an integer', 'HINCRBY', 'h', 'n', '1.5');
    await c.error('ERR value is not an integer', 'HINCRBY', 'h', 'n', '9223372036854775808');
    await c.do('HINCRBYFLOAT', 'h', 'f', '0.1');
    await c.do('HINCRBYFLOAT', 'h', 'x', '3.0e3');
    await c.do('HINCRBYFLOAT', 'h', 'n', '-1.25');
    await c.do('HINCRBYFLOAT', 'h', 'big', '1');
    await c.do('HINCRBYFLOAT', 'h', 'f', '1.7976931348623157e308');
    await c.error('ERR hash value is not a float', 'HINCRBYFLOAT', 'h', 's', '1');
    await c.error('ERR hash value is not a float', 'HINCRBYFLOAT', 'h', 'sp', '1');
    await c.error('ERR value is not a valid float', 'HINCRBYFLOAT', 'h', 'f', 'abc');
    await c.error('ERR value is NaN or Infinity', 'HINCRBYFLOAT', 'h', 'f', 'inf');
    await c.error('ERR value is not a valid float', 'HINCRBYFLOAT', 'h', 'f', 'nan');
    await c.do('HSET', 'h', 'h1', '1.1e4932');
    await c.error('ERR increment would produce NaN or Infinity', 'HINCRBYFLOAT', 'h', 'h1', '1e4932');
    await c.doSorted('HGETALL', 'h');
  });

  test('encodings: listpack limits, conversions one way', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'hash-max-listpack-entries', '4');
    await c.do('CONFIG', 'SET', 'hash-max-listpack-value', '8');
    try {
      await c.do('HSET', 'a', 'f1', '1', 'f2', '2', 'f3', '3', 'f4', '4');
      await c.do('OBJECT', 'ENCODING', 'a');
      await c.do('HSET', 'a', 'f5', '5');
      await c.do('OBJECT', 'ENCODING', 'a');
      await c.do('HDEL', 'a', 'f1', 'f2', 'f3', 'f4');
      await c.do('OBJECT', 'ENCODING', 'a');
      await c.do('HSET', 'b', 'f', '12345678');
      await c.do('OBJECT', 'ENCODING', 'b');
      await c.do('HSET', 'c', 'f', '123456789');
      await c.do('OBJECT', 'ENCODING', 'c');
      await c.do('HSET', 'd', '123456789', 'v');
      await c.do('OBJECT', 'ENCODING', 'd');
      await c.do('HSETNX', 'e', 'f', '123456789');
      await c.do('OBJECT', 'ENCODING', 'e');
      await c.do('HINCRBYFLOAT', 'g', 'f', '1.123456789');
      await c.do('OBJECT', 'ENCODING', 'g');
      await c.do('HINCRBY', 'i', 'f', '1234567890');
      await c.do('OBJECT', 'ENCODING', 'i');
      await c.do('CONFIG', 'SET', 'hash-max-ziplist-entries', '0');
      await c.do('HSET', 'z', 'f', 'v');
      await c.do('OBJECT', 'ENCODING', 'z');
    } finally {
      await c.do('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
      await c.do('CONFIG', 'SET', 'hash-max-listpack-value', '64');
    }
  });

  test('big hashes (hashtable): full reads compare as multisets', async () => {
    const c = await p.client();
    const args: string[] = [];
    for (let i = 0; i < 600; i++) args.push(`field:${i}`, `value:${i}`);
    await c.do('HSET', 'big', ...args);
    await c.do('OBJECT', 'ENCODING', 'big');
    await c.doSorted('HKEYS', 'big');
    await c.doSorted('HVALS', 'big');
    await c.do('HLEN', 'big');
    await c.do('HGET', 'big', 'field:599');
    await c.do('HDEL', 'big', 'field:1', 'field:2');
    await c.do('HEXISTS', 'big', 'field:1');
    await c.do('HSTRLEN', 'big', 'field:3');
  });

  test('HSCAN: listpack in one call, hashtable cursor walk, MATCH, COUNT, errors', async () => {
    const c = await p.client();
    await c.do('HSET', 'small', 'a1', '1', 'b1', '2', 'a2', '3');
    await c.do('HSCAN', 'small', '0');
    await c.do('HSCAN', 'small', '0', 'MATCH', 'a*');
    await c.do('HSCAN', 'small', '0', 'COUNT', '1');
    await c.do('HSCAN', 'nokey', '0');
    await c.do('HSCAN', 'nokey', '0', 'COUNT', 'x');
    await c.error('ERR syntax error', 'HSCAN', 'small', '0', 'COUNT', '0');
    await c.error('ERR value is not an integer', 'HSCAN', 'small', '0', 'COUNT', 'x');
    await c.error('ERR syntax error', 'HSCAN', 'small', '0', 'TYPE', 'string');
    await c.error('ERR syntax error', 'HSCAN', 'small', '0', 'MATCH');
    await c.error('ERR invalid cursor', 'HSCAN', 'small', 'abc');
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
    await c.do('HSET', 'big', ...args);
    const all = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [ours] = await c.both('HSCAN', 'big', cursor, 'COUNT', '50');
      const r = parseReply(ours) as [string, string[]];
      cursor = r[0];
      for (let i = 0; i < r[1].length; i += 2) all.set(r[1][i]!, r[1][i + 1]!);
      calls++;
    } while (cursor !== '0');
    assert.equal(all.size, 1000);
    assert.ok(calls > 5, 'a hashtable is walked in several calls');
    for (const [f, v] of all) assert.equal(v, 'v' + f.slice(1));
    // MATCH filters fields; the values follow
    const [m] = await c.both('HSCAN', 'big', '0', 'MATCH', 'f99*', 'COUNT', '10000');
    const mr = parseReply(m) as [string, string[]];
    assert.equal(mr[0], '0');
    assert.deepEqual(mr[1].filter((_, i) => i % 2 === 0).sort(), ['f99', 'f990', 'f991', 'f992', 'f993', 'f994', 'f995', 'f996', 'f997', 'f998', 'f999']);
  });

  test('HRANDFIELD: shapes, counts, WITHVALUES, errors', async () => {
    const c = await p.client();
    await c.do('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5');
    await c.doLoosely('HRANDFIELD', 'h');
    await c.do('HRANDFIELD', 'nokey');
    await c.do('HRANDFIELD', 'nokey', '5');
    await c.do('HRANDFIELD', 'h', '0');
    await c.doSorted('HRANDFIELD', 'h', '5');
    await c.doSorted('HRANDFIELD', 'h', '100');
    await c.doSorted('HRANDFIELD', 'h', '100', 'WITHVALUES');
    await c.doLoosely('HRANDFIELD', 'h', '3');
    await c.doLoosely('HRANDFIELD', 'h', '-20', 'WITHVALUES');
    await c.doLoosely('HRANDFIELD', 'h', '1', 'WITHVALUES');
    await c.error('ERR syntax error', 'HRANDFIELD', 'h', '3', 'WITHSCORES');
    await c.error('ERR syntax error', 'HRANDFIELD', 'h', '3', 'WITHVALUES', 'x');
    await c.error('ERR value is not an integer', 'HRANDFIELD', 'h', 'x');
    await c.error('ERR value is out of range', 'HRANDFIELD', 'h', '-9223372036854775808');
    await c.error('ERR value is out of range', 'HRANDFIELD', 'h', '-9223372036854770000', 'WITHVALUES');
    await c.error('ERR value is out of range', 'HRANDFIELD', 'h', '9223372036854770000', 'WITHVALUES');
    // properties: distinct fields for positive counts, pairs consistent
    for (const n of ['2', '4']) {
      const [ours] = await c.both('HRANDFIELD', 'h', n, 'WITHVALUES');
      const r = parseReply(ours) as string[];
      assert.equal(r.length, Number(n) * 2);
      const fields = r.filter((_, i) => i % 2 === 0);
      assert.equal(new Set(fields).size, fields.length);
      for (let i = 0; i < r.length; i += 2) assert.equal(String('abcde'.indexOf(r[i]!) + 1), r[i + 1]);
    }
    const [neg] = await c.both('HRANDFIELD', 'h', '-50');
    const nr = parseReply(neg) as string[];
    assert.equal(nr.length, 50);
    assert.ok(nr.every((f) => 'abcde'.includes(f)));
    // a big hash: case 3 (count close to size) and case 4 (small count)
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(`f${i}`, `v${i}`);
    await c.do('HSET', 'big', ...args);
    for (const n of ['250', '20']) {
      const [ours] = await c.both('HRANDFIELD', 'big', n);
      const r = parseReply(ours) as string[];
      assert.equal(new Set(r).size, Number(n));
    }
  });

  test('RESP3: HGETALL map, HRANDFIELD WITHVALUES pairs, null', async () => {
    const c = await p.client();
    await c.both('HELLO', '3');
    await c.do('HSET', 'h', 'a', '1', 'b', '2');
    await c.do('HGETALL', 'h');
    await c.do('HGETALL', 'nokey');
    await c.do('HGET', 'h', 'zz');
    await c.do('HMGET', 'h', 'a', 'zz');
    await c.doSorted('HRANDFIELD', 'h', '5', 'WITHVALUES');
    await c.doLoosely('HRANDFIELD', 'h', '-3', 'WITHVALUES');
    await c.do('HRANDFIELD', 'nokey');
    await c.do('HSCAN', 'h', '0');
  });

  test('keyspace events and dirty counts (in-process)', async () => {
    const c = await p.client();
    const server = p.nodis.server;
    const events: string[] = [];
    const saved = server.recorder.publish;
    const savedFlags = server.recorder.notifyFlags;
    server.recorder.publish = (ch, msg) => { if (ch.startsWith('__keyevent')) events.push(`${ch.slice(ch.indexOf(':') + 1)} ${msg}`); };
    server.recorder.notifyFlags = 0xffff;
    try {
      await c.do('HSET', 'h', 'a', '1', 'b', '2');
      await c.do('HSETNX', 'h', 'a', '1');
      await c.do('HINCRBY', 'h', 'n', '1');
      await c.do('HINCRBYFLOAT', 'h', 'n', '1.5');
      await c.do('HDEL', 'h', 'zz');
      await c.do('HDEL', 'h', 'a', 'b', 'n');
      assert.deepEqual(events, ['new h', 'hset h', 'hincrby h', 'hincrbyfloat h', 'hdel h', 'del h']);
    } finally {
      server.recorder.publish = saved;
      server.recorder.notifyFlags = savedFlags;
    }
  });

  test('HINCRBYFLOAT propagates as HSET (in-process)', async () => {
    const c = await p.client();
    const server = p.nodis.server;
    const seen: string[][] = [];
    const hook = (_db: number, argv: readonly string[]): void => { seen.push([...argv]); };
    server.recorder.listen(hook);
    try {
      await c.do('HINCRBYFLOAT', 'h', 'f', '10.50');
      await c.do('HSET', 'h', 'g', '1');
      assert.deepEqual(seen.filter((a) => a[0] !== 'FLUSHALL' && a[0] !== 'SELECT'), [['HSET', 'h', 'f', '10.5'], ['HSET', 'h', 'g', '1']]);
    } finally {
      server.recorder.propagateHooks.splice(server.recorder.propagateHooks.indexOf(hook), 1);
    }
  });
});
