/*
 * MIGRATE between real processes (bin/nodis-server and redis-server 7.0),
 * seen from outside, plus in-process checks of what only Nodis has to decide
 * (it does not block while the transfer runs).
 *
 * 1. Every type and encoding, with TTLs, along a chain Nodis -> redis-server
 *    -> Nodis -> Nodis: per-key DEBUG DIGEST-VALUE, TTLs, consumer groups.
 * 2. KEYS, COPY, REPLACE, BUSYKEY passed through (Nodis -> Nodis).
 * 3. AUTH / AUTH2 against a requirepass target and an ACL user, on a Nodis
 *    and on a redis-server target.
 * 4. A dead target (IOERR at once) and a silent one (IOERR after the
 *    timeout); the keys stay.
 * 5. While MIGRATE waits on a silent target, other clients are served; the
 *    waiting client's pipelined commands run after its reply.
 * 6. The cached connection: one on the target across several MIGRATEs
 *    (SELECT only on a db change), closed after 10 s idle (INFO
 *    migrate_cached_sockets back to 0); at most 64 cached.
 * 7. The DEL of the migrated keys reaches a redis-server replica and the AOF.
 * 8. Keys written while the transfer is in flight keep their newer value and
 *    are left out of the DEL; a client that disconnects meanwhile still has
 *    its keys deleted; CLIENT PAUSE WRITE holds the deletion until it ends.
 *
 * Every wait is a bounded poll; every server is torn down in t.after.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { freePort, skipWithoutRedis, startNodis } from '../helpers/servers.js';
import { Node, poll, topology, waitSynced } from '../helpers/topology.js';
import { MockTarget, type MockConn } from '../helpers/mock-target.js';
import { NodisStream, type Argv } from '../helpers/repl-stream.js';

const H = '127.0.0.1';
const skip = skipWithoutRedis();

/** Keys of every type and encoding (some with a TTL) in db `db` of n; returns their names. */
async function fill(n: Node, db: number): Promise<string[]> {
  const cmds: (string | number)[][] = [['SELECT', db]];
  const many = (prefix: string, k: number): string[] => Array.from({ length: k }, (_, i) => `${prefix}${i}`);
  cmds.push(['SET', 's:int', '12345'], ['SET', 's:emb', 'hello'], ['SET', 's:raw', 'r'.repeat(300)]);
  cmds.push(['SET', 's:bin', Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')]);
  cmds.push(['RPUSH', 'l:small', 'a', 'b', '3'], ['RPUSH', 'l:big', ...many('item-', 3000)]);
  cmds.push(['SADD', 'set:int', '1', '2', '300', '-5'], ['SADD', 'set:small', 'a', 'b', 'c'], ['SADD', 'set:big', ...many('m', 1000)]);
  cmds.push(['ZADD', 'z:small', '1', 'a', '2.5', 'b', '-1', 'c']);
  cmds.push(['ZADD', 'z:big', ...many('', 500).flatMap((_, i) => [String(i * 1.5), `zm${i}`])]);
  cmds.push(['HSET', 'h:small', 'f1', 'v1', 'f2', '2']);
  cmds.push(['HSET', 'h:big', ...many('', 800).flatMap((_, i) => [`f${i}`, `value-${i}`])]);
  for (let i = 1; i <= 20; i++) cmds.push(['XADD', 'x', `${i}-1`, 'field', `v${i}`, 'n', String(i)]);
  cmds.push(['XGROUP', 'CREATE', 'x', 'g1', '0'], ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '5', 'STREAMS', 'x', '>']);
  cmds.push(['XGROUP', 'CREATE', 'x', 'g2', '$']);
  for (const k of ['s:raw', 'l:big', 'z:small', 'h:big', 'x']) cmds.push(['PEXPIRE', k, 200000]);
  const replies = await n.pipeline(cmds);
  const bad = replies.filter((r) => r instanceof Error);
  assert.deepEqual(bad, []);
  return ['s:int', 's:emb', 's:raw', 's:bin', 'l:small', 'l:big', 'set:int', 'set:small', 'set:big', 'z:small', 'z:big', 'h:small', 'h:big', 'x'];
}

/** What a key holds, comparably across servers: digest, whether it has a TTL, consumer groups. */
async function state(n: Node, db: number, keys: string[]): Promise<string[]> {
  const cmds: (string | number)[][] = [['SELECT', db]];
  for (const k of keys) cmds.push(['DEBUG', 'DIGEST-VALUE', k], ['PTTL', k]);
  cmds.push(['XINFO', 'GROUPS', 'x']);
  const r = await n.pipeline(cmds);
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ttl = r[2 + 2 * i] as number;
    out.push(`${keys[i]} ${JSON.stringify(r[1 + 2 * i])} ${ttl === -2 ? 'missing' : ttl === -1 ? 'no-ttl' : ttl > 150000 && ttl <= 200000 ? 'ttl' : `ttl?${ttl}`}`);
  }
  out.push(JSON.stringify(r[r.length - 1]));
  return out;
}

