/*
 * Differential WRONGTYPE checks now that a second type (lists) exists:
 * every string and bitmap command against a list key (error or, for the
 * commands that overwrite any type, the same result as Redis), the list left
 * unchanged whenever the command failed; every generic (keyspace) command on
 * a list key and on a string key (they work on any type: TYPE, OBJECT, COPY,
 * RENAME, MOVE, expiry, SCAN TYPE ...). A table check makes sure no string,
 * bitmap or generic command is left out.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { STRING_COMMANDS } from '../../src/commands/string/index.js';
import { GENERIC_COMMANDS } from '../../src/commands/generic/index.js';

type Cmd = (string | number)[];

/** String and bitmap commands on the list key 'l' (and the string key 's'): WRONGTYPE expected. */
const STRING_WRONGTYPE: Cmd[] = [
  ['GET', 'l'], ['SET', 'l', 'v', 'GET'], ['GETEX', 'l'], ['GETEX', 'l', 'PERSIST'], ['GETDEL', 'l'], ['GETSET', 'l', 'v'],
  ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['INCR', 'l'], ['DECR', 'l'], ['INCRBY', 'l', 2], ['DECRBY', 'l', 2],
  ['INCRBYFLOAT', 'l', '1.5'], ['GETRANGE', 'l', 0, -1], ['SUBSTR', 'l', 0, -1], ['SETRANGE', 'l', 0, 'x'],
  ['SETRANGE', 'l', 0, ''], ['SETBIT', 'l', 0, 1], ['GETBIT', 'l', 0],
  ['BITCOUNT', 'l'], ['BITCOUNT', 'l', 0, -1], ['BITPOS', 'l', 1], ['BITOP', 'AND', 'dest', 's', 'l'],
  ['BITOP', 'NOT', 'dest', 'l'], ['BITFIELD', 'l', 'GET', 'u8', 0], ['BITFIELD', 'l', 'SET', 'u8', 0, 1],
  ['BITFIELD_RO', 'l', 'GET', 'u8', 0],
];

/** String commands that replace a value of any type (or treat it as missing): compared as they are. */
const STRING_ANY_TYPE: Cmd[] = [
  ['MGET', 's', 'l', 'nokey'], ['SETNX', 'l', 'v'], ['MSETNX', 'l', 'v', 'x', 'y'], ['SET', 'l', 'v', 'NX'],
  ['SET', 'l', 'v', 'XX'], ['SETEX', 'l', 100, 'v'], ['PSETEX', 'l', 100000, 'v'], ['MSET', 'l', 'v'], ['SET', 'l', 'v'],
  ['BITOP', 'OR', 'l', 's'],
];

