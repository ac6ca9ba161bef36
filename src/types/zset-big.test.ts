/* The order-statistic B+tree and the ZSet encodings against a naive sorted-array model, under random operations. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ZBig } from './zset-big.js';
import { ZSet } from './zset.js';

/** xorshift PRNG so failures reproduce */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

type El = [member: string, score: number];
const cmp = (a: El, b: El): number => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

class Model {
  els: El[] = [];
  find(m: string): number { return this.els.findIndex((e) => e[0] === m); }
  set(m: string, s: number): void { const i = this.find(m); if (i >= 0) this.els.splice(i, 1); this.els.push([m, s]); this.els.sort(cmp); }
  del(m: string): boolean { const i = this.find(m); if (i < 0) return false; this.els.splice(i, 1); return true; }
}

function listAll(z: { each(f: number, n: number, rev: boolean, cb: (m: string, s: number) => void): void; size: number }): El[] {
  const out: El[] = [];
  z.each(0, z.size, false, (m, s) => out.push([m, s]));
  return out;
}

describe('ZBig (order-statistic B+tree)', () => {
  for (const [seed, ops, range] of [[1, 6000, 300], [7, 20000, 3000], [42, 4000, 40]] as const) {
    test(`random operations vs model (seed ${seed}, ${ops} ops, ${range} members)`, () => {
      const r = rng(seed);
      const z = new ZBig();
      const model = new Model();
      for (let k = 0; k < ops; k++) {
        const m = `m${Math.floor(r() * range)}`;
        const op = r();
        const s = Math.floor(r() * 50) - 25 + (r() < 0.1 ? 0.5 : 0);
        if (op < 0.5) {
          if (z.score(m) === undefined) z.insert(m, s); else z.setScore(m, s);
          model.set(m, s);
        } else if (op < 0.8) {
          assert.equal(z.remove(m), model.del(m));
        } else if (op < 0.85 && model.els.length > 4) {
          const a = Math.floor(r() * model.els.length);
          const b = Math.min(model.els.length - 1, a + Math.floor(r() * 10));
          const removed = z.removeRanks(a, b);
          assert.deepEqual(removed, model.els.slice(a, b + 1).map((e) => e[0]));
          model.els.splice(a, b - a + 1);
        } else {
          const i = model.find(m);
          assert.equal(z.rank(m), i);
          assert.equal(z.score(m), i >= 0 ? model.els[i]![1] : undefined);
          const min = Math.floor(r() * 50) - 25;
          assert.equal(z.countScoreBelow(min, false), model.els.filter((e) => e[1] < min).length);
          assert.equal(z.countScoreBelow(min, true), model.els.filter((e) => e[1] <= min).length);
          assert.equal(z.countBefore((s2, mm) => s2 < min || (s2 === min && mm < m)), model.els.filter((e) => cmp(e, [m, min]) < 0).length);
          if (model.els.length > 0) {
            const rk = Math.floor(r() * model.els.length);
            assert.equal(z.memberAt(rk), model.els[rk]![0]);
            const got: string[] = [];
            z.each(rk, 5, true, (mm) => got.push(mm));
            assert.deepEqual(got, model.els.slice(Math.max(0, rk - 4), rk + 1).reverse().map((e) => e[0]));
          }
        }
        assert.equal(z.size, model.els.length);
        if (k % 500 === 0) z.check();
      }
      z.check();
      assert.deepEqual(listAll(z), model.els);
    });
  }

  test('fromSorted builds a valid tree; grows and shrinks back to empty', () => {
    const n = 10000;
    const ms = Array.from({ length: n }, (_, i) => `k${String(i).padStart(6, '0')}`);
    const z = ZBig.fromSorted(ms, ms.map(() => 1));
    z.check();
    assert.equal(z.rank('k005000'), 5000);
    for (let i = 0; i < n; i += 2) z.remove(ms[i]!);
    z.check();
    assert.equal(z.rank('k005001'), 2500);
    for (let i = 1; i < n; i += 2) z.remove(ms[i]!);
    z.check();
    assert.equal(z.size, 0);
    z.insert('a', 1);
    z.check();
    assert.deepEqual(listAll(z), [['a', 1]]);
  });

  test('scan returns every element present for the whole iteration despite writes', () => {
    const r = rng(3);
    const z = new ZBig();
    for (let i = 0; i < 2000; i++) z.insert(`s${i}`, i % 17);
    const stable = new Set<string>();
    for (let i = 0; i < 2000; i += 3) stable.add(`s${i}`);
    const seen = new Set<string>();
    let cursor = 0;
    let steps = 0;
    do {
      cursor = z.scan(cursor, 10, (m) => { seen.add(m); });
      // churn: delete and add non-stable members, update stable scores
      for (let k = 0; k < 5; k++) {
        const i = Math.floor(r() * 2000);
        const m = `s${i}`;
        if (stable.has(m)) z.setScore(m, r() * 100);
        else if (z.score(m) !== undefined) z.remove(m);
        else z.insert(m, r());
        z.insert(`new${steps}_${k}`, r());
      }
      steps++;
    } while (cursor !== 0 && steps < 100000);
    for (const m of stable) assert.ok(seen.has(m), `${m} missing`);
    z.check();
  });

  test('-0 and 0 compare equal (order by member)', () => {
    const z = new ZBig();
    z.insert('b', -0);
    z.insert('a', 0);
    assert.deepEqual(listAll(z).map((e) => e[0]), ['a', 'b']);
    assert.ok(Object.is(z.score('b'), -0));
  });
});

