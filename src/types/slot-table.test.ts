/* SlotTable against a Map model: random adds, sets and deletes through growth, shrinking and compaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlotTable } from './slot-table.js';

test('random sets and deletes agree with a Map, through index doubling, halving and compaction', () => {
  let seed = 99;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const t = new SlotTable(true);
  const model = new Map<string, string>();
  const check = (): void => {
    assert.equal(t.size, model.size);
    for (const [k, v] of model) assert.equal(t.get(k), v, `get ${k}`);
    assert.deepEqual(t.members().sort(), [...model.keys()].sort());
    for (const k of t.members()) assert.equal(t.keys[t.slotOf(k)], k);
  };
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3000; i++) {
      const k = `f${rnd(5000)}`;
      const v = `v${i}`;
      assert.equal(t.set(k, v), !model.has(k));
      model.set(k, v);
    }
    check();
    // delete nearly everything: the index halves and the slots compact
    for (let i = 0; i < 20000 && model.size > 20; i++) {
      const k = `f${rnd(5000)}`;
      assert.equal(t.delete(k), model.delete(k));
      assert.equal(t.has(k), false);
    }
    check();
  }
});

test('sets: add reports new members only; binary and empty members', () => {
  const t = new SlotTable(false);
  for (const m of ['', '\x00', '\xff', 'a', 'a\x00']) assert.equal(t.add(m), true);
  assert.equal(t.add('a'), false);
  assert.equal(t.size, 5);
  assert.equal(t.has('a\x00'), true);
  assert.equal(t.has('b'), false);
});
