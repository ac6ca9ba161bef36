/*
 * Reading AOF command streams (Redis's loadSingleAppendOnlyFile parse loop):
 * "#..." annotation lines are skipped, every command is "*<argc>\r\n" then
 * argc times "$<len>\r\n<bytes>\r\n". Arguments come out as latin1 strings.
 *
 * next() returns a command, null at a clean end, or sets `status`:
 * 'truncated' when the file ends inside a command (a crash mid-write: the
 * caller may cut the file at `validUpTo`), 'format' on bytes that cannot be
 * an AOF (the offset of the bad line is in `errorOffset`). Like Redis, a line
 * is read up to '\n' (at most 1024 bytes), numbers are parsed as atoi/strtol
 * would, and the CRLF after an argument is skipped unchecked.
 *
 * An argument past V8's string limit (a big string value) comes out as a
 * big-argument token (protocol/big-args.ts) over a copy of its bytes; tokens
 * are released once their command ran: at the next call, or after EXEC when
 * the command was inside MULTI (the loader replays a transaction at EXEC).
 */
import { MAX_STRING_ARG, registerBigArg, releaseBigArg } from '../../protocol/big-args.js';

export type ReadStatus = 'ok' | 'truncated' | 'format';

const LINE_MAX = 1024;
const MAX_STRING = MAX_STRING_ARG;

export class AofReader {
  pos: number;
  status: ReadStatus = 'ok';
  errorOffset = -1;
  /** offset of the start of the command being read (the end of the last complete one) */
  cmdStart: number;

  /** big-argument tokens handed out and not yet released; inside MULTI they wait for EXEC */
  private tokens: string[] = [];
  private inMulti = false;

  constructor(readonly buf: Buffer, start = 0) {
    this.pos = start;
    this.cmdStart = start;
  }

  /** fgets: the line from pos up to and including '\n' (or LINE_MAX-1 bytes, or EOF); null at EOF. */
  private line(): [number, number] | null {
    const buf = this.buf;
    if (this.pos >= buf.length) return null;
    const start = this.pos;
    const limit = Math.min(buf.length, start + LINE_MAX - 1);
    let nl = buf.indexOf(10, start);
    let end = nl === -1 || nl >= limit ? limit : nl + 1;
    if (nl === -1 && limit === buf.length) end = buf.length;
    this.pos = end;
    return [start, end];
  }

  /** The next command's argv, or null (end of input, or an error: see status). */
  next(): string[] | null {
    if (this.tokens.length > 0 && !this.inMulti) { for (const t of this.tokens) releaseBigArg(t); this.tokens = []; }
    const argv = this.read();
    if (argv === null) { for (const t of this.tokens) releaseBigArg(t); this.tokens = []; return null; }
    const n = argv[0]!.length;
    if (n === 5 && argv[0]!.toLowerCase() === 'multi') this.inMulti = true;
    else if (n === 4 && argv[0]!.toLowerCase() === 'exec') this.inMulti = false;
    return argv;
  }

  private read(): string[] | null {
    const buf = this.buf;
    for (;;) {
      this.cmdStart = this.pos;
      const l = this.line();
      if (l === null) return null;
      const c = buf[l[0]];
      if (c === 35 /* # */) continue;
      if (c !== 42 /* * */) return this.fail('format', l[0]);
      if (l[1] - l[0] < 2) return this.fail('truncated', l[0]);
      const argc = atoi(buf, l[0] + 1, l[1]);
      if (argc < 1) return this.fail('format', l[0]);
      const argv = new Array<string>(argc);
      for (let j = 0; j < argc; j++) {
        const h = this.line();
        if (h === null) return this.fail('truncated', this.pos);
        if (buf[h[0]] !== 36 /* $ */) return this.fail('format', h[0]);
        const len = atoi(buf, h[0] + 1, h[1]);
        if (len < 0) return this.fail('format', h[0]);
        if (this.pos + len > buf.length) return this.fail('truncated', this.pos);
        if (len > MAX_STRING) {
          const t = registerBigArg(Buffer.from(buf.subarray(this.pos, this.pos + len)));
          this.tokens.push(t);
          argv[j] = t;
        } else {
          argv[j] = buf.toString('latin1', this.pos, this.pos + len);
        }
        this.pos += len;
        if (this.pos + 2 > buf.length) { this.pos = buf.length; return this.fail('truncated', this.pos); }
        this.pos += 2;
      }
      return argv;
    }
  }

  private fail(status: ReadStatus, offset: number): null {
    this.status = status;
    this.errorOffset = offset;
    return null;
  }
}

/** atoi/strtol over buf[from, to): optional spaces and sign, then digits; 0 when none. */
function atoi(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 32 || buf[i] === 9)) i++;
  let neg = false;
  if (i < to && (buf[i] === 45 || buf[i] === 43)) { neg = buf[i] === 45; i++; }
  let n = 0;
  while (i < to && buf[i]! >= 48 && buf[i]! <= 57) { n = n * 10 + buf[i]! - 48; i++; }
  return neg ? -n : n;
}

/** catAppendOnlyGenericCommand: argv as a RESP multibulk (latin1 string). */
export function encodeCommand(argv: readonly string[]): string {
  let s = '*' + argv.length + '\r\n';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    s += '$' + a.length + '\r\n' + a + '\r\n';
  }
  return s;
}
