/*
 * The replication stream and its backlog (Redis 7.0 replication.c: the
 * replication buffer of replBufBlocks shared by the backlog and every replica).
 *
 * Offsets are Redis's: byte k of the history (k = 1, 2, ...) has offset k;
 * `offset` (master_repl_offset) is the offset of the last byte. The stream is
 * a list of blocks (latin1 strings, or Buffers for big arguments), each with
 * the offset of its first byte. Two kinds of reader hold a position in it:
 *
 * - the backlog: the last repl-backlog-size bytes (first byte at
 *   `backlogStart`), what a PSYNC may continue from;
 * - each replica's cursor (replication/master.ts): the next byte it needs.
 *
 * A block is dropped only when every reader is past it, so a replica waiting
 * for its full sync keeps what was written since its snapshot without a copy,
 * and the backlog may hold a little more than its size (whole blocks), as in
 * Redis. Nothing is kept (and the offset does not move) until the backlog
 * exists: a server that never had a replica pays nothing per write.
 *
 * Invariants: blocks are contiguous (start[i+1] = start[i] + len(block i));
 * the last block ends at `offset`; backlogStart >= start of the first block.
 */
import { bigArg } from '../protocol/big-args.js';
import { Buffer } from 'node:buffer';

export type Chunk = string | Buffer;

type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number, len?: number): number };

/**
 * Blocks are Buffers of BLOCK_SIZE written in place (the last one is open),
 * so feeding a command allocates nothing and a replica's socket gets views of
 * them (bytes below `tailUsed` never change: views stay valid). A command
 * bigger than a block gets a block of its own size. 16 kB as Redis's
 * replBufBlocks (PROTO_REPLY_CHUNK_BYTES): the backlog is trimmed in whole
 * blocks, so that is how much it may hold past repl-backlog-size.
 */
const BLOCK_SIZE = 16 * 1024;
/** strings up to this length are copied byte by byte, longer ones by latin1Write (a runtime call: about the cost of 32 bytes) */
const SHORT_COPY = 32;
/** blocks kept for reuse (see trim) */
const POOL_MAX = 16;
/** bytes copied one by one below this (appendBytes): cheaper than Buffer.copy's view and runtime call */
const SHORT_BYTES = 128;
const EMPTY = Buffer.alloc(0);

const randomHex = (n: number): string =>
  [...crypto.getRandomValues(new Uint8Array(n / 2))].map((b) => b.toString(16).padStart(2, '0')).join('');

export const NULL_REPLID = '0'.repeat(40);

export function newReplid(): string { return randomHex(40); }

/** a reused Buffer of at least n bytes, for a command encoded before it is copied across blocks */
let scratch = Buffer.allocUnsafeSlow(BLOCK_SIZE);
function scratchOf(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafeSlow(Math.max(n, scratch.length * 2));
  return scratch;
}

/** decimal digits of a non-negative integer */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) { n = Math.floor(n / 10); d++; }
  return d;
}

export class ReplStream {
  replid = newReplid();
  replid2 = NULL_REPLID;
  /** the last offset of history replid2 names (-1: none) */
  secondOffset = -1;
  /** master_repl_offset */
  offset = 0;
  /** the backlog exists (repl_backlog != NULL) */
  active = false;
  backlogSize = 1024 * 1024;
  /** offset of the backlog's first byte (repl_backlog->offset) */
  backlogStart = 0;
  /** the db the stream last selected (-1: the next command emits SELECT) */
  selectedDb = -1;
  private blocks: Buffer[] = [];
  private starts: number[] = [];
  /** index of the first live block (blocks before it are dropped) */
  private head = 0;
  /** the open block (the last one) takes writes from tailUsed on; null: the next write opens one */
  private tail: Buffer | null = null;
  private tailUsed = 0;
  /**
   * Dropped blocks that nothing can still reference, for newBlock: a block was ever handed out (readFrom's views, which
   * a replica's socket may hold until its write completes) only up to index `viewedTo`; later ones never left here. So
   * a master with no replica, which keeps the backlog all the same (Redis 7.0 creates it at start-up), allocates no
   * block once the backlog is full.
   */
  private pool: Buffer[] = [];
  private viewedTo = -1;
  /** the blocks newBlock made (only those are pooled: pushBuffer's may be someone else's bytes) */
  private own = new WeakSet<Buffer>();
  /** called when the backlog comes or goes (the recorder propagates to replicas only while it exists) */
  onActiveChange: ((active: boolean) => void) | null = null;

  /** repl_backlog->histlen */
  get histlen(): number { return this.active ? this.offset - this.backlogStart + 1 : 0; }

