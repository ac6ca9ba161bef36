/*
 * HyperLogLog values, byte for byte as Redis 7.0 (src/hyperloglog.c), so
 * that GET, DUMP/RESTORE and RDB files move them between Nodis and Redis.
 *
 * A HLL is an ordinary string value (a MutableString edited in place, "raw"
 * as Redis's sds) laid out as:
 *
 *   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached card (8 bytes LE) | registers
 *
 * The cached cardinality's top bit (card[7] & 0x80) set means "stale". The
 * 16384 registers (P = 14) hold 6-bit run lengths (at most Q+1 = 51):
 *
 * - dense: 12288 bytes, register i at bit 6*i, bits taken from each byte's
 *   LSB upwards (a register may straddle two bytes);
 * - sparse: a run-length code of opcodes. ZERO 00xxxxxx: 1..64 zero
 *   registers; XZERO 01xxxxxx yyyyyyyy: 1..16384 zero registers; VAL
 *   1vvvvvxx: 1..4 registers of value 1..32. An update splits the opcode
 *   covering the register in place, then merges equal neighbouring VALs; a
 *   value above 32, or a string growing past hll-sparse-max-bytes, promotes
 *   the value to dense.
 *
 * Elements are hashed with MurmurHash64A (seed 0xadc83b19) over their bytes,
 * read little-endian whatever the host; done here in 32-bit halves (no
 * BigInt on the hot path). The estimator is Otmar Ertl's ("New cardinality
 * estimation algorithms for HyperLogLog sketches", arXiv:1702.01284), as
 * Redis 7.0's hllCount, in the same double arithmetic.
 *
 * Corrupted sparse codes: the walkers that read a whole value (to dense,
 * histogram, merge) reject any opcode running past the 16384th register, as
 * the reference redis-server 7.0.15 does (Debian's build carries the
 * CVE-2025-32023 fix: a VAL after the last register is corrupted too, where
 * the unpatched source ignored it).
 *
 * Invariant of the sparse walkers: Redis's sds strings end with a NUL past
 * their length, and a truncated XZERO at the very end reads it as its second
 * byte; `byteAt` does the same here (0 past the length), so even corrupted
 * values decode (and are rejected) exactly as Redis does.
 */
import { MutableString, type StringValue } from './string.js';
import { Buffer } from 'node:buffer';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_BITS = 6;
export const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const HLL_ALPHA_INF = 0.721347520444481703680;
const P_MASK = HLL_REGISTERS - 1;

// ---- MurmurHash64A -------------------------------------------------------------

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
/** results of mulM: the product's high [0] and low [1] 32 bits (a typed array: no heap numbers on the hot path) */
const R = new Uint32Array(2);

