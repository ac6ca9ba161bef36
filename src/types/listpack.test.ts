/* Unit tests of the packed-string listpack codec. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LpCursor, lpFind, lpGet, lpPack, lpSplice, lpUnpack } from './listpack.js';

test('round trip of short, empty, binary and long entries (varint prefixes)', () => {
  const items = ['', 'a', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(20000), '\x00\xff\r\n', 'é'];
  const lp = lpPack(items);
  assert.deepEqual(lpUnpack(lp), items);
  assert.equal(lp.length, items.reduce((n, s) => n + s.length, 0) + 1 + 1 + 1 + 2 + 3 + 1 + 1);
});

test('find, get, splice', () => {
  let lp = lpPack(['f1', 'v1', 'f2', 'v2', 'f3', 'v3']);
  assert.equal(lpFind(lp, 'f2', 2), 2);
  assert.equal(lpFind(lp, 'v2', 2), -1, 'values are not searched with step 2');
  assert.equal(lpFind(lp, 'v2', 2, 1), 3);
  assert.equal(lpGet(lp, 5), 'v3');
  assert.equal(lpGet(lp, 6), undefined);
  lp = lpSplice(lp, 2, 2);
  assert.deepEqual(lpUnpack(lp), ['f1', 'v1', 'f3', 'v3']);
  lp = lpSplice(lp, 4, 0, ['f4', 'v'.repeat(300)]);
  assert.deepEqual(lpUnpack(lp), ['f1', 'v1', 'f3', 'v3', 'f4', 'v'.repeat(300)]);
  lp = lpSplice(lp, 1, 1, ['new']);
  assert.deepEqual(lpUnpack(lp), ['f1', 'new', 'f3', 'v3', 'f4', 'v'.repeat(300)]);
  const c = new LpCursor(lp);
  assert.ok(c.next() && c.equals('f1') && !c.equals('f'));
});
