/*
 * LZF (liblzf 3.6, as vendored in redis/src/lzf_c.c and lzf_d.c) in
 * TypeScript. The compressor reproduces Redis's build options byte for byte
 * (HLOG 16, VERY_FAST, no ULTRA_FAST, pointer hash slots, a position can never
 * be referenced if it is the first byte of the input), so DUMP payloads of
 * compressible strings match Redis's. One difference: Redis leaves its hash
 * table uninitialized (stack garbage from earlier calls can, rarely, produce a
 * different but equally valid encoding); here it starts empty.
 *
 * Format: 000LLLLL + L+1 literal bytes; LLLooooo oooooooo: back reference of
 * L+2 bytes at offset o+1; 111ooooo LLLLLLLL oooooooo: back reference of L+9.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Hash slots: 1 + position (0 = empty), reused between calls (cleared per call by generation). */
const htab = new Int32Array(HSIZE);
const hgen = new Uint32Array(HSIZE);
let gen = 0;

const idx = (h: number): number => (((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1));

/**
 * lzf_compress(in[start,end), out, outLen): the compressed length, or 0 when
 * the result would not fit in outLen bytes (liblzf's exact bound checks).
 * `out` must have room for outLen bytes.
 */
export function lzfCompress(input: Uint8Array, out: Uint8Array, outLen: number, start = 0, end = input.length): number {
  const inLen = end - start;
  if (inLen === 0 || outLen === 0) return 0;
  if (++gen === 0xffffffff) { gen = 1; hgen.fill(0); }
  const g = gen;
  const ip0 = start;
  let ip = start;
  let op = 0;
  const outEnd = outLen;
  let lit = 0;
  op++; // start run
  let hval = ((input[ip]! << 8) | input[ip + 1]!) >>> 0;
  while (ip < end - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const ref = hgen[slot] === g ? htab[slot]! : -1;
    htab[slot] = ip;
    hgen[slot] = g;
    let off = 0;
    if (ref > ip0 && ref < ip && (off = ip - ref - 1) < MAX_OFF
        && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = end - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      }
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      // liblzf unrolls 16 comparisons when maxlen > 16 without checking maxlen
      // in between: a match can then run up to 2 bytes past maxlen. Same here.
      let stopped = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) { stopped = true; break; }
        }
      }
      if (!stopped) do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= end - 2) break;
      // VERY_FAST: hash the two positions before ip
      ip -= 2;
      hval = ((input[ip]! << 8) | input[ip + 1]!) >>> 0;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      let s = idx(hval);
      htab[s] = ip; hgen[s] = g;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      s = idx(hval);
      htab[s] = ip; hgen[s] = g;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < end) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  return op;
}

/**
 * lzf_decompress: decode in[start,end) into out (exactly outLen bytes expected
 * by the caller). Returns the decompressed length, or 0 on corrupt input or
 * when the output would not fit (E2BIG / EINVAL in liblzf).
 */
export function lzfDecompress(input: Uint8Array, start: number, end: number, out: Uint8Array, outLen: number): number {
  let ip = start;
  let op = 0;
  while (ip < end) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) { // literal run
      ctrl++;
      if (op + ctrl > outLen) return 0;
      if (ip + ctrl > end) return 0;
      for (let k = 0; k < ctrl; k++) out[op++] = input[ip++]!;
    } else { // back reference
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) return 0;
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= end) return 0;
      }
      ref -= input[ip++]!;
      if (op + len + 2 > outLen) return 0;
      if (ref < 0) return 0;
      len += 2;
      for (let k = 0; k < len; k++) out[op++] = out[ref++]!;
    }
  }
  return op;
}
