/*
 * Streaming RESP request parser (multibulk and inline), pull-based.
 *
 * feed() appends socket bytes; next() returns one command at a time as an
 * array of latin1 strings, or null when more bytes are needed. Pull-based so
 * that a client blocked mid-pipeline (BLPOP) leaves later commands unparsed,
 * as in Redis. On malformed input next() sets `error` (the full error line)
 * and returns null; the connection replies and closes.
 *
 * Large bulks are not re-concatenated on every chunk: once the parser knows
 * how many bytes it still needs, incoming chunks are queued and joined once.
 * Limits and error texts follow processMultibulkBuffer/processInlineBuffer in
 * redis/src/networking.c, including its quirks: header lines end at the first
 * '\r' (the byte after it is skipped unchecked), and a NUL byte hides any
 * later delimiter (Redis searches with strchr), so "*\0..." waits for more
 * input until the 64 KB inline limit trips.
 */
import { Buffer, constants as bufferConstants } from 'node:buffer';
import { MAX_STRING_ARG, bigArg, registerBigArg, releaseBigArg } from './big-args.js';
import {
  ERR_PROTO_BULK_COUNT_TOO_BIG, ERR_PROTO_INLINE_TOO_BIG, ERR_PROTO_INVALID_BULK, ERR_PROTO_INVALID_MBULK,
  ERR_PROTO_MBULK_COUNT_TOO_BIG, ERR_PROTO_UNAUTH_BULK, ERR_PROTO_UNAUTH_MBULK, ERR_PROTO_UNBALANCED,
  errProtoExpectedDollar,
} from './errors.js';

export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** argv between two commands: startArgv makes each command's own (no empty array per command) */
const NO_ARGV: string[] = [];
/** argv arrays are allocated at their declared size up to this many arguments (Redis caps its argv the same way) */
const ARGV_PREALLOC = 1024;
const INT_MAX = 2147483647;
const EMPTY = Buffer.alloc(0);
/** The longest string V8 can make: a longer bulk becomes a big argument (big-args.ts). */
export const MAX_ARG_LEN = MAX_STRING_ARG;
/**
 * Returned by next() in place of a command that had an argument longer than
 * even a Buffer can hold (proto-max-bulk-len set past 4 GB, or no memory for
 * it): its bytes were skipped as they arrived, never buffered, and the
 * connection answers 'argument too long' and goes on with the next command.
 * Compared by identity.
 */
export const OVERSIZED_COMMAND: readonly string[] = Object.freeze(['']);
const CR = 13;

/** A Buffer for a big argument, or null when this process cannot make one that long. */
function allocBig(n: number): Buffer | null {
  if (n > bufferConstants.MAX_LENGTH) return null;
  try { return Buffer.allocUnsafe(n); } catch { return null; }
}
const LF = 10;

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** true while the client must still authenticate (tighter limits apply) */
  authRequired: boolean;
}