describe('ZSet encodings', () => {
  test('listpack and skiplist agree under random operations; conversion only goes up', () => {
    const r = rng(11);
    const lim = { maxEntries: 32, maxValue: 12 };
    const z = new ZSet();
    const model = new Model();
    let converted = false;
    for (let k = 0; k < 5000; k++) {
      const m = r() < 0.01 ? 'long-member-name-' + k : `m${Math.floor(r() * 40)}`;
      const s = Math.floor(r() * 10);
      const op = r();
      if (op < 0.5) {
        if (z.score(m) === undefined) z.insert(m, s, lim); else z.update(m, s);
        model.set(m, s);
      } else if (op < 0.8) {
        assert.equal(z.remove(m), model.del(m));
      } else if (op < 0.83 && model.els.length > 3) {
        const a = Math.floor(r() * model.els.length);
        const b = Math.min(model.els.length - 1, a + 2);
        assert.equal(z.removeRanks(a, b), b - a + 1);
        model.els.splice(a, b - a + 1);
      } else {
        assert.equal(z.rank(m), model.find(m));
        assert.equal(z.rank(m, true), model.find(m) < 0 ? -1 : model.els.length - 1 - model.find(m));
        assert.equal(z.scoreLow(5, false), model.els.filter((e) => e[1] < 5).length);
        assert.equal(z.scoreHigh(5, true), model.els.filter((e) => e[1] < 5).length);
      }
      if (z.encoding() === 'skiplist') converted = true;
      else assert.ok(!converted, 'never converts down');
      assert.equal(z.size, model.els.length);
      assert.deepEqual(listAll(z), model.els);
      // rangeInto: a window of ranks (some past the end) copied out, as the model has it
      const from = Math.floor(r() * (model.els.length + 2));
      const n = Math.floor(r() * 12);
      const scores = new Float64Array(n);
      const members: string[] = [];
      const got = z.rangeInto(from, n, scores, members);
      const want = model.els.slice(from, from + n);
      assert.equal(got, want.length);
      assert.deepEqual(members.slice(0, got), want.map((e) => e[0]));
      assert.deepEqual([...scores.subarray(0, got)], want.map((e) => e[1]));
    }
    assert.ok(converted);
  });

  test('lex bounds on equal scores, both encodings', () => {
    const ms = ['a', 'aa', 'ab', 'b', 'c', 'ca', 'd'];
    for (const maxEntries of [128, 2]) {
      const z = new ZSet();
      for (const m of ms) z.insert(m, 0, { maxEntries, maxValue: 64 });
      const below = (v: string, ex: boolean): number => ms.filter((m) => (ex ? m <= v : m < v)).length;
      const upto = (v: string, ex: boolean): number => ms.filter((m) => (ex ? m < v : m <= v)).length;
      for (const v of ['', 'a', 'ab', 'b', 'bz', 'd', 'e']) {
        for (const ex of [false, true]) {
          assert.equal(z.lexLow({ s: v, ex, inf: 0 }), below(v, ex), `${v} ${ex}`);
          assert.equal(z.lexHigh({ s: v, ex, inf: 0 }), upto(v, ex), `${v} ${ex}`);
        }
      }
      assert.equal(z.lexLow({ s: '', ex: false, inf: -1 }), 0);
      assert.equal(z.lexHigh({ s: '', ex: false, inf: 1 }), ms.length);
    }
  });

  test('listpack stores -0 as 0 and exact doubles; clone is independent', () => {
    const lim = { maxEntries: 128, maxValue: 64 };
    const z = new ZSet();
    z.insert('x', -0, lim);
    z.insert('y', 0.1 + 0.2, lim);
    z.insert('z', -Infinity, lim);
    assert.ok(Object.is(z.score('x'), 0));
    assert.equal(z.score('y'), 0.1 + 0.2);
    assert.deepEqual(listAll(z).map((e) => e[0]), ['z', 'x', 'y']);
    const c = z.clone();
    c.remove('x');
    assert.equal(z.size, 3);
    assert.equal(c.size, 2);
    z.toBig();
    assert.equal(z.encoding(), 'skiplist');
    assert.deepEqual(listAll(z).map((e) => e[0]), ['z', 'x', 'y']);
  });
});
