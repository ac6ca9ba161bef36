/*
 * Differential tests of transactions (MULTI, EXEC, DISCARD, WATCH, UNWATCH)
 * against redis-server 7.0.15, byte for byte, with a second connection
 * (opened on both servers) to touch watched keys. Propagation (MULTI ... EXEC
 * around several writes) and CLIENT PAUSE WRITE are checked in-process.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { RawClient } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { startServer } from '../../src/index.js';
import { tmpDir } from '../helpers/persist.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** MULTI, the commands (each must answer +QUEUED on both), then EXEC compared byte for byte. */
async function transaction(c: PairClient, ...cmds: (string | number)[][]): Promise<string> {
  await c.do('MULTI');
  for (const cmd of cmds) assert.equal(await c.do(...cmd), '+QUEUED\r\n');
  return c.do('EXEC');
}

describe('transactions: MULTI / EXEC / DISCARD', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('basics: queued replies, one array of replies, run-time errors do not stop the others', async () => {
    const c = await p.client();
    await transaction(c, ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['HSET', 'h', 'f', 'v']);
    const r = await transaction(c, ['SET', 's', 'x'], ['INCR', 's'], ['HGET', 's', 'f'], ['SET', 't', '2'], ['GET', 't']);
    assert.match(r, /^\*5\r\n\+OK\r\n-ERR value is not an integer/);
    await c.do('GET', 't');
    await transaction(c); // empty transaction: *0
    await c.do('MULTI');
    await c.do('DISCARD');
    await c.do('GET', 'a');
  });

  test('control errors', async () => {
    const c = await p.client();
    await c.error('ERR EXEC without MULTI', 'EXEC');
    await c.error('ERR DISCARD without MULTI', 'DISCARD');
    await c.error('EXECABORT', 'EXEC', 'extra'); // a rejected EXEC says why, even outside MULTI
    await c.do('MULTI');
    await c.error('ERR MULTI calls can not be nested', 'MULTI');
    await c.error('ERR WATCH inside MULTI is not allowed', 'WATCH', 'x');
    await c.do('SET', 'x', '1');
    await c.do('EXEC'); // neither error dooms the transaction
    await c.error('ERR wrong number of arguments', 'WATCH');
    await c.do('UNWATCH');
    await c.do('MULTI');
    await c.do('UNWATCH'); // queued
    await c.do('EXEC');
  });

  test('queue-time errors make EXEC answer EXECABORT and clear the state', async () => {
    const c = await p.client();
    await c.do('MULTI');
    await c.do('SET', 'k', '1');
    await c.error('ERR unknown command', 'NOSUCHCMD', 'a', 'b');
    await c.do('SET', 'k', '2');
    await c.error('EXECABORT Transaction discarded because of previous errors.', 'EXEC');
    await c.do('EXISTS', 'k');
    await c.do('MULTI');
    await c.error('ERR wrong number of arguments', 'GET');
    await c.error('EXECABORT', 'EXEC');
    await c.error('ERR EXEC without MULTI', 'EXEC');
    await c.do('MULTI');
    await c.error('ERR unknown subcommand', 'CONFIG', 'nosuch');
    await c.error('EXECABORT', 'EXEC');
    // a rejected EXEC inside MULTI aborts with its reason
    await c.do('MULTI');
    await c.do('SET', 'k', '3');
    await c.error('EXECABORT Transaction discarded because of: wrong number of arguments', 'EXEC', 'x');
    await c.error('ERR EXEC without MULTI', 'EXEC');
    await c.do('EXISTS', 'k');
    // no-multi commands are rejected at queue time
    await c.do('MULTI');
    await c.error('ERR Command not allowed inside a transaction', 'SHUTDOWN', 'NOSAVE');
    await c.error('EXECABORT', 'EXEC');
  });

  test('pipelined transaction, byte for byte', async () => {
    const c = await p.client();
    let raw = '*1\r\n$5\r\nMULTI\r\n';
    for (let i = 0; i < 10; i++) raw += `*3\r\n$3\r\nSET\r\n$2\r\nk${i}\r\n$1\r\n${i}\r\n`;
    raw += '*1\r\n$4\r\nEXEC\r\n';
    await c.raw(raw);
    for (let i = 0; i < 11; i++) await c.raw('');
  });

  test('RESP3: a touched WATCH gives a null, replies keep their RESP3 types', async () => {
    const c = await p.client();
    const other = await p.client({ flush: false });
    await c.both('HELLO', '3');
    await transaction(c, ['SET', 'd', '1.5'], ['INCRBYFLOAT', 'd', '1'], ['HSET', 'h', 'a', '1'], ['HGETALL', 'h'], ['GET', 'nope']);
    await c.do('WATCH', 'd');
    await other.do('SET', 'd', '0');
    await transaction(c, ['GET', 'd']);
    await c.both('HELLO', '2');
  });

  test('blocking commands inside MULTI do not block', async () => {
    const c = await p.client();
    await transaction(c, ['BZPOPMIN', 'empty', '0'], ['ZADD', 'z', '1', 'a'], ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'z', '0']);
  });
});

