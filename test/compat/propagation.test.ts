/*
 * The propagated command stream, differential: what Nodis hands to replicas
 * (captured in process from the write recorder, SELECT inserted as
 * replicationFeedSlaves does) against what a real redis-server 7.0 sends a
 * replica (read through SYNC, test/helpers/repl-stream.ts), command by command.
 *
 * Each step runs some commands on both servers (replies compared too, unless
 * the step says they are random), then a PUBLISH on a marker channel from a
 * connection in db 0 (PUBLISH is propagated to replicas); the commands before
 * the marker on each side are the step's stream (a SELECT the marker itself
 * caused is dropped). Nondeterminism is normalised only where Redis's own
 * output varies: absolute ms timestamps (PXAT, PEXPIREAT, XCLAIM TIME, stream
 * ids from *) compare within a tolerance; a step may mask random members.
 * Active expiry is off on both (DEBUG SET-ACTIVE-EXPIRE 0), so lazy expiry
 * is deterministic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { usePair, type Arg, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { NodisStream, ReplStream, type Argv } from '../helpers/repl-stream.js';
import type { RawClient } from '../helpers/resp-client.js';

const MARK = '__propagation_mark__';
/** absolute ms timestamps (and stream ids' ms part) may differ by this much */
const TOLERANCE_MS = 3000;

/** Two arguments agree: equal, or both ms timestamps / stream ids near each other. */
function argsAgree(a: string, b: string): boolean {
  if (a === b) return true;
  const ts = /^1\d{12}$/;
  if (ts.test(a) && ts.test(b)) return Math.abs(Number(a) - Number(b)) <= TOLERANCE_MS;
  const id = /^(1\d{12})-(\d+)$/;
  const x = id.exec(a);
  const y = id.exec(b);
  // an id from * (ms time, then a sequence that depends on how many ids fell in that ms)
  return x !== null && y !== null && Math.abs(Number(x[1]) - Number(y[1])) <= TOLERANCE_MS;
}

function streamsAgree(ours: Argv[], theirs: Argv[]): boolean {
  if (ours.length !== theirs.length) return false;
  return ours.every((a, i) => a.length === theirs[i]!.length && a.every((x, j) => argsAgree(x, theirs[i]![j]!)));
}

const byArgs = (a: Argv, b: Argv): number => (a.join(' ') < b.join(' ') ? -1 : a.join(' ') > b.join(' ') ? 1 : 0);
/** PROPAGATION_VERBOSE=1 prints every step's two streams */
const VERBOSE = process.env['PROPAGATION_VERBOSE'] === '1';

const show = (s: Argv[]): string => s.length === 0 ? '(nothing)' : s.map((a) => a.join(' ')).join(' | ');

interface Step {
  /** commands run on the main connection */
  run: Arg[][];
  /** replies may differ (random members) */
  randomReplies?: boolean;
  /** applied to every propagated argv on both sides before comparing */
  mask?: (a: Argv) => Argv;
  /** the order of the commands may differ (hash-table order of SCAN) */
  unordered?: boolean;
}

