/* MEMORY: errors and replies byte for byte; USAGE estimates compared loosely (same shape, same order of magnitude). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply } from '../helpers/resp-client.js';

describe('MEMORY', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('USAGE: missing key, syntax errors, estimates near Redis for each encoding', async () => {
    const c = await p.client();
    await c.do('MEMORY', 'USAGE', 'nokey');
    await c.error('ERR wrong number', 'MEMORY', 'USAGE');
    await c.do('SET', 's1', 'short');
    await c.do('SET', 's2', 'x'.repeat(33000));
    await c.do('SET', 'n', '12345');
    await c.do('RPUSH', 'l', 'a', 'b', 'c');
    await c.do('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
    await c.do('SADD', 'si', '1', '2', '3');
    await c.do('ZADD', 'z', '1', 'a', '2', 'b');
    await c.error('ERR syntax error', 'MEMORY', 'USAGE', 's1', 'SAMPLES');
    await c.error('ERR syntax error', 'MEMORY', 'USAGE', 's1', 'SAMPLES', '-1');
    await c.error('ERR value is not an integer', 'MEMORY', 'USAGE', 's1', 'SAMPLES', 'x');
    await c.error('ERR syntax error', 'MEMORY', 'USAGE', 's1', 'FOO', '1');
    for (const k of ['s1', 's2', 'n', 'l', 'h', 'si', 'z']) {
      const [a, b] = await c.both('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      const x = parseReply(a) as number;
      const y = parseReply(b) as number;
      assert.ok(typeof x === 'number' && x > 0, `${k}: ${a}`);
      assert.ok(x / y < 3 && y / x < 3, `${k}: nodis ${x} vs redis ${y}`);
    }
  });
  test('HELP, DOCTOR, STATS shapes, PURGE', async () => {
    const c = await p.client();
    await c.do('MEMORY', 'HELP');
    await c.do('MEMORY', 'PURGE');
    await c.doLoosely('MEMORY', 'STATS');
    await c.error('ERR unknown subcommand', 'MEMORY', 'FOO');
    const [a] = await c.both('MEMORY', 'DOCTOR');
    assert.match(a, /Sam/);
  });
});
