/*
 * What the list commands propagate, observed on an embedded server through a
 * propagation hook: the blocking forms as their non-blocking ones (BLPOP ->
 * LPOP, BLMPOP/LMPOP -> LPOP/RPOP key <count popped>, BLMOVE -> LMOVE,
 * BRPOPLPUSH -> RPOPLPUSH), both when served at once and when served after
 * blocking, and nothing for writes that change nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type RunningServer } from '../../index.js';
import { RawClient } from '../../../test/helpers/resp-client.js';

describe('list propagation', () => {
  let s: RunningServer;
  let c: RawClient;
  let w: RawClient;
  let got: string[][] = [];
  before(async () => {
    s = await startServer({ port: 0, save: '', loglevel: 'warning' });
    s.server.recorder.listen((_db, argv) => { got.push([...argv]); });
    c = await RawClient.connect(s.port);
    w = await RawClient.connect(s.port);
  });
  after(async () => { c.close(); w.close(); await s.close(); });

  const run = async (...args: string[]): Promise<string[][]> => {
    got = [];
    const r = await c.call(...args);
    assert.ok(!r.startsWith('-'), `${args.join(' ')}: ${r}`);
    return got;
  };

  /** w blocks with args; c runs push; returns what both propagated and w's reply. */
  const served = async (args: string[], push: string[]): Promise<[string[][], string]> => {
    w.send(...args);
    for (let i = 0; i < 200 && s.server.blocking.count === 0; i++) await sleep(2);
    assert.equal(s.server.blocking.count, 1);
    got = [];
    await c.call(...push);
    const reply = await w.read();
    return [got, reply];
  };

  test('plain writes, and no-op writes propagate nothing', async () => {
    assert.deepEqual(await run('RPUSH', 'k', 'a', 'b', 'c'), [['RPUSH', 'k', 'a', 'b', 'c']]);
    assert.deepEqual(await run('LPUSHX', 'nokey', 'a'), []);
    assert.deepEqual(await run('LPOP', 'nokey'), []);
    assert.deepEqual(await run('LPOP', 'k', '0'), []);
    assert.deepEqual(await run('LREM', 'k', '0', 'zz'), []);
    assert.deepEqual(await run('LINSERT', 'k', 'BEFORE', 'zz', 'x'), []);
    assert.deepEqual(await run('LTRIM', 'k', '0', '-1'), []);
    assert.deepEqual(await run('LTRIM', 'k', '1', '-1'), [['LTRIM', 'k', '1', '-1']]);
    assert.deepEqual(await run('LSET', 'k', '0', 'B'), [['LSET', 'k', '0', 'B']]);
    assert.deepEqual(await run('LMOVE', 'k', 'd', 'left', 'RIGHT'), [['LMOVE', 'k', 'd', 'left', 'RIGHT']]);
    assert.deepEqual(await run('LMOVE', 'nokey', 'd', 'LEFT', 'RIGHT'), []);
  });

  test('blocking forms served at once propagate their non-blocking form', async () => {
    await run('DEL', 'k', 'd');
    await run('RPUSH', 'k', '1', '2', '3', '4', '5', '6');
    assert.deepEqual(await run('BLPOP', 'nokey', 'k', '0'), [['LPOP', 'k']]);
    assert.deepEqual(await run('BRPOP', 'k', '1'), [['RPOP', 'k']]);
    assert.deepEqual(await run('BLMPOP', '0', '1', 'k', 'RIGHT', 'COUNT', '2'), [['RPOP', 'k', '2']]);
    assert.deepEqual(await run('BLMOVE', 'k', 'd', 'left', 'Right', '0'), [['LMOVE', 'k', 'd', 'left', 'Right']]);
    assert.deepEqual(await run('LMPOP', '2', 'nokey', 'k', 'LEFT', 'COUNT', '10'), [['LPOP', 'k', '1']]);
    assert.deepEqual(await run('BRPOPLPUSH', 'd', 'k', '0'), [['RPOPLPUSH', 'd', 'k']]);
  });

  test('blocking forms served after blocking', async () => {
    await run('DEL', 'k', 'd');
    let [p, r] = await served(['BLPOP', 'k', '0'], ['RPUSH', 'k', 'a']);
    assert.deepEqual(p, [['RPUSH', 'k', 'a'], ['LPOP', 'k']]);
    assert.equal(r, '*2\r\n$1\r\nk\r\n$1\r\na\r\n');
    [p] = await served(['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '5'], ['RPUSH', 'k', 'a', 'b']);
    assert.deepEqual(p, [['RPUSH', 'k', 'a', 'b'], ['LPOP', 'k', '2']]);
    [p, r] = await served(['BLMOVE', 'k', 'd', 'RIGHT', 'LEFT', '0'], ['RPUSH', 'k', 'x']);
    assert.deepEqual(p, [['RPUSH', 'k', 'x'], ['LMOVE', 'k', 'd', 'right', 'left']]);
    assert.equal(r, '$1\r\nx\r\n');
    [p] = await served(['BRPOPLPUSH', 'k', 'd', '0'], ['RPUSH', 'k', 'y']);
    assert.deepEqual(p, [['RPUSH', 'k', 'y'], ['RPOPLPUSH', 'k', 'd']]);
    assert.equal(s.server.blocking.count, 0);
  });
});
