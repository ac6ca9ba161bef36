/*
 * Differential tests of client side caching (CLIENT TRACKING / CACHING /
 * GETREDIR / TRACKINGINFO) against redis-server 7.0.15 with several
 * connections: RESP3 invalidation pushes and RESP2 redirection to a
 * __redis__:invalidate subscriber are compared byte for byte, including
 * their order relative to the writer's own replies. Client ids differ between
 * the two servers, so REDIRECT and the tracking-redir-broken push use each
 * side's own id (normalized to ID when compared).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Each side's client id. */
async function ids(c: PairClient): Promise<[string, string]> {
  const [a, b] = await c.both('CLIENT', 'ID');
  return [a.slice(1, -2), b.slice(1, -2)];
}

/** Send a command whose argument is a per-side client id; compare the (normalized) replies. */
async function withId(c: PairClient, id: [string, string], ...args: string[]): Promise<string> {
  const at = args.indexOf('ID');
  const mine = [...args];
  const theirs = [...args];
  mine[at] = id[0];
  theirs[at] = id[1];
  c.ours.send(...mine);
  c.theirs.send(...theirs);
  const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
  assert.equal(a.split(id[0]).join('ID'), b.split(id[1]).join('ID'), args.join(' '));
  return a;
}

/** Read the next frame on both sides and compare (after replacing the given ids). */
async function next(c: PairClient, id?: [string, string]): Promise<string> {
  const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
  const na = id ? a.split(id[0]).join('ID') : a;
  const nb = id ? b.split(id[1]).join('ID') : b;
  assert.equal(JSON.stringify(na), JSON.stringify(nb));
  return a;
}

/** Nothing more arrives on either side for a while. */
async function quiet(c: PairClient): Promise<void> {
  await sleep(30);
  assert.equal(c.ours.unread, '', 'nodis sent more');
  assert.equal(c.theirs.unread, '', 'redis sent more');
}

/** A RESP2 client subscribed to __redis__:invalidate, and its ids. */
async function redirectTarget(p: ReturnType<typeof usePair>): Promise<[PairClient, [string, string]]> {
  const r = await p.client({ flush: false });
  const id = await ids(r);
  await r.do('SUBSCRIBE', '__redis__:invalidate');
  return [r, id];
}