export class RespParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private queued: Buffer[] = [];
  private queuedLen = 0;
  /** bytes needed from pos before parsing can progress (0: any new byte may help) */
  private need = 0;
  /** waiting for the end of a header or inline line (no delimiter in what we have) */
  private waitLine = false;
  /** multibulk in progress */
  private argv: string[] = NO_ARGV;
  /** arguments of argv filled so far */
  private argc = 0;
  private remaining = 0;
  private bulkLen = -1;
  /** bytes of an oversized bulk (and its CRLF) still to drop as they arrive */
  private skip = 0;
  /** an oversized argument is being skipped (feed() may finish the skip; bulks() then accounts for it) */
  private skipping = false;
  /** the multibulk in progress had an oversized argument */
  private oversized = false;
  /** the big argument being gathered (a bulk past MAX_ARG_LEN: see big-args.ts), filled to bigAt */
  private big: Buffer | null = null;
  private bigAt = 0;
  error: string | null = null;
  /** short reason for the log, like Redis's setProtocolError */
  errorReason = '';
  /** true when the last command came in inline form */
  inline = false;
  /** empty inline lines skipped so far (a replica's newline while it loads refreshes its ACK time; Client resets it) */
  emptyLines = 0;

  constructor(readonly limits: ParserLimits) {}

  /** Bytes received but not yet consumed (the query buffer length). */
  get pending(): number {
    return this.buf.length - this.pos + this.queuedLen;
  }

  /** True between commands: every consumed byte belongs to a command returned by next() (a replica's applied offset). */
  get atBoundary(): boolean { return this.remaining === 0 && this.big === null && !this.skipping; }

  feed(data: Buffer): void {
    if (this.skip > 0 && this.pos >= this.buf.length && this.queuedLen === 0) {
      const n = Math.min(this.skip, data.length);
      this.consumeSkip(data, 0, n);
      if (n === data.length) return;
      data = data.subarray(n);
    }
    if (this.pos >= this.buf.length && this.queuedLen === 0) {
      this.buf = data;
      this.pos = 0;
      this.waitLine = false;
      return;
    }
    this.queued.push(data);
    this.queuedLen += data.length;
    if (this.waitLine) {
      // an unterminated line: only a chunk that may end it (or the size limit) is worth a join
      if (data.indexOf(CR) >= 0 || data.indexOf(LF) >= 0 || data.indexOf(0) >= 0 || this.pending > PROTO_INLINE_MAX_SIZE) this.join();
      return;
    }
    if (this.buf.length - this.pos + this.queuedLen >= this.need) this.join();
  }

  /**
   * The memory of `ab` is about to be reused (a read buffer shared by every connection: server/fastio.ts):
   * what is kept of it (the unconsumed rest of the last chunk fed) is copied out.
   */
  unshare(ab: ArrayBufferLike): void {
    const b = this.buf;
    if (b.buffer === ab) {
      this.buf = this.pos >= b.length ? EMPTY : Buffer.from(b.subarray(this.pos));
      this.pos = 0;
    }
    const q = this.queued;
    for (let i = 0; i < q.length; i++) if (q[i]!.buffer === ab) q[i] = Buffer.from(q[i]!);
  }

  private join(): void {
    const parts = [this.buf.subarray(this.pos), ...this.queued];
    this.buf = Buffer.concat(parts);
    this.pos = 0;
    this.queued = [];
    this.queuedLen = 0;
    this.waitLine = false;
  }

  /** Next complete command, or null (need more data, or `error` is set). */
  next(): string[] | null {
    if (this.error !== null) return null;
    if (this.queuedLen > 0) {
      if (this.waitLine || this.buf.length - this.pos + this.queuedLen < this.need) return null;
      this.join();
    }
    for (;;) {
      const buf = this.buf;
      if (this.pos >= buf.length) {
        if (this.skipping && this.skip === 0) {
          // feed() took the last bytes of a skipped or big argument: it ends here, with no byte after it
          const cmd = this.bulks();
          if (cmd !== null) { this.inline = false; return cmd; }
          return null;
        }
        if (this.remaining === 0 && buf !== EMPTY) { this.buf = EMPTY; this.pos = 0; }
        return null;
      }
      if (this.remaining === 0) {
        if (buf[this.pos] === 42 /* '*' */) {
          const r = this.multibulkHeader();
          if (r === 0) return null;
          if (r === 2) continue; // empty or negative count: nothing to run
        } else {
          this.inline = true;
          const cmd = this.inlineCommand();
          if (cmd === null) return null;
          if (cmd.length === 0) { this.emptyLines++; continue; }
          return cmd;
        }
      }
      const cmd = this.bulks();
      if (cmd !== null) { this.inline = false; return cmd; }
      return null;
    }
  }

  /** Drop what is buffered of an oversized bulk; true once all of it is gone. */
  private skipBuffered(): boolean {
    if (this.queuedLen > 0) this.join();
    const n = Math.min(this.skip, this.buf.length - this.pos);
    this.consumeSkip(this.buf, this.pos, n);
    this.pos += n;
    return this.skip === 0;
  }

  /** n bytes of a skipped bulk (and its CRLF) arrived: a big argument keeps its bytes, an oversized one drops them. */
  private consumeSkip(src: Buffer, start: number, n: number): void {
    const big = this.big;
    if (big !== null && this.bigAt < big.length) {
      const k = Math.min(n, big.length - this.bigAt);
      src.copy(big, this.bigAt, start, start + k);
      this.bigAt += k;
    }
    this.skip -= n;
  }

  private fail(line: string, reason: string): null {
    this.error = line;
    this.errorReason = reason;
    return null;
  }

  /** Parse "*<n>\r\n": 0 = need more / error, 1 = started, 2 = empty command consumed. */
  private multibulkHeader(): 0 | 1 | 2 {
    const buf = this.buf;
    // fast path: "*<1-9 digits>\r\n" with a positive count
    const p0 = this.pos;
    if (buf[p0 + 1] !== 48) {
      let i = p0 + 1;
      let n = 0;
      let c = buf[i];
      while (c !== undefined && c >= 48 && c <= 57 && i - p0 < 10) { n = n * 10 + c - 48; c = buf[++i]; }
      if (c === CR && buf[i + 1] === LF && i > p0 + 1 && (n <= 10 || !this.limits.authRequired)) {
        this.pos = i + 2;
        this.startArgv(n);
        return 1;
      }
    }
    const cr = findDelim(buf, CR, this.pos);
    if (cr < 0 || cr + 1 >= buf.length) {
      if (cr < 0 && buf.length - this.pos > PROTO_INLINE_MAX_SIZE) this.fail(ERR_PROTO_MBULK_COUNT_TOO_BIG, 'too big mbulk count string');
      this.need = 0;
      this.waitLine = cr < 0;
      return 0;
    }
    const n = parseLength(buf, this.pos + 1, cr);
    if (n === null || n > INT_MAX) { this.fail(ERR_PROTO_INVALID_MBULK, 'invalid mbulk count'); return 0; }
    if (n > 10 && this.limits.authRequired) { this.fail(ERR_PROTO_UNAUTH_MBULK, 'unauth mbulk count'); return 0; }
    this.pos = cr + 2;
    if (n <= 0) return 2;
    this.startArgv(n);
    return 1;
  }

  /** A multibulk of n arguments begins: argv sized up front (Redis caps its preallocation the same way). */
  private startArgv(n: number): void {
    this.remaining = n;
    this.argv = n <= ARGV_PREALLOC ? new Array<string>(n) : [];
    this.argc = 0;
    this.bulkLen = -1;
  }

  private bulks(): string[] | null {
    while (this.remaining > 0) {
      if (this.skipping) {
        // the argument is accounted for once all of its bytes are gone (remaining stays > 0 meanwhile, so next() comes back here)
        if (!this.skipBuffered()) { this.need = 0; return null; }
        this.skipping = false;
        this.argv[this.argc++] = this.big !== null ? registerBigArg(this.big) : '';
        this.big = null;
        this.remaining--;
        continue;
      }
      const buf = this.buf as Latin1Buffer;
      if (this.bulkLen < 0) {
        // fast path: "$<digits>\r\n" with a plain length, no native scan
        const p0 = this.pos;
        if (buf[p0] === 36 /* '$' */ && buf[p0 + 1] !== 48) {
          let i = p0 + 1;
          let n = 0;
          let c = buf[i];
          while (c !== undefined && c >= 48 && c <= 57 && i - p0 < 16) { n = n * 10 + c - 48; c = buf[++i]; }
          if (c === CR && buf[i + 1] === LF && i > p0 + 1 && n <= this.limits.maxBulkLen && (n <= 16384 || !this.limits.authRequired)) {
            this.pos = i + 2;
            this.bulkLen = n;
          }
        }
      }
      if (this.bulkLen < 0) {
        const cr = findDelim(buf, CR, this.pos);
        if (cr < 0 || cr + 1 >= buf.length) {
          if (cr < 0 && buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(ERR_PROTO_BULK_COUNT_TOO_BIG, 'too big bulk count string');
          this.need = 0;
          this.waitLine = cr < 0;
          return null;
        }
        if (buf[this.pos] !== 36 /* '$' */) {
          return this.fail(errProtoExpectedDollar(buf[this.pos]!), 'expected $ but got something else');
        }
        const n = parseLength(buf, this.pos + 1, cr);
        if (n === null || n < 0 || n > this.limits.maxBulkLen) return this.fail(ERR_PROTO_INVALID_BULK, 'invalid bulk length');
        if (n > 16384 && this.limits.authRequired) return this.fail(ERR_PROTO_UNAUTH_BULK, 'unauth bulk length');
        this.pos = cr + 2;
        this.bulkLen = n;
      }
      if (this.bulkLen > MAX_ARG_LEN) {
        // legal (under proto-max-bulk-len) but more than a string can hold: gathered into a Buffer of its own
        // as it arrives (big-args.ts); when not even a Buffer can hold it, skipped and the command fails
        this.big = allocBig(this.bulkLen);
        this.bigAt = 0;
        if (this.big === null) this.oversized = true;
        this.skip = this.bulkLen + 2;
        this.bulkLen = -1;
        this.skipping = true;
        continue;
      }
      const end = this.pos + this.bulkLen;
      if (end + 2 > buf.length) {
        this.need = this.bulkLen + 2;
        return null;
      }
      const n = this.bulkLen;
      this.argv[this.argc++] = n <= SHORT_ARG ? shortArg(buf, this.pos, end) : n <= FCC_MAX ? bytesString(buf, this.pos, n) : buf.latin1Slice(this.pos, end);
      this.pos = end + 2;
      this.bulkLen = -1;
      this.remaining--;
    }
    this.need = 0;
    const argv = this.argv;
    this.argv = NO_ARGV;
    if (this.oversized) {
      this.oversized = false;
      for (const a of argv) if (bigArg(a) !== undefined) releaseBigArg(a);
      return OVERSIZED_COMMAND as string[];
    }
    return argv;
  }

  /** One inline command; [] for an empty line; null when incomplete or on error. */
  private inlineCommand(): string[] | null {
    const buf = this.buf as Latin1Buffer;
    const lf = findDelim(buf, LF, this.pos);
    if (lf < 0) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(ERR_PROTO_INLINE_TOO_BIG, 'too big inline request');
      this.need = 0;
      this.waitLine = true;
      return null;
    }
    const end = lf > this.pos && buf[lf - 1] === CR ? lf - 1 : lf;
    const line = buf.latin1Slice(this.pos, end);
    const args = splitArgs(line);
    if (args === null) return this.fail(ERR_PROTO_UNBALANCED, 'unbalanced quotes in inline request');
    this.pos = lf + 1;
    return args;
  }
}