  /** createReplicationBacklog: history starts after the current offset. */
  create(): void {
    this.active = true;
    this.clearBlocks();
    this.backlogStart = this.offset + 1;
    this.selectedDb = -1;
    this.onActiveChange?.(true);
  }

  /** freeReplicationBacklog */
  free(): void {
    this.active = false;
    this.clearBlocks();
    this.backlogStart = 0;
    this.onActiveChange?.(false);
  }

  private clearBlocks(): void {
    this.viewedTo = -1;
    this.blocks = [];
    this.starts = [];
    this.head = 0;
    this.tail = null;
    this.tailUsed = 0;
  }

  /** changeReplicationId */
  changeId(): void { this.replid = newReplid(); }

  /** clearReplicationId2 */
  clearId2(): void { this.replid2 = NULL_REPLID; this.secondOffset = -1; }

  /** shiftReplicationId: the current history becomes the secondary one, valid up to offset+1, under a new id. */
  shiftId(): void {
    this.replid2 = this.replid;
    this.secondOffset = this.offset + 1;
    this.changeId();
  }

  /** rebaseReplicationBuffer: the history so far moves up by delta (a master restarted from an RDB's offset). */
  rebase(delta: number): void {
    this.offset += delta;
    if (this.active) this.backlogStart += delta;
    for (let i = this.head; i < this.starts.length; i++) this.starts[i]! += delta;
  }

  /** Open a new block (the tail is full or closed): the block to write at tailUsed (0). */
  private newBlock(): Buffer {
    let b = this.pool.pop();
    if (b === undefined) { b = Buffer.allocUnsafeSlow(BLOCK_SIZE); this.own.add(b); }
    this.blocks.push(b);
    this.starts.push(this.offset + 1);
    this.tail = b;
    this.tailUsed = 0;
    return b;
  }

  /** A block of its own for bytes already in a Buffer (a big argument's copy); the next write opens a new one. */
  private pushBuffer(b: Buffer): void {
    this.blocks.push(b);
    this.starts.push(this.offset + 1);
    this.offset += b.length;
    this.tail = null;
    this.tailUsed = 0;
  }

  /** Append bytes to the history (the caller checked `active`). */
  append(data: Chunk): void {
    const n = data.length;
    if (n === 0) return;
    if (typeof data !== 'string') { this.pushBuffer(data); return; }
    const t = this.tail;
    if (t !== null && t.length - this.tailUsed >= n) {
      this.putStr(t, data, this.tailUsed);
      this.tailUsed += n;
      this.offset += n;
      return;
    }
    const b = scratchOf(n);
    (b as Latin1Buffer).latin1Write(data, 0, n);
    this.appendBytes(b, 0, n);
  }

  /** Append a copy of b[start, end) to the history (the caller checked `active`): the open block's room first, then new blocks. */
  appendBytes(b: Buffer, start: number, end: number): void {
    while (start < end) {
      let t = this.tail;
      if (t === null || this.tailUsed === t.length) t = this.newBlock();
      const n = Math.min(end - start, t.length - this.tailUsed);
      // a replica appends each command its master sent as it applies it: a short one byte by byte (Buffer.copy makes a
      // view and calls into the runtime, which costs more than copying a SET)
      if (n <= SHORT_BYTES) { const u = this.tailUsed; for (let i = 0; i < n; i++) t[u + i] = b[start + i]!; } else b.copy(t, this.tailUsed, start, start + n);
      this.tailUsed += n;
      this.offset += n;
      start += n;
    }
  }

  private putStr(b: Buffer, s: string, pos: number): number {
    const n = s.length;
    if (n <= SHORT_COPY) {
      for (let i = 0; i < n; i++) b[pos + i] = s.charCodeAt(i);
    } else {
      (b as Latin1Buffer).latin1Write(s, pos, n);
    }
    return pos + n;
  }

  /** `<type><n>\r\n` at pos; returns the position after it */
  private putLen(b: Buffer, type: number, n: number, pos: number): number {
    b[pos++] = type;
    if (n < 10) b[pos++] = 48 + n;
    else if (n < 100) {
      const t = (n * 205) >>> 11; // n / 10 for n < 1029
      b[pos] = 48 + t;
      b[pos + 1] = 48 + n - t * 10;
      pos += 2;
    } else {
      const d = digits(n);
      let v = n;
      for (let i = pos + d - 1; i >= pos; i--) { b[i] = 48 + (v % 10); v = Math.floor(v / 10); }
      pos += d;
    }
    b[pos] = 13;
    b[pos + 1] = 10;
    return pos + 2;
  }

