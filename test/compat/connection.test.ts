/*
 * Differential tests of the connection group: HELLO, AUTH, QUIT, RESET, PING,
 * ECHO and CLIENT subcommands, compared byte for byte with redis-server
 * 7.0.15. Replies that carry per-connection values (client ids, addresses)
 * are normalized first; CLIENT LIST is compared by its field names. CLIENT
 * SETINFO and NO-TOUCH (Redis 7.2) are tested against Nodis only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { RawClient } from '../helpers/resp-client.js';
import { skipWithoutRedis, startNodis } from '../helpers/servers.js';

/** HELLO replies carry the connection id: blank it. */
const noId = (s: string): string => s.replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1:ID\r\n');

async function sameHello(c: PairClient, ...args: string[]): Promise<string> {
  const [a, b] = await c.both('HELLO', ...args);
  assert.equal(noId(a), noId(b), `HELLO ${args.join(' ')}`);
  return a;
}

/** Field names of a CLIENT LIST/INFO line, in order. */
const fieldNames = (line: string): string[] => line.trim().split(' ').map((kv) => kv.slice(0, kv.indexOf('=')));
const bulkBody = (raw: string): string => raw.slice(raw.indexOf('\r\n') + 2, -2);

describe('connection: HELLO / PING / ECHO', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('HELLO in RESP2 and RESP3, and what RESP3 changes', async () => {
    const c = await p.client();
    await sameHello(c);
    await sameHello(c, '2');
    await sameHello(c, '3');
    await c.do('GET', 'missing'); // _ in RESP3
    await c.do('PING');
    await c.do('CLIENT', 'GETNAME');
    await sameHello(c, '3', 'SETNAME', 'conn-a');
    await c.do('CLIENT', 'GETNAME');
    await sameHello(c, '2', 'AUTH', 'default', 'anything'); // nopass default user takes any password
    await c.do('GET', 'missing');
  });
  test('HELLO errors', async () => {
    const c = await p.client();
    await c.error('NOPROTO', 'HELLO', '4');
    await c.error('NOPROTO', 'HELLO', '1');
    await c.error('ERR Protocol version', 'HELLO', 'abc');
    await c.error('ERR Protocol version', 'HELLO', '99999999999999999999');
    await c.error('ERR Syntax error in HELLO option', 'HELLO', '3', 'foo');
    await c.error('ERR Syntax error in HELLO option', 'HELLO', '3', 'AUTH', 'default');
    await c.error('ERR Syntax error in HELLO option', 'HELLO', '3', 'SETNAME');
    await c.error('WRONGPASS', 'HELLO', '3', 'AUTH', 'nouser', 'x');
    await c.error('ERR Client names', 'HELLO', '3', 'SETNAME', 'a b');
    await c.do('GET', 'missing'); // still RESP2: errors did not switch
  });
  test('PING and ECHO', async () => {
    const c = await p.client();
    await c.do('PING');
    await c.do('ping', 'hi there');
    await c.error('ERR wrong number', 'PING', 'a', 'b');
    await c.do('ECHO', '');
    await c.do('ECHO', '\x00\xff\r\n');
    await c.error('ERR wrong number', 'ECHO');
    await c.error('ERR wrong number', 'ECHO', 'a', 'b');
  });
});

describe('connection: AUTH without requirepass', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('errors', async () => {
    const c = await p.client();
    await c.error('ERR AUTH <password> called without any password', 'AUTH', 'x');
    await c.do('AUTH', 'default', 'whatever');
    await c.error('WRONGPASS', 'AUTH', 'someone', 'x');
    await c.error('ERR syntax error', 'AUTH', 'a', 'b', 'c');
    await c.error('ERR wrong number', 'AUTH');
  });
});

