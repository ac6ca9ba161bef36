/*
 * An exact emulation of C's `long double` on x86-64 (80-bit x87 extended:
 * 64-bit significand with explicit integer bit, 15-bit exponent, subnormals,
 * round-to-nearest-even), for the operations INCRBYFLOAT needs to match Redis
 * byte for byte: strtold as string2ld uses it (util.c), addition, and
 * printf("%.17Lf") as ld2string LD_STR_HUMAN formats it.
 *
 * A finite value is sign * m * 2^e with m a BigInt; after rounding either
 * 2^63 <= m < 2^64 (normal) or e === E_MIN and m < 2^63 (subnormal); m === 0n
 * is a (signed) zero. Every operation computes the exact rational result first
 * and rounds once, so results are correctly rounded like the hardware's.
 */

export interface LongDouble {
  /** 0 finite (m === 0n: zero), 1 infinity, 2 NaN */
  readonly kind: 0 | 1 | 2;
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
}

const MANT_BITS = 64;
/** exponent of the least significant bit of subnormals: 2^-16445 */
const E_MIN = -16382 - 63;
/** largest e of a finite value: m * 2^e < 2^16384 */
const E_MAX = 16383 - 63;
const TWO63 = 1n << 63n;
const TWO64 = 1n << 64n;
const TEN17 = 10n ** 17n;

export const LD_ZERO: LongDouble = { kind: 0, neg: false, m: 0n, e: 0 };
const INF: LongDouble = { kind: 1, neg: false, m: 0n, e: 0 };
const NEG_INF: LongDouble = { kind: 1, neg: true, m: 0n, e: 0 };
const NAN: LongDouble = { kind: 2, neg: false, m: 0n, e: 0 };

const HEX_CLZ = [4, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];

/** Number of significant bits of a positive bigint. */
function bitLength(n: bigint): number {
  const h = n.toString(16);
  return h.length * 4 - HEX_CLZ[parseInt(h[0]!, 16)]!;
}

/**
 * Round the exact positive value num/den * 2^exp2 to a long double
 * (nearest, ties to even). Overflow gives infinity, underflow a signed zero.
 */
function roundRational(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  // choose t so that q = floor(num * 2^t / den) has exactly 64 bits
  let t = MANT_BITS - (bitLength(num) - bitLength(den));
  for (;;) {
    const q = t >= 0 ? ((num << BigInt(t)) / den) : (num / (den << BigInt(-t)));
    if (q >= TWO64) { t--; continue; }
    if (q < TWO63) { t++; continue; }
    break;
  }
  let e = exp2 - t;
  if (e < E_MIN) { t -= E_MIN - e; e = E_MIN; }
  let n = num;
  let d = den;
  if (t >= 0) n <<= BigInt(t); else d <<= BigInt(-t);
  let q = n / d;
  const r2 = (n - q * d) * 2n;
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) q++;
  if (q === TWO64) { q = TWO63; e++; }
  if (q === 0n) return { kind: 0, neg, m: 0n, e: 0 };
  if (e > E_MAX) return neg ? NEG_INF : INF;
  return { kind: 0, neg, m: q, e };
}

export const isFiniteLd = (x: LongDouble): boolean => x.kind === 0;
export const isZeroLd = (x: LongDouble): boolean => x.kind === 0 && x.m === 0n;

/** An exact integer as a long double (rounded if beyond 64 bits). */
export function ldFromBigInt(v: bigint): LongDouble {
  if (v === 0n) return LD_ZERO;
  const neg = v < 0n;
  return roundRational(neg, neg ? -v : v, 1n, 0);
}

/** a + b, correctly rounded. */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 2 || b.kind === 2) return NAN;
  if (a.kind === 1) return b.kind === 1 && b.neg !== a.neg ? NAN : a;
  if (b.kind === 1) return b;
  if (a.m === 0n) return b.m === 0n ? (a.neg && b.neg ? a : LD_ZERO) : b;
  if (b.m === 0n) return a;
  const emin = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - emin);
  const y = b.m << BigInt(b.e - emin);
  const s = (a.neg ? -x : x) + (b.neg ? -y : y);
  if (s === 0n) return LD_ZERO;
  return s < 0n ? roundRational(true, -s, 1n, emin) : roundRational(false, s, 1n, emin);
}

