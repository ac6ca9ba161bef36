/*
 * Keyspace notifications, differential: for each command of every group a
 * subscriber on both servers (PSUBSCRIBE '__key*__:*', notify-keyspace-events
 * KEAnm) records what the command fires; the frames are compared byte for
 * byte, in order. A PUBLISH on a marker channel ends each case's capture.
 * Cases whose command Nodis lacks yet are skipped (listed as diagnostics);
 * every mismatch of a group is reported together.
 */
import assert from 'node:assert/strict';
import { before, describe, test, type TestContext } from 'node:test';
import { usePair, type PairClient, type Arg } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import type { RawClient } from '../helpers/resp-client.js';

interface Case {
  name: string;
  /** run before subscribing (no events captured) */
  setup?: Arg[][];
  /** the commands whose events are compared */
  run: Arg[][];
  /** wait this long (ms) after `run` before the marker (active expiry) */
  wait?: number;
}

const MARKER = '__key__:end';

async function until(r: RawClient): Promise<string[]> {
  const got: string[] = [];
  for (;;) {
    const f = await r.read(3000);
    if (f.includes(MARKER)) return got;
    got.push(f);
  }
}

const pretty = (frames: string[]): string =>
  frames.map((f) => f.split('\r\n').filter((x, i) => i > 0 && !x.startsWith('$') && x !== '').slice(2).join(' ')).join(' | ');

