/*
 * RespParser unit tests. Every case runs twice (STYLE §5.3): the whole input
 * in one feed, then byte by byte, and both runs must give the same commands
 * and the same error. Expected errors are Redis 7.0's texts (networking.c).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RespParser, splitArgs, PROTO_INLINE_MAX_SIZE, MAX_ARG_LEN, OVERSIZED_COMMAND } from './parser.js';
import { bigArg, bigArgsInFlight, releaseBigArg } from './big-args.js';
import { constants as bufferConstants } from 'node:buffer';

interface Outcome { cmds: string[][]; error: string | null; pending: number }

function run(input: Buffer, chunk: number, limits = { maxBulkLen: 512 * 1024 * 1024, authRequired: false }): Outcome {
  const p = new RespParser({ ...limits });
  const cmds: string[][] = [];
  for (let i = 0; i < input.length && p.error === null; i += chunk) {
    p.feed(input.subarray(i, Math.min(input.length, i + chunk)));
    for (let c = p.next(); c !== null; c = p.next()) cmds.push(c);
  }
  return { cmds, error: p.error, pending: p.pending };
}

/** Run whole and byte by byte; both must agree; returns the outcome. */
function both(input: string | Buffer, limits?: { maxBulkLen: number; authRequired: boolean }): Outcome {
  const buf = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const whole = run(buf, buf.length || 1, limits);
  const bytes = run(buf, 1, limits);
  assert.deepEqual(bytes.cmds, whole.cmds, 'byte-by-byte commands differ from whole-buffer commands');
  assert.equal(bytes.error, whole.error, 'byte-by-byte error differs');
  return whole;
}

const mb = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

describe('parser: multibulk', () => {
  test('one command', () => {
    assert.deepEqual(both(mb('SET', 'k', 'v')), { cmds: [['SET', 'k', 'v']], error: null, pending: 0 });
  });
  test('pipeline of many commands', () => {
    const input = Array.from({ length: 200 }, (_, i) => mb('INCR', `k${i}`)).join('');
    const r = both(input);
    assert.equal(r.cmds.length, 200);
    assert.deepEqual(r.cmds[199], ['INCR', 'k199']);
  });
  test('binary-safe payloads: CRLF, NUL and high bytes inside bulks', () => {
    const v = 'a\r\nb\x00c\xff\r\n';
    assert.deepEqual(both(mb('SET', 'k', v)).cmds, [['SET', 'k', v]]);
  });
  test('empty bulk and empty argv element', () => {
    assert.deepEqual(both(mb('ECHO', '')).cmds, [['ECHO', '']]);
  });
  test('*0 and negative counts are skipped, next command still parsed', () => {
    assert.deepEqual(both('*0\r\n*-1\r\n*-10\r\n' + mb('PING')).cmds, [['PING']]);
  });
  test('negative count beyond 2^53 but within 64 bits is skipped like Redis', () => {
    assert.deepEqual(both('*-9223372036854775808\r\n' + mb('PING')).cmds, [['PING']]);
    assert.equal(both('*-9223372036854775809\r\n').error, 'ERR Protocol error: invalid multibulk length');
  });
  test('large bulk arriving in pieces', () => {
    const big = 'x'.repeat(300_000);
    const r = run(Buffer.from(mb('SET', 'k', big) + mb('GET', 'k'), 'latin1'), 7919);
    assert.deepEqual(r.cmds, [['SET', 'k', big], ['GET', 'k']]);
    assert.equal(r.pending, 0);
  });
  test('incomplete command leaves bytes pending', () => {
    const r = both('*2\r\n$3\r\nGET\r\n$5\r\nab');
    assert.deepEqual(r.cmds, []);
    assert.equal(r.error, null);
    assert.equal(r.pending, 2);
  });
  test('header line ends at CR; the next byte is skipped unchecked (Redis quirk)', () => {
    assert.deepEqual(both('*1\rX$4\rXPING\r\n').cmds, [['PING']]);
  });
});

