/*
 * sin, cos and asin rounded as glibc's libm rounds them (correctly, to the
 * nearest double, for all practical purposes), where V8's fdlibm ports are
 * only faithful (off by one ulp now and then). Geo distances are stored at
 * full precision (GEOSEARCHSTORE ... STOREDIST), so one ulp shows.
 *
 * Method: the value in double-double arithmetic (~106 bits) by Taylor series
 * on a reduced argument (|r| <= pi/2, using pi in three parts so the
 * reduction is exact enough), then rounded once; asin takes one Newton step
 * in double-double from Math.asin. Arguments beyond [-pi, pi] fall back to
 * Math.sin / Math.cos (no geo computation of a stored value needs them).
 */

const SPLIT = 134217729; // 2^27 + 1

const PI_HI = 3.141592653589793;
const PI_MID = 1.2246467991473532e-16;
const PI_LO = -2.9947698097183397e-33;
const PIO2_HI = PI_HI / 2;
const PIO2_MID = PI_MID / 2;
const PIO2_LO = PI_LO / 2;
const PIO4 = PIO2_HI / 2;

/** a double-double: hi + lo, |lo| <= ulp(hi) / 2 */
type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

function ddAdd(a: DD, b: DD): DD {
  const s = twoSum(a[0], b[0]);
  const t = twoSum(a[1], b[1]);
  let r = quickTwoSum(s[0], s[1] + t[0]);
  r = quickTwoSum(r[0], r[1] + t[1]);
  return r;
}

function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a[0], b[0]);
  return quickTwoSum(p[0], p[1] + (a[0] * b[1] + a[1] * b[0]));
}

function ddDivNum(a: DD, n: number): DD {
  const q1 = a[0] / n;
  const p = twoProd(q1, n);
  const r = ddAdd(a, [-p[0], -p[1]]);
  const q2 = r[0] / n;
  return quickTwoSum(q1, q2);
}

/** sin(r) for |r| <= pi/2, in double-double. */
function sinDD(r: DD): DD {
  const r2 = ddMul(r, r);
  let term: DD = r;
  let sum: DD = r;
  for (let k = 1; k < 40; k++) {
    term = ddDivNum(ddMul(term, r2), (2 * k) * (2 * k + 1));
    sum = ddAdd(sum, k % 2 === 1 ? [-term[0], -term[1]] : term);
    if (Math.abs(term[0]) < 1e-36 * Math.abs(sum[0]) || term[0] === 0) break;
  }
  return sum;
}

/** cos(r) for |r| <= pi/4, in double-double. */
function cosDD(r: DD): DD {
  const r2 = ddMul(r, r);
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let k = 1; k < 40; k++) {
    term = ddDivNum(ddMul(term, r2), (2 * k - 1) * (2 * k));
    sum = ddAdd(sum, k % 2 === 1 ? [-term[0], -term[1]] : term);
    if (Math.abs(term[0]) < 1e-36 || term[0] === 0) break;
  }
  return sum;
}

/** x0 + mid + lo as double-double, where x0 is already exact. */
const reduced = (x0: number, mid: number, lo: number): DD => ddAdd(ddAdd([x0, 0], [mid, 0]), [lo, 0]);

/** sin(x), correctly rounded for |x| <= pi. */
export function crSin(x: number): number {
  const a = Math.abs(x);
  if (!(a <= PI_HI) || a === 0) return Math.sin(x);
  let r: DD;
  if (a <= PIO2_HI) r = [a, 0];
  else r = reduced(PI_HI - a, PI_MID, PI_LO); // sin(a) = sin(pi - a); PI_HI - a is exact here
  const s = sinDD(r);
  const v = s[0] + s[1];
  return x < 0 ? -v : v;
}

/** cos(x), correctly rounded for |x| <= pi. */
export function crCos(x: number): number {
  const a = Math.abs(x);
  if (!(a <= PI_HI)) return Math.cos(x);
  if (a <= PIO4) {
    const c = cosDD([a, 0]);
    return c[0] + c[1];
  }
  // cos(a) = sin(pi/2 - a), PIO2_HI - a exact for a in [pi/4, pi]
  const s = sinDD(reduced(PIO2_HI - a, PIO2_MID, PIO2_LO));
  return s[0] + s[1];
}

/** asin(y), correctly rounded (one double-double Newton step from Math.asin). */
export function crAsin(y: number): number {
  const z0 = Math.asin(y);
  if (!Number.isFinite(z0) || y === 0 || Math.abs(y) === 1) return z0;
  const s = sinDD([z0, 0]);
  const e = ddAdd([y, 0], [-s[0], -s[1]]);
  return z0 + (e[0] + e[1]) / Math.cos(z0);
}