/** arguments up to this long are made by bytesString (longer ones by latin1Slice, which then costs about as much) */
const FCC_MAX = 24;

/**
 * The latin1 string of b[p, p + n), n <= FCC_MAX: String.fromCharCode with
 * the bytes as arguments, a builtin that makes a one-byte string without
 * leaving the compiled code, 20-45% of latin1Slice's cost at 9-24 bytes (a
 * native call); keys and short values are made here.
 */
function bytesString(b: Latin1Buffer, p: number, n: number): string {
  switch (n) {
    case 0: return '';
    case 1: return String.fromCharCode(b[p]!);
    case 2: return String.fromCharCode(b[p]!, b[p + 1]!);
    case 3: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!);
    case 4: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
    case 5: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!);
    case 6: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!);
    case 7: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!);
    case 8: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    case 9: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!);
    case 10: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!);
    case 11: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!);
    case 12: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!);
    case 13: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!);
    case 14: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!);
    case 15: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!);
    case 16: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!);
    case 17: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!);
    case 18: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!);
    case 19: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!, b[p + 18]!);
    case 20: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!);
    case 21: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!);
    case 22: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!, b[p + 21]!);
    case 23: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!, b[p + 21]!, b[p + 22]!);
    case 24: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!, b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!, b[p + 21]!, b[p + 22]!, b[p + 23]!);
    default: return b.latin1Slice(p, p + n);
  }
}

