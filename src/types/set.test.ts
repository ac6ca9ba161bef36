/* Unit tests of the set type: intset rules (canonical int64 only, ascending), conversion thresholds, SSCAN guarantee. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SetValue, memberInt, setFor } from './set.js';

test('memberInt accepts canonical int64 only', () => {
  assert.equal(memberInt('0'), 0n);
  assert.equal(memberInt('-9223372036854775808'), -9223372036854775808n);
  assert.equal(memberInt('9223372036854775807'), 9223372036854775807n);
  for (const s of ['9223372036854775808', '-0', '01', '+1', ' 1', '1 ', '', '-', '1.0', 'a']) assert.equal(memberInt(s), null, s);
});

test('intset keeps members sorted numerically, exact beyond 2^53', () => {
  const s = new SetValue();
  for (const m of ['10', '-5', '9007199254740993', '3', '10', '-9223372036854775808']) s.add(m, 512);
  assert.equal(s.encoding(), 'intset');
  assert.deepEqual(s.members(), ['-9223372036854775808', '-5', '3', '10', '9007199254740993']);
  assert.ok(s.has('9007199254740993'));
  assert.ok(!s.has('9007199254740992'));
  assert.ok(!s.has('03'));
  assert.ok(s.delete('3'));
  assert.ok(!s.delete('3'));
  assert.equal(s.size, 4);
});

test('intset converts on a non-integer member and past set-max-intset-entries, never back', () => {
  const a = new SetValue();
  for (let i = 0; i < 4; i++) a.add(String(i), 4);
  assert.equal(a.encoding(), 'intset');
  a.add('4', 4);
  assert.equal(a.encoding(), 'hashtable');
  assert.deepEqual(a.members().sort(), ['0', '1', '2', '3', '4']);
  const b = new SetValue();
  b.add('1', 512);
  b.add('x', 512);
  assert.equal(b.encoding(), 'hashtable');
  b.delete('x');
  assert.equal(b.encoding(), 'hashtable');
  assert.equal(setFor('x').encoding(), 'hashtable');
  assert.equal(setFor('12').encoding(), 'intset');
});

test('SSCAN on a hashtable set returns members present for the whole iteration while most others are removed', () => {
  for (let k = 0; k < 50; k++) {
    const s = new SetValue(true);
    const n = 101 + Math.floor(Math.random() * 1000);
    for (let j = 0; j < n; j++) s.add(String(j), 512);
    const seen = new Set<string>();
    let cursor = 0;
    let it = 0;
    const delAt = Math.floor(Math.random() * 10);
    do {
      cursor = s.t!.scan(cursor, 10, (slot) => { seen.add(s.t!.keys[slot]!); });
      if (++it === delAt) for (let j = 100; j < n; j++) s.delete(String(j));
    } while (cursor !== 0);
    for (let j = 0; j < 100; j++) assert.ok(seen.has(String(j)), `missing ${j}`);
  }
});

test('random members on sparse tables still come from the set', () => {
  const s = new SetValue(true);
  for (let j = 0; j < 10000; j++) s.add('m' + j, 512);
  for (let j = 0; j < 9990; j++) s.delete('m' + j);
  for (let i = 0; i < 100; i++) assert.ok(s.has(s.random()));
  const c = s.clone();
  s.delete(c.random());
  assert.equal(c.size, 10);
});
