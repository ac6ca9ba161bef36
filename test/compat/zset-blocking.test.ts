/*
 * Differential tests of BZPOPMIN, BZPOPMAX and BZMPOP with several
 * connections: blocking and being served by ZADD (several waiters by one
 * ZADD, FIFO order), multiple keys, timeouts, wrong types while blocked,
 * MULTI (when Nodis has it), disconnecting while blocked, RESP3 shapes and
 * argument errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

type Arg = string | number;
const send = (c: PairClient, ...args: Arg[]): void => { c.ours.send(...args); c.theirs.send(...args); };
async function read(c: PairClient, what: string, timeoutMs = 3000): Promise<string> {
  const [a, b] = await Promise.all([c.ours.read(timeoutMs), c.theirs.read(timeoutMs)]);
  assert.equal(JSON.stringify(a), JSON.stringify(b), what);
  return a;
}
/** True when neither side has replied within ms (the client is still blocked). */
async function stillBlocked(c: PairClient, ms = 100): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  assert.equal(c.ours.unread, '', 'ours still blocked');
  assert.equal(c.theirs.unread, '', 'theirs still blocked');
}
const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('zset blocking pops', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('served immediately when not empty; argument errors; WRONGTYPE', async () => {
    const c = await p.client();
    await c.do('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c');
    await c.do('BZPOPMIN', 'nokey', 'z', 0);
    await c.do('BZPOPMAX', 'z', 0);
    await c.do('BZMPOP', 0, 2, 'nokey', 'z', 'MIN', 'COUNT', 5);
    await c.do('EXISTS', 'z');
    await c.error('ERR timeout is not a float or out of range', 'BZPOPMIN', 'z', 'x');
    await c.error('ERR timeout is not a float or out of range', 'BZPOPMIN', 'z', ' 1');
    await c.error('ERR timeout is negative', 'BZPOPMIN', 'z', -1);
    await c.error('ERR timeout is negative', 'BZMPOP', '-0.5', 1, 'z', 'MIN');
    await c.error('ERR numkeys should be greater than 0', 'BZMPOP', 0, 0, 'z', 'MIN');
    await c.error('ERR syntax error', 'BZMPOP', 0, 1, 'z', 'LEFT');
    await c.error('ERR count should be greater than 0', 'BZMPOP', 0, 1, 'z', 'MIN', 'COUNT', -1);
    await c.error('ERR wrong number', 'BZPOPMIN', 'z');
    await c.error('ERR wrong number', 'BZMPOP', 0, 1, 'z');
    await c.do('SET', 's', 'x');
    await c.error('WRONGTYPE', 'BZPOPMIN', 's', 0);
    await c.error('WRONGTYPE', 'BZMPOP', 0, 2, 'nokey', 's', 'MAX');
    await c.both('HELLO', '3');
    await c.do('ZADD', 'z', 1.5, 'a', 2, 'b');
    await c.do('BZPOPMIN', 'z', 0);
    await c.do('BZMPOP', 0, 1, 'z', 'MAX', 'COUNT', 3);
  });

  test('blocked clients are served by ZADD in FIFO order, several by one ZADD', async () => {
    const c = await p.client();
    const w1 = await p.client({ flush: false });
    const w2 = await p.client({ flush: false });
    const w3 = await p.client({ flush: false });
    send(w1, 'BZPOPMIN', 'z', 0);
    await settle();
    send(w2, 'BZPOPMAX', 'other', 'z', 0);
    await settle();
    send(w3, 'BZMPOP', 0, 1, 'z', 'MIN', 'COUNT', 2);
    await settle();
    await stillBlocked(w1);
    await c.do('ZADD', 'z', 1, 'a');
    await read(w1, 'first waiter served');
    await stillBlocked(w2);
    await c.do('ZADD', 'z', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
    await read(w2, 'second waiter');
    await read(w3, 'third waiter');
    await c.do('ZRANGE', 'z', 0, -1, 'WITHSCORES');
    // served from the second key
    send(w1, 'BZPOPMIN', 'k1', 'k2', 0);
    await settle();
    await c.do('ZADD', 'k2', 7, 'x');
    await read(w1, 'served from k2');
    await c.do('EXISTS', 'k2');
  });

  test('timeouts reply a null array; fractional timeouts', async () => {
    const c = await p.client();
    const t0 = Date.now();
    await c.do('BZPOPMIN', 'nokey', 0.1);
    await c.do('BZMPOP', '0.05', 1, 'nokey', 'MAX');
    assert.ok(Date.now() - t0 >= 140, 'waited');
    await c.both('HELLO', '3');
    await c.do('BZPOPMAX', 'nokey', '0.05');
  });

  test('a key of another type does not serve or error a blocked client', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    send(w, 'BZPOPMIN', 'k', 0);
    await settle();
    await c.do('SET', 'k', 'str');
    await stillBlocked(w);
    await c.do('DEL', 'k');
    await c.do('ZADD', 'k', 3, 'x');
    await read(w, 'served after the type changed back');
  });

  test('inside MULTI: no blocking; a ZADD in MULTI serves after EXEC', async (t) => {
    const c = await p.client();
    const [ours] = await c.both('MULTI');
    if (ours.startsWith('-')) { t.skip('MULTI not available in Nodis yet'); return; }
    await c.do('BZPOPMIN', 'z', 0);
    await c.do('BZMPOP', 0, 1, 'z', 'MIN');
    await c.do('EXEC');
    const w = await p.client({ flush: false });
    send(w, 'BZPOPMIN', 'z', 0);
    await settle();
    await c.do('MULTI');
    await c.do('ZADD', 'z', 1, 'a');
    await c.do('ZADD', 'z', 2, 'b');
    await c.do('EXEC');
    await read(w, 'served after EXEC');
    await c.do('ZRANGE', 'z', 0, -1);
  });

  test('a client that disconnects while blocked leaves nothing behind', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    send(w, 'BZPOPMIN', 'z', 0);
    await settle();
    w.close();
    await settle();
    await c.do('ZADD', 'z', 1, 'a');
    await c.do('ZRANGE', 'z', 0, -1);
    const [a, b] = await c.both('INFO', 'clients');
    const blocked = (s: string): string | undefined => /blocked_clients:(\d+)/.exec(s)?.[1];
    assert.equal(blocked(a), blocked(b));
    assert.equal(blocked(a), '0');
  });
});
