/*
 * Differential tests of pipelines sent in one write: Nodis parses plain keyed
 * commands ahead and warms their keys (server/warm.ts) before running them.
 * Each test mixes such commands with ones that end a batch (SELECT, AUTH,
 * MULTI, CLIENT REPLY, blocking pops, a protocol error) and compares every
 * reply with redis-server's, byte for byte.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const mb = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('');

/** Send all commands in one write and compare the next n replies of both servers. */
async function pipeline(c: PairClient, cmds: string[][], n = cmds.length): Promise<string[]> {
  const data = cmds.map((a) => mb(...a)).join('');
  c.ours.write(data);
  c.theirs.write(data);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
    assert.equal(JSON.stringify(a), JSON.stringify(b), `reply ${i} to ${JSON.stringify(cmds[i])}`);
    out.push(a);
  }
  return out;
}

describe('pipelines parsed ahead', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('reads, writes, deletes and re-adds of the same keys in one batch', async () => {
    const c = await p.client();
    const cmds: string[][] = [];
    for (let i = 0; i < 40; i++) cmds.push(['SET', `k${i % 7}`, `v${i}`], ['GET', `k${(i * 3) % 7}`], ['INCR', `n${i % 5}`]);
    for (let i = 0; i < 7; i++) cmds.push(['DEL', `k${i}`], ['GET', `k${i}`], ['SET', `k${i}`, 'again'], ['APPEND', `k${i}`, '!']);
    cmds.push(['MSET', 'a', '1', 'b', '2', 'c', '3'], ['MGET', 'a', 'b', 'c', 'zz'], ['EXISTS', 'a', 'zz', 'b'], ['DEL', 'a', 'b', 'c', 'zz']);
    cmds.push(['LPUSH', 'l', 'x'], ['GET', 'l'], ['INCR', 'k1'], ['SET', 'e', 'v', 'EX', '100'], ['TTL', 'e']);
    await pipeline(c, cmds);
  });
  test('members of big sets and hashes looked up, added and removed in one batch', async () => {
    const c = await p.client();
    const init: string[][] = [];
    for (let i = 0; i < 600; i += 50) {
      const ms: string[] = []; const fs: string[] = [];
      for (let j = i; j < i + 50; j++) { ms.push(`m${j}`); fs.push(`f${j}`, `v${j}`); }
      init.push(['SADD', 'bigset', ...ms], ['HSET', 'bighash', ...fs]);
    }
    await pipeline(c, init);
    const cmds: string[][] = [];
    for (let i = 0; i < 30; i++) {
      const m = `m${(i * 37) % 700}`; const f = `f${(i * 53) % 700}`;
      cmds.push(['SISMEMBER', 'bigset', m], ['SREM', 'bigset', m], ['SISMEMBER', 'bigset', m], ['SADD', 'bigset', m, `new${i}`],
        ['HGET', 'bighash', f], ['HDEL', 'bighash', f], ['HSET', 'bighash', f, `x${i}`, `g${i}`, 'y'], ['HINCRBY', 'bighash', `n${i % 3}`, '5'],
        ['SMISMEMBER', 'bigset', m, 'nope', `new${i}`], ['HMGET', 'bighash', f, `g${i}`, 'nope'], ['HEXISTS', 'bighash', f], ['HSTRLEN', 'bighash', f]);
    }
    cmds.push(['SCARD', 'bigset'], ['HLEN', 'bighash'], ['OBJECT', 'ENCODING', 'bigset'], ['OBJECT', 'ENCODING', 'bighash'], ['DEL', 'bigset', 'bighash']);
    await pipeline(c, cmds);
  });
  test('random pipelines of mixed commands give the same replies (seeded fuzz)', async () => {
    const c = await p.client();
    let seed = 20261121;
    const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const key = (): string => ['k', 'n', 's', 'h', 'z', 'l'][rnd(6)]! + rnd(8);
    const gens: (() => string[])[] = [
      () => ['GET', key()], () => ['SET', key(), `v${rnd(100)}`], () => ['INCR', key()], () => ['DEL', key(), key()],
      () => ['MSET', key(), 'a', key(), 'b'], () => ['MGET', key(), key(), key()], () => ['EXISTS', key(), key()],
      () => ['APPEND', key(), 'x'], () => ['SADD', key(), `m${rnd(700)}`, `m${rnd(700)}`], () => ['SREM', key(), `m${rnd(700)}`],
      () => ['SISMEMBER', key(), `m${rnd(700)}`], () => ['SCARD', key()], () => ['HSET', key(), `f${rnd(300)}`, `${rnd(9)}`],
      () => ['HGET', key(), `f${rnd(300)}`], () => ['HDEL', key(), `f${rnd(300)}`], () => ['HINCRBY', key(), `f${rnd(300)}`, '2'],
      () => ['ZADD', key(), `${rnd(50)}`, `z${rnd(400)}`], () => ['ZSCORE', key(), `z${rnd(400)}`], () => ['ZREM', key(), `z${rnd(400)}`],
      () => ['ZRANK', key(), `z${rnd(400)}`], () => ['LPUSH', key(), 'e'], () => ['RPOP', key()], () => ['TYPE', key()],
      () => ['EXPIRE', key(), '100'], () => ['TTL', key()], () => ['SELECT', `${rnd(2)}`], () => ['MULTI'], () => ['EXEC'],
      () => ['DISCARD'], () => ['PING'], () => ['OBJECT', 'ENCODING', key()],
    ];
    // big sets, hashes and sorted sets first, so member warm-ups have something to hit
    const init: string[][] = [];
    for (let j = 0; j < 8; j++) for (let i = 0; i < 600; i += 100) {
      const ms: string[] = []; const fs: string[] = []; const zs: string[] = [];
      for (let x = i; x < i + 100; x++) { ms.push(`m${x}`); fs.push(`f${x}`, 'v'); zs.push(`${x % 37}`, `z${x}`); }
      init.push(['SADD', `s${j}`, ...ms], ['HSET', `h${j}`, ...fs], ['ZADD', `z${j}`, ...zs]);
    }
    await pipeline(c, init);
    for (let round = 0; round < 30; round++) {
      const cmds: string[][] = [];
      const len = 1 + rnd(60);
      for (let i = 0; i < len; i++) cmds.push(gens[rnd(gens.length)]!());
      cmds.push(['DISCARD'], ['SELECT', '0']); // leave no transaction open and db 0 selected for the next round
      await pipeline(c, cmds);
    }
  });
  test('SELECT and SWAPDB between keyed commands change where the later ones run', async () => {
    const c = await p.client();
    await pipeline(c, [
      ['SET', 'sk', 'db0'], ['SELECT', '1'], ['GET', 'sk'], ['SET', 'sk', 'db1'], ['SELECT', '0'], ['GET', 'sk'],
      ['SWAPDB', '0', '1'], ['GET', 'sk'], ['SWAPDB', '0', '1'], ['GET', 'sk'], ['SELECT', '1'], ['DEL', 'sk'], ['SELECT', '0'], ['DEL', 'sk'],
    ]);
  });
  test('MULTI, CLIENT REPLY and errors inside a batch', async () => {
    const c = await p.client();
    await pipeline(c, [
      ['SET', 'm', '1'], ['MULTI'], ['INCR', 'm'], ['GET', 'm'], ['EXEC'], ['GET', 'm'],
      ['CLIENT', 'REPLY', 'OFF'], ['SET', 'm', 'silent'], ['CLIENT', 'REPLY', 'ON'], ['GET', 'm'],
      ['LPUSH', 'm', 'x'], ['GET', 'nosuch'], ['SET', 'm'], ['GETRANGE', 'm', '0', '2'],
    ], 12);
  });
  test('a blocking pop mid-batch holds the commands after it until it is served', async () => {
    const c = await p.client();
    await pipeline(c, [['DEL', 'q'], ['SET', 'x', 'before'], ['BLPOP', 'q', '0.2'], ['GET', 'x'], ['SET', 'x', 'after'], ['GET', 'x']]);
  });
  test('CLIENT PAUSE WRITE holds a pipeline at its first write; the rest runs in order after the pause', async () => {
    const a = await p.client();
    const b = await p.client();
    await a.do('CLIENT', 'PAUSE', '300', 'WRITE');
    const replies = await pipeline(b, [['SET', 'pa', '1'], ['SET', 'pb', '2'], ['GET', 'pa'], ['DEL', 'pa'], ['GET', 'pb']]);
    assert.deepEqual(replies, ['+OK\r\n', '+OK\r\n', '$1\r\n1\r\n', ':1\r\n', '$1\r\n2\r\n']);
  });
  test('AUTH in a pipeline of a client that must authenticate', async () => {
    const c = await p.client();
    await pipeline(c, [['CONFIG', 'SET', 'requirepass', 'pw']]);
    const d = await p.client();
    await pipeline(d, [['GET', 'x'], ['AUTH', 'pw'], ['SET', 'x', 'authed'], ['GET', 'x'], ['CONFIG', 'SET', 'requirepass', '']]);
  });
  test('a protocol error after a batch: the commands before it run, then the error closes the connection', async () => {
    const c = await p.client();
    const data = mb('SET', 'pe', '1') + mb('INCR', 'pe') + mb('GET', 'pe') + '*1\r\n$x\r\n';
    c.ours.write(data);
    c.theirs.write(data);
    for (let i = 0; i < 4; i++) {
      const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
      assert.equal(a, b);
    }
    await Promise.all([c.ours.waitClose(), c.theirs.waitClose()]);
  });
});