describe('tracking: default mode', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('RESP2 with REDIRECT to a subscriber: only keys that were read are invalidated', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const [r, rid] = await redirectTarget(p);
    await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
    await w.do('SET', 'a', '1');
    await w.do('SET', 'b', '1');
    await c.do('GET', 'a');
    await c.do('MGET', 'c', 'd');
    await w.do('INCR', 'b'); // not read: no message
    await w.do('INCR', 'a');
    await next(r);
    await w.do('INCR', 'a'); // invalidated once until read again
    await w.do('MSET', 'c', '1', 'd', '2');
    await next(r);
    await next(r);
    await quiet(r);
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.do('GET', 'a');
    await w.do('INCR', 'a');
    await quiet(r);
  });

  test('RESP3 pushes, after the reply of the command that caused them', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await c.both('HELLO', '3');
    await c.do('CLIENT', 'TRACKING', 'on');
    await c.do('HSET', 'h', 'f', '1');
    await c.do('HGET', 'h', 'f');
    await c.do('HDEL', 'h', 'f'); // reply first
    await next(c); // then >2 invalidate [h]
    await c.do('MSET', 'a', '1', 'b', '2');
    await c.do('GET', 'a');
    await c.do('MULTI');
    await c.do('INCR', 'a');
    await c.do('GET', 'b');
    await c.do('EXEC'); // the whole EXEC reply, then the push
    await next(c);
    await c.do('GET', 'b');
    await w.do('SET', 'b', '3'); // another writer: the push arrives on its own
    await next(c);
    await c.do('GET', 'x');
    await c.do('MULTI');
    await c.do('FLUSHDB');
    await c.do('EXEC');
    await next(c); // >2 invalidate _ (flush), after the transaction's reply
    await quiet(c);
    await c.both('HELLO', '2');
  });

  test('NOLOOP: no invalidation for the client\'s own writes', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await c.both('HELLO', '3');
    await c.do('CLIENT', 'TRACKING', 'on', 'NOLOOP');
    await c.do('GET', 'k');
    await c.do('SET', 'k', '1');
    await quiet(c);
    await c.do('GET', 'k');
    await w.do('SET', 'k', '2');
    await next(c);
    await c.both('HELLO', '2');
  });

  test('OPTIN / OPTOUT with CLIENT CACHING', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await c.both('HELLO', '3');
    await c.do('CLIENT', 'TRACKING', 'on', 'OPTIN');
    await c.do('GET', 'k1'); // not tracked
    await c.do('CLIENT', 'CACHING', 'yes');
    await c.do('GET', 'k2'); // tracked
    await c.do('GET', 'k3'); // CACHING covered only the previous command
    await w.do('MSET', 'k1', '1', 'k2', '1', 'k3', '1');
    await next(c);
    await quiet(c);
    await c.do('CLIENT', 'CACHING', 'yes');
    await c.do('MULTI');
    await c.do('GET', 'k1');
    await c.do('GET', 'k3');
    await c.do('EXEC'); // covers the whole transaction
    await w.do('MSET', 'k1', '2', 'k3', '2');
    await next(c);
    await next(c);
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.do('CLIENT', 'TRACKING', 'on', 'OPTOUT');
    await c.do('CLIENT', 'CACHING', 'no');
    await c.do('GET', 'k1'); // not tracked
    await c.do('GET', 'k2'); // tracked
    await w.do('MSET', 'k1', '3', 'k2', '3');
    await next(c);
    await quiet(c);
    await c.both('HELLO', '2');
  });

  test('expiry and FLUSHALL invalidate; RESP2 redirect gets a null for a flush', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const [r, rid] = await redirectTarget(p);
    await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
    await w.do('SET', 'e', '1', 'PX', '30');
    await c.do('GET', 'e');
    await sleep(150); // active expiry
    await next(r);
    await c.do('GET', 'f');
    await w.do('FLUSHALL');
    await next(r);
    await c.do('GET', 'f');
    await w.do('SWAPDB', '0', '1'); // no invalidation
    await w.do('FLUSHDB');
    await next(r);
    await quiet(r);
  });

  test('switching a redirected client to RESP3 still redirects; different protocols share a key', async () => {
    const c = await p.client();
    const c3 = await p.client({ flush: false });
    const w = await p.client({ flush: false });
    const [r, rid] = await redirectTarget(p);
    await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
    await c.do('GET', 'k');
    await c.both('HELLO', '3');
    await c3.both('HELLO', '3');
    await c3.do('CLIENT', 'TRACKING', 'on');
    await c3.do('GET', 'k');
    await w.do('SET', 'k', '1');
    await next(r);
    await next(c3);
    await quiet(c);
    await c.both('HELLO', '2');
  });

  test('a redirect target that disconnects: tracking-redir-broken and broken_redirect', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const [r, rid] = await redirectTarget(p);
    await c.both('HELLO', '3');
    await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
    await c.do('GET', 'k');
    r.close();
    await sleep(50);
    await w.do('SET', 'k', '1');
    await next(c, rid); // >2 tracking-redir-broken :<id>
    const [a, b] = await c.both('CLIENT', 'TRACKINGINFO');
    assert.equal(a.split(rid[0]).join('ID'), b.split(rid[1]).join('ID'));
    assert.match(a, /broken_redirect/);
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.both('HELLO', '2');
  });
});

