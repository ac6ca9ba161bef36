/*
 * Reply encoder unit tests: every ReplyBuffer method in RESP2 and RESP3, and
 * formatDouble/formatG against C's printf("%.17g") / "%.<n>g" output (the
 * expected strings were produced by printf, including round-half-even ties).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReplyBuffer, formatDouble, formatG } from './reply.js';

function enc(resp: 2 | 3, f: (r: ReplyBuffer) => void): string {
  const r = new ReplyBuffer();
  r.resp = resp;
  f(r);
  return r.out;
}

describe('reply encoding', () => {
  const cases: [string, (r: ReplyBuffer) => void, string, string][] = [
    ['ok', (r) => r.ok(), '+OK\r\n', '+OK\r\n'],
    ['simple', (r) => r.simple('PONG'), '+PONG\r\n', '+PONG\r\n'],
    ['error', (r) => r.error('ERR x'), '-ERR x\r\n', '-ERR x\r\n'],
    ['int', (r) => r.int(-42), ':-42\r\n', ':-42\r\n'],
    ['bigint int', (r) => r.int(9223372036854775807n), ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
    ['bulk', (r) => r.bulk('a\r\nb'), '$4\r\na\r\nb\r\n', '$4\r\na\r\nb\r\n'],
    ['empty bulk', (r) => r.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['binary bulk counts bytes', (r) => r.bulk('\xff\x00'), '$2\r\n\xff\x00\r\n', '$2\r\n\xff\x00\r\n'],
    ['bulkOrNull null', (r) => r.bulkOrNull(null), '$-1\r\n', '_\r\n'],
    ['bulkOrNull value', (r) => r.bulkOrNull('v'), '$1\r\nv\r\n', '$1\r\nv\r\n'],
    ['null', (r) => r.null(), '$-1\r\n', '_\r\n'],
    ['nullArray', (r) => r.nullArray(), '*-1\r\n', '_\r\n'],
    ['array', (r) => { r.array(2); r.int(1); r.int(2); }, '*2\r\n:1\r\n:2\r\n', '*2\r\n:1\r\n:2\r\n'],
    ['empty array', (r) => r.array(0), '*0\r\n', '*0\r\n'],
    ['map', (r) => { r.map(1); r.bulk('k'); r.int(1); }, '*2\r\n$1\r\nk\r\n:1\r\n', '%1\r\n$1\r\nk\r\n:1\r\n'],
    ['set', (r) => { r.set(1); r.bulk('m'); }, '*1\r\n$1\r\nm\r\n', '~1\r\n$1\r\nm\r\n'],
    ['push', (r) => { r.push(1); r.bulk('m'); }, '*1\r\n$1\r\nm\r\n', '>1\r\n$1\r\nm\r\n'],
    ['double', (r) => r.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['double inf', (r) => r.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['double %.17g', (r) => r.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['bool true', (r) => r.bool(true), ':1\r\n', '#t\r\n'],
    ['bool false', (r) => r.bool(false), ':0\r\n', '#f\r\n'],
    ['bigNumber', (r) => r.bigNumber('1234567999999999999999999999999999999'),
      '$37\r\n1234567999999999999999999999999999999\r\n', '(1234567999999999999999999999999999999\r\n'],
    ['verbatim', (r) => r.verbatim('a\nb'), '$3\r\na\nb\r\n', '=7\r\ntxt:a\nb\r\n'],
    ['verbatim mkd', (r) => r.verbatim('x', 'mkd'), '$1\r\nx\r\n', '=5\r\nmkd:x\r\n'],
    ['bulks', (r) => r.bulks(['a', '']), '*2\r\n$1\r\na\r\n$0\r\n\r\n', '*2\r\n$1\r\na\r\n$0\r\n\r\n'],
    ['raw', (r) => r.raw('+X\r\n'), '+X\r\n', '+X\r\n'],
  ];
  for (const [name, f, r2, r3] of cases) {
    test(name, () => {
      assert.equal(enc(2, f), r2, 'RESP2');
      assert.equal(enc(3, f), r3, 'RESP3');
    });
  }
  test('integers and lengths of every digit count, as String(n)', () => {
    const ns: number[] = [0x7fffffff, 0x7ffffffe, 2147483600];
    for (let i = 0; i < 1000; i++) ns.push(i);
    for (let p = 10; p <= 1e9; p *= 10) ns.push(p - 1, p, p + 1, p * 5 + 7);
    for (let i = 0, x = 12345; i < 2000; i++) { x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff; ns.push(x, x % 1000003); }
    for (const n of ns) {
      assert.equal(enc(2, (r) => r.int(n)), `:${n}\r\n`);
      assert.equal(enc(2, (r) => r.array(n)), `*${n}\r\n`);
    }
  });

  test('help: header, lines, footer as addReplyHelp', () => {
    const out = enc(2, (r) => r.help('client', ['ID', '    Return the ID.']));
    assert.equal(out, '*5\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ID\r\n+    Return the ID.\r\n+HELP\r\n+    Prints this help.\r\n');
  });
});

describe('formatDouble = printf %.17g', () => {
  // [input, printf("%.17g")] produced by C printf
  const cases: [number, string][] = [
    [0.1, '0.10000000000000001'], [1.5, '1.5'], [-2.25, '-2.25'], [1e21, '1e+21'],
    [1e-5, '1.0000000000000001e-05'], [1e-4, '0.0001'], [123456789012345678, '1.2345678901234568e+17'],
    [3.14159, '3.1415899999999999'], [1e300, '1.0000000000000001e+300'], [-1e-300, '-1e-300'],
    [5e-324, '4.9406564584124654e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'], [100, '100'],
    [0.30000000000000004, '0.30000000000000004'], [1e16, '10000000000000000'], [1e17, '1e+17'],
    [12345.678, '12345.678'], [2.5e-7, '2.4999999999999999e-07'], [-0.0001, '-0.0001'],
    [0, '0'], [-0, '-0'], [1 / 3, '0.33333333333333331'], [2 / 3, '0.66666666666666663'],
    [1e-7, '9.9999999999999995e-08'], [123.456, '123.456'], [2 ** 60 + 2 ** 8, '1.1529215046068472e+18'],
    // exact ties: C rounds half to even, JS's toExponential rounds half up
    [2 ** -25, '2.9802322387695312e-08'], [3 * 2 ** -25, '8.9406967163085938e-08'], [2 ** -40, '9.0949470177292824e-13'],
    [Infinity, 'inf'], [-Infinity, '-inf'], [NaN, 'nan'],
  ];
  for (const [d, want] of cases) {
    test(`${d}`, () => { assert.equal(formatDouble(d), want); });
  }
  test('%.6g and %.3g, including ties', () => {
    const g: [number, number, string][] = [
      [1.5, 6, '1.5'], [1e21, 6, '1e+21'], [0.0001, 6, '0.0001'], [123456.5, 6, '123456'], [1e-5, 6, '1e-05'],
      [100, 6, '100'], [1e15, 6, '1e+15'], [3.25e-10, 6, '3.25e-10'], [1234567.5, 6, '1.23457e+06'],
      [123456.5, 3, '1.23e+05'], [123.456, 3, '123'], [1.5 * 2 ** -30, 3, '1.4e-09'], [2.5, 1, '2'], [3.5, 1, '4'],
    ];
    for (const [d, p, want] of g) assert.equal(formatG(d, p), want, `%.${p}g of ${d}`);
  });
});
