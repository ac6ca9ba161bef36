/*
 * What the string and bitmap commands propagate (t_string.c / bitops.c
 * rewrites), observed on an embedded server through a propagation hook:
 * SET/SETEX/PSETEX with an expire -> SET key value PXAT <ms>, SET GET without
 * GET, GETSET -> SET, GETDEL -> DEL, GETEX -> PEXPIREAT / PERSIST / DEL,
 * INCRBYFLOAT -> SET key value KEEPTTL, and no propagation for no-op writes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../index.js';
import { RawClient } from '../../../test/helpers/resp-client.js';

describe('string propagation', () => {
  let s: RunningServer;
  let c: RawClient;
  let got: string[][] = [];
  before(async () => {
    s = await startServer({ port: 0, save: '', loglevel: 'warning' });
    s.server.recorder.listen((_db, argv) => { got.push([...argv]); });
    c = await RawClient.connect(s.port);
  });
  after(async () => { c.close(); await s.close(); });

  /** Run one command; return what it propagated. */
  const run = async (...args: string[]): Promise<string[][]> => {
    got = [];
    const r = await c.call(...args);
    assert.ok(!r.startsWith('-'), `${args.join(' ')}: ${r}`);
    return got;
  };
  const near = (ms: string, want: number): void => assert.ok(Math.abs(Number(ms) - want) < 2000, `${ms} vs ${want}`);

  test('SET family', async () => {
    assert.deepEqual(await run('SET', 'k', 'v'), [['SET', 'k', 'v']]);
    assert.deepEqual(await run('SET', 'k', 'v', 'NX'), []);
    assert.deepEqual(await run('SET', 'k', 'w', 'get', 'XX', 'GET'), [['SET', 'k', 'w', 'XX']]);
    assert.deepEqual(await run('SET', 'k', 'w', 'KEEPTTL'), [['SET', 'k', 'w', 'KEEPTTL']]);
    let p = await run('SET', 'k', 'v', 'EX', '100', 'GET');
    assert.deepEqual(p[0]!.slice(0, 4), ['SET', 'k', 'v', 'PXAT']);
    near(p[0]![4]!, Date.now() + 100000);
    assert.deepEqual(await run('SET', 'k', 'v', 'EXAT', '1'), [['SET', 'k', 'v', 'PXAT', '1000']]);
    // the key set with a past EXAT is found expired by the next write: its DEL goes first, both in MULTI/EXEC
    assert.deepEqual(await run('SET', 'k', 'v', 'PXAT', '9223372036854775807'), [['MULTI'], ['DEL', 'k'], ['SET', 'k', 'v', 'PXAT', '9223372036854775807'], ['EXEC']]);
    p = await run('SETEX', 'k', '10', 'v');
    assert.deepEqual(p[0]!.slice(0, 4), ['SET', 'k', 'v', 'PXAT']);
    near(p[0]![4]!, Date.now() + 10000);
    p = await run('PSETEX', 'k', '5000', 'v');
    near(p[0]![4]!, Date.now() + 5000);
    assert.deepEqual(await run('SETNX', 'k', 'v'), []);
    assert.deepEqual(await run('SETNX', 'k2', 'v'), [['SETNX', 'k2', 'v']]);
    assert.deepEqual(await run('GETSET', 'k', 'x'), [['SET', 'k', 'x']]);
    assert.deepEqual(await run('MSETNX', 'k', '1', 'z', '2'), []);
    assert.deepEqual(await run('MSET', 'k', '1', 'z', '2'), [['MSET', 'k', '1', 'z', '2']]);
  });

  test('GETDEL and GETEX', async () => {
    await run('SET', 'k', 'v');
    assert.deepEqual(await run('GETEX', 'k'), []);
    assert.deepEqual(await run('GETEX', 'k', 'PERSIST'), []);
    const p = await run('GETEX', 'k', 'EX', '50');
    assert.deepEqual(p[0]!.slice(0, 2), ['PEXPIREAT', 'k']);
    near(p[0]![2]!, Date.now() + 50000);
    assert.deepEqual(await run('GETEX', 'k', 'PXAT', '99999999999999'), [['PEXPIREAT', 'k', '99999999999999']]);
    assert.deepEqual(await run('GETEX', 'k', 'PERSIST'), [['PERSIST', 'k']]);
    assert.deepEqual(await run('GETEX', 'k', 'EXAT', '1'), [['DEL', 'k']]);
    assert.deepEqual(await run('GETEX', 'k', 'EXAT', '1'), []);
    await run('SET', 'k', 'v');
    assert.deepEqual(await run('GETDEL', 'k'), [['DEL', 'k']]);
    assert.deepEqual(await run('GETDEL', 'k'), []);
  });

  test('numbers, ranges, bits', async () => {
    await run('SET', 'f', '1.5', 'EX', '100');
    assert.deepEqual(await run('INCRBYFLOAT', 'f', '0.25'), [['SET', 'f', '1.75', 'KEEPTTL']]);
    assert.deepEqual(await run('INCRBY', 'n', '5'), [['INCRBY', 'n', '5']]);
    assert.deepEqual(await run('APPEND', 'a', 'x'), [['APPEND', 'a', 'x']]);
    assert.deepEqual(await run('SETRANGE', 'a', '0', ''), []);
    assert.deepEqual(await run('SETRANGE', 'a', '3', 'y'), [['SETRANGE', 'a', '3', 'y']]);
    assert.deepEqual(await run('SETBIT', 'b', '3', '1'), [['SETBIT', 'b', '3', '1']]);
    assert.deepEqual(await run('SETBIT', 'b', '3', '1'), []);
    assert.deepEqual(await run('BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300'), []);
    assert.deepEqual(await run('BITFIELD', 'bf', 'SET', 'u8', '0', '0'), []);
    assert.deepEqual(await run('BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1'), [['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1']]);
    assert.deepEqual(await run('BITFIELD', 'bf', 'GET', 'u8', '0'), []);
    assert.deepEqual(await run('BITOP', 'AND', 'none', 'missing'), []);
    assert.deepEqual(await run('BITOP', 'OR', 'dst', 'b'), [['BITOP', 'OR', 'dst', 'b']]);
  });
});
