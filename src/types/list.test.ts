/* Unit tests of the list deque: every operation checked against a plain array model, with wrap-around, growth and shrinking. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { List } from './list.js';

const items = (l: List): string[] => l.slice(0, l.length);

/** Ops 0-6 of the model tests (push/pop at both ends, insert, remove, set), applied to the list and the model alike: false for any other op. */
function endsAndMiddle(l: List, model: string[], op: number, v: string, rnd: (n: number) => number): boolean {
  if (op === 0) { l.pushHead(v); model.unshift(v); }
  else if (op === 1) { l.pushTail(v); model.push(v); }
  else if (op === 2) assert.equal(l.popHead(), model.shift());
  else if (op === 3) assert.equal(l.popTail(), model.pop());
  else if (op === 4) { const i = rnd(model.length + 1); l.insertAt(i, v); model.splice(i, 0, v); }
  else if (op === 5) { if (model.length) { const i = rnd(model.length); l.removeAt(i); model.splice(i, 1); } }
  else if (op === 6) { if (model.length) { const i = rnd(model.length); l.set(i, v); model[i] = v; } }
  else return false;
  return true;
}

test('push/pop at both ends, index access, wrap-around', () => {
  const l = new List();
  const model: string[] = [];
  for (let i = 0; i < 10; i++) { l.pushHead(`h${i}`); model.unshift(`h${i}`); l.pushTail(`t${i}`); model.push(`t${i}`); }
  assert.deepEqual(items(l), model);
  assert.equal(l.popHead(), model.shift());
  assert.equal(l.popTail(), model.pop());
  for (let i = 0; i < model.length; i++) assert.equal(l.at(i), model[i]);
  assert.equal(l.encoding(), 'quicklist');
  while (l.length) { assert.equal(l.popHead(), model.shift()); }
  assert.equal(l.popHead(), undefined);
  assert.equal(l.popTail(), undefined);
});

test('random operations match an array model', () => {
  let seed = 12345;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const l = new List();
  let model: string[] = [];
  for (let step = 0; step < 20000; step++) {
    const op = rnd(10);
    const v = String(rnd(20));
    if (endsAndMiddle(l, model, op, v, rnd)) { /* done */ }
    else if (op === 7) {
      const limit = rnd(3);
      const fromTail = rnd(2) === 1;
      const removed = l.removeMatching(v, limit, fromTail);
      let n = 0;
      const idx: number[] = [];
      model.forEach((e, i) => { if (e === v) idx.push(i); });
      if (fromTail) idx.reverse();
      const drop = new Set(limit === 0 ? idx : idx.slice(0, limit));
      n = drop.size;
      model = model.filter((_, i) => !drop.has(i));
      assert.equal(removed, n);
    } else if (op === 8 && rnd(20) === 0) {
      const a = rnd(model.length + 2);
      const b = rnd(model.length + 2);
      l.trim(a, b);
      model = a + b >= model.length ? [] : model.slice(a, model.length - b);
    } else if (op === 9 && rnd(50) === 0) {
      for (let k = 0; k < 200; k++) { l.pushTail(String(k)); model.push(String(k)); }
    }
    assert.equal(l.length, model.length);
  }
  assert.deepEqual(items(l), model);
  const copy = l.clone();
  l.pushHead('x');
  assert.deepEqual(items(copy), model);
});

test('from, slice, clear', () => {
  const l = List.from(['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(l.slice(1, 3), ['b', 'c', 'd']);
  l.clear();
  assert.equal(l.length, 0);
  l.pushTail('z');
  assert.deepEqual(items(l), ['z']);
});

test('big lists (chunked) match an array model through growth, middle edits, trims and the way back to flat', () => {
  let seed = 777;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const l = new List();
  let model: string[] = [];
  const check = (): void => {
    assert.equal(l.length, model.length);
    for (let k = 0; k < 50 && model.length; k++) { const i = rnd(model.length); assert.equal(l.at(i), model[i], `at ${i}`); }
  };
  // past the flat limit at both ends, so the head wraps around the chunk ring
  for (let i = 0; i < 60000; i++) {
    const v = `v${i}`;
    if (rnd(3) === 0) { l.pushHead(v); model.unshift(v); } else { l.pushTail(v); model.push(v); }
  }
  check();
  assert.deepEqual(items(l), model);
  for (let step = 0; step < 3000; step++) {
    const op = rnd(9);
    const v = `w${step}`;
    if (endsAndMiddle(l, model, op, v, rnd)) { /* done */ }
    else if (op === 7 && rnd(10) === 0) { const a = rnd(2000); const b = rnd(2000); l.trim(a, b); model = a + b >= model.length ? [] : model.slice(a, model.length - b); }
    else if (op === 8 && rnd(100) === 0 && model.length) {
      // every element is distinct: make some equal, then remove them all
      const target = model[rnd(model.length)]!;
      for (let k = 0; k < 5; k++) { const i = rnd(model.length); l.set(i, target); model[i] = target; }
      const expected = model.filter((e) => e === target).length;
      assert.equal(l.removeMatching(target, 0, rnd(2) === 1), expected);
      model = model.filter((e) => e !== target);
    }
    check();
  }
  assert.deepEqual(items(l), model);
  assert.deepEqual(items(l.clone()), model);
  // popped from both ends down through the ring's shrinking and back to a flat buffer, then grown again
  while (model.length > 100) {
    if (rnd(2) === 0) assert.equal(l.popHead(), model.shift()); else assert.equal(l.popTail(), model.pop());
  }
  assert.deepEqual(items(l), model);
  for (let i = 0; i < 40000; i++) { l.pushHead(`z${i}`); model.unshift(`z${i}`); }
  assert.deepEqual(items(l), model);
  l.trim(5, 39000);
  model = model.slice(5, model.length - 39000);
  assert.deepEqual(items(l), model);
  // sized up front (RDB load, SORT ... STORE) for more than a flat buffer holds
  const big = List.from(model.concat(model, model, model, model, model, model, model, model, model, model, model, model, model, model, model, model, model));
  assert.equal(big.length, model.length * 18);
  assert.equal(big.at(big.length - 1), model[model.length - 1]);
});
