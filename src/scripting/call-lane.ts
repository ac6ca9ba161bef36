/*
 * The shared-memory lane for redis.call and its reply, the hot path of a
 * script: the worker writes the call's argv into a SharedArrayBuffer and the
 * main thread writes the raw RESP reply back, each announced by the same
 * counters and Atomics.notify as the MessagePort messages (lua-worker.ts
 * protocol), but without a structured clone and a port queue each way.
 *
 * Invariants:
 * - One thing waits in the lane at a time: a script makes one redis.call and
 *   blocks for its reply, so `state` goes EMPTY -> CALL (worker) -> EMPTY
 *   (main takes it) -> REPLY (main) -> EMPTY (worker takes it).
 * - A call or reply too big for the lane goes by the port as before; the
 *   receiver looks at both.
 * - Order with the port: a message the sender posted before it filled the
 *   lane is taken first (the receiver looks at the port again once it sees the
 *   lane full), so a redis.log line never overtakes the call after it.
 * - Strings are latin1 (one byte per character), as everywhere in the server.
 */

/** bytes of the lane (a bigger call or reply takes the port) */
export const LANE_BYTES = 1 << 20;
const HDR = 16;

export const LANE_EMPTY = 0;
export const LANE_CALL = 1;
export const LANE_REPLY = 2;

export interface LaneCall { t: 'call'; argv: string[]; resp: 2 | 3; repl: number }
export interface LaneReply { t: 'reply'; reply: string; err: string | null }

interface Latin1Buffer extends Buffer { latin1Write(s: string, offset: number): number; latin1Slice(start: number, end: number): string }

export class CallLane {
  private readonly state: Int32Array;
  private readonly buf: Latin1Buffer;

  constructor(readonly sab: SharedArrayBuffer) {
    this.state = new Int32Array(sab, 0, 1);
    this.buf = Buffer.from(sab, HDR) as Latin1Buffer;
  }

  static create(): CallLane { return new CallLane(new SharedArrayBuffer(HDR + LANE_BYTES)); }

  /** what waits in the lane (LANE_*) */
  get waiting(): number { return Atomics.load(this.state, 0); }

  /** Worker: put a call in the lane; false when it does not fit (send it by the port). */
  putCall(argv: string[], resp: number, repl: number): boolean {
    let need = 12;
    for (const a of argv) need += 4 + a.length;
    const b = this.buf;
    if (need > b.length) return false;
    b.writeUInt32LE(argv.length, 0);
    b.writeUInt32LE(resp, 4);
    b.writeInt32LE(repl, 8);
    let off = 12;
    for (const a of argv) {
      b.writeUInt32LE(a.length, off);
      off += 4;
      if (a.length > 0) off += b.latin1Write(a, off);
    }
    Atomics.store(this.state, 0, LANE_CALL);
    return true;
  }

  /** Main thread: take the call waiting in the lane. */
  takeCall(): LaneCall {
    const b = this.buf;
    const n = b.readUInt32LE(0);
    const resp = b.readUInt32LE(4) as 2 | 3;
    const repl = b.readInt32LE(8);
    const argv = new Array<string>(n);
    let off = 12;
    for (let i = 0; i < n; i++) {
      const len = b.readUInt32LE(off);
      off += 4;
      argv[i] = len === 0 ? '' : b.latin1Slice(off, off + len);
      off += len;
    }
    Atomics.store(this.state, 0, LANE_EMPTY);
    return { t: 'call', argv, resp, repl };
  }

  /** Main thread: put the reply (or the error text) in the lane; false when it does not fit. */
  putReply(reply: string, err: string | null): boolean {
    const s = err ?? reply;
    const b = this.buf;
    if (5 + s.length > b.length) return false;
    b[0] = err === null ? 0 : 1;
    b.writeUInt32LE(s.length, 1);
    if (s.length > 0) b.latin1Write(s, 5);
    Atomics.store(this.state, 0, LANE_REPLY);
    return true;
  }

  /** Worker: take the reply waiting in the lane. */
  takeReply(): LaneReply {
    const b = this.buf;
    const len = b.readUInt32LE(1);
    const s = len === 0 ? '' : b.latin1Slice(5, 5 + len);
    const isErr = b[0] === 1;
    Atomics.store(this.state, 0, LANE_EMPTY);
    return isErr ? { t: 'reply', reply: '', err: s } : { t: 'reply', reply: s, err: null };
  }
}