describe('transactions: WATCH', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  async function two(): Promise<[PairClient, PairClient]> {
    const c = await p.client();
    const other = await p.client({ flush: false });
    return [c, other];
  }

  test('EXEC runs when watched keys are untouched, not when one of them changed', async () => {
    const [c, other] = await two();
    await c.do('SET', 'x', '30');
    await c.do('WATCH', 'x');
    await transaction(c, ['INCR', 'x']);
    await c.do('WATCH', 'a', 'b', 'x', 'c', 'd');
    await other.do('SET', 'x', '40');
    await transaction(c, ['PING']);
    // after a failed or a successful EXEC the keys are no longer watched
    await other.do('SET', 'x', '50');
    await transaction(c, ['PING']);
    await c.do('WATCH', 'x');
    await c.do('UNWATCH');
    await other.do('SET', 'x', '60');
    await transaction(c, ['GET', 'x']);
  });

  test('DISCARD unwatches and clears the dirty flag; RESET too', async () => {
    const [c, other] = await two();
    await c.do('WATCH', 'x');
    await other.do('SET', 'x', '1');
    await c.do('MULTI');
    await c.do('DISCARD');
    await transaction(c, ['PING']);
    await c.do('WATCH', 'y');
    await other.do('SET', 'y', '1');
    await c.do('RESET');
    await transaction(c, ['PING']);
  });

  test('the writes that touch a watched key', async () => {
    const [c, other] = await two();
    const cases: { setup?: (string | number)[]; touch: (string | number)[]; key: string }[] = [
      { setup: ['SET', 'k', '1'], touch: ['DEL', 'k'], key: 'k' },
      { setup: ['SET', 'k', '1'], touch: ['EXPIRE', 'k', '100'], key: 'k' },
      { setup: ['SET', 'k', '1'], touch: ['RENAME', 'k', 'k2'], key: 'k' },
      { setup: ['SET', 'k', '1'], touch: ['RENAME', 'k', 'k2'], key: 'k2' },
      { setup: ['SET', 'k', '1'], touch: ['MOVE', 'k', '5'], key: 'k' },
      { touch: ['HSET', 'k', 'f', 'v'], key: 'k' },
      { touch: ['SADD', 'k', 'm'], key: 'k' },
      { touch: ['ZADD', 'k', '1', 'm'], key: 'k' },
      { setup: ['SET', 'k', 'abc'], touch: ['APPEND', 'k', 'd'], key: 'k' },
      { setup: ['SET', 'k', '1'], touch: ['PERSIST', 'k'], key: 'k' }, // no change: not touched
      { touch: ['DEL', 'k'], key: 'k' }, // missing key: not touched
      { setup: ['SET', 'k', '1'], touch: ['SET', 'k', '1'], key: 'k' }, // same value still touches
    ];
    for (const cs of cases) {
      await c.do('FLUSHALL');
      if (cs.setup) await c.do(...cs.setup);
      await c.do('WATCH', cs.key);
      await other.do(...cs.touch);
      await transaction(c, ['PING']);
    }
  });

  test('FLUSHALL / FLUSHDB touch watched keys that exist, only those', async () => {
    const [c, other] = await two();
    for (const flush of [['FLUSHALL'], ['FLUSHDB'], ['FLUSHALL', 'ASYNC']]) {
      await c.do('SET', 'x', '1');
      await c.do('WATCH', 'x');
      await other.do(...flush);
      await transaction(c, ['PING']);
      await c.do('WATCH', 'x'); // x does not exist now
      await other.do(...flush);
      await transaction(c, ['PING']);
    }
    // FLUSHDB of another db does not touch
    await c.do('SET', 'x', '1');
    await c.do('WATCH', 'x');
    await other.do('SELECT', '9');
    await other.do('FLUSHDB');
    await other.do('SELECT', '0');
    await transaction(c, ['PING']);
    // several watched keys, one client
    await c.do('MSET', 'a', 'a', 'b', 'b');
    await c.do('WATCH', 'b', 'a');
    await c.do('FLUSHALL');
    await c.do('PING');
    await transaction(c, ['PING']);
  });

  test('SWAPDB touches watched keys that exist in either db', async () => {
    const [c, other] = await two();
    await c.do('SET', 'x', '1');
    await c.do('WATCH', 'x');
    await other.do('SWAPDB', '0', '1');
    await transaction(c, ['GET', 'x']);
    await c.do('FLUSHALL');
    await c.do('SELECT', '1');
    await c.do('SET', 'y', '1');
    await c.do('SELECT', '0');
    await c.do('WATCH', 'y'); // does not exist in db 0, exists in db 1
    await other.do('SWAPDB', '0', '1');
    await transaction(c, ['GET', 'y']);
    await c.do('WATCH', 'z'); // in neither
    await other.do('SWAPDB', '0', '1');
    await transaction(c, ['PING']);
  });

  test('WATCH remembers the db of the key', async () => {
    const [c, other] = await two();
    await c.do('SELECT', '3');
    await c.do('SET', 'x', '1');
    await c.do('WATCH', 'x');
    await other.do('SET', 'x', '2'); // db 0
    await transaction(c, ['PING']);
    await c.do('WATCH', 'x');
    await other.do('SELECT', '3');
    await other.do('SET', 'x', '2');
    await other.do('SELECT', '0');
    await transaction(c, ['PING']);
    await c.do('SELECT', '0');
  });

  test('a watched key that expires before EXEC fails it; one already stale when watched does not', async () => {
    const [c] = await two();
    await c.do('SET', 'x', 'foo', 'PX', '40');
    await c.do('WATCH', 'x');
    await sleep(80);
    await transaction(c, ['PING']);
    await c.do('SET', 'y', 'foo', 'PX', '1');
    await sleep(10);
    await c.do('WATCH', 'y');
    await transaction(c, ['PING']);
    await c.do('SET', 'z', 'foo', 'PX', '1');
    await sleep(10);
    await c.do('WATCH', 'z');
    await c.do('EXISTS', 'z'); // deletes the stale key: no logical change
    await transaction(c, ['PING']);
  });

  test('CLIENT LIST / CLIENT INFO show flags=x and multi=<queued>', async () => {
    const c = await p.client();
    const field = (line: string, name: string): string => new RegExp(`[ ]${name}=(\\S*)`).exec(line)?.[1] ?? '';
    const [a0, b0] = await c.both('CLIENT', 'INFO');
    assert.equal(field(a0, 'multi'), field(b0, 'multi'));
    await c.do('MULTI');
    await c.do('SET', 'a', '1');
    await c.do('SET', 'b', '1');
    await c.do('CLIENT', 'INFO');
    const [a, b] = await c.both('EXEC');
    assert.equal(a.split('\r\n')[0], b.split('\r\n')[0]);
    const lines = [a, b].map((r) => r.split('\r\n').find((l) => l.startsWith('id=')) ?? '');
    assert.equal(field(lines[0]!, 'flags'), field(lines[1]!, 'flags'));
    assert.equal(field(lines[0]!, 'multi'), field(lines[1]!, 'multi'));
    assert.equal(field(lines[0]!, 'multi'), '3');
    assert.equal(field(lines[0]!, 'flags'), 'x');
  });
});

