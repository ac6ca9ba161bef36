/* Unit tests of Db: SCAN's guarantee under writes, RANDOMKEY, slot reuse and trimming, BigMap chaining, lazy expiry. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Db, type DbHooks } from './db.js';
import { BigMap } from './bigmap.js';

function makeDb(partLimit?: number): { db: Db; clock: { now: number }; expired: string[] } {
  const clock = { now: 1_000_000 };
  const expired: string[] = [];
  const hooks: DbHooks = {
    now: () => clock.now, expired: (_db, k) => expired.push(k), expiryIsRemote: false, noTouch: false, accessClock: () => 7,
  };
  return { db: new Db(0, hooks, partLimit), clock, expired };
}

/** A full SCAN iteration, running `between` after every step. */
function scanAll(db: Db, count: number, between: (step: number) => void = () => {}): string[] {
  const out: string[] = [];
  let cursor = 0;
  let step = 0;
  do {
    cursor = db.scan(cursor, count, (k) => out.push(k));
    between(step++);
    assert.ok(step < 100000, 'scan terminates');
  } while (cursor !== 0);
  return out;
}

describe('Db', () => {
  test("set after get reuses the found slot only while it still holds that key", () => {
    const { db } = makeDb();
    db.set('a', '1');
    assert.equal(db.get('a'), '1');
    db.delete('a');
    db.set('b', '2'); // takes a's freed slot
    assert.equal(db.set('a', '3'), true, 'a is new again: b must not be overwritten');
    assert.equal(db.get('b'), '2');
    assert.equal(db.get('a'), '3');
    assert.equal(db.set('a', '4'), false);
    assert.equal(db.get('a'), '4');
    assert.equal(db.size, 2);
  });

  test('scan returns every key exactly once on a quiet db', () => {
    const { db } = makeDb();
    for (let i = 0; i < 1000; i++) db.set(`k${i}`, 'v');
    const seen = scanAll(db, 7);
    assert.equal(seen.length, 1000);
    assert.equal(new Set(seen).size, 1000);
  });

  test('scan guarantee: keys present for the whole iteration are returned despite writes and deletes', () => {
    const { db } = makeDb();
    for (let i = 0; i < 2000; i++) db.set(`stable${i}`, 'v');
    for (let i = 0; i < 2000; i++) db.set(`churn${i}`, 'v');
    let n = 0;
    const seen = new Set(scanAll(db, 10, (step) => {
      // delete some churn keys, add new ones (they reuse freed slots, possibly behind the cursor)
      for (let j = 0; j < 5; j++) db.delete(`churn${(step * 5 + j) % 2000}`);
      for (let j = 0; j < 5; j++) db.set(`new${n++}`, 'v');
      if (step % 3 === 0) db.delete(`new${n - 7}`);
    }));
    for (let i = 0; i < 2000; i++) assert.ok(seen.has(`stable${i}`), `stable${i} missing`);
  });

  test('scan of a sparse table does bounded work per call', () => {
    const { db } = makeDb();
    for (let i = 0; i < 5000; i++) db.set(`k${i}`, 'v');
    for (let i = 1; i < 4999; i++) db.delete(`k${i}`);
    let visited = 0;
    const next = db.scan(0, 10, () => visited++);
    assert.equal(visited, 1);
    assert.ok(next > 0 && next <= 100, `cursor ${next} stops after 10 * COUNT slots`);
    assert.deepEqual(scanAll(db, 10).sort(), ['k0', 'k4999']);
  });

  test('freed slots are reused and trailing ones trimmed', () => {
    const { db } = makeDb();
    for (let i = 0; i < 100; i++) db.set(`k${i}`, String(i));
    for (let i = 10; i < 20; i++) db.delete(`k${i}`);
    for (let i = 0; i < 10; i++) db.set(`n${i}`, 'x');
    // the 10 new keys filled the 10 holes: a scan of the first 100 slots sees 100 keys and ends
    let visited = 0;
    assert.equal(db.scan(0, 1000, () => visited++), 0);
    assert.equal(visited, 100);
    // deleting the tail lowers the top, and later inserts do not resurrect stale free entries
    for (let i = 50; i < 100; i++) db.delete(`k${i}`);
    for (let i = 0; i < 60; i++) db.set(`m${i}`, 'y');
    assert.equal(db.size, 110);
    const all = scanAll(db, 3);
    assert.equal(all.length, 110);
    assert.equal(new Set(all).size, 110);
    for (let i = 0; i < 60; i++) assert.equal(db.get(`m${i}`), 'y');
    for (let i = 0; i < 10; i++) assert.equal(db.get(`k${i}`), String(i));
  });

  test('pages past the first (made at full size): three pages filled, the top ones emptied and refilled across a page boundary, values and clocks kept', () => {
    const { db } = makeDb();
    const N = 150_000; // pages 0, 1 and 2 (65536 slots each)
    for (let i = 0; i < N; i++) db.set(`k${i}`, `v${i}`);
    assert.equal(db.size, N);
    for (let i = 0; i < N; i += 997) assert.equal(db.get(`k${i}`), `v${i}`);
    // empty page 2 and part of page 1 from the top: top drops below both boundaries
    for (let i = N - 1; i >= 60_000; i--) assert.ok(db.delete(`k${i}`));
    assert.equal(db.size, 60_000);
    // back and forth across the page 0/1 boundary: the kept empty page is reused, never read stale
    for (let round = 0; round < 50; round++) {
      for (let i = 60_000; i < 70_000; i += 1000) db.set(`r${i}`, `round${round}`);
      for (let i = 60_000; i < 70_000; i += 1000) assert.equal(db.get(`r${i}`), `round${round}`);
      for (let i = 60_000; i < 70_000; i += 1000) assert.ok(db.delete(`r${i}`));
    }
    // refill past every boundary again
    for (let i = 60_000; i < N + 10_000; i++) db.set(`n${i}`, `w${i}`);
    assert.equal(db.size, N + 10_000);
    for (let i = 0; i < 60_000; i += 701) assert.equal(db.get(`k${i}`), `v${i}`);
    for (let i = 60_000; i < N + 10_000; i += 701) { assert.equal(db.get(`n${i}`), `w${i}`); assert.equal(db.clockOf(`n${i}`), 7); }
    const all = scanAll(db, 1000);
    assert.equal(all.length, N + 10_000);
    assert.equal(new Set(all).size, N + 10_000);
  });

  test('delete-then-insert churn keeps keys and values consistent', () => {
    const { db } = makeDb();
    const model = new Map<string, string>();
    let seed = 42;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let i = 0; i < 20000; i++) {
      const k = `k${rnd(300)}`;
      if (rnd(3) === 0) { assert.equal(db.delete(k), model.delete(k)); } else { const v = String(i); db.set(k, v); model.set(k, v); }
    }
    assert.equal(db.size, model.size);
    for (const [k, v] of model) assert.equal(db.get(k), v);
    assert.deepEqual(scanAll(db, 5).sort(), [...model.keys()].sort());
  });

  test('randomKey returns only present keys, covers them, and is undefined when empty', () => {
    const { db } = makeDb();
    assert.equal(db.randomKey(), undefined);
    for (let i = 0; i < 10; i++) db.set(`k${i}`, 'v');
    for (let i = 0; i < 5000; i++) db.set(`gone${i}`, 'v');
    for (let i = 0; i < 5000; i++) db.delete(`gone${i}`);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) { const k = db.randomKey()!; assert.ok(db.has(k)); seen.add(k); }
    assert.equal(seen.size, 10);
    db.clear();
    assert.equal(db.randomKey(), undefined);
  });

  test('randomKey on a sparse table (holes below live keys) still finds the live ones', () => {
    const { db } = makeDb();
    for (let i = 0; i < 10000; i++) db.set(`k${i}`, 'v');
    for (let i = 0; i < 9999; i++) db.delete(`k${i}`);
    for (let i = 0; i < 20; i++) assert.equal(db.randomKey(), 'k9999');
  });

  test('lazy expiry deletes on lookup and reports through the hook', () => {
    const { db, clock, expired } = makeDb();
    db.set('a', '1');
    db.setExpire('a', clock.now + 100);
    assert.equal(db.get('a'), '1');
    clock.now += 100;
    assert.equal(db.isExpired('a'), true);
    assert.equal(db.peek('a'), undefined);
    assert.deepEqual(expired, ['a']);
    assert.equal(db.size, 0);
    assert.equal(db.getExpire('a'), -1);
  });

  test('set drops the TTL unless keepTtl; swapWith exchanges contents', () => {
    const { db, clock } = makeDb();
    const { db: other } = makeDb();
    db.set('a', '1');
    db.setExpire('a', clock.now + 1000);
    db.set('a', '2', true);
    assert.equal(db.getExpire('a'), clock.now + 1000);
    db.set('a', '3');
    assert.equal(db.getExpire('a'), -1);
    other.set('b', 'x');
    db.swapWith(other);
    assert.equal(db.get('b'), 'x');
    assert.equal(other.get('a'), '3');
    assert.equal(db.has('a'), false);
  });

  test('BigMap chains Maps past the part limit', () => {
    const m = new BigMap<string, number>(4);
    for (let i = 0; i < 19; i++) m.set(`k${i}`, i);
    assert.equal(m.size, 19);
    for (let i = 0; i < 19; i++) assert.equal(m.get(`k${i}`), i);
    m.set('k17', 170); // update in a later part
    assert.equal(m.get('k17'), 170);
    assert.equal(m.size, 19);
    assert.equal(m.delete('k1'), true);
    assert.equal(m.delete('k1'), false);
    m.set('fresh', 1); // goes into the freed room of the first part
    assert.equal(m.size, 19);
    assert.equal([...m.keys()].length, 19);
    assert.equal(m.has('k18'), true);
    const gen = m.generation;
    m.clear();
    assert.equal(m.size, 0);
    assert.notEqual(m.generation, gen);
  });

  test('a Db over chained Maps (small part limit) behaves the same', () => {
    const { db, clock } = makeDb(16);
    for (let i = 0; i < 500; i++) { db.set(`k${i}`, String(i)); if (i % 3 === 0) db.setExpire(`k${i}`, clock.now + 10); }
    assert.equal(db.size, 500);
    assert.equal(db.expires.size, 167);
    for (let i = 0; i < 500; i += 2) db.delete(`k${i}`);
    assert.equal(db.size, 250);
    assert.deepEqual(scanAll(db, 9).sort(), [...db.keys()].sort());
    clock.now += 10;
    let live = 0;
    for (let i = 1; i < 500; i += 2) if (db.get(`k${i}`) !== undefined) live++;
    assert.equal(live, 250 - 83);
    assert.equal(db.size, live);
  });
});
