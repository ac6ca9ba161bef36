/* COMMAND GETKEYS / GETKEYSANDFLAGS for commands whose key flags depend on their arguments. */
import { describe, test } from 'node:test';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

describe('command getkeys with variable flags', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('SET with and without GET, BITFIELD read-only or not', async () => {
    const c = await p.client();
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'EX', '10', 'get');
    await c.do('COMMAND', 'GETKEYS', 'SET', 'k', 'v', 'GET');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', 'GET', 'u8', '0');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', 'GET', 'u8', '0', 'OVERFLOW', 'SAT', 'GET', 'i4', '3');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', 'SET', 'u8', '0', '1');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', 'bogus');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'MSET', 'a', '1', 'b', '2');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'RENAME', 'a', 'b');
  });
});
