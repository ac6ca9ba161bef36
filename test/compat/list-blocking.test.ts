/*
 * Differential tests of the blocking list commands with several connections
 * on each side (Nodis and redis-server run the same script, replies compared
 * byte for byte): FIFO among waiters, one push serving several waiters,
 * fractional timeouts in RESP2 and RESP3, disconnecting while blocked,
 * BLMOVE/BRPOPLPUSH chains, pushes inside MULTI, CLIENT UNBLOCK, keys of the
 * wrong type at wakeup, and INFO blocked_clients.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { usePair, type Arg, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import type { RawClient } from '../helpers/resp-client.js';

async function blockedClients(r: RawClient): Promise<number> {
  const info = await r.call('INFO', 'clients');
  return Number(/blocked_clients:(\d+)/.exec(info)![1]);
}

/** Wait until both servers report n blocked clients. */
async function waitBlocked(c: PairClient, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [a, b] = await Promise.all([blockedClients(c.ours), blockedClients(c.theirs)]);
    if (a === n && b === n) return;
    await sleep(5);
  }
  const [a, b] = await Promise.all([blockedClients(c.ours), blockedClients(c.theirs)]);
  assert.fail(`blocked_clients: nodis ${a}, redis ${b}, expected ${n}`);
}

/** Send without waiting for the reply (a command that blocks). */
function send(c: PairClient, ...args: Arg[]): void {
  c.ours.send(...args);
  c.theirs.send(...args);
}

/** The next reply on both sides, identical. */
async function read(c: PairClient, what: string, timeoutMs = 3000): Promise<string> {
  const [a, b] = await Promise.all([c.ours.read(timeoutMs), c.theirs.read(timeoutMs)]);
  assert.equal(JSON.stringify(a), JSON.stringify(b), what);
  return a;
}

/** No reply pending on either side (still blocked). */
async function nothingYet(c: PairClient): Promise<void> {
  await sleep(30);
  assert.equal(c.ours.unread, '');
  assert.equal(c.theirs.unread, '');
}

