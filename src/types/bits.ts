/*
 * Bit operations on byte arrays, with Redis's bit numbering (bit 0 is the
 * most significant bit of byte 0), as bitops.c defines them: population count,
 * first set/clear bit, and BITFIELD's integer fields of 1..64 bits with the
 * WRAP / SAT / FAIL overflow rules. Fields are BigInts (up to 64 bits, signed
 * or unsigned) so the 64-bit arithmetic of the C code is reproduced exactly.
 */

const POP8 = new Uint8Array(256);
for (let i = 1; i < 256; i++) POP8[i] = (i & 1) + POP8[i >> 1]!;

/** Number of set bits in p[start .. start+bytes). */
export function popcount(p: Uint8Array, start: number, bytes: number): number {
  let n = 0;
  const end = start + bytes;
  let i = start;
  // 4 bytes at a time through a 32-bit popcount
  for (; i + 4 <= end; i += 4) {
    let v = (p[i]! | (p[i + 1]! << 8) | (p[i + 2]! << 16) | (p[i + 3]! << 24)) >>> 0;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  for (; i < end; i++) n += POP8[p[i]!]!;
  return n;
}

/**
 * redisBitpos: position of the first bit equal to `bit` in p[start ..
 * start+bytes), relative to start. Not found: -1 when looking for 1, and
 * bytes*8 when looking for 0 (the string is considered zero-padded on the right).
 */
export function bitpos(p: Uint8Array, start: number, bytes: number, bit: 0 | 1): number {
  const skip = bit ? 0 : 0xff;
  let i = 0;
  while (i < bytes && p[start + i] === skip) i++;
  if (i === bytes) return bit ? -1 : bytes * 8;
  const b = p[start + i]!;
  for (let j = 0; j < 8; j++) {
    if (((b >> (7 - j)) & 1) === bit) return i * 8 + j;
  }
  return bit ? -1 : bytes * 8; // unreachable
}

// ---- BITFIELD ---------------------------------------------------------------

export const BF_WRAP = 0;
export const BF_SAT = 1;
export const BF_FAIL = 2;
export type Overflow = typeof BF_WRAP | typeof BF_SAT | typeof BF_FAIL;

const U64_MASK = (1n << 64n) - 1n;
const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** The unsigned field of `bits` bits at bit `offset` (bytes beyond p's end read as 0). */
export function getUnsignedField(p: Uint8Array, offset: number, bits: number): bigint {
  let v = 0n;
  // gather the bytes covering the field, then shift and mask
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  for (let i = first; i <= last; i++) v = (v << 8n) | BigInt(i < p.length ? p[i]! : 0);
  const tail = (last + 1) * 8 - (offset + bits);
  return (v >> BigInt(tail)) & ((1n << BigInt(bits)) - 1n);
}

export function getSignedField(p: Uint8Array, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedField(p, offset, bits));
}

/** Store the low `bits` bits of value (any bigint, two's complement) at bit `offset`; p must be long enough. */
export function setField(p: Uint8Array, offset: number, bits: number, value: bigint): void {
  let v = BigInt.asUintN(bits, value);
  let pos = offset + bits - 1;
  // walk from the last bit backward, a byte-aligned chunk at a time
  let left = bits;
  while (left > 0) {
    const byte = Math.floor(pos / 8);
    const bitInByte = 7 - (pos % 8); // position of this bit counted from the LSB
    const take = Math.min(left, 8 - bitInByte);
    const mask = ((1 << take) - 1) << bitInByte;
    const chunk = Number(v & BigInt((1 << take) - 1)) << bitInByte;
    p[byte] = (p[byte]! & ~mask) | chunk;
    v >>= BigInt(take);
    left -= take;
    pos -= take;
  }
}

/**
 * checkUnsignedBitfieldOverflow: 0, 1 (overflow) or -1 (underflow) for
 * value + incr in an unsigned field; `limit` receives the value to store
 * under WRAP or SAT.
 */
export function unsignedOverflow(value: bigint, incr: bigint, bits: number, ow: Overflow): { dir: number; limit: bigint } {
  const max = bits === 64 ? U64_MASK : (1n << BigInt(bits)) - 1n;
  const maxincr = i64(max - value);
  const minincr = i64(-value);
  const wrap = (): bigint => u64(value + incr) & ~(U64_MASK << BigInt(bits)) & U64_MASK;
  if (value > max || (incr > 0n && incr > maxincr)) {
    return { dir: 1, limit: ow === BF_WRAP ? wrap() : max };
  }
  if (incr < 0n && incr < minincr) {
    return { dir: -1, limit: ow === BF_WRAP ? wrap() : 0n };
  }
  return { dir: 0, limit: 0n };
}

/** checkSignedBitfieldOverflow, with the same contract for signed fields. */
export function signedOverflow(value: bigint, incr: bigint, bits: number, ow: Overflow): { dir: number; limit: bigint } {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = i64(u64(max) - u64(value));
  const minincr = i64(min - value);
  const wrap = (): bigint => {
    let c = u64(value + incr);
    if (bits < 64) {
      const mask = (U64_MASK << BigInt(bits)) & U64_MASK;
      if (c & (1n << BigInt(bits - 1))) c |= mask; else c &= ~mask & U64_MASK;
    }
    return i64(c);
  };
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return { dir: 1, limit: ow === BF_WRAP ? wrap() : max };
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return { dir: -1, limit: ow === BF_WRAP ? wrap() : min };
  }
  return { dir: 0, limit: 0n };
}
