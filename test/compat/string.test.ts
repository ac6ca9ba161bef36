/*
 * Differential tests of the string commands against a real redis-server:
 * SET and its options (conflicts, expire errors), GET, GETEX, GETDEL, GETSET,
 * MGET, MSET, MSETNX, SETNX, SETEX, PSETEX, APPEND, STRLEN, GETRANGE, SUBSTR,
 * SETRANGE, LCS, with binary values, limits and OBJECT ENCODING.
 * WRONGTYPE cases are skipped until a non-string type exists in Nodis.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';

const BIN = 'a\r\nb\x00\xff\x80\r\n';

describe('string', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('SET / GET basics, binary values, arity', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    await c.do('GET', 'k');
    await c.do('SET', 'b', Buffer.from(BIN, 'latin1'));
    await c.do('GET', 'b');
    await c.do('SET', Buffer.from(BIN, 'latin1'), '');
    await c.do('GET', Buffer.from(BIN, 'latin1'));
    await c.do('GET', 'nokey');
    await c.do('SET', 'big', 'x'.repeat(100000));
    await c.do('GET', 'big');
    await c.error('ERR wrong number', 'SET', 'k');
    await c.error('ERR wrong number', 'GET');
    await c.error('ERR wrong number', 'GET', 'a', 'b');
  });

  test('SET options: NX XX GET KEEPTTL', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v', 'NX');
    await c.do('SET', 'k', 'w', 'NX');
    await c.do('SET', 'k', 'w', 'XX');
    await c.do('SET', 'missing', 'w', 'XX');
    await c.do('SET', 'k', 'x', 'GET');
    await c.do('SET', 'nk', 'x', 'GET');
    await c.do('SET', 'k', 'y', 'NX', 'GET');
    await c.do('SET', 'k2', 'y', 'NX', 'GET');
    await c.do('SET', 'k3', 'y', 'XX', 'GET');
    await c.do('SET', 'k', 'z', 'get', 'GET', 'xx');
    await c.do('GET', 'k');
    await c.do('SET', 'k', 'v', 'EX', '100');
    await c.do('SET', 'k', 'v2', 'KEEPTTL');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('SET', 'k', 'v3');
    await c.do('TTL', 'k');
    await c.do('SET', 'k', 'v', 'nx', 'nx');
    await c.do('EXISTS', 'k3');
  });

  test('SET expire options and errors', async () => {
    const c = await p.client();
    const now = Date.now();
    await c.do('SET', 'a', 'v', 'EX', '100');
    await c.doApprox(1, 'TTL', 'a');
    await c.do('SET', 'a', 'v', 'PX', '100000');
    await c.doApprox(1000, 'PTTL', 'a');
    await c.do('SET', 'a', 'v', 'EXAT', String(Math.floor(now / 1000) + 200));
    await c.doApprox(2, 'TTL', 'a');
    await c.do('SET', 'a', 'v', 'PXAT', String(now + 300000));
    await c.doApprox(1000, 'PTTL', 'a');
    await c.do('SET', 'a', 'v', 'ex', '100', 'GET');
    await c.do('SET', 'old', 'v', 'PXAT', String(now - 1000));
    await c.do('EXISTS', 'old');
    await c.do('SET', 'old', 'v', 'EXAT', '1');
    await c.do('GET', 'old');
    for (const bad of [['EX', '0'], ['EX', '-1'], ['PX', '0'], ['PXAT', '-5'], ['EXAT', '0'], ['EX', '9223372036854775'],
      ['EX', '9223372036854776'], ['PX', '9223372036854775807'], ['EX', '9223372036854775807']]) {
      await c.error("ERR invalid expire time in 'set' command", 'SET', 'e', 'v', ...bad);
    }
    await c.do('SET', 'e', 'v', 'PXAT', '9223372036854775807');
    await c.do('SET', 'e', 'v', 'EXAT', '9223372036854775');
    for (const bad of [['EX', 'abc'], ['PX', '1.5'], ['EX', ''], ['EXAT', '99999999999999999999']]) {
      await c.error('ERR value is not an integer', 'SET', 'e', 'v', ...bad);
    }
    await c.do('EXISTS', 'nope');
    await c.error("ERR invalid expire time in 'set' command", 'SET', 'e', 'v', 'EX', '0', 'GET');
  });

  test('SET syntax errors', async () => {
    const c = await p.client();
    const bad = [
      ['NX', 'XX'], ['XX', 'NX'], ['EX', '10', 'PX', '10'], ['PX', '10', 'EX', '10'], ['EX', '10', 'KEEPTTL'],
      ['KEEPTTL', 'EX', '10'], ['EXAT', '10', 'PXAT', '10'], ['EX'], ['PX'], ['EXAT'], ['PXAT'], ['FOO'], ['PERSIST'],
      ['KEEPTTL', 'PXAT', '1'], ['GET', 'EX'], ['NX', 'FOO'],
    ];
    for (const b of bad) await c.error('ERR syntax error', 'SET', 'k', 'v', ...b);
    await c.error('ERR syntax error', 'SET', 'k', 'v', 'EX', 'abc', 'PX', '1');
    await c.do('SET', 'k2', 'v', 'EX', '10', 'ex', '20');
    await c.doApprox(1, 'TTL', 'k2');
    await c.do('EXISTS', 'k');
  });

  test('SETNX, SETEX, PSETEX, GETSET', async () => {
    const c = await p.client();
    await c.do('SETNX', 'k', 'a');
    await c.do('SETNX', 'k', 'b');
    await c.do('GET', 'k');
    await c.do('SETEX', 'k', '100', 'c');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('PSETEX', 'k', '100000', 'd');
    await c.doApprox(1000, 'PTTL', 'k');
    await c.do('GET', 'k');
    await c.error("ERR invalid expire time in 'setex' command", 'SETEX', 'k', '0', 'v');
    await c.error("ERR invalid expire time in 'setex' command", 'SETEX', 'k', '-10', 'v');
    await c.error("ERR invalid expire time in 'psetex' command", 'PSETEX', 'k', '0', 'v');
    await c.error("ERR invalid expire time in 'setex' command", 'SETEX', 'k', '9223372036854775807', 'v');
    await c.error('ERR value is not an integer', 'SETEX', 'k', 'x', 'v');
    await c.error('ERR wrong number', 'SETEX', 'k', '10');
    await c.error('ERR wrong number', 'PSETEX', 'k', '10', 'v', 'x');
    await c.error('ERR wrong number', 'SETNX', 'k');
    await c.do('GETSET', 'k', 'e');
    await c.do('TTL', 'k');
    await c.do('GETSET', 'new', 'f');
    await c.do('GET', 'new');
    await c.error('ERR wrong number', 'GETSET', 'k');
  });

  test('GETEX', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    await c.do('GETEX', 'k');
    await c.do('TTL', 'k');
    await c.do('GETEX', 'k', 'EX', '100');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('GETEX', 'k', 'PX', '200000');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('GETEX', 'k', 'EXAT', String(Math.floor(Date.now() / 1000) + 300));
    await c.doApprox(2, 'TTL', 'k');
    await c.do('GETEX', 'k', 'PXAT', String(Date.now() + 400000));
    await c.doApprox(2, 'TTL', 'k');
    await c.do('GETEX', 'k', 'PERSIST');
    await c.do('TTL', 'k');
    await c.do('GETEX', 'k', 'PERSIST');
    await c.do('GETEX', 'missing', 'EX', '10');
    await c.do('GETEX', 'missing', 'EX', 'abc');
    await c.do('GETEX', 'k', 'PXAT', String(Date.now() - 10));
    await c.do('EXISTS', 'k');
    await c.do('SET', 'k', 'v');
    await c.do('GETEX', 'k', 'EXAT', '1');
    await c.do('EXISTS', 'k');
    await c.do('SET', 'k', 'v');
    for (const bad of [['EX', '10', 'PX', '10'], ['PERSIST', 'EX', '10'], ['EX', '10', 'PERSIST'], ['KEEPTTL'], ['NX'],
      ['GET'], ['EX'], ['FOO'], ['XX']]) {
      await c.error('ERR syntax error', 'GETEX', 'k', ...bad);
    }
    for (const bad of [['EX', '0'], ['PX', '-1'], ['EXAT', '0'], ['EX', '9223372036854775807']]) {
      await c.error("ERR invalid expire time in 'getex' command", 'GETEX', 'k', ...bad);
    }
    await c.error('ERR value is not an integer', 'GETEX', 'k', 'EX', '1.5');
    await c.do('TTL', 'k');
    await c.error('ERR wrong number', 'GETEX');
  });

  test('GETDEL', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v', 'EX', '100');
    await c.do('GETDEL', 'k');
    await c.do('EXISTS', 'k');
    await c.do('GETDEL', 'k');
    await c.error('ERR wrong number', 'GETDEL');
    await c.error('ERR wrong number', 'GETDEL', 'a', 'b');
  });

  test('MGET, MSET, MSETNX', async () => {
    const c = await p.client();
    await c.do('MSET', 'a', '1', 'b', Buffer.from(BIN, 'latin1'), 'a', '3');
    await c.do('MGET', 'a', 'b', 'c', 'a');
    await c.error("ERR wrong number of arguments for 'mset' command", 'MSET', 'a', '1', 'b');
    await c.error('ERR wrong number', 'MSET', 'a');
    await c.error('ERR wrong number', 'MGET');
    await c.do('MSETNX', 'x', '1', 'y', '2');
    await c.do('MSETNX', 'y', '3', 'z', '4');
    await c.do('MGET', 'x', 'y', 'z');
    await c.do('MSETNX', 'z', '1', 'z', '2');
    await c.do('GET', 'z');
    await c.error("ERR wrong number of arguments for 'msetnx' command", 'MSETNX', 'a', '1', 'b');
    await c.do('SET', 't', 'v', 'EX', '100');
    await c.do('MSET', 't', 'w');
    await c.do('TTL', 't');
  });

  test('APPEND, STRLEN and encodings', async () => {
    const c = await p.client();
    await c.do('APPEND', 'k', 'hello');
    await c.do('OBJECT', 'ENCODING', 'k');
    await c.do('APPEND', 'k', ' world');
    await c.do('OBJECT', 'ENCODING', 'k');
    await c.do('GET', 'k');
    await c.do('APPEND', 'k', Buffer.from(BIN, 'latin1'));
    await c.do('GET', 'k');
    await c.do('STRLEN', 'k');
    await c.do('APPEND', 'n', '123');
    await c.do('OBJECT', 'ENCODING', 'n');
    await c.do('APPEND', 'n', '');
    await c.do('OBJECT', 'ENCODING', 'n');
    await c.do('APPEND', 'e', '');
    await c.do('EXISTS', 'e');
    await c.do('STRLEN', 'e');
    await c.do('STRLEN', 'missing');
    await c.do('SET', 'i', '12345');
    await c.do('STRLEN', 'i');
    for (const v of ['1', '-1', '12345678901234567890', 'x'.repeat(44), 'x'.repeat(45), '01', '9223372036854775807', '9223372036854775808']) {
      await c.do('SET', 'enc', v);
      await c.do('OBJECT', 'ENCODING', 'enc');
    }
    await c.do('SET', 'ttl', 'a', 'EX', '100');
    await c.do('APPEND', 'ttl', 'b');
    await c.doApprox(1, 'TTL', 'ttl');
    for (let i = 0; i < 200; i++) await c.both('APPEND', 'many', 'abc' + i);
    await c.do('GET', 'many');
    await c.error('ERR wrong number', 'APPEND', 'k');
    await c.error('ERR wrong number', 'STRLEN');
  });

  test('GETRANGE / SUBSTR', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'Hello World');
    await c.do('SET', 'n', '1234567');
    await c.do('SET', 'e', '');
    const ranges = [['0', '-1'], ['0', '3'], ['-3', '-1'], ['5', '3'], ['-1', '-5'], ['0', '100'], ['-100', '2'],
      ['100', '200'], ['-100', '-50'], ['3', '3'], ['0', '0'], ['-1', '-1'], ['-9223372036854775808', '9223372036854775807'],
      ['9223372036854775807', '9223372036854775807'], ['-9223372036854775807', '-9223372036854775808'], ['1', '-9223372036854775808']];
    for (const [s, e] of ranges) {
      for (const k of ['k', 'n', 'e', 'missing']) {
        await c.do('GETRANGE', k, s!, e!);
        await c.do('SUBSTR', k, s!, e!);
      }
    }
    await c.do('APPEND', 'k', '!');
    await c.do('GETRANGE', 'k', '2', '-2');
    await c.error('ERR value is not an integer', 'GETRANGE', 'k', 'a', '1');
    await c.error('ERR value is not an integer', 'GETRANGE', 'k', '1', '9223372036854775808');
    await c.error('ERR value is not an integer', 'GETRANGE', 'missing', 'a', '1');
    await c.error('ERR wrong number', 'GETRANGE', 'k', '1');
    await c.error('ERR wrong number', 'SUBSTR', 'k', '1', '2', '3');
  });

  test('SETRANGE', async () => {
    const c = await p.client();
    await c.do('SETRANGE', 'k', '0', 'hello');
    await c.do('OBJECT', 'ENCODING', 'k');
    await c.do('SETRANGE', 'k', '10', 'world');
    await c.do('GET', 'k');
    await c.do('SETRANGE', 'k', '2', Buffer.from(BIN, 'latin1'));
    await c.do('GET', 'k');
    await c.do('SETRANGE', 'k', '1', '');
    await c.do('SETRANGE', 'new', '5', '');
    await c.do('EXISTS', 'new');
    await c.do('SETRANGE', 'new', '5', 'x');
    await c.do('GET', 'new');
    await c.do('SET', 'i', '1234');
    await c.do('SETRANGE', 'i', '1', '9');
    await c.do('GET', 'i');
    await c.do('OBJECT', 'ENCODING', 'i');
    await c.do('SET', 'short', 'abc');
    await c.do('SETRANGE', 'short', '0', '');
    await c.do('OBJECT', 'ENCODING', 'short');
    await c.do('SET', 'ttl', 'abc', 'EX', '100');
    await c.do('SETRANGE', 'ttl', '1', 'x');
    await c.doApprox(1, 'TTL', 'ttl');
    await c.error('ERR offset is out of range', 'SETRANGE', 'k', '-1', 'x');
    await c.error('ERR value is not an integer', 'SETRANGE', 'k', 'a', 'x');
    await c.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)', 'SETRANGE', 'k', '536870911', 'xx');
    await c.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)', 'SETRANGE', 'nk', '536870912', 'x');
    await c.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)', 'SETRANGE', 'nk', '9223372036854775807', 'x');
    await c.do('SETRANGE', 'nk', '9223372036854775807', '');
    await c.do('EXISTS', 'nk');
    await c.error('ERR wrong number', 'SETRANGE', 'k', '1');
  });

  test('LCS', async () => {
    const c = await p.client();
    await c.do('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    await c.do('LCS', 'a', 'b');
    await c.do('LCS', 'a', 'b', 'LEN');
    await c.do('LCS', 'a', 'b', 'IDX');
    await c.do('LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN');
    await c.do('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN');
    await c.do('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '-4');
    await c.do('LCS', 'a', 'b', 'withmatchlen');
    await c.do('LCS', 'a', 'missing');
    await c.do('LCS', 'missing', 'missing2', 'IDX');
    await c.do('LCS', 'a', 'a', 'IDX', 'WITHMATCHLEN');
    await c.do('MSET', 'x', Buffer.from('rG\r\n\xff\x00abcXYZ\xffq', 'latin1'), 'y', Buffer.from('GabXZ\r\n\xffq\x00', 'latin1'));
    await c.do('LCS', 'x', 'y');
    await c.do('LCS', 'x', 'y', 'IDX', 'WITHMATCHLEN');
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let i = 0; i < 20; i++) {
      const s1 = Array.from({ length: rnd(60) }, () => 'ACGT'[rnd(4)]).join('');
      const s2 = Array.from({ length: rnd(60) }, () => 'ACGT'[rnd(4)]).join('');
      await c.both('MSET', 's1', s1, 's2', s2);
      await c.do('LCS', 's1', 's2');
      await c.do('LCS', 's1', 's2', 'IDX', 'MINMATCHLEN', String(rnd(4)), 'WITHMATCHLEN');
    }
    await c.error('ERR If you want both the length and indexes, please just use IDX.', 'LCS', 'a', 'b', 'LEN', 'IDX');
    await c.error('ERR syntax error', 'LCS', 'a', 'b', 'FOO');
    await c.error('ERR syntax error', 'LCS', 'a', 'b', 'MINMATCHLEN');
    await c.error('ERR value is not an integer', 'LCS', 'a', 'b', 'MINMATCHLEN', 'x');
    await c.error('ERR wrong number', 'LCS', 'a');
  });

  test('proto-max-bulk-len limits (APPEND, SETRANGE, SETBIT, BITFIELD, LCS)', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'proto-max-bulk-len', '1048576');
    try {
      await c.do('SET', 'k', 'x'.repeat(1048575));
      await c.do('APPEND', 'k', 'y');
      await c.error('ERR string exceeds maximum allowed size', 'APPEND', 'k', 'y');
      await c.error('ERR string exceeds maximum allowed size', 'SETRANGE', 'k', '1048576', 'y');
      await c.error('ERR string exceeds maximum allowed size', 'SETRANGE', 'new', '1048575', 'yy');
      await c.do('SETRANGE', 'new', '1048575', 'y');
      await c.do('STRLEN', 'new');
      await c.error('ERR bit offset is not an integer or out of range', 'SETBIT', 'b', '8388608', '1');
      await c.do('SETBIT', 'b', '8388607', '1');
      await c.error('ERR bit offset is not an integer or out of range', 'BITFIELD', 'b', 'SET', 'u8', '#1048576', '1');
      await c.do('BITFIELD', 'b', 'SET', 'u8', '#1048575', '1');
      await c.do('MSET', 'l1', 'a'.repeat(600), 'l2', 'a'.repeat(600));
      await c.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len', 'LCS', 'l1', 'l2');
      await c.do('MSET', 'l1', 'ab'.repeat(200), 'l2', 'ba'.repeat(200));
      await c.do('LCS', 'l1', 'l2', 'LEN');
    } finally {
      await c.both('CONFIG', 'SET', 'proto-max-bulk-len', '536870912');
    }
  });

  test('keyspace events of every string and bitmap write', async () => {
    const c = await p.client();
    // Redis: events read from a PSUBSCRIBE connection; Nodis: from the recorder's publish hook
    await c.theirs.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEg$nm');
    p.nodis.server.config.set('notify-keyspace-events', 'KEg$nm');
    const ours: string[] = [];
    p.nodis.server.recorder.publish = (ch, msg) => { ours.push(`${ch} ${msg}`); };
    const sub = await RawClient.connect(p.redis.port);
    await sub.call('PSUBSCRIBE', '*');
    const cmds: string[][] = [
      ['SET', 'k', 'v'], ['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v', 'NX'], ['SET', 'k2', 'v', 'GET', 'PX', '5000'],
      ['SETNX', 'n', '1'], ['SETEX', 'k', '10', 'v'], ['PSETEX', 'k', '10000', 'v'], ['GETSET', 'g', '1'],
      ['MSET', 'a', '1', 'b', '2'], ['MSETNX', 'a', '1', 'c', '3'], ['MSETNX', 'c', '1', 'd', '3'], ['APPEND', 'a', 'x'],
      ['APPEND', 'e', 'x'], ['INCR', 'i'], ['DECRBY', 'i', '5'], ['INCRBYFLOAT', 'i', '1.5'], ['SETRANGE', 'r', '2', 'ab'],
      ['SETRANGE', 'r', '2', ''], ['GETEX', 'k', 'EX', '100'], ['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'PERSIST'],
      ['GETEX', 'k', 'PXAT', '1'], ['SET', 'k', 'v'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['SETBIT', 'bits', '10', '1'],
      ['SETBIT', 'bits', '10', '1'], ['SETBIT', 'bits', '100', '0'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '1', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD', 'bf2', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9'], ['BITOP', 'OR', 'dst', 'bits'], ['BITOP', 'AND', 'dst', 'nokey'],
      ['GET', 'nokey'],
    ];
    for (const cmd of cmds) await c.both(...cmd);
    await c.theirs.call('PUBLISH', 'end', 'x');
    const theirs: string[] = [];
    for (;;) {
      const m = parseReply(await sub.read()) as string[];
      if (m[2] === 'end') break;
      theirs.push(`${m[2]} ${m[3]}`);
    }
    sub.close();
    if (process.env.DEBUG_EVENTS) console.log(JSON.stringify({ ours, theirs }));
    assert.deepEqual(ours, theirs);
  });
});