describe('keyspace notifications', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  let c: PairClient;
  let sub: PairClient;
  let known: Set<string>;

  before(async () => {
    c = await p.client();
    sub = await p.client({ flush: false });
    await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEAnm');
    const [a, b] = await sub.both('PSUBSCRIBE', '__key*__:*');
    assert.equal(a, b);
    const list = await c.ours.call('COMMAND', 'LIST');
    known = new Set(list.split('\r\n').filter((l) => l && !/^[*$]/.test(l)).map((l) => l.toLowerCase()));
  });

  /** Run cases; return the mismatches. Setup and run replies must agree too (else the case is wrong). */
  async function runCases(t: TestContext, cases: Case[]): Promise<void> {
    const bad: string[] = [];
    for (const k of cases) {
      const cmds = [...(k.setup ?? []), ...k.run].map((a) => String(a[0]).toLowerCase());
      const missing = cmds.filter((x) => !known.has(x));
      if (missing.length > 0) { t.diagnostic(`skipped ${k.name}: Nodis lacks ${[...new Set(missing)].join(', ')}`); continue; }
      await c.both('FLUSHALL');
      await c.both('SELECT', '0');
      // events from FLUSHALL and setup are drained by a marker first
      for (const a of k.setup ?? []) await c.both(...a);
      await c.both('PUBLISH', MARKER, 'x');
      await Promise.all([until(sub.ours), until(sub.theirs)]);
      const replies: string[] = [];
      for (const a of k.run) {
        const [x, y] = await c.both(...a);
        if (x !== y) replies.push(`${a.join(' ')}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      }
      if (k.wait) await new Promise((r) => setTimeout(r, k.wait));
      await c.both('PUBLISH', MARKER, 'x');
      const [ours, theirs] = await Promise.all([until(sub.ours), until(sub.theirs)]);
      if (ours.join('') !== theirs.join('')) bad.push(`${k.name}:\n    nodis: ${pretty(ours)}\n    redis: ${pretty(theirs)}`);
      if (replies.length > 0 && !k.name.includes('random')) bad.push(`${k.name} (replies differ): ${replies.join('; ')}`);
    }
    await c.both('SELECT', '0');
    assert.deepEqual(bad, [], bad.join('\n'));
  }

  test('strings', async (t) => {
    await runCases(t, [
      { name: 'SET new / overwrite / NX fail / XX / GET', run: [['SET', 'k', 'v'], ['SET', 'k', 'w'], ['SET', 'k', 'x', 'NX'], ['SET', 'k', 'y', 'XX', 'GET'], ['SET', 'n', 'v', 'XX']] },
      { name: 'SET EX / PX / KEEPTTL / PXAT', run: [['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v', 'KEEPTTL'], ['SET', 'k2', 'v', 'PX', '100000'], ['SET', 'k3', 'v', 'PXAT', '99999999999999']] },
      { name: 'SETNX / SETEX / PSETEX', run: [['SETNX', 'a', '1'], ['SETNX', 'a', '2'], ['SETEX', 'b', '100', 'v'], ['PSETEX', 'c', '100000', 'v']] },
      { name: 'MSET / MSETNX', run: [['MSET', 'a', '1', 'b', '2', 'a', '3'], ['MSETNX', 'a', '1', 'z', '2'], ['MSETNX', 'x', '1', 'y', '2']] },
      { name: 'APPEND / SETRANGE', run: [['APPEND', 'a', 'x'], ['APPEND', 'a', 'y'], ['SETRANGE', 'b', '3', 'x'], ['SETRANGE', 'b', '0', 'z'], ['SETRANGE', 'c', '0', ''], ['SETRANGE', 'b', '0', '']] },
      { name: 'INCR family', run: [['INCR', 'i'], ['DECR', 'i'], ['INCRBY', 'i', '5'], ['DECRBY', 'j', '2'], ['INCRBYFLOAT', 'f', '1.5'], ['INCRBYFLOAT', 'f', '1']] },
      { name: 'GETSET / GETDEL / GETEX', setup: [['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3']], run: [['GETSET', 'a', 'x'], ['GETSET', 'n', 'y'], ['GETDEL', 'b'], ['GETDEL', 'b'], ['GETEX', 'c', 'EX', '100'], ['GETEX', 'c', 'PERSIST'], ['GETEX', 'c'], ['GETEX', 'c', 'EXAT', '1']] },
      { name: 'reads: keymiss', setup: [['SET', 's', 'v']], run: [['GET', 'nope'], ['GET', 's'], ['MGET', 's', 'm1', 'm2'], ['STRLEN', 'm'], ['GETRANGE', 'm', '0', '1'], ['SUBSTR', 'm', '0', '1'], ['LCS', 's', 'm']] },
      { name: 'bitmaps', setup: [['SET', 'src', 'abc']], run: [['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '0'], ['GETBIT', 'm', '1'], ['BITCOUNT', 'm'], ['BITPOS', 'm', '1'], ['BITOP', 'AND', 'dst', 'src', 'm'], ['BITOP', 'OR', 'dst', 'src'], ['BITOP', 'OR', 'dst', 'm1', 'm2'], ['BITOP', 'NOT', 'dst2', 'm3']] },
      { name: 'hyperloglog', setup: [['SET', 's', 'v']], run: [['PFADD', 'h', 'a'], ['PFADD', 'h', 'a'], ['PFADD', 'e'], ['PFCOUNT', 'h'], ['PFCOUNT', 'm'], ['PFCOUNT', 'h', 'm'], ['PFMERGE', 'd', 'h', 'm'], ['PFMERGE', 'd2'], ['PFDEBUG', 'TODENSE', 'h'], ['PFADD', 's', 'x']] },
      { name: 'BITFIELD', run: [['BITFIELD', 'bf', 'SET', 'u8', '0', '255'], ['BITFIELD', 'bf', 'GET', 'u8', '0'], ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '10'], ['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1'], ['BITFIELD_RO', 'm', 'GET', 'u8', '0'], ['BITFIELD', 'm', 'GET', 'u8', '0']] },
    ]);
  });

  test('generic keys and expiry commands', async (t) => {
    await runCases(t, [
      { name: 'DEL / UNLINK', setup: [['SET', 'a', '1'], ['SET', 'b', '1'], ['SET', 'c', '1']], run: [['DEL', 'a', 'x', 'b'], ['UNLINK', 'c', 'y']] },
      { name: 'EXPIRE family', setup: [['SET', 'a', '1'], ['SET', 'b', '1'], ['SET', 'c', '1'], ['SET', 'd', '1']], run: [['EXPIRE', 'a', '100'], ['EXPIRE', 'a', '100', 'NX'], ['PEXPIRE', 'b', '100000', 'XX'], ['EXPIREAT', 'c', '99999999999'], ['PEXPIREAT', 'd', '99999999999999'], ['EXPIRE', 'missing', '10'], ['PERSIST', 'a'], ['PERSIST', 'a'], ['EXPIRE', 'b', '0'], ['PEXPIREAT', 'c', '1'], ['EXPIRE', 'd', '-5']] },
      { name: 'RENAME / RENAMENX', setup: [['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'x', '3']], run: [['RENAME', 'a', 'b'], ['RENAMENX', 'b', 'x'], ['RENAMENX', 'b', 'c'], ['RENAME', 'c', 'c']] },
      { name: 'MOVE / COPY', setup: [['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3']], run: [['MOVE', 'a', '1'], ['COPY', 'b', 'b2'], ['COPY', 'b', 'c'], ['COPY', 'b', 'c', 'REPLACE'], ['COPY', 'b', 'b3', 'DB', '2'], ['SELECT', '1'], ['DEL', 'a'], ['SELECT', '0']] },
      { name: 'reads of missing keys', run: [['EXISTS', 'm'], ['TYPE', 'm'], ['TTL', 'm'], ['PTTL', 'm'], ['EXPIRETIME', 'm'], ['TOUCH', 'm'], ['OBJECT', 'ENCODING', 'm']] },
      { name: 'FLUSHDB / FLUSHALL / SWAPDB fire nothing', setup: [['SET', 'a', '1']], run: [['SWAPDB', '0', '1'], ['FLUSHDB'], ['SET', 'b', '1'], ['FLUSHALL']] },
      { name: 'lazy expiry on access', setup: [['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'a', '1', 'PX', '1'], ['SET', 'b', '1', 'PX', '1'], ['SET', 'c', '1', 'PX', '1'], ['DEBUG', 'SLEEP', '0.01']], run: [['GET', 'a'], ['EXISTS', 'b'], ['SET', 'c', '2', 'NX'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']] },
      // one key per case: Redis's active expiry samples keys in random order
      { name: 'active expiry (SET PX)', run: [['SET', 'a', '1', 'PX', '20']], wait: 1000 },
      { name: 'active expiry (PSETEX, in db 3)', run: [['SELECT', '3'], ['PSETEX', 'b', '20', '1'], ['SELECT', '0']], wait: 400 },
      { name: 'SORT STORE', setup: [['RPUSH', 'l', '3', '1', '2']], run: [['SORT', 'l', 'STORE', 'dst'], ['SORT', 'missing', 'STORE', 'dst'], ['SORT', 'l', 'STORE', 'dst2']] },
    ]);
  });

  test('lists', async (t) => {
    await runCases(t, [
      { name: 'push / pop', run: [['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'm', 'a'], ['RPUSHX', 'l', 'd'], ['LPOP', 'l'], ['RPOP', 'l', '2'], ['LPOP', 'l'], ['LPOP', 'l'], ['RPOP', 'm']] },
      { name: 'LSET / LINSERT / LREM / LTRIM', setup: [['RPUSH', 'l', 'a', 'b', 'c', 'a']], run: [['LSET', 'l', '0', 'x'], ['LINSERT', 'l', 'BEFORE', 'b', 'y'], ['LINSERT', 'l', 'AFTER', 'nope', 'y'], ['LREM', 'l', '0', 'a'], ['LREM', 'l', '0', 'zz'], ['LTRIM', 'l', '0', '1'], ['LTRIM', 'l', '5', '10']] },
      { name: 'LMOVE / RPOPLPUSH', setup: [['RPUSH', 's', 'a', 'b']], run: [['LMOVE', 's', 'd', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 's', 'd'], ['LMOVE', 'd', 'd', 'LEFT', 'LEFT'], ['RPOPLPUSH', 's', 'd']] },
      { name: 'LMPOP / BLPOP / BLMOVE with data', setup: [['RPUSH', 'a', '1', '2', '3'], ['RPUSH', 'b', '1']], run: [['LMPOP', '2', 'x', 'a', 'LEFT', 'COUNT', '2'], ['BLPOP', 'a', '0'], ['BRPOP', 'b', '0'], ['RPUSH', 'c', '1'], ['BLMOVE', 'c', 'd', 'LEFT', 'LEFT', '0'], ['BLMPOP', '0', '1', 'd', 'RIGHT'], ['BRPOPLPUSH', 'm', 'n', '0.01']] },
      { name: 'list reads: keymiss', run: [['LLEN', 'm'], ['LRANGE', 'm', '0', '-1'], ['LINDEX', 'm', '0'], ['LPOS', 'm', 'a']] },
    ]);
  });

  test('hashes', async (t) => {
    await runCases(t, [
      { name: 'HSET / HMSET / HSETNX', run: [['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', '1'], ['HMSET', 'h', 'c', '3'], ['HSETNX', 'h', 'a', '9'], ['HSETNX', 'h', 'd', '4']] },
      { name: 'HDEL', setup: [['HSET', 'h', 'a', '1', 'b', '2']], run: [['HDEL', 'h', 'x'], ['HDEL', 'h', 'a'], ['HDEL', 'h', 'b', 'c'], ['HDEL', 'h', 'a']] },
      { name: 'HINCRBY / HINCRBYFLOAT', run: [['HINCRBY', 'h', 'a', '1'], ['HINCRBY', 'h', 'a', '-1'], ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HINCRBYFLOAT', 'h', 'f', '0']] },
      { name: 'hash reads: keymiss', run: [['HGET', 'm', 'f'], ['HMGET', 'm', 'a'], ['HGETALL', 'm'], ['HLEN', 'm'], ['HEXISTS', 'm', 'f'], ['HKEYS', 'm'], ['HVALS', 'm'], ['HSTRLEN', 'm', 'f'], ['HRANDFIELD', 'm']] },
    ]);
  });

  test('sets', async (t) => {
    await runCases(t, [
      { name: 'SADD / SREM', run: [['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a'], ['SREM', 's', 'x'], ['SREM', 's', 'a'], ['SREM', 's', 'b', 'c']] },
      { name: 'SPOP (random members)', setup: [['SADD', 's', 'a', 'b', 'c'], ['SADD', 't', 'a']], run: [['SPOP', 's', '0'], ['SPOP', 's', '1'], ['SPOP', 's', '5'], ['SPOP', 't'], ['SPOP', 'm']] },
      { name: 'SMOVE', setup: [['SADD', 's', 'a', 'b'], ['SADD', 'd', 'b']], run: [['SMOVE', 's', 'd', 'x'], ['SMOVE', 's', 'd', 'a'], ['SMOVE', 's', 'd', 'b'], ['SADD', 'e', 'q'], ['SMOVE', 'e', 'e', 'q']] },
      { name: 'SINTERSTORE / SUNIONSTORE / SDIFFSTORE', setup: [['SADD', 'a', '1', '2'], ['SADD', 'b', '2', '3'], ['SET', 'd4', 'x']], run: [['SINTERSTORE', 'd1', 'a', 'b'], ['SUNIONSTORE', 'd2', 'a', 'b'], ['SDIFFSTORE', 'd3', 'a', 'b'], ['SINTERSTORE', 'd1', 'a', 'm'], ['SDIFFSTORE', 'd4', 'm', 'a'], ['SUNIONSTORE', 'd5', 'm']] },
      { name: 'set reads: keymiss', run: [['SCARD', 'm'], ['SISMEMBER', 'm', 'a'], ['SMISMEMBER', 'm', 'a'], ['SMEMBERS', 'm'], ['SRANDMEMBER', 'm'], ['SINTER', 'm', 'n'], ['SUNION', 'm'], ['SDIFF', 'm'], ['SINTERCARD', '1', 'm']] },
    ]);
  });

  test('sorted sets', async (t) => {
    await runCases(t, [
      { name: 'ZADD / ZINCRBY', run: [['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'NX', '5', 'a'], ['ZADD', 'z', 'XX', 'CH', '5', 'a'], ['ZADD', 'z', 'INCR', '1', 'a'], ['ZINCRBY', 'z', '2', 'c'], ['ZADD', 'n', 'XX', '1', 'a']] },
      { name: 'ZREM / ZREMRANGEBY*', setup: [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e']], run: [['ZREM', 'z', 'x'], ['ZREM', 'z', 'a'], ['ZREMRANGEBYSCORE', 'z', '10', '20'], ['ZREMRANGEBYSCORE', 'z', '2', '2'], ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZREMRANGEBYLEX', 'z', '-', '+']] },
      { name: 'ZPOPMIN / ZPOPMAX / ZMPOP / BZPOPMIN', setup: [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd']], run: [['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '1'], ['ZPOPMIN', 'z', '0'], ['ZMPOP', '1', 'z', 'MIN'], ['BZPOPMAX', 'z', '0'], ['ZPOPMIN', 'z'], ['BZMPOP', '0.01', '1', 'm', 'MIN']] },
      { name: 'store commands', setup: [['ZADD', 'a', '1', 'x', '2', 'y'], ['ZADD', 'b', '3', 'y']], run: [['ZUNIONSTORE', 'd1', '2', 'a', 'b'], ['ZINTERSTORE', 'd2', '2', 'a', 'b'], ['ZDIFFSTORE', 'd3', '2', 'a', 'b'], ['ZRANGESTORE', 'd4', 'a', '0', '-1'], ['ZINTERSTORE', 'd1', '2', 'a', 'm'], ['ZRANGESTORE', 'd4', 'a', '5', '6'], ['ZDIFFSTORE', 'd5', '1', 'm']] },
      { name: 'zset reads: keymiss', run: [['ZCARD', 'm'], ['ZSCORE', 'm', 'a'], ['ZRANGE', 'm', '0', '-1'], ['ZRANK', 'm', 'a'], ['ZCOUNT', 'm', '-inf', '+inf'], ['ZRANDMEMBER', 'm'], ['ZMSCORE', 'm', 'a']] },
    ]);
  });

  test('CONFIG GET shows the Redis flag string: A hides n, but new events still fire', async (t) => {
    for (const flags of ['KEAn', 'An', 'gn', 'nm', '$lshzxeKE', 'AKEmn', 'Agn', 'tdn', 'A', '']) {
      await c.do('CONFIG', 'SET', 'notify-keyspace-events', flags);
      await c.do('CONFIG', 'GET', 'notify-keyspace-events');
    }
    await c.error('ERR CONFIG SET failed', 'CONFIG', 'SET', 'notify-keyspace-events', 'KEq');
    await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
    await runCases(t, [{ name: 'new with A', run: [['SET', 'fresh', '1'], ['SET', 'fresh', '2']] }]);
    await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEAnm');
  });

  test('wrong-type errors fire nothing; class masks select events', async (t) => {
    await runCases(t, [
      { name: 'WRONGTYPE', setup: [['SET', 's', 'v'], ['RPUSH', 'l', 'a']], run: [['LPUSH', 's', 'a'], ['INCR', 'l'], ['SADD', 's', 'a'], ['HSET', 'l', 'a', 'b'], ['ZADD', 's', '1', 'a'], ['APPEND', 'l', 'x']] },
    ]);
    // PEXPIRE takes 40 ms, not 1: both servers add the TTL to the clock and compare it with the clock again
    // (checkAlreadyExpired), so a 1 ms TTL that meets a millisecond tick deletes the key ("del") on one side only.
    for (const flags of ['K$', 'Eg', 'Kx', 'El', 'Ksh', 'Ezn', 'Em', 'KEA', 'gK', 'A']) {
      await c.both('CONFIG', 'SET', 'notify-keyspace-events', flags);
      await runCases(t, [{
        name: `flags ${flags}`,
        setup: [['SET', 'x', '1']],
        run: [['SET', 'k', 'v'], ['EXPIRE', 'k', '100'], ['DEL', 'k'], ['GET', 'miss'], ['RPUSH', 'l', 'a'], ['SADD', 's', 'a'], ['HSET', 'h', 'a', '1'], ['ZADD', 'z', '1', 'a'], ['PEXPIRE', 'x', '40'], ['DEBUG', 'SLEEP', '0.06'], ['GET', 'x']],
      }]);
    }
    await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEAnm');
  });
});