describe('tracking: BCAST', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('empty prefix: every written key, one message per turn, keys in byte order', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const [r, rid] = await redirectTarget(p);
    await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'REDIRECT', 'ID');
    await w.do('MSET', 'b', '1', 'a', '2', 'c', '3');
    await next(r);
    await w.do('DEL', 'a');
    await next(r);
    await quiet(r);
  });

  test('prefixes, NOLOOP, and the RESP3 push', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await c.both('HELLO', '3');
    await c.do('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a:', 'PREFIX', 'b:');
    await w.do('MSET', 'a:1', '1', 'b:1', '1', 'c:1', '1');
    await next(c);
    await next(c);
    await quiet(c);
    await c.do('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'c:'); // adds a prefix
    await w.do('SET', 'c:2', '1');
    await next(c);
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.do('CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP', 'PREFIX', 'n:');
    await c.do('SET', 'n:own', '1');
    await quiet(c);
    await c.do('MSET', 'n:own', '2', 'n:x', '1'); // own writes only: nothing
    await w.do('SET', 'n:other', '1');
    await next(c);
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.both('HELLO', '2');
  });

  test('after switching from normal tracking to BCAST, pre-BCAST keys are not invalidated', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await c.both('HELLO', '3');
    await c.do('CLIENT', 'TRACKING', 'on');
    await c.do('GET', 'k');
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.do('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'zz');
    await w.do('SET', 'k', '1');
    await quiet(c);
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.both('HELLO', '2');
  });
});

