/* keyHashSlot against the slots redis-server 7.0.15's CLUSTER KEYSLOT gives, hash tags included; the per-slot key index against a scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16, keyHashSlot } from './hashslot.js';
import { Db, type DbHooks } from './db.js';

test('keyHashSlot equals CLUSTER KEYSLOT of redis-server', () => {
  // CRC16/XMODEM check value
  assert.equal(crc16('123456789'), 0x31c3);
  const cases: [string, number][] = [
    ['foo', 12182], ['', 0], ['{user1000}.following', 3443], ['{}abc', 5980], ['a{b}c', 3300], ['{a}', 15495],
    ['123456789', 12739], ['a{}{b}', 15033], ['{{a}}', 10276], ['\xff', 7920],
  ];
  for (const [k, slot] of cases) assert.equal(keyHashSlot(k), slot, JSON.stringify(k));
});

test('the slot index of db 0 follows inserts, deletes, clear and swaps', () => {
  const hooks: DbHooks = { now: () => 0, expired: () => undefined, expiryIsRemote: false, noTouch: false, accessClock: () => 0, slotIndexed: true };
  const db = new Db(0, hooks);
  const model = new Map<number, Set<string>>();
  let seed = 7;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const keys: string[] = [];
  for (let i = 0; i < 3000; i++) keys.push(`{t${i % 40}}k${i}`);
  for (let round = 0; round < 5000; round++) {
    const k = keys[rnd(keys.length)]!;
    const h = keyHashSlot(k);
    if (rnd(3) === 0) { if (db.delete(k)) model.get(h)!.delete(k); } else if (db.set(k, 'v')) { if (!model.has(h)) model.set(h, new Set()); model.get(h)!.add(k); }
  }
  for (const [h, set] of model) {
    assert.equal(db.countInSlot(h), set.size);
    assert.deepEqual(new Set(db.keysInSlot(h, 1e9)), set);
    assert.equal(db.keysInSlot(h, 2).length, Math.min(2, set.size));
  }
  const other = new Db(0, hooks);
  other.set('foo', 'x');
  db.swapWith(other);
  assert.equal(db.countInSlot(12182), 1);
  assert.equal(other.countInSlot(keyHashSlot(keys[0]!)), model.get(keyHashSlot(keys[0]!))?.size ?? 0);
  db.clear();
  assert.equal(db.countInSlot(12182), 0);
  // a db indexed late (cluster mode known only at start) indexes what it holds
  const late = new Db(0, { ...hooks, slotIndexed: false });
  late.set('foo', '1');
  late.set('bar', '2');
  assert.equal(late.countInSlot(12182), 0);
  late.indexSlots();
  assert.equal(late.countInSlot(12182), 1);
  assert.deepEqual(late.keysInSlot(keyHashSlot('bar'), 10), ['bar']);
});
