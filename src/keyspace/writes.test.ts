/* Unit tests of the write recorder, alone and through an embedded server. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROPAGATE_ALL, PROPAGATE_AOF, PROPAGATE_REPL, WriteRecorder } from './writes.js';
import { Db, type DbHooks } from './db.js';
import { NOTIFY_GENERIC, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, NOTIFY_STRING } from './notify.js';
import { startServer } from '../index.js';
import { RawClient } from '../../test/helpers/resp-client.js';

const hooks: DbHooks = { now: () => Date.now(), expired: () => {}, expiryIsRemote: false, noTouch: false, accessClock: () => 0 };

describe('WriteRecorder', () => {
  test('keyWritten bumps dirty, signals the key, fires enabled events only', () => {
    const r = new WriteRecorder();
    const db = new Db(3, hooks);
    const modified: (string | null)[] = [];
    const published: [string, string][] = [];
    r.keyModifiedHooks.push((d, k) => { assert.equal(d, db); modified.push(k); });
    r.publish = (ch, msg) => published.push([ch, msg]);
    r.keyWritten(db, 'k1', NOTIFY_STRING, 'set');
    assert.equal(r.dirty, 1);
    assert.deepEqual(modified, ['k1']);
    assert.deepEqual(published, [], 'no classes enabled: no events');
    r.notifyFlags = NOTIFY_KEYSPACE | NOTIFY_KEYEVENT | NOTIFY_STRING;
    r.keyWritten(db, 'k2', NOTIFY_STRING, 'set', 3);
    r.keyWritten(db, 'k3', NOTIFY_GENERIC, 'del');
    assert.equal(r.dirty, 5);
    assert.deepEqual(published, [['__keyspace@3__:k2', 'set'], ['__keyevent@3__:set', 'k2']]);
    r.notifyFlags = NOTIFY_KEYEVENT | NOTIFY_GENERIC;
    r.keyWritten(db, 'k4', NOTIFY_GENERIC, 'del');
    assert.deepEqual(published.slice(2), [['__keyevent@3__:del', 'k4']]);
  });

  test('propagation is queued in order and handed to every hook on flush', () => {
    const r = new WriteRecorder();
    const a: string[] = [];
    const b: string[] = [];
    r.listen((db, argv) => a.push(`${db}:${argv.join(' ')}`));
    r.listen((db, argv) => b.push(`${db}:${argv.join(' ')}`));
    r.propagate(0, ['DEL', 'x']);
    r.propagate(2, ['SET', 'y', '1']);
    assert.equal(r.hasPending, true);
    assert.deepEqual(a, []);
    r.flush();
    assert.deepEqual(a, ['0:DEL x', '2:SET y 1']);
    assert.deepEqual(b, a);
    r.flush();
    assert.equal(a.length, 2, 'nothing twice');
  });

  test('flush(true) wraps several commands in MULTI/EXEC (first and last db), not one', () => {
    const r = new WriteRecorder();
    const a: string[] = [];
    r.listen((db, argv, target) => a.push(`${db}:${argv.join(' ')}:${target}`));
    r.propagate(1, ['DEL', 'x']);
    r.propagate(2, ['SET', 'y', '1']);
    r.flush(true);
    assert.deepEqual(a, ['1:MULTI:3', '1:DEL x:3', '2:SET y 1:3', '2:EXEC:3']);
    a.length = 0;
    r.propagate(0, ['SET', 'y', '1']);
    r.flush(true);
    assert.deepEqual(a, ['0:SET y 1:3']);
  });

  test('targets: a command bound for no live destination is not queued (nor counted for the wrap)', () => {
    const r = new WriteRecorder();
    const a: string[] = [];
    r.propagateHooks.push((_db, argv, target) => a.push(`${argv.join(' ')}:${target}`));
    r.targets = PROPAGATE_AOF;
    r.propagate(0, ['PUBLISH', 'ch', 'm'], PROPAGATE_REPL);
    r.propagate(0, ['SET', 'k', 'v']);
    r.flush(true);
    assert.deepEqual(a, ['SET k v:3']);
    a.length = 0;
    r.targets = PROPAGATE_ALL;
    r.propagate(0, ['PUBLISH', 'ch', 'm'], PROPAGATE_REPL);
    r.propagate(0, ['SET', 'k', 'v'], PROPAGATE_AOF);
    r.flush(true);
    assert.deepEqual(a, ['MULTI:3', 'PUBLISH ch m:2', 'SET k v:1', 'EXEC:3']);
  });
});

describe('write recording through the server', () => {
  test('writes propagate their argv with the db; reads and failed writes do not', async () => {
    const s = await startServer({ port: 0, loglevel: 'warning' });
    const seen: string[] = [];
    s.server.recorder.listen((db, argv) => seen.push(`${db}:${argv.join(' ')}`));
    const c = await RawClient.connect(s.port);
    try {
      assert.equal(await c.call('SET', 'a', '1'), '+OK\r\n');
      assert.equal(await c.call('GET', 'a'), '$1\r\n1\r\n');
      assert.equal(await c.call('GET', 'nope'), '$-1\r\n');
      assert.deepEqual(seen, ['0:SET a 1']);
      const dirty = s.server.recorder.dirty;
      assert.ok(dirty >= 1);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('a lazily expired key propagates DEL before the command that found it', async () => {
    const s = await startServer({ port: 0, loglevel: 'warning' });
    const seen: string[] = [];
    s.server.recorder.listen((db, argv) => seen.push(`${db}:${argv.join(' ')}`));
    s.server.activeExpireEnabled = false;
    const c = await RawClient.connect(s.port);
    try {
      await c.call('SET', 'gone', 'v');
      s.server.dbs[0]!.setExpire('gone', Date.now() - 1);
      assert.equal(await c.call('GET', 'gone'), '$-1\r\n');
      await c.call('SET', 'gone', 'w');
      s.server.dbs[0]!.setExpire('gone', Date.now() - 1);
      await c.call('SET', 'gone', 'x');
      // a write that finds its key expired: the DEL and the write go out as one transaction
      assert.deepEqual(seen, ['0:SET gone v', '0:DEL gone', '0:SET gone w', '0:MULTI', '0:DEL gone', '0:SET gone x', '0:EXEC']);
      assert.equal(s.server.stats.expiredKeys, 2);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('several servers in one process are independent', async () => {
    const [s1, s2] = await Promise.all([startServer({ port: 0, loglevel: 'warning' }), startServer({ port: 0, loglevel: 'warning' })]);
    const [c1, c2] = await Promise.all([RawClient.connect(s1.port), RawClient.connect(s2.port)]);
    try {
      assert.notEqual(s1.port, s2.port);
      await c1.call('SET', 'k', 'one');
      assert.equal(await c2.call('GET', 'k'), '$-1\r\n');
      assert.equal(await c1.call('GET', 'k'), '$3\r\none\r\n');
    } finally {
      c1.close(); c2.close();
      await Promise.all([s1.close(), s2.close()]);
    }
  });
});
