/*
 * MIGRATE and RESTORE-ASKING against real Redis (raw reply bytes compared).
 *
 * Nodis and redis-server each migrate to a target: the same real
 * redis-server target, used by one side at a time and reset in between
 * (`each`), or twin scriptable mock targets (`twin`, test/helpers/mock-target.ts)
 * that behave alike for both, so what each source sent (SELECT only when the
 * db changes, AUTH, RESTORE's TTL and REPLACE) can be compared too. Covered:
 * argument errors in Redis's order, +NOKEY, unreachable targets (Redis 7.0's
 * real replies: "connecting" only for names that do not resolve), the
 * target's errors passed through (BUSYKEY, SELECT, AUTH), the keys deleted or
 * kept, a silent target (timeout), replies cut short, the retry on a dropped
 * connection, what is propagated (DEL of the acknowledged keys), MULTI and
 * scripts, SLOWLOG redaction, COMMAND GETKEYS and RESTORE-ASKING.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { usePair, type Arg, type PairClient } from '../helpers/pair.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { freePort, redisAvailable, skipWithoutRedis, startRedis, type RedisProcess } from '../helpers/servers.js';
import { MockTarget } from '../helpers/mock-target.js';
import { NodisStream, ReplStream, type Argv } from '../helpers/repl-stream.js';

const H = '127.0.0.1';
const show = (s: string): string => JSON.stringify(s);

describe('MIGRATE', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  /** a plain target, and one with requirepass and an ACL user */
  let target: RedisProcess;
  let locked: RedisProcess;
  let tc: RawClient;
  let lc: RawClient;
  /** a port nothing listens on */
  let dead: number;
  before(async () => {
    if (!redisAvailable) return;
    [target, locked, dead] = await Promise.all([startRedis(), startRedis(), freePort()]);
    tc = await RawClient.connect(target.port);
    lc = await RawClient.connect(locked.port);
    assert.equal(await lc.call('ACL', 'SETUSER', 'alice', 'on', '>wonder', '~*', '+@all'), '+OK\r\n');
    assert.equal(await lc.call('CONFIG', 'SET', 'requirepass', 'secret'), '+OK\r\n');
  });
  after(async () => {
    tc?.close();
    lc?.close();
    await Promise.all([target?.close(), locked?.close()]);
  });

  /** The target's keys of db `db` with their values and TTL presence, for comparing what each side left there. */
  async function targetState(t: RawClient, db = 0): Promise<string> {
    await t.call('SELECT', db);
    const keys = (parseReply(await t.call('KEYS', '*')) as string[]).sort();
    const out: string[] = [];
    for (const k of keys) out.push(`${k}=${await t.call('DUMP', k)} ttl=${(parseReply(await t.call('PTTL', k)) as number) > 0}`);
    await t.call('SELECT', 0);
    return out.join(' ');
  }

  /**
   * The same command on each side in turn, the target reset before each
   * (`reset`); replies, what each left on the target (`state`) and the
   * source's keys compared.
   */
  async function each(c: PairClient, reset: () => Promise<void>, state: () => Promise<string>, ...args: Arg[]): Promise<string> {
    await reset();
    const a = await c.ours.call(...args);
    const sa = await state();
    await reset();
    const b = await c.theirs.call(...args);
    const sb = await state();
    assert.equal(show(a), show(b), args.join(' '));
    assert.equal(sa, sb, `target after ${args.join(' ')}`);
    const [ka, kb] = await c.both('KEYS', '*');
    assert.deepEqual((parseReply(ka) as string[]).sort(), (parseReply(kb) as string[]).sort(), `source keys after ${args.join(' ')}`);
    return a;
  }

  /** The command to twin mocks (ours -> ma, theirs -> mb, args built from the port); replies and what each mock got compared. */
  async function twin(c: PairClient, ma: MockTarget, mb: MockTarget, args: (port: number) => Arg[]): Promise<string> {
    const [a, b] = await Promise.all([c.ours.call(...args(ma.port)), c.theirs.call(...args(mb.port))]);
    assert.equal(show(a), show(b), args(0).join(' '));
    assert.deepEqual(ma.script(), mb.script(), 'what the targets received');
    const [ka, kb] = await c.both('KEYS', '*');
    assert.deepEqual((parseReply(ka) as string[]).sort(), (parseReply(kb) as string[]).sort(), 'source keys');
    return a;
  }

  const flushTarget = async (): Promise<void> => { await tc.call('FLUSHALL'); };

  test('argument errors in Redis\'s order; +NOKEY without connecting', async () => {
    const c = await p.client();
    const d = String(dead);
    await c.error('ERR wrong number of arguments for \'migrate\' command', 'MIGRATE', H, d, 'k', 0);
    await c.error('ERR syntax error', 'MIGRATE', H, d, 'k', 0, 100, 'FOO');
    await c.error('ERR syntax error', 'MIGRATE', H, d, 'k', 0, 100, 'COPY', 'REPLACE', 'AUTH');
    await c.error('ERR syntax error', 'MIGRATE', H, d, 'k', 0, 100, 'AUTH2', 'u');
    await c.error('ERR syntax error', 'MIGRATE', H, d, 'k', 'x', 'y', 'BAD');
    await c.error('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string', 'MIGRATE', H, d, 'k', 0, 100, 'KEYS', 'a');
    await c.error('ERR When using MIGRATE KEYS option', 'MIGRATE', H, d, 'k', 'x', 'y', 'COPY', 'KEYS', 'a');
    await c.error('ERR value is not an integer or out of range', 'MIGRATE', H, d, 'k', 0, 'abc');
    await c.error('ERR value is not an integer or out of range', 'MIGRATE', H, d, 'k', 'abc', 100);
    await c.error('ERR value is not an integer or out of range', 'MIGRATE', H, d, 'k', 0, '99999999999999999999');
    await c.error('ERR value is not an integer or out of range', 'MIGRATE', H, d, 'k', 0, ' 1');
    await c.error('ERR value is not an integer or out of range', 'MIGRATE', H, d, 'k', '1.5', 100);
    await c.do('MIGRATE', H, d, 'nokey', 0, 100);
    await c.do('MIGRATE', H, d, '', 0, 100, 'KEYS', 'a', 'b');
    await c.do('MIGRATE', H, d, '', 0, 100);
    await c.do('MIGRATE', H, d, '', 0, 100, 'KEYS');
    await c.do('MIGRATE', H, d, 'nokey', -5, -1, 'AUTH2', 'u', 'p', 'COPY');
    await c.do('MIGRATE', H, d, 'nokey', 0, 100, 'AUTH', 'KEYS');
    await c.do('MIGRATE', 'nosuchhost.invalid', 'x', '', 0, 100, 'REPLACE', 'KEYS', 'a', 'a');
    await c.do('COMMAND', 'INFO', 'migrate', 'restore-asking');
    const [sa, sb] = await c.both('INFO', 'stats');
    const hm = (s: string): string => s.split('\r\n').filter((l) => /^keyspace_(hits|misses):/.test(l)).join(' ');
    assert.equal(hm(sa), hm(sb));
  });

  test('unreachable targets: Redis 7.0\'s replies ("connecting" only when the name does not resolve); keys stay', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    const d = String(dead);
    await c.error('IOERR error or timeout writing to target instance', 'MIGRATE', H, d, 'k', 0, 500);
    await c.error('IOERR error or timeout writing to target instance', 'MIGRATE', H, d, '', 3, 500, 'KEYS', 'k', 'k');
    await c.error('IOERR error or timeout writing to target instance', 'MIGRATE', H, 'abc', 'k', 0, 500);
    await c.error('IOERR error or timeout writing to target instance', 'MIGRATE', H, '65536', 'k', 0, 500);
    await c.error('IOERR error or timeout writing to target instance', 'MIGRATE', 'localhost', d, 'k', 0, 500);
    await c.error('IOERR error or timeout connecting to the client', 'MIGRATE', H, '-1', 'k', 0, 500);
    await c.error('IOERR error or timeout connecting to the client', 'MIGRATE', '', d, 'k', 0, 500);
    await c.error('IOERR error or timeout connecting to the client', 'MIGRATE', 'nosuchhost.invalid', d, 'k', 0, 500);
    await c.error('IOERR error or timeout connecting to the client', 'MIGRATE', '256.1.1.1', d, 'k', 0, 500);
    await c.do('GET', 'k');
    await c.do('INFO', 'errorstats');
  });

  test('to a real target: keys moved (TTL kept), COPY keeps them, REPLACE overwrites, KEYS skips missing ones', async () => {
    const c = await p.client();
    const fill = async (): Promise<void> => {
      await c.do('FLUSHALL');
      await c.do('SET', 'a', '1');
      await c.do('RPUSH', 'b', 'x', 'y', 'z');
      await c.do('SADD', 'c', '1', '2', '3');
      await c.do('PEXPIRE', 'b', 100000);
      await c.do('HSET', 'h', 'f', 'v');
      await c.do('ZADD', 'z', '1', 'm', '2.5', 'n');
    };
    const state = (): Promise<string> => targetState(tc, 0);
    const state5 = (): Promise<string> => targetState(tc, 5);
    await fill();
    await each(c, flushTarget, state, 'MIGRATE', H, target.port, 'a', 0, 1000);
    await fill();
    await each(c, flushTarget, state5, 'MIGRATE', H, target.port, '', 5, 1000, 'KEYS', 'nokey', 'b', 'c', 'nokey2', 'h', 'z');
    await fill();
    await each(c, flushTarget, state, 'MIGRATE', H, target.port, '', 0, 0, 'COPY', 'KEYS', 'a', 'b');
    await fill();
    const busy = async (): Promise<void> => { await tc.call('FLUSHALL'); await tc.call('SET', 'a', 'old'); await tc.call('SET', 'b', 'old'); };
    await each(c, busy, state, 'MIGRATE', H, target.port, '', 0, 1000, 'REPLACE', 'KEYS', 'a', 'b');
    await fill();
    await each(c, busy, state, 'MIGRATE', H, target.port, '', 0, 1000, 'COPY', 'REPLACE', 'KEYS', 'a', 'c', 'b');
  });

  test('the target\'s errors pass through: BUSYKEY (acknowledged keys still deleted), SELECT, AUTH', async () => {
    const c = await p.client();
    const state = (): Promise<string> => targetState(tc, 0);
    const fill = async (): Promise<void> => {
      await c.do('FLUSHALL');
      await c.do('MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5');
    };
    const busy = async (): Promise<void> => { await tc.call('FLUSHALL'); await tc.call('MSET', 'c', '_', 'd', '_'); };
    await fill();
    await each(c, busy, state, 'MIGRATE', H, target.port, 'c', 0, 1000);
    await each(c, busy, state, 'MIGRATE', H, target.port, '', 0, 1000, 'KEYS', 'a', 'b', 'c', 'd', 'e');
    await fill();
    await each(c, busy, state, 'MIGRATE', H, target.port, '', 0, 1000, 'COPY', 'KEYS', 'c', 'a');
    await fill();
    await each(c, flushTarget, state, 'MIGRATE', H, target.port, '', 99, 1000, 'KEYS', 'a', 'b');
    await each(c, flushTarget, state, 'MIGRATE', H, target.port, '', -1, 1000, 'KEYS', 'a', 'b');
    // AUTH to a target without a password: its RESTOREs succeed, yet nothing is deleted here (the AUTH error wins)
    await each(c, flushTarget, state, 'MIGRATE', H, target.port, '', 0, 1000, 'AUTH', 'pw', 'KEYS', 'a', 'b');
    await each(c, flushTarget, state, 'MIGRATE', H, target.port, '', 0, 1000, 'AUTH2', 'default', 'pw', 'KEYS', 'a');
    // a protected target: wrong password, wrong user, no AUTH at all
    const lstate = (): Promise<string> => targetState(lc, 0);
    const lflush = async (): Promise<void> => { await lc.call('FLUSHALL'); };
    await each(c, lflush, lstate, 'MIGRATE', H, locked.port, 'a', 0, 1000, 'AUTH', 'nope');
    await each(c, lflush, lstate, 'MIGRATE', H, locked.port, 'a', 0, 1000, 'AUTH2', 'bob', 'wonder');
    await each(c, lflush, lstate, 'MIGRATE', H, locked.port, 'a', 0, 1000);
    await each(c, lflush, lstate, 'MIGRATE', H, locked.port, '', 0, 1000, 'AUTH', 'secret', 'KEYS', 'a', 'b');
    await each(c, lflush, lstate, 'MIGRATE', H, locked.port, '', 0, 1000, 'AUTH2', 'alice', 'wonder', 'KEYS', 'c');
    await c.do('INFO', 'errorstats');
  });

  test('what is propagated: DEL of the acknowledged keys, in the client\'s db; nothing for COPY or errors', async () => {
    const c = await p.client();
    const marker = await p.client({ flush: false });
    const theirs = await ReplStream.connect(p.redis.port);
    const ours = new NodisStream(p.nodis.server);
    let seq = 0;
    const mark = async (): Promise<[Argv[], Argv[]]> => {
      const n = String(++seq);
      await marker.do('PUBLISH', '__mig_mark__', n);
      const isMark = (a: Argv): boolean => a[0] === 'PUBLISH' && a[1] === '__mig_mark__' && a[2] === n;
      const segs = await Promise.all([ours.until(isMark), theirs.until(isMark)]);
      // the marker's own SELECT 0 ends a segment
      for (const s of segs) {
        const last = s[s.length - 1];
        if (last !== undefined && last[0] === 'SELECT' && last[1] === '0') s.pop();
      }
      return segs;
    };
    try {
      await mark();
      const busy = async (): Promise<void> => { await tc.call('FLUSHALL'); await tc.call('SET', 'c', '_'); };
      const steps: [() => Promise<void>, Arg[]][] = [
        [flushTarget, ['MIGRATE', H, target.port, 'a', 0, 1000]],
        [busy, ['MIGRATE', H, target.port, '', 0, 1000, 'KEYS', 'b', 'c', 'd']],
        [flushTarget, ['MIGRATE', H, target.port, '', 0, 1000, 'COPY', 'KEYS', 'e']],
        [busy, ['MIGRATE', H, target.port, 'c', 0, 1000]],
        [flushTarget, ['MIGRATE', H, dead, 'e', 0, 1000]],
      ];
      for (const [reset, args] of steps) {
        await c.both('SELECT', 3);
        await c.both('MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5');
        await mark();
        await reset();
        const a = await c.ours.call(...args);
        await reset();
        const b = await c.theirs.call(...args);
        assert.equal(show(a), show(b));
        const [o, t] = await mark();
        assert.deepEqual(o, t, args.join(' '));
        await c.both('FLUSHALL');
        await mark();
      }
    } finally {
      theirs.close();
      ours.close();
    }
  });

  test('a silent target: IOERR reading after the timeout, no retry, keys stay; a reply cut short deletes what was acknowledged', async (t) => {
    const c = await p.client();
    const [ma, mb] = await Promise.all([MockTarget.start(t), MockTarget.start(t)]);
    await c.do('MSET', 'a', '1', 'b', '2', 'c', '3');
    ma.handler = mb.handler = () => null;
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, '', 0, 300, 'KEYS', 'a', 'b']);
    assert.equal(ma.conns.length, 1);
    // +OK to the first RESTORE, then the connection drops
    ma.handler = mb.handler = (argv) => (argv[0] === 'RESTORE' && argv[1] !== 'a' ? 'close' : '+OK\r\n');
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, '', 0, 1000, 'KEYS', 'a', 'b', 'c']);
    await c.do('MGET', 'a', 'b', 'c');
  });

  test('SELECT only when the db changes on the cached connection; a dropped connection is retried once', async (t) => {
    const c = await p.client();
    const [ma, mb] = await Promise.all([MockTarget.start(t), MockTarget.start(t)]);
    const set = (): Promise<string> => c.do('MSET', 'a', '1', 'b', '2');
    await set();
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 0, 1000]);
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'b', 0, 1000, 'REPLACE']);
    await set();
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 1, 1000, 'COPY']);
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 1, 1000, 'AUTH', 'pw']);
    assert.equal(ma.conns.length, 1);
    // the target dropped the cached connection: the next MIGRATE retries on a new one, with SELECT
    ma.closeAll();
    mb.closeAll();
    await set();
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 1, 1000]);
    assert.equal(ma.conns.length, 2);
    // a target that drops every connection: the retry fails too
    await set();
    ma.handler = mb.handler = () => 'close';
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 1, 1000]);
    // an error from the target forgets the db: SELECT again next time
    ma.handler = mb.handler = (argv) => (argv[0] === 'RESTORE' ? '-ERR nope\r\n' : '+OK\r\n');
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 2, 1000]);
    ma.handler = mb.handler = () => '+OK\r\n';
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 2, 1000, 'COPY']);
    // the first connection closes without a word, the second one works: retried transparently
    await set();
    const dropNext = (m: MockTarget): void => {
      const first = m.conns.length;
      m.handler = (_argv, conn) => (conn.index === first ? 'close' : '+OK\r\n');
    };
    dropNext(ma);
    dropNext(mb);
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 4, 1000]);
  });

  test('odd reply lines: an empty line, a bare CR LF, an error longer than 1023 bytes, a SELECT error', async (t) => {
    const c = await p.client();
    const [ma, mb] = await Promise.all([MockTarget.start(t), MockTarget.start(t)]);
    await c.do('MSET', 'a', '1', 'b', '2');
    ma.handler = mb.handler = (argv) => (argv[0] === 'RESTORE' ? '\n' : '+OK\r\n');
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 0, 1000]);
    ma.handler = mb.handler = (argv) => (argv[0] === 'RESTORE' ? '\r\n' : '+OK\r\n');
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 0, 1000]);
    await c.do('MSET', 'a', '1', 'b', '2');
    ma.handler = mb.handler = (argv) => (argv[0] === 'RESTORE' ? `-ERR ${'x'.repeat(1500)}\r\n` : '+OK\r\n');
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, 'a', 7, 1000]);
    ma.handler = mb.handler = (argv) => (argv[0] === 'SELECT' ? '-ERR no such db\r\n' : '+OK\r\n');
    ma.closeAll();
    mb.closeAll();
    await twin(c, ma, mb, (port) => ['MIGRATE', H, port, '', 8, 1000, 'KEYS', 'a', 'b']);
  });

  test('a target that does not read: IOERR writing after the timeout', async (t) => {
    const c = await p.client();
    const [ma, mb] = await Promise.all([MockTarget.start(t), MockTarget.start(t)]);
    ma.onConnection = mb.onConnection = (conn) => conn.socket.pause();
    // more than the kernel buffers of a loopback connection take (up to tcp_rmem + tcp_wmem: 36 MB here), incompressible
    const big = randomBytes(64 * 1024 * 1024);
    c.ours.send('SET', 'big', big);
    c.theirs.send('SET', 'big', big);
    assert.deepEqual(await Promise.all([c.ours.read(60000), c.theirs.read(60000)]), ['+OK\r\n', '+OK\r\n']);
    // serializing 64 MB takes seconds
    c.ours.send('MIGRATE', H, ma.port, 'big', 0, 300);
    c.theirs.send('MIGRATE', H, mb.port, 'big', 0, 300);
    const [a, b] = await Promise.all([c.ours.read(60000), c.theirs.read(60000)]);
    assert.equal(show(a), show(b));
    assert.equal(a, '-IOERR error or timeout writing to target instance\r\n');
    await c.do('EXISTS', 'big');
    await c.do('DEL', 'big');
  });

  test('inside MULTI and scripts; SLOWLOG redacts AUTH and AUTH2 as Redis', async () => {
    const c = await p.client();
    const state = (): Promise<string> => targetState(tc, 0);
    await c.do('MSET', 'a', '1', 'b', '2');
    await c.do('MULTI');
    await c.do('MIGRATE', H, target.port, 'a', 0, 1000, 'REPLACE');
    await c.do('MIGRATE', H, dead, 'b', 0, 1000);
    await c.do('EXISTS', 'a', 'b');
    await each(c, flushTarget, state, 'EXEC');
    await c.do('MSET', 'a', '1', 'b', '2');
    await each(c, flushTarget, state, 'EVAL', "return {redis.call('MIGRATE', ARGV[1], ARGV[2], '', 0, 1000, 'KEYS', KEYS[1], KEYS[2]), redis.call('EXISTS', KEYS[1])}", 2, 'a', 'b', H, target.port);
    await c.do('SET', 'a', '1');
    await each(c, flushTarget, state, 'EVAL', "return redis.pcall('MIGRATE', ARGV[1], ARGV[2], KEYS[1], 0, 1000)", 1, 'a', H, dead);

    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await c.do('SLOWLOG', 'RESET');
    await c.both('MIGRATE', H, dead, 'nokey', 0, 100, 'AUTH', 'secret1');
    await c.both('MIGRATE', H, dead, '', 0, 100, 'COPY', 'AUTH2', 'user2', 'secret2', 'KEYS', 'x', 'AUTH');
    await c.both('MIGRATE', H, dead, 'nokey', 0, 100, 'AUTH2', 'user3');
    await c.both('MIGRATE', H, dead, 'nokey', 0, 100, 'FOO', 'AUTH', 'secret4');
    await c.both('MIGRATE', H, dead, 'nokey', 0, 100, 'AUTH', 'secret5', 'REPLACE', 'AUTH', 'secret6');
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const [a, b] = await c.both('SLOWLOG', 'GET', '-1');
    const argvs = (r: string): unknown[] => (parseReply(r) as unknown[][]).map((e) => e[3]);
    assert.deepEqual(argvs(a), argvs(b));
    assert.ok(!JSON.stringify(argvs(a)).includes('secret1'));
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  });

  test('COMMAND GETKEYS', async () => {
    const c = await p.client();
    await c.do('COMMAND', 'GETKEYS', 'MIGRATE', H, '1', 'k', '0', '0');
    await c.do('COMMAND', 'GETKEYS', 'MIGRATE', H, '1', '', '0', '0', 'KEYS', 'a', 'b');
    await c.do('COMMAND', 'GETKEYS', 'MIGRATE', H, '1', '', '0', '0', 'COPY', 'AUTH2', 'keys', 'p', 'AUTH', 'keys', 'KEYS', 'a');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'MIGRATE', H, '1', '', '0', '0', 'REPLACE', 'KEYS', 'a', 'b');
    await c.do('COMMAND', 'GETKEYS', 'MIGRATE', H, '1', '', '0', '0');
    const [a, b] = await c.both('COMMAND', 'GETKEYS', 'MIGRATE', H, '1', 'k', '0', '0', 'KEYS', 'a');
    assert.equal(show(a), show(b));
  });

  test('RESTORE-ASKING is RESTORE', async () => {
    const c = await p.client();
    await c.do('RPUSH', 'l', 'a', 'b', 'c');
    const dump = parseReply(await c.do('DUMP', 'l')) as string;
    const payload = Buffer.from(dump, 'latin1');
    await c.do('RESTORE-ASKING', 'l2', 0, payload);
    await c.do('LRANGE', 'l2', 0, -1);
    await c.error('BUSYKEY Target key name already exists.', 'RESTORE-ASKING', 'l2', 0, payload);
    await c.do('restore-asking', 'l2', 5000, payload, 'REPLACE');
    await c.doApprox(100, 'PTTL', 'l2');
    await c.do('RESTORE-ASKING', 'l3', Date.now() + 100000, payload, 'ABSTTL', 'IDLETIME', 10);
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE-ASKING', 'l4', 0, 'garbage');
    await c.error('ERR Invalid TTL value', 'RESTORE-ASKING', 'l4', -1, payload);
    await c.error('ERR syntax error', 'RESTORE-ASKING', 'l4', 0, payload, 'FOO');
    await c.error('ERR wrong number of arguments for \'restore-asking\' command', 'RESTORE-ASKING', 'l4', 0);
    await c.do('RESTORE-ASKING', 'l4', 1, payload, 'ABSTTL');
    await c.do('EXISTS', 'l4');
    await c.do('COMMAND', 'INFO', 'restore-asking');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'RESTORE-ASKING', 'k', '0', 'x');
  });
});