describe('connection: AUTH with requirepass', { skip: skipWithoutRedis() }, () => {
  // requirepass is set at run time: the launchers poll with an unauthenticated PING
  const p = usePair();
  test('NOAUTH, WRONGPASS, then AUTH', async () => {
    const admin = await p.client();
    await admin.do('CONFIG', 'SET', 'requirepass', 'sekret');
    await admin.do('GET', 'k'); // connections made before requirepass stay authenticated
    const c = await p.client({ flush: false });
    await c.error('NOAUTH', 'GET', 'k');
    await c.error('NOAUTH', 'CLIENT', 'ID');
    await c.error('NOAUTH', 'PING', 'x');
    await c.error('WRONGPASS', 'AUTH', 'bad');
    await c.error('WRONGPASS', 'AUTH', 'default', 'bad');
    await c.error('NOAUTH HELLO must be called', 'HELLO', '3');
    await c.error('NOAUTH', 'CLIENT', 'GETNAME');
    await c.do('AUTH', 'sekret');
    await c.do('GET', 'k');
  });
  test('HELLO AUTH authenticates and switches protocol; SETNAME applies before NOAUTH', async () => {
    const c = await p.client({ flush: false });
    await c.error('NOAUTH HELLO', 'HELLO', '3', 'SETNAME', 'early');
    await sameHello(c, '3', 'AUTH', 'default', 'sekret');
    await c.do('CLIENT', 'GETNAME');
    await c.do('GET', 'nokey');
  });
  test('unauthenticated protocol limits', async () => {
    let c = await p.client({ flush: false });
    await c.raw('*11\r\n');
    c = await p.client({ flush: false });
    await c.raw('*2\r\n$3\r\nGET\r\n$16385\r\n');
    c = await p.client({ flush: false });
    await c.raw(`*2\r\n$4\r\nAUTH\r\n$16384\r\n${'x'.repeat(16384)}\r\n`);
  });
  test('RESET drops the authentication', async () => {
    const c = await p.client({ flush: false });
    await c.do('AUTH', 'sekret');
    await c.do('RESET');
    await c.error('NOAUTH', 'GET', 'k');
  });
});

describe('connection: QUIT and RESET', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('QUIT replies OK and closes; pipelined commands after it do not run', async () => {
    const c = await p.client();
    await c.raw('*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n');
    await Promise.all([c.ours.waitClose(), c.theirs.waitClose()]);
    const d = await p.client({ flush: false });
    await d.do('GET', 'foo');
    await d.do('QUIT', 'extra', 'args');
    await Promise.all([d.ours.waitClose(), d.theirs.waitClose()]);
  });
  test('QUIT followed by a large pipelined command', async () => {
    const c = await p.client();
    await c.raw(`QUIT\r\n*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$100000\r\n${'x'.repeat(100000)}\r\n`);
    await Promise.all([c.ours.waitClose(), c.theirs.waitClose()]);
    const d = await p.client({ flush: false });
    await d.do('EXISTS', 'foo');
  });
  test('RESET restores db, protocol, name, reply mode', async () => {
    const c = await p.client();
    await c.do('SELECT', '3');
    await c.do('SET', 'in3', 'v');
    await c.do('CLIENT', 'SETNAME', 'named');
    await sameHello(c, '3');
    await c.do('RESET');
    await c.do('CLIENT', 'GETNAME');
    await c.do('GET', 'in3');
    await c.do('GET', 'missing'); // RESP2 null again
    await c.error('ERR wrong number', 'RESET', 'x');
    // RESET turns CLIENT REPLY OFF back on (its +RESET is sent)
    await c.raw('CLIENT REPLY OFF\r\nPING\r\nRESET\r\n');
    await c.do('PING');
  });
});