/** (hi:lo) * m mod 2^64, into R[0]:R[1]. */
function mulM(hi: number, lo: number): void {
  // lo * M_LO as a full 64-bit product, from 16-bit limbs
  const a0 = lo & 0xffff, a1 = lo >>> 16;
  const b0 = M_LO & 0xffff, b1 = M_LO >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  R[1] = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  R[0] = (carry + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
}

/** MurmurHash64A of the latin1 string s (its bytes) with Redis's HLL seed, into R[0]:R[1]. */
function murmurLatin1(s: string): void {
  const len = s.length;
  mulM(0, len);
  let hHi = R[0], hLo = (R[1] ^ 0xadc83b19) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi = (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    mulM(kHi, kLo);
    // k ^= k >> 47 touches only the low word
    mulM(R[0], (R[1] ^ (R[0] >>> 15)) >>> 0);
    mulM((hHi ^ R[0]) >>> 0, (hLo ^ R[1]) >>> 0);
    hHi = R[0]; hLo = R[1];
  }
  const rest = len & 7;
  if (rest > 0) {
    let tLo = 0, tHi = 0;
    for (let j = rest - 1; j >= 0; j--) {
      const b = s.charCodeAt(i + j);
      if (j >= 4) tHi |= b << (8 * (j - 4)); else tLo |= b << (8 * j);
    }
    mulM((hHi ^ tHi) >>> 0, (hLo ^ tLo) >>> 0);
    hHi = R[0]; hLo = R[1];
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mulM(hHi, hLo);
  R[1] = (R[1] ^ (R[0] >>> 15)) >>> 0;
}

/** MurmurHash64A of 8 bytes (the little-endian uint64 hi:lo), into R[0]:R[1] (PFSELFTEST's elements). */
function murmur8(lo: number, hi: number): void {
  mulM(0, 8);
  const hHi = R[0], hLo = (R[1] ^ 0xadc83b19) >>> 0;
  mulM(hi, lo);
  mulM(R[0], (R[1] ^ (R[0] >>> 15)) >>> 0);
  mulM((hHi ^ R[0]) >>> 0, (hLo ^ R[1]) >>> 0);
  mulM(R[0], (R[1] ^ (R[0] >>> 15)) >>> 0);
  R[1] = (R[1] ^ (R[0] >>> 15)) >>> 0;
}

/** MurmurHash64A(s, len, 0xadc83b19) as Redis computes it (for tests). */
export function murmurHash64A(s: string): bigint {
  murmurLatin1(s);
  return (BigInt(R[0]) << 32n) | BigInt(R[1]);
}

/** hllPatLen over the hash in R[0]:R[1]: the register index into patIndex, the run length returned. */
let patIndex = 0;
function patLenOfHash(): number {
  patIndex = R[1] & P_MASK;
  const low = R[1] >>> HLL_P; // hash bits 14..31
  if (low !== 0) return 32 - Math.clz32(low & -low);
  if (R[0] !== 0) return 18 + 32 - Math.clz32(R[0] & -R[0]);
  return HLL_Q + 1;
}

/** hllPatLen: register index and run length of an element (tests, PFSELFTEST). */
export function patLen(ele: string): { index: number; count: number } {
  murmurLatin1(ele);
  const count = patLenOfHash();
  return { index: patIndex, count };
}

// ---- header and validation -----------------------------------------------------

/**
 * isHLLObjectOrReply's checks past the type: a string of at least a header,
 * "HYLL", a known encoding, and a dense value of the exact size.
 */
export function isHll(v: StringValue): boolean {
  let enc: number;
  let len: number;
  if (typeof v === 'string') {
    len = v.length;
    if (len < HLL_HDR_SIZE || v.charCodeAt(0) !== 0x48 || v.charCodeAt(1) !== 0x59 || v.charCodeAt(2) !== 0x4c || v.charCodeAt(3) !== 0x4c) return false;
    enc = v.charCodeAt(4);
  } else {
    len = v.len;
    const b = v.buf;
    if (len < HLL_HDR_SIZE || b[0] !== 0x48 || b[1] !== 0x59 || b[2] !== 0x4c || b[3] !== 0x4c) return false;
    enc = b[4]!;
  }
  if (enc > HLL_MAX_ENCODING) return false;
  return !(enc === HLL_DENSE && len !== HLL_DENSE_SIZE);
}

/** createHLLObject: an empty sparse HLL (XZERO opcodes for every register), cache 0 (valid). */
export function createHll(): MutableString {
  // room for a few elements as it starts (each adds up to 3 bytes): Redis's sparse HLL sits in a 48-byte allocation
  // once it has its first elements (sdsMakeRoomFor doubles), and a small HLL here is not copied on its next adds
  // (byte stores only: Buffer's write and fill are native calls, which cost more than the rest of PFADD on a new key)
  const m = new MutableString('', 48);
  const b = m.buf;
  b[0] = 0x48; b[1] = 0x59; b[2] = 0x4c; b[3] = 0x4c; // "HYLL"
  b[4] = HLL_SPARSE;
  for (let i = 5; i < HLL_HDR_SIZE; i++) b[i] = 0;
  let at = HLL_HDR_SIZE;
  for (let aux = HLL_REGISTERS; aux > 0;) {
    const x = Math.min(aux, SPARSE_XZERO_MAX_LEN);
    if (at + 2 > m.buf.length) { m.len = at; m.grow(at + 2); }
    m.buf[at] = ((x - 1) >> 8) | 0x40;
    m.buf[at + 1] = (x - 1) & 0xff;
    at += 2;
    aux -= x;
  }
  m.len = at;
  return m;
}

export const encodingOf = (m: MutableString): number => m.buf[4]!;

export function invalidateCache(m: MutableString): void { m.buf[15] |= 0x80; }

/** The cached cardinality, or null when stale. */
export function cachedCard(m: MutableString): bigint | number | null {
  const b = m.buf;
  if (b[15]! & 0x80) return null;
  // a number while it fits in 53 bits (every real estimate), no BigInt per PFCOUNT
  const hi = b.readUInt32LE(12);
  return hi < 0x200000 ? hi * 4294967296 + b.readUInt32LE(8) : b.readBigUInt64LE(8);
}

export function setCachedCard(m: MutableString, card: bigint): void { m.buf.writeBigUInt64LE(card, 8); }

/** Make room for `extra` bytes past the length (sdsMakeRoomFor) and put the sds NUL at the end. */
function reserve(m: MutableString, extra: number): void {
  const need = m.len + extra + 1;
  if (need > m.buf.length) {
    const nb = Buffer.allocUnsafe(Math.max(need, m.len * 2));
    // the whole old buffer (it is shorter than need): TypedArray set, a plain memmove, where Buffer's copy
    // makes a view of the range and reads byteOffset through an accessor (2% of PFADD at P16 for a copy in 20 adds)
    nb.set(m.buf);
    m.buf = nb;
  }
  m.buf[m.len] = 0;
}

const byteAt = (m: MutableString, i: number): number => (i < m.len ? m.buf[i]! : 0);

// ---- dense registers -----------------------------------------------------------

/** Register `i` of the dense registers starting at `off` in `b` (bytes past the end read as 0). */
export function denseGet(b: Uint8Array, off: number, i: number): number {
  const bit = i * HLL_BITS;
  const byte = off + (bit >> 3);
  const fb = bit & 7;
  return ((b[byte]! >> fb) | ((b[byte + 1] ?? 0) << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSetRaw(b: Uint8Array, off: number, i: number, val: number): void {
  const bit = i * HLL_BITS;
  const byte = off + (bit >> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  b[byte] = (b[byte]! & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
  // the register's high bits spill into the next byte only when fb > 2
  if (fb > 2) b[byte + 1] = (b[byte + 1]! & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
}

/** hllDenseSet: raise register i to count; 1 when it changed. */
function denseSet(b: Uint8Array, i: number, count: number): number {
  if (count > denseGet(b, HLL_HDR_SIZE, i)) { denseSetRaw(b, HLL_HDR_SIZE, i, count); return 1; }
  return 0;
}

function denseHisto(b: Uint8Array, histo: Float64Array): void {
  let r = HLL_HDR_SIZE;
  for (let j = 0; j < 1024; j++, r += 12) {
    const b0 = b[r]!, b1 = b[r + 1]!, b2 = b[r + 2]!, b3 = b[r + 3]!, b4 = b[r + 4]!, b5 = b[r + 5]!;
    const b6 = b[r + 6]!, b7 = b[r + 7]!, b8 = b[r + 8]!, b9 = b[r + 9]!, b10 = b[r + 10]!, b11 = b[r + 11]!;
    histo[b0 & 63]++;
    histo[((b0 >> 6) | (b1 << 2)) & 63]++;
    histo[((b1 >> 4) | (b2 << 4)) & 63]++;
    histo[(b2 >> 2) & 63]++;
    histo[b3 & 63]++;
    histo[((b3 >> 6) | (b4 << 2)) & 63]++;
    histo[((b4 >> 4) | (b5 << 4)) & 63]++;
    histo[(b5 >> 2) & 63]++;
    histo[b6 & 63]++;
    histo[((b6 >> 6) | (b7 << 2)) & 63]++;
    histo[((b7 >> 4) | (b8 << 4)) & 63]++;
    histo[(b8 >> 2) & 63]++;
    histo[b9 & 63]++;
    histo[((b9 >> 6) | (b10 << 2)) & 63]++;
    histo[((b10 >> 4) | (b11 << 4)) & 63]++;
    histo[(b11 >> 2) & 63]++;
  }
}

// ---- sparse representation -----------------------------------------------------

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXZero = (op: number): boolean => (op & 0xc0) === 0x40;
const zeroLen = (op: number): number => (op & 0x3f) + 1;
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (val: number, len: number): number => (((val - 1) << 2) | (len - 1)) | 0x80;

/** hllSparseToDense: convert in place; false (value untouched) when the sparse code is corrupted. */
export function sparseToDense(m: MutableString): boolean {
  if (m.buf[4] === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  m.buf.copy(dense, 0, 0, HLL_HDR_SIZE); // magic, unused bytes and cached cardinality
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = m.len;
  while (p < end) {
    const op = m.buf[p]!;
    let runlen = isZero(op) ? zeroLen(op) : isXZero(op) ? (((op & 0x3f) << 8) | byteAt(m, p + 1)) + 1 : valLen(op);
    if (runlen + idx > HLL_REGISTERS) return false;
    if (isZero(op)) { idx += runlen; p++; }
    else if (isXZero(op)) { idx += runlen; p += 2; }
    else {
      const regval = valValue(op);
      while (runlen--) denseSetRaw(dense, HLL_HDR_SIZE, idx++, regval);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  m.buf = dense;
  m.len = HLL_DENSE_SIZE;
  return true;
}

/** sparseSet's split sequence, reused (no allocation per PFADD) */
const SPLIT = new Uint8Array(5);

/** a ZERO or XZERO opcode for `len` registers at seq[n]; returns the next n */
function putZeros(seq: Uint8Array, n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    seq[n] = ((len - 1) >> 8) | 0x40;
    seq[n + 1] = (len - 1) & 0xff;
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

/**
 * b.copyWithin(dst, src, end) (memmove): a short move byte by byte, as a
 * small HLL's moves are (the builtin's call costs more than the copy).
 */
function moveBytes(b: Uint8Array, dst: number, src: number, end: number): void {
  const n = end - src;
  if (n > 64) { b.copyWithin(dst, src, end); return; }
  if (dst > src) for (let i = n - 1; i >= 0; i--) b[dst + i] = b[src + i]!;
  else for (let i = 0; i < n; i++) b[dst + i] = b[src + i]!;
}

/**
 * hllSparseSet: raise register `index` to `count`, splitting and merging
 * opcodes in place, promoting to dense past the sparse limits. 1 when the
 * value changed (the cache is then invalidated), 0 when not, -1 when the
 * sparse code is corrupted.
 */
export function sparseSet(m: MutableString, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(m, index, count);
  reserve(m, 3);
  const b = m.buf;
  const sparse = HLL_HDR_SIZE;
  let end = m.len;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  // Step 1: find the opcode covering the register. The opcodes are decoded
  // inline here and below, not through isZero/zeroLen/...: in this function
  // (inlined into PFADD's handler) the compiler's inlining budget is spent,
  // and a call per opcode walked cost more than the walk itself.
  let oplen = 1;
  while (p < end) {
    const op = b[p]!;
    if ((op & 0x80) !== 0) { span = (op & 0x3) + 1; oplen = 1; } // VAL
    else if ((op & 0x40) !== 0) { span = (((op & 0x3f) << 8) | b[p + 1]!) + 1; oplen = 2; } // XZERO
    else { span = (op & 0x3f) + 1; oplen = 1; } // ZERO
    if (index < first + span) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = b[p]!;
  const zero = (op & 0xc0) === 0;
  const xzero = (op & 0xc0) === 0x40;
  let next = p + oplen;
  if (next >= end) next = -1;

  let updated = false;
  if (!zero && !xzero) {
    if (((op >> 2) & 0x1f) + 1 >= count) return 0; // A: no change needed
    if (span === 1) { b[p] = valOp(count, 1); updated = true; } // B
  }
  if (!updated && zero && span === 1) { b[p] = valOp(count, 1); updated = true; } // C

  if (!updated) {
    // D: split the opcode into up to three (at most 5 bytes: XZERO, VAL, XZERO)
    const seq = SPLIT;
    let n = 0;
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) n = putZeros(seq, n, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) n = putZeros(seq, n, last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq[n++] = valOp(cur, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) seq[n++] = valOp(cur, last - index);
    }
    // Step 3: put the new sequence in place of the old opcode
    const oldlen = xzero ? 2 : 1;
    const delta = n - oldlen;
    if (delta > 0 && m.len + delta > maxBytes) return promote(m, index, count);
    if (delta !== 0 && next >= 0) moveBytes(b, next + delta, next, end);
    m.len += delta;
    for (let i = 0; i < n; i++) b[p + i] = seq[i]!;
    end += delta;
    b[m.len] = 0;
  }

  // Step 4: merge adjacent VALs of the same value (up to 5 opcodes from prev)
  p = prev >= 0 ? prev : sparse;
  let scan = 5;
  while (p < end && scan--) {
    const o = b[p]!;
    if ((o & 0xc0) === 0x40) { p += 2; continue; } // XZERO
    if ((o & 0xc0) === 0) { p++; continue; } // ZERO
    const o2 = p + 1 < end ? b[p + 1]! : 0;
    if ((o2 & 0x80) !== 0) {
      // two VALs: one when their values (bits 2-6) are equal and their lengths add up to at most 4
      if (((o ^ o2) & 0x7c) === 0) {
        const len = (o & 0x3) + (o2 & 0x3) + 2;
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = (o & 0xfc) | (len - 1);
          moveBytes(b, p, p + 1, end + 1);
          m.len--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(m);
  return 1;
}

function promote(m: MutableString, index: number, count: number): number {
  if (!sparseToDense(m)) return -1;
  return denseSet(m.buf, index, count);
}

function sparseHisto(m: MutableString, histo: Float64Array): boolean {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = m.len;
  const b = m.buf;
  while (p < end) {
    const op = b[p]!;
    if (isZero(op)) { const r = zeroLen(op); if (r + idx > HLL_REGISTERS) return false; idx += r; histo[0] += r; p++; }
    else if (isXZero(op)) { const r = (((op & 0x3f) << 8) | byteAt(m, p + 1)) + 1; if (r + idx > HLL_REGISTERS) return false; idx += r; histo[0] += r; p += 2; }
    else { const r = valLen(op); if (r + idx > HLL_REGISTERS) return false; idx += r; histo[valValue(op)] += r; p++; }
  }
  return idx === HLL_REGISTERS;
}

// ---- estimator -----------------------------------------------------------------

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** 2^63: what llroundl gives (x86's "integer indefinite") for an estimate out of range, as an unsigned card. */
const CARD_OUT_OF_RANGE = 1n << 63n;

/** The estimate from a register histogram, as uint64 (hllCount's tail). */
function estimate(histo: Float64Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  const e = Math.round(HLL_ALPHA_INF * m * m / z);
  if (!(e < 2 ** 63)) return CARD_OUT_OF_RANGE;
  return BigInt(e);
}

/** hllCount of a HLL value: the estimate, or null for a corrupted sparse code. */
export function count(m: MutableString): bigint | null {
  const histo = new Float64Array(64);
  if (m.buf[4] === HLL_DENSE) denseHisto(m.buf, histo);
  else if (!sparseHisto(m, histo)) return null;
  return estimate(histo);
}

/** hllCount of raw registers (one byte each: PFCOUNT of several keys). */
export function countRaw(max: Uint8Array): bigint {
  const histo = new Float64Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[max[i]!]++;
  return estimate(histo);
}

// ---- commands' building blocks -------------------------------------------------

/** hllAdd: 1 when a register changed, 0 when not, -1 for a corrupted value. */
export function add(m: MutableString, ele: string, maxBytes: number): number {
  murmurLatin1(ele);
  const c = patLenOfHash();
  switch (m.buf[4]) {
    case HLL_DENSE: return denseSet(m.buf, patIndex, c);
    case HLL_SPARSE: return sparseSet(m, patIndex, c, maxBytes);
    default: return -1;
  }
}

/** hllMerge: max[i] = MAX(max[i], register i); false for a corrupted sparse code. */
export function merge(max: Uint8Array, m: MutableString | string): boolean {
  const v = typeof m === 'string' ? MutableString.adopt(Buffer.from(m, 'latin1')) : m;
  const b = v.buf;
  if (b[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = denseGet(b, HLL_HDR_SIZE, i);
      if (r > max[i]!) max[i] = r;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  const end = v.len;
  while (p < end) {
    const op = b[p]!;
    let runlen = isZero(op) ? zeroLen(op) : isXZero(op) ? (((op & 0x3f) << 8) | byteAt(v, p + 1)) + 1 : valLen(op);
    if (runlen + i > HLL_REGISTERS) return false;
    if (isZero(op)) { i += runlen; p++; }
    else if (isXZero(op)) { i += runlen; p += 2; }
    else {
      const regval = valValue(op);
      while (runlen--) { if (regval > max[i]!) max[i] = regval; i++; }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** Write merged registers into a HLL (PFMERGE's tail): dense sets, or sparse sets (which may promote). */
export function applyMax(m: MutableString, max: Uint8Array, maxBytes: number): void {
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const v = max[j]!;
    if (v === 0) continue;
    if (m.buf[4] === HLL_DENSE) denseSet(m.buf, j, v);
    else sparseSet(m, j, v, maxBytes);
  }
}

/** PFDEBUG DECODE's text of a sparse HLL: "z:<n>", "Z:<n>", "v:<value>,<n>" separated by spaces. */
export function decodeSparse(m: MutableString): string {
  const out: string[] = [];
  let p = HLL_HDR_SIZE;
  const end = m.len;
  while (p < end) {
    const op = m.buf[p]!;
    if (isZero(op)) { out.push(`z:${zeroLen(op)}`); p++; }
    else if (isXZero(op)) { out.push(`Z:${(((op & 0x3f) << 8) | byteAt(m, p + 1)) + 1}`); p += 2; }
    else { out.push(`v:${valValue(op)},${valLen(op)}`); p++; }
  }
  return out.join(' ');
}

// ---- PFSELFTEST ----------------------------------------------------------------

/**
 * pfselftestCommand's checks: dense register access with random values, then
 * 10M elements added to a dense and a sparse HLL, both estimates agreeing and
 * within 6 standard errors at every power of ten. null on success, else the
 * error line.
 */
export function selfTest(maxBytes: number): string | null {
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  const bytes = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < 1000; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = (Math.random() * 64) | 0;
      bytes[i] = r;
      denseSetRaw(dense, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(dense, HLL_HDR_SIZE, i);
      if (v !== bytes[i]) return `TESTFAILED Register ${i} should be ${bytes[i]} but is ${v}`;
    }
  }
  dense.fill(0, HLL_HDR_SIZE);
  dense.write('HYLL', 0, 'latin1');
  const dm = MutableString.adopt(dense.subarray(0, HLL_DENSE_SIZE));
  const sm = createHll();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  const seedLo = (Math.random() * 2 ** 32) >>> 0, seedHi = (Math.random() * 2 ** 32) >>> 0;
  for (let j = 1; j <= 10_000_000; j++) {
    murmur8((j ^ seedLo) >>> 0, seedHi);
    const c = patLenOfHash();
    const idx = patIndex;
    denseSet(dense, idx, c);
    if (sm.buf[4] === HLL_DENSE) denseSet(sm.buf, idx, c); else sparseSet(sm, idx, c, maxBytes);
    if (j === checkpoint) {
      if (j < maxBytes / 2 && sm.buf[4] !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
      const cd = count(dm)!;
      if (cd !== count(sm)) return 'TESTFAILED dense/sparse disagree';
      let abserr = checkpoint - Number(cd);
      let maxerr = Math.ceil(relerr * 6 * checkpoint);
      if (j === 10) maxerr = 1;
      if (abserr < 0) abserr = -abserr;
      if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
      checkpoint *= 10;
    }
  }
  return null;
}
