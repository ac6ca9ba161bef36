/* Smoke test of the harness itself: a few commands compared byte for byte. */
import { describe, test } from 'node:test';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

describe('smoke', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('ping, echo, get/set, unknown command, arity', async () => {
    const c = await p.client();
    await c.do('PING');
    await c.do('PING', 'hello');
    await c.do('ECHO', 'a\r\nb');
    await c.do('SET', 'k', 'v');
    await c.do('GET', 'k');
    await c.do('GET', 'missing');
    await c.error('ERR unknown command', 'NOSUCHCMD', 'a', 'b');
    await c.error('ERR wrong number', 'GET');
  });
});
