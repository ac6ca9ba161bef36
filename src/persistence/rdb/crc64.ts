/*
 * CRC-64/Jones as Redis computes it (redis/src/crc64.c): reflected input and
 * output, polynomial 0xad93d23594c935a9, init 0, no final xor. Check value:
 * crc64("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * JS has no fast 64-bit integers, so the CRC runs as two 32-bit halves (hi/lo)
 * with slice-by-8 tables (8 x 256 entries per half): eight input bytes per
 * step. BigInt appears only at the API edges.
 */

const POLY_HI = 0x95ac9329; // reflected 0xad93d23594c935a9 = 0x95ac9329ac4bc9b5
const POLY_LO = 0xac4bc9b5;

const THI = new Uint32Array(8 * 256);
const TLO = new Uint32Array(8 * 256);

(function build() {
  for (let n = 0; n < 256; n++) {
    let hi = 0;
    let lo = n;
    for (let k = 0; k < 8; k++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi >>>= 1;
      if (bit) { hi = (hi ^ POLY_HI) >>> 0; lo = (lo ^ POLY_LO) >>> 0; }
    }
    THI[n] = hi;
    TLO[n] = lo;
  }
  for (let t = 1; t < 8; t++) {
    for (let n = 0; n < 256; n++) {
      const phi = THI[(t - 1) * 256 + n]!;
      const plo = TLO[(t - 1) * 256 + n]!;
      const idx = plo & 0xff;
      // crc >> 8 ^ table[crc & 0xff]
      const shi = phi >>> 8;
      const slo = ((plo >>> 8) | ((phi & 0xff) << 24)) >>> 0;
      THI[t * 256 + n] = (shi ^ THI[idx]!) >>> 0;
      TLO[t * 256 + n] = (slo ^ TLO[idx]!) >>> 0;
    }
  }
})();

/** Running CRC state as two 32-bit halves. */
export class Crc64 {
  hi = 0;
  lo = 0;

  constructor(init = 0n) {
    this.hi = Number((init >> 32n) & 0xffffffffn);
    this.lo = Number(init & 0xffffffffn);
  }

  /**
   * Continue over data[start, end): whole 8-byte blocks in runs of at most 4 KB (blocks()), then the last bytes
   * one at a time (tail()). Each loop is a function of its own, called often, so V8 optimizes it whole. As one
   * loop over a save's 64 KB chunk with the byte loop after it, the first call was optimized on-stack (OSR) before
   * the byte loop had ever run; with no type feedback there, nearly every later call deoptimized on reaching it and
   * went on unoptimized, boxing a number per 8 bytes: 2 bytes of garbage per byte checksummed (half of all a 1M-key
   * BGSAVE allocated, a scavenge every ~60 ms of a full sync) at a third of the speed.
   */
  update(data: Uint8Array, start = 0, end = data.length): this {
    const end8 = end - ((end - start) & 7);
    for (let s = start; s < end8;) {
      const e = Math.min(end8, s + 4096);
      this.blocks(data, s, e);
      s = e;
    }
    if (end8 < end) this.tail(data, end8, end);
    return this;
  }

  /** data[i, end), a whole number of 8-byte blocks: slice-by-8 */
  private blocks(data: Uint8Array, i: number, end: number): void {
    let hi = this.hi;
    let lo = this.lo;
    while (i < end) {
      const l = (lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      const h = (hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24))) >>> 0;
      const a = 7 * 256 + (l & 0xff);
      const b = 6 * 256 + ((l >>> 8) & 0xff);
      const c = 5 * 256 + ((l >>> 16) & 0xff);
      const d = 4 * 256 + (l >>> 24);
      const e = 3 * 256 + (h & 0xff);
      const f = 2 * 256 + ((h >>> 8) & 0xff);
      const g = 256 + ((h >>> 16) & 0xff);
      const k = h >>> 24;
      hi = (THI[a]! ^ THI[b]! ^ THI[c]! ^ THI[d]! ^ THI[e]! ^ THI[f]! ^ THI[g]! ^ THI[k]!) >>> 0;
      lo = (TLO[a]! ^ TLO[b]! ^ TLO[c]! ^ TLO[d]! ^ TLO[e]! ^ TLO[f]! ^ TLO[g]! ^ TLO[k]!) >>> 0;
      i += 8;
    }
    this.hi = hi;
    this.lo = lo;
  }

  /** data[i, end), a byte at a time */
  private tail(data: Uint8Array, i: number, end: number): void {
    let hi = this.hi;
    let lo = this.lo;
    for (; i < end; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ TLO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ THI[idx]!) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  get value(): bigint { return (BigInt(this.hi) << 32n) | BigInt(this.lo); }

  /** The CRC as 8 little-endian bytes (Redis's on-disk form). */
  bytes(): Buffer {
    const b = Buffer.allocUnsafe(8);
    b.writeUInt32LE(this.lo, 0);
    b.writeUInt32LE(this.hi, 4);
    return b;
  }

  /** True when the 8 little-endian bytes at buf[off] equal this CRC. */
  matches(buf: Uint8Array, off: number): boolean {
    const lo = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
    const hi = (buf[off + 4]! | (buf[off + 5]! << 8) | (buf[off + 6]! << 16) | (buf[off + 7]! << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

/** crc64(crc, data) as Redis's crc64(): continue from `crc` (0 to start). */
export function crc64(data: Uint8Array, crc = 0n): bigint {
  return new Crc64(crc).update(data).value;
}
