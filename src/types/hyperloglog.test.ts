/*
 * Unit tests of the HLL building blocks: MurmurHash64A in 32-bit halves
 * against a BigInt rendering of the algorithm (every tail length), dense
 * register access at every alignment, the empty sparse value's bytes, and
 * sparse and dense values fed the same elements agreeing on every register
 * and on the estimate (before and after promotion).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HLL_DENSE, HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, HLL_SPARSE, add, count, createHll, decodeSparse,
  denseGet, denseSetRaw, isHll, merge, murmurHash64A, sparseToDense,
} from './hyperloglog.js';
import { MutableString } from './string.js';

const MASK = (1n << 64n) - 1n;
function murmurRef(s: string): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const len = s.length;
  let h = (0xadc83b19n ^ (BigInt(len) * m)) & MASK;
  const blocks = len - (len & 7);
  const byte = (i: number): bigint => BigInt(s.charCodeAt(i));
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | byte(i + j);
    k = (k * m) & MASK;
    k ^= k >> 47n;
    k = (k * m) & MASK;
    h ^= k;
    h = (h * m) & MASK;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= byte(blocks + j) << BigInt(8 * j);
    h = (h * m) & MASK;
  }
  h ^= h >> 47n;
  h = (h * m) & MASK;
  h ^= h >> 47n;
  return h;
}

test('MurmurHash64A matches a BigInt reference', () => {
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let len = 0; len < 40; len++) {
    for (let t = 0; t < 20; t++) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode([0, 255, 128, 127, rnd(256)][rnd(5)]!);
      assert.equal(murmurHash64A(s), murmurRef(s), JSON.stringify(s));
    }
  }
});

test('dense registers: set/get at every alignment, neighbours untouched', () => {
  const b = new Uint8Array(HLL_DENSE_SIZE);
  const want = new Uint8Array(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) { want[i] = (i * 7 + 3) & 63; denseSetRaw(b, HLL_HDR_SIZE, i, want[i]!); }
  for (let i = 0; i < HLL_REGISTERS; i++) assert.equal(denseGet(b, HLL_HDR_SIZE, i), want[i]);
  denseSetRaw(b, HLL_HDR_SIZE, 5, 0);
  assert.equal(denseGet(b, HLL_HDR_SIZE, 4), want[4]);
  assert.equal(denseGet(b, HLL_HDR_SIZE, 6), want[6]);
});

test('an empty HLL is Redis\'s 18 bytes', () => {
  const m = createHll();
  assert.equal(m.toString(), 'HYLL\x01' + '\0'.repeat(11) + '\x7f\xff');
  assert.ok(isHll(m));
  assert.equal(decodeSparse(m), 'Z:16384');
  assert.equal(count(m), 0n);
});

test('sparse and dense agree register by register, through promotion', () => {
  const sparse = createHll();
  const dense = createHll();
  assert.ok(sparseToDense(dense));
  assert.equal(dense.len, HLL_DENSE_SIZE);
  for (let i = 0; i < 5000; i++) {
    const e = `el:${i}`;
    assert.equal(add(sparse, e, 3000), add(dense, e, 3000));
    if (i % 500 === 0 || i === 4999) {
      assert.equal(count(sparse), count(dense), `after ${i + 1}`);
      const a = new Uint8Array(HLL_REGISTERS);
      const b = new Uint8Array(HLL_REGISTERS);
      assert.ok(merge(a, sparse));
      assert.ok(merge(b, dense));
      assert.deepEqual(a, b);
    }
  }
  assert.equal(sparse.buf[4], HLL_DENSE);
  assert.deepEqual(sparse.bytes().subarray(HLL_HDR_SIZE), dense.bytes().subarray(HLL_HDR_SIZE));
});

test('isHll rejects short, wrongly tagged or wrongly sized values', () => {
  assert.ok(!isHll('HYLL'));
  assert.ok(!isHll('HYLX' + '\x01' + '\0'.repeat(13)));
  assert.ok(!isHll('HYLL\x02' + '\0'.repeat(13)));
  assert.ok(!isHll('HYLL\x00' + '\0'.repeat(13)));
  assert.ok(isHll('HYLL\x01' + '\0'.repeat(11)));
  const d = MutableString.adopt(Buffer.alloc(HLL_DENSE_SIZE));
  d.buf.write('HYLL', 'latin1');
  assert.ok(isHll(d));
  assert.equal(d.buf[4], HLL_DENSE);
  assert.notEqual(HLL_SPARSE, HLL_DENSE);
});