describe('list blocking', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('FIFO among waiters; one multi-element push serves several', async () => {
    const c = await p.client();
    const w = [await p.client({ flush: false }), await p.client({ flush: false }), await p.client({ flush: false })];
    for (let i = 0; i < w.length; i++) {
      send(w[i]!, 'BLPOP', 'k', 0);
      await waitBlocked(c, i + 1);
    }
    await c.do('RPUSH', 'k', 'a', 'b');
    assert.equal(await read(w[0]!, 'first waiter'), '*2\r\n$1\r\nk\r\n$1\r\na\r\n');
    await read(w[1]!, 'second waiter');
    await nothingYet(w[2]!);
    await waitBlocked(c, 1);
    await c.do('EXISTS', 'k');
    await c.do('LPUSH', 'k', 'z');
    await read(w[2]!, 'third waiter');
    await waitBlocked(c, 0);
  });

  test('BRPOP / BLMPOP served on the key that got data, with counts', async () => {
    const c = await p.client();
    const w1 = await p.client({ flush: false });
    const w2 = await p.client({ flush: false });
    send(w1, 'BRPOP', 'k1', 'k2', 'k2', 0);
    send(w2, 'BLMPOP', 0, 2, 'k1', 'k2', 'RIGHT', 'COUNT', 2);
    await waitBlocked(c, 2);
    await c.do('RPUSH', 'k2', 'a', 'b', 'c', 'd');
    await read(w1, 'BRPOP');
    await read(w2, 'BLMPOP');
    await c.do('LRANGE', 'k2', 0, -1);
    send(w2, 'BLMPOP', 0, 1, 'k3', 'LEFT');
    await waitBlocked(c, 1);
    await c.do('RPUSH', 'k3', 'x', 'y');
    await read(w2, 'BLMPOP without COUNT');
    await c.do('LRANGE', 'k3', 0, -1);
  });

  test('fractional timeouts reply a null array (RESP2 and RESP3)', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    for (const cmd of [['BLPOP', 'k', '0.05'], ['BRPOP', 'k', 'k2', '.05'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05'],
      ['BRPOPLPUSH', 'k', 'd', '0.05'], ['BLMPOP', '0.05', 1, 'k', 'LEFT']]) {
      send(w, ...cmd);
      await read(w, `${cmd.join(' ')} times out`);
    }
    await w.both('HELLO', '3');
    for (const cmd of [['BLPOP', 'k', '0.05'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05'], ['BLMPOP', '0.05', 1, 'k', 'LEFT']]) {
      send(w, ...cmd);
      assert.equal(await read(w, `${cmd.join(' ')} times out (RESP3)`), '_\r\n');
    }
    const t0 = Date.now();
    send(w, 'BLPOP', 'k', '0.2');
    await read(w, 'timeout');
    assert.ok(Date.now() - t0 >= 150, 'waited about 0.2 s');
    await waitBlocked(c, 0);
    // a push after the timeout stays in the list
    await c.do('RPUSH', 'k', 'v');
    await c.do('LLEN', 'k');
  });

  test('a client that disconnects while blocked leaves nothing behind', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const w2 = await p.client({ flush: false });
    send(w, 'BLPOP', 'k', 0);
    send(w2, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', 0);
    await waitBlocked(c, 2);
    w.close();
    await waitBlocked(c, 1);
    await c.do('RPUSH', 'k', 'a', 'b');
    await read(w2, 'remaining waiter served');
    await c.do('LRANGE', 'k', 0, -1);
    await c.do('LRANGE', 'd', 0, -1);
    await waitBlocked(c, 0);
    w2.close();
  });

  test('BLMOVE / BRPOPLPUSH into a list another client waits on (chained wakeups)', async () => {
    const c = await p.client();
    const a = await p.client({ flush: false });
    const b = await p.client({ flush: false });
    const d = await p.client({ flush: false });
    send(a, 'BLMOVE', 'src', 'mid', 'RIGHT', 'LEFT', 0);
    await waitBlocked(c, 1);
    send(b, 'BRPOPLPUSH', 'mid', 'dst', 0);
    await waitBlocked(c, 2);
    send(d, 'BLPOP', 'dst', 0);
    await waitBlocked(c, 3);
    await c.do('RPUSH', 'src', 'x', 'y');
    await read(a, 'BLMOVE');
    await read(b, 'BRPOPLPUSH');
    await read(d, 'BLPOP');
    await waitBlocked(c, 0);
    for (const k of ['src', 'mid', 'dst']) await c.do('LRANGE', k, 0, -1);
    // BLMOVE onto its own source key
    send(a, 'BLMOVE', 'rot', 'rot', 'LEFT', 'RIGHT', 0);
    await waitBlocked(c, 1);
    await c.do('RPUSH', 'rot', '1', '2');
    await read(a, 'rotation');
    await c.do('LRANGE', 'rot', 0, -1);
  });

  test('pushes inside MULTI are served after EXEC; blocking forms do not block in MULTI', async () => {
    const c = await p.client();
    const [m1, m2] = await c.both('MULTI');
    if (m1.startsWith('-')) return; // no transactions yet
    assert.equal(m1, m2);
    await c.do('DISCARD');
    const w = await p.client({ flush: false });
    send(w, 'BLPOP', 'k', 0);
    await waitBlocked(c, 1);
    await c.do('MULTI');
    await c.do('RPUSH', 'k', 'a');
    await c.do('LPUSH', 'k', 'b');
    await c.do('RPUSH', 'k', 'c');
    await c.do('EXEC');
    await read(w, 'served after EXEC with the final state');
    await c.do('LRANGE', 'k', 0, -1);
    // LPUSH + DEL in one transaction: nothing to serve
    await c.do('DEL', 'k');
    send(w, 'BLPOP', 'k', 0);
    await waitBlocked(c, 1);
    await c.do('MULTI');
    await c.do('LPUSH', 'k', 'a');
    await c.do('DEL', 'k');
    await c.do('EXEC');
    await nothingYet(w);
    await c.do('RPUSH', 'k', 'z');
    await read(w, 'served by the later push');
    await c.do('MULTI');
    for (const cmd of [['BLPOP', 'nokey', 0], ['BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', 0], ['BLMPOP', 0, 1, 'nokey', 'LEFT']]) {
      await c.do(...cmd);
    }
    await c.do('EXEC');
  });

  test('CLIENT UNBLOCK with TIMEOUT and ERROR', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const idOf = async (r: RawClient): Promise<string> => (await r.call('CLIENT', 'ID')).slice(1, -2);
    const [ida, idb] = await Promise.all([idOf(w.ours), idOf(w.theirs)]);
    const unblock = async (...extra: string[]): Promise<string> => {
      const [a, b] = await Promise.all([c.ours.call('CLIENT', 'UNBLOCK', ida, ...extra), c.theirs.call('CLIENT', 'UNBLOCK', idb, ...extra)]);
      assert.equal(a, b, `CLIENT UNBLOCK ${extra.join(' ')}`);
      return a;
    };
    assert.equal(await unblock(), ':0\r\n');
    for (const [cmd, mode] of [[['BLPOP', 'k', 0], 'TIMEOUT'], [['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', 0], 'timeout'],
      [['BLMPOP', 0, 1, 'k', 'LEFT'], 'ERROR'], [['BRPOP', 'k', 10], undefined]] as const) {
      send(w, ...cmd);
      await waitBlocked(c, 1);
      assert.equal(await unblock(...(mode ? [mode] : [])), ':1\r\n');
      await read(w, `unblocked ${mode}`);
      await waitBlocked(c, 0);
    }
    assert.equal(await unblock('TIMEOUT'), ':0\r\n');
    await c.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR', 'CLIENT', 'UNBLOCK', '1', 'later');
    await c.error('ERR value is not an integer', 'CLIENT', 'UNBLOCK', 'x');
    await c.error('ERR unknown subcommand or wrong number', 'CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'x');
    await c.error('ERR wrong number', 'CLIENT', 'UNBLOCK');
    await c.do('CLIENT', 'UNBLOCK', '999999');
    await c.do('CLIENT', 'UNBLOCK', '-1');
    // the unblocked client carries on with its pipeline
    await w.do('PING');
  });

  test('a key of the wrong type at wakeup keeps the client waiting', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    send(w, 'BLPOP', 'k', 0);
    await waitBlocked(c, 1);
    await c.do('SET', 'k', 'str');
    await nothingYet(w);
    await waitBlocked(c, 1);
    await c.do('DEL', 'k');
    await c.do('RPUSH', 'k', 'v');
    await read(w, 'served once it is a list');
    // the other key of a two-key wait
    send(w, 'BLPOP', 'k1', 'k2', 0);
    await waitBlocked(c, 1);
    await c.do('SET', 'k1', 'str');
    await c.do('RPUSH', 'k2', 'v');
    await read(w, 'served from the list key');
    // BLMOVE: a destination of the wrong type at wakeup is a WRONGTYPE reply; the element stays
    await c.do('SET', 'dst', 'str');
    send(w, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', 0);
    await waitBlocked(c, 1);
    await c.do('RPUSH', 'src', 'e');
    await read(w, 'WRONGTYPE for the destination');
    await c.do('LRANGE', 'src', 0, -1);
    await waitBlocked(c, 0);
  });

  test('a command pipelined after a blocking one waits for it', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    send(w, 'BLPOP', 'k', 0);
    send(w, 'RPUSH', 'k', 'mine');
    await waitBlocked(c, 1);
    await c.do('RPUSH', 'k', 'theirs');
    await read(w, 'BLPOP');
    await read(w, 'RPUSH after it');
    await c.do('LRANGE', 'k', 0, -1);
  });
  test('a master turning replica ends waits with UNBLOCKED, not counted as failed calls', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await c.do('CONFIG', 'RESETSTAT');
    send(w, 'BLPOP', 'nol', '0');
    await waitBlocked(c, 1);
    // a master that never answers: the link stays down, nothing is loaded
    await c.do('REPLICAOF', '127.0.0.1', '1');
    await read(w, 'BLPOP');
    await c.do('REPLICAOF', 'NO', 'ONE');
    const [a, b] = await c.both('INFO', 'commandstats');
    const line = (s: string): string => /cmdstat_blpop:calls=(\d+),.*(rejected_calls=\d+,failed_calls=\d+)/.exec(s)!.slice(1).join(' ');
    assert.equal(line(a), line(b));
    await c.doLoosely('INFO', 'errorstats');
  });
});
