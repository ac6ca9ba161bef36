/*
 * Set commands against real Redis: replies byte for byte (intsets list in
 * order; hashtable replies via doSorted; random ones via doLoosely plus
 * property checks), errors, encodings and thresholds, store variants,
 * RESP3 shapes, SPOP propagation and events.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const range = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => String(i + from));

describe('set', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS', async () => {
    const c = await p.client();
    await c.do('SADD', 's', '3', '1', '2', '1');
    await c.do('SMEMBERS', 's');
    await c.do('OBJECT', 'ENCODING', 's');
    await c.do('SADD', 's', '-9223372036854775808', '9223372036854775807');
    await c.do('SMEMBERS', 's');
    await c.do('SISMEMBER', 's', '2');
    await c.do('SISMEMBER', 's', '02');
    await c.do('SISMEMBER', 'nokey', '2');
    await c.do('SMISMEMBER', 's', '1', 'x', '3');
    await c.do('SMISMEMBER', 'nokey', '1', 'x');
    await c.do('SCARD', 's');
    await c.do('SCARD', 'nokey');
    await c.do('SREM', 's', '1', 'x', '1');
    await c.do('SADD', 's', 'a');
    await c.do('OBJECT', 'ENCODING', 's');
    await c.doSorted('SMEMBERS', 's');
    await c.do('SREM', 's', '2', '3', 'a', '-9223372036854775808', '9223372036854775807', 'zz');
    await c.do('EXISTS', 's');
    await c.do('SMEMBERS', 'nokey');
    await c.do('SADD', 'x', '9223372036854775808');
    await c.do('OBJECT', 'ENCODING', 'x');
    await c.do('SADD', 'y', '-0');
    await c.do('OBJECT', 'ENCODING', 'y');
    await c.do('SADD', 'b', '\x00\xff', 'é');
    await c.doSorted('SMEMBERS', 'b');
  });

  test('arity and syntax errors, WRONGTYPE', async () => {
    const c = await p.client();
    await c.error('ERR wrong number', 'SADD', 's');
    await c.error('ERR wrong number', 'SMISMEMBER', 's');
    await c.error('ERR wrong number', 'SMOVE', 'a', 'b');
    await c.error('ERR wrong number', 'SINTERCARD', '1');
    await c.error('ERR syntax error', 'SPOP', 's', '1', '2');
    await c.error('ERR syntax error', 'SRANDMEMBER', 's', '1', '2');
    await c.do('SET', 'str', 'v');
    await c.do('SADD', 's', 'a');
    for (const args of [['SADD', 'str', 'a'], ['SREM', 'str', 'a'], ['SCARD', 'str'], ['SISMEMBER', 'str', 'a'],
      ['SMISMEMBER', 'str', 'a'], ['SMEMBERS', 'str'], ['SRANDMEMBER', 'str'], ['SRANDMEMBER', 'str', '3'],
      ['SPOP', 'str'], ['SPOP', 'str', '2'], ['SMOVE', 'str', 's', 'a'], ['SMOVE', 's', 'str', 'a'],
      ['SINTER', 's', 'str'], ['SINTERCARD', '2', 's', 'str'], ['SINTERSTORE', 'd', 's', 'str'], ['SUNION', 's', 'str'],
      ['SUNIONSTORE', 'd', 'str'], ['SDIFF', 's', 'str'], ['SDIFFSTORE', 'd', 's', 'str'], ['SSCAN', 'str', '0']]) {
      await c.error('WRONGTYPE', ...args);
    }
    await c.error('WRONGTYPE', 'SINTER', 'nokey', 'str'); // every key is looked up before the empty-set shortcut
    await c.do('SMOVE', 'nokey', 'str', 'a');
    await c.do('EXISTS', 'd');
  });

  test('intset thresholds and conversions', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'set-max-intset-entries', '5');
    try {
      await c.do('SADD', 'a', ...range(5));
      await c.do('OBJECT', 'ENCODING', 'a');
      await c.do('SADD', 'a', '5');
      await c.do('OBJECT', 'ENCODING', 'a');
      await c.do('SREM', 'a', '0', '1', '2', '3');
      await c.do('OBJECT', 'ENCODING', 'a');
      await c.do('SADD', 'b', 'x', '1');
      await c.do('OBJECT', 'ENCODING', 'b');
      await c.do('SADD', 'c', '1', 'x');
      await c.do('OBJECT', 'ENCODING', 'c');
      await c.do('SADD', 'i1', '1', '2', '3');
      await c.do('SADD', 'i2', '2', '3', '4');
      await c.do('SINTERSTORE', 'd', 'i1', 'i2');
      await c.do('OBJECT', 'ENCODING', 'd');
      await c.do('SUNIONSTORE', 'd', 'i1', 'i2');
      await c.do('OBJECT', 'ENCODING', 'd');
      await c.do('SUNIONSTORE', 'd', 'i1', 'i2', 'b');
      await c.do('OBJECT', 'ENCODING', 'd');
      await c.do('SUNION', 'i2', 'i1');
    } finally {
      await c.do('CONFIG', 'SET', 'set-max-intset-entries', '512');
    }
  });

  test('SINTER / SUNION / SDIFF and the STORE variants', async () => {
    const c = await p.client();
    await c.do('SADD', 'a', ...range(20));
    await c.do('SADD', 'b', ...range(20, 10));
    await c.do('SADD', 'c', 'x', 'y', '5', '15');
    await c.do('SADD', 'big', ...range(600));
    await c.do('SINTER', 'a', 'b');
    await c.doSorted('SINTER', 'a', 'c');
    await c.do('SINTER', 'a', 'nokey');
    await c.do('SINTER', 'a');
    await c.do('SINTER', 'a', 'a', 'b');
    await c.do('SUNION', 'a', 'b');
    await c.doSorted('SUNION', 'a', 'c', 'nokey');
    await c.do('SUNION', 'nokey');
    await c.do('SDIFF', 'a', 'b');
    await c.do('SDIFF', 'b', 'a', 'c');
    await c.do('SDIFF', 'a', 'a');
    await c.do('SDIFF', 'nokey', 'a');
    await c.do('SDIFF', 'a', 'nokey');
    await c.doSorted('SDIFF', 'big', 'a', 'b');
    await c.do('SINTERCARD', '2', 'a', 'b');
    await c.do('SINTERCARD', '2', 'a', 'b', 'LIMIT', '3');
    await c.do('SINTERCARD', '2', 'a', 'b', 'LIMIT', '0');
    await c.do('SINTERCARD', '1', 'nokey');
    await c.do('SINTERCARD', '3', 'a', 'b', 'big', 'limit', '100');
    await c.error('ERR numkeys should be greater than 0', 'SINTERCARD', '0', 'a');
    await c.error('ERR numkeys should be greater than 0', 'SINTERCARD', 'x', 'a');
    await c.error("ERR Number of keys can't be greater than number of args", 'SINTERCARD', '3', 'a', 'b');
    await c.error("ERR LIMIT can't be negative", 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '-1');
    await c.error("ERR LIMIT can't be negative", 'SINTERCARD', '2', 'a', 'b', 'LIMIT', 'x');
    await c.error('ERR syntax error', 'SINTERCARD', '2', 'a', 'b', 'LIMIT');
    await c.error('ERR syntax error', 'SINTERCARD', '1', 'a', 'b');
    await c.do('SINTERSTORE', 'd', 'a', 'b');
    await c.do('SMEMBERS', 'd');
    await c.do('SET', 'str', 'v');
    await c.do('EXPIRE', 'd', '100');
    await c.do('SUNIONSTORE', 'd', 'a', 'b');
    await c.do('TTL', 'd');
    await c.do('SCARD', 'd');
    await c.do('SDIFFSTORE', 'd', 'a', 'b');
    await c.do('SMEMBERS', 'd');
    await c.do('SINTERSTORE', 'd', 'a', 'nokey');
    await c.do('EXISTS', 'd');
    await c.do('SUNIONSTORE', 'str', 'a');
    await c.do('TYPE', 'str');
    await c.do('SDIFFSTORE', 'str', 'a', 'a');
    await c.do('EXISTS', 'str');
    await c.do('SUNIONSTORE', 'e', 'nokey');
    await c.do('SINTERSTORE', 'a', 'a', 'b');
    await c.do('SMEMBERS', 'a');
  });

  test('SMOVE', async () => {
    const c = await p.client();
    await c.do('SADD', 'src', 'a', 'b', '1');
    await c.do('SADD', 'dst', '2');
    await c.do('SMOVE', 'src', 'dst', '1');
    await c.do('OBJECT', 'ENCODING', 'dst');
    await c.do('SMOVE', 'src', 'dst', 'a');
    await c.do('OBJECT', 'ENCODING', 'dst');
    await c.do('SMOVE', 'src', 'dst', 'zz');
    await c.do('SMOVE', 'src', 'src', 'b');
    await c.do('SMOVE', 'src', 'src', 'zz');
    await c.do('SMOVE', 'src', 'newdst', 'b');
    await c.do('EXISTS', 'src');
    await c.do('SMEMBERS', 'newdst');
    await c.do('OBJECT', 'ENCODING', 'newdst');
    await c.do('SMOVE', 'nokey', 'dst', 'a');
    await c.do('SADD', 'x', '5');
    await c.do('SMOVE', 'newdst', 'x', '6');
    await c.do('SMOVE', 'dst', 'x', '2');
    await c.do('SMEMBERS', 'x');
  });

  test('SRANDMEMBER: cases, shapes, errors', async () => {
    const c = await p.client();
    await c.do('SADD', 'i', ...range(10));
    await c.do('SADD', 'h', ...range(300).map((x) => 'm' + x));
    await c.doLoosely('SRANDMEMBER', 'i');
    await c.do('SRANDMEMBER', 'nokey');
    await c.do('SRANDMEMBER', 'nokey', '5');
    await c.do('SRANDMEMBER', 'i', '0');
    await c.do('SRANDMEMBER', 'i', '10');
    await c.do('SRANDMEMBER', 'i', '100');
    await c.doLoosely('SRANDMEMBER', 'i', '-30');
    await c.error('ERR value is not an integer', 'SRANDMEMBER', 'i', 'x');
    await c.error('ERR value is out of range', 'SRANDMEMBER', 'i', '-9223372036854775808');
    for (const n of ['5', '9', '1', '250', '20']) {
      for (const key of ['i', 'h']) {
        const [ours] = await c.both('SRANDMEMBER', key, n);
        const r = parseReply(ours) as string[];
        const want = Math.min(Number(n), key === 'i' ? 10 : 300);
        assert.equal(r.length, want, `${key} ${n}`);
        assert.equal(new Set(r).size, want, 'distinct');
        assert.ok(r.every((m) => (key === 'i' ? /^\d$/.test(m) : /^m\d+$/.test(m))));
      }
    }
    const [neg] = await c.both('SRANDMEMBER', 'i', '-1000');
    const nr = parseReply(neg) as string[];
    assert.equal(nr.length, 1000);
    const counts = new Map<string, number>();
    for (const m of nr) counts.set(m, (counts.get(m) ?? 0) + 1);
    assert.equal(counts.size, 10, 'every member shows up in 1000 draws');
  });

  test('SPOP: single, counts (three cases), errors, emptied key', async () => {
    const c = await p.client();
    await c.do('SADD', 'i', ...range(10));
    await c.doLoosely('SPOP', 'i');
    await c.do('SPOP', 'nokey');
    await c.do('SPOP', 'nokey', '3');
    await c.do('SPOP', 'i', '0');
    await c.doLoosely('SPOP', 'i', '2');
    await c.doLoosely('SPOP', 'i', '6');
    await c.do('SCARD', 'i');
    await c.doLoosely('SPOP', 'i', '100');
    await c.do('EXISTS', 'i');
    await c.error('ERR value is out of range, must be positive', 'SPOP', 'i', '-1');
    await c.error('ERR value is out of range, must be positive', 'SPOP', 'i', 'x');
    await c.do('SADD', 'one', 'x');
    await c.do('SPOP', 'one');
    await c.do('EXISTS', 'one');
    await c.do('SADD', 'h', ...range(100).map((x) => 'm' + x));
    const got = new Set<string>();
    for (const n of ['10', '85']) {
      const [ours] = await c.both('SPOP', 'h', n);
      const r = parseReply(ours) as string[];
      assert.equal(r.length, Number(n));
      for (const m of r) { assert.ok(!got.has(m)); got.add(m); }
    }
    await c.do('SCARD', 'h');
    const [ours] = await c.both('SMEMBERS', 'h');
    for (const m of parseReply(ours) as string[]) assert.ok(!got.has(m));
  });

  test('SSCAN: intset in one call, hashtable walk, MATCH, COUNT, errors', async () => {
    const c = await p.client();
    await c.do('SADD', 'i', ...range(50));
    await c.do('SSCAN', 'i', '0');
    await c.do('SSCAN', 'i', '0', 'MATCH', '1*', 'COUNT', '3');
    await c.do('SSCAN', 'nokey', '0');
    await c.error('ERR syntax error', 'SSCAN', 'i', '0', 'COUNT', '0');
    await c.error('ERR syntax error', 'SSCAN', 'i', '0', 'TYPE', 'set');
    await c.error('ERR invalid cursor', 'SSCAN', 'i', 'x');
    await c.do('SADD', 'h', ...range(1000).map((x) => 'm' + x));
    const all = new Set<string>();
    let cursor = '0';
    do {
      const [ours] = await c.both('SSCAN', 'h', cursor);
      const r = parseReply(ours) as [string, string[]];
      cursor = r[0];
      for (const m of r[1]) all.add(m);
    } while (cursor !== '0');
    assert.equal(all.size, 1000);
  });

  test('RESP3: set replies', async () => {
    const c = await p.client();
    await c.both('HELLO', '3');
    await c.do('SADD', 'i', '3', '1', '2');
    await c.do('SADD', 'j', '2', '3', '4');
    await c.do('SMEMBERS', 'i');
    await c.do('SMEMBERS', 'nokey');
    await c.do('SINTER', 'i', 'j');
    await c.do('SUNION', 'i', 'j');
    await c.do('SDIFF', 'i', 'j');
    await c.do('SPOP', 'nokey', '2');
    await c.do('SPOP', 'nokey');
    await c.do('SRANDMEMBER', 'nokey');
    await c.do('SRANDMEMBER', 'i', '5');
    await c.doLoosely('SPOP', 'i', '1');
    await c.do('SPOP', 'j', '10');
  });

  test('SPOP propagation and events (in-process)', async () => {
    const c = await p.client();
    const server = p.nodis.server;
    const seen: string[][] = [];
    const events: string[] = [];
    const hook = (_db: number, argv: readonly string[]): void => { seen.push([...argv]); };
    server.recorder.listen(hook);
    const saved = server.recorder.publish;
    const savedFlags = server.recorder.notifyFlags;
    server.recorder.publish = (ch, msg) => { if (ch.startsWith('__keyevent')) events.push(`${ch.slice(ch.indexOf(':') + 1)} ${msg}`); };
    server.recorder.notifyFlags = 0xffff;
    try {
      await c.do('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
      seen.length = 0;
      events.length = 0;
      const [one] = await c.both('SPOP', 's');
      const m = parseReply(one) as string;
      assert.deepEqual(seen, [['SREM', 's', m]]);
      seen.length = 0;
      const [two] = await c.both('SPOP', 's', '2');
      // several commands from one command go out as a transaction (propagatePendingCommands)
      assert.deepEqual(seen.map((a) => a[0]), ['MULTI', 'SREM', 'SREM', 'EXEC']);
      assert.deepEqual(seen.slice(1, 3).map((a) => a[2]).sort(), (parseReply(two) as string[]).sort());
      seen.length = 0;
      await c.both('SPOP', 's', '6');
      assert.equal(seen.length, 8, 'case 3 propagates one SREM per popped member, in MULTI/EXEC');
      assert.ok(seen.slice(1, 7).every((a) => a[0] === 'SREM'));
      seen.length = 0;
      await c.both('SPOP', 's', '5');
      assert.deepEqual(seen, [['DEL', 's']]);
      assert.deepEqual(events, ['spop s', 'spop s', 'spop s', 'spop s', 'del s']);
      events.length = 0;
      await c.do('SADD', 'a', '1', '2');
      await c.do('SADD', 'b', '2', '3');
      await c.do('SMOVE', 'a', 'b', '1');
      await c.do('SMOVE', 'a', 'c', '2');
      await c.do('SINTERSTORE', 'd', 'b', 'c');
      await c.do('SUNIONSTORE', 'd', 'b', 'c');
      await c.do('SDIFFSTORE', 'd', 'b', 'c');
      await c.do('SDIFFSTORE', 'd', 'c', 'c');
      await c.do('SREM', 'b', '1', '2', '3');
      assert.deepEqual(events, ['new a', 'sadd a', 'new b', 'sadd b', 'srem a', 'sadd b', 'srem a', 'del a', 'new c', 'sadd c',
        'new d', 'sinterstore d', 'sunionstore d', 'sdiffstore d', 'del d', 'srem b', 'del b']);
    } finally {
      server.recorder.propagateHooks.splice(server.recorder.propagateHooks.indexOf(hook), 1);
      server.recorder.publish = saved;
      server.recorder.notifyFlags = savedFlags;
    }
  });
});
