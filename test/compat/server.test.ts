/*
 * TIME, LASTSAVE, DEBUG, SLOWLOG, LATENCY, MONITOR, SHUTDOWN (argument
 * errors only), FUNCTION FLUSH against real Redis.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply, RawClient } from '../helpers/resp-client.js';

describe('server commands', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('TIME and LASTSAVE', async () => {
    const c = await p.client();
    const a = await c.doLoosely('TIME');
    const [sec, usec] = parseReply(a) as string[];
    assert.ok(Math.abs(Number(sec) - Date.now() / 1000) < 5);
    assert.ok(Number(usec) >= 0 && Number(usec) < 1e6);
    await c.doLoosely('LASTSAVE');
    await c.error('ERR wrong number', 'TIME', 'x');
    await c.error('ERR wrong number', 'LASTSAVE', 'x');
  });

  test('DEBUG PROTOCOL in RESP2 and RESP3', async () => {
    const c = await p.client();
    const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'verbatim', 'true', 'false'];
    for (const t of types) await c.do('DEBUG', 'PROTOCOL', t);
    await c.error('ERR RESP2', 'DEBUG', 'PROTOCOL', 'push');
    await c.error('ERR Wrong protocol type', 'DEBUG', 'PROTOCOL', 'bogus');
    await c.both('HELLO', '3');
    for (const t of types) await c.do('DEBUG', 'PROTOCOL', t);
    const [a, b] = await c.both('DEBUG', 'PROTOCOL', 'push');
    assert.equal(a, b);
    assert.equal(await c.ours.read(), await c.theirs.read());
  });

  test('DEBUG subcommands: LOG, SLEEP, SET-ACTIVE-EXPIRE, POPULATE, OBJECT, DIGEST, errors', async () => {
    const c = await p.client();
    await c.do('DEBUG', 'LOG', 'hello');
    await c.do('DEBUG', 'SLEEP', '0');
    await c.do('DEBUG', 'SLEEP', '0.01');
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    await c.do('DEBUG', 'HELP');
    await c.error('ERR unknown subcommand or wrong number of arguments', 'DEBUG', 'bogus');
    await c.error('ERR unknown subcommand or wrong number of arguments', 'DEBUG', 'LOG');
    await c.error('ERR wrong number', 'DEBUG');
    await c.do('DEBUG', 'DIGEST');
    await c.do('DEBUG', 'DIGEST-VALUE', 'nokey');
    await c.do('DEBUG', 'POPULATE', '10');
    await c.do('DEBUG', 'POPULATE', '5', 'p', '3');
    await c.do('DEBUG', 'POPULATE', '5', 'q', '20');
    await c.do('DBSIZE');
    for (const k of ['key:0', 'key:9', 'p:4', 'q:1']) await c.do('GET', k);
    await c.error('ERR value is out of range, must be positive', 'DEBUG', 'POPULATE', '-1');
    await c.error('ERR value is out of range, must be positive', 'DEBUG', 'POPULATE', 'x');
    await c.error('ERR no such key', 'DEBUG', 'OBJECT', 'nokey');
    const o = await c.doLoosely('DEBUG', 'OBJECT', 'key:0');
    assert.match(o, /^\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+\r\n$/);
    await c.do('SET', 'n', '12345');
    const on = await c.doLoosely('DEBUG', 'OBJECT', 'n');
    assert.match(on, / encoding:int serializedlength:3 /);
    // the digest changes with the data and is stable otherwise
    const d1 = await c.ours.call('DEBUG', 'DIGEST');
    assert.equal(await c.ours.call('DEBUG', 'DIGEST'), d1);
    await c.ours.call('SET', 'n', '1');
    assert.notEqual(await c.ours.call('DEBUG', 'DIGEST'), d1);
    await c.ours.call('FLUSHALL');
    assert.equal(await c.ours.call('DEBUG', 'DIGEST'), '+' + '0'.repeat(40) + '\r\n');
  });

  test('DEBUG DIGEST-VALUE of strings equals Redis', async () => {
    const c = await p.client();
    await c.do('SET', 'a', 'hello');
    await c.do('SET', 'b', '123');
    await c.do('DEBUG', 'DIGEST-VALUE', 'a', 'b', 'c');
  });

  test('SLOWLOG', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await c.do('SLOWLOG', 'RESET');
    await c.both('SET', 'a', 'x'.repeat(200));
    const args = Array.from({ length: 40 }, (_, i) => String(i));
    await c.both('ECHO', 'hi');
    await c.both('DEL', ...args);
    await c.both('CLIENT', 'SETNAME', 'me');
    await c.both('CONFIG', 'SET', 'masterauth', 'secret');
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const [a, b] = await c.both('SLOWLOG', 'GET', '-1');
    // entry: id, time, duration, argv, peer, name: compare argv and name (ids differ with history)
    const strip = (r: string): unknown[] => (parseReply(r) as unknown[][]).map((e) => [e[3], e[5]]);
    assert.deepEqual(strip(a), strip(b));
    await c.doLoosely('SLOWLOG', 'LEN');
    await c.doLoosely('SLOWLOG', 'GET', '2');
    await c.error('ERR count should be greater than or equal to -1', 'SLOWLOG', 'GET', '-2');
    await c.error('ERR count should be greater than or equal to -1', 'SLOWLOG', 'GET', 'x');
    await c.do('SLOWLOG', 'HELP');
    await c.do('SLOWLOG', 'RESET');
    await c.do('SLOWLOG', 'LEN');
    await c.do('SLOWLOG', 'GET');
    await c.error('ERR unknown subcommand', 'SLOWLOG', 'FOO');
    await c.error('ERR wrong number', 'SLOWLOG', 'LEN', 'x');
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '10000', 'masterauth', '');
  });

  test('LATENCY', async () => {
    const c = await p.client();
    await c.do('LATENCY', 'RESET');
    await c.do('LATENCY', 'LATEST');
    await c.do('LATENCY', 'HISTORY', 'command');
    await c.do('LATENCY', 'RESET', 'nosuch');
    await c.do('LATENCY', 'HELP');
    await c.do('LATENCY', 'DOCTOR');
    await c.error('ERR No samples available for event', 'LATENCY', 'GRAPH', 'command');
    await c.error('ERR wrong number', 'LATENCY', 'HELP', 'x');
    await c.do('CONFIG', 'SET', 'latency-monitor-threshold', '50');
    await c.both('DEBUG', 'SLEEP', '0.06');
    await c.doLoosely('LATENCY', 'LATEST');
    await c.doLoosely('LATENCY', 'HISTORY', 'command');
    const [g] = await c.both('LATENCY', 'GRAPH', 'command');
    assert.match(g, /^\$\d+\r\ncommand - high \d+ ms, low \d+ ms \(all time high \d+ ms\)\n-{80}\n/);
    await c.do('LATENCY', 'RESET');
    await c.do('CONFIG', 'SET', 'latency-monitor-threshold', '0');
    await c.do('CONFIG', 'RESETSTAT');
    await c.both('SET', 'a', 'b');
    await c.both('SET', 'a', 'b');
    const [h, r] = await c.both('LATENCY', 'HISTOGRAM', 'set', 'nosuch', 'config');
    const shape = (x: string): unknown => [...(parseReply(x) as Map<string, Map<string, unknown>>)]
      .map(([k, v]) => [k, v.get('calls')]).sort();
    await c.both('HELLO', '3');
    const [h3, r3] = await c.both('LATENCY', 'HISTOGRAM', 'set', 'nosuch', 'config');
    assert.deepEqual(shape(h3), shape(r3));
    void h; void r;
  });

  test('SLOWLOG: ACL SETUSER redacted from the user name on; SLOWLOG RESET is queued in MULTI and refused in RESP2 pub/sub', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await c.do('SLOWLOG', 'RESET');
    await c.error('ERR Usernames can\'t contain spaces', 'ACL', 'SETUSER', 'slowlog test user', '+get', '+set');
    await c.do('ACL', 'SETUSER', 'slowlog-test-user', '+get', '+set');
    await c.do('MULTI');
    await c.do('SLOWLOG', 'RESET');
    await c.do('LATENCY', 'RESET');
    await c.do('SET', 'a', '1');
    await c.do('EXEC');
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const strip = (r: string): unknown[] => (parseReply(r) as unknown[][]).map((e) => [e[3], e[5]]);
    const [a, b] = await c.both('SLOWLOG', 'GET', '-1');
    assert.deepEqual(strip(a), strip(b));
    await c.do('ACL', 'DELUSER', 'slowlog-test-user');
    await c.do('SUBSCRIBE', 'ch');
    await c.error('ERR Can\'t execute', 'SLOWLOG', 'RESET');
    await c.error('ERR Can\'t execute', 'LATENCY', 'RESET');
    await c.do('RESET');
    await c.do('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  });

  test('SLOWLOG and INFO commandstats of a blocked command: logged when served, CLIENT UNBLOCK entries without arguments', async () => {
    const c = await p.client();
    const entries: unknown[][] = [];
    const stats: string[] = [];
    for (const port of [p.nodis.port, p.redis.port]) {
      const r = await RawClient.connect(port);
      const bl = await RawClient.connect(port);
      await r.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await r.call('CONFIG', 'RESETSTAT');
      await bl.call('CLIENT', 'SETNAME', 'blk');
      // served by an LPUSH in MULTI after SLOWLOG RESET: the BLPOP is the newest entry (lpush rewritten as itself)
      bl.send('BLPOP', 'l', '0');
      await assert.rejects(bl.read(100), /no reply/);
      await r.call('MULTI');
      await r.call('LPUSH', 'l', 'foo');
      await r.call('SLOWLOG', 'RESET');
      await r.call('EXEC');
      assert.equal(await bl.read(), '*2\r\n$1\r\nl\r\n$3\r\nfoo\r\n');
      // CLIENT UNBLOCK, timeout reply then error: both end with a failed call and an entry without arguments
      const id = String(parseReply(await bl.call('CLIENT', 'ID')));
      for (const how of [[], ['ERROR']]) {
        bl.send('BLPOP', 'l', '0');
        await assert.rejects(bl.read(100), /no reply/);
        assert.equal(await r.call('CLIENT', 'UNBLOCK', id, ...how), ':1\r\n');
        await bl.read();
      }
      // a timeout is not logged
      assert.equal(await bl.call('BLPOP', 'l', '0.05'), '*-1\r\n');
      await r.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      // client ids differ between the servers
      const argv = (e: unknown[]): unknown => (e[3] as string[]).map((a, i) => (i === 2 && a === id ? 'ID' : a));
      entries.push((parseReply(await r.call('SLOWLOG', 'GET', '-1')) as unknown[][]).map((e) => [argv(e), e[5]]));
      stats.push(String(parseReply(await r.call('INFO', 'commandstats'))).match(/cmdstat_blpop:calls=(\d+).*failed_calls=(\d+)/)!.slice(1).join(' '));
      await r.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      r.close();
      bl.close();
    }
    assert.deepEqual(entries[0], entries[1]);
    assert.equal(stats[0], stats[1]);
    await c.do('PING');
  });

  test('MONITOR shows a blocked command once (when it blocks, not again when served)', async () => {
    const c = await p.client();
    const lines: string[][] = [];
    for (const port of [p.nodis.port, p.redis.port]) {
      const m = await RawClient.connect(port);
      const bl = await RawClient.connect(port);
      const r = await RawClient.connect(port);
      await m.call('MONITOR');
      bl.send('BLPOP', 'ml', '0');
      await assert.rejects(bl.read(100), /no reply/);
      await r.call('RPUSH', 'ml', 'x');
      await bl.read();
      await r.call('PING');
      const got: string[] = [];
      for (let i = 0; i < 3; i++) got.push((await m.read()).replace(/^\+\d+\.\d+ \[\d+ [^\]]+\] /, ''));
      lines.push(got);
      m.close(); bl.close(); r.close();
    }
    assert.deepEqual(lines[0], lines[1]);
    await c.do('PING');
  });

  test('MONITOR feed format, admin commands hidden, redaction', async () => {
    const c = await p.client();
    const [ma, mb] = await Promise.all([RawClient.connect(p.nodis.port), RawClient.connect(p.redis.port)]);
    try {
      assert.equal(await ma.call('MONITOR'), await mb.call('MONITOR'));
      await c.both('SET', 'k', 'a "quoted"\n\x01 value');
      await c.both('CONFIG', 'GET', 'maxmemory');
      await c.both('SELECT', '3');
      await c.both('GET', 'k');
      await c.both('AUTH', 'secret');
      const norm = (l: string): string => l.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, '+T [$1 ADDR]');
      for (let i = 0; i < 4; i++) {
        const [x, y] = [await ma.read(), await mb.read()];
        assert.equal(norm(x), norm(y));
        assert.match(x, /^\+\d{10}\.\d{6} \[\d+ 127\.0\.0\.1:\d+\] /);
      }
    } finally { ma.close(); mb.close(); }
  });

  test('MONITOR: EVAL / EVALSHA / FCALL come before the script\'s calls, which show as [db lua]', async () => {
    const c = await p.client();
    await c.do('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=mon\nredis.register_function('monf', function() return redis.call('set', 'foo', 'bar') end)");
    const [ma, mb] = await Promise.all([RawClient.connect(p.nodis.port), RawClient.connect(p.redis.port)]);
    try {
      assert.equal(await ma.call('MONITOR'), await mb.call('MONITOR'));
      await c.do('EVAL', "redis.call('set',KEYS[1],ARGV[1])", '1', 'foo', 'bar');
      await c.do('EVALSHA', '7cfb4342127e7ab3d63ac05e0d3615fd50b45b06', '1', 'foo', 'bar');
      await c.error('NOSCRIPT', 'EVALSHA', 'abc', '0');
      await c.do('EVAL_RO', "return redis.call('get','foo')", '1', 'foo');
      await c.do('FCALL', 'monf', '0');
      await c.error('ERR Function not found', 'FCALL', 'nosuch', '0');
      await c.do('MULTI');
      await c.do('EVAL', "return redis.call('incr','n')", '0');
      await c.do('EXEC');
      const norm = (l: string): string => l.replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '+T [$1 ADDR]').replace(/^\+\d+\.\d{6} /, '+T ');
      for (let i = 0; i < 13; i++) {
        const [x, y] = [await ma.read(), await mb.read()];
        assert.equal(norm(x), norm(y), `line ${i}`);
      }
      await c.do('PING');
      assert.equal(norm(await ma.read()), norm(await mb.read()));
    } finally { ma.close(); mb.close(); }
    await c.do('FUNCTION', 'FLUSH');
  });

  test('FUNCTION FLUSH and SHUTDOWN argument errors', async () => {
    const c = await p.client();
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'FLUSH', 'ASYNC');
    await c.do('FUNCTION', 'FLUSH', 'sync');
    await c.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option', 'FUNCTION', 'FLUSH', 'x');
    await c.error('ERR unknown subcommand or wrong number', 'FUNCTION', 'FLUSH', 'a', 'b');
    await c.error('ERR syntax error', 'SHUTDOWN', 'bogus');
    await c.error('ERR syntax error', 'SHUTDOWN', 'SAVE', 'NOSAVE');
    await c.error('ERR syntax error', 'SHUTDOWN', 'ABORT', 'NOW');
    await c.error('ERR No shutdown in progress.', 'SHUTDOWN', 'ABORT');
  });
});
