/*
 * Streams against real Redis: explicit IDs everywhere so replies are
 * deterministic (generated IDs and times are compared loosely).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

async function fill(c: PairClient, key: string, n: number, from = 1): Promise<void> {
  for (let i = from; i < from + n; i++) await c.do('XADD', key, `${i}-1`, 'f', String(i), 'g', 'x'.repeat(i % 7));
}

describe('streams', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('XADD IDs and errors, XLEN, XRANGE, XREVRANGE', async () => {
    const c = await p.client();
    await c.do('XADD', 's', '1-1', 'a', '1');
    await c.do('XADD', 's', '1-*', 'b', '2');
    await c.do('XADD', 's', '5', 'a', '3', 'c', '4');
    await c.do('XADD', 's', '18446744073709551615-5', 'a', '5');
    await c.error('ERR The ID specified in XADD is equal or smaller', 'XADD', 's', '3-3', 'a', '1');
    await c.error('ERR The ID specified in XADD must be greater than 0-0', 'XADD', 's2', '0-0', 'a', '1');
    await c.error('ERR Invalid stream ID', 'XADD', 's', 'abc', 'a', '1');
    await c.error('ERR Invalid stream ID', 'XADD', 's', '-', 'a', '1');
    await c.error('ERR Invalid stream ID', 'XADD', 's', '1-2-3', 'a', '1');
    await c.error('ERR wrong number of arguments', 'XADD', 's', '*', 'a');
    await c.error('ERR wrong number', 'XADD', 's', '*');
    await c.do('XADD', 'n', 'NOMKSTREAM', '*', 'a', '1');
    await c.do('EXISTS', 'n');
    await c.do('XLEN', 's');
    await c.do('XLEN', 'nokey');
    await c.do('XRANGE', 's', '-', '+');
    await c.do('XRANGE', 's', '-', '+', 'COUNT', '2');
    await c.do('XRANGE', 's', '-', '+', 'COUNT', '0');
    await c.do('XRANGE', 's', '-', '+', 'COUNT', '-3');
    await c.do('XRANGE', 's', '(1-1', '5');
    await c.do('XRANGE', 's', '1', '(5-0');
    await c.do('XREVRANGE', 's', '+', '-');
    await c.do('XREVRANGE', 's', '+', '-', 'COUNT', '1');
    await c.do('XRANGE', 'nokey', '-', '+');
    await c.error('ERR syntax error', 'XRANGE', 's', '-', '+', 'COUNT');
    await c.error('ERR invalid start ID', 'XRANGE', 's', '(18446744073709551615-18446744073709551615', '+');
    await c.error('ERR invalid end ID', 'XRANGE', 's', '-', '(0-0');
    await c.error('ERR Invalid stream ID', 'XRANGE', 's', '(-', '+');
    await c.do('SET', 'str', 'x');
    await c.error('WRONGTYPE', 'XADD', 'str', '*', 'a', '1');
    await c.error('WRONGTYPE', 'XRANGE', 'str', '-', '+');
    await c.error('WRONGTYPE', 'XLEN', 'str');
    await c.do('TYPE', 's');
    await c.do('OBJECT', 'ENCODING', 's');
    await c.do('XADD', 'mx', '18446744073709551615-18446744073709551615', 'a', '1');
    await c.error('ERR The stream has exhausted', 'XADD', 'mx', '*', 'a', '1');
    await c.do('XADD', 'm', '+5-0', 'a', '1').catch(() => c.error('ERR', 'XADD', 'm', '+5-0', 'a', '1'));
  });

  test('trimming: MAXLEN / MINID exact and approximate, LIMIT, errors', async () => {
    const c = await p.client();
    await fill(c, 't', 350);
    await c.do('XTRIM', 't', 'MAXLEN', '~', '120');
    await c.do('XLEN', 't');
    await c.do('XTRIM', 't', 'MAXLEN', '=', '101');
    await c.do('XLEN', 't');
    await c.do('XTRIM', 't', 'MINID', '300');
    await c.do('XRANGE', 't', '-', '+', 'COUNT', '2');
    await c.do('XTRIM', 't', 'MINID', '~', '320', 'LIMIT', '10');
    await c.do('XADD', 't', 'MAXLEN', '~', '10', '1000-0', 'z', '1');
    await c.do('XLEN', 't');
    await c.do('XADD', 't', 'MAXLEN', '5', '1001-0', 'z', '1');
    await c.do('XRANGE', 't', '-', '+');
    await c.error('ERR syntax error, MAXLEN and MINID', 'XTRIM', 't', 'MAXLEN', '1', 'MINID', '1');
    await c.error('ERR The MAXLEN argument must be >= 0.', 'XTRIM', 't', 'MAXLEN', '-1');
    await c.error('ERR syntax error, LIMIT cannot be used without the special ~ option', 'XTRIM', 't', 'MAXLEN', '1', 'LIMIT', '5');
    await c.error('ERR syntax error, LIMIT cannot be used without specifying', 'XTRIM', 't', 'LIMIT', '5');
    await c.error('ERR syntax error, XTRIM must be called', 'XTRIM', 't', 'LIMIT', '0');
    await c.error('ERR syntax error, LIMIT cannot be used without specifying', 'XADD', 't', 'LIMIT', '5', '*', 'a', '1');
    await c.error('ERR The LIMIT argument must be >= 0.', 'XTRIM', 't', 'MAXLEN', '~', '1', 'LIMIT', '-1');
    await c.error('ERR value is not an integer', 'XTRIM', 't', 'MAXLEN', 'x');
    await c.error('ERR syntax error', 'XTRIM', 't', 'FOO', '1');
    await c.do('XTRIM', 'nokey', 'MAXLEN', '0');
    await fill(c, 'u', 30);
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '10');
    await fill(c, 'v', 55);
    await c.do('XTRIM', 'v', 'MAXLEN', '~', '23');
    await c.do('XLEN', 'v');
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '100');
    await c.do('CONFIG', 'SET', 'stream-node-max-bytes', '200');
    await fill(c, 'w', 60);
    await c.do('XTRIM', 'w', 'MAXLEN', '~', '30');
    await c.do('XLEN', 'w');
    await c.do('CONFIG', 'SET', 'stream-node-max-bytes', '4096');
  });

  test('XDEL, XSETID, XINFO STREAM', async () => {
    const c = await p.client();
    await fill(c, 'd', 5);
    await c.do('XDEL', 'd', '1-1', '3-1', '9-9');
    await c.do('XDEL', 'nokey', '1-1');
    await c.error('ERR Invalid stream ID', 'XDEL', 'd', 'x');
    await c.do('XRANGE', 'd', '-', '+');
    await c.do('XINFO', 'STREAM', 'd');
    await c.do('XINFO', 'STREAM', 'd', 'FULL');
    await c.do('XINFO', 'STREAM', 'd', 'FULL', 'COUNT', '1');
    await c.error('ERR unknown subcommand or wrong number', 'XINFO', 'STREAM', 'd', 'FOO');
    await c.error('ERR no such key', 'XINFO', 'STREAM', 'nokey');
    await c.do('XINFO', 'HELP');
    await c.error('ERR The ID specified in XSETID is smaller', 'XSETID', 'd', '1-0');
    await c.do('XSETID', 'd', '100-0', 'ENTRIESADDED', '50', 'MAXDELETEDID', '90-0');
    await c.do('XINFO', 'STREAM', 'd');
    await c.error('ERR no such key', 'XSETID', 'nokey', '1-0');
    await c.error('ERR The entries_added', 'XSETID', 'd', '200-0', 'ENTRIESADDED', '1');
    await c.error('ERR entries_added must be positive', 'XSETID', 'd', '200-0', 'ENTRIESADDED', '-1');
    await c.error('ERR The ID specified in XSETID is smaller than the provided', 'XSETID', 'd', '200-0', 'MAXDELETEDID', '300-0');
    await c.error('ERR syntax error', 'XSETID', 'd', '200-0', 'FOO');
    await c.do('XDEL', 'd', '2-1', '4-1', '5-1');
    await c.do('XLEN', 'd');
    await c.do('EXISTS', 'd');
    await c.do('XINFO', 'STREAM', 'd');
    await c.do('DEBUG', 'DIGEST-VALUE', 'd');
    await fill(c, 'e', 3);
    await c.do('DEBUG', 'DIGEST-VALUE', 'e');
    await c.do('COPY', 'e', 'e2');
    await c.do('DEBUG', 'DIGEST-VALUE', 'e2');
    await c.do('XINFO', 'STREAM', 'e2', 'FULL');
  });

  test('XREAD non-blocking, RESP3, $', async () => {
    const c = await p.client();
    await fill(c, 'r1', 3);
    await fill(c, 'r2', 2, 10);
    await c.do('XREAD', 'STREAMS', 'r1', 'r2', '0', '0');
    await c.do('XREAD', 'COUNT', '1', 'STREAMS', 'r1', 'r2', '1-1', '0');
    await c.do('XREAD', 'STREAMS', 'r1', 'nokey', '$', '$');
    await c.error('ERR Unbalanced', 'XREAD', 'STREAMS', 'r1', 'r2', '0');
    await c.error('ERR The > ID', 'XREAD', 'STREAMS', 'r1', '>');
    await c.error('ERR The GROUP option', 'XREAD', 'GROUP', 'a', 'b', 'STREAMS', 'r1', '0');
    await c.error('ERR syntax error', 'XREAD', 'FOO', 'STREAMS', 'r1', '0');
    await c.error('ERR timeout is not an integer', 'XREAD', 'BLOCK', 'x', 'STREAMS', 'r1', '0');
    await c.error('ERR timeout is negative', 'XREAD', 'BLOCK', '-1', 'STREAMS', 'r1', '0');
    await c.do('HELLO', '3').catch(() => undefined);
    await c.do('XREAD', 'STREAMS', 'r1', 'r2', '0', '0');
    await c.do('XREAD', 'STREAMS', 'r1', '$');
    await c.do('XINFO', 'STREAM', 'r1');
  });

  test('blocking XREAD and XREADGROUP', async () => {
    const a = await p.client();
    const b = await p.client({ flush: false });
    await a.do('XADD', 'bs', '1-1', 'a', '1');
    const pending = a.do('XREAD', 'BLOCK', '0', 'STREAMS', 'bs', '$');
    await new Promise((r) => setTimeout(r, 50));
    await b.do('XADD', 'bs', '2-1', 'b', '2');
    await pending;
    await a.do('XREAD', 'BLOCK', '20', 'STREAMS', 'bs', '$');
    await a.do('XGROUP', 'CREATE', 'bs', 'g', '$');
    const pg = a.do('XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '0', 'STREAMS', 'bs', '>');
    await new Promise((r) => setTimeout(r, 50));
    await b.do('XADD', 'bs', '3-1', 'c', '3');
    await pg;
    await a.do('XPENDING', 'bs', 'g');
    await a.do('MULTI');
    await a.do('XREAD', 'BLOCK', '0', 'STREAMS', 'bs', '$');
    await a.do('EXEC');
  });

  test('blocked XREADGROUP ends with UNBLOCKED when its key is deleted or retyped; XREAD keeps waiting', async () => {
    const a = await p.client();
    const b = await p.client({ flush: false });
    const ways: string[][][] = [
      [['DEL', 'k']],
      [['SET', 'k', 'v']],
      [['MULTI'], ['DEL', 'k'], ['SADD', 'k', 'e'], ['EXEC']],
      [['FLUSHALL']],
      [['SELECT', '4'], ['FLUSHDB'], ['SELECT', '0'], ['SWAPDB', '4', '0'], ['SELECT', '0']],
      [['SELECT', '4'], ['LPUSH', 'k', 'e'], ['SELECT', '0'], ['SWAPDB', '4', '0'], ['SELECT', '0']],
    ];
    for (const cmds of ways) {
      await b.do('FLUSHALL');
      await b.do('XADD', 'k', '1-1', 'f', 'v');
      await b.do('XGROUP', 'CREATE', 'k', 'g', '$');
      await b.do('XGROUP', 'CREATE', 'other', 'g', '$', 'MKSTREAM');
      const pg = a.error('UNBLOCKED the stream key no longer exists', 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'k', 'other', '>', '>');
      await new Promise((r) => setTimeout(r, 30));
      for (const cmd of cmds) await b.do(...cmd);
      await pg;
    }
    // a group destroyed while its stream lives answers NOGROUP; XREAD ignores deletion and retyping
    await b.do('FLUSHALL');
    await b.do('XADD', 'k', '1-1', 'f', 'v');
    await b.do('XGROUP', 'CREATE', 'k', 'g', '$');
    const ng = a.error('NOGROUP', 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'k', '>');
    await new Promise((r) => setTimeout(r, 30));
    await b.do('XGROUP', 'DESTROY', 'k', 'g');
    await ng;
    const xr = a.do('XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$');
    await new Promise((r) => setTimeout(r, 30));
    await b.do('SET', 'k', 'v');
    await b.do('DEL', 'k');
    await b.do('XADD', 'k', '2-1', 'g', 'w');
    await xr;
  });

  test('consumer groups: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM', async () => {
    const c = await p.client();
    await fill(c, 'g', 6);
    await c.do('XGROUP', 'CREATE', 'g', 'grp', '0');
    await c.error('BUSYGROUP', 'XGROUP', 'CREATE', 'g', 'grp', '0');
    await c.error('ERR The XGROUP subcommand requires the key to exist', 'XGROUP', 'CREATE', 'nokey', 'grp', '0');
    await c.do('XGROUP', 'CREATE', 'mk', 'grp', '$', 'MKSTREAM');
    await c.do('XGROUP', 'CREATE', 'g', 'grp2', '$', 'ENTRIESREAD', '3');
    await c.error('ERR value for ENTRIESREAD', 'XGROUP', 'CREATE', 'g', 'grp3', '$', 'ENTRIESREAD', '-5');
    await c.error('ERR unknown subcommand or wrong number', 'XGROUP', 'CREATE', 'g', 'grp3', '$', 'FOO');
    await c.error('NOGROUP', 'XGROUP', 'SETID', 'g', 'nogrp', '0');
    await c.do('XGROUP', 'HELP');
    await c.do('XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '2', 'STREAMS', 'g', '>');
    await c.do('XREADGROUP', 'GROUP', 'grp', 'bob', 'COUNT', '1', 'STREAMS', 'g', '>');
    await c.do('XREADGROUP', 'GROUP', 'grp', 'alice', 'STREAMS', 'g', '0');
    await c.do('XREADGROUP', 'GROUP', 'grp', 'carol', 'NOACK', 'COUNT', '1', 'STREAMS', 'g', '>');
    await c.error('NOGROUP', 'XREADGROUP', 'GROUP', 'nogrp', 'x', 'STREAMS', 'g', '>');
    await c.error('ERR The $ ID is meaningless', 'XREADGROUP', 'GROUP', 'grp', 'x', 'STREAMS', 'g', '$');
    await c.error('ERR Missing GROUP', 'XREADGROUP', 'COUNT', '1', 'NOACK', 'STREAMS', 'g', '>');
    await c.do('XPENDING', 'g', 'grp');
    await c.doLoosely('XPENDING', 'g', 'grp', '-', '+', '10');
    await c.doLoosely('XPENDING', 'g', 'grp', 'IDLE', '0', '-', '+', '10', 'alice');
    await c.do('XPENDING', 'g', 'grp', '-', '+', '10', 'nobody');
    await c.error('ERR syntax error', 'XPENDING', 'g', 'grp', '-', '+');
    await c.error('NOGROUP', 'XPENDING', 'g', 'nogrp');
    await c.do('XACK', 'g', 'grp', '1-1', '9-9');
    await c.do('XACK', 'g', 'nogrp', '1-1');
    await c.error('ERR Invalid stream ID', 'XACK', 'g', 'grp', 'x');
    await c.do('XCLAIM', 'g', 'grp', 'bob', '0', '2-1', '3-1');
    await c.do('XCLAIM', 'g', 'grp', 'bob', '0', '2-1', 'JUSTID');
    await c.do('XCLAIM', 'g', 'grp', 'dave', '0', '5-1', 'FORCE', 'RETRYCOUNT', '7', 'JUSTID');
    await c.error('ERR Unrecognized XCLAIM option', 'XCLAIM', 'g', 'grp', 'bob', '0', '2-1', 'FOO');
    await c.error('ERR Invalid min-idle-time', 'XCLAIM', 'g', 'grp', 'bob', 'x', '2-1');
    await c.error('NOGROUP', 'XCLAIM', 'g', 'nogrp', 'bob', '0', '2-1');
    await c.do('XDEL', 'g', '3-1');
    await c.do('XAUTOCLAIM', 'g', 'grp', 'erin', '0', '0', 'COUNT', '2');
    await c.do('XAUTOCLAIM', 'g', 'grp', 'erin', '0', '0', 'JUSTID');
    await c.error('ERR COUNT must be > 0', 'XAUTOCLAIM', 'g', 'grp', 'erin', '0', '0', 'COUNT', '0');
    await c.doLoosely('XINFO', 'GROUPS', 'g');
    await c.doLoosely('XINFO', 'CONSUMERS', 'g', 'grp');
    await c.error('NOGROUP', 'XINFO', 'CONSUMERS', 'g', 'nogrp');
    await c.do('XGROUP', 'CREATECONSUMER', 'g', 'grp', 'zed');
    await c.do('XGROUP', 'CREATECONSUMER', 'g', 'grp', 'zed');
    await c.do('XGROUP', 'DELCONSUMER', 'g', 'grp', 'erin');
    await c.do('XGROUP', 'SETID', 'g', 'grp', '$', 'ENTRIESREAD', '2');
    await c.do('XINFO', 'GROUPS', 'g');
    await c.do('XGROUP', 'DESTROY', 'g', 'grp');
    await c.do('XGROUP', 'DESTROY', 'g', 'grp');
  });

  test('COPY of a stream with groups is independent', async () => {
    const c = await p.client();
    await fill(c, 'cp', 3);
    await c.do('XGROUP', 'CREATE', 'cp', 'g', '0');
    await c.do('XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '2', 'STREAMS', 'cp', '>');
    await c.do('COPY', 'cp', 'cp2');
    await c.do('XACK', 'cp', 'g', '1-1');
    await c.do('XPENDING', 'cp2', 'g');
    await c.do('XPENDING', 'cp', 'g');
    const [ours] = await c.both('DEBUG', 'DIGEST-VALUE', 'cp2');
    assert.ok(ours.startsWith('*1'));
  });
});
