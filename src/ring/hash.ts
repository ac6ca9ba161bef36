/*
 * Key hashes of twemproxy's hashkit (twitter/twemproxy src/hashkit/nc_*.c),
 * re-implemented from the algorithms, bit for bit as nutcracker 0.5.0 on
 * x86-64 Linux computes them.
 *
 * Invariants:
 * - Input is key[from, to) of a latin1 ("binary") string: one char = one byte.
 * - Every function returns an unsigned 32-bit integer and allocates nothing.
 * - twemproxy reads bytes through `const char *`, and char is signed on
 *   x86-64, so where its C code widens a byte without masking it first
 *   (one_at_a_time, the four fnv variants, hsieh's 3-byte tail) a byte >= 0x80
 *   enters as 0xffffff80 | byte. We do the same (see sbyte()): that is what
 *   makes non-ASCII keys land where nutcracker puts them.
 * - twemproxy's crc16 never truncates its accumulator to 16 bits (it returns
 *   the whole uint32), unlike Redis Cluster's CRC16 in keyspace/hashslot.ts.
 * - fnv1_64 keeps a 64-bit state but returns its low 32 bits; the low 32 bits
 *   of a product depend only on the low 32 bits of its operands, so 32-bit
 *   arithmetic (Math.imul) gives the same result. fnv1a_64 is libmemcached's
 *   32-bit variant (64-bit constants truncated to 32 bits).
 * - md5 is RFC 1321; hash_md5 is the digest's first four bytes read
 *   little-endian. md5Words() exposes all four words for ketama's points.
 */

export type HashName =
  | 'one_at_a_time' | 'md5' | 'crc16' | 'crc32' | 'crc32a' | 'fnv1_64' | 'fnv1a_64'
  | 'fnv1_32' | 'fnv1a_32' | 'hsieh' | 'murmur' | 'jenkins';

/** hash(key[from, to)) as an unsigned 32-bit integer */
export type HashFn = (key: string, from: number, to: number) => number;

/** char widened the way twemproxy's C does it on x86-64: signed */
const sbyte = (c: number): number => (c << 24) >> 24;

// ---------------------------------------------------------------------------
// one_at_a_time (Bob Jenkins)

export function oneAtATime(key: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    v = (v + sbyte(key.charCodeAt(i))) | 0;
    v = (v + (v << 10)) | 0;
    v ^= v >>> 6;
  }
  v = (v + (v << 3)) | 0;
  v ^= v >>> 11;
  v = (v + (v << 15)) | 0;
  return v >>> 0;
}

// ---------------------------------------------------------------------------
// MD5 (RFC 1321) over a latin1 string range, no allocation per call

const MD5_K = new Int32Array(64);
for (let i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const block = new Int32Array(16);
/** the state after the last md5 call: words a, b, c, d (the digest, little-endian words) */
export const md5Words = new Int32Array(4);

function md5Block(st: Int32Array, x: Int32Array): void {
  let a = st[0]!, b = st[1]!, c = st[2]!, d = st[3]!;
  for (let i = 0; i < 64; i++) {
    let f: number, g: number;
    const r = i >> 4;
    if (r === 0) { f = (b & c) | (~b & d); g = i; }
    else if (r === 1) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
    else if (r === 2) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
    else { f = c ^ (b | ~d); g = (7 * i) & 15; }
    const t = d;
    d = c;
    c = b;
    const s = MD5_S[(r << 2) | (i & 3)]!;
    const sum = (a + f + MD5_K[i]! + x[g]!) | 0;
    b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    a = t;
  }
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
}

/** MD5 of key[from, to); the digest is left in md5Words */
export function md5Into(key: string, from: number, to: number): void {
  const st = md5Words;
  st[0] = 0x67452301; st[1] = 0xefcdab89 | 0; st[2] = 0x98badcfe | 0; st[3] = 0x10325476;
  const len = to - from;
  let i = from;
  for (; i + 64 <= to; i += 64) {
    for (let w = 0; w < 16; w++) {
      const p = i + (w << 2);
      block[w] = key.charCodeAt(p) | (key.charCodeAt(p + 1) << 8) | (key.charCodeAt(p + 2) << 16) | (key.charCodeAt(p + 3) << 24);
    }
    md5Block(st, block);
  }
  // tail, the 0x80 marker and the bit length
  block.fill(0);
  let n = 0;
  for (; i < to; i++, n++) block[n >> 2]! |= (key.charCodeAt(i) & 0xff) << ((n & 3) << 3);
  block[n >> 2]! |= 0x80 << ((n & 3) << 3);
  if (n >= 56) {
    md5Block(st, block);
    block.fill(0);
  }
  block[14] = (len << 3) | 0;
  block[15] = Math.floor(len / 0x20000000) | 0;
  md5Block(st, block);
}

export function md5(key: string, from: number, to: number): number {
  md5Into(key, from, to);
  return md5Words[0]! >>> 0;
}

/** the 16-byte MD5 digest of a latin1 string, as a Buffer (tests, tools) */
export function md5Digest(key: string): Buffer {
  md5Into(key, 0, key.length);
  const out = Buffer.alloc(16);
  for (let w = 0; w < 4; w++) out.writeInt32LE(md5Words[w]!, w * 4);
  return out;
}

// ---------------------------------------------------------------------------
// CRC16 (XMODEM table, 32-bit accumulator as twemproxy keeps it), CRC32

const CRC16_TAB = new Uint16Array(256);
const CRC32_TAB = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  CRC16_TAB[i] = c;
  let r = i;
  for (let j = 0; j < 8; j++) r = r & 1 ? (r >>> 1) ^ 0xedb88320 : r >>> 1;
  CRC32_TAB[i] = r;
}

