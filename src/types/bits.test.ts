/* Unit tests of the bit helpers: popcount, bitpos, field get/set round trips and overflow rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BF_SAT, BF_WRAP, bitpos, getSignedField, getUnsignedField, popcount, setField, signedOverflow, unsignedOverflow,
} from './bits.js';

test('popcount and bitpos', () => {
  const p = Uint8Array.from([0xff, 0x00, 0x81, 0x7f, 0x01, 0x02, 0x03]);
  let naive = 0;
  for (const b of p) for (let i = 0; i < 8; i++) naive += (b >> i) & 1;
  assert.equal(popcount(p, 0, p.length), naive);
  assert.equal(popcount(p, 2, 1), 2);
  assert.equal(bitpos(p, 0, 7, 0), 8);
  assert.equal(bitpos(p, 0, 7, 1), 0);
  assert.equal(bitpos(p, 1, 1, 1), -1);
  assert.equal(bitpos(p, 0, 1, 0), 8); // not found among 0xff: one past the end
  assert.equal(bitpos(p, 3, 1, 0), 0);
});

test('fields: set then get at every alignment', () => {
  for (const bits of [1, 3, 8, 13, 31, 32, 33, 63, 64]) {
    for (let off = 0; off < 20; off++) {
      const buf = new Uint8Array(12).fill(0xa5);
      const before = Uint8Array.from(buf);
      const v = (1n << BigInt(bits - 1)) + 5n;
      setField(buf, off, bits, v);
      assert.equal(getUnsignedField(buf, off, bits), BigInt.asUintN(bits, v));
      assert.equal(getSignedField(buf, off, bits), BigInt.asIntN(bits, v));
      // bits outside the field are untouched
      for (let i = 0; i < 96; i++) {
        if (i >= off && i < off + bits) continue;
        const bit = (x: Uint8Array): number => (x[i >> 3]! >> (7 - (i & 7))) & 1;
        assert.equal(bit(buf), bit(before), `bits=${bits} off=${off} i=${i}`);
      }
    }
  }
});

test('overflow rules', () => {
  assert.deepEqual(unsignedOverflow(250n, 10n, 8, BF_WRAP), { dir: 1, limit: 4n });
  assert.deepEqual(unsignedOverflow(250n, 10n, 8, BF_SAT), { dir: 1, limit: 255n });
  assert.deepEqual(unsignedOverflow(5n, -10n, 8, BF_SAT), { dir: -1, limit: 0n });
  assert.equal(unsignedOverflow(5n, -5n, 8, BF_SAT).dir, 0);
  assert.deepEqual(signedOverflow(127n, 1n, 8, BF_WRAP), { dir: 1, limit: -128n });
  assert.deepEqual(signedOverflow(-128n, -1n, 8, BF_SAT), { dir: -1, limit: -128n });
  assert.deepEqual(signedOverflow((1n << 63n) - 1n, 1n, 64, BF_WRAP), { dir: 1, limit: -(1n << 63n) });
  assert.equal(signedOverflow(-5n, 5n, 64, BF_WRAP).dir, 0);
});
