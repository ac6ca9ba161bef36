/*
 * Argument parsing shared by all commands, with Redis's exact rules:
 * integers as string2ll (no '+', no spaces, no leading zeros, 64-bit range),
 * doubles as strtod with Redis's rejections (spaces, NaN, overflow, trailing
 * bytes). Numbers beyond 2^53 come back as approximate JS numbers from toInt
 * and exact from toBigInt.
 */

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/** string2ll: the value as an exact bigint, or null. */
export function toBigInt(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) { if (n === 1) return null; i = 1; }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0n : null;
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < n; j++) { const c = s.charCodeAt(j); if (c < 48 || c > 57) return null; }
  const b = BigInt(s);
  return b > LLONG_MAX || b < LLONG_MIN ? null : b;
}

/** string2ll as a JS number (exact up to 2^53), or null. Fast path for short strings. */
export function toInt(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  if (n < 16) {
    let i = 0;
    let neg = false;
    if (s.charCodeAt(0) === 45) { if (n === 1) return null; neg = true; i = 1; }
    const c0 = s.charCodeAt(i);
    if (c0 === 48) return n === 1 ? 0 : null;
    let v = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
  const b = toBigInt(s);
  return b === null ? null : Number(b);
}

const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;

/** 10^0 .. 10^15, each exact in a double */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * strtod as Redis's getDoubleFromObject uses it: the whole string must parse,
 * no leading space, not NaN, no overflow or underflow to zero. null on error.
 */
export function toDouble(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  // fast path, what clients send nearly always: [+-]digits[.digits] of up to 15 digits
  let i = 0;
  let ch = s.charCodeAt(0);
  const neg = ch === 45;
  if (ch === 43 || neg) i = 1;
  let digits = 0;
  let dot = false;
  let mant = 0;
  let frac = 0;
  for (; i < n; i++) {
    ch = s.charCodeAt(i);
    if (ch >= 48 && ch <= 57) { digits++; mant = mant * 10 + (ch - 48); if (dot) frac++; }
    else if (ch === 46 && !dot) dot = true;
    else break;
  }
  if (i === n && digits > 0 && digits <= 15) {
    // the digits are an exact integer and 10^frac an exact power (frac <= 15), so one IEEE division is the
    // correctly rounded value, strtod's (Clinger's fast path); longer decimals take V8's parse below
    const v = frac === 0 ? mant : mant / POW10[frac]!;
    return neg ? -v : v;
  }
  if (DEC_RE.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null;
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null;
    return v;
  }
  const inf = INF_RE.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  const hex = HEX_RE.exec(s);
  if (hex && (hex[2]!.length > 0 || (hex[3] ?? '').length > 0)) {
    const frac = hex[3] ?? '';
    let v = parseInt(hex[2]! || '0', 16);
    for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
    v *= 2 ** Number(hex[4] ?? 0);
    if (!Number.isFinite(v)) return null;
    return hex[1] === '-' ? -v : v;
  }
  return null;
}

/** Case-insensitive keyword test for option parsing. */
export const is = (arg: string | undefined, kw: string): boolean =>
  arg !== undefined && arg.length === kw.length && arg.toLowerCase() === kw;

/** Bytes of the shortest RESP bulk string among `lens` lengths ("$<len>\r\n<bytes>\r\n"); 0 for none. */
export function minBulkBytes(strings: Iterable<string>): number {
  let min = Infinity;
  for (const m of strings) if (m.length < min) min = m.length;
  return min === Infinity ? 0 : String(min).length + min + 5;
}
