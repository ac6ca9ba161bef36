/*
 * Differential tests of the list commands against a real redis-server:
 * pushes and pops (with counts, huge counts bounded), ranges and negative
 * indexes, LINDEX/LSET/LINSERT/LREM/LTRIM/LPOS, LMOVE/RPOPLPUSH/LMPOP, the
 * non-blocking answers of the blocking forms, arity, syntax and integer
 * errors, WRONGTYPE (the key unchanged), binary values, keyspace events,
 * keyspace hits/misses and OBJECT ENCODING. Blocking itself is in
 * list-blocking.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';

const BIN = Buffer.from('a\r\nb\x00\xff\x80\r\n', 'latin1');
const HUGE = '9223372036854775807';
const HUGE_NEG = '-9223372036854775808';

/** The same list on both sides. */
async function seed(c: PairClient, key: string, ...items: (string | Buffer)[]): Promise<void> {
  await c.do('DEL', key);
  if (items.length) await c.do('RPUSH', key, ...items);
}

/** INFO keyspace_hits / keyspace_misses of one side. */
async function hitsMisses(r: RawClient): Promise<[number, number]> {
  const info = await r.call('INFO', 'stats');
  const get = (f: string): number => Number(new RegExp(`${f}:(\\d+)`).exec(info)![1]);
  return [get('keyspace_hits'), get('keyspace_misses')];
}