/**
 * Short arguments seen lately (command names, small values, counts, options),
 * by a hash of their bytes: a repeated one reuses the string seen before
 * ("GET" each time) instead of making a new one; the string is already old (no
 * young copy for the GC to move when it is stored) and its hash is computed.
 */
const SHORT_ARG = 8;
const argCache: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);

function shortArg(buf: Latin1Buffer, start: number, end: number): string {
  const len = end - start;
  let h = len;
  for (let i = start; i < end; i++) h = (h * 31 + buf[i]!) | 0;
  const slot = (h ^ (h >>> 10) ^ (h >>> 20)) & 1023;
  const s = argCache[slot];
  if (s !== undefined && s.length === len) {
    let i = 0;
    while (i < len && s.charCodeAt(i) === buf[start + i]) i++;
    if (i === len) return s;
  }
  const fresh = bytesString(buf, start, len);
  argCache[slot] = fresh;
  return fresh;
}

/**
 * Position of `delim` from `pos`, or -1 when absent or when a NUL byte comes
 * first (C's strchr stops there). Header lines are short, so the scan for the
 * NUL only runs over the bytes before the delimiter.
 */
function findDelim(buf: Buffer, delim: number, pos: number): number {
  const at = buf.indexOf(delim, pos);
  const end = at < 0 ? buf.length : at;
  for (let i = pos; i < end; i++) if (buf[i] === 0) return -1;
  return at;
}