describe('parser: multibulk errors', () => {
  const cases: [string, string, string][] = [
    ['count above INT_MAX', '*3000000000\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['non-numeric count', '*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['count with plus sign', '*+1\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['count with leading zero', '*01\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['empty count', '*\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['wrong payload header', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n', "ERR Protocol error: expected '$', got 'f'"],
    ['not followed by bulk', '*1\r\nfoo\r\n', "ERR Protocol error: expected '$', got 'f'"],
    ['negative bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n', 'ERR Protocol error: invalid bulk length'],
    ['bulk above proto-max-bulk-len', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n', 'ERR Protocol error: invalid bulk length'],
    ['non-numeric bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n', 'ERR Protocol error: invalid bulk length'],
  ];
  for (const [name, input, err] of cases) {
    test(name, () => { assert.equal(both(input).error, err); });
  }
  test('commands before the error are returned', () => {
    const r = both(mb('PING') + mb('ECHO', 'a') + '*1\r\nfoo\r\n' + mb('PING'));
    assert.deepEqual(r.cmds, [['PING'], ['ECHO', 'a']]);
    assert.equal(r.error, "ERR Protocol error: expected '$', got 'f'");
  });
  test('too big mbulk count string (no CR within 64 KB)', () => {
    const r = both('*' + '1'.repeat(PROTO_INLINE_MAX_SIZE + 1));
    assert.equal(r.error, 'ERR Protocol error: too big mbulk count string');
    assert.equal(both('*' + '1'.repeat(PROTO_INLINE_MAX_SIZE - 1)).error, null);
  });
  test('too big bulk count string', () => {
    assert.equal(both('*1\r\n$' + '1'.repeat(PROTO_INLINE_MAX_SIZE + 1)).error, 'ERR Protocol error: too big bulk count string');
  });
  test('NUL hides the delimiter: waits, then too big (protocol desync regression)', () => {
    for (const seq of ['*\x00', '$\x00', '\x00']) {
      const short = both(seq + '\r\n' + 'A'.repeat(1000) + '\r\n');
      assert.deepEqual(short.cmds, []);
      assert.equal(short.error, null, JSON.stringify(seq));
      const long = both(seq + 'payload'.repeat(10000));
      assert.match(long.error ?? '', /^ERR Protocol error: too big (mbulk count string|inline request)$/);
    }
  });
  test('unauthenticated limits: more than 10 args, bulk above 16384', () => {
    const unauth = { maxBulkLen: 512 * 1024 * 1024, authRequired: true };
    assert.equal(both('*11\r\n', unauth).error, 'ERR Protocol error: unauthenticated multibulk length');
    assert.equal(both('*10\r\n', unauth).error, null);
    assert.equal(both('*1\r\n$16385\r\n', unauth).error, 'ERR Protocol error: unauthenticated bulk length');
    assert.deepEqual(both(mb('AUTH', 'x'.repeat(16384)), unauth).cmds, [['AUTH', 'x'.repeat(16384)]]);
  });
  test('proto-max-bulk-len is read at parse time', () => {
    const lim = { maxBulkLen: 1024 * 1024, authRequired: false };
    assert.equal(both('*1\r\n$1048577\r\n', lim).error, 'ERR Protocol error: invalid bulk length');
    assert.equal(both('*1\r\n$1048576\r\n', lim).error, null);
  });
  test('after an error next() returns null even with more input', () => {
    const p = new RespParser({ maxBulkLen: 1e9, authRequired: false });
    p.feed(Buffer.from('*x\r\n' + mb('PING')));
    assert.equal(p.next(), null);
    assert.equal(p.next(), null);
    assert.equal(p.error, 'ERR Protocol error: invalid multibulk length');
  });
});

describe('parser: inline', () => {
  test('CRLF and LF line endings, empty lines skipped', () => {
    assert.deepEqual(both('PING\r\n\r\n\nECHO a\nSET k v\r\n').cmds, [['PING'], ['ECHO', 'a'], ['SET', 'k', 'v']]);
  });
  test('whitespace between arguments', () => {
    assert.deepEqual(both('  SET \t k   v  \r\n').cmds, [['SET', 'k', 'v']]);
  });
  test('quotes and escapes', () => {
    assert.deepEqual(both('SET "a b" "\\x41\\n\\t\\"" \'it\\\'s\'\r\n').cmds, [['SET', 'a b', 'A\n\t"', "it's"]]);
  });
  test('inline and multibulk mixed in one buffer', () => {
    assert.deepEqual(both('PING\r\n' + mb('ECHO', 'x') + 'ECHO y\r\n').cmds, [['PING'], ['ECHO', 'x'], ['ECHO', 'y']]);
  });
  test('unbalanced quotes: error, previous commands kept', () => {
    const r = both('PING\r\nset """test-key""" test-value\r\nping\r\n');
    assert.deepEqual(r.cmds, [['PING']]);
    assert.equal(r.error, 'ERR Protocol error: unbalanced quotes in request');
    assert.equal(both('SET "abc\r\n').error, 'ERR Protocol error: unbalanced quotes in request');
    assert.equal(both("SET 'a'b\r\n").error, 'ERR Protocol error: unbalanced quotes in request');
  });
  test('too big inline request', () => {
    assert.equal(both('x'.repeat(PROTO_INLINE_MAX_SIZE + 1)).error, 'ERR Protocol error: too big inline request');
    const r = both('ECHO ' + 'x'.repeat(PROTO_INLINE_MAX_SIZE - 10) + '\r\n');
    assert.equal(r.error, null);
    assert.equal(r.cmds[0]![1]!.length, PROTO_INLINE_MAX_SIZE - 10);
  });
});

describe('splitArgs', () => {
  test('sdssplitargs cases', () => {
    assert.deepEqual(splitArgs(''), []);
    assert.deepEqual(splitArgs('   '), []);
    assert.deepEqual(splitArgs('a "b c" d'), ['a', 'b c', 'd']);
    assert.deepEqual(splitArgs('"\\x4g"'), ['x4g']);
    assert.deepEqual(splitArgs('"\\xff\\a\\b\\r"'), ['\xff\x07\b\r']);
    assert.deepEqual(splitArgs('""'), ['']);
    assert.equal(splitArgs('"a"b'), null);
    assert.equal(splitArgs("'a"), null);
  });
});

describe('argument strings', () => {
  test('every length from 0 to 40 bytes, with all byte values, comes out as the same latin1 string', () => {
    let seed = 7;
    const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 24; };
    const args: Buffer[] = [];
    for (let len = 0; len <= 40; len++) for (let k = 0; k < 3; k++) args.push(Buffer.from(Array.from({ length: len }, () => (k === 2 ? 255 - rnd() % 3 : rnd()))));
    const input = Buffer.concat(args.flatMap((a) => [Buffer.from(`*1\r\n$${a.length}\r\n`, 'latin1'), a, Buffer.from('\r\n', 'latin1')]));
    const out = both(input);
    assert.equal(out.error, null);
    assert.deepEqual(out.cmds.map((c) => c[0]), args.map((a) => a.toString('latin1')));
  });
});

describe('parser: arguments longer than a string can hold', () => {
  // proto-max-bulk-len allows 512 MB (and more when raised); V8 strings stop at MAX_ARG_LEN (536,870,888)
  for (const chunkSize of [1 << 20, 7_777_777]) {
    test(`gathered into a Buffer of their own as they arrive, a token in argv, the next command parsed (chunks of ${chunkSize})`, () => {
      const p = new RespParser({ maxBulkLen: 1024 * 1024 * 1024, authRequired: false });
      const n = MAX_ARG_LEN + 1;
      const chunk = Buffer.alloc(chunkSize, 120);
      // the header and the first bytes of the value come in one read
      p.feed(Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${n}\r\n`), Buffer.alloc(1000, 121)]));
      let left = n - 1000;
      assert.equal(p.next(), null);
      while (left > 0) {
        const k = Math.min(left, chunk.length);
        p.feed(chunk.subarray(0, k));
        left -= k;
        assert.ok(p.pending < 2 * chunkSize, `pending ${p.pending}: the big argument is not kept in the query buffer`);
        if (left > 0) assert.equal(p.next(), null);
      }
      p.feed(Buffer.from('\r\n*1\r\n$4\r\nPING\r\n'));
      const argv = p.next()!;
      assert.deepEqual(argv.slice(0, 2), ['SET', 'big']);
      const big = bigArg(argv[2]!)!;
      assert.equal(big.length, n);
      assert.equal(big[999], 121);
      assert.equal(big[1000], 120);
      assert.equal(big[n - 1], 120);
      releaseBigArg(argv[2]!);
      assert.equal(bigArgsInFlight(), false);
      assert.deepEqual(p.next(), ['PING']);
      assert.equal(p.next(), null);
      assert.equal(p.error, null);
    });
  }

  test('a big argument whose last byte ends a read: the command is complete without more input', () => {
    const p = new RespParser({ maxBulkLen: 1024 * 1024 * 1024, authRequired: false });
    const n = MAX_ARG_LEN + 5;
    p.feed(Buffer.from(`*2\r\n$4\r\nECHO\r\n$${n}\r\n`));
    const chunk = Buffer.alloc(1 << 24, 0);
    for (let left = n; left > 0; left -= chunk.length) p.feed(chunk.subarray(0, Math.min(left, chunk.length)));
    assert.equal(p.next(), null);
    p.feed(Buffer.from('\r\n'));
    const argv = p.next()!;
    assert.equal(bigArg(argv[1]!)!.length, n);
    releaseBigArg(argv[1]!);
  });

  test('past what even a Buffer can hold: skipped as it arrives, OVERSIZED_COMMAND, the next parsed; no token left behind', () => {
    const p = new RespParser({ maxBulkLen: 2 ** 34, authRequired: false });
    const huge = bufferConstants.MAX_LENGTH + 1;
    const small = MAX_ARG_LEN + 24;
    // a big argument first (gathered), then one too long for a Buffer (skipped): the whole command fails
    p.feed(Buffer.from(`*4\r\n$4\r\nMSET\r\n$1\r\na\r\n$${small}\r\n`));
    const chunk = Buffer.alloc(1 << 24, 0);
    for (let left = small; left > 0; left -= chunk.length) p.feed(chunk.subarray(0, Math.min(left, chunk.length)));
    p.feed(Buffer.from(`\r\n$${huge}\r\n`));
    assert.equal(p.next(), null);
    for (let left = huge; left > 0; left -= chunk.length) p.feed(chunk.subarray(0, Math.min(left, chunk.length)));
    p.feed(Buffer.from('\r\nPING\r\n'));
    assert.equal(p.next(), OVERSIZED_COMMAND);
    assert.equal(bigArgsInFlight(), false);
    assert.deepEqual(p.next(), ['PING']);
  });
});