async function dbKeys(n: Node, db: number): Promise<string[]> {
  const r = await n.pipeline([['SELECT', db], ['KEYS', '*']]);
  return (r[1] as string[]).sort();
}

describe('MIGRATE between processes', { skip }, () => {
  test('every type and encoding with TTLs: Nodis -> redis-server -> Nodis -> Nodis', async (t) => {
    const [topo, a, r, b] = await topology(t, [['a', 'nodis-proc'], ['r', 'redis'], ['b', 'nodis-proc']]);
    await topo.run(async () => {
      const keys = await fill(a, 0);
      const before = await state(a, 0, keys);
      assert.ok(before.every((l) => !l.includes('missing')), before.join('\n'));
      const hops: [Node, number, Node, number][] = [[a, 0, r, 2], [r, 2, b, 5], [b, 5, a, 1]];
      for (const [src, sdb, dst, ddb] of hops) {
        const reply = await src.pipeline([['SELECT', sdb], ['MIGRATE', H, dst.port, '', ddb, 5000, 'KEYS', ...keys]]);
        assert.equal(reply[1], 'OK', `${src.name} -> ${dst.name}`);
        assert.deepEqual(await dbKeys(src, sdb), [], `${src.name} db${sdb} emptied`);
        assert.deepEqual(await state(dst, ddb, keys), before, `${src.name} -> ${dst.name}`);
      }
    });
  });

  test('KEYS, COPY, REPLACE; BUSYKEY passed through, the acknowledged keys deleted (Nodis -> Nodis)', async (t) => {
    const [topo, a, b] = await topology(t, [['a', 'nodis-proc'], ['b', 'nodis-proc']]);
    await topo.run(async () => {
      await a.ok('MSET', 'k1', 'v1', 'k2', 'v2', 'k3', 'v3');
      await b.ok('SET', 'k2', 'old');
      assert.deepEqual(await a.call('MIGRATE', H, b.port, '', 0, 5000, 'KEYS', 'k1', 'k2', 'k3', 'nokey'),
        new Error('ERR Target instance replied with error: BUSYKEY Target key name already exists.'));
      assert.deepEqual(await a.call('MGET', 'k1', 'k2', 'k3'), [null, 'v2', null]);
      assert.deepEqual(await b.call('MGET', 'k1', 'k2', 'k3'), ['v1', 'old', 'v3']);
      assert.equal(await a.call('MIGRATE', H, b.port, 'k2', 0, 5000, 'COPY', 'REPLACE'), 'OK');
      assert.equal(await a.call('GET', 'k2'), 'v2');
      assert.equal(await b.call('GET', 'k2'), 'v2');
      assert.equal(await a.call('MIGRATE', H, b.port, 'k2', 0, 5000, 'REPLACE'), 'OK');
      assert.equal(await a.call('EXISTS', 'k2'), 0);
      assert.equal(await a.call('MIGRATE', H, b.port, '', 0, 5000, 'KEYS', 'k1', 'k2'), 'NOKEY');
    });
  });

  test('AUTH and AUTH2: requirepass and an ACL user, on Nodis and on redis-server targets', async (t) => {
    const conf = { requirepass: 'secret', user: 'alice on >wonder ~* +@all' };
    const [topo, a, nb, rb] = await topology(t, [['a', 'nodis-proc'], ['nb', 'nodis-proc', conf], ['rb', 'redis', conf]]);
    await topo.run(async () => {
      for (const dst of [nb, rb]) {
        await a.ok('MSET', 'k1', 'v1', 'k2', 'v2', 'k3', 'v3');
        assert.deepEqual(await a.call('MIGRATE', H, dst.port, 'k1', 0, 5000),
          new Error('ERR Target instance replied with error: NOAUTH Authentication required.'), dst.name);
        assert.deepEqual(await a.call('MIGRATE', H, dst.port, 'k1', 0, 5000, 'AUTH', 'wrong'),
          new Error('ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.'), dst.name);
        assert.deepEqual(await a.call('MIGRATE', H, dst.port, 'k1', 0, 5000, 'AUTH2', 'alice', 'secret'),
          new Error('ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.'), dst.name);
        assert.equal(await a.call('EXISTS', 'k1'), 1);
        assert.equal(await a.call('MIGRATE', H, dst.port, 'k1', 0, 5000, 'AUTH', 'secret'), 'OK', dst.name);
        assert.equal(await a.call('MIGRATE', H, dst.port, '', 3, 5000, 'AUTH2', 'alice', 'wonder', 'KEYS', 'k2', 'k3'), 'OK', dst.name);
        assert.deepEqual(await a.call('EXISTS', 'k1', 'k2', 'k3'), 0);
        assert.equal(await dst.call('GET', 'k1'), 'v1');
        assert.deepEqual((await dst.pipeline([['AUTH', 'secret'], ['SELECT', 3], ['MGET', 'k2', 'k3']]))[2], ['v2', 'v3']);
      }
      // the passwords never reach the slowlog
      await a.ok('CONFIG', 'SET', 'slowlog-log-slower-than', 0);
      await a.call('MIGRATE', H, nb.port, 'nokey', 0, 5000, 'AUTH2', 'alice', 'wonder');
      const log = JSON.stringify(await a.call('SLOWLOG', 'GET', 1));
      assert.ok(log.includes('(redacted)') && !log.includes('wonder') && !log.includes('alice'), log);
    });
  });

  test('a dead target and a silent one: IOERR within the timeout, the keys stay', async (t) => {
    const [topo, a] = await topology(t, [['a', 'nodis-proc']]);
    const silent = await MockTarget.start(t);
    silent.handler = () => null;
    const dead = await freePort();
    await topo.run(async () => {
      await a.ok('MSET', 'k1', 'v1', 'k2', 'v2');
      let t0 = Date.now();
      assert.deepEqual(await a.call('MIGRATE', H, dead, 'k1', 0, 2000), new Error('IOERR error or timeout writing to target instance'));
      assert.ok(Date.now() - t0 < 1500, `dead target: ${Date.now() - t0} ms`);
      t0 = Date.now();
      assert.deepEqual(await a.call('MIGRATE', H, silent.port, '', 0, 500, 'KEYS', 'k1', 'k2'), new Error('IOERR error or timeout reading to target instance'));
      const took = Date.now() - t0;
      assert.ok(took >= 450 && took < 3000, `silent target: ${took} ms`);
      // a timeout is not retried: one connection, and it was closed
      assert.equal(silent.conns.length, 1);
      await poll('the timed out connection closed', async () => silent.open.length === 0);
      assert.deepEqual(await a.call('MGET', 'k1', 'k2'), ['v1', 'v2']);
      assert.equal((await a.info('stats'))['migrate_cached_sockets'], '0');
    });
  });

  test('other clients are served while MIGRATE waits; the waiting client\'s pipeline runs after its reply', async (t) => {
    const [topo, a] = await topology(t, [['a', 'nodis-proc']]);
    const silent = await MockTarget.start(t);
    silent.handler = () => null;
    await topo.run(async () => {
      await a.ok('SET', 'k', 'v');
      const waiter = await RawClient.connect(a.port);
      const other = await RawClient.connect(a.port);
      t.after(() => { waiter.close(); other.close(); });
      const t0 = Date.now();
      waiter.send('MIGRATE', H, silent.port, 'k', 0, 1500);
      waiter.send('PING');
      await poll('the MIGRATE reached the target', async () => silent.conns[0]?.cmds.some((x) => x[0] === 'RESTORE') === true);
      let slowest = 0;
      for (let i = 0; i < 20; i++) {
        const s = Date.now();
        assert.equal(await other.call('SET', `o${i}`, i), '+OK\r\n');
        assert.equal(await other.call('GET', `o${i}`), `$${String(i).length}\r\n${i}\r\n`);
        slowest = Math.max(slowest, Date.now() - s);
      }
      assert.ok(slowest < 500, `slowest round trip while MIGRATE waits: ${slowest} ms`);
      const info = parseReply(await other.call('INFO', 'clients')) as string;
      assert.match(info, /blocked_clients:1\r\n/);
      assert.equal(waiter.unread, '', 'nothing for the waiting client yet');
      assert.equal(await waiter.read(5000), '-IOERR error or timeout reading to target instance\r\n');
      assert.ok(Date.now() - t0 >= 1400, `replied after ${Date.now() - t0} ms`);
      assert.equal(await waiter.read(), '+PONG\r\n');
      assert.equal(await other.call('EXISTS', 'k'), ':1\r\n');
    });
  });

  test('one cached connection per target, SELECT only on a db change, closed after 10 s idle', async (t) => {
    const [topo, a, r] = await topology(t, [['a', 'nodis-proc'], ['r', 'redis']]);
    await topo.run(async () => {
      const monitor = await RawClient.connect(r.port);
      t.after(() => monitor.close());
      monitor.send('MONITOR');
      assert.equal(await monitor.read(), '+OK\r\n');
      await a.ok('MSET', 'k1', '1', 'k2', '2', 'k3', '3', 'k4', '4');
      assert.equal((await a.info('stats'))['migrate_cached_sockets'], '0');
      for (const [k, db] of [['k1', 0], ['k2', 0], ['k3', 1], ['k4', 1]] as const) assert.equal(await a.call('MIGRATE', H, r.port, k, db, 5000), 'OK');
      assert.equal((await a.info('stats'))['migrate_cached_sockets'], '1');
      const clients = (await r.call('CLIENT', 'LIST')) as string;
      const restorers = clients.split('\n').filter((l) => l.includes('cmd=restore'));
      assert.equal(restorers.length, 1, clients);
      // what the target ran: SELECT 0, RESTORE k1, RESTORE k2, SELECT 1, RESTORE k3, RESTORE k4
      const seen: string[] = [];
      await poll('the MONITOR feed', async () => {
        const raw = monitor.unread;
        for (const m of raw.matchAll(/"(SELECT|RESTORE)" "([^"]*)"/g)) seen.push(`${m[1]} ${m[2]}`);
        return seen.length >= 6 ? true : (seen.length = 0, false);
      });
      assert.deepEqual(seen, ['SELECT 0', 'RESTORE k1', 'RESTORE k2', 'SELECT 1', 'RESTORE k3', 'RESTORE k4']);
      const last = Date.now();
      // migrateCloseTimedoutSockets: more than 10 s unused (Redis counts whole seconds: 10 to 12 s)
      await poll('the idle connection closed', async () => (await a.info('stats'))['migrate_cached_sockets'] === '0', 16000, 250);
      const idle = Date.now() - last;
      assert.ok(idle >= 9500, `closed after ${idle} ms`);
      await poll('the target lost the connection', async () => !((await r.call('CLIENT', 'LIST')) as string).includes('cmd=restore'));
    });
  });

  test('the DEL of the migrated keys reaches a redis-server replica and the AOF', async (t) => {
    const [topo, a, rep, dst] = await topology(t, [
      ['a', 'nodis-proc', { appendonly: 'yes', appendfsync: 'always' }], ['rep', 'redis'], ['dst', 'redis'],
    ]);
    await topo.run(async () => {
      await rep.replicaOf(a);
      await a.ok('MSET', 'k1', '1', 'k2', '2', 'k3', '3', 'k4', '4');
      await dst.ok('SET', 'k3', 'busy');
      await waitSynced(a, [rep]);
      assert.deepEqual(await a.call('MIGRATE', H, dst.port, '', 0, 5000, 'KEYS', 'k1', 'k2', 'k3'),
        new Error('ERR Target instance replied with error: BUSYKEY Target key name already exists.'));
      assert.equal(await a.call('MIGRATE', H, dst.port, 'k4', 0, 5000, 'COPY'), 'OK');
      await a.ok('SET', 'marker', 'x');
      await waitSynced(a, [rep]);
      assert.deepEqual(await dbKeys(rep, 0), ['k3', 'k4', 'marker']);
      const dir = path.join(a.dir, 'appendonlydir');
      const incr = fs.readdirSync(dir).filter((f) => f.endsWith('.incr.aof'));
      const aof = incr.map((f) => fs.readFileSync(path.join(dir, f), 'latin1')).join('');
      assert.ok(aof.includes('*3\r\n$3\r\nDEL\r\n$2\r\nk1\r\n$2\r\nk2\r\n'), JSON.stringify(aof.slice(-400)));
      assert.ok(!/MIGRATE/i.test(aof));
      assert.equal(aof.split('\r\nDEL\r\n').length - 1, 1, 'one DEL (COPY deletes nothing)');
    });
  });
});