const LLONG_MAX = 9223372036854775807n;

/** Redis's string2ll over buf[start, end): strict decimal, no '+', no leading zeros, 64-bit range. */
function parseLength(buf: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len === 0 || len > 20) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* '-' */) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 48 /* '0' */) return len === 1 ? 0 : null;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER) {
    // beyond 2^53 only the sign matters to callers, but the 64-bit range check decides validity
    const b = BigInt(buf.toString('latin1', neg ? start + 1 : start, end));
    if (b > (neg ? LLONG_MAX + 1n : LLONG_MAX)) return null;
    return neg ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  }
  return neg ? -n : n;
}

const isHex = (c: string): boolean => /[0-9a-fA-F]/.test(c);

/**
 * Split an inline request like Redis's sdssplitargs: isspace() characters are
 * skipped before a token, a token ends at a space, tab, CR or LF,
 * "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes'
 * take only \'. A closing quote must be followed by a space or the end.
 * Returns null for unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  const isSpace = (ch: string | undefined): boolean =>
    ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\v' || ch === '\f';
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      const ch = line[i];
      if (inDq) {
        if (ch === undefined) return null;
        if (ch === '\\' && line[i + 1] === 'x' && i + 3 < n && isHex(line[i + 2]!) && isHex(line[i + 3]!)) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (ch === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e!;
        } else if (ch === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          cur += ch;
        }
      } else if (inSq) {
        if (ch === undefined) return null;
        if (ch === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (ch === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          cur += ch;
        }
      } else {
        // a token ends at space, tab, CR or LF only (sdssplitargs); \v and \f are skipped before a token but kept inside one
        if (ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') break;
        if (ch === '"') inDq = true;
        else if (ch === "'") inSq = true;
        else cur += ch;
      }
      i++;
    }
    out.push(cur);
  }
}