describe('transactions: propagation and pause (in-process)', () => {
  test('several writes go out as MULTI ... EXEC, one write alone, reads not at all', async (t) => {
    const s = await startServer({ port: 0, loglevel: 'warning', dir: tmpDir(t) });
    const seen: string[] = [];
    s.server.recorder.listen((db, argv) => seen.push(`${db}:${argv.join(' ')}`));
    const c = await RawClient.connect(s.port);
    try {
      for (const cmd of ['MULTI', 'SET a 1', 'SELECT 2', 'SET b 2', 'GET a', 'EXEC']) await c.call(...cmd.split(' '));
      assert.deepEqual(seen, ['0:MULTI', '0:SET a 1', '2:SET b 2', '2:EXEC']);
      seen.length = 0;
      for (const cmd of ['MULTI', 'SET a 1', 'GET a', 'EXEC']) await c.call(...cmd.split(' '));
      assert.deepEqual(seen, ['2:SET a 1']);
      seen.length = 0;
      for (const cmd of ['MULTI', 'GET a', 'EXEC', 'MULTI', 'EXEC']) await c.call(...cmd.split(' '));
      assert.deepEqual(seen, []);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('CLIENT PAUSE WRITE holds an EXEC with writes, not a read-only one', async (t) => {
    const s = await startServer({ port: 0, loglevel: 'warning', dir: tmpDir(t) });
    const c = await RawClient.connect(s.port);
    const admin = await RawClient.connect(s.port);
    try {
      await c.call('MULTI');
      await c.call('GET', 'a');
      await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE');
      assert.equal(await c.call('EXEC'), '*1\r\n$-1\r\n');
      await admin.call('CLIENT', 'UNPAUSE');
      await c.call('MULTI');
      assert.equal(await c.call('SET', 'a', '1'), '+QUEUED\r\n');
      await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE');
      c.send('EXEC');
      await assert.rejects(c.read(200));
      await admin.call('CLIENT', 'UNPAUSE');
      assert.equal(await c.read(), '*1\r\n+OK\r\n');
    } finally {
      c.close();
      admin.close();
      await s.close();
    }
  });
});
