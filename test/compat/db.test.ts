/*
 * Differential tests of the database commands: SELECT SWAPDB MOVE FLUSHDB
 * FLUSHALL DBSIZE, plus in-process checks of dirty counting, propagation and
 * the keyspace events of RENAME / MOVE / COPY / DEL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';
import { startServer } from '../../src/index.js';
import { tmpDir } from '../helpers/persist.js';

describe('db commands', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('SELECT', async () => {
    const c = await p.client();
    await c.do('SELECT', '15');
    await c.do('SET', 'a', '1');
    await c.do('DBSIZE');
    await c.do('SELECT', '0');
    await c.do('DBSIZE');
    await c.error('ERR DB index is out of range', 'SELECT', '16');
    await c.error('ERR DB index is out of range', 'SELECT', '-1');
    await c.error('ERR value is not an integer', 'SELECT', 'x');
    await c.error('ERR value is not an integer', 'SELECT', '1.0');
    await c.error('ERR value is out of range', 'SELECT', '2147483648');
    await c.error('ERR value is out of range', 'SELECT', '-2147483649');
    await c.error('ERR wrong number', 'SELECT');
  });

  test('SWAPDB', async () => {
    const c = await p.client();
    await c.do('SET', 'a', 'db0');
    await c.do('SET', 't', 'v', 'EX', '100');
    await c.do('SELECT', '1');
    await c.do('SET', 'b', 'db1');
    await c.do('SWAPDB', '0', '1');
    await c.doSorted('KEYS', '*'); // this connection stays on db 1 and sees db 0's former keys
    await c.doApprox(1, 'TTL', 't');
    await c.do('SELECT', '0');
    await c.do('GET', 'b');
    await c.do('SWAPDB', '1', '1');
    await c.do('SWAPDB', '1', '0');
    await c.do('GET', 'a');
    await c.error('ERR invalid first DB index', 'SWAPDB', 'x', '1');
    await c.error('ERR invalid first DB index', 'SWAPDB', '2147483648', '1');
    await c.error('ERR invalid second DB index', 'SWAPDB', '0', 'y');
    await c.error('ERR DB index is out of range', 'SWAPDB', '0', '16');
    await c.error('ERR DB index is out of range', 'SWAPDB', '-1', '0');
    await c.error('ERR wrong number', 'SWAPDB', '0');
  });

  test('MOVE', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v', 'EX', '100');
    await c.do('MOVE', 'k', '2');
    await c.do('EXISTS', 'k');
    await c.do('MOVE', 'k', '2');
    await c.do('SELECT', '2');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('SET', 'plain', 'x');
    await c.do('SELECT', '0');
    await c.do('SET', 'plain', 'y');
    await c.do('MOVE', 'plain', '2'); // exists in the target: 0
    await c.do('GET', 'plain');
    await c.do('MOVE', 'nope', '2');
    await c.error('ERR source and destination objects are the same', 'MOVE', 'plain', '0');
    await c.error('ERR DB index is out of range', 'MOVE', 'plain', '16');
    await c.error('ERR value is not an integer', 'MOVE', 'plain', 'x');
    await c.error('ERR value is out of range', 'MOVE', 'plain', '99999999999');
    await c.error('ERR wrong number', 'MOVE', 'plain');
  });

  test('FLUSHDB / FLUSHALL / DBSIZE', async () => {
    const c = await p.client();
    await c.do('MSET', 'a', '1', 'b', '2');
    await c.do('SELECT', '1');
    await c.do('SET', 'c', '3');
    await c.do('FLUSHDB');
    await c.do('DBSIZE');
    await c.do('SELECT', '0');
    await c.do('DBSIZE');
    await c.do('FLUSHDB', 'ASYNC');
    await c.do('SET', 'x', '1');
    await c.do('FLUSHDB', 'sync');
    await c.do('DBSIZE');
    await c.do('SET', 'y', '1');
    await c.do('FLUSHALL', 'async');
    await c.do('FLUSHALL', 'SYNC');
    await c.do('FLUSHALL');
    await c.do('DBSIZE');
    await c.error('ERR syntax error', 'FLUSHDB', 'LATER');
    await c.error('ERR syntax error', 'FLUSHDB', 'ASYNC', 'SYNC');
    await c.error('ERR syntax error', 'FLUSHALL', 'x');
    await c.error('ERR wrong number', 'DBSIZE', 'x');
  });
});

describe('dirty, propagation and events (in-process)', () => {
  test('RENAME / MOVE / COPY / DEL / FLUSH* / SWAPDB', async (t) => {
    const s = await startServer({ port: 0, loglevel: 'warning', dir: tmpDir(t) });
    const rec = s.server.recorder;
    const seen: string[] = [];
    const events: string[] = [];
    const modified: string[] = [];
    rec.listen((db, argv) => seen.push(`${db}:${argv.join(' ')}`));
    rec.keyModifiedHooks.push((db, key) => modified.push(`${db.id}:${key ?? '*'}`));
    rec.notifyFlags = 0xffff;
    rec.publish = (ch, msg) => { if (ch.startsWith('__keyspace')) events.push(`${ch.slice(11, ch.indexOf('__:'))}:${msg} ${ch.slice(ch.indexOf('__:') + 3)}`); };
    const c = await RawClient.connect(s.port);
    try {
      await c.call('SET', 'a', '1');
      events.length = 0;
      let d = rec.dirty;
      await c.call('RENAME', 'a', 'b');
      assert.equal(rec.dirty - d, 1);
      assert.deepEqual(events, ['0:new b', '0:rename_from a', '0:rename_to b']);
      events.length = 0;
      await c.call('MOVE', 'b', '3');
      assert.deepEqual(events, ['3:new b', '0:move_from b', '3:move_to b']);
      events.length = 0;
      await c.call('SELECT', '3');
      await c.call('COPY', 'b', 'c', 'DB', '4');
      assert.deepEqual(events, ['4:new c', '4:copy_to c']);
      events.length = 0;
      await c.call('DEL', 'b', 'b', 'zz');
      assert.deepEqual(events, ['3:del b']);
      d = rec.dirty;
      modified.length = 0;
      await c.call('FLUSHDB');
      assert.equal(rec.dirty - d, 0, 'db 3 was empty');
      assert.deepEqual(modified, ['3:*']);
      await c.call('MSET', 'x', '1', 'y', '2');
      d = rec.dirty;
      await c.call('FLUSHALL');
      assert.equal(rec.dirty - d, 3, 'x, y and db 4 c');
      d = rec.dirty;
      modified.length = 0;
      await c.call('SWAPDB', '1', '2');
      assert.equal(rec.dirty - d, 1);
      assert.deepEqual(modified, ['1:*', '2:*', '1:*', '2:*']);
      // DEL propagates its argv; FLUSHDB propagates even on an empty db (forced)
      assert.deepEqual(seen.slice(-5), ['3:DEL b b zz', '3:FLUSHDB', '3:MSET x 1 y 2', '3:FLUSHALL', '3:SWAPDB 1 2']);
    } finally {
      c.close();
      await s.close();
    }
  });
});
