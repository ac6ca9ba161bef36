/*
 * Reply encoding for RESP2 and RESP3.
 *
 * ReplyBuffer accumulates one read's worth of replies in a latin1 string
 * (`out`); the connection writes it to the socket once per read. Each method
 * picks the wire form for the client's protocol: maps, sets, doubles,
 * booleans, nulls and verbatim strings degrade to their RESP2 shapes exactly as
 * Redis's addReply* functions do (redis/src/networking.c).
 *
 * Nothing here imports from the rest of the project.
 */

export const CRLF = '\r\n';

/** printf("%.17g")-style formatting used for scores and doubles on the wire. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return formatG(d, 17);
}

/**
 * C's %.<prec>g: %e or %f by the exponent rule, trailing zeros removed.
 * JS's toExponential rounds exact ties up, C rounds them to even: ties
 * (the exact binary value ends in a 5 right after the last kept digit) are
 * detected and fixed on a slow path.
 */
export function formatG(d: number, prec: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  let e = d.toExponential(prec - 1);
  if (!(Number.isInteger(d) && Math.abs(d) < 10 ** prec)) { // small integers cannot tie
    const tie = tieToEven(d, prec);
    if (tie !== null) e = tie;
  }
  const ei = e.indexOf('e');
  const exp = Number(e.slice(ei + 1));
  if (exp < -4 || exp >= prec) {
    const mant = stripZeros(e.slice(0, ei));
    const a = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
  }
  // %f with the same (correctly rounded) significant digits, point shifted by exp
  const neg = e.charCodeAt(0) === 45;
  const digits = e.slice(neg ? 1 : 0, ei).replace('.', '');
  const body = exp >= 0
    ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
    : '0.' + '0'.repeat(-exp - 1) + digits;
  return (neg ? '-' : '') + stripZeros(body);
}

/** When |d| lies exactly halfway at `prec` digits and the kept last digit is even: C's result in %e form. */
function tieToEven(d: number, prec: number): string | null {
  const more = d.toExponential(prec);
  const ei = more.indexOf('e');
  if (more.charCodeAt(ei - 1) !== 53 /* '5' */) return null;
  const neg = more.charCodeAt(0) === 45 ? 1 : 0;
  const digits = more.slice(neg, ei).replace('.', '');
  const exp10 = Number(more.slice(ei + 1));
  if (!exactDecimal(BigInt(digits), exp10 - prec, Math.abs(d))) return null;
  const kept = digits.slice(0, prec);
  if ((kept.charCodeAt(prec - 1) - 48) % 2 !== 0) return null; // odd: rounding up is right
  const mant = prec > 1 ? kept[0] + '.' + kept.slice(1) : kept;
  return (neg ? '-' : '') + mant + 'e' + (exp10 < 0 ? '-' : '+') + Math.abs(exp10);
}

/** digits * 10^pow10 === x exactly (x > 0, finite)? */
function exactDecimal(digits: bigint, pow10: number, x: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const bits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let e2 = -1074;
  if (bits !== 0) { mant |= 1n << 52n; e2 = bits - 1075; }
  let l = digits;
  let r = mant;
  if (pow10 >= 0) l *= 10n ** BigInt(pow10); else r *= 10n ** BigInt(-pow10);
  if (e2 >= 0) r <<= BigInt(e2); else l <<= BigInt(-e2);
  return l === r;
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

export class ReplyBuffer {
  /** pending output for this read, latin1 */
  out = '';
  /** protocol version: 2 or 3 */
  resp: 2 | 3 = 2;

  /** Raw protocol text (already encoded). */
  raw(s: string): void { this.out += s; }

  ok(): void { this.out += '+OK\r\n'; }

  simple(s: string): void { this.out += '+' + s + CRLF; }

  /** An error line; `line` is the full text without the leading '-'. */
  error(line: string): void { this.out += '-' + line + CRLF; }

  int(n: number | bigint): void { this.out += ':' + n + CRLF; }

  bulk(s: string): void { this.out += '$' + s.length + CRLF + s + CRLF; }

  /** A bulk string or a null. */
  bulkOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.null();
    else this.out += '$' + s.length + CRLF + s + CRLF;
  }

  /** Null bulk string ($-1) in RESP2, _ in RESP3. */
  null(): void { this.out += this.resp === 3 ? '_\r\n' : '$-1\r\n'; }

  /** Null array (*-1) in RESP2, _ in RESP3. */
  nullArray(): void { this.out += this.resp === 3 ? '_\r\n' : '*-1\r\n'; }

  array(n: number): void { this.out += '*' + n + CRLF; }

  /** A map of n pairs: %n in RESP3, a flat array of 2n in RESP2. */
  map(n: number): void { this.out += this.resp === 3 ? '%' + n + CRLF : '*' + 2 * n + CRLF; }

  /** A set: ~n in RESP3, an array in RESP2. */
  set(n: number): void { this.out += (this.resp === 3 ? '~' : '*') + n + CRLF; }

  /** An out-of-band push: >n in RESP3, an array in RESP2 (pub/sub messages). */
  push(n: number): void { this.out += (this.resp === 3 ? '>' : '*') + n + CRLF; }

  /** A double: ,d in RESP3, a bulk string in RESP2 (%.17g). */
  double(d: number): void {
    const s = formatDouble(d);
    this.out += this.resp === 3 ? ',' + s + CRLF : '$' + s.length + CRLF + s + CRLF;
  }

  /** A boolean: #t/#f in RESP3, :1/:0 in RESP2. */
  bool(b: boolean): void { this.out += this.resp === 3 ? (b ? '#t\r\n' : '#f\r\n') : b ? ':1\r\n' : ':0\r\n'; }

  /** A big number: (n in RESP3, a bulk string in RESP2. */
  bigNumber(s: string): void { this.out += this.resp === 3 ? '(' + s + CRLF : '$' + s.length + CRLF + s + CRLF; }

  /** Verbatim text (=len\r\ntxt:...) in RESP3, a bulk string in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) this.out += '=' + (s.length + 4) + CRLF + format + ':' + s + CRLF;
    else this.out += '$' + s.length + CRLF + s + CRLF;
  }

  /** An array of bulk strings. */
  bulks(items: readonly string[]): void {
    let o = '*' + items.length + CRLF;
    for (let i = 0; i < items.length; i++) { const s = items[i]!; o += '$' + s.length + CRLF + s + CRLF; }
    this.out += o;
  }

  /** The multi-line help reply of Redis's addReplyHelp: "<CMD> <subcommand> ..." then the lines. */
  help(cmd: string, lines: readonly string[]): void {
    const all = [`${cmd.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines,
      'HELP', '    Prints this help.'];
    this.array(all.length);
    for (const l of all) this.simple(l);
  }
}