describe('MIGRATE while the transfer is in flight (in-process Nodis)', () => {
  /** A target that holds RESTORE replies until the test answers; the RESTOREs it holds. */
  async function holdingTarget(t: { after(fn: () => unknown): void }): Promise<{ m: MockTarget; held: () => MockConn[] }> {
    const m = await MockTarget.start(t);
    const held: MockConn[] = [];
    m.handler = (argv, conn) => {
      if (argv[0] !== 'RESTORE') return '+OK\r\n';
      held.push(conn);
      return null;
    };
    return { m, held: () => held };
  }

  /** An in-process Nodis, a holding target, the propagated stream, two clients; all closed after the test. */
  async function setup(t: { after(fn: () => unknown): void }): Promise<{
    s: Awaited<ReturnType<typeof startNodis>>; m: MockTarget; held: () => MockConn[]; a: RawClient; b: RawClient;
    mark: (n: string) => Promise<Argv[]>;
  }> {
    const s = await startNodis();
    t.after(() => s.close());
    const { m, held } = await holdingTarget(t);
    const stream = new NodisStream(s.server);
    t.after(() => stream.close());
    const a = await RawClient.connect(s.port);
    const b = await RawClient.connect(s.port);
    t.after(() => { a.close(); b.close(); });
    /** the commands propagated since the last mark (name and key), SELECTs left out */
    const mark = async (n: string): Promise<Argv[]> => {
      await b.call('PUBLISH', '__mark__', n);
      const seg = await stream.until((x) => x[0] === 'PUBLISH' && x[2] === n);
      return seg.filter((x) => x[0] !== 'SELECT').map((x) => x.slice(0, 2));
    };
    return { s, m, held, a, b, mark };
  }

  test('a command naming a key in flight waits for the outcome, then runs, as if MIGRATE blocked; other keys are served meanwhile; FLUSHALL keeps everything', async (t) => {
    const { s, m, held, a, b, mark } = await setup(t);
    const c = await RawClient.connect(s.port);
    const d = await RawClient.connect(s.port);
    t.after(() => { c.close(); d.close(); });
    const blocked = async (): Promise<number> => Number((parseReply(await d.call('INFO', 'clients')) as string).match(/blocked_clients:(\d+)/)![1]);
    await b.call('MSET', 'k1', '1', 'k2', '2', 'k3', '3', 'k4', '4', 'k5', '5');
    await mark('0');
    a.send('MIGRATE', H, m.port, '', 0, 5000, 'KEYS', 'k1', 'k2', 'k3', 'k4', 'k5');
    await poll('the target holds 5 RESTOREs', async () => held().length === 5);
    assert.equal(await b.call('SET', 'other', 'x'), '+OK\r\n', 'a key not in flight is served');
    b.send('SET', 'k1', 'new');
    await poll('the SET of a key in flight waits (with MIGRATE)', async () => (await blocked()) === 2);
    assert.equal(await c.call('MULTI'), '+OK\r\n');
    assert.equal(await c.call('INCR', 'k5'), '+QUEUED\r\n');
    c.send('EXEC');
    await poll('an EXEC naming a key in flight waits too', async () => (await blocked()) === 3);
    assert.equal(b.unread, '');
    held()[0]!.send('+OK\r\n+OK\r\n+OK\r\n+OK\r\n-ERR no\r\n');
    assert.equal(await a.read(), '-ERR Target instance replied with error: ERR no\r\n');
    assert.equal(await b.read(), '+OK\r\n');
    assert.equal(await c.read(), '*1\r\n:6\r\n', 'k5 was not acknowledged, so it stayed and EXEC ran on it');
    assert.equal(await b.call('GET', 'k1'), '$3\r\nnew\r\n');
    assert.equal(await b.call('EXISTS', 'k2', 'k3', 'k4', 'k5'), ':1\r\n');
    assert.deepEqual(await mark('1'), [['SET', 'other'], ['DEL', 'k1'], ['SET', 'k1'], ['INCR', 'k5']]);
    // the whole db flushed (or swapped) meanwhile: nothing is deleted
    await b.call('MSET', 'k1', '1', 'k2', '2');
    a.send('MIGRATE', H, m.port, '', 0, 5000, 'KEYS', 'k1', 'k2');
    await poll('the target holds 2 more RESTOREs', async () => held().length === 7);
    await b.call('FLUSHALL');
    b.send('SET', 'k2', 'again');
    await poll('the SET waits', async () => (await blocked()) === 2);
    held()[0]!.send('+OK\r\n+OK\r\n');
    assert.equal(await a.read(), '+OK\r\n');
    assert.equal(await b.read(), '+OK\r\n');
    assert.equal(await b.call('GET', 'k2'), '$5\r\nagain\r\n');
    assert.deepEqual(await mark('2'), [['MSET', 'k1'], ['FLUSHALL'], ['SET', 'k2']]);
  });

  test('a client that disconnects while waiting still has its acknowledged keys deleted', async (t) => {
    const { m, held, a, b, mark } = await setup(t);
    await b.call('MSET', 'k1', '1', 'k2', '2');
    await mark('0');
    a.send('MIGRATE', H, m.port, '', 0, 5000, 'KEYS', 'k1', 'k2');
    await poll('the target holds 2 RESTOREs', async () => held().length === 2);
    a.close();
    held()[0]!.send('+OK\r\n+OK\r\n');
    await poll('the keys deleted', async () => (await b.call('EXISTS', 'k1', 'k2')) === ':0\r\n');
    assert.deepEqual(await mark('1'), [['DEL', 'k1']]);
  });

  test('CLIENT PAUSE WRITE holds the deletion and the reply until it ends; CLIENT UNBLOCK does not end the wait', async (t) => {
    const { m, held, a, b } = await setup(t);
    await b.call('MSET', 'k1', '1');
    a.send('MIGRATE', H, m.port, 'k1', 0, 5000);
    await poll('the target holds the RESTORE', async () => held().length === 1);
    const id = (parseReply(await b.call('CLIENT', 'LIST')) as string).split('\n').find((l) => l.includes('cmd=migrate'))!.match(/id=(\d+)/)![1]!;
    assert.equal(await b.call('CLIENT', 'UNBLOCK', id), ':0\r\n');
    assert.equal(await b.call('CLIENT', 'PAUSE', 400, 'WRITE'), '+OK\r\n');
    const t0 = Date.now();
    held()[0]!.send('+OK\r\n');
    await new Promise((r) => setTimeout(r, 150));
    // (EXISTS k1 would wait for the outcome: the key is in flight)
    assert.equal(await b.call('DBSIZE'), ':1\r\n', 'not deleted during the pause');
    assert.equal(a.unread, '');
    assert.equal(await a.read(), '+OK\r\n');
    assert.ok(Date.now() - t0 >= 300, `replied ${Date.now() - t0} ms after the target`);
    assert.equal(await b.call('EXISTS', 'k1'), ':0\r\n');
  });

  test('at most 64 cached connections (MIGRATE_SOCKET_CACHE_ITEMS)', async (t) => {
    const s = await startNodis();
    t.after(() => s.close());
    const targets = await Promise.all(Array.from({ length: 66 }, () => MockTarget.start(t)));
    const c = await RawClient.connect(s.port);
    t.after(() => c.close());
    await c.call('SET', 'k', 'v');
    for (const m of targets) assert.equal(await c.call('MIGRATE', H, m.port, 'k', 0, 5000, 'COPY'), '+OK\r\n');
    assert.match(parseReply(await c.call('INFO', 'stats')) as string, /migrate_cached_sockets:64\r\n/);
    await poll('two connections dropped', async () => targets.filter((m) => m.open.length > 0).length === 64);
  });
});
