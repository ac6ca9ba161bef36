/*
 * toDouble: the short-decimal fast path (digits / 10^k, one correctly rounded
 * division) must give exactly what a full parse gives (strtod, here V8's
 * Number()), sign of zero included, and the other forms keep Redis's rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDouble } from './args.js';

test('toDouble agrees bit for bit with a full parse on decimals', () => {
  let seed = 20261207;
  const rand = (k: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % k; };
  const digits = (k: number): string => Array.from({ length: k }, () => String(rand(10))).join('');
  for (let t = 0; t < 200_000; t++) {
    const int = digits(1 + rand(10));
    const frac = rand(5) === 0 ? '' : digits(rand(12));
    const s = ['', '-', '+'][rand(3)]! + int + (frac !== '' || rand(3) === 0 ? '.' + frac : '');
    assert.ok(Object.is(toDouble(s), Number(s)), s);
  }
  for (const s of ['13.361389', '38.115556', '-0', '-0.0', '+0', '0.1', '1.', '.5', '-.5', '123456789012345', '1234567890123456',
    '0.000000000000001', '9007199254740993', '3.14159265358979', '0.30000000000000004', '99999999999999.9']) {
    assert.ok(Object.is(toDouble(s), Number(s)), s);
  }
});

test('toDouble: exponents, inf, hex, and what strtod refuses', () => {
  assert.equal(toDouble('1e3'), 1000);
  assert.equal(toDouble('-inf'), -Infinity);
  assert.equal(toDouble('+INF'), Infinity);
  assert.equal(toDouble('0x10'), 16);
  assert.equal(toDouble('1e-400'), null); // underflow to zero (ERANGE)
  assert.equal(toDouble('1e400'), null);
  for (const bad of ['', '.', '-', '+', ' 1', '1 ', 'nan', '1.2.3', 'abc', '--1']) assert.equal(toDouble(bad), null, JSON.stringify(bad));
});