/** Generic commands on any key (k is replaced by the key under test). */
const GENERIC: Cmd[] = [
  ['TYPE', 'k'], ['EXISTS', 'k', 'k', 'nokey'], ['TOUCH', 'k'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'],
  ['OBJECT', 'FREQ', 'k'], ['KEYS', '*'], ['SCAN', 0, 'TYPE', 'list'], ['SCAN', 0, 'TYPE', 'string'], ['DBSIZE'],
  ['RANDOMKEY'], ['EXPIRE', 'k', 100], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['PEXPIRE', 'k', 200000, 'GT'],
  ['EXPIREAT', 'k', 4000000000], ['PEXPIREAT', 'k', 4000000000000], ['PEXPIRETIME', 'k'], ['PERSIST', 'k'],
  ['COPY', 'k', 'k2'], ['COPY', 'k', 'k2'], ['COPY', 'k', 'k2', 'REPLACE'], ['COPY', 'k', 'k3', 'DB', 1],
  ['RENAME', 'k2', 'k4'], ['RENAMENX', 'k4', 'k'], ['RENAMENX', 'k4', 'k5'], ['MOVE', 'k5', 1], ['SELECT', 1],
  ['TYPE', 'k3'], ['TYPE', 'k5'], ['SWAPDB', 0, 1], ['SELECT', 0], ['SWAPDB', 0, 1], ['DEL', 'k5'], ['UNLINK', 'k3'],
  ['SELECT', 0], ['DEL', 'k'], ['EXISTS', 'k'],
];
/**
 * Generic commands covered elsewhere by their own group tests (whole-db effects; DUMP/RESTORE of every type in
 * dump.test.ts; MIGRATE of every type in migrate.test.ts and system/migrate.test.ts).
 */
const GENERIC_ELSEWHERE = new Set(['flushall', 'flushdb', 'dump', 'restore', 'migrate']);

/** Identical replies, errors included. */
async function same(c: PairClient, ...args: Cmd): Promise<void> {
  const [a, b] = await c.both(...args);
  assert.equal(JSON.stringify(a), JSON.stringify(b), args.join(' '));
}

async function seed(c: PairClient): Promise<void> {
  await c.do('FLUSHALL');
  await c.do('RPUSH', 'l', 'a', 'b', '3');
  await c.do('SET', 's', 'str');
}

describe('wrongtype', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('every string and bitmap command is covered', () => {
    const covered = new Set([...STRING_WRONGTYPE, ...STRING_ANY_TYPE, ['LCS']].map((cmd) => String(cmd[0]).toLowerCase()));
    const missing = STRING_COMMANDS.map((d) => d.name).filter((n) => !covered.has(n));
    assert.deepEqual(missing, []);
    const gcovered = new Set(GENERIC.map((cmd) => String(cmd[0]).toLowerCase()));
    const gmissing = GENERIC_COMMANDS.map((d) => d.name).filter((n) => !gcovered.has(n) && !GENERIC_ELSEWHERE.has(n));
    assert.deepEqual(gmissing, []);
  });

  test('string and bitmap commands against a list: WRONGTYPE, the list unchanged', async () => {
    const c = await p.client();
    await seed(c);
    for (const cmd of STRING_WRONGTYPE) {
      await c.error('WRONGTYPE', ...cmd);
      await c.do('LRANGE', 'l', 0, -1);
      await c.do('TYPE', 'l');
      await c.do('EXISTS', 'dest');
    }
  });

  test('string commands that overwrite or skip other types', async () => {
    const c = await p.client();
    for (const cmd of STRING_ANY_TYPE) {
      await seed(c);
      await c.do(...cmd);
      await c.do('TYPE', 'l');
      await c.doApprox(1, 'TTL', 'l');
      await c.both('GET', 'l');
    }
  });

  test('list commands against a string: WRONGTYPE, the string unchanged', async () => {
    const c = await p.client();
    await seed(c);
    for (const cmd of [['LPUSH', 's', 'x'], ['RPUSHX', 's', 'x'], ['LPOP', 's'], ['LRANGE', 's', 0, -1], ['LINDEX', 's', 0],
      ['LSET', 's', 0, 'x'], ['LREM', 's', 0, 'x'], ['LTRIM', 's', 0, 0], ['LMOVE', 'l', 's', 'LEFT', 'LEFT'],
      ['LMPOP', 1, 's', 'LEFT'], ['BLPOP', 's', 0], ['BLMOVE', 's', 'l', 'LEFT', 'LEFT', 0]]) {
      await c.error('WRONGTYPE', ...cmd);
      await c.do('GET', 's');
      await c.do('LRANGE', 'l', 0, -1);
    }
  });

  test('LCS against a list: its own error', async () => {
    const c = await p.client();
    await seed(c);
    await c.error('ERR The specified keys must contain string values', 'LCS', 'l', 's');
    await c.error('ERR The specified keys must contain string values', 'LCS', 's', 'l');
  });

  for (const key of ['l', 's']) {
    test(`generic commands on a ${key === 'l' ? 'list' : 'string'} key`, async () => {
      const c = await p.client();
      await seed(c);
      await c.do('SELECT', 1);
      await c.do('FLUSHDB');
      await c.do('SELECT', 0);
      await c.do('RENAME', key, 'k');
      for (const cmd of GENERIC) {
        const args = cmd;
        const name = String(args[0]);
        if (name === 'KEYS' || name === 'SCAN') await c.doSorted(...args);
        else if (name === 'RANDOMKEY') await c.doLoosely(...args);
        else if (name === 'TTL' || name === 'PTTL') await c.doApprox(1000, ...args);
        else if (name === 'OBJECT') await same(c, ...args);
        else await c.do(...args);
      }
      await c.do('SELECT', 1);
      await c.doSorted('KEYS', '*');
      await c.do('SELECT', 0);
      await c.doSorted('KEYS', '*');
    });
  }
});
