/* Unit tests of the hash type: listpack operations, conversion thresholds (one way), HSCAN guarantee. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashValue } from './hash.js';

const toObj = (h: HashValue): Record<string, string> => {
  const o: Record<string, string> = {};
  h.forEach((f, v) => { o[f] = v; });
  return o;
};

test('listpack set/get/delete/strlen keep insertion order and binary data', () => {
  const h = new HashValue();
  assert.equal(h.set('a', '1', 128, 64), true);
  assert.equal(h.set('b', '\x00\xff\r\n', 128, 64), true);
  assert.equal(h.set('', 'empty', 128, 64), true);
  assert.equal(h.set('a', 'x'.repeat(60), 128, 64), false, 'update');
  assert.equal(h.size, 3);
  assert.equal(h.get('a'), 'x'.repeat(60));
  assert.equal(h.get(''), 'empty');
  assert.equal(h.strlen('b'), 4);
  assert.equal(h.get('zz'), undefined);
  assert.deepEqual(h.pairs(), ['a', 'x'.repeat(60), 'b', '\x00\xff\r\n', '', 'empty']);
  assert.equal(h.delete('b'), true);
  assert.equal(h.delete('b'), false);
  assert.deepEqual(toObj(h), { a: 'x'.repeat(60), '': 'empty' });
  assert.equal(h.encoding(), 'listpack');
});

test('converts past hash-max-listpack-entries, not at it', () => {
  const h = new HashValue();
  for (let i = 0; i < 4; i++) h.set(`f${i}`, `v${i}`, 4, 64);
  assert.equal(h.encoding(), 'listpack');
  h.set('f4', 'v4', 4, 64);
  assert.equal(h.encoding(), 'hashtable');
  assert.equal(h.size, 5);
  for (let i = 0; i < 5; i++) h.delete(`f${i}`);
  h.set('x', 'y', 4, 64);
  assert.equal(h.encoding(), 'hashtable', 'never converts back');
});

test('converts when a field or a value exceeds hash-max-listpack-value', () => {
  const a = new HashValue();
  a.set('f', 'x'.repeat(64), 128, 64);
  assert.equal(a.encoding(), 'listpack');
  a.set('g', 'x'.repeat(65), 128, 64);
  assert.equal(a.encoding(), 'hashtable');
  assert.deepEqual(toObj(a), { f: 'x'.repeat(64), g: 'x'.repeat(65) });
  const b = new HashValue();
  const argv = ['HSET', 'k', 'short', 'v', 'y'.repeat(65), 'v'];
  assert.equal(b.setPairs(argv, 2, 128, 64), 2);
  assert.equal(b.encoding(), 'hashtable');
});

test('setPairs counts new fields, handles repeats and converts mid-way', () => {
  const h = new HashValue();
  assert.equal(h.setPairs(['HSET', 'k', 'a', '1', 'a', '2', 'b', '3'], 2, 128, 64), 2);
  assert.deepEqual(toObj(h), { a: '2', b: '3' });
  const argv = ['HSET', 'k'];
  for (let i = 0; i < 10; i++) argv.push(`f${i}`, `v${i}`);
  assert.equal(h.setPairs(argv, 2, 5, 64), 10);
  assert.equal(h.encoding(), 'hashtable');
  assert.equal(h.size, 12);
  assert.equal(h.get('f9'), 'v9');
});

test('HSCAN on a hashtable returns every field present for the whole iteration, under writes', () => {
  for (let round = 0; round < 20; round++) {
    const h = new HashValue();
    for (let i = 0; i < 1000; i++) h.set(`k${i}`, `v${i}`, 1, 64);
    const seen = new Set<string>();
    let cursor = 0;
    let step = 0;
    do {
      cursor = h.t!.scan(cursor, 10, (s) => { seen.add(h.t!.keys[s]!); });
      step++;
      // churn: delete most of the volatile fields (forcing compaction) and add new ones
      if (step === 3 + round) for (let i = 100; i < 1000; i++) h.delete(`k${i}`);
      if (step % 2 === 0) for (let i = 0; i < 5; i++) h.set(`n${step}-${i}`, 'x', 1, 64);
    } while (cursor !== 0);
    for (let i = 0; i < 100; i++) assert.ok(seen.has(`k${i}`), `k${i} missing (round ${round})`);
  }
});

test('randomPair returns existing pairs in both encodings; clone is independent', () => {
  const h = new HashValue();
  for (let i = 0; i < 10; i++) h.set(`f${i}`, `v${i}`, 128, 64);
  for (let i = 0; i < 50; i++) { const [f, v] = h.randomPair(); assert.equal(h.get(f), v); }
  const c = h.clone();
  h.convert();
  for (let i = 0; i < 50; i++) { const [f, v] = h.randomPair(); assert.equal(v, 'v' + f.slice(1)); }
  h.set('f0', 'changed', 128, 64);
  assert.equal(c.get('f0'), 'v0');
  assert.equal(c.encoding(), 'listpack');
});
