/*
 * nodis-proxy against real redis-server backends:
 * - keys land on the backend nutcracker's placement names (TwemproxyRing);
 * - a long mixed pipeline (single-key commands, split MGET / MSET / DEL /
 *   EXISTS / TOUCH / UNLINK, errors) gets byte-identical replies, in order, to
 *   the same pipeline sent to one standalone redis-server;
 * - MSETNX, transactions, WATCH, scripts across servers: CROSSSLOT-style
 *   errors, never partial execution;
 * - SCAN visits every key once across servers; DBSIZE and INFO keyspace sum;
 * - RESP3, HELLO, AUTH / redis_auth, SELECT, CLIENT, unknown commands;
 * - blocking commands and pub/sub on their own backend connections;
 * - a backend dying mid-pipeline fails only its requests, in order; client
 *   garbage closes only that client; auto-eject and probing.
 * Every process is closed in t.after; every wait is bounded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, encodeCommand, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis, startRedis, waitForPing, bounded } from '../helpers/servers.js';
import { keysOn, startProxyTopology } from '../helpers/proxy.js';

const skip = skipWithoutRedis();

async function untilTrue(f: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** send every command in one write, then read as many replies */
async function pipeline(c: RawClient, cmds: (string | number)[][]): Promise<string[]> {
  c.write(Buffer.concat(cmds.map((a) => encodeCommand(a))));
  const out: string[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(await c.read(10000));
  return out;
}

test('keys land where nutcracker places them; a mixed pipeline answers like one redis-server, in order', { skip }, async (t) => {
  const topo = await startProxyTopology(3);
  const single = await startRedis();
  t.after(async () => { await topo.close(); await single.close(); });
  const p = await RawClient.connect(topo.port);
  const r = await RawClient.connect(single.port);
  t.after(() => { p.close(); r.close(); });

  // placement
  const direct = await Promise.all(topo.redis.map((x) => RawClient.connect(x.port)));
  t.after(() => direct.forEach((d) => d.close()));
  for (let i = 0; i < 60; i++) {
    const k = `${i}:place\xff\x00é`;
    assert.equal(await p.call('SET', k, String(i)), '+OK\r\n');
    assert.equal(await direct[topo.owner(k)]!.call('GET', k), `$${String(i).length}\r\n${i}\r\n`, `key ${i}`);
  }

  // a seeded mixed pipeline
  let seed = 12345;
  console.log(`# pipeline seed ${seed}`);
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const key = (): string => `${rnd(40)}:k`;
  const cmds: (string | number)[][] = [];
  for (let i = 0; i < 1500; i++) {
    const n = 1 + rnd(6);
    const keys = Array.from({ length: n }, key);
    switch (rnd(16)) {
      case 0: cmds.push(['SET', keys[0]!, `v${i}`]); break;
      case 1: cmds.push(['GET', keys[0]!]); break;
      case 2: cmds.push(['MGET', ...keys]); break;
      case 3: cmds.push(['MSET', ...keys.flatMap((k) => [k, `m${i}`])]); break;
      case 4: cmds.push(['DEL', ...keys]); break;
      case 5: cmds.push(['EXISTS', ...keys, keys[0]!]); break;
      case 6: cmds.push(['TOUCH', ...keys]); break;
      case 7: cmds.push(['UNLINK', ...keys]); break;
      case 8: cmds.push(['INCR', `n:${rnd(5)}`]); break;
      case 9: cmds.push(['APPEND', keys[0]!, 'x']); break;
      case 10: cmds.push(['LPUSH', `l:${rnd(4)}`, `e${i}`]); break;
      case 11: cmds.push(['LRANGE', `l:${rnd(4)}`, 0, -1]); break;
      case 12: cmds.push(['HSET', `h:${rnd(4)}`, `f${rnd(3)}`, `v${i}`]); break;
      case 13: cmds.push(['HGET', `h:${rnd(4)}`, `f${rnd(3)}`]); break;
      case 14: cmds.push(['PING']); cmds.push(['ECHO', `e${i}`]); break;
      default: cmds.push(rnd(2) ? ['NOSUCHCMD', 'a', 'b'] : ['GET']); break;
    }
  }
  const [got, want] = await Promise.all([pipeline(p, cmds), pipeline(r, cmds)]);
  for (let i = 0; i < cmds.length; i++) assert.equal(got[i], want[i], `#${i} ${JSON.stringify(cmds[i])}`);
  // the split commands really spanned servers
  const owners = new Set(Array.from({ length: 40 }, (_, i) => topo.owner(`${i}:k`)));
  assert.equal(owners.size, 3);
});

test('MSETNX, MULTI/EXEC, WATCH, EVAL on one server work; across servers they are refused whole', { skip }, async (t) => {
  const topo = await startProxyTopology(3);
  t.after(() => topo.close());
  const c = await RawClient.connect(topo.port);
  t.after(() => c.close());
  // two keys on different servers, and a hash-tagged pair on one
  const [a] = keysOn(topo, 0, 1, 'x') as [string];
  const [bKey] = keysOn(topo, 1, 1, 'x') as [string];
  assert.equal(await c.call('MSETNX', a, '1', bKey, '2'), "-CROSSSLOT MSETNX keys must all hash to the same server\r\n");
  assert.equal(await c.call('EXISTS', a, bKey), ':0\r\n');
  assert.equal(await c.call('MSETNX', '{t}a', '1', '{t}b', '2'), ':1\r\n');
  assert.equal(await c.call('MSETNX', '{t}a', '1', '{t}c', '2'), ':0\r\n');

  // transaction on one server
  assert.deepEqual(await pipeline(c, [['MULTI'], ['INCR', '{t}n'], ['INCR', '{t}n'], ['GET', '{t}a'], ['EXEC']]),
    ['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '*3\r\n:1\r\n:2\r\n$1\r\n1\r\n']);
  // across servers: refused at queue time, EXEC aborts, nothing ran
  assert.deepEqual(await pipeline(c, [['MULTI'], ['SET', a, 'T'], ['SET', bKey, 'T'], ['EXEC'], ['GET', a]]),
    ['+OK\r\n', '+QUEUED\r\n', "-CROSSSLOT Keys in request don't hash to the same server\r\n",
      '-EXECABORT Transaction discarded because of previous errors.\r\n', '$-1\r\n']);
  assert.equal(await c.call('EXEC'), '-ERR EXEC without MULTI\r\n');
  assert.equal(await c.call('DISCARD'), '-ERR DISCARD without MULTI\r\n');
  // WATCH: a write by another client makes EXEC return nil
  const other = await RawClient.connect(topo.port);
  t.after(() => other.close());
  assert.equal(await c.call('WATCH', '{t}w'), '+OK\r\n');
  assert.equal(await other.call('SET', '{t}w', 'changed'), '+OK\r\n');
  assert.deepEqual(await pipeline(c, [['MULTI'], ['SET', '{t}w', 'mine'], ['EXEC']]), ['+OK\r\n', '+QUEUED\r\n', '*-1\r\n']);
  assert.equal(await c.call('GET', '{t}w'), '$7\r\nchanged\r\n');
  // WATCH then EXEC without a conflict
  assert.deepEqual(await pipeline(c, [['WATCH', '{t}w'], ['MULTI'], ['SET', '{t}w', 'mine'], ['EXEC']]),
    ['+OK\r\n', '+OK\r\n', '+QUEUED\r\n', '*1\r\n+OK\r\n']);
  assert.equal(await c.call('WATCH', a, bKey), "-CROSSSLOT Keys in request don't hash to the same server\r\n");

  // scripts: keys on one server run there; across servers refused; SCRIPT LOAD reaches every server
  assert.equal(await c.call('EVAL', "return redis.call('GET', KEYS[1]) .. ARGV[1]", 1, '{t}a', '!'), '$2\r\n1!\r\n');
  assert.equal(await c.call('EVAL', 'return 1', 2, a, bKey), "-CROSSSLOT Keys in request don't hash to the same server\r\n");
  assert.equal(await c.call('EVAL', 'return 7', 0), ':7\r\n');
  const sha = parseReply(await c.call('SCRIPT', 'LOAD', "return redis.call('SET', KEYS[1], ARGV[1])")) as string;
  assert.match(sha, /^[0-9a-f]{40}$/);
  for (let i = 0; i < 12; i++) assert.equal(await c.call('EVALSHA', sha, 1, `s:${i}`, 'v'), '+OK\r\n', `s:${i}`);
  assert.equal(await c.call('SCRIPT', 'EXISTS', sha, 'f'.repeat(40)), '*2\r\n:1\r\n:0\r\n');
  // other multi-key commands
  assert.equal(await c.call('RENAME', a, bKey), "-CROSSSLOT Keys in request don't hash to the same server\r\n");
  assert.equal(await c.call('SUNIONSTORE', '{t}d', '{t}s1', '{t}s2'), ':0\r\n');
});

test('SCAN visits every key once across servers; DBSIZE and INFO keyspace add up; KEYS merges', { skip }, async (t) => {
  // modula placement, two connections per server, opened at start
  const topo = await startProxyTopology(3, { pool: '  hash: crc32a\n  distribution: modula\n  server_connections: 2\n  preconnect: true\n' });
  t.after(() => topo.close());
  const c = await RawClient.connect(topo.port);
  t.after(() => c.close());
  const keys = Array.from({ length: 300 }, (_, i) => `scan:${i}`);
  const sets = [];
  for (let i = 0; i < keys.length; i += 50) sets.push(['MSET', ...keys.slice(i, i + 50).flatMap((k) => [k, 'v'])]);
  await pipeline(c, sets);
  assert.equal(await c.call('SET', 'ttl:1', 'v', 'EX', '1000'), '+OK\r\n');
  const seen: string[] = [];
  let cursor = '0';
  let rounds = 0;
  do {
    const [next, batch] = parseReply(await c.call('SCAN', cursor, 'MATCH', 'scan:*', 'COUNT', '37')) as [string, string[]];
    seen.push(...batch);
    cursor = next;
    assert.ok(++rounds < 200);
  } while (cursor !== '0');
  assert.equal(new Set(seen).size, seen.length, 'no key twice');
  assert.deepEqual([...seen].sort(), [...keys].sort());
  assert.equal(await c.call('SCAN', 'abc'), '-ERR invalid cursor\r\n');
  assert.equal(await c.call('DBSIZE'), ':301\r\n');
  const info = parseReply(await c.call('INFO', 'keyspace')) as string;
  assert.match(info, /^# Keyspace\r\ndb0:keys=301,expires=1,avg_ttl=\d+\r\n$/);
  const all = parseReply(await c.call('INFO')) as string;
  assert.match(all, /# Proxy\r\npool:test\r\n/);
  assert.match(all, /live_servers:3\r\n/);
  assert.equal((parseReply(await c.call('KEYS', 'scan:1*')) as string[]).length, keys.filter((k) => k.startsWith('scan:1')).length);
});

test('RESP3, HELLO, SELECT, CLIENT, COMMAND, unknown commands and wrong arity', { skip }, async (t) => {
  const topo = await startProxyTopology(2);
  t.after(() => topo.close());
  const c = await RawClient.connect(topo.port);
  t.after(() => c.close());
  assert.equal(await c.call('FOO', 'bar'), "-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n");
  assert.equal(await c.call('GET'), "-ERR wrong number of arguments for 'get' command\r\n");
  assert.equal(await c.call('CLIENT', 'NOPE'), "-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n");
  assert.equal(await c.call('SELECT', '0'), '+OK\r\n');
  assert.match(await c.call('SELECT', '1'), /^-ERR DB index is out of range/);
  assert.equal(await c.call('CLIENT', 'SETNAME', 'me'), '+OK\r\n');
  assert.equal(await c.call('CLIENT', 'GETNAME'), '$2\r\nme\r\n');
  assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-name', 'x'), '+OK\r\n');
  assert.equal(await c.call('PING'), '+PONG\r\n');
  assert.equal(await c.call('ECHO', 'hi'), '$2\r\nhi\r\n');
  assert.match(await c.call('COMMAND', 'COUNT'), /^:\d+\r\n$/);
  assert.equal(await c.call('COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2'), '*2\r\n$1\r\na\r\n$1\r\nb\r\n');
  assert.match(await c.call('CONFIG', 'GET', 'maxmemory'), /^-ERR command 'config\|get' is not supported|^-ERR command 'config' is not supported/);
  const hello = parseReply(await c.call('HELLO', '3')) as Map<string, unknown>;
  assert.equal(hello.get('proto'), 3);
  assert.equal(hello.get('server'), 'redis');
  assert.equal(await c.call('GET', 'missing'), '_\r\n');
  assert.equal(await c.call('CLIENT', 'GETNAME'), '$2\r\nme\r\n');
  await c.call('SET', 'r3:a', '1');
  const keys = Array.from({ length: 20 }, (_, i) => `r3:${String.fromCharCode(97 + i)}`);
  const mget = await c.call('MGET', ...keys);
  assert.equal(mget, '*20\r\n$1\r\n1\r\n' + '_\r\n'.repeat(19));
  assert.equal(await c.call('HSET', 'r3:h', 'f', 'v'), ':1\r\n');
  assert.equal(await c.call('HGETALL', 'r3:h'), '%1\r\n$1\r\nf\r\n$1\r\nv\r\n');
  assert.match(await c.call('INFO', 'server'), /^=\d+\r\ntxt:# Server\r\n/);
  assert.equal(await c.call('HELLO', '4'), '-NOPROTO unsupported protocol version\r\n');
  assert.equal(await c.call('AUTH', 'x'), '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n');
});

test('redis_auth: clients must AUTH; the proxy authenticates to the backends', { skip }, async (t) => {
  const topo = await startProxyTopology(2, { pool: '  redis_auth: s3cret\n  redis_db: 3\n' });
  t.after(() => topo.close());
  for (const r of topo.redis) {
    const d = await RawClient.connect(r.port);
    assert.equal(await d.call('CONFIG', 'SET', 'requirepass', 's3cret'), '+OK\r\n');
    d.close();
  }
  const c = await RawClient.connect(topo.port);
  t.after(() => c.close());
  assert.equal(await c.call('GET', 'a'), '-NOAUTH Authentication required.\r\n');
  assert.equal(await c.call('AUTH', 'wrong'), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
  assert.equal(await c.call('AUTH', 's3cret'), '+OK\r\n');
  assert.equal(await c.call('MSET', 'a', '1', 'b', '2', 'c', '3'), '+OK\r\n');
  assert.equal(await c.call('MGET', 'a', 'b', 'c'), '*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n');
  // redis_db: the data is in db 3 of the backends
  const d = await RawClient.connect(topo.redis[topo.owner('a')]!.port);
  t.after(() => d.close());
  await d.call('AUTH', 's3cret');
  assert.equal(await d.call('GET', 'a'), '$-1\r\n');
  await d.call('SELECT', '3');
  assert.equal(await d.call('GET', 'a'), '$1\r\n1\r\n');
  const h = await RawClient.connect(topo.port);
  t.after(() => h.close());
  assert.match(await h.call('HELLO', '3'), /^-NOAUTH HELLO must be called/);
  assert.match(await h.call('HELLO', '3', 'AUTH', 'default', 's3cret'), /^%7\r\n/);
  assert.equal(await h.call('GET', 'b'), '$1\r\n2\r\n');
});

test('blocking commands and pub/sub run on their own backend connections', { skip }, async (t) => {
  const topo = await startProxyTopology(3);
  t.after(() => topo.close());
  const [a, b, c] = await Promise.all([RawClient.connect(topo.port), RawClient.connect(topo.port), RawClient.connect(topo.port)]);
  t.after(() => { a.close(); b.close(); c.close(); });
  // BLPOP blocks a, not the others
  a.send('BLPOP', 'q:1', 'q:1', '5');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await bounded(b.call('SET', 'q:other', 'x'), 1000), '+OK\r\n');
  assert.equal(await b.call('RPUSH', 'q:1', 'job'), ':1\r\n');
  assert.equal(await a.read(3000), '*2\r\n$3\r\nq:1\r\n$3\r\njob\r\n');
  // a pipeline after a blocking command waits for it, in order
  a.write(Buffer.concat([encodeCommand(['BLPOP', 'q:2', '1']), encodeCommand(['SET', 'q:2', 'after'])]));
  assert.equal(await a.read(3000), '*-1\r\n');
  assert.equal(await a.read(3000), '+OK\r\n');

  // pub/sub: channels on their ring server, patterns everywhere
  assert.equal(await a.call('SUBSCRIBE', 'news', 'sport'), '*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n');
  assert.equal(await a.read(), '*3\r\n$9\r\nsubscribe\r\n$5\r\nsport\r\n:2\r\n');
  assert.equal(await a.call('PSUBSCRIBE', 'w*'), '*3\r\n$10\r\npsubscribe\r\n$2\r\nw*\r\n:3\r\n');
  assert.match(await a.call('GET', 'x'), /^-ERR Can't execute 'get'/);
  assert.equal(await a.call('PING'), '*2\r\n$4\r\npong\r\n$0\r\n\r\n');
  assert.equal(await b.call('PUBLISH', 'sport', 'goal'), ':1\r\n');
  assert.equal(await a.read(), '*3\r\n$7\r\nmessage\r\n$5\r\nsport\r\n$4\r\ngoal\r\n');
  for (let i = 0; i < 6; i++) {
    assert.equal(await b.call('PUBLISH', `w${i}`, 'sun'), ':1\r\n');
    assert.equal(await a.read(), `*4\r\n$8\r\npmessage\r\n$2\r\nw*\r\n$2\r\nw${i}\r\n$3\r\nsun\r\n`);
  }
  assert.equal(await b.call('PUBSUB', 'NUMSUB', 'news', 'sport', 'none'), '*6\r\n$4\r\nnews\r\n:1\r\n$5\r\nsport\r\n:1\r\n$4\r\nnone\r\n:0\r\n');
  assert.equal(await b.call('PUBSUB', 'NUMPAT'), ':1\r\n');
  assert.deepEqual((parseReply(await b.call('PUBSUB', 'CHANNELS')) as string[]).sort(), ['news', 'sport']);
  assert.equal(await a.call('UNSUBSCRIBE', 'news'), '*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:2\r\n');
  assert.equal(await a.call('PUNSUBSCRIBE'), '*3\r\n$12\r\npunsubscribe\r\n$2\r\nw*\r\n:1\r\n');
  assert.equal(await a.call('UNSUBSCRIBE'), '*3\r\n$11\r\nunsubscribe\r\n$5\r\nsport\r\n:0\r\n');
  assert.equal(await a.call('GET', 'q:2'), '$5\r\nafter\r\n');
  // RESP3 pushes
  assert.match(await c.call('HELLO', '3'), /^%/);
  assert.equal(await c.call('SUBSCRIBE', 'r3'), '>3\r\n$9\r\nsubscribe\r\n$2\r\nr3\r\n:1\r\n');
  assert.equal(await c.call('GET', 'q:2'), '$5\r\nafter\r\n');
  assert.equal(await b.call('PUBLISH', 'r3', 'hi'), ':1\r\n');
  assert.equal(await c.read(), '>3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$2\r\nhi\r\n');
});

test('a backend dying mid-pipeline fails only its requests, in order; garbage closes only its client', { skip }, async (t) => {
  const topo = await startProxyTopology(2);
  t.after(() => topo.close());
  const c = await RawClient.connect(topo.port);
  const bystander = await RawClient.connect(topo.port);
  t.after(() => { c.close(); bystander.close(); });
  const [k0, k1] = [keysOn(topo, 0, 3, 'd'), keysOn(topo, 1, 3, 'd')];
  assert.equal(await c.call('MSET', ...[...k0, ...k1].flatMap((k) => [k, k])), '+OK\r\n');
  assert.equal(await c.call('GET', k0[0]!), `$${k0[0]!.length}\r\n${k0[0]}\r\n`);
  // freeze server 0, queue requests to both servers, then kill server 0
  const d0 = await RawClient.connect(topo.redis[0]!.port);
  assert.equal(await d0.call('CLIENT', 'PAUSE', '10000', 'ALL'), '+OK\r\n');
  d0.close();
  const cmds = [['GET', k0[0]!], ['GET', k1[0]!], ['GET', k0[1]!], ['GET', k1[1]!], ['MGET', k0[2]!, k1[2]!], ['GET', k1[2]!]];
  c.write(Buffer.concat(cmds.map((x) => encodeCommand(x))));
  await new Promise((r) => setTimeout(r, 100));
  topo.redis[0]!.proc.kill('SIGKILL');
  const replies: string[] = [];
  for (let i = 0; i < cmds.length; i++) replies.push(await c.read(5000));
  assert.match(replies[0]!, /^-ERR Connection (closed by server|reset by peer)\r\n$/);
  assert.equal(replies[1], `$${k1[0]!.length}\r\n${k1[0]}\r\n`);
  assert.match(replies[2]!, /^-ERR Connection/);
  assert.equal(replies[3], `$${k1[1]!.length}\r\n${k1[1]}\r\n`);
  assert.match(replies[4]!, /^-ERR Connection/);
  assert.equal(replies[5], `$${k1[2]!.length}\r\n${k1[2]}\r\n`);
  // later requests to the dead server fail fast; the live one still answers
  assert.match(await c.call('GET', k0[0]!), /^-ERR Connection (refused|reset by peer|closed by server)\r\n$/);
  assert.equal(await c.call('GET', k1[0]!), `$${k1[0]!.length}\r\n${k1[0]}\r\n`);

  // client garbage: protocol error for that client, connection closed; others fine
  const g = await RawClient.connect(topo.port);
  t.after(() => g.close());
  g.write('*1\r\n$4\r\nPING\r\n*x\r\n');
  assert.equal(await g.read(), '+PONG\r\n');
  assert.equal(await g.read(), '-ERR Protocol error: invalid multibulk length\r\n');
  await g.waitClose(3000);
  assert.equal(await bystander.call('GET', k1[1]!), `$${k1[1]!.length}\r\n${k1[1]}\r\n`);
});

test('auto_eject_hosts: a dead server leaves the ring, keys move to the rest, and it returns after a probe', { skip }, async (t) => {
  const topo = await startProxyTopology(3, {
    pool: '  hash: murmur\n  distribution: ketama\n  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 300\n  timeout: 2000\n',
  });
  t.after(() => topo.close());
  const c = await RawClient.connect(topo.port);
  t.after(() => c.close());
  const victim = topo.redis[1]!;
  const [key] = keysOn(topo, 1, 1, 'e') as [string];
  assert.equal(await c.call('SET', key, 'before'), '+OK\r\n');
  const port = victim.port;
  victim.proc.kill('SIGKILL');
  await untilTrue(() => victim.proc.exitCode !== null || victim.proc.signalCode !== null);
  // the first request fails (that is how the proxy learns), then the key is served elsewhere
  const first = await c.call('GET', key);
  assert.match(first, /^-ERR Connection/);
  assert.equal(await c.call('SET', key, 'elsewhere'), '+OK\r\n');
  assert.equal(await c.call('GET', key), '$9\r\nelsewhere\r\n');
  assert.match(parseReply(await c.call('INFO', 'proxy')) as string, /live_servers:2\r\n/);
  // bring a server back on the same port: the probe re-adds it
  const { spawn } = await import('node:child_process');
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  t.after(() => { proc.kill('SIGKILL'); });
  await waitForPing(port);
  await untilTrue(async () => /live_servers:3\r\n/.test(parseReply(await c.call('INFO', 'proxy')) as string), 5000);
  assert.equal(await c.call('GET', key), '$-1\r\n', 'the key is placed on its own server again (empty after the restart)');
});
