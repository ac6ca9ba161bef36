/* KeyTable against a Map model: random adds and removes (growing, shrinking, probe runs wrapping around), stable slots, warm hints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyTable } from './keytable.js';
import { hashKey } from '../types/open-hash.js';

function check(t: KeyTable, model: Map<string, number>): void {
  assert.equal(t.size, model.size);
  for (const [k, slot] of model) assert.equal(t.find(k), slot, `find ${k}`);
  assert.deepEqual([...t.keys()].sort(), [...model.keys()].sort());
  for (const [k, slot] of model) assert.equal(t.keyAt(slot), k);
}

for (const [label, syncCap] of [['resizing at once', undefined], ['resizing incrementally', 8]] as const) test(`random adds and removes agree with a Map (${label}); a key keeps its slot while it exists`, () => {
  let seed = 12345;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const t = new KeyTable(syncCap);
  let sawResize = false;
  const model = new Map<string, number>();
  for (let round = 0; round < 6; round++) {
    // grow to a few thousand keys, then shrink to a few
    for (let i = 0; i < 4000; i++) {
      const k = `k${rnd(6000)}`;
      if (model.has(k)) continue;
      model.set(k, t.add(k));
      if (t.resizing) sawResize = true;
      if (i % 401 === 0) check(t, model); // in the middle of resizes too
    }
    check(t, model);
    for (let i = 0; i < 5000; i++) {
      const k = `k${rnd(6000)}`;
      const slot = t.find(k);
      assert.equal(slot, model.get(k) ?? -1);
      if (slot >= 0) { t.removeFound(slot); model.delete(k); }
      if (t.resizing) sawResize = true;
      if (i % 997 === 0) { assert.equal(t.find('absent:' + i), -1); check(t, model); }
    }
    check(t, model);
    if (round % 2 === 1) while (t.rehash(3)); // the cron finishes a resize
  }
  for (const k of [...model.keys()]) { t.removeFound(t.find(k)); model.delete(k); }
  check(t, model);
  assert.equal(t.top, 0);
  assert.equal(sawResize, syncCap !== undefined);
});

test('warm finds keys still in the old array of an incremental resize', () => {
  const t = new KeyTable(8);
  for (let i = 0; i < 1000; i++) t.add(`k${i}`);
  while (t.rehash(1000));
  for (let i = 1000; i < 1030; i++) t.add(`k${i}`); // crosses 1024: a resize starts, most keys still in the old array
  assert.ok(t.resizing);
  const keys = ['k0', 'k500', 'k999', 'k1029', 'none'];
  const slots = new Int32Array(8); const cands: (string | undefined)[] = new Array(8).fill(undefined);
  t.warm(keys, keys.length, slots, cands);
  assert.deepEqual([...slots.subarray(0, 5)], [0, 500, 999, 1029, -1]);
});

test('freed slots are reused, trailing ones lower top', () => {
  const t = new KeyTable();
  const a = t.add('a'); const b = t.add('b'); const c = t.add('c');
  assert.deepEqual([a, b, c], [0, 1, 2]);
  t.removeFound(t.find('b'));
  assert.equal(t.add('d'), 1);
  t.removeFound(t.find('c'));
  assert.equal(t.top, 2);
  assert.equal(t.add('e'), 2);
});

test('binary keys, empty key, long keys, and keys differing in one byte', () => {
  const t = new KeyTable();
  const keys = ['', '\x00', '\x00\x00', '\xff\xfe', 'x'.repeat(1000), 'x'.repeat(999) + 'y', 'abc', 'abd', 'abcd', 'abce'];
  const slots = keys.map((k) => t.add(k));
  keys.forEach((k, i) => assert.equal(t.find(k), slots[i]));
  assert.equal(t.find('x'.repeat(998)), -1);
  assert.notEqual(hashKey('abc'), hashKey('abd'));
});

test('reserve sizes ahead without changing contents', () => {
  const t = new KeyTable();
  t.add('a');
  t.reserve(100000);
  for (let i = 0; i < 1000; i++) t.add(`k${i}`);
  assert.equal(t.find('a'), 0);
  assert.equal(t.find('k999'), 1000);
  assert.equal(t.size, 1001);
});

test('warm gives each present key its slot as the hint and -1 for absent ones', () => {
  const t = new KeyTable();
  for (let i = 0; i < 500; i++) t.add(`k${i}`);
  const keys = ['k7', 'nope', 'k499', 'k0'];
  const slots = new Int32Array(8); const cands: (string | undefined)[] = new Array(8).fill(undefined);
  t.warm(keys, keys.length, slots, cands);
  assert.deepEqual([...slots.subarray(0, 4)], [7, -1, 499, 0]);
  assert.ok(cands.every((c) => c === undefined), 'scratch space is cleared');
});
