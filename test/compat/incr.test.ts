/*
 * Differential tests of INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT against a
 * real redis-server: the whole int64 range, overflow errors, parsing rules,
 * long double arithmetic and formatting (random values compared byte for byte),
 * TTLs kept, encodings. WRONGTYPE cases are skipped until a non-string type exists.
 */
import { describe, test } from 'node:test';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

describe('incr', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('INCR / DECR basics and arity', async () => {
    const c = await p.client();
    await c.do('INCR', 'n');
    await c.do('INCR', 'n');
    await c.do('DECR', 'n');
    await c.do('DECR', 'm');
    await c.do('GET', 'm');
    await c.do('OBJECT', 'ENCODING', 'n');
    await c.error('ERR wrong number', 'INCR');
    await c.error('ERR wrong number', 'INCR', 'a', 'b');
    await c.error('ERR wrong number', 'DECR');
    await c.error('ERR wrong number', 'INCRBY', 'a');
    await c.error('ERR wrong number', 'DECRBY', 'a', '1', '2');
    await c.error('ERR wrong number', 'INCRBYFLOAT', 'a');
  });

  test('INCRBY / DECRBY across the int64 range', async () => {
    const c = await p.client();
    for (const v of ['0', '-1', '9007199254740991', '9007199254740992', '-9007199254740993', '9223372036854775806',
      '-9223372036854775807', '4611686018427387904', '123456789012345678']) {
      await c.do('SET', 'x', v);
      await c.do('INCR', 'x');
      await c.do('DECRBY', 'x', '2');
      await c.do('INCRBY', 'x', '1');
      await c.do('GET', 'x');
    }
    await c.do('SET', 'x', '9223372036854775806');
    await c.do('INCR', 'x');
    await c.error('ERR increment or decrement would overflow', 'INCR', 'x');
    await c.error('ERR increment or decrement would overflow', 'INCRBY', 'x', '1');
    await c.do('SET', 'x', '-9223372036854775807');
    await c.do('DECR', 'x');
    await c.error('ERR increment or decrement would overflow', 'DECR', 'x');
    await c.error('ERR increment or decrement would overflow', 'DECRBY', 'x', '9223372036854775807');
    await c.do('INCRBY', 'x', '9223372036854775807');
    await c.do('INCRBY', 'x', '9223372036854775807');
    await c.error('ERR decrement would overflow', 'DECRBY', 'x', '-9223372036854775808');
    await c.do('SET', 'y', '0');
    await c.do('INCRBY', 'y', '-9223372036854775808');
    await c.do('DECRBY', 'y', '-9223372036854775807');
    await c.do('INCRBY', 'y', '9007199254740993');
    await c.do('GET', 'y');
  });

  test('integer parsing errors', async () => {
    const c = await p.client();
    for (const v of ['', ' 1', '1 ', '+1', '01', '-0', '1.0', '9223372036854775808', '-9223372036854775809', 'abc', '1e3', '0x10', '12345678901234567890123']) {
      await c.do('SET', 'x', v);
      await c.error('ERR value is not an integer', 'INCR', 'x');
      await c.error('ERR value is not an integer', 'DECRBY', 'x', '1');
      await c.do('SET', 'y', '1');
      await c.error('ERR value is not an integer', 'INCRBY', 'y', v);
      await c.error('ERR value is not an integer', 'DECRBY', 'y', v);
    }
    await c.error('ERR value is not an integer', 'INCRBY', 'missing', 'x');
    await c.do('EXISTS', 'missing');
  });

  test('INCR keeps the TTL, works on raw strings and makes int encoding', async () => {
    const c = await p.client();
    await c.do('SET', 'x', '10', 'EX', '100');
    await c.do('INCR', 'x');
    await c.doApprox(1, 'TTL', 'x');
    await c.do('SET', 'r', '1');
    await c.do('APPEND', 'r', '23');
    await c.do('OBJECT', 'ENCODING', 'r');
    await c.do('INCRBY', 'r', '100');
    await c.do('OBJECT', 'ENCODING', 'r');
    await c.do('SET', 'big', '1'.repeat(20));
    await c.error('ERR value is not an integer', 'INCR', 'big');
  });

  test('INCRBYFLOAT: long double results byte for byte', async () => {
    const c = await p.client();
    const cases: [string, string][] = [
      ['0.1', '0.2'], ['10.5', '0.1'], ['1', '1.5'], ['5.0e3', '2.0e2'], ['1.1', '-1.1'], ['0', '0'], ['-0', '-0'],
      ['3', '-3.0000000000000001'], ['1e-20', '1'], ['1e20', '1'], ['0x10', '0x1p-2'], ['1.', '.5'], ['+1', '+0.25'],
      ['17179869184', '1.5'], ['9223372036854775807', '1'], ['1e300', '1e300'], ['1e4000', '1'], ['1e-4940', '0'],
      ['3.0e-4950', '0'], ['123456789.123456789', '987654321.987654321'], ['-5', '2.5e-1'], ['0.3333333333333333', '0.1'],
    ];
    for (const [a, b] of cases) {
      await c.do('SET', 'f', a);
      await c.do('INCRBYFLOAT', 'f', b);
      await c.do('GET', 'f');
    }
    // (an integral INCRBYFLOAT result is "embstr" in Redis but "int" here: stringEncoding cannot tell)
    await c.do('OBJECT', 'ENCODING', 'f');
    await c.do('DEL', 'f');
    await c.do('INCRBYFLOAT', 'f', '10.5');
    await c.do('INCRBYFLOAT', 'f', '-0.25');
  });

  test('INCRBYFLOAT: random values', async () => {
    const c = await p.client();
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const digits = (n: number): string => Array.from({ length: n }, () => String(rnd(10))).join('');
    const num = (): string => {
      const sign = rnd(2) ? '-' : '';
      switch (rnd(6)) {
        case 0: return sign + digits(1 + rnd(19));
        case 1: return sign + digits(1 + rnd(6)) + '.' + digits(1 + rnd(20));
        case 2: return sign + digits(1 + rnd(3)) + 'e' + (rnd(2) ? '-' : '') + rnd(40);
        case 3: return sign + '0.' + digits(rnd(25)) + digits(1);
        case 4: return sign + digits(1 + rnd(3)) + '.' + digits(1 + rnd(3)) + 'e' + (rnd(2) ? '-' : '') + rnd(4900);
        default: return sign + rnd(1000) + '.' + rnd(1000);
      }
    };
    for (let i = 0; i < 300; i++) {
      await c.both('SET', 'f', num());
      await c.do('INCRBYFLOAT', 'f', num());
      await c.do('INCRBYFLOAT', 'f', num());
    }
  });

  test('INCRBYFLOAT errors', async () => {
    const c = await p.client();
    for (const v of ['', ' 1', '1 ', 'abc', 'nan', '1e5000', '-1e5000', '1e-5000', '0x', '1e', '--1', '1.5.5', 'infin']) {
      await c.do('SET', 'f', v);
      await c.error('ERR value is not a valid float', 'INCRBYFLOAT', 'f', '1');
      await c.do('SET', 'g', '1');
      await c.error('ERR value is not a valid float', 'INCRBYFLOAT', 'g', v);
    }
    await c.do('SET', 'f', '1');
    await c.error('ERR increment would produce NaN or Infinity', 'INCRBYFLOAT', 'f', 'inf');
    await c.error('ERR increment would produce NaN or Infinity', 'INCRBYFLOAT', 'f', '-Infinity');
    await c.do('SET', 'f', '1.1e4932');
    await c.error('ERR increment would produce NaN or Infinity', 'INCRBYFLOAT', 'f', '1.1e4932');
    await c.do('GET', 'f');
    await c.do('SET', 'f', 'inf');
    await c.error('ERR increment would produce NaN or Infinity', 'INCRBYFLOAT', 'f', '-inf');
  });

  test('INCRBYFLOAT keeps the TTL', async () => {
    const c = await p.client();
    await c.do('SET', 'f', '1.5', 'EX', '100');
    await c.do('INCRBYFLOAT', 'f', '1');
    await c.doApprox(1, 'TTL', 'f');
  });
});
