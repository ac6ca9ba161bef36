/*
 * Type checks of the string and bitmap commands against a key of another
 * type, on an embedded server (a placeholder non-string value is stored
 * directly, until collection types exist to test this differentially).
 * Expected replies follow t_string.c / bitops.c: WRONGTYPE for every command
 * that checks the type, nil from MGET, LCS's own error, and plain overwrites
 * by SET / MSET / BITOP's destination.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../index.js';
import { RawClient } from '../../../test/helpers/resp-client.js';
import type { TypedValue } from '../../types/value.js';

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';

describe('string commands on a non-string key', () => {
  let s: RunningServer;
  let c: RawClient;
  before(async () => { s = await startServer({ port: 0, save: '', loglevel: 'warning' }); c = await RawClient.connect(s.port); });
  after(async () => { c.close(); await s.close(); });
  const list = (): void => { s.server.dbs[0]!.set('l', { type: 'list' } as TypedValue); };

  test('WRONGTYPE from every type-checking command, key untouched', async () => {
    const cmds = [
      ['GET', 'l'], ['GETEX', 'l', 'EX', '10'], ['GETDEL', 'l'], ['GETSET', 'l', 'v'], ['SET', 'l', 'v', 'GET'],
      ['SET', 'l', 'v', 'NX', 'GET'], ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['INCR', 'l'], ['DECR', 'l'],
      ['INCRBY', 'l', '1'], ['DECRBY', 'l', '1'], ['INCRBYFLOAT', 'l', '1'], ['GETRANGE', 'l', '0', '1'],
      ['SUBSTR', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'x'], ['SETRANGE', 'l', '0', ''], ['SETBIT', 'l', '0', '1'],
      ['GETBIT', 'l', '0'], ['BITCOUNT', 'l'], ['BITPOS', 'l', '1'], ['BITFIELD', 'l', 'GET', 'u8', '0'],
      ['BITFIELD', 'l', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'l', 'GET', 'u8', '0'], ['BITOP', 'AND', 'd', 'l'],
    ];
    for (const cmd of cmds) {
      list();
      assert.equal(await c.call(...cmd), WRONGTYPE, cmd.join(' '));
      assert.equal((s.server.dbs[0]!.get('l') as TypedValue).type, 'list', cmd.join(' '));
    }
  });

  test('MGET, LCS, SETNX and overwriting writes', async () => {
    list();
    await c.call('SET', 's', 'x');
    assert.equal(await c.call('MGET', 's', 'l', 'none'), '*3\r\n$1\r\nx\r\n$-1\r\n$-1\r\n');
    assert.equal(await c.call('LCS', 's', 'l'), '-ERR The specified keys must contain string values\r\n');
    assert.equal(await c.call('SETNX', 'l', 'v'), ':0\r\n');
    assert.equal(await c.call('MSETNX', 'l', 'v'), ':0\r\n');
    assert.equal(await c.call('SET', 'l', 'v', 'XX'), '+OK\r\n');
    assert.equal(await c.call('GET', 'l'), '$1\r\nv\r\n');
    list();
    assert.equal(await c.call('MSET', 'l', 'w'), '+OK\r\n');
    list();
    assert.equal(await c.call('BITOP', 'OR', 'l', 's'), ':1\r\n');
    assert.equal(await c.call('GET', 'l'), '$1\r\nx\r\n');
  });
});