describe('tracking: errors and introspection', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('option errors in Redis\'s order', async () => {
    const c = await p.client();
    await c.error('ERR wrong number of arguments', 'CLIENT', 'TRACKING');
    await c.error('ERR syntax error', 'CLIENT', 'TRACKING', 'maybe');
    await c.error('ERR syntax error', 'CLIENT', 'TRACKING', 'on', 'nosuchopt');
    await c.error('ERR syntax error', 'CLIENT', 'TRACKING', 'on', 'PREFIX');
    await c.error('ERR syntax error', 'CLIENT', 'TRACKING', 'on', 'REDIRECT');
    await c.error('ERR value is not an integer', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x');
    await c.error('ERR The client ID you want redirect to does not exist', 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999');
    await c.error('ERR The client ID you want redirect to does not exist', 'CLIENT', 'TRACKING', 'off', 'REDIRECT', '999999');
    await c.error('ERR PREFIX option requires BCAST mode to be enabled', 'CLIENT', 'TRACKING', 'on', 'PREFIX', 'a');
    await c.error('ERR OPTIN and OPTOUT are not compatible with BCAST', 'CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN');
    await c.error("ERR You can't specify both OPTIN mode and OPTOUT mode", 'CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT');
    await c.do('CLIENT', 'TRACKING', 'on', 'OPTIN');
    await c.error("ERR You can't switch OPTIN/OPTOUT mode", 'CLIENT', 'TRACKING', 'on', 'OPTOUT');
    await c.error("ERR You can't switch BCAST mode", 'CLIENT', 'TRACKING', 'on', 'BCAST');
    await c.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.', 'CLIENT', 'CACHING', 'no');
    await c.error('ERR syntax error', 'CLIENT', 'CACHING', 'maybe');
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.do('CLIENT', 'TRACKING', 'off');
    await c.error('ERR CLIENT CACHING can be called only when the client is in tracking mode', 'CLIENT', 'CACHING', 'yes');
    await c.do('CLIENT', 'TRACKING', 'on');
    await c.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.', 'CLIENT', 'CACHING', 'yes');
    await c.error('ERR wrong number of arguments', 'CLIENT', 'CACHING');
    await c.error('ERR wrong number of arguments', 'CLIENT', 'GETREDIR', 'x');
    await c.error('ERR wrong number of arguments', 'CLIENT', 'TRACKINGINFO', 'x');
    await c.do('CLIENT', 'TRACKING', 'off');
  });

  test('BCAST prefix collisions', async () => {
    const c = await p.client();
    await c.error("ERR Prefix 'FOOBAR' overlaps with another provided prefix 'FOO'", 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'FOOBAR', 'PREFIX', 'FOO');
    await c.error("ERR Prefix 'FOO' overlaps with another provided prefix 'FOOBAR'", 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'FOO', 'PREFIX', 'FOOBAR');
    await c.do('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'FOO', 'PREFIX', 'BAR');
    await c.error("ERR Prefix 'FO' overlaps with an existing prefix 'FOO'", 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'FO');
    await c.error("ERR Prefix 'BARB' overlaps with an existing prefix 'BAR'", 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'BARB');
    await c.do('CLIENT', 'TRACKINGINFO');
    await c.do('CLIENT', 'TRACKING', 'off');
    // Redis 7.0 quirk: an overlap found from the second prefix on is reported, then tracking is enabled (+OK too)
    const [a, b] = await c.both('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x', 'PREFIX', 'a', 'PREFIX', 'ab');
    assert.equal(a, b);
    await next(c);
    await c.do('CLIENT', 'TRACKINGINFO');
    await c.do('CLIENT', 'TRACKING', 'off');
  });

  test('TRACKINGINFO and GETREDIR in every mode, RESP2 and RESP3', async () => {
    const c = await p.client();
    const [, rid] = await redirectTarget(p);
    for (const proto of ['2', '3']) {
      await c.both('HELLO', proto);
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'GETREDIR');
      await c.do('CLIENT', 'TRACKING', 'on');
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'GETREDIR');
      await c.do('CLIENT', 'TRACKING', 'on', 'NOLOOP');
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'TRACKING', 'off');
      await c.do('CLIENT', 'TRACKING', 'on', 'OPTIN');
      await c.do('CLIENT', 'CACHING', 'yes');
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'TRACKINGINFO'); // CACHING is cleared by the first non-CLIENT command only
      await c.do('PING');
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'TRACKING', 'off');
      await c.do('CLIENT', 'TRACKING', 'on', 'OPTOUT');
      await c.do('CLIENT', 'CACHING', 'no');
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'TRACKING', 'off');
      await c.do('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a');
      await c.do('CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'TRACKING', 'off');
      await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
      await withId(c, rid, 'CLIENT', 'GETREDIR');
      await withId(c, rid, 'CLIENT', 'TRACKINGINFO');
      await c.do('CLIENT', 'TRACKING', 'off');
    }
    await c.both('HELLO', '2');
  });

  test('INFO tracking fields, tracking-table-max-keys eviction with invalidation', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    const [r, rid] = await redirectTarget(p);
    const info = async (): Promise<string> => {
      const [a, b] = await w.both('INFO', 'everything');
      const pick = (s: string): string => s.split('\r\n').filter((l) => l.startsWith('tracking_')).join(',');
      assert.equal(pick(a), pick(b));
      return pick(a);
    };
    await withId(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
    await c.do('MGET', 'k1', 'k2', 'k3');
    assert.match(await info(), /tracking_clients:1,tracking_total_keys:3,tracking_total_items:3,tracking_total_prefixes:0/);
    await w.do('CONFIG', 'SET', 'tracking-table-max-keys', '1');
    // two keys go (which ones is random in Redis): two invalidations
    const got = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const [a, b] = await Promise.all([r.ours.read(), r.theirs.read()]);
      assert.match(a, /^\*3\r\n\$7\r\nmessage\r\n\$20\r\n__redis__:invalidate\r\n\*1\r\n\$2\r\nk\d\r\n$/);
      assert.equal(a.length, b.length);
      got.add(a);
    }
    assert.equal(got.size, 2);
    assert.match(await info(), /tracking_total_keys:1,/);
    await w.do('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    await c.do('CLIENT', 'TRACKING', 'off');
    assert.match(await info(), /tracking_clients:0,/);
  });
  test('tracking-table-max-keys lowered while the cron is paused: the next command (queued in MULTI) invalidates first', async () => {
    const c = await p.client();
    const w = await p.client({ flush: false });
    await w.do('DEBUG', 'PAUSE-CRON', '1');
    try {
      await c.both('HELLO', '3');
      await c.do('CLIENT', 'TRACKING', 'on');
      await c.do('MGET', '1{tag}', '2{tag}');
      await c.do('MULTI');
      await w.do('CONFIG', 'SET', 'tracking-table-max-keys', '1');
      const [a, b] = await c.both('PING');
      // which key goes is random in Redis
      assert.match(a, /^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$6\r\n[12]\{tag\}\r\n$/);
      assert.equal(a.length, b.length);
      assert.equal(await c.ours.read(), await c.theirs.read());
      await c.do('EXEC');
    } finally {
      await w.do('DEBUG', 'PAUSE-CRON', '0');
      await w.do('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    }
  });
});