describe('connection: CLIENT', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('HELP, arity, unknown subcommands', async () => {
    const c = await p.client();
    await c.do('CLIENT', 'HELP');
    await c.do('client', 'help');
    await c.error('ERR wrong number', 'CLIENT');
    await c.error('ERR wrong number', 'CLIENT', 'HELP', 'x');
    await c.error('ERR unknown subcommand', 'CLIENT', 'nosuch');
    await c.error('ERR wrong number', 'CLIENT', 'ID', 'x');
    await c.error('ERR wrong number', 'CLIENT', 'INFO', 'x');
    await c.error('ERR wrong number', 'CLIENT', 'UNPAUSE', 'x');
    await c.error('ERR wrong number', 'CLIENT', 'KILL');
  });
  test('SETNAME / GETNAME', async () => {
    const c = await p.client();
    await c.do('CLIENT', 'GETNAME');
    await c.do('CLIENT', 'SETNAME', 'my-conn_1');
    await c.do('CLIENT', 'GETNAME');
    for (const bad of ['a b', 'a\nb', 'a\rb', '\x7f', '\x01x', 'é']) await c.error('ERR Client names', 'CLIENT', 'SETNAME', bad);
    await c.do('CLIENT', 'GETNAME');
    await c.do('CLIENT', 'SETNAME', '');
    await c.do('CLIENT', 'GETNAME');
    await c.error('ERR wrong number', 'CLIENT', 'SETNAME');
    await c.error('ERR wrong number', 'CLIENT', 'GETNAME', 'x');
  });
  test('ID is an integer; INFO has the fields of CLIENT LIST in order', async () => {
    const c = await p.client();
    const [a, b] = await c.both('CLIENT', 'ID');
    assert.match(a, /^:\d+\r\n$/);
    assert.match(b, /^:\d+\r\n$/);
    await c.do('CLIENT', 'SETNAME', 'lister');
    const [ia, ib] = await c.both('CLIENT', 'INFO');
    assert.deepEqual(fieldNames(bulkBody(ia)), fieldNames(bulkBody(ib)));
    assert.match(bulkBody(ia), /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=lister age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ .* cmd=client\|info user=default redir=-1 resp=2\n$/);
    assert.equal(ia.endsWith('\n\r\n'), true);
    // CLIENT INFO of the same connection agrees with its CLIENT LIST ID line
    const id = Number(/^:(\d+)/.exec(a)![1]);
    const la = await c.ours.call('CLIENT', 'LIST', 'ID', String(id));
    assert.match(bulkBody(la), new RegExp(`^id=${id} `));
    await sameHello(c, '3');
    const [va, vb] = await c.both('CLIENT', 'INFO'); // verbatim string in RESP3
    assert.ok(va.startsWith('=') && vb.startsWith('='));
    assert.deepEqual(fieldNames(bulkBody(va).slice(4)), fieldNames(bulkBody(vb).slice(4)));
  });
  test('LIST filters and errors', async () => {
    const c = await p.client();
    await c.do('CLIENT', 'LIST', 'TYPE', 'master');
    await c.do('CLIENT', 'LIST', 'TYPE', 'replica');
    await c.do('CLIENT', 'LIST', 'TYPE', 'SLAVE');
    await c.do('CLIENT', 'LIST', 'TYPE', 'pubsub');
    const [a, b] = await c.both('CLIENT', 'LIST', 'TYPE', 'normal');
    assert.deepEqual(fieldNames(bulkBody(a).split('\n')[0]!), fieldNames(bulkBody(b).split('\n')[0]!));
    await c.do('CLIENT', 'LIST', 'ID', '999999');
    await c.error('ERR Unknown client type', 'CLIENT', 'LIST', 'TYPE', 'bogus');
    await c.error('ERR Invalid client ID', 'CLIENT', 'LIST', 'ID', 'x');
    await c.error('ERR Invalid client ID', 'CLIENT', 'LIST', 'ID', '1', '-x');
    await c.error('ERR syntax error', 'CLIENT', 'LIST', 'foo');
    await c.error('ERR syntax error', 'CLIENT', 'LIST', 'TYPE');
    await c.error('ERR syntax error', 'CLIENT', 'LIST', 'TYPE', 'normal', 'x');
  });
  test('KILL errors', async () => {
    const c = await p.client();
    await c.error('ERR No such client', 'CLIENT', 'KILL', '1.2.3.4:5');
    await c.error('ERR client-id should be greater than 0', 'CLIENT', 'KILL', 'ID', '0');
    await c.error('ERR client-id should be greater than 0', 'CLIENT', 'KILL', 'ID', 'x');
    await c.error('ERR Unknown client type', 'CLIENT', 'KILL', 'TYPE', 'x');
    await c.error('ERR No such user', 'CLIENT', 'KILL', 'USER', 'nobody');
    await c.error('ERR syntax error', 'CLIENT', 'KILL', 'SKIPME', 'maybe');
    await c.error('ERR syntax error', 'CLIENT', 'KILL', 'ID', '1', 'TYPE');
    await c.error('ERR syntax error', 'CLIENT', 'KILL', 'FOO', 'bar');
    await c.do('CLIENT', 'KILL', 'ID', '999999');
    await c.do('CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME', 'no');
  });
  test('KILL by address, id, type, laddr; old form kills the caller too', async () => {
    const c = await p.client();
    for (const port of [p.nodis.port, p.redis.port]) {
      const me = await RawClient.connect(port);
      const victim = await RawClient.connect(port);
      const vid = (await victim.call('CLIENT', 'ID')).slice(1, -2);
      const vinfo = bulkBody(await victim.call('CLIENT', 'INFO'));
      const vaddr = /addr=(\S+)/.exec(vinfo)![1]!;
      const laddr = /laddr=(\S+)/.exec(vinfo)![1]!;
      assert.equal(await me.call('CLIENT', 'KILL', vaddr), '+OK\r\n');
      await victim.waitClose();
      const v2 = await RawClient.connect(port);
      const v2id = (await v2.call('CLIENT', 'ID')).slice(1, -2);
      assert.equal(await me.call('CLIENT', 'KILL', 'ID', v2id), ':1\r\n');
      await v2.waitClose();
      assert.equal(await me.call('CLIENT', 'KILL', 'ID', vid), ':0\r\n');
      // SKIPME yes (default): the caller survives a filter matching it
      const myid = (await me.call('CLIENT', 'ID')).slice(1, -2);
      assert.equal(await me.call('CLIENT', 'KILL', 'ID', myid), ':0\r\n');
      const v3 = await RawClient.connect(port);
      await v3.call('PING');
      const n = await me.call('CLIENT', 'KILL', 'LADDR', laddr, 'TYPE', 'normal', 'USER', 'default');
      assert.ok(Number(n.slice(1)) >= 1, `port ${port}: ${n}`);
      await v3.waitClose();
      const myaddr = /addr=(\S+)/.exec(bulkBody(await me.call('CLIENT', 'INFO')))![1]!;
      assert.equal(await me.call('CLIENT', 'KILL', 'ADDR', myaddr, 'SKIPME', 'no'), ':1\r\n');
      await me.waitClose();
    }
    await c.do('PING').catch(() => {}); // the pair client may have been killed by LADDR: fine either way
  });
  test('REPLY ON / OFF / SKIP', async () => {
    const c = await p.client();
    await c.raw('CLIENT REPLY SKIP\r\nSET a 1\r\nGET a\r\n');
    await c.raw('CLIENT REPLY OFF\r\nSET b 2\r\nGET b\r\nNOSUCHCMD\r\nCLIENT REPLY ON\r\n');
    await c.do('GET', 'b');
    await c.raw('CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nGET a\r\nCLIENT REPLY ON\r\n');
    await c.raw('CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nGET a\r\nECHO visible\r\n');
    await c.raw('CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING\r\n'); // ON clears the skip: +OK and +PONG
    await c.raw('');
    await c.raw('CLIENT REPLY SKIP\r\nGET\r\nPING\r\n'); // a rejected command is skipped too
    await c.error('ERR syntax error', 'CLIENT', 'REPLY', 'maybe');
    await c.error('ERR wrong number', 'CLIENT', 'REPLY');
  });
  test('NO-EVICT', async () => {
    const c = await p.client();
    await c.do('CLIENT', 'NO-EVICT', 'on');
    await c.do('CLIENT', 'NO-EVICT', 'OFF');
    await c.error('ERR syntax error', 'CLIENT', 'NO-EVICT', 'x');
    await c.error('ERR wrong number', 'CLIENT', 'NO-EVICT');
  });
  test('PAUSE / UNPAUSE errors', async () => {
    const c = await p.client();
    await c.error('ERR timeout is negative', 'CLIENT', 'PAUSE', '-1');
    await c.error('ERR timeout is not an integer', 'CLIENT', 'PAUSE', '1.5');
    await c.error('ERR CLIENT PAUSE mode', 'CLIENT', 'PAUSE', '10', 'READ');
    await c.error('ERR unknown subcommand or wrong number', 'CLIENT', 'PAUSE', '10', 'ALL', 'x');
    await c.error('ERR wrong number', 'CLIENT', 'PAUSE');
    await c.do('CLIENT', 'PAUSE', '0');
    await c.do('CLIENT', 'UNPAUSE');
    await c.do('CLIENT', 'UNPAUSE');
  });
  test('PAUSE WRITE holds writes from other clients until UNPAUSE; reads go on', async () => {
    const c = await p.client();
    for (const port of [p.nodis.port, p.redis.port]) {
      const admin = await RawClient.connect(port);
      const w = await RawClient.connect(port);
      assert.equal(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
      assert.equal(await w.call('GET', 'pk'), '$-1\r\n');
      w.send('SET', 'pk', 'v');
      w.send('GET', 'pk'); // pipelined after the held write: waits behind it
      await assert.rejects(w.read(200), /no reply/);
      assert.match(await admin.call('INFO', 'clients'), /blocked_clients:1\r\n/);
      assert.equal(await admin.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
      assert.equal(await w.read(), '+OK\r\n');
      assert.equal(await w.read(), '$1\r\nv\r\n');
      admin.close();
      w.close();
    }
    await c.do('GET', 'pk');
  });
  test('PAUSE WRITE: scripts that declare no-writes run (EVAL, FCALL, in MULTI); a flag-less EVAL is held', async () => {
    const c = await p.client();
    const lib = "#!lua name=pw\nredis.register_function{function_name='pwf', callback=function() return 'hi' end, flags={'no-writes'}}";
    const ro = "#!lua flags=no-writes\nreturn 'ro'";
    await c.do('FUNCTION', 'LOAD', 'REPLACE', lib);
    for (const port of [p.nodis.port, p.redis.port]) {
      const admin = await RawClient.connect(port);
      const w = await RawClient.connect(port);
      assert.equal(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
      assert.equal(await w.call('EVAL', ro, '0'), '$2\r\nro\r\n', `port ${port}`);
      assert.equal(await w.call('EVAL', ro, '0'), '$2\r\nro\r\n', `port ${port}: cached`);
      assert.equal(await w.call('FCALL', 'pwf', '0'), '$2\r\nhi\r\n', `port ${port}`);
      assert.equal(await w.call('MULTI'), '+OK\r\n');
      assert.equal(await w.call('EVAL', ro, '0'), '+QUEUED\r\n');
      assert.equal(await w.call('FCALL', 'pwf', '0'), '+QUEUED\r\n');
      assert.equal(await w.call('EXEC'), '*2\r\n$2\r\nro\r\n$2\r\nhi\r\n', `port ${port}: EXEC`);
      w.send('EVAL', "return 'rw'", '0');
      await assert.rejects(w.read(200), /no reply/);
      assert.equal(await admin.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
      assert.equal(await w.read(), '$2\r\nrw\r\n');
      admin.close();
      w.close();
    }
    await c.do('FUNCTION', 'FLUSH');
  });
  test('PAUSE ALL holds every command until the timeout', async () => {
    const c = await p.client();
    for (const port of [p.nodis.port, p.redis.port]) {
      const admin = await RawClient.connect(port);
      const r = await RawClient.connect(port);
      const t0 = Date.now();
      assert.equal(await admin.call('CLIENT', 'PAUSE', '300'), '+OK\r\n');
      assert.equal(await r.call('PING'), '+PONG\r\n');
      assert.ok(Date.now() - t0 >= 250, `port ${port}: PING answered after ${Date.now() - t0} ms`);
      admin.close();
      r.close();
    }
    await c.do('PING');
  });
  test('keys do not expire while clients are paused', async () => {
    const c = await p.client();
    for (const port of [p.nodis.port, p.redis.port]) {
      const a = await RawClient.connect(port);
      await a.call('SET', 'ek', 'v', 'PX', '50');
      assert.equal(await a.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(await a.call('GET', 'ek'), '$-1\r\n'); // logically expired...
      assert.match(await a.call('DBSIZE'), /^:1\r\n$/); // ...but still there
      assert.equal(await a.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
      await a.call('GET', 'ek');
      assert.equal(await a.call('DBSIZE'), ':0\r\n');
      a.close();
    }
    await c.do('DBSIZE');
  });
});

describe('connection: Redis 7.2 subcommands (Nodis only)', () => {
  test('CLIENT SETINFO and NO-TOUCH', async (t) => {
    const s = await startNodis();
    t.after(() => s.close());
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'redis-py'), '+OK\r\n');
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-ver', '5.0.1'), '+OK\r\n');
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-name', 'a b'), '-ERR lib-name cannot contain spaces, newlines or special characters.\r\n');
    assert.equal(await c.call('CLIENT', 'SETINFO', 'LIB-VER', 'x\ny'), '-ERR LIB-VER cannot contain spaces, newlines or special characters.\r\n');
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-foo', 'x'), "-ERR Unrecognized option 'lib-foo'\r\n");
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-name'), "-ERR wrong number of arguments for 'client|setinfo' command\r\n");
    const cl = [...s.server.clients.values()][0]!;
    assert.equal(cl.libName, 'redis-py');
    assert.equal(cl.libVer, '5.0.1');
    assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'on'), '+OK\r\n');
    assert.equal(cl.noTouch, true);
    assert.match(await c.call('CLIENT', 'INFO'), / flags=T /);
    assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'maybe'), '-ERR syntax error\r\n');
    assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'OFF'), '+OK\r\n');
    assert.equal(cl.noTouch, false);
    c.close();
  });
});
