/*
 * SORT / SORT_RO against real Redis: numeric and ALPHA sorts of sets, sorted
 * sets and lists, BY (patterns, hash fields, nosort), GET (#, keys, hash
 * fields, misses), LIMIT edge cases, STORE (a list; an empty result deletes
 * the destination), weights as strtod reads them, errors, COMMAND GETKEYS.
 * Lists are used only when the server has LPUSH (the list group).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

describe('sort', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  const hasLists = async (c: PairClient): Promise<boolean> => !(await c.both('LLEN', 'nokey'))[0].startsWith('-');

  const fixture = async (c: PairClient): Promise<void> => {
    await c.do('SADD', 'nums', '10', '3', '-1', '25', '7');
    await c.do('SADD', 'words', 'pear', 'apple', 'fig', 'banana', 'Apple', '10', '9');
    for (const [k, w] of [['pear', '3'], ['apple', '1.5'], ['fig', '-2'], ['banana', '1e1'], ['Apple', '0x10'], ['10', ' 4'], ['9', '4']]) {
      await c.do('SET', `w_${k}`, w);
      await c.do('HSET', `h_${k}`, 'w', w, 'name', `n_${k}`);
    }
  };

  test('numeric and ALPHA sorts of sets, ASC/DESC, LIMIT', async () => {
    const c = await p.client();
    await fixture(c);
    await c.do('SORT', 'nums');
    await c.do('SORT', 'nums', 'DESC');
    await c.do('SORT', 'words', 'ALPHA');
    await c.do('SORT', 'words', 'ALPHA', 'DESC');
    await c.error("ERR One or more scores can't be converted into double", 'SORT', 'words');
    await c.do('SORT', 'nums', 'LIMIT', '1', '2');
    await c.do('SORT', 'nums', 'LIMIT', '0', '0');
    await c.do('SORT', 'nums', 'LIMIT', '-5', '2');
    await c.do('SORT', 'nums', 'LIMIT', '3', '-1');
    await c.do('SORT', 'nums', 'LIMIT', '10', '5');
    await c.do('SORT', 'nums', 'LIMIT', '4', '100', 'DESC');
    await c.do('SORT', 'nums', 'LIMIT', '-9223372036854775808', '9223372036854775807');
    await c.do('SORT', 'nokey');
    await c.do('SORT', 'nokey', 'LIMIT', '0', '1', 'ALPHA');
    await c.do('SORT_RO', 'nums', 'DESC', 'LIMIT', '0', '3');
    await c.do('SORT', 'nums', 'ASC', 'DESC', 'ALPHA', 'ASC');
  });

  test('BY patterns, hash fields, nosort; GET #, keys, hash fields, misses', async () => {
    const c = await p.client();
    await fixture(c);
    await c.do('SORT', 'words', 'BY', 'w_*');
    await c.do('SORT', 'words', 'BY', 'w_*', 'DESC');
    await c.do('SORT', 'words', 'BY', 'h_*->w');
    await c.do('SORT', 'words', 'BY', 'h_*->name', 'ALPHA');
    await c.do('SORT', 'words', 'BY', 'w_*', 'GET', '#', 'GET', 'h_*->name', 'GET', 'w_*', 'GET', 'missing_*', 'GET', 'h_*->zz');
    await c.do('SORT', 'words', 'BY', 'w_*', 'LIMIT', '2', '3', 'GET', 'h_*->name');
    await c.do('SORT', 'nums', 'BY', 'nosort_*', 'GET', '#');
    await c.do('SORT', 'words', 'BY', 'w_*', 'GET', 'nostar');
    await c.do('SORT', 'nums', 'BY', 'h_*->', 'ALPHA');
    await c.do('SORT', 'nums', 'BY', 'missing_*', 'ALPHA');
    await c.do('SORT', 'nums', 'BY', 'missing_*');
    await c.do('SET', 'w_odd', 'x');
    await c.do('SADD', 'odd', 'odd', 'pear');
    await c.error("ERR One or more scores can't be converted into double", 'SORT', 'odd', 'BY', 'w_*');
    await c.do('SORT', 'odd', 'BY', 'w_*', 'ALPHA');
    await c.do('SORT_RO', 'words', 'BY', 'w_*', 'GET', '#', 'GET', 'h_*->name');
  });

  test('weights as strtod reads them', async () => {
    const c = await p.client();
    // the ERANGE cases go last: sort.c never clears errno, so after one every later weight fails in Redis
    const weights = ['1', ' 2', '\t3', '4 ', '5x', '', '  ', '1e308', '1e-300', '0x1p4',
      'inf', '-inf', 'nan', '+7', '.5', '5.', '1e', '0x', '1_000', '-0', '0e99999', '1e309', '-1e309', '1e-320'];
    for (let i = 0; i < weights.length; i++) {
      await c.do('DEL', 'one', 'two');
      await c.do('SADD', 'one', 'a');
      await c.do('SADD', 'two', 'a', 'b');
      await c.do('SET', 'w_a', weights[i]!);
      await c.do('SET', 'w_b', '0');
      await c.both('SORT', 'one', 'BY', 'w_*').then(([a, b]) => assert.equal(a, b, `weight ${JSON.stringify(weights[i])}`));
      await c.both('SORT', 'two', 'BY', 'w_*').then(([a, b]) => assert.equal(a, b, `weight ${JSON.stringify(weights[i])}`));
    }
  });

  test('STORE: list result, TTL dropped, empty result deletes, SORT_RO refuses STORE', async () => {
    const c = await p.client();
    await fixture(c);
    await c.do('SET', 'dst', 'x');
    await c.do('EXPIRE', 'dst', '100');
    await c.do('SORT', 'nums', 'STORE', 'dst');
    await c.do('TYPE', 'dst');
    await c.do('TTL', 'dst');
    await c.do('SORT', 'words', 'BY', 'w_*', 'GET', 'h_*->name', 'GET', 'missing_*', 'STORE', 'dst');
    await c.do('SORT', 'dst', 'ALPHA');
    await c.do('SORT', 'words', 'BY', 'nosort', 'STORE', 'dst2');
    await c.do('SORT', 'dst2', 'BY', 'nosort');
    await c.do('SORT', 'nokey', 'STORE', 'dst');
    await c.do('EXISTS', 'dst');
    await c.do('SORT', 'nums', 'LIMIT', '0', '0', 'STORE', 'dst2');
    await c.do('EXISTS', 'dst2');
    await c.do('SORT', 'nums', 'STORE', 'a', 'STORE', 'b');
    await c.do('EXISTS', 'a', 'b');
    await c.error('ERR syntax error', 'SORT_RO', 'nums', 'STORE', 'x');
  });

  test('sorted sets: sorted and BY nosort ranges in either direction; encoding becomes skiplist', async () => {
    const c = await p.client();
    await c.do('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '5', 'e', '4', 'd');
    await c.do('OBJECT', 'ENCODING', 'z');
    await c.do('SORT', 'z', 'BY', 'nosort');
    await c.do('OBJECT', 'ENCODING', 'z');
    await c.do('SORT', 'z', 'BY', 'nosort', 'DESC');
    await c.do('SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2');
    await c.do('SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2', 'DESC');
    await c.do('SORT', 'z', 'BY', 'nosort', 'LIMIT', '7', '2');
    await c.do('SORT', 'z', 'ALPHA', 'DESC');
    await c.error("ERR One or more scores can't be converted into double", 'SORT', 'z');
    await c.do('ZADD', 'zn', '1', '30', '2', '10', '3', '20');
    await c.do('SORT', 'zn');
    await c.do('SORT', 'zn', 'BY', 'nosort', 'STORE', 'dst');
  });

  test('lists (when the list group is present)', async (t) => {
    const c = await p.client();
    if (!(await hasLists(c))) { t.skip('no list commands yet'); return; }
    await c.do('RPUSH', 'l', '3', '1', '2', '1', '10', '-5');
    await c.do('SORT', 'l');
    await c.do('SORT', 'l', 'DESC');
    await c.do('SORT', 'l', 'BY', 'nosort');
    await c.do('SORT', 'l', 'BY', 'nosort', 'DESC');
    await c.do('SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '3');
    await c.do('SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '3', 'DESC');
    await c.do('SORT', 'l', 'BY', 'nosort', 'LIMIT', '5', '10', 'DESC');
    await c.do('SORT', 'l', 'ALPHA', 'LIMIT', '2', '-1');
    await c.do('SORT', 'l', 'STORE', 'l');
    await c.do('LRANGE', 'l', '0', '-1');
  });

  test('errors, WRONGTYPE, COMMAND GETKEYS', async () => {
    const c = await p.client();
    await fixture(c);
    await c.do('SET', 'str', 'v');
    await c.error('WRONGTYPE', 'SORT', 'str');
    await c.error('WRONGTYPE', 'SORT', 'h_pear');
    await c.error('ERR syntax error', 'SORT', 'nums', 'LIMIT', '1');
    await c.error('ERR syntax error', 'SORT', 'nums', 'BY');
    await c.error('ERR syntax error', 'SORT', 'nums', 'GET');
    await c.error('ERR syntax error', 'SORT', 'nums', 'STORE');
    await c.error('ERR syntax error', 'SORT', 'nums', 'FOO');
    await c.error('ERR syntax error', 'SORT', 'str', 'FOO');
    await c.error('ERR value is not an integer', 'SORT', 'nums', 'LIMIT', 'x', '1');
    await c.error('ERR value is not an integer', 'SORT', 'str', 'LIMIT', '0', '1.5');
    await c.error('ERR wrong number', 'SORT');
    await c.error('ERR wrong number', 'SORT_RO');
    await c.do('COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE', 'b', 'LIMIT', '0', '1', 'STORE', 'c');
    await c.do('COMMAND', 'GETKEYS', 'SORT', 'a', 'GET', 'store', 'BY', 'store');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'a', 'STORE', 'b');
    await c.do('COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'BY', 'x');
    await c.do('COMMAND', 'INFO', 'SORT', 'SORT_RO');
  });
});