export function crc16(key: string, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = (crc << 8) ^ CRC16_TAB[((crc >>> 8) ^ key.charCodeAt(i)) & 0xff]!;
  return crc >>> 0;
}

function crc32Raw(key: string, from: number, to: number): number {
  let crc = -1;
  for (let i = from; i < to; i++) crc = (crc >>> 8) ^ CRC32_TAB[(crc ^ key.charCodeAt(i)) & 0xff]!;
  return ~crc;
}

/** libmemcached's crc32: bits 16..30 of the CRC */
export function crc32(key: string, from: number, to: number): number {
  return (crc32Raw(key, from, to) >>> 16) & 0x7fff;
}

/** the standard CRC-32 (zlib) */
export function crc32a(key: string, from: number, to: number): number {
  return crc32Raw(key, from, to) >>> 0;
}

// ---------------------------------------------------------------------------
// FNV

const FNV64_INIT_LO = 0x84222325 | 0;
const FNV64_PRIME_LO = 0x1b3;
const FNV32_INIT = 0x811c9dc5 | 0;
const FNV32_PRIME = 0x01000193;

export function fnv1_64(key: string, from: number, to: number): number {
  let h = FNV64_INIT_LO;
  for (let i = from; i < to; i++) h = Math.imul(h, FNV64_PRIME_LO) ^ sbyte(key.charCodeAt(i));
  return h >>> 0;
}

export function fnv1a_64(key: string, from: number, to: number): number {
  let h = FNV64_INIT_LO;
  for (let i = from; i < to; i++) h = Math.imul(h ^ sbyte(key.charCodeAt(i)), FNV64_PRIME_LO);
  return h >>> 0;
}

export function fnv1_32(key: string, from: number, to: number): number {
  let h = FNV32_INIT;
  for (let i = from; i < to; i++) h = Math.imul(h, FNV32_PRIME) ^ sbyte(key.charCodeAt(i));
  return h >>> 0;
}

export function fnv1a_32(key: string, from: number, to: number): number {
  let h = FNV32_INIT;
  for (let i = from; i < to; i++) h = Math.imul(h ^ sbyte(key.charCodeAt(i)), FNV32_PRIME);
  return h >>> 0;
}

// ---------------------------------------------------------------------------
// Paul Hsieh's SuperFastHash (generic byte-order get16bits)

