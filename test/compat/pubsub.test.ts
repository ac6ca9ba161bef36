/*
 * Pub/Sub, differential: subscribers and publishers on both servers, every
 * frame (confirmations, message, pmessage, smessage) compared byte for byte,
 * RESP2 and RESP3. After the expected frames a PING checks that nothing else
 * arrived. Redis delivers pattern messages and mass unsubscriptions in dict
 * (hash) order; tests keep one pattern per client or compare those as sets.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { usePair, type PairClient, type Arg } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

/** Read n frames from both sides and compare them byte for byte. */
async function frames(c: PairClient, n: number, what = ''): Promise<string[]> {
  const got: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
    assert.equal(JSON.stringify(a), JSON.stringify(b), `${what} frame ${i}`);
    got.push(a);
  }
  return got;
}

/** Send a command and compare its n reply frames. */
async function cmd(c: PairClient, n: number, ...args: Arg[]): Promise<string[]> {
  c.ours.send(...args);
  c.theirs.send(...args);
  return frames(c, n, args.join(' '));
}

/** Nothing else pending: the next reply on both sides is the PING reply. */
async function quiet(c: PairClient): Promise<void> {
  await cmd(c, 1, 'PING');
  assert.equal(c.ours.unread, '');
}

const waitFor = async (cond: () => Promise<boolean>, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('pubsub', { skip: skipWithoutRedis() }, () => {
  const pair = usePair();
  let opened: PairClient[] = [];
  const p = {
    async client(opts?: { flush?: boolean }): Promise<PairClient> {
      const c = await pair.client(opts);
      opened.push(c);
      return c;
    },
  };
  // each test's clients go away, and the servers forget them, before the next test
  afterEach(async () => {
    for (const c of opened) c.close();
    opened = [];
    const c = await pair.client({ flush: false });
    const idle = async (r: { call(...a: string[]): Promise<string> }): Promise<boolean> =>
      (await r.call('PUBSUB', 'CHANNELS')) === '*0\r\n' && (await r.call('PUBSUB', 'NUMPAT')) === ':0\r\n'
      && (await r.call('PUBSUB', 'SHARDCHANNELS')) === '*0\r\n';
    await waitFor(async () => (await idle(c.ours)) && (await idle(c.theirs)));
    c.close();
  });

  test('SUBSCRIBE / PUBLISH / UNSUBSCRIBE basics (RESP2)', async () => {
    const sub = await p.client();
    const pub = await p.client({ flush: false });
    await cmd(sub, 2, 'SUBSCRIBE', 'chan1', 'chan2');
    await pub.do('PUBLISH', 'chan1', 'hello');
    await pub.do('PUBLISH', 'chan2', 'world');
    await pub.do('PUBLISH', 'other', 'nobody');
    await frames(sub, 2);
    await cmd(sub, 1, 'UNSUBSCRIBE', 'chan1');
    await pub.do('PUBLISH', 'chan1', 'hello');
    await pub.do('PUBLISH', 'chan2', 'again');
    await frames(sub, 1);
    await cmd(sub, 3, 'SUBSCRIBE', 'x', 'x', 'x'); // same channel thrice: count stays
    await cmd(sub, 2, 'UNSUBSCRIBE', 'nope', 'x');
    await cmd(sub, 1, 'UNSUBSCRIBE'); // the remaining one (chan2)
    await cmd(sub, 1, 'UNSUBSCRIBE'); // none left: nil channel, count 0
    await cmd(sub, 1, 'PING'); // out of subscribed mode: +PONG
    await pub.do('PUBLISH', 'chan2', 'gone');
  });

  test('UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE with nothing subscribed', async () => {
    const c = await p.client();
    await cmd(c, 1, 'UNSUBSCRIBE');
    await cmd(c, 1, 'PUNSUBSCRIBE');
    await cmd(c, 1, 'SUNSUBSCRIBE');
    await cmd(c, 3, 'UNSUBSCRIBE', 'foo', 'bar', 'quux');
    await cmd(c, 3, 'PUNSUBSCRIBE', 'foo.*', 'bar.*', 'quux.*');
    await cmd(c, 1, 'SUNSUBSCRIBE', 'foo');
    await c.do('SET', 'k', 'v'); // never entered subscribed mode
    await c.error('ERR wrong number', 'SUBSCRIBE');
    await c.error('ERR wrong number', 'PSUBSCRIBE');
    await c.error('ERR wrong number', 'SSUBSCRIBE');
    await c.error('ERR wrong number', 'PUBLISH', 'a');
    await c.error('ERR wrong number', 'SPUBLISH', 'a', 'b', 'c');
  });

  test('PSUBSCRIBE with Redis glob rules', async () => {
    const pub = await p.client();
    const patterns = ['h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h\\*llo', '*', 'foo.*', 'h[', 'x\\'];
    const subs: PairClient[] = [];
    for (const pat of patterns) {
      const s = await p.client({ flush: false });
      await cmd(s, 1, 'PSUBSCRIBE', pat);
      subs.push(s);
    }
    const channels = ['hello', 'hallo', 'hbllo', 'hllo', 'heeeello', 'h*llo', 'foo.bar', 'foo', 'h', 'x', 'x\\', 'h[', '\xe9t\xe9'];
    for (const ch of channels) await pub.do('PUBLISH', ch, `to ${ch}`);
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i]!;
      // count what Redis delivered to this subscriber, then compare the same number of frames
      s.theirs.send('PING');
      s.ours.send('PING');
      const theirs: string[] = [];
      for (;;) {
        const f = await s.theirs.read();
        if (f.startsWith('*2\r\n$4\r\npong')) break;
        theirs.push(f);
      }
      const ours: string[] = [];
      for (;;) {
        const f = await s.ours.read();
        if (f.startsWith('*2\r\n$4\r\npong')) break;
        ours.push(f);
      }
      assert.deepEqual(ours, theirs, `pattern ${patterns[i]}`);
    }
  });

  test('PUNSUBSCRIBE, pattern + channel on one client, NUMPAT counts unique patterns', async () => {
    const a = await p.client();
    const b = await p.client({ flush: false });
    const pub = await p.client({ flush: false });
    await cmd(a, 1, 'SUBSCRIBE', 'foo.bar');
    await cmd(a, 2, 'PSUBSCRIBE', 'foo.*', 'foo.*');
    await cmd(b, 3, 'PSUBSCRIBE', 'foo.*', 'bar*', 'baz*');
    await pub.do('PUBSUB', 'NUMPAT');
    await pub.do('PUBLISH', 'foo.bar', 'hello'); // 3 receivers
    await frames(a, 2, 'message then pmessage');
    await frames(b, 1);
    await cmd(a, 1, 'PUNSUBSCRIBE', 'foo.*');
    await pub.do('PUBSUB', 'NUMPAT');
    await cmd(b, 3, 'PUNSUBSCRIBE'); // in subscription order
    await pub.do('PUBSUB', 'NUMPAT');
    await pub.do('PUBLISH', 'foo.bar', 'x');
    await frames(a, 1);
    await quiet(a);
  });

  test('subscribed RESP2 context: only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET', async () => {
    const c = await p.client();
    await cmd(c, 1, 'SUBSCRIBE', 'ch');
    await c.error("ERR Can't execute 'get'", 'GET', 'k');
    await c.error("ERR Can't execute 'config|get'", 'CONFIG', 'GET', 'maxmemory');
    await c.error("ERR Can't execute 'publish'", 'PUBLISH', 'ch', 'm');
    await c.error("ERR Can't execute 'pubsub|numpat'", 'PUBSUB', 'NUMPAT');
    await c.error("ERR Can't execute 'hello'", 'HELLO', '3');
    await c.error('ERR unknown command', 'NOSUCH', 'x'); // checked before the context
    await c.error('ERR wrong number', 'GET'); // arity before the context too
    await cmd(c, 1, 'PING');
    await cmd(c, 1, 'PING', 'msg');
    await cmd(c, 1, 'PSUBSCRIBE', 'p*');
    await cmd(c, 1, 'SSUBSCRIBE', 's');
    await cmd(c, 1, 'SUNSUBSCRIBE');
    await cmd(c, 1, 'PUNSUBSCRIBE');
    await cmd(c, 1, 'PING');
    await cmd(c, 1, 'UNSUBSCRIBE');
    await c.do('GET', 'k'); // back to normal
    // a shard subscription alone is subscribed mode too
    await cmd(c, 1, 'SSUBSCRIBE', 's');
    await c.error("ERR Can't execute 'set'", 'SET', 'k', 'v');
    await cmd(c, 1, 'RESET');
    await c.do('SET', 'k', 'v');
    // QUIT is allowed
    await cmd(c, 1, 'SUBSCRIBE', 'q');
    await cmd(c, 1, 'QUIT');
  });

  test('RESP3: push frames, other commands run, PING is PONG', async () => {
    const sub = await p.client();
    const pub = await p.client({ flush: false });
    await sub.both('HELLO', '3'); // server-specific fields differ; only switch protocol
    await cmd(sub, 2, 'SUBSCRIBE', 'a', 'b');
    await cmd(sub, 1, 'PSUBSCRIBE', 'a*');
    await cmd(sub, 1, 'SSUBSCRIBE', 'sa');
    await sub.do('SET', 'k', 'v');
    await sub.do('GET', 'k');
    await cmd(sub, 1, 'PING');
    await pub.do('PUBLISH', 'a', 'one');
    await pub.do('SPUBLISH', 'sa', 'two');
    await frames(sub, 3, 'message, pmessage, smessage');
    // publishing to itself: the push comes before the reply, as in Redis
    await cmd(sub, 2, 'PUBLISH', 'b', 'self');
    await cmd(sub, 1, 'UNSUBSCRIBE', 'a');
    await cmd(sub, 1, 'PUNSUBSCRIBE');
    await cmd(sub, 1, 'SUNSUBSCRIBE');
    await cmd(sub, 1, 'UNSUBSCRIBE');
    await cmd(sub, 1, 'UNSUBSCRIBE'); // none: null channel in RESP3
    await cmd(sub, 1, 'PUNSUBSCRIBE');
    await quiet(sub);
  });

  test('pushes bypass CLIENT REPLY OFF / SKIP (RESP2 and RESP3)', async () => {
    for (const proto of ['2', '3']) {
      const sub = await p.client();
      const pub = await p.client({ flush: false });
      if (proto === '3') await sub.both('HELLO', '3');
      sub.ours.send('CLIENT', 'REPLY', 'OFF');
      sub.theirs.send('CLIENT', 'REPLY', 'OFF');
      await cmd(sub, 1, 'SUBSCRIBE', 'channel');
      await cmd(sub, 1, 'PSUBSCRIBE', 'ch*');
      await pub.do('PUBLISH', 'channel', 'hello');
      await frames(sub, 2);
      if (proto === '3') {
        // own write under REPLY OFF: the keyspace event still arrives, the reply does not
        await pub.do('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
        await cmd(sub, 1, 'PSUBSCRIBE', '__keyevent@0__:set');
        sub.ours.send('SET', 'chx', 'v');
        sub.theirs.send('SET', 'chx', 'v');
        await frames(sub, 1, 'own keyspace event');
        await cmd(sub, 2, 'PUBLISH', 'channel', 'self');
        await cmd(sub, 1, 'PUNSUBSCRIBE', '__keyevent@0__:set');
        await pub.do('CONFIG', 'SET', 'notify-keyspace-events', '');
      }
      await cmd(sub, 1, 'UNSUBSCRIBE', 'channel');
      await cmd(sub, 1, 'PUNSUBSCRIBE', 'ch*');
      await cmd(sub, 1, 'CLIENT', 'REPLY', 'ON');
      // SKIP: the skipped command's confirmations still arrive
      sub.ours.send('CLIENT', 'REPLY', 'SKIP');
      sub.theirs.send('CLIENT', 'REPLY', 'SKIP');
      await cmd(sub, 1, 'SUBSCRIBE', 'z');
      await cmd(sub, 1, 'UNSUBSCRIBE');
      await quiet(sub);
    }
  });

  test('message order across publishers and binary-safe names', async () => {
    const sub = await p.client();
    const p1 = await p.client({ flush: false });
    const p2 = await p.client({ flush: false });
    const bin = Buffer.from([0, 13, 10, 0xff, 0x80, 0x41]);
    await cmd(sub, 2, 'SUBSCRIBE', 'order', bin);
    for (let i = 0; i < 20; i++) {
      await (i % 2 ? p1 : p2).do('PUBLISH', 'order', `m${i}`);
      if (i % 5 === 0) await p1.do('PUBLISH', bin, Buffer.concat([bin, Buffer.from(String(i))]));
    }
    await frames(sub, 24);
    await p1.do('PUBLISH', 'order', ''); // empty message
    await p1.do('PUBLISH', 'order', 'x'.repeat(100000));
    await frames(sub, 2);
    // a pipeline of publishes from one client keeps its order
    p1.ours.write('*3\r\n$7\r\nPUBLISH\r\n$5\r\norder\r\n$1\r\na\r\n*3\r\n$7\r\nPUBLISH\r\n$5\r\norder\r\n$1\r\nb\r\n');
    p1.theirs.write('*3\r\n$7\r\nPUBLISH\r\n$5\r\norder\r\n$1\r\na\r\n*3\r\n$7\r\nPUBLISH\r\n$5\r\norder\r\n$1\r\nb\r\n');
    await frames(p1, 2);
    await frames(sub, 2);
    await quiet(sub);
  });

  test('PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP', async () => {
    const c = await p.client();
    const s1 = await p.client({ flush: false });
    const s2 = await p.client({ flush: false });
    await c.do('PUBSUB', 'CHANNELS');
    await c.do('PUBSUB', 'NUMSUB');
    await c.do('PUBSUB', 'NUMSUB', 'abc', 'def');
    await c.do('PUBSUB', 'NUMPAT');
    await c.do('PUBSUB', 'SHARDCHANNELS');
    await c.do('PUBSUB', 'SHARDNUMSUB', 'abc');
    await cmd(s1, 3, 'SUBSCRIBE', 'news.a', 'news.b', 'other');
    await cmd(s2, 2, 'SUBSCRIBE', 'news.a', 'x[y');
    await cmd(s2, 2, 'SSUBSCRIBE', 'shard.1', 'shard.2');
    await cmd(s1, 1, 'SSUBSCRIBE', 'shard.1');
    await cmd(s1, 2, 'PSUBSCRIBE', 'news.*', 'n*');
    await c.doSorted('PUBSUB', 'CHANNELS');
    await c.doSorted('PUBSUB', 'CHANNELS', 'news.*');
    await c.doSorted('PUBSUB', 'CHANNELS', 'x\\[y');
    await c.doSorted('PUBSUB', 'CHANNELS', 'nomatch*');
    await c.do('PUBSUB', 'NUMSUB', 'news.a', 'news.b', 'shard.1', 'nope', 'news.a');
    await c.do('PUBSUB', 'NUMPAT');
    await c.doSorted('PUBSUB', 'SHARDCHANNELS');
    await c.do('PUBSUB', 'SHARDCHANNELS', 'shard.2');
    await c.do('PUBSUB', 'SHARDNUMSUB', 'shard.1', 'shard.2', 'news.a');
    await c.do('PUBSUB', 'HELP');
    await c.do('pubsub', 'help');
    await c.error('ERR unknown subcommand or wrong number of arguments', 'PUBSUB', 'CHANNELS', 'a', 'b');
    await c.error('ERR unknown subcommand or wrong number of arguments', 'pubsub', 'shardchannels', 'a', 'b');
    await c.error('ERR wrong number', 'PUBSUB', 'NUMPAT', 'x');
    await c.error('ERR wrong number', 'PUBSUB', 'HELP', 'x');
    await c.error('ERR unknown subcommand', 'PUBSUB', 'FOO');
    await c.error('ERR wrong number', 'PUBSUB');
    // Redis lists subcommands in (seeded) hash order: compare as sets
    await c.doSorted('COMMAND', 'INFO', 'subscribe', 'publish', 'pubsub', 'ssubscribe', 'sunsubscribe', 'spublish', 'punsubscribe');
    await c.error('ERR The command has no key arguments', 'COMMAND', 'GETKEYS', 'SPUBLISH', 'ch', 'm');
    await c.error('ERR The command has no key arguments', 'COMMAND', 'GETKEYS', 'SSUBSCRIBE', 'a', 'b');
  });

  test('SSUBSCRIBE / SPUBLISH / SUNSUBSCRIBE are separate from channels and patterns', async () => {
    const s = await p.client();
    const pub = await p.client({ flush: false });
    await cmd(s, 1, 'SUBSCRIBE', 'chan1');
    await cmd(s, 1, 'PSUBSCRIBE', '*');
    await cmd(s, 3, 'SSUBSCRIBE', 'chan1', 'chan2', 'chan1'); // count is shard channels only
    await pub.do('SPUBLISH', 'chan1', 'hello'); // 1: patterns ignore smessage
    await pub.do('PUBLISH', 'chan1', 'world'); // 2: message + pmessage, no smessage
    await pub.do('SPUBLISH', 'nobody', 'x');
    await frames(s, 3);
    await cmd(s, 2, 'SUNSUBSCRIBE', 'chan2', 'nope');
    await pub.do('PUBSUB', 'SHARDNUMSUB', 'chan1', 'chan2');
    await cmd(s, 1, 'SUNSUBSCRIBE');
    await cmd(s, 1, 'SUNSUBSCRIBE');
    await cmd(s, 1, 'UNSUBSCRIBE');
    await cmd(s, 1, 'PUNSUBSCRIBE');
    await pub.do('SPUBLISH', 'chan1', 'gone');
    await s.do('GET', 'x');
  });

  test('disconnect and RESET drop every subscription', async () => {
    const c = await p.client();
    const a = await p.client({ flush: false });
    const b = await p.client({ flush: false });
    await cmd(a, 2, 'SUBSCRIBE', 'c1', 'c2');
    await cmd(a, 1, 'PSUBSCRIBE', 'p*');
    await cmd(a, 1, 'SSUBSCRIBE', 's1');
    await cmd(b, 1, 'SUBSCRIBE', 'c1');
    await cmd(b, 1, 'PSUBSCRIBE', 'p*');
    await cmd(b, 1, 'SSUBSCRIBE', 's1');
    await c.do('PUBSUB', 'NUMSUB', 'c1', 'c2');
    a.close();
    await waitFor(async () => (await c.ours.call('PUBSUB', 'NUMSUB', 'c2')).endsWith(':0\r\n')
      && (await c.theirs.call('PUBSUB', 'NUMSUB', 'c2')).endsWith(':0\r\n'));
    await c.do('PUBSUB', 'NUMSUB', 'c1', 'c2');
    await c.do('PUBSUB', 'SHARDNUMSUB', 's1');
    await c.do('PUBSUB', 'NUMPAT');
    await c.do('PUBLISH', 'c1', 'x');
    await frames(b, 1);
    await cmd(b, 1, 'RESET');
    await c.do('PUBSUB', 'NUMSUB', 'c1');
    await c.do('PUBSUB', 'NUMPAT');
    await c.do('PUBSUB', 'SHARDCHANNELS');
    await c.do('PUBLISH', 'c1', 'x');
    await c.do('PUBLISH', 'pq', 'x');
    await b.do('PING');
    assert.equal(b.ours.unread, '');
  });

  test('SSUBSCRIBE inside MULTI is refused; SUBSCRIBE inside MULTI works', async (t) => {
    const c = await p.client();
    const [ours] = await c.both('MULTI');
    if (ours.startsWith('-')) { t.skip('MULTI not built yet'); await c.both('DISCARD'); return; }
    await c.do('SSUBSCRIBE', 'x');
    await c.do('SUBSCRIBE', 'y');
    await c.do('EXEC');
  });

  test('a subscriber that stops reading is disconnected by the pubsub output-buffer class', async () => {
    const c = await p.client();
    const slow = await p.client({ flush: false });
    await c.do('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0');
    try {
      await cmd(slow, 1, 'SUBSCRIBE', 'flood');
      slow.ours.socket.pause();
      slow.theirs.socket.pause();
      const msg = 'x'.repeat(100 * 1024);
      for (let i = 0; i < 200; i++) {
        c.ours.send('PUBLISH', 'flood', msg);
        c.theirs.send('PUBLISH', 'flood', msg);
        await Promise.all([c.ours.read(), c.theirs.read()]);
      }
      await waitFor(async () => (await c.ours.call('PUBSUB', 'NUMSUB', 'flood')).endsWith(':0\r\n')
        && (await c.theirs.call('PUBSUB', 'NUMSUB', 'flood')).endsWith(':0\r\n'));
      slow.ours.socket.resume();
      slow.theirs.socket.resume();
      await Promise.all([slow.ours.waitClose(), slow.theirs.waitClose()]);
      await c.do('PUBLISH', 'flood', 'after');
    } finally {
      await c.both('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
    }
  });
});