  /** Encode a command (SELECT first when the db changed) and append it; returns the bytes added. */
  feedCommand(dbid: number, argv: readonly string[]): number {
    const before = this.offset;
    if (dbid !== this.selectedDb && dbid >= 0) {
      this.selectedDb = dbid;
      this.feedCommand(-1, ['SELECT', String(dbid)]);
    }
    // an upper bound of the encoded size: '$' digits CRLF value CRLF per argument (at most 20 digits each)
    let need = 24;
    const argc = argv.length;
    for (let i = 0; i < argc; i++) {
      const a = argv[i]!;
      if (bigArg(a) !== undefined) { this.feedWithBig(argv); return this.offset - before; }
      need += a.length + 24;
    }
    const t = this.tail;
    // in place when it fits in the open block; else encoded aside and copied across blocks (no block is left part empty)
    const inPlace = t !== null && t.length - this.tailUsed >= need;
    const b = inPlace ? t : scratchOf(need);
    const at = inPlace ? this.tailUsed : 0;
    let pos = this.putLen(b, 42, argc, at);
    for (let i = 0; i < argc; i++) {
      const a = argv[i]!;
      pos = this.putLen(b, 36, a.length, pos);
      pos = this.putStr(b, a, pos);
      b[pos] = 13;
      b[pos + 1] = 10;
      pos += 2;
    }
    if (inPlace) {
      this.offset += pos - at;
      this.tailUsed = pos;
    } else {
      this.appendBytes(b, 0, pos);
    }
    return this.offset - before;
  }

  /** A command with an argument past V8's string limit: its bytes go in a block of their own (a copy: the value may change in place later). */
  private feedWithBig(argv: readonly string[]): void {
    let s = '*' + argv.length + '\r\n';
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const big = bigArg(a);
      if (big !== undefined) {
        this.append(s + '$' + big.length + '\r\n');
        this.append(Buffer.from(big));
        s = '\r\n';
        continue;
      }
      s += '$' + a.length + '\r\n' + a + '\r\n';
    }
    this.append(s);
  }

/** The backlog keeps repl-backlog-size bytes; blocks go once no reader (cursor `minCursor`) needs them. */
  trim(minCursor: number): void {
    if (!this.active) return;
    // blocks wholly before the last repl-backlog-size bytes go, unless a replica still needs them;
    // the backlog is every block kept (Redis 7.0: it can outgrow its size while a slow replica holds blocks,
    // and a PSYNC may continue from any of them)
    const keepFrom = Math.min(this.offset - this.backlogSize + 1, minCursor);
    let h = this.head;
    const pool = this.pool;
    while (h < this.blocks.length - 1 && this.starts[h + 1]! <= keepFrom) {
      const b = this.blocks[h]!;
      if (h > this.viewedTo && pool.length < POOL_MAX && this.own.has(b)) pool.push(b);
      this.blocks[h] = EMPTY;
      h++;
    }
    this.head = h;
    if (h < this.blocks.length) this.backlogStart = this.starts[h]!;
    if (h > 1024 && h * 2 > this.blocks.length) {
      this.blocks = this.blocks.slice(h);
      this.starts = this.starts.slice(h);
      this.head = 0;
      this.viewedTo -= h;
    }
  }

  /** True when the history still holds every byte from `from` on (from = offset + 1: nothing to send). */
  has(from: number): boolean {
    if (from === this.offset + 1) return true;
    return this.head < this.blocks.length && from >= this.starts[this.head]! && from <= this.offset;
  }

  /** The bytes from offset `from` (inclusive) to the end, as chunks (views of the blocks, no copy). */
  readFrom(from: number): Chunk[] {
    const out: Chunk[] = [];
    if (from > this.offset) return out;
    // binary search for the block holding `from`
    const last = this.blocks.length - 1;
    let lo = this.head;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= from) lo = mid; else hi = mid - 1;
    }
    if (last > this.viewedTo) this.viewedTo = last;
    for (let i = lo; i <= last; i++) {
      const start = this.starts[i]!;
      const end = (i < last ? this.starts[i + 1]! : this.offset + 1) - start;
      const skip = i === lo ? from - start : 0;
      const b = this.blocks[i]!;
      out.push(skip === 0 && end === b.length ? b : b.subarray(skip, end));
    }
    return out;
  }

  /** The bytes in [from, to] (inclusive offsets) as chunks. */
  readRange(from: number, to: number): Chunk[] {
    const all = this.readFrom(from);
    const out: Chunk[] = [];
    let left = to - from + 1;
    for (const c of all) {
      if (left <= 0) break;
      if (c.length <= left) { out.push(c); left -= c.length; } else { out.push(typeof c === 'string' ? c.slice(0, left) : c.subarray(0, left)); left = 0; }
    }
    return out;
  }

  /** Bytes held by the live blocks (INFO mem_total_replication_buffers). */
  get heldBytes(): number {
    if (this.head >= this.blocks.length) return 0;
    return this.offset - this.starts[this.head]! + 1;
  }
}
