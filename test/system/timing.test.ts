/*
 * Command durations (INFO commandstats usec, SLOWLOG) when commands are timed
 * back to back (dispatch.ts clock chaining): a command's time starts where the
 * previous command of the same pipeline or EXEC ended, never earlier, and a
 * script's own work is not charged to the commands it calls.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';
import { startNodis } from '../helpers/servers.js';

/** usec of cmdstat_<name> from INFO commandstats */
async function usecOf(c: RawClient, name: string): Promise<number> {
  const info = await c.call('INFO', 'commandstats');
  const m = new RegExp(`cmdstat_${name}:calls=\\d+,usec=(\\d+)`).exec(info);
  assert.ok(m, `no cmdstat_${name} in ${info}`);
  return Number(m[1]);
}

/** A fresh server and a connection to it for f. */
async function withClient(f: (c: RawClient) => Promise<void>): Promise<void> {
  const s = await startNodis();
  try {
    const c = await RawClient.connect(s.port);
    try { await f(c); } finally { c.close(); }
  } finally { await s.close(); }
}

describe('command timing', () => {
  test('a pipelined command after a slow one is not charged its time', () => withClient(async (c) => {
    c.write(Buffer.concat([encodeCommand(['DEBUG', 'SLEEP', '0.2']), encodeCommand(['GET', 'a']), encodeCommand(['GET', 'b'])]));
    for (let i = 0; i < 3; i++) await c.read();
    assert.ok(await usecOf(c, 'debug') >= 200000);
    assert.ok(await usecOf(c, 'get') < 50000, 'GET took the time of DEBUG SLEEP');
  }));
  test('inside EXEC each queued command has its own time', () => withClient(async (c) => {
    c.write(Buffer.concat([['MULTI'], ['DEBUG', 'SLEEP', '0.2'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']].map((a) => encodeCommand(a))));
    for (let i = 0; i < 5; i++) await c.read();
    assert.ok(await usecOf(c, 'debug') >= 200000);
    assert.ok(await usecOf(c, 'set') < 50000, 'SET took the time of DEBUG SLEEP');
    assert.ok(await usecOf(c, 'exec') >= 200000);
    assert.ok(await usecOf(c, 'get') < 50000, 'GET after EXEC took its time');
  }));
  test("a script's own work is not charged to the commands it calls", () => withClient(async (c) => {
    const script = "redis.call('set', 'x', '1'); local t = redis.call('time'); local n = 0; " +
      "while true do local u = redis.call('time'); n = n + 1; if (u[1] - t[1]) * 1000000 + (u[2] - t[2]) > 200000 then break end end; " +
      "return redis.call('get', 'x')";
    c.write(Buffer.concat([encodeCommand(['EVAL', script, '0']), encodeCommand(['GET', 'x'])]));
    assert.equal(await c.read(), '$1\r\n1\r\n');
    await c.read();
    assert.ok(await usecOf(c, 'eval') >= 200000);
    assert.ok(await usecOf(c, 'get') < 50000, 'GET took the script time');
    assert.ok(await usecOf(c, 'set') < 50000, 'SET took the script time');
  }));
});