describe('list', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('LPUSH / RPUSH / LPUSHX / RPUSHX, lengths, order, binary values', async () => {
    const c = await p.client();
    await c.do('LPUSH', 'l', 'a', 'b', 'c');
    await c.do('RPUSH', 'l', 'd', 'e');
    await c.do('LRANGE', 'l', 0, -1);
    await c.do('LPUSHX', 'l', 'x', 'y');
    await c.do('RPUSHX', 'l', 'z');
    await c.do('LPUSHX', 'nokey', 'x');
    await c.do('RPUSHX', 'nokey', 'x', 'y');
    await c.do('EXISTS', 'nokey');
    await c.do('LRANGE', 'l', 0, -1);
    await c.do('RPUSH', BIN, BIN, '', BIN);
    await c.do('LRANGE', BIN, 0, -1);
    await c.do('LINDEX', BIN, 0);
    await c.do('RPUSH', 'big', 'x'.repeat(100000), '12345', '-1', '007');
    await c.do('LRANGE', 'big', 1, -1);
    await c.do('OBJECT', 'ENCODING', 'l');
    await c.do('OBJECT', 'ENCODING', 'big');
    await c.do('TYPE', 'l');
    for (const cmd of ['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']) {
      await c.error('ERR wrong number', cmd);
      await c.error('ERR wrong number', cmd, 'l');
    }
  });

  test('many elements: growth, wrap-around, shrinking', async () => {
    const c = await p.client();
    const items = Array.from({ length: 300 }, (_, i) => `v${i}`);
    await c.do('RPUSH', 'l', ...items.slice(0, 150));
    await c.do('LPUSH', 'l', ...items.slice(150));
    await c.do('LLEN', 'l');
    await c.do('LRANGE', 'l', 0, -1);
    await c.do('LPOP', 'l', 120);
    await c.do('RPOP', 'l', 100);
    await c.do('RPUSH', 'l', ...items.slice(0, 40));
    await c.do('LRANGE', 'l', 0, -1);
    await c.do('LINDEX', 'l', 57);
    await c.do('LINDEX', 'l', -57);
  });

  test('LPOP / RPOP with and without count', async () => {
    const c = await p.client();
    await seed(c, 'l', 'a', 'b', 'c', 'd', 'e');
    await c.do('LPOP', 'l');
    await c.do('RPOP', 'l');
    await c.do('LPOP', 'l', 0);
    await c.do('LPOP', 'l', 2);
    await c.do('RPOP', 'l', 5);
    await c.do('EXISTS', 'l');
    await c.do('LPOP', 'l');
    await c.do('RPOP', 'l');
    await c.do('LPOP', 'l', 0);
    await c.do('LPOP', 'l', 3);
    await c.do('RPOP', 'l', 3);
    await seed(c, 'l', 'a', 'b', 'c');
    await c.do('RPOP', 'l', HUGE);
    await seed(c, 'l', 'a', 'b', 'c');
    await c.do('LPOP', 'l', HUGE);
    await c.error('ERR value is out of range', 'LPOP', 'l', -1);
    await c.error('ERR value is out of range', 'RPOP', 'l', 'abc');
    await c.error('ERR value is out of range', 'RPOP', 'l', '1.5');
    await c.error('ERR value is out of range', 'LPOP', 'nokey', '-1');
    await c.error('ERR wrong number', 'LPOP', 'l', 1, 2);
    await c.error('ERR wrong number', 'RPOP', 'l', 1, 2);
    await c.error('ERR wrong number', 'LPOP');
    const r3 = await p.client();
    await r3.both('HELLO', '3');
    await r3.do('LPOP', 'nokey');
    await r3.do('LPOP', 'nokey', 2);
    await r3.do('RPUSH', 'l', 'a');
    await r3.do('LPOP', 'l', 2);
  });

  test('LLEN, LRANGE with negative and out-of-range indexes', async () => {
    const c = await p.client();
    await seed(c, 'l', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
    await c.do('LLEN', 'l');
    await c.do('LLEN', 'nokey');
    const idx = [0, 1, 5, 9, 10, 11, 100, -1, -2, -5, -10, -11, -100, HUGE, HUGE_NEG];
    for (const s of idx) for (const e of idx) await c.do('LRANGE', 'l', s, e);
    await c.do('LRANGE', 'nokey', 0, -1);
    await c.error('ERR value is not an integer', 'LRANGE', 'l', 'a', 1);
    await c.error('ERR value is not an integer', 'LRANGE', 'l', 0, '1.0');
    await c.error('ERR value is not an integer', 'LRANGE', 'nokey', 0, '99999999999999999999');
    await c.error('ERR wrong number', 'LRANGE', 'l', 0);
    await c.error('ERR wrong number', 'LLEN');
    await c.error('ERR wrong number', 'LLEN', 'a', 'b');
  });

  test('LINDEX and LSET', async () => {
    const c = await p.client();
    await seed(c, 'l', 'a', 'b', 'c');
    for (const i of [0, 1, 2, 3, -1, -3, -4, HUGE, HUGE_NEG]) await c.do('LINDEX', 'l', i);
    await c.do('LINDEX', 'nokey', 0);
    await c.do('LINDEX', 'nokey', 'notanumber');
    await c.error('ERR value is not an integer', 'LINDEX', 'l', 'x');
    await c.do('LSET', 'l', 0, 'A');
    await c.do('LSET', 'l', -1, BIN);
    await c.do('LSET', 'l', 1, '');
    await c.do('LRANGE', 'l', 0, -1);
    await c.error('ERR index out of range', 'LSET', 'l', 3, 'x');
    await c.error('ERR index out of range', 'LSET', 'l', -4, 'x');
    await c.error('ERR no such key', 'LSET', 'nokey', 0, 'x');
    await c.error('ERR no such key', 'LSET', 'nokey', 'x', 'x');
    await c.error('ERR value is not an integer', 'LSET', 'l', 'x', 'x');
    await c.error('ERR wrong number', 'LSET', 'l', 0);
    await c.error('ERR wrong number', 'LINDEX', 'l');
  });

  test('LINSERT', async () => {
    const c = await p.client();
    await seed(c, 'l', 'a', 'b', 'c', 'b');
    await c.do('LINSERT', 'l', 'BEFORE', 'b', 'x');
    await c.do('LINSERT', 'l', 'after', 'b', 'y');
    await c.do('LINSERT', 'l', 'After', 'b', 'z');
    await c.do('LINSERT', 'l', 'before', 'a', 'first');
    await c.do('LINSERT', 'l', 'after', 'b', 'last');
    await c.do('LINSERT', 'l', 'before', 'nope', 'x');
    await c.do('LRANGE', 'l', 0, -1);
    await c.do('LINSERT', 'nokey', 'before', 'a', 'x');
    await c.do('EXISTS', 'nokey');
    await c.error('ERR syntax error', 'LINSERT', 'l', 'middle', 'a', 'x');
    await c.error('ERR syntax error', 'LINSERT', 'nokey', 'middle', 'a', 'x');
    await c.error('ERR wrong number', 'LINSERT', 'l', 'before', 'a');
    // inserting into the middle of a long list, both halves
    const items = Array.from({ length: 50 }, (_, i) => String(i));
    await seed(c, 'm', ...items);
    await c.do('LINSERT', 'm', 'before', '10', 'p');
    await c.do('LINSERT', 'm', 'after', '40', 'q');
    await c.do('LRANGE', 'm', 0, -1);
  });

  test('LREM', async () => {
    const c = await p.client();
    const items = ['a', 'b', 'a', 'c', 'a', 'b', 'a'];
    for (const n of [0, 1, 2, -1, -2, 10, -10, HUGE, HUGE_NEG]) {
      await seed(c, 'l', ...items);
      await c.do('LREM', 'l', n, 'a');
      await c.do('LRANGE', 'l', 0, -1);
    }
    await c.do('LREM', 'l', 0, 'zzz');
    await seed(c, 'l', 'x', 'x');
    await c.do('LREM', 'l', 0, 'x');
    await c.do('EXISTS', 'l');
    await c.do('LREM', 'nokey', 0, 'x');
    await c.error('ERR value is not an integer', 'LREM', 'l', 'x', 'a');
    await c.error('ERR wrong number', 'LREM', 'l', 0);
  });

  test('LTRIM', async () => {
    const c = await p.client();
    const idx = [0, 1, 3, 4, 5, 100, -1, -2, -5, -6, -100, HUGE_NEG, HUGE];
    for (const s of idx) {
      for (const e of idx) {
        await seed(c, 'l', 'a', 'b', 'c', 'd', 'e');
        await c.do('LTRIM', 'l', s, e);
        await c.do('LRANGE', 'l', 0, -1);
        await c.do('EXISTS', 'l');
      }
    }
    await c.do('LTRIM', 'nokey', 0, 1);
    await c.error('ERR value is not an integer', 'LTRIM', 'l', 0, 'x');
    await c.error('ERR value is not an integer', 'LTRIM', 'nokey', 'x', 0);
    await c.error('ERR wrong number', 'LTRIM', 'l', 0);
  });

  test('LPOS with RANK, COUNT, MAXLEN', async () => {
    const c = await p.client();
    await seed(c, 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'x', 'a');
    const opts: (string | number)[][] = [
      [], ['RANK', 1], ['RANK', 2], ['RANK', 5], ['RANK', -1], ['RANK', -3], ['RANK', -9],
      ['COUNT', 0], ['COUNT', 1], ['COUNT', 2], ['COUNT', 100], ['RANK', 2, 'COUNT', 2], ['RANK', -2, 'COUNT', 0],
      ['MAXLEN', 1], ['MAXLEN', 4], ['MAXLEN', 0], ['COUNT', 0, 'MAXLEN', 7], ['RANK', -1, 'MAXLEN', 1],
      ['RANK', -1, 'MAXLEN', 2, 'COUNT', 0], ['rank', 1, 'count', 2, 'maxlen', 100], ['RANK', 1, 'RANK', 2],
      ['RANK', HUGE], ['COUNT', HUGE], ['MAXLEN', HUGE], ['RANK', HUGE_NEG], ['RANK', HUGE_NEG, 'COUNT', 2], ['RANK', HUGE_NEG, 'COUNT', 0],
    ];
    for (const o of opts) {
      await c.do('LPOS', 'l', 'a', ...o);
      await c.do('LPOS', 'l', 'zz', ...o);
      await c.do('LPOS', 'nokey', 'a', ...o);
    }
    await c.error("ERR RANK can't be zero", 'LPOS', 'l', 'a', 'RANK', 0);
    await c.error('ERR value is not an integer', 'LPOS', 'l', 'a', 'RANK', 'x');
    await c.error("ERR COUNT can't be negative", 'LPOS', 'l', 'a', 'COUNT', -1);
    await c.error("ERR COUNT can't be negative", 'LPOS', 'l', 'a', 'COUNT', 'x');
    await c.error("ERR MAXLEN can't be negative", 'LPOS', 'l', 'a', 'MAXLEN', -1);
    await c.error("ERR MAXLEN can't be negative", 'LPOS', 'nokey', 'a', 'MAXLEN', 'x');
    await c.error('ERR syntax error', 'LPOS', 'l', 'a', 'RANK');
    await c.error('ERR syntax error', 'LPOS', 'l', 'a', 'FOO', 1);
    await c.error('ERR syntax error', 'LPOS', 'nokey', 'a', 'COUNT');
    await c.error('ERR wrong number', 'LPOS', 'l');
    const r3 = await p.client({ flush: false });
    await r3.both('HELLO', '3');
    await r3.do('LPOS', 'l', 'zz');
    await r3.do('LPOS', 'nokey', 'a');
    await r3.do('LPOS', 'nokey', 'a', 'COUNT', 1);
  });

  test('LMOVE and RPOPLPUSH', async () => {
    const c = await p.client();
    const sides = ['LEFT', 'RIGHT'];
    for (const from of sides) {
      for (const to of sides) {
        await seed(c, 's', 'a', 'b', 'c');
        await seed(c, 'd', 'x');
        await c.do('LMOVE', 's', 'd', from, to);
        await c.do('LMOVE', 's', 'new', from.toLowerCase(), to.toLowerCase());
        await c.do('LRANGE', 's', 0, -1);
        await c.do('LRANGE', 'd', 0, -1);
        await c.do('LRANGE', 'new', 0, -1);
        await c.do('DEL', 'new');
        // same key: rotation
        await c.do('LMOVE', 's', 's', from, to);
        await c.do('LRANGE', 's', 0, -1);
      }
    }
    await seed(c, 's', 'only');
    await c.do('LMOVE', 's', 's', 'LEFT', 'RIGHT');
    await c.do('LRANGE', 's', 0, -1);
    await c.do('LMOVE', 's', 'd', 'LEFT', 'RIGHT');
    await c.do('EXISTS', 's');
    await c.do('LMOVE', 'nokey', 'd', 'LEFT', 'RIGHT');
    await c.do('RPOPLPUSH', 'nokey', 'd');
    await seed(c, 's', 'a', 'b', 'c');
    await c.do('RPOPLPUSH', 's', 'd');
    await c.do('RPOPLPUSH', 's', 's');
    await c.do('LRANGE', 's', 0, -1);
    await c.do('LRANGE', 'd', 0, -1);
    await c.error('ERR syntax error', 'LMOVE', 's', 'd', 'UP', 'LEFT');
    await c.error('ERR syntax error', 'LMOVE', 's', 'd', 'LEFT', 'DOWN');
    await c.error('ERR syntax error', 'LMOVE', 'nokey', 'd', 'LEFT', 'DOWN');
    await c.error('ERR wrong number', 'LMOVE', 's', 'd', 'LEFT');
    await c.error('ERR wrong number', 'RPOPLPUSH', 's');
  });

  test('LMPOP', async () => {
    const c = await p.client();
    await seed(c, 'a');
    await seed(c, 'b', '1', '2', '3', '4');
    await c.do('LMPOP', 2, 'a', 'b', 'LEFT');
    await c.do('LMPOP', 2, 'a', 'b', 'right', 'COUNT', 2);
    await c.do('LMPOP', 1, 'b', 'LEFT', 'count', 10);
    await c.do('EXISTS', 'b');
    await c.do('LMPOP', 2, 'a', 'b', 'LEFT');
    await seed(c, 'b', '1', '2', '3');
    await c.do('LMPOP', 1, 'b', 'RIGHT', 'COUNT', HUGE);
    await c.error('ERR numkeys should be greater than 0', 'LMPOP', 0, 'a', 'LEFT');
    await c.error('ERR numkeys should be greater than 0', 'LMPOP', -1, 'a', 'LEFT');
    await c.error('ERR numkeys should be greater than 0', 'LMPOP', 'x', 'a', 'LEFT');
    await c.error('ERR syntax error', 'LMPOP', 3, 'a', 'LEFT');
    await c.error('ERR syntax error', 'LMPOP', 2, 'a', 'b');
    await c.error('ERR syntax error', 'LMPOP', 1, 'a', 'MIDDLE');
    await c.error('ERR syntax error', 'LMPOP', 1, 'a', 'LEFT', 'COUNT');
    await c.error('ERR syntax error', 'LMPOP', 1, 'a', 'LEFT', 'COUNT', 1, 'COUNT', 1);
    await c.error('ERR syntax error', 'LMPOP', 1, 'a', 'LEFT', 'FOO', 1);
    await c.error('ERR count should be greater than 0', 'LMPOP', 1, 'a', 'LEFT', 'COUNT', 0);
    await c.error('ERR count should be greater than 0', 'LMPOP', 1, 'a', 'LEFT', 'COUNT', -1);
    await c.error('ERR count should be greater than 0', 'LMPOP', 1, 'a', 'LEFT', 'COUNT', 'x');
    await c.error('ERR wrong number', 'LMPOP', 1, 'a');
    const r3 = await p.client();
    await r3.both('HELLO', '3');
    await r3.do('LMPOP', 1, 'nokey', 'LEFT');
    await r3.do('RPUSH', 'k', 'v1', 'v2');
    await r3.do('LMPOP', 1, 'k', 'LEFT', 'COUNT', 5);
  });

  test('blocking forms answer at once when there is data, and their argument errors', async () => {
    const c = await p.client();
    await seed(c, 'a', '1', '2', '3');
    await c.do('BLPOP', 'nokey', 'a', 0);
    await c.do('BRPOP', 'nokey', 'a', '0.5');
    await seed(c, 'a', '1', '2', '3');
    await c.do('BLMPOP', 0, 2, 'nokey', 'a', 'RIGHT', 'COUNT', 2);
    await c.do('BLMOVE', 'a', 'd', 'LEFT', 'RIGHT', 0);
    await c.do('BRPOPLPUSH', 'd', 'a', 0);
    await c.do('LRANGE', 'a', 0, -1);
    for (const t of ['-1', '-0.0011', 'abc', ' 1', 'nan', 'inf', '-inf', '1e400', '1e30', '9.3e15', '']) {
      await c.error('ERR timeout', 'BLPOP', 'a', t);
      await c.error('ERR timeout', 'BRPOP', 'a', t);
      await c.error('ERR timeout', 'BLMOVE', 'a', 'd', 'LEFT', 'LEFT', t);
      await c.error('ERR timeout', 'BRPOPLPUSH', 'a', 'd', t);
      await c.error('ERR timeout', 'BLMPOP', t, 1, 'a', 'LEFT');
    }
    // tiny negative timeouts round to 0 (block forever), tiny positive ones to 1 ms
    await seed(c, 'a', '1', '2', '3', '4', '5', '6');
    for (const t of ['-0.001', '-0.0001', '-0', '1e-400', '0x10', '0.0005']) await c.do('BLPOP', 'a', t);
    await c.error('ERR syntax error', 'BLMOVE', 'a', 'd', 'UP', 'LEFT', 'x');
    await c.error('ERR numkeys should be greater than 0', 'BLMPOP', 'x', 0, 'a', 'LEFT');
    await c.error('ERR syntax error', 'BLMPOP', 'x', 1, 'a', 'UP');
    await c.error('ERR count should be greater than 0', 'BLMPOP', 'x', 1, 'a', 'LEFT', 'COUNT', 0);
    await c.error('ERR wrong number', 'BLPOP', 'a');
    await c.error('ERR wrong number', 'BRPOP', 'a');
    await c.error('ERR wrong number', 'BLMOVE', 'a', 'b', 'LEFT', 'LEFT');
    await c.error('ERR wrong number', 'BRPOPLPUSH', 'a', 'b');
    await c.error('ERR wrong number', 'BLMPOP', 0, 1, 'a');
  });

  test('WRONGTYPE for every list command, the key unchanged', async () => {
    const c = await p.client();
    await c.do('SET', 's', 'str');
    await seed(c, 'l', 'a', 'b');
    const cases: (string | number)[][] = [
      ['LPUSH', 's', 'x'], ['RPUSH', 's', 'x'], ['LPUSHX', 's', 'x'], ['RPUSHX', 's', 'x'],
      ['LPOP', 's'], ['RPOP', 's'], ['LPOP', 's', 2], ['RPOP', 's', 0], ['LLEN', 's'], ['LRANGE', 's', 0, -1],
      ['LINDEX', 's', 0], ['LSET', 's', 0, 'x'], ['LINSERT', 's', 'BEFORE', 'a', 'x'], ['LREM', 's', 0, 'x'],
      ['LTRIM', 's', 0, 1], ['LPOS', 's', 'x'], ['LPOS', 's', 'x', 'COUNT', 0],
      ['LMOVE', 's', 'l', 'LEFT', 'LEFT'], ['LMOVE', 'l', 's', 'LEFT', 'LEFT'], ['RPOPLPUSH', 's', 'l'],
      ['RPOPLPUSH', 'l', 's'], ['LMPOP', 2, 'nokey', 's', 'LEFT'], ['LMPOP', 2, 's', 'l', 'LEFT'],
      ['BLPOP', 's', 0], ['BRPOP', 'nokey', 's', 0], ['BLMOVE', 's', 'l', 'LEFT', 'LEFT', 0],
      ['BLMOVE', 'l', 's', 'LEFT', 'LEFT', 0], ['BRPOPLPUSH', 's', 'l', 0], ['BRPOPLPUSH', 'l', 's', 0],
      ['BLMPOP', 0, 2, 'nokey', 's', 'LEFT'],
    ];
    for (const args of cases) await c.error('WRONGTYPE', ...args);
    await c.do('GET', 's');
    await c.do('LRANGE', 'l', 0, -1);
    // a list before the wrong-type key is served first
    await c.do('LMPOP', 2, 'l', 's', 'LEFT');
    await c.do('BLPOP', 'l', 's', 0);
    // string commands against a list
    await seed(c, 'l', 'a', 'b');
    await c.error('WRONGTYPE', 'GET', 'l');
    await c.error('WRONGTYPE', 'APPEND', 'l', 'x');
  });

  test('keyspace events of each command', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const [subA, subB] = await Promise.all([RawClient.connect(p.nodis.port), RawClient.connect(p.redis.port)]);
    try {
      await Promise.all([subA.call('PSUBSCRIBE', '__key*@0__:*'), subB.call('PSUBSCRIBE', '__key*@0__:*')]);
      const script: (string | number)[][] = [
        ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['LPUSH', 'l', 'z'], ['LPUSHX', 'l', 'y'], ['RPUSHX', 'nokey', 'x'],
        ['LPOP', 'l'], ['RPOP', 'l', 2], ['LSET', 'l', 0, 'q'], ['LINSERT', 'l', 'AFTER', 'q', 'r'],
        ['LINSERT', 'l', 'AFTER', 'nope', 'r'], ['LREM', 'l', 1, 'r'], ['LREM', 'l', 1, 'nope'], ['LTRIM', 'l', 0, -1],
        ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'l', 'l'], ['LMPOP', 1, 'l', 'RIGHT', 'COUNT', 1],
        ['RPUSH', 'l', 'a'], ['BLPOP', 'l', 0], ['RPUSH', 'l', 'a', 'b'], ['BLMOVE', 'l', 'l', 'LEFT', 'RIGHT', 0],
        ['BRPOPLPUSH', 'l', 'm', 0], ['BLMPOP', 0, 1, 'l', 'LEFT'], ['LTRIM', 'm', 5, 10], ['RPUSH', 'm', 'a'],
        ['LREM', 'm', 0, 'a'], ['RPUSH', 'l', 'x'], ['LPOP', 'l', 0], ['LPOP', 'l', 5],
      ];
      for (const cmd of script) await c.both(...cmd);
      await c.do('PING');
      // collect every message until the final PING's reply on each side
      const collect = async (r: RawClient): Promise<string[]> => {
        r.send('PUNSUBSCRIBE');
        const msgs: string[] = [];
        for (;;) {
          const m = await r.read();
          msgs.push(m);
          if (m.includes('punsubscribe')) return msgs;
        }
      };
      const [ea, eb] = await Promise.all([collect(subA), collect(subB)]);
      assert.deepEqual(ea, eb);
      assert.ok(ea.length > 40);
    } finally {
      subA.close();
      subB.close();
      await c.do('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  });

  test('keyspace hits and misses', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'RESETSTAT');
    await c.do('RPUSH', 'l', 'a', 'b');
    for (const args of [['LLEN', 'l'], ['LLEN', 'no'], ['LRANGE', 'l', 0, -1], ['LRANGE', 'no', 0, -1], ['LINDEX', 'l', 0],
      ['LINDEX', 'no', 0], ['LPOS', 'l', 'a'], ['LPOS', 'no', 'a'], ['LPOP', 'no'], ['LPUSHX', 'no', 'a'], ['LSET', 'l', 0, 'x'],
      ['LREM', 'no', 0, 'a'], ['LMOVE', 'no', 'd', 'LEFT', 'LEFT'], ['LMPOP', 1, 'no', 'LEFT'], ['BLPOP', 'l', 0]]) {
      await c.both(...args);
    }
    const [a, b] = await Promise.all([hitsMisses(c.ours), hitsMisses(c.theirs)]);
    assert.deepEqual(a, b);
  });

  test('MULTI: blocking forms do not block, pushes are served after EXEC', async () => {
    const c = await p.client();
    const [a, b] = await c.both('MULTI');
    if (a.startsWith('-')) return; // transactions not there yet
    assert.equal(a, b);
    for (const cmd of [['BLPOP', 'nokey', 0], ['BRPOP', 'nokey', 1], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', 0],
      ['BRPOPLPUSH', 'nokey', 'd', 0], ['BLMPOP', 0, 1, 'nokey', 'LEFT'], ['RPUSH', 'x', 'a'], ['BLPOP', 'x', 0]]) {
      await c.do(...cmd);
    }
    await c.do('EXEC');
  });
});