describe('propagation to replicas', { skip: skipWithoutRedis() }, () => {
  const p = usePair({ redis: ['repl-ping-replica-period 3600', 'repl-diskless-sync no'] });
  let c: PairClient;
  let marker: PairClient;
  let theirs: ReplStream;
  let ours: NodisStream;
  let seq = 0;
  /** the current test's mismatches, all reported at its end */
  let bad: string[] = [];
  /** A test whose steps all run; every mismatch is reported together. */
  const check = (name: string, fn: () => Promise<void>): void => {
    test(name, async () => {
      bad = [];
      await step('FLUSHALL first', [['FLUSHALL']]);
      await fn();
      assert.deepEqual(bad, [], bad.join('\n'));
    });
  };

  before(async () => {
    c = await p.client();
    marker = await p.client({ flush: false });
    theirs = await ReplStream.connect(p.redis.port);
    ours = new NodisStream(p.nodis.server);
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await mark();
  });
  after(() => { theirs?.close(); ours?.close(); });

  /** End a step: the marker on both sides; the two streams before it. */
  async function mark(): Promise<[Argv[], Argv[]]> {
    const n = String(++seq);
    await marker.do('PUBLISH', MARK, n);
    const isMark = (a: Argv): boolean => a[0] === 'PUBLISH' && a[1] === MARK && a[2] === n;
    const segs = await Promise.all([ours.until(isMark), theirs.until(isMark)]);
    for (const s of segs) {
      const last = s[s.length - 1];
      if (last !== undefined && last[0] === 'SELECT' && last[1] === '0') s.pop();
    }
    return segs;
  }

  /** Run a step; its streams must agree. */
  async function step(name: string, s: Step | Arg[][]): Promise<void> {
    const st: Step = Array.isArray(s) ? { run: s } : s;
    const replies: string[] = [];
    for (const a of st.run) {
      const [x, y] = await c.both(...a);
      if (x !== y && !st.randomReplies) replies.push(`${a.join(' ')}: nodis ${JSON.stringify(x)} vs redis ${JSON.stringify(y)}`);
    }
    let [o, t] = await mark();
    if (st.mask) { o = o.map(st.mask); t = t.map(st.mask); }
    if (st.unordered) { o.sort(byArgs); t.sort(byArgs); }
    if (VERBOSE) process.stderr.write(`${name}\n  nodis: ${show(o)}\n  redis: ${show(t)}\n`);
    if (replies.length > 0) bad.push(`${name}: replies differ: ${replies.join('; ')}`);
    if (!streamsAgree(o, t)) bad.push(`${name}:\n  nodis: ${show(o)}\n  redis: ${show(t)}`);
  }

  /** Send on both without waiting for the reply (a command that blocks). */
  function send(x: PairClient, ...args: Arg[]): void { x.ours.send(...args); x.theirs.send(...args); }
  async function read(x: PairClient): Promise<void> {
    const [a, b] = await Promise.all([x.ours.read(3000), x.theirs.read(3000)]);
    assert.equal(JSON.stringify(a), JSON.stringify(b));
  }
  async function blockedClients(r: RawClient): Promise<number> {
    return Number(/blocked_clients:(\d+)/.exec(await r.call('INFO', 'clients'))![1]);
  }
  async function waitBlocked(n: number): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const [a, b] = await Promise.all([blockedClients(marker.ours), blockedClients(marker.theirs)]);
      if (a === n && b === n) return;
      await sleep(5);
    }
    const [a, b] = await Promise.all([blockedClients(marker.ours), blockedClients(marker.theirs)]);
    assert.fail(`not ${n} blocked clients on both: nodis ${a}, redis ${b}`);
  }
  /** Run `block` on a second connection, wait until it blocks, run `wake` on the main one. */
  async function blockedStep(name: string, setup: Arg[][], block: Arg[], wake: Arg[][]): Promise<void> {
    const w = await p.client({ flush: false });
    for (const a of setup) await c.do(...a);
    send(w, ...block);
    await waitBlocked(1);
    const ran: Arg[][] = [];
    for (const a of wake) ran.push(a);
    await step(name, { run: ran });
    await read(w);
    w.close();
  }

  const future = (s: number): string => String(Math.floor(Date.now() / 1000) + s);
  const futureMs = (ms: number): string => String(Date.now() + ms);

  check('SET family', async () => {
    await step('SET', [['SET', 'k', 'v']]);
    await step('SET NX fails', [['SET', 'k', 'v', 'NX']]);
    await step('SET XX GET', [['SET', 'k', 'w', 'XX', 'GET']]);
    await step('SET GET alone', [['SET', 'k', 'w2', 'GET']]);
    await step('SET EX', [['SET', 'k', 'v', 'EX', '100']]);
    await step('SET PX GET', [['SET', 'k', 'v', 'PX', '100000', 'GET']]);
    await step('SET EXAT', [['SET', 'k', 'v', 'EXAT', future(100)]]);
    await step('SET PXAT', [['SET', 'k', 'v', 'PXAT', futureMs(100000)]]);
    await step('SET KEEPTTL', [['SET', 'k', 'v2', 'KEEPTTL']]);
    await step('SET ex lowercase with NX on new key', [['SET', 'n1', 'v', 'ex', '50', 'nx']]);
    await step('SETEX / PSETEX', [['SETEX', 'k', '10', 'v'], ['PSETEX', 'k', '5000', 'v']]);
    await step('SETNX', [['SETNX', 'k', 'v'], ['SETNX', 'k2', 'v']]);
    await step('GETSET', [['GETSET', 'k', 'x']]);
    await step('MSET / MSETNX', [['MSET', 'k', '1', 'z', '2'], ['MSETNX', 'k', '1', 'q', '2'], ['MSETNX', 'q1', '1', 'q2', '2']]);
    await step('APPEND / SETRANGE / INCR family', [['APPEND', 'a', 'x'], ['SETRANGE', 'a', '3', 'y'], ['SETRANGE', 'a', '0', ''], ['INCR', 'i'], ['INCRBY', 'i', '5'], ['DECR', 'i'], ['DECRBY', 'i', '2']]);
    await step('INCRBYFLOAT', [['SET', 'f', '1', 'EX', '100'], ['INCRBYFLOAT', 'f', '1.5'], ['INCRBYFLOAT', 'g', '3.0e3']]);
    await step('SETBIT / BITFIELD / BITOP', [['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '1'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '255'], ['BITFIELD', 'bf', 'GET', 'u8', '0'], ['BITOP', 'OR', 'dst', 'b', 'bf']]);
    await step('writes that change nothing', [['APPEND', 'a', ''], ['SETRANGE', 'nx', '0', ''], ['BITFIELD', 'bf', 'GET', 'u8', '0']]);
  });

  check('hyperloglog', async () => {
    await step('PFADD new / changed / unchanged', [['PFADD', 'h', 'a', 'b'], ['PFADD', 'h', 'c'], ['PFADD', 'h', 'a'], ['PFADD', 'h'], ['PFADD', 'e']]);
    // PFCOUNT propagates when it writes the cached cardinality, not when the cache is valid or with several keys
    await step('PFCOUNT', [['PFCOUNT', 'h'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'e'], ['PFCOUNT', 'missing']]);
    await step('PFMERGE', [['PFMERGE', 'm', 'h', 'e'], ['PFMERGE', 'm']]);
    await step('PFDEBUG', [['PFDEBUG', 'ENCODING', 'm'], ['PFDEBUG', 'DECODE', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'GETREG', 'h']]);
  });

  check('GETEX / GETDEL', async () => {
    await step('setup', [['SET', 'k', 'v'], ['SET', 'd', 'v']]);
    await step('GETEX no option', [['GETEX', 'k']]);
    await step('GETEX EX', [['GETEX', 'k', 'EX', '50']]);
    await step('GETEX PX', [['GETEX', 'k', 'PX', '50000']]);
    await step('GETEX EXAT', [['GETEX', 'k', 'EXAT', future(100)]]);
    await step('GETEX PXAT', [['GETEX', 'k', 'PXAT', futureMs(100000)]]);
    await step('GETEX PERSIST', [['GETEX', 'k', 'PERSIST'], ['GETEX', 'k', 'PERSIST']]);
    await step('GETEX past EXAT', [['GETEX', 'k', 'EXAT', '1']]);
    await step('GETDEL', [['GETDEL', 'd'], ['GETDEL', 'd']]);
    await step('GETEX past EXAT, lazyfree', [['SET', 'k', 'v'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'], ['GETEX', 'k', 'PXAT', '1'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no']]);
  });

  check('EXPIRE family', async () => {
    await step('setup', [['MSET', 'a', '1', 'b', '1', 'c', '1', 'd', '1', 'e', '1']]);
    await step('EXPIRE', [['EXPIRE', 'a', '100']]);
    await step('EXPIRE NX (no change)', [['EXPIRE', 'a', '100', 'NX']]);
    await step('EXPIRE GT', [['EXPIRE', 'a', '200', 'GT']]);
    await step('PEXPIRE XX', [['PEXPIRE', 'b', '100000', 'XX'], ['PEXPIRE', 'b', '100000']]);
    await step('EXPIREAT', [['EXPIREAT', 'c', future(1000)]]);
    await step('PEXPIREAT', [['PEXPIREAT', 'd', futureMs(1000000)]]);
    await step('EXPIRE missing', [['EXPIRE', 'missing', '10']]);
    await step('PERSIST', [['PERSIST', 'a'], ['PERSIST', 'a']]);
    await step('EXPIRE 0 -> DEL', [['EXPIRE', 'b', '0']]);
    await step('PEXPIREAT past -> DEL', [['PEXPIREAT', 'c', '1']]);
    await step('EXPIRE negative -> DEL', [['EXPIRE', 'd', '-5']]);
    await step('EXPIREAT past lazyfree -> UNLINK', [['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'], ['EXPIREAT', 'e', '1'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no']]);
  });

  check('hashes, sets, zsets', async () => {
    await step('HSET / HINCRBY / HINCRBYFLOAT', [['HSET', 'h', 'a', '1'], ['HSETNX', 'h', 'a', '2'], ['HINCRBY', 'h', 'a', '2'], ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HINCRBYFLOAT', 'h', 'f', '1e2'], ['HDEL', 'h', 'zz'], ['HDEL', 'h', 'a', 'f']]);
    await step('SADD / SREM / SMOVE', [['SADD', 's', 'a', 'b'], ['SADD', 's', 'a'], ['SREM', 's', 'x'], ['SMOVE', 's', 't', 'a'], ['SMOVE', 's', 't', 'zz']]);
    await step('SRANDMEMBER does not propagate', { run: [['SADD', 'r', 'a', 'b', 'c'], ['SRANDMEMBER', 'r'], ['SRANDMEMBER', 'r', '2']], randomReplies: true });
    await step('SPOP single member set', [['SADD', 'one', 'x'], ['SPOP', 'one']]);
    await step('SPOP count >= size -> DEL', { run: [['SADD', 'p', 'a', 'b'], ['SPOP', 'p', '5']], randomReplies: true });
    await step('SPOP count 0 / missing', [['SADD', 'p', 'a'], ['SPOP', 'p', '0'], ['SPOP', 'nope', '3'], ['SPOP', 'nope']]);
    const maskMember = (a: Argv): Argv => a[0] === 'SREM' ? [a[0], a[1]!, '?'] : a;
    await step('SPOP random member', { run: [['SADD', 'p', 'a', 'b', 'c'], ['SPOP', 'p']], randomReplies: true, mask: maskMember });
    await step('SPOP count (small)', { run: [['SADD', 'p', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], ['SPOP', 'p', '2']], randomReplies: true, mask: maskMember });
    await step('SPOP count (most of the set)', { run: [['SADD', 'p', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'], ['SPOP', 'p', '10']], randomReplies: true, mask: maskMember });
    await step('SPOP count (big set)', { run: [['DEL', 'p'], ['SADD', 'p', ...Array.from({ length: 300 }, (_, i) => `m${i}`)], ['SPOP', 'p', '3']], randomReplies: true, mask: maskMember });
    await step('STORE commands', [['SADD', 'x', '1', '2'], ['SADD', 'y', '2'], ['SINTERSTORE', 'd1', 'x', 'y'], ['SUNIONSTORE', 'd2', 'x', 'nope'], ['SDIFFSTORE', 'd3', 'nope', 'x'], ['SDIFFSTORE', 'd4', 'nope', 'x']]);
    await step('ZADD / ZINCRBY / ZREM', [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'z', 'INCR', '1', 'a'], ['ZADD', 'z', 'NX', '5', 'a'], ['ZINCRBY', 'z', '0.5', 'b'], ['ZREM', 'z', 'zz'], ['ZRANGESTORE', 'zd', 'z', '0', '1'], ['ZUNIONSTORE', 'zu', '1', 'z'], ['ZREMRANGEBYRANK', 'zu', '0', '0']]);
    await step('ZPOPMIN / ZMPOP', [['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '1'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZMPOP', '2', 'nope', 'z', 'MIN', 'COUNT', '2'], ['ZMPOP', '1', 'z', 'MAX', 'COUNT', '9'], ['ZMPOP', '1', 'z', 'MAX']]);
    await step('BZPOPMIN / BZMPOP with data', [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'z', '0'], ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5']]);
  });

  check('lists', async () => {
    await step('push / pop', [['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['LPUSHX', 'nope', 'a'], ['LPOP', 'l'], ['RPOP', 'l', '1'], ['LPOP', 'nope'], ['LPOP', 'l', '0'], ['LPOP', 'l', '9']]);
    await step('LMPOP', [['RPUSH', 'l', 'a', 'b', 'c'], ['LMPOP', '2', 'nope', 'l', 'LEFT', 'COUNT', '2'], ['LMPOP', '1', 'l', 'RIGHT'], ['LMPOP', '1', 'l', 'RIGHT']]);
    await step('LMOVE / RPOPLPUSH', [['RPUSH', 's', 'a', 'b', 'c'], ['LMOVE', 's', 'd', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 's', 'd'], ['LMOVE', 'd', 'd', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'nope', 'd']]);
    await step('LSET / LINSERT / LREM / LTRIM', [['RPUSH', 'm', 'a', 'b', 'a'], ['LSET', 'm', '0', 'x'], ['LINSERT', 'm', 'BEFORE', 'b', 'y'], ['LINSERT', 'm', 'AFTER', 'zz', 'y'], ['LREM', 'm', '0', 'a'], ['LREM', 'm', '0', 'a'], ['LTRIM', 'm', '0', '1'], ['LTRIM', 'm', '0', '-1']]);
    await step('blocking commands served at once', [['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['BLPOP', 'nope', 'l', '0'], ['BRPOP', 'l', '0'], ['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '2'], ['BRPOPLPUSH', 'l', 'l2', '0'], ['BLMOVE', 'l2', 'l', 'LEFT', 'RIGHT', '0'], ['BLMOVE', 'nope', 'l', 'LEFT', 'RIGHT', '0.01']]);
    await step('blocking commands inside MULTI', [['RPUSH', 'l', 'a'], ['MULTI'], ['BLPOP', 'l', '0'], ['BLPOP', 'l', '0'], ['EXEC']]);
  });

  check('blocking commands woken by a push', async () => {
    await blockedStep('BLPOP', [], ['BLPOP', 'bl', '0'], [['RPUSH', 'bl', 'a', 'b']]);
    await blockedStep('BRPOP', [], ['BRPOP', 'bl2', 'bl2b', '0'], [['LPUSH', 'bl2b', 'x']]);
    await blockedStep('BLMPOP', [], ['BLMPOP', '0', '2', 'x', 'bl3', 'RIGHT', 'COUNT', '2'], [['RPUSH', 'bl3', 'a', 'b', 'c']]);
    await blockedStep('BRPOPLPUSH', [], ['BRPOPLPUSH', 'bl4', 'dst', '0'], [['RPUSH', 'bl4', 'a']]);
    await blockedStep('BLMOVE', [], ['BLMOVE', 'bl5', 'dst', 'LEFT', 'LEFT', '0'], [['RPUSH', 'bl5', 'a', 'b']]);
    await blockedStep('BLPOP woken inside MULTI', [], ['BLPOP', 'bl6', '0'], [['MULTI'], ['RPUSH', 'bl6', 'a'], ['SET', 'x', '1'], ['EXEC']]);
    await blockedStep('BZPOPMIN', [], ['BZPOPMIN', 'bz', '0'], [['ZADD', 'bz', '1', 'a', '2', 'b']]);
    await blockedStep('BZMPOP', [], ['BZMPOP', '0', '1', 'bz2', 'MAX', 'COUNT', '5'], [['ZADD', 'bz2', '1', 'a', '2', 'b']]);
    await blockedStep('BLPOP woken in another db', [], ['BLPOP', 'bl7', '0'], [['SELECT', '2'], ['RPUSH', 'bl7', 'x'], ['SELECT', '0'], ['RPUSH', 'bl7', 'y']]);
  });

  check('blocking commands: chains, several waiters, wrong type', async () => {
    const w1 = await p.client({ flush: false });
    const w2 = await p.client({ flush: false });
    send(w1, 'BLMOVE', 'c1', 'c2', 'LEFT', 'LEFT', '0');
    await waitBlocked(1);
    send(w2, 'BLMPOP', '0', '1', 'c2', 'LEFT', 'COUNT', '5');
    await waitBlocked(2);
    await step('BLMOVE then BLMPOP on its destination', [['RPUSH', 'c1', 'a', 'b']]);
    await read(w1);
    await read(w2);
    send(w1, 'BLPOP', 'q', '0');
    await waitBlocked(1);
    send(w2, 'BRPOP', 'q', '0');
    await waitBlocked(2);
    await step('two waiters, one push of three', [['RPUSH', 'q', 'a', 'b', 'c']]);
    await read(w1);
    await read(w2);
    send(w1, 'BLPOP', 'q2', '0');
    await waitBlocked(1);
    await step('push and pop in one transaction, waiter served after', [['MULTI'], ['RPUSH', 'q2', 'a', 'b'], ['LPOP', 'q2'], ['EXEC']]);
    await read(w1);
    send(w1, 'BLPOP', 'q3', '0');
    await waitBlocked(1);
    await step('push in a script', [['EVAL', "redis.call('RPUSH', KEYS[1], 'a'); return redis.call('SET', 'x', 1)", '1', 'q3']]);
    await read(w1);
    send(w1, 'BLMOVE', 'rot', 'rot', 'RIGHT', 'LEFT', '0');
    await waitBlocked(1);
    await step('BLMOVE rotating one list', [['RPUSH', 'rot', 'a', 'b']]);
    await read(w1);
    send(w1, 'BLMOVE', 'src', 'wrong', 'LEFT', 'LEFT', '0');
    await waitBlocked(1);
    await step('BLMOVE woken onto a wrong-type destination', [['SET', 'wrong', 'x'], ['RPUSH', 'src', 'a']]);
    await read(w1);
    send(w1, 'BZMPOP', '0', '1', 'zq', 'MIN');
    await waitBlocked(1);
    await step('BZMPOP woken', [['ZADD', 'zq', '1', 'a', '2', 'b']]);
    await read(w1);
    w1.close();
    w2.close();
  });

  check('MULTI / EXEC', async () => {
    await step('two writes wrapped', [['MULTI'], ['SET', 'a', '1'], ['INCR', 'b'], ['EXEC']]);
    await step('single write not wrapped', [['MULTI'], ['SET', 'a', '2'], ['GET', 'a'], ['EXEC']]);
    await step('reads only', [['MULTI'], ['GET', 'a'], ['EXEC']]);
    await step('SELECT inside', [['MULTI'], ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'a', '2'], ['SELECT', '0'], ['EXEC']]);
    await step('starting in another db', [['SELECT', '3'], ['MULTI'], ['SET', 'a', '1'], ['SET', 'b', '1'], ['EXEC'], ['SELECT', '0']]);
    await step('runtime error in the middle', [['MULTI'], ['SET', 'a', 'x'], ['INCR', 'a'], ['SET', 'c', '1'], ['EXEC']]);
    await step('rewritten commands inside', [['MULTI'], ['SET', 'a', '1', 'EX', '100'], ['EXPIRE', 'a', '200'], ['INCRBYFLOAT', 'f', '1'], ['EXEC']]);
    await step('DISCARD', [['MULTI'], ['SET', 'a', '1'], ['DISCARD']]);
  });

  check('scripts', async () => {
    await step('two writes wrapped', [['EVAL', "redis.call('SET', KEYS[1], 'a'); return redis.call('INCR', KEYS[2])", '2', 'x', 'y']]);
    await step('one write not wrapped', [['EVAL', "return redis.call('SET', KEYS[1], 'b')", '1', 'x']]);
    await step('reads only', [['EVAL', "return redis.call('GET', KEYS[1])", '1', 'x']]);
    await step('rewritten commands', [['EVAL', "redis.call('SET', KEYS[1], 'v', 'EX', 100); redis.call('EXPIRE', KEYS[1], 50); return redis.call('INCRBYFLOAT', KEYS[2], 1)", '2', 'x', 'f']]);
    await step('SELECT inside', [['EVAL', "redis.call('SET', 'a', 1); redis.call('SELECT', 5); redis.call('SET', 'a', 2); return 1", '0']]);
    await step('SPOP random in a script', [['SADD', 'one', 'm'], ['EVAL', "return redis.call('SPOP', KEYS[1])", '1', 'one']]);
    await step('PUBLISH in a script', [['EVAL', "redis.call('SET', KEYS[1], 1); return redis.call('PUBLISH', 'ch', 'm')", '1', 'x'], ['EVAL', "return redis.call('PUBLISH', 'ch', 'm')", '0']]);
    await step('error after a write', [['EVAL', "redis.call('SET', KEYS[1], 'x'); return redis.pcall('INCR', KEYS[1])", '1', 'x']]);
    await step('SCRIPT LOAD', [['SCRIPT', 'LOAD', "return redis.call('SET', KEYS[1], ARGV[1])"]]);
    const sha = (await c.do('SCRIPT', 'LOAD', "return redis.call('SET', KEYS[1], ARGV[1])")).split('\r\n')[1]!;
    await step('EVALSHA', [['EVALSHA', sha, '1', 'k', 'v']]);
    await step('SCRIPT FLUSH', [['SCRIPT', 'FLUSH']]);
    await step('EVAL_RO', [['EVAL_RO', "return redis.call('GET', KEYS[1])", '1', 'k']]);
    await step('two PUBLISHes in a script', [['EVAL', "redis.call('PUBLISH', 'ch', 'a'); return redis.call('PUBLISH', 'ch', 'b')", '0']]);
    await step('redis.set_repl', [['EVAL', "redis.set_repl(redis.REPL_NONE); redis.call('SET', 'n', 1); redis.set_repl(redis.REPL_AOF); redis.call('SET', 'a', 1); redis.set_repl(redis.REPL_REPLICA); redis.call('SET', 'r', 1); redis.set_repl(redis.REPL_ALL); return redis.call('SET', 'all', 1)", '0']]);
    await step('redis.set_repl, one replicated write', [['EVAL', "redis.set_repl(redis.REPL_AOF); redis.call('SET', 'a', 1); redis.set_repl(redis.REPL_REPLICA); return redis.call('SET', 'r', 1)", '0']]);
    await step('FLUSHALL / SWAPDB in a script', [['EVAL', "redis.call('SET', 'a', 1); redis.call('FLUSHALL'); return redis.call('SWAPDB', 0, 1)", '0']]);
    await step('FUNCTION FLUSH', [['FUNCTION', 'FLUSH'], ['FUNCTION', 'FLUSH', 'ASYNC']]);
    await step('script inside MULTI', [['MULTI'], ['SET', 'q', '1'], ['EVAL', "redis.call('SET', KEYS[1], 1); return redis.call('SET', KEYS[2], 2)", '2', 'a', 'b'], ['EXEC']]);
  });

  check('PUBLISH', async () => {
    await step('PUBLISH', [['PUBLISH', 'ch', 'hello']]);
    await step('PUBLISH from another db', [['SELECT', '4'], ['PUBLISH', 'ch', 'x'], ['SELECT', '0']]);
    await step('PUBLISH in MULTI', [['MULTI'], ['PUBLISH', 'ch', 'a'], ['SET', 'a', '1'], ['EXEC']]);
  });

  check('lazy expiry', async () => {
    const expired = async (...keys: string[]): Promise<void> => {
      for (const k of keys) await c.do('SET', k, 'v', 'PX', '1');
      await mark();
      await sleep(10);
    };
    await expired('a', 'b', 'c', 'd');
    await step('GET / EXISTS / TTL of expired keys', [['GET', 'a'], ['EXISTS', 'b'], ['TTL', 'c'], ['TYPE', 'd']]);
    await expired('a');
    await step('write to an expired key', [['SET', 'a', '2']]);
    await expired('a');
    await step('INCR of an expired key', [['INCR', 'a']]);
    await expired('a');
    await step('SET NX on an expired key', [['SET', 'a', '2', 'NX']]);
    await expired('a', 'b');
    await step('DEL of expired keys', [['DEL', 'a', 'b']]);
    await expired('a');
    await step('inside MULTI', [['MULTI'], ['GET', 'a'], ['SET', 'x', '1'], ['EXEC']]);
    await expired('a');
    await step('inside MULTI, reads only', [['MULTI'], ['GET', 'a'], ['EXEC']]);
    await expired('a');
    await step('inside a script', [['EVAL', "redis.call('GET', KEYS[1]); return redis.call('SET', KEYS[2], 1)", '2', 'a', 'x']]);
    await expired('a', 'b');
    await step('SCAN (touches arbitrary keys: not wrapped)', { run: [['SCAN', '0', 'COUNT', '100']], randomReplies: true, unordered: true });
    await expired('a', 'b');
    await step('KEYS does not delete', [['KEYS', '*']]);
    await c.do('DEL', 'a', 'b', 'x');
    await expired('a');
    await step('lazyfree-lazy-expire -> UNLINK', [['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'], ['GET', 'a'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no']]);
    await c.do('SELECT', '6');
    await expired('a');
    await step('in another db', [['GET', 'a'], ['SELECT', '0']]);
    await expired('a');
    await step('RENAME of an expired key', { run: [['RENAME', 'a', 'b'], ['COPY', 'a', 'b']] });
    await expired('a');
    await step('LPUSH onto an expired key', [['LPUSH', 'a', 'x']]);
    await c.do('FLUSHALL');
    await c.do('SET', 'x', 'x');
    const dumpOfX = Buffer.from((await c.theirs.call('DUMP', 'x')).split('\r\n')[1]!, 'latin1');
    await expired('a', 'b');
    await step('MGET of two expired keys', [['MGET', 'a', 'b', 'c']]);
    // writes whose target (or source) key has expired
    const onExpired: [string, Arg[][]][] = [
      ['MSET', [['MSET', 'a', '1', 'x', '2']]],
      ['SETEX', [['SETEX', 'a', '100', 'v']]],
      ['GETSET', [['GETSET', 'a', 'v']]],
      ['APPEND', [['APPEND', 'a', 'v']]],
      ['SETRANGE', [['SETRANGE', 'a', '1', 'v']]],
      ['INCRBYFLOAT', [['INCRBYFLOAT', 'a', '1.5']]],
      ['GETEX', [['GETEX', 'a', 'EX', '100']]],
      ['GETDEL', [['GETDEL', 'a']]],
      ['EXPIRE', [['EXPIRE', 'a', '100']]],
      ['PERSIST', [['PERSIST', 'a']]],
      ['TOUCH', [['TOUCH', 'a']]],
      ['RENAME onto', [['SET', 'src', '1'], ['RENAME', 'src', 'a']]],
      ['RENAMENX onto', [['SET', 'src', '1'], ['RENAMENX', 'src', 'a']]],
      ['COPY onto', [['SET', 'src', '1'], ['COPY', 'src', 'a']]],
      ['SORT STORE onto', [['RPUSH', 'src', '1'], ['SORT', 'src', 'STORE', 'a']]],
      ['SUNIONSTORE onto', [['SADD', 'src', '1'], ['SUNIONSTORE', 'a', 'src']]],
      ['SINTERSTORE empty onto', [['SINTERSTORE', 'a', 'nope']]],
      ['ZUNIONSTORE onto', [['ZADD', 'src', '1', 'm'], ['ZUNIONSTORE', 'a', '1', 'src']]],
      ['ZRANGESTORE onto', [['ZADD', 'src', '1', 'm'], ['ZRANGESTORE', 'a', 'src', '0', '-1']]],
      ['BITOP onto', [['SET', 'src', 'x'], ['BITOP', 'NOT', 'a', 'src']]],
      ['LMOVE onto', [['RPUSH', 'src', 'x'], ['LMOVE', 'src', 'a', 'LEFT', 'LEFT']]],
      ['SMOVE onto', [['SADD', 'src', 'x'], ['SMOVE', 'src', 'a', 'x']]],
      ['HSET', [['HSET', 'a', 'f', 'v']]],
      ['HINCRBYFLOAT', [['HINCRBYFLOAT', 'a', 'f', '1']]],
      ['SADD', [['SADD', 'a', 'm']]],
      ['ZADD', [['ZADD', 'a', '1', 'm']]],
      ['XADD', [['XADD', 'a', '1-1', 'f', 'v']]],
      ['XGROUP CREATE MKSTREAM', [['XGROUP', 'CREATE', 'a', 'g', '$', 'MKSTREAM']]],
      ['RESTORE', [['RESTORE', 'a', '0', dumpOfX]]],
    ];
    for (const [name, cmds] of onExpired) {
      await c.do('FLUSHALL');
      await expired('a');
      await step(`${name} on an expired key`, cmds);
    }
    await c.do('FLUSHALL');
    await c.do('SELECT', '1');
    await expired('a');
    await c.do('SELECT', '0');
    await step('MOVE onto a key expired in the target db', [['SET', 'a', '1'], ['MOVE', 'a', '1']]);
    await c.do('FLUSHALL');
    await expired('a');
    await step('COPY from an expired key', [['COPY', 'a', 'b']]);
    await expired('a', 'b', 'c');
    await step('RANDOMKEY (touches arbitrary keys: not wrapped)', { run: [['RANDOMKEY']], unordered: true });
    await expired('a');
    await step('EXPIRE past time inside MULTI', [['SET', 'b', '1'], ['MULTI'], ['EXPIRE', 'b', '0'], ['GET', 'a'], ['EXEC']]);
  });

  check('writes that change nothing, or always count', async () => {
    await step('setup', [['ZADD', 'z', '1', 'a'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'm'], ['RPUSH', 'l', 'a'], ['SET', 'n', '5'], ['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', '0']]);
    await step('ZADD same score / ZINCRBY 0', [['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'XX', '2', 'nope'], ['ZINCRBY', 'z', '0', 'a'], ['ZADD', 'z', 'GT', '0', 'a']]);
    await step('HSET same value / HINCRBYFLOAT 0', [['HSET', 'h', 'f', 'v'], ['HINCRBYFLOAT', 'h', 'g', '0'], ['HSETNX', 'h', 'f', 'w']]);
    await step('SMOVE to itself', [['SMOVE', 's', 's', 'm']]);
    await step('LSET same value', [['LSET', 'l', '0', 'a']]);
    await step('INCRBY 0 / overflow', [['INCRBY', 'n', '0'], ['INCRBY', 'n', '9223372036854775807']]);
    await step('BITFIELD OVERFLOW FAIL', [['SET', 'b', '\xff'], ['BITFIELD', 'b', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '10']]);
    await step('SWAPDB with itself', [['SWAPDB', '0', '0']]);
    await step('stream no-ops', [['XACK', 'x', 'g', '9-9'], ['XTRIM', 'x', 'MAXLEN', '5'], ['XDEL', 'x', '9-9'], ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c'], ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c'], ['XSETID', 'x', '1-1']]);
    await step('XADD MINID ~ / LIMIT', [['XADD', 'x', 'MINID', '~', '0', '2-1', 'f', 'v'], ['XADD', 'x', 'MAXLEN', '~', '1', 'LIMIT', '10', '3-1', 'f', 'v'], ['XADD', 'x', 'MINID', '3-1', '4-1', 'f', 'v']]);
    await step('EXPIRE GT fails / same TTL', [['SET', 'e', '1', 'PXAT', '99999999999999'], ['PEXPIREAT', 'e', '99999999999999'], ['PEXPIREAT', 'e', '9999999999999', 'GT']]);
    await step('WATCH abort / empty EXEC', [['WATCH', 'n'], ['SET', 'n', '1'], ['MULTI'], ['SET', 'n', '2'], ['EXEC'], ['MULTI'], ['EXEC']]);
    await step('script error after a write', [['EVAL', "redis.call('SET', 'se', 1); return redis.call('INCR', 'h')", '0']]);
    await step('SPUBLISH', [['SPUBLISH', 'sch', 'm'], ['MULTI'], ['PUBLISH', 'ch', 'x'], ['EXEC']]);
    await step('float formats', [['INCRBYFLOAT', 'fl', '0.1'], ['INCRBYFLOAT', 'fl', '0.2'], ['INCRBYFLOAT', 'fl', '1e-5'], ['INCRBYFLOAT', 'fl', '5.0e3'], ['INCRBYFLOAT', 'fl', '-5000.30001'],
      ['HINCRBYFLOAT', 'hf', 'f', '0.1'], ['HINCRBYFLOAT', 'hf', 'f', '0.2'], ['HINCRBYFLOAT', 'hf', 'f', '1.5e10'], ['ZINCRBY', 'zf', '0.1', 'm'], ['ZINCRBY', 'zf', '1e2', 'm']]);
    await step('keys carrying a TTL', [['SET', 't', '1', 'EX', '100'], ['RENAME', 't', 't2'], ['COPY', 't2', 't3'], ['MOVE', 't3', '3'], ['COPY', 't2', 't4', 'DB', '4']]);
    const dump = Buffer.from((await c.theirs.call('DUMP', 't2')).split('\r\n')[1]!, 'latin1');
    await step('RESTORE past ABSTTL / IDLETIME', [['RESTORE', 't2', '1', dump, 'ABSTTL', 'REPLACE'], ['RESTORE', 'i', '0', dump, 'IDLETIME', '100'], ['RESTORE', 'i2', '0', dump, 'FREQ', '5']]);
    await step('script: EXPIRE 0, LMPOP, ZMPOP', [['RPUSH', 'sl', 'a', 'b'], ['ZADD', 'sz', '1', 'a'], ['EVAL', "redis.call('SET', 'e0', 1); redis.call('EXPIRE', 'e0', 0); redis.call('LMPOP', 1, 'sl', 'LEFT'); return redis.call('ZMPOP', 1, 'sz', 'MIN')", '0']]);
  });

  check('active expiry', async () => {
    await step('a key expires in the background', [['SET', 'a', '1', 'PX', '10'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']]);
    await sleep(500);
    await step('its DEL', [['DEBUG', 'SET-ACTIVE-EXPIRE', '0']]);
  });

  check('eviction', async () => {
    await step('setup', [['SET', 'a', '1']]);
    await step('allkeys-lru, evicted on the next command', [['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['CONFIG', 'SET', 'maxmemory', '1'], ['GET', 'a'], ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']]);
    await step('setup', [['SET', 'a', '1'], ['CONFIG', 'SET', 'lazyfree-lazy-eviction', 'yes']]);
    await step('lazyfree-lazy-eviction -> UNLINK', [['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'], ['CONFIG', 'SET', 'maxmemory', '1'], ['GET', 'a'], ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['CONFIG', 'SET', 'lazyfree-lazy-eviction', 'no']]);
  });

  check('keyspace commands', async () => {
    await step('DEL / UNLINK', [['MSET', 'a', '1', 'b', '2', 'c', '3'], ['DEL', 'a', 'zz'], ['DEL', 'zz'], ['UNLINK', 'b', 'c']]);
    await step('COPY / MOVE / RENAME', [['MSET', 'a', '1', 'b', '2'], ['COPY', 'a', 'a2'], ['COPY', 'a', 'b'], ['COPY', 'a', 'b', 'REPLACE'], ['COPY', 'a', 'a3', 'DB', '2'], ['MOVE', 'a', '1'], ['MOVE', 'zz', '1'], ['RENAME', 'b', 'c'], ['RENAMENX', 'c', 'a2'], ['RENAMENX', 'c', 'd'], ['RENAME', 'd', 'd']]);
    await step('SELECT across dbs', [['SELECT', '1'], ['SET', 'x', '1'], ['SELECT', '2'], ['SET', 'x', '2'], ['SELECT', '2'], ['SET', 'y', '1'], ['SELECT', '0'], ['SET', 'x', '0']]);
    await step('SWAPDB', [['SWAPDB', '0', '1'], ['SWAPDB', '1', '0']]);
    await step('FLUSHDB / FLUSHALL (also when empty)', [['SELECT', '9'], ['FLUSHDB'], ['FLUSHDB'], ['SELECT', '0'], ['FLUSHALL'], ['FLUSHALL'], ['FLUSHDB', 'ASYNC'], ['FLUSHALL', 'SYNC']]);
    await step('SORT STORE', [['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l'], ['SORT', 'l', 'STORE', 'dst'], ['SORT', 'nope', 'STORE', 'dst'], ['SORT', 'nope', 'STORE', 'dst']]);
    await step('RESTORE', [['SET', 'src', 'value']]);
    const dump = (await c.theirs.call('DUMP', 'src')).split('\r\n')[1]!;
    const payload = Buffer.from(dump, 'latin1');
    await step('RESTORE with TTL', [['RESTORE', 'r1', '100000', payload], ['RESTORE', 'r2', '0', payload], ['RESTORE', 'r1', '5000', payload, 'REPLACE'], ['RESTORE', 'r3', futureMs(100000), payload, 'ABSTTL'], ['RESTORE', 'r4', '1', payload, 'ABSTTL']]);
  });

  check('streams', async () => {
    await step('XADD with explicit ids', [['XADD', 'x', '1-1', 'f', 'v'], ['XADD', 'x', '2-*', 'f', 'v'], ['XADD', 'x', 'MAXLEN', '1', '3-1', 'f', 'v']]);
    await step('XADD *', { run: [['XADD', 'y', '*', 'f', 'v'], ['XADD', 'y', 'MAXLEN', '~', '10', '*', 'f', 'v'], ['XADD', 'x', 'NOMKSTREAM', '*', 'f', 'v'], ['XADD', 'nope', 'NOMKSTREAM', '*', 'f', 'v']], randomReplies: true });
    await step('XTRIM / XDEL / XSETID', [['XADD', 'z', '1-1', 'a', '1'], ['XADD', 'z', '2-1', 'a', '1'], ['XADD', 'z', '3-1', 'a', '1'], ['XTRIM', 'z', 'MAXLEN', '2'], ['XTRIM', 'z', 'MAXLEN', '~', '1'], ['XDEL', 'z', '2-1', '9-9'], ['XSETID', 'z', '10-1']]);
    await step('XGROUP', [['XGROUP', 'CREATE', 'z', 'g', '0'], ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATECONSUMER', 'z', 'g', 'c1'], ['XGROUP', 'SETID', 'z', 'g', '0'], ['XGROUP', 'DELCONSUMER', 'z', 'g', 'c1']]);
    await step('XREADGROUP >', [['XADD', 'z', '11-1', 'a', '1'], ['XADD', 'z', '12-1', 'a', '2'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 'z', '>'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'z', '>']]);
    await step('XREADGROUP > nothing new', [['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'z', '>']]);
    await step('XREADGROUP history', [['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'z', '0']]);
    await step('XREADGROUP NOACK', [['XADD', 'z', '13-1', 'a', '3'], ['XREADGROUP', 'GROUP', 'g', 'c3', 'NOACK', 'STREAMS', 'z', '>']]);
    await step('XCLAIM / XAUTOCLAIM / XACK', [['XCLAIM', 'z', 'g', 'c4', '0', '11-1'], ['XCLAIM', 'z', 'g', 'c4', '0', '12-1', 'JUSTID'], ['XAUTOCLAIM', 'z', 'g', 'c5', '0', '0-0', 'COUNT', '1'], ['XAUTOCLAIM', 'z', 'g', 'c5', '0', '0-0', 'JUSTID'], ['XACK', 'z', 'g', '11-1', '99-1']]);
    await step('XAUTOCLAIM of a deleted entry', [['XADD', 'z', '14-1', 'a', '4'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'z', '>'], ['XDEL', 'z', '14-1'], ['XAUTOCLAIM', 'z', 'g', 'c6', '0', '0-0']]);
    await step('XCLAIM options', [['XCLAIM', 'z', 'g', 'c7', '0', '12-1', 'IDLE', '500', 'RETRYCOUNT', '5', 'FORCE', 'LASTID', '12-1']]);
    await step('XGROUP DESTROY', [['XGROUP', 'DESTROY', 'z', 'g'], ['XGROUP', 'DESTROY', 'z', 'g']]);
    await blockedStep('XREADGROUP woken by XADD', [['XGROUP', 'CREATE', 'w', 'g', '$', 'MKSTREAM']], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'w', '>'], [['XADD', 'w', '1-1', 'f', 'v']]);
    await blockedStep('XREADGROUP woken by two entries', [['XGROUP', 'CREATE', 'w3', 'g', '$', 'MKSTREAM']], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'w3', '>'], [['MULTI'], ['XADD', 'w3', '1-1', 'f', 'v'], ['XADD', 'w3', '2-1', 'f', 'v'], ['EXEC']]);
    await blockedStep('XREADGROUP NOACK woken', [['XGROUP', 'CREATE', 'w4', 'g', '$', 'MKSTREAM']], ['XREADGROUP', 'GROUP', 'g', 'newc', 'NOACK', 'BLOCK', '0', 'STREAMS', 'w4', '>'], [['XADD', 'w4', '1-1', 'f', 'v']]);
    await blockedStep('XREAD woken by XADD', [], ['XREAD', 'BLOCK', '0', 'STREAMS', 'w2', '$'], [['XADD', 'w2', '1-1', 'f', 'v']]);
  });
});
