/*
 * Backend reply framing for the proxy (twemproxy src/proto/nc_redis.c
 * redis_parse_rsp, in spirit): cuts a backend's byte stream into whole RESP2
 * / RESP3 replies, each kept as its exact bytes so the proxy forwards what
 * the server said, byte for byte; plus small decoders for the replies the
 * proxy merges (integers, arrays of bulks, SCAN, INFO text).
 *
 * Invariants:
 * - push() takes chunks; next() returns one complete reply (a Buffer that
 *   views the received bytes) or null. Attributes (|) stay glued to the reply
 *   they annotate; RESP3 push frames (>) are returned like replies and the
 *   caller tells them apart by their first byte.
 * - A bulk whose header has arrived is not rescanned: we wait until its
 *   declared length is buffered.
 * - Malformed input sets `error`; the connection is then unusable.
 */

export class ReplyReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** absolute length the buffer must reach before a rescan can succeed */
  private need = 0;
  error: string | null = null;

  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) { this.buf = chunk; this.pos = 0; this.need = 0; }
    else { this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]); this.need -= this.pos; this.pos = 0; }
  }

  next(): Buffer | null {
    if (this.error !== null || this.pos >= this.buf.length || this.buf.length < this.need) return null;
    let end: number;
    try {
      end = this.frame(this.pos);
    } catch (e) {
      this.error = (e as Error).message;
      return null;
    }
    if (end < 0) return null;
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    this.need = 0;
    return out;
  }

  /** end offset of the reply at p, or -1 when incomplete */
  private frame(p: number): number {
    const b = this.buf;
    if (p >= b.length) return -1;
    const nl = b.indexOf(10, p);
    if (nl < 0) return -1;
    if (b[nl - 1] !== 13) throw new Error('protocol error: reply line without CR');
    const t = b[p]!;
    switch (t) {
      case 43: case 45: case 58: case 44: case 35: case 95: case 40: // + - : , # _ (
        return nl + 1;
      case 36: case 61: case 33: { // $ = !
        const n = this.num(p + 1, nl - 1);
        if (n < 0) return nl + 1;
        const end = nl + 1 + n + 2;
        if (b.length < end) { this.need = Math.max(this.need, end); return -1; }
        return end;
      }
      case 42: case 126: case 62: case 37: case 124: { // * ~ > % |
        let n = this.num(p + 1, nl - 1);
        if (n < 0) return nl + 1;
        if (t === 37 || t === 124) n *= 2;
        let q = nl + 1;
        for (let i = 0; i < n; i++) {
          q = this.frame(q);
          if (q < 0) return -1;
        }
        return t === 124 ? this.frame(q) : q;
      }
      default:
        throw new Error(`protocol error: unexpected reply byte ${JSON.stringify(String.fromCharCode(t))}`);
    }
  }

  private num(from: number, to: number): number {
    const s = this.buf.latin1Slice(from, to);
    if (!/^-?[0-9]+$/.test(s)) throw new Error(`protocol error: bad length '${s}'`);
    return Number(s);
  }
}

/** the reply is an error (-... or !...) */
export const isError = (r: Buffer): boolean => r[0] === 45 || r[0] === 33;

/** the error's text without its type byte and CRLF (for a !bulk error, its body) */
export function errorOf(r: Buffer): string {
  if (r[0] === 45) return r.latin1Slice(1, r.length - 2);
  const nl = r.indexOf(10);
  return r.latin1Slice(nl + 1, r.length - 2);
}

/** :n -> n (also RESP3 booleans and doubles are not expected here) */
export function intOf(r: Buffer): number | null {
  if (r[0] !== 58) return null;
  return Number(r.latin1Slice(1, r.length - 2));
}

/** a bulk / simple / verbatim string's text (latin1), null for nil */
export function stringOf(r: Buffer): string | null {
  const t = r[0];
  if (t === 43) return r.latin1Slice(1, r.length - 2);
  if (t === 95) return null;
  if (t === 36 || t === 61) {
    const nl = r.indexOf(10);
    const n = Number(r.latin1Slice(1, nl - 1));
    if (n < 0) return null;
    const body = r.latin1Slice(nl + 1, nl + 1 + n);
    return t === 61 ? body.slice(4) : body; // verbatim: "txt:" prefix
  }
  return null;
}

/** the raw elements of an array / set / push reply (each a Buffer), or null when r is not one */
export function elementsOf(r: Buffer): Buffer[] | null {
  const t = r[0];
  if (t !== 42 && t !== 126 && t !== 62) return null;
  const nl = r.indexOf(10);
  const n = Number(r.latin1Slice(1, nl - 1));
  if (n < 0) return null;
  const rd = new ReplyReader();
  rd.push(r.subarray(nl + 1));
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const e = rd.next();
    if (e === null) throw new Error('truncated aggregate reply');
    out.push(e);
  }
  return out;
}
