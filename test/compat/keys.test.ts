/*
 * Differential tests of the keyspace commands: DEL UNLINK EXISTS TYPE RENAME
 * RENAMENX KEYS SCAN RANDOMKEY COPY TOUCH OBJECT, and the glob matcher
 * through KEYS. WRONGTYPE cases need collection types (later issues).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply, RawClient } from '../helpers/resp-client.js';
import { startServer } from '../../src/index.js';
import { tmpDir } from '../helpers/persist.js';
import { lruClockNow } from '../../src/keyspace/access.js';

/** Full SCAN iteration on one side; returns the keys (cursor values differ between servers). */
async function scanAll(c: PairClient['ours'], ...opts: string[]): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const r = parseReply(await c.call('SCAN', cursor, ...opts)) as [string, string[]];
    cursor = r[0];
    keys.push(...r[1]);
  } while (cursor !== '0');
  return keys;
}

describe('keyspace commands', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('DEL / UNLINK', async () => {
    const c = await p.client();
    await c.do('MSET', 'a', '1', 'b', '2', 'c', '3');
    await c.do('DEL', 'a', 'nope', 'a');
    await c.do('UNLINK', 'b', 'c', 'b');
    await c.do('DEL', 'nope');
    await c.do('EXISTS', 'a', 'b', 'c');
    await c.error('ERR wrong number', 'DEL');
    await c.error('ERR wrong number', 'UNLINK');
  });

  test('EXISTS counts repeats; TYPE', async () => {
    const c = await p.client();
    await c.do('SET', 'a', '1');
    await c.do('SET', '', 'empty key');
    await c.do('EXISTS', 'a', 'a', 'b', '');
    await c.do('TYPE', 'a');
    await c.do('TYPE', 'nope');
    await c.do('APPEND', 'm', 'x');
    await c.do('TYPE', 'm');
    await c.error('ERR wrong number', 'EXISTS');
    await c.error('ERR wrong number', 'TYPE');
    await c.error('ERR wrong number', 'TYPE', 'a', 'b');
  });

  test('RENAME / RENAMENX', async () => {
    const c = await p.client();
    await c.error('ERR no such key', 'RENAME', 'nope', 'x');
    await c.error('ERR no such key', 'RENAME', 'nope', 'nope');
    await c.error('ERR no such key', 'RENAMENX', 'nope', 'x');
    await c.do('SET', 'a', '1');
    await c.do('RENAME', 'a', 'a');
    await c.do('RENAMENX', 'a', 'a');
    await c.do('RENAME', 'a', 'b');
    await c.do('EXISTS', 'a');
    await c.do('GET', 'b');
    await c.do('SET', 'c', '3');
    await c.do('RENAMENX', 'b', 'c');
    await c.do('RENAME', 'b', 'c');
    await c.do('GET', 'c');
    await c.do('SET', 'd', '4', 'EX', '100');
    await c.do('RENAMENX', 'd', 'e');
    await c.doApprox(1, 'TTL', 'e');
    await c.do('SET', 't', 'x', 'EX', '500');
    await c.do('SET', 'f', 'no ttl');
    await c.do('RENAME', 'f', 't');
    await c.do('TTL', 't'); // target's TTL is not inherited
    await c.error('ERR wrong number', 'RENAME', 'a');
    await c.error('ERR wrong number', 'RENAMENX', 'a', 'b', 'c');
  });

  test('KEYS with patterns, skipping expired keys', async () => {
    const c = await p.client();
    await c.do('MSET', 'foo_a', '1', 'foo_b', '1', 'foo_c', '1', 'key_x', '1', 'key_y', '1', 'h[a]llo', '1', 'a*b', '1');
    for (const pat of ['*', 'foo*', 'key*', '*_?', 'foo_[ab]', 'foo_[^a]', 'h\\[a\\]llo', 'a\\*b', 'a*b', '[a-f]*', 'nomatch*', '']) {
      await c.doSorted('KEYS', pat);
    }
    await c.do('SET', 'gone', 'x', 'PX', '1');
    await new Promise((r) => setTimeout(r, 10));
    await c.doSorted('KEYS', '*');
    await c.error('ERR wrong number', 'KEYS');
    await c.error('ERR wrong number', 'KEYS', 'a', 'b');
  });

  test('glob matcher fuzz against real Redis (KEYS)', async () => {
    const c = await p.client();
    const alphabet = ['a', 'b', 'A', '*', '?', '[', ']', '^', '-', '\\', 'z', '\xe9'];
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const word = (max: number): string => { let s = ''; const n = rnd(max + 1); for (let i = 0; i < n; i++) s += alphabet[rnd(alphabet.length)]; return s; };
    const keys = new Set<string>();
    while (keys.size < 60) keys.add(word(5) || 'x');
    const args: string[] = [];
    for (const k of keys) args.push(k, '1');
    await c.do('MSET', ...args.map((s) => Buffer.from(s, 'latin1')));
    for (let i = 0; i < 250; i++) await c.doSorted('KEYS', Buffer.from(word(6), 'latin1'));
  });

  test('SCAN: full iteration, MATCH, COUNT, TYPE', async () => {
    const c = await p.client();
    const args: string[] = [];
    for (let i = 0; i < 500; i++) args.push(`key:${i}`, String(i));
    await c.do('MSET', ...args);
    await c.do('APPEND', 'other', 'x');
    for (const opts of [[], ['COUNT', '1'], ['COUNT', '100'], ['MATCH', 'key:1*'], ['match', '*', 'count', '3'], ['TYPE', 'string'], ['TYPE', 'STRING'], ['TYPE', 'list'], ['TYPE', 'nosuchtype', 'MATCH', 'k*']]) {
      const [ours, theirs] = await Promise.all([scanAll(c.ours, ...opts), scanAll(c.theirs, ...opts)]);
      assert.deepEqual(ours.sort(), theirs.sort(), `SCAN ${opts.join(' ')}`);
      assert.equal(new Set(ours).size, ours.length, 'no duplicates on a quiet db');
    }
    const [a] = await c.both('SCAN', '0', 'COUNT', '1000');
    assert.equal((parseReply(a) as [string, string[]])[0], '0', 'one big COUNT finishes in one call');
    await c.doLoosely('SCAN', '0');
  });

  test('SCAN: cursor and option errors', async () => {
    const c = await p.client();
    await c.do('SET', 'a', '1');
    for (const bad of ['x', ' 1', '1 ', '1x', '18446744073709551616', '+', '-', '0x10', '1.5']) await c.error('ERR invalid cursor', 'SCAN', bad);
    await c.doLoosely('SCAN', '');
    await c.doLoosely('SCAN', '+0');
    await c.error('ERR syntax error', 'SCAN', '0', 'COUNT', '0');
    await c.error('ERR syntax error', 'SCAN', '0', 'COUNT', '-1');
    await c.error('ERR value is not an integer', 'SCAN', '0', 'COUNT', 'abc');
    await c.error('ERR value is not an integer', 'SCAN', '0', 'COUNT', '99999999999999999999');
    await c.error('ERR syntax error', 'SCAN', '0', 'COUNT');
    await c.error('ERR syntax error', 'SCAN', '0', 'MATCH');
    await c.error('ERR syntax error', 'SCAN', '0', 'TYPE');
    await c.error('ERR syntax error', 'SCAN', '0', 'FOO', 'bar');
    await c.error('ERR invalid cursor', 'SCAN', 'x', 'FOO');
    await c.error('ERR wrong number', 'SCAN');
  });

  test('SCAN skips and deletes expired keys', async () => {
    const c = await p.client();
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await c.do('MSET', 'a', '1', 'b', '2');
      await c.do('SET', 'e1', 'x', 'PX', '1');
      await c.do('SET', 'e2', 'x', 'PX', '1');
      await new Promise((r) => setTimeout(r, 10));
      await c.do('DBSIZE');
      const [ours, theirs] = await Promise.all([scanAll(c.ours), scanAll(c.theirs)]);
      assert.deepEqual(ours.sort(), theirs.sort());
      await c.do('DBSIZE');
    } finally {
      await c.both('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  test('RANDOMKEY', async () => {
    const c = await p.client();
    await c.do('RANDOMKEY');
    await c.do('SET', 'only', '1');
    await c.do('RANDOMKEY');
    await c.do('MSET', 'a', '1', 'b', '2');
    for (let i = 0; i < 5; i++) await c.doLoosely('RANDOMKEY');
    await c.error('ERR wrong number', 'RANDOMKEY', 'x');
  });

  test('RANDOMKEY never returns an expired key and reclaims them', async () => {
    const c = await p.client();
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      for (let i = 0; i < 50; i++) await c.do('SET', `e${i}`, 'x', 'PX', '1');
      await c.do('SET', 'live', '1');
      await new Promise((r) => setTimeout(r, 10));
      for (let i = 0; i < 10; i++) await c.do('RANDOMKEY');
      for (let i = 0; i < 50; i++) await c.do('SET', `f${i}`, 'x', 'PX', '1');
      await c.do('DEL', 'live');
      await new Promise((r) => setTimeout(r, 10));
      await c.do('RANDOMKEY'); // all volatile and expired: null, all deleted
      await c.do('DBSIZE');
    } finally {
      await c.both('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  test('COPY', async () => {
    const c = await p.client();
    await c.do('SET', 'src', 'hello');
    await c.do('COPY', 'src', 'dst');
    await c.do('GET', 'dst');
    await c.do('COPY', 'src', 'dst');
    await c.do('SET', 'src', 'new');
    await c.do('COPY', 'src', 'dst', 'REPLACE');
    await c.do('GET', 'dst');
    await c.do('APPEND', 'src', '-more');
    await c.do('COPY', 'src', 'mut');
    await c.do('APPEND', 'src', '-again');
    await c.do('GET', 'mut'); // the copy is independent of the source
    await c.do('OBJECT', 'ENCODING', 'mut');
    await c.do('COPY', 'src', 'dst', 'DB', '3', 'replace');
    await c.do('SELECT', '3');
    await c.do('GET', 'dst');
    await c.do('COPY', 'dst', 'dst', 'DB', '0', 'REPLACE');
    await c.do('SELECT', '0');
    await c.do('GET', 'dst');
    await c.do('COPY', 'nope', 'x');
    await c.do('SET', 'ttl', 'v', 'EX', '1000');
    await c.do('COPY', 'ttl', 'ttl2');
    await c.doApprox(1, 'TTL', 'ttl2');
    await c.do('COPY', 'src', 'nottl');
    await c.do('TTL', 'nottl');
    await c.error('ERR source and destination objects are the same', 'COPY', 'src', 'src');
    await c.error('ERR source and destination objects are the same', 'COPY', 'src', 'src', 'DB', '0');
    await c.error('ERR DB index is out of range', 'COPY', 'src', 'x', 'DB', '16');
    await c.error('ERR DB index is out of range', 'COPY', 'src', 'x', 'DB', '-1');
    await c.error('ERR value is not an integer', 'COPY', 'src', 'x', 'DB', 'notanint');
    await c.error('ERR value is out of range', 'COPY', 'src', 'x', 'DB', '2147483648');
    await c.error('ERR syntax error', 'COPY', 'src', 'x', 'DB');
    await c.error('ERR syntax error', 'COPY', 'src', 'x', 'FOO');
    await c.error('ERR wrong number', 'COPY', 'src');
  });

  test('TOUCH', async () => {
    const c = await p.client();
    await c.do('MSET', 'a', '1', 'b', '2');
    await c.do('TOUCH', 'a', 'b', 'c', 'a');
    await c.error('ERR wrong number', 'TOUCH');
  });

  test('OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP', async () => {
    const c = await p.client();
    await c.do('MSET', 'int', '12345', 'small', '9999', 'zero', '0', 'neg', '-5', 'big', '123456789012345678901', 'emb', 'x'.repeat(44), 'raw', 'x'.repeat(45), 'lead0', '0123');
    await c.do('APPEND', 'app', 'abc');
    for (const k of ['int', 'small', 'zero', 'neg', 'big', 'emb', 'raw', 'lead0', 'app', 'nope']) {
      await c.do('OBJECT', 'ENCODING', k);
      await c.do('OBJECT', 'REFCOUNT', k);
    }
    await c.do('OBJECT', 'encoding', 'int');
    // whole seconds since the MSET: either side may have crossed a second boundary in the round trips since
    await c.doApprox(1, 'OBJECT', 'IDLETIME', 'int');
    await c.do('OBJECT', 'IDLETIME', 'nope');
    await c.do('OBJECT', 'FREQ', 'nope');
    await c.error('ERR An LFU maxmemory policy is not selected', 'OBJECT', 'FREQ', 'int');
    await c.do('OBJECT', 'HELP');
    await c.error('ERR unknown subcommand', 'OBJECT', 'FOO', 'int');
    await c.error('ERR wrong number', 'OBJECT', 'ENCODING');
    await c.error('ERR wrong number', 'OBJECT', 'ENCODING', 'a', 'b');
    await c.error('ERR wrong number', 'OBJECT', 'HELP', 'x');
    await c.error('ERR wrong number', 'OBJECT');
    await c.do('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    try {
      await c.do('SET', 'f', 'v');
      await c.do('OBJECT', 'FREQ', 'f');
      await c.error('ERR An LFU maxmemory policy is selected', 'OBJECT', 'IDLETIME', 'f');
    } finally {
      await c.both('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
  });

  test('RESP3 replies', async () => {
    const c = await p.client();
    await c.both('HELLO', '3');
    await c.do('RANDOMKEY');
    await c.do('OBJECT', 'ENCODING', 'nope');
    await c.do('SET', 'a', '1');
    await c.do('TYPE', 'a');
    await c.do('SCAN', '0');
    await c.do('KEYS', '*');
    await c.do('OBJECT', 'HELP');
  });
});

describe('access clock (in-process)', () => {
  test('TYPE EXISTS TTL OBJECT SCAN leave the access clock alone; GET and TOUCH update it', async (t) => {
    const s = await startServer({ port: 0, loglevel: 'warning', dir: tmpDir(t) });
    const c = await RawClient.connect(s.port);
    try {
      await c.call('SET', 'k', 'v');
      const db = s.server.dbs[0]!;
      const age = (): void => db.setClock('k', lruClockNow(Date.now()) - 100);
      age();
      for (const cmd of [['TYPE', 'k'], ['EXISTS', 'k'], ['TTL', 'k'], ['PTTL', 'k'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'], ['SCAN', '0', 'TYPE', 'string'], ['KEYS', '*'], ['EXPIRETIME', 'k']]) {
        await c.call(...cmd);
      }
      const idle = Number((await c.call('OBJECT', 'IDLETIME', 'k')).slice(1));
      assert.ok(idle >= 100 && idle <= 102, `idle ${idle}`);
      await c.call('TOUCH', 'k');
      assert.equal(await c.call('OBJECT', 'IDLETIME', 'k'), ':0\r\n');
      age();
      await c.call('GET', 'k');
      assert.equal(await c.call('OBJECT', 'IDLETIME', 'k'), ':0\r\n');
      age();
      await c.call('RENAME', 'k', 'k2'); // the value moves with its (just touched) clock
      assert.equal(await c.call('OBJECT', 'IDLETIME', 'k2'), ':0\r\n');
      const hits = s.server.stats.keyspaceHits;
      const misses = s.server.stats.keyspaceMisses;
      await c.call('EXISTS', 'k2', 'nope');
      await c.call('OBJECT', 'ENCODING', 'nope');
      assert.equal(s.server.stats.keyspaceHits - hits, 1);
      assert.equal(s.server.stats.keyspaceMisses - misses, 2);
    } finally {
      c.close();
      await s.close();
    }
  });
});