export function hsieh(key: string, from: number, to: number): number {
  let len = to - from;
  if (len <= 0) return 0;
  let h = 0;
  const rem = len & 3;
  len >>>= 2;
  let p = from;
  for (; len > 0; len--) {
    h = (h + (key.charCodeAt(p) | (key.charCodeAt(p + 1) << 8))) | 0;
    const tmp = ((key.charCodeAt(p + 2) | (key.charCodeAt(p + 3) << 8)) << 11) ^ h;
    h = (h << 16) ^ tmp;
    p += 4;
    h = (h + (h >>> 11)) | 0;
  }
  switch (rem) {
    case 3:
      h = (h + (key.charCodeAt(p) | (key.charCodeAt(p + 1) << 8))) | 0;
      h ^= h << 16;
      h ^= sbyte(key.charCodeAt(p + 2)) << 18;
      h = (h + (h >>> 11)) | 0;
      break;
    case 2:
      h = (h + (key.charCodeAt(p) | (key.charCodeAt(p + 1) << 8))) | 0;
      h ^= h << 11;
      h = (h + (h >>> 17)) | 0;
      break;
    case 1:
      h = (h + key.charCodeAt(p)) | 0;
      h ^= h << 10;
      h = (h + (h >>> 1)) | 0;
      break;
  }
  h ^= h << 3;
  h = (h + (h >>> 5)) | 0;
  h ^= h << 4;
  h = (h + (h >>> 17)) | 0;
  h ^= h << 25;
  h = (h + (h >>> 6)) | 0;
  return h >>> 0;
}

// ---------------------------------------------------------------------------
// MurmurHash2 with libmemcached's seed

export function murmur(key: string, from: number, to: number): number {
  const m = 0x5bd1e995;
  let len = to - from;
  let h = Math.imul(0xdeadbeef | 0, len) ^ len;
  let p = from;
  while (len >= 4) {
    let k = key.charCodeAt(p) | (key.charCodeAt(p + 1) << 8) | (key.charCodeAt(p + 2) << 16) | (key.charCodeAt(p + 3) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
    p += 4;
    len -= 4;
  }
  switch (len) {
    case 3: h ^= key.charCodeAt(p + 2) << 16; // falls through
    case 2: h ^= key.charCodeAt(p + 1) << 8; // falls through
    case 1: h ^= key.charCodeAt(p); h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h >>> 0;
}

// ---------------------------------------------------------------------------
// Bob Jenkins' lookup3 hashlittle, initval 13 (every alignment branch of the
// C code computes this same byte-wise function on little-endian machines)

const rot = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export function jenkins(key: string, from: number, to: number): number {
  let len = to - from;
  let a = (0xdeadbeef + len + 13) | 0;
  let b = a, c = a;
  let p = from;
  const at = (i: number): number => key.charCodeAt(p + i);
  while (len > 12) {
    a = (a + (at(0) | (at(1) << 8) | (at(2) << 16) | (at(3) << 24))) | 0;
    b = (b + (at(4) | (at(5) << 8) | (at(6) << 16) | (at(7) << 24))) | 0;
    c = (c + (at(8) | (at(9) << 8) | (at(10) << 16) | (at(11) << 24))) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    len -= 12;
    p += 12;
  }
  if (len === 0) return c >>> 0;
  switch (len) {
    case 12: c = (c + (at(11) << 24)) | 0; // falls through
    case 11: c = (c + (at(10) << 16)) | 0; // falls through
    case 10: c = (c + (at(9) << 8)) | 0; // falls through
    case 9: c = (c + at(8)) | 0; // falls through
    case 8: b = (b + (at(7) << 24)) | 0; // falls through
    case 7: b = (b + (at(6) << 16)) | 0; // falls through
    case 6: b = (b + (at(5) << 8)) | 0; // falls through
    case 5: b = (b + at(4)) | 0; // falls through
    case 4: a = (a + (at(3) << 24)) | 0; // falls through
    case 3: a = (a + (at(2) << 16)) | 0; // falls through
    case 2: a = (a + (at(1) << 8)) | 0; // falls through
    case 1: a = (a + at(0)) | 0;
  }
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}

// ---------------------------------------------------------------------------

export const HASHES: Readonly<Record<HashName, HashFn>> = Object.freeze({
  one_at_a_time: oneAtATime, md5, crc16, crc32, crc32a, fnv1_64, fnv1a_64,
  fnv1_32, fnv1a_32, hsieh, murmur, jenkins,
});

export const HASH_NAMES = Object.freeze(Object.keys(HASHES)) as readonly HashName[];

export function isHashName(s: string): s is HashName {
  return Object.prototype.hasOwnProperty.call(HASHES, s);
}
