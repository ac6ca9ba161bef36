/*
 * Reply encoding for RESP2 and RESP3.
 *
 * ReplyBuffer encodes replies as bytes into a growable Buffer; the
 * connection writes it to the socket once per event-loop turn. Each method
 * picks the wire form for the client's protocol: maps, sets, doubles,
 * booleans, nulls and verbatim strings degrade to their RESP2 shapes exactly as
 * Redis's addReply* functions do (redis/src/networking.c).
 *
 * Nothing here imports from the rest of the project.
 */

import { Buffer, constants as bufferConstants } from 'node:buffer';

/** "00" ... "99" as byte pairs: DIGIT_PAIRS[2 * i], DIGIT_PAIRS[2 * i + 1] are the digits of i (head()) */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) { DIGIT_PAIRS[2 * i] = 48 + ((i / 10) | 0); DIGIT_PAIRS[2 * i + 1] = 48 + (i % 10); }

export const CRLF = '\r\n';

/** A bulk string's RESP text, for frames built as strings (pushes, stream entries). */
export const encodeBulk = (s: string): string => '$' + s.length + CRLF + s + CRLF;

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

/** Replies up to this many bytes are copied char by char (no native call). */
const SHORT_COPY = 32;
/** A reply buffer starts this big and doubles as needed. */
const FIRST_SIZE = 1024;
/** After a write, a buffer grown past this is dropped (a big reply does not pin its memory). */
const KEEP_MAX = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** The largest Buffer this Node can allocate. */
const MAX_OUTPUT = Math.min(2 ** 32 - 1, bufferConstants.MAX_LENGTH);

type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number, length: number): number; latin1Slice(start: number, end: number): string };

export class ReplyBuffer {
  /**
   * Pending output as bytes: `outBuf[0, outLen)`. Replies are encoded straight
   * into it (no string concatenation, no flattening before the socket write);
   * the connection writes it and, when the socket took every byte at once,
   * reuses it (see takeOutput).
   */
  protected outBuf: Buffer = EMPTY;
  outLen = 0;
  /** protocol version: 2 or 3 */
  resp: 2 | 3 = 2;

  /** Pending output as a latin1 string (tests, scripts, LATENCY rendering: not for the hot path). */
  get out(): string { return (this.outBuf as Latin1Buffer).latin1Slice(0, this.outLen); }
  set out(s: string) { this.outLen = 0; if (s.length > 0) this.str(s); }

  /** Drop pending output past `len` bytes (CLIENT REPLY OFF/SKIP). */
  truncateOutput(len: number): void { if (len < this.outLen) this.outLen = len; }

  /** The pending bytes for a socket write (a view: call outputWritten once the write returned). */
  takeOutput(): Buffer {
    const n = this.outLen;
    this.outLen = 0;
    // a reply size seen in one of the last two writes (a benchmark's, a poller's; a hit and a miss): that view again
    if (this.outViewOf !== this.outBuf) { this.outViewOf = this.outBuf; this.outView = EMPTY; this.outView2 = EMPTY; }
    const v = this.outView;
    if (v.length === n) return v;
    const v2 = this.outView2;
    this.outView2 = v;
    if (v2.length === n) return (this.outView = v2);
    return (this.outView = this.outBuf.subarray(0, n));
  }
  /** takeOutput's last two views (the last first), both of outViewOf */
  private outView: Buffer = EMPTY;
  private outView2: Buffer = EMPTY;
  private outViewOf: Buffer = EMPTY;

  /** After takeOutput's bytes went to the socket: keep the buffer when nothing references it. */
  outputWritten(socketDone: boolean): void {
    if (!socketDone || this.outBuf.length > KEEP_MAX) this.outBuf = EMPTY;
  }

  /**
   * Set once outputOverflow() fired: the client is being closed, its pending
   * output is dropped and whatever a running command still appends is thrown
   * away too. Loops whose length only the client bounds (SRANDMEMBER -N ...)
   * stop when they see it, as Redis's stop on CLIENT_CLOSE_ASAP.
   */
  closeAsap = false;

  /**
   * A reply of at least `bytes` more is about to be produced: when it cannot
   * fit under outputCap(), overflow now (true) instead of building it up to
   * the cap first. For replies whose size only a client's count bounds.
   */
  overflowsWith(bytes: number): boolean {
    if (this.closeAsap) return true;
    if (this.outLen + bytes <= this.outputCap()) return false;
    this.outputOverflow();
    this.closeAsap = true;
    this.outLen = 0;
    return true;
  }

  /** The most bytes pending output may reach (a client's output-buffer limit); checked whenever the buffer grows. */
  protected outputCap(): number { return MAX_OUTPUT; }

  /** Pending output would pass outputCap(): the owner decides (a Client closes itself, async). */
  protected outputOverflow(): void { throw new RangeError('reply larger than the output buffer can hold'); }

  private grow(need: number): void {
    if (this.outLen + need > this.outputCap()) {
      this.outputOverflow();
      this.closeAsap = true;
      this.outLen = 0;
      if (need <= this.outBuf.length) return;
    }
    let size = Math.max(FIRST_SIZE, this.outBuf.length * 2);
    while (size < this.outLen + need) size *= 2;
    // never allocate past the cap when the cap allows the need (a buffer grows to the limit, not twice it)
    const cap = this.outputCap();
    if (size > cap && this.outLen + need <= cap) size = cap;
    const b = Buffer.allocUnsafe(Math.min(size, MAX_OUTPUT));
    this.outBuf.copy(b, 0, 0, this.outLen);
    this.outBuf = b;
  }