const DEC_RE = /^([+-]?)(?:([0-9]+)\.?([0-9]*)|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/** An exponent string as a number, clamped far beyond any meaningful range. */
function clampExp(s: string | undefined): number {
  if (s === undefined) return 0;
  const v = parseInt(s, 10);
  return Math.max(-1e9, Math.min(1e9, v));
}

/**
 * strtold with Redis's string2ld rules: the whole string must be a number
 * (decimal, hex float, inf/infinity), no leading space, not NaN, not out of
 * range (overflow, or underflow to zero). null when rejected.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= 5 * 1024) return null;
  let m = DEC_RE.exec(s);
  if (m !== null) {
    const neg = m[1] === '-';
    const intPart = m[2] ?? '';
    const frac = m[2] !== undefined ? m[3]! : m[4]!;
    let digits = (intPart + frac).replace(/^0+/, '');
    if (digits.length === 0) return neg ? { kind: 0, neg: true, m: 0n, e: 0 } : LD_ZERO;
    let k = clampExp(m[5]) - frac.length;
    const tz = digits.length - digits.replace(/0+$/, '').length;
    if (tz > 0) { digits = digits.slice(0, digits.length - tz); k += tz; }
    const mag = digits.length + k; // value is in [10^(mag-1), 10^mag)
    if (mag > 4935) return null; // overflow
    if (mag < -4952) return null; // underflow to zero
    const d = BigInt(digits);
    const r = k >= 0 ? roundRational(neg, d * 10n ** BigInt(k), 1n, 0) : roundRational(neg, d, 10n ** BigInt(-k), 0);
    return r.kind !== 0 || r.m === 0n ? null : r;
  }
  m = HEX_RE.exec(s);
  if (m !== null) {
    const neg = m[1] === '-';
    const intPart = m[2] ?? '';
    const frac = m[2] !== undefined ? m[3]! : m[4]!;
    const digits = (intPart + frac).replace(/^0+/, '');
    if (digits.length === 0) return neg ? { kind: 0, neg: true, m: 0n, e: 0 } : LD_ZERO;
    const exp2 = clampExp(m[5]) - 4 * frac.length;
    const mag = exp2 + digits.length * 4;
    if (mag > 16400) return null;
    if (mag < -16500) return null;
    const r = roundRational(neg, BigInt('0x' + digits), 1n, exp2);
    return r.kind !== 0 || r.m === 0n ? null : r;
  }
  m = INF_RE.exec(s);
  if (m !== null) return m[1] === '-' ? NEG_INF : INF;
  return null;
}

/** printf("%.17Lf") of a finite value. */
export function formatFixed17(x: LongDouble): string {
  if (x.kind === 1) return x.neg ? '-inf' : 'inf';
  if (x.kind === 2) return x.neg ? '-nan' : 'nan';
  let q: bigint;
  if (x.e >= 0) {
    q = (x.m << BigInt(x.e)) * TEN17;
  } else {
    const shift = BigInt(-x.e);
    const n = x.m * TEN17;
    q = n >> shift;
    const r = n - (q << shift);
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  const s = q.toString().padStart(18, '0');
  return (x.neg ? '-' : '') + s.slice(0, s.length - 17) + '.' + s.slice(s.length - 17);
}

/** ld2string(LD_STR_HUMAN): %.17Lf, trailing zeros (and a bare '.') removed, "-0" as "0". */
export function formatHuman(x: LongDouble): string {
  if (x.kind === 1) return x.neg ? '-inf' : 'inf';
  let s = formatFixed17(x);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  s = s.slice(0, end);
  return s === '-0' ? '0' : s;
}

// ---- doubles ------------------------------------------------------------------

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A finite double as (neg, m, e) with value m * 2^e exactly; null for inf/NaN. */
function splitDouble(d: number): { neg: boolean; m: bigint; e: number } | null {
  if (!Number.isFinite(d)) return null;
  F64[0] = d;
  const bits = U64[0]!;
  const neg = (bits >> 63n) === 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (exp === 0) return { neg, m: frac, e: -1074 };
  return { neg, m: frac | 0x10000000000000n, e: exp - 1075 };
}

/** A double converted to long double (exact, as the C conversion is). */
export function ldFromDouble(d: number): LongDouble {
  if (Number.isNaN(d)) return NAN;
  if (d === Infinity) return INF;
  if (d === -Infinity) return NEG_INF;
  const s = splitDouble(d)!;
  if (s.m === 0n) return { kind: 0, neg: s.neg, m: 0n, e: 0 };
  return roundRational(s.neg, s.m, 1n, s.e);
}

/**
 * printf("%.<digits>f") of a double as glibc prints it: the exact binary
 * value rounded half-to-even at the last digit, "-" kept on negative zero
 * and on negatives that round to zero, "inf"/"-inf"/"nan"/"-nan".
 */
export function formatDoubleFixed(d: number, digits: number): string {
  if (Number.isNaN(d)) return '-nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const s = splitDouble(d)!;
  const scale = 10n ** BigInt(digits);
  let q: bigint;
  if (s.e >= 0) {
    q = (s.m << BigInt(s.e)) * scale;
  } else {
    const shift = BigInt(-s.e);
    const n = s.m * scale;
    q = n >> shift;
    const r = n - (q << shift);
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  const str = q.toString().padStart(digits + 1, '0');
  const int = str.slice(0, str.length - digits);
  return (s.neg ? '-' : '') + (digits > 0 ? int + '.' + str.slice(str.length - digits) : int);
}
