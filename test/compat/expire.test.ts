/*
 * Differential tests of the expiry commands (EXPIRE PEXPIRE EXPIREAT PEXPIREAT
 * with NX XX GT LT, TTL PTTL EXPIRETIME PEXPIRETIME PERSIST), plus in-process
 * checks of what Redis propagates (PEXPIREAT <abs ms>, DEL for a past time)
 * and the keyspace events fired.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';
import { startServer } from '../../src/index.js';
import { tmpDir } from '../helpers/persist.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('expire commands', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('EXPIRE family: set, read back, missing keys', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    await c.do('EXPIRE', 'k', '100');
    await c.doApprox(1, 'TTL', 'k');
    await c.doApprox(100, 'PTTL', 'k');
    await c.do('PEXPIRE', 'k', '50000');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('EXPIREAT', 'k', '4000000000');
    await c.do('EXPIRETIME', 'k');
    await c.do('PEXPIRETIME', 'k');
    await c.do('PEXPIREAT', 'k', '4000000000123');
    await c.do('PEXPIRETIME', 'k');
    await c.do('EXPIRETIME', 'k');
    await c.doApprox(1, 'TTL', 'k');
    for (const cmd of ['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']) await c.do(cmd, 'nope', '100');
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) { await c.do(cmd, 'nope'); }
    await c.do('SET', 'p', 'v');
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) { await c.do(cmd, 'p'); }
    await c.do('PERSIST', 'p');
    await c.do('PERSIST', 'nope');
    await c.do('PERSIST', 'k');
    await c.do('TTL', 'k');
  });

  test('a time in the past deletes the key', async () => {
    const c = await p.client();
    for (const [cmd, t] of [['EXPIRE', '-1'], ['PEXPIRE', '0'], ['EXPIREAT', '1'], ['PEXPIREAT', '-9223372036854770000'], ['EXPIRE', '0']] as const) {
      await c.do('SET', 'k', 'v');
      await c.do(cmd, 'k', t);
      await c.do('EXISTS', 'k');
    }
    await c.do('SET', 'k', 'v');
    await c.do('EXPIRE', 'k', '-10', 'LT'); // persistent key counts as infinite: LT passes
    await c.do('EXISTS', 'k');
  });

  test('NX XX GT LT', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    await c.do('EXPIRE', 'k', '100', 'XX');
    await c.do('EXPIRE', 'k', '100', 'GT');
    await c.do('EXPIRE', 'k', '100', 'LT');
    await c.do('TTL', 'k');
    await c.do('EXPIRE', 'k', '100', 'NX');
    await c.do('EXPIRE', 'k', '200', 'nx');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('EXPIRE', 'k', '50', 'GT');
    await c.do('EXPIRE', 'k', '500', 'gt');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('EXPIRE', 'k', '1000', 'LT');
    await c.do('EXPIRE', 'k', '300', 'LT', 'XX');
    await c.doApprox(1, 'TTL', 'k');
    await c.do('PEXPIRE', 'k', '290000', 'GT', 'XX');
    await c.do('PEXPIRE', 'k', '400000', 'GT', 'XX');
    await c.do('PERSIST', 'k');
    await c.do('EXPIRE', 'k', '300', 'LT', 'XX');
    await c.do('PEXPIREAT', 'k', '5000000000000', 'GT');
    await c.do('PEXPIREAT', 'k', '5000000000000', 'NX');
    await c.do('EXPIREAT', 'k', '5000000000', 'XX');
    await c.do('EXPIREAT', 'k', '5000000000', 'GT');
    await c.do('EXPIREAT', 'k', '5000000001', 'GT');
    await c.do('EXPIRETIME', 'k');
    await c.do('EXPIRE', 'k', '10', 'XX', 'XX');
  });

  test('option errors come before the time and the key', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    for (const opts of [['NX', 'XX'], ['NX', 'GT'], ['lt', 'nx'], ['XX', 'NX']]) await c.error('ERR NX and XX, GT or LT options at the same time are not compatible', 'EXPIRE', 'k', '10', ...opts);
    await c.error('ERR GT and LT options at the same time are not compatible', 'PEXPIRE', 'k', '10', 'GT', 'LT');
    await c.error('ERR GT and LT options at the same time are not compatible', 'EXPIRE', 'k', 'notanumber', 'GT', 'LT');
    await c.error('ERR Unsupported option foo', 'EXPIRE', 'k', '10', 'foo');
    await c.error('ERR Unsupported option', 'EXPIRE', 'nope', 'x', 'NX', 'bar');
    await c.error('ERR value is not an integer', 'EXPIRE', 'k', '');
    await c.error('ERR value is not an integer', 'EXPIRE', 'nope', '1.5');
    await c.error('ERR value is not an integer', 'PEXPIREAT', 'k', '99999999999999999999');
    await c.error('ERR wrong number', 'EXPIRE', 'k');
    await c.error('ERR wrong number', 'TTL');
    await c.error('ERR wrong number', 'PTTL', 'a', 'b');
    await c.error('ERR wrong number', 'EXPIRETIME');
    await c.error('ERR wrong number', 'PERSIST');
  });

  test('overflow checks', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    for (const t of ['9223370399119966', '9223372036854776', '10000000000000000', '18446744073709561', '-9223372036854776', '-9999999999999999']) {
      await c.error("ERR invalid expire time in 'expire' command", 'EXPIRE', 'k', t);
    }
    await c.error("ERR invalid expire time in 'pexpire' command", 'PEXPIRE', 'k', '9223372036854770000');
    await c.error("ERR invalid expire time in 'expireat' command", 'EXPIREAT', 'k', '9223372036854776');
    await c.error("ERR invalid expire time in 'expire' command", 'expire', 'nope', '9223372036854776');
    await c.do('TTL', 'k');
    await c.do('PEXPIREAT', 'k', '9223372036854770000');
    await c.do('EXPIREAT', 'k', '9223372036854775');
    await c.do('EXPIRE', 'k', '-9223372036854775');
    await c.do('EXISTS', 'k');
  });

  test('expired keys are gone for every reader; EXPIRE does not resurrect', async () => {
    const c = await p.client();
    await c.do('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await c.do('SET', 'k', 'v', 'PX', '5');
      await sleep(20);
      await c.do('DBSIZE');
      await c.do('EXPIRE', 'k', '100');
      await c.do('TTL', 'k');
      await c.do('EXISTS', 'k');
      await c.do('SET', 'k2', 'v', 'PX', '5');
      await sleep(20);
      await c.do('PERSIST', 'k2');
      await c.do('DBSIZE');
      await c.do('SET', 'k3', 'v', 'PX', '5');
      await sleep(20);
      await c.do('DEL', 'k3');
    } finally {
      await c.both('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  test('keys expire actively without being touched', async () => {
    const c = await p.client();
    for (let i = 0; i < 20; i++) await c.do('SET', `k${i}`, 'v', 'PX', '100');
    await c.do('SET', 'keep', 'v');
    await sleep(1000);
    await c.do('DBSIZE');
  });
});

describe('expire propagation and events (in-process)', () => {
  test('EXPIRE propagates PEXPIREAT with options; past times propagate DEL; events', async (t) => {
    const s = await startServer({ port: 0, loglevel: 'warning', dir: tmpDir(t) });
    const seen: string[] = [];
    const events: string[] = [];
    s.server.recorder.listen((db, argv) => seen.push(`${db}:${argv.join(' ')}`));
    s.server.recorder.notifyFlags = 0xffff;
    s.server.recorder.publish = (ch, msg) => { if (ch.startsWith('__keyevent')) events.push(`${ch.slice(ch.indexOf(':') + 1)} ${msg}`); };
    const c = await RawClient.connect(s.port);
    try {
      await c.call('SET', 'k', 'v');
      const t0 = Date.now();
      await c.call('EXPIRE', 'k', '100', 'GT'); // persistent: GT fails, nothing propagated
      await c.call('EXPIRE', 'k', '100', 'NX');
      await c.call('PEXPIREAT', 'k', '5000000000000', 'XX');
      await c.call('EXPIREAT', 'k', '5000000001');
      await c.call('PEXPIRE', 'k', '-1');
      await c.call('SET', 'p', 'v', 'EX', '100');
      await c.call('PERSIST', 'p');
      await c.call('PERSIST', 'p');
      const lines = seen.filter((l) => !l.startsWith('0:SET'));
      assert.equal(lines.length, 5, lines.join('\n'));
      const m = /^0:PEXPIREAT k (\d+) NX$/.exec(lines[0]!);
      assert.ok(m, lines[0]);
      assert.ok(Math.abs(Number(m![1]) - (t0 + 100000)) < 1000);
      assert.equal(lines[1], '0:PEXPIREAT k 5000000000000 XX');
      assert.equal(lines[2], '0:PEXPIREAT k 5000000001000');
      assert.equal(lines[3], '0:DEL k');
      assert.equal(lines[4], '0:PERSIST p');
      assert.deepEqual(events.filter((e) => !e.startsWith('set ') && !e.startsWith('new ')), ['expire k', 'expire k', 'expire k', 'del k', 'expire p', 'persist p']);
    } finally {
      c.close();
      await s.close();
    }
  });
});