  /** Append a latin1 string's bytes. */
  protected str(s: string): void {
    const n = s.length;
    if (this.outLen + n > this.outBuf.length) this.grow(n);
    if (n <= SHORT_COPY) {
      const b = this.outBuf;
      let p = this.outLen;
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
      this.outLen = p;
    } else {
      this.outLen += (this.outBuf as Latin1Buffer).latin1Write(s, this.outLen, n);
    }
  }

  /** Append "<c><n>\r\n" (a type byte, a decimal integer, CRLF). */
  protected head(c: number, n: number): void {
    if (this.outLen + 24 > this.outBuf.length) this.grow(24);
    const b = this.outBuf;
    let p = this.outLen;
    b[p++] = c;
    if (n >= 0 && n < 10) {
      b[p++] = 48 + n;
    } else if (n >= 0 && n <= 0x7fffffff) {
      // the length by comparisons, then two digits per division from a table (as Redis's ll2string): a division
      // per digit, twice, cost a third more per integer reply
      const digits = n < 100000 ? (n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5)
        : n < 10000000 ? (n < 1000000 ? 6 : 7) : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
      let q = p + digits;
      let m = n;
      while (m >= 100) {
        const t = (m / 100) | 0;
        const r = (m - t * 100) << 1;
        b[--q] = DIGIT_PAIRS[r + 1]!;
        b[--q] = DIGIT_PAIRS[r]!;
        m = t;
      }
      if (m >= 10) { b[--q] = DIGIT_PAIRS[(m << 1) + 1]!; b[--q] = DIGIT_PAIRS[m << 1]!; } else b[--q] = 48 + m;
      p += digits;
    } else {
      this.outLen = p;
      this.str(String(n));
      p = this.outLen;
    }
    b[p] = 13;
    b[p + 1] = 10;
    this.outLen = p + 2;
  }

  /** Append a bulk string: "$<len>\r\n<bytes>\r\n". */
  protected bulkBytes(s: string): void {
    this.head(36, s.length);
    this.str(s);
    this.crlf();
  }

  protected crlf(): void {
    if (this.outLen + 2 > this.outBuf.length) this.grow(2);
    this.outBuf[this.outLen] = 13;
    this.outBuf[this.outLen + 1] = 10;
    this.outLen += 2;
  }

  /** A bulk string from bytes (a value past V8's string limit, a DUMP payload). */
  bulkBuffer(b: Uint8Array): void {
    this.head(36, b.length);
    this.rawBytes(b);
    this.crlf();
  }

  /** Raw protocol text (already encoded). */
  raw(s: string): void { this.str(s); }

  /** Raw protocol bytes (a frame encoded once for many clients: pub/sub fan-out). */
  rawBytes(b: Uint8Array): void {
    const n = b.length;
    if (this.outLen + n > this.outBuf.length) this.grow(n);
    this.outBuf.set(b, this.outLen);
    this.outLen += n;
  }

  ok(): void { this.str('+OK\r\n'); }

  simple(s: string): void { this.str('+'); this.str(s); this.crlf(); }

  /** An error line; `line` is the full text without the leading '-'. */
  error(line: string): void {
    // framing safety net for errors built without errf: a CR or LF inside would end the line early
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) line = line.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/[\r\n]/g, ' ');
    this.str('-'); this.str(line); this.crlf();
  }

  int(n: number | bigint): void {
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0x7fffffff) this.head(58, n);
    else { this.str(':' + n); this.crlf(); }
  }

  bulk(s: string): void { this.bulkBytes(s); }

  /** A bulk string or a null. */
  bulkOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.null();
    else this.bulkBytes(s);
  }

  /** Null bulk string ($-1) in RESP2, _ in RESP3. */
  null(): void { this.str(this.resp === 3 ? '_\r\n' : '$-1\r\n'); }

  /** Null array (*-1) in RESP2, _ in RESP3. */
  nullArray(): void { this.str(this.resp === 3 ? '_\r\n' : '*-1\r\n'); }

  array(n: number): void { this.head(42, n); }

  /** A map of n pairs: %n in RESP3, a flat array of 2n in RESP2. */
  map(n: number): void { if (this.resp === 3) this.head(37, n); else this.head(42, 2 * n); }

  /** A set: ~n in RESP3, an array in RESP2. */
  set(n: number): void { this.head(this.resp === 3 ? 126 : 42, n); }

  /** An out-of-band push: >n in RESP3, an array in RESP2 (pub/sub messages). */
  push(n: number): void { this.head(this.resp === 3 ? 62 : 42, n); }

  /** A double: ,d in RESP3, a bulk string in RESP2 (%.17g). */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.resp === 3) { this.str(','); this.str(s); this.crlf(); } else this.bulkBytes(s);
  }

  /** A boolean: #t/#f in RESP3, :1/:0 in RESP2. */
  bool(b: boolean): void { this.str(this.resp === 3 ? (b ? '#t\r\n' : '#f\r\n') : b ? ':1\r\n' : ':0\r\n'); }

  /** A big number: (n in RESP3, a bulk string in RESP2. */
  bigNumber(s: string): void {
    if (this.resp === 3) { this.str('('); this.str(s); this.crlf(); } else this.bulkBytes(s);
  }

  /** Verbatim text (=len\r\ntxt:...) in RESP3, a bulk string in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) { this.head(61, s.length + 4); this.str(format + ':'); this.str(s); this.crlf(); } else this.bulkBytes(s);
  }

  /** An array of bulk strings. */
  bulks(items: readonly string[]): void {
    this.head(42, items.length);
    for (let i = 0; i < items.length; i++) this.bulkBytes(items[i]!);
  }

  /** The multi-line help reply of Redis's addReplyHelp: "<CMD> <subcommand> ..." then the lines. */
  help(cmd: string, lines: readonly string[]): void {
    const all = [`${cmd.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines,
      'HELP', '    Prints this help.'];
    this.array(all.length);
    for (const l of all) this.simple(l);
  }
}
