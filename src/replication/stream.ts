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

export type Chunk = string | Buffer;

/** blocks shorter than this take the next write appended (fewer, larger blocks) */
const BLOCK_MERGE = 16 * 1024;

const randomHex = (n: number): string =>
  [...crypto.getRandomValues(new Uint8Array(n / 2))].map((b) => b.toString(16).padStart(2, '0')).join('');

export const NULL_REPLID = '0'.repeat(40);

export function newReplid(): string { return randomHex(40); }

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
  private blocks: Chunk[] = [];
  private starts: number[] = [];
  /** index of the first live block (blocks before it are dropped) */
  private head = 0;
  /** called when the backlog comes or goes (the recorder propagates to replicas only while it exists) */
  onActiveChange: ((active: boolean) => void) | null = null;

  /** repl_backlog->histlen */
  get histlen(): number { return this.active ? this.offset - this.backlogStart + 1 : 0; }

  /** createReplicationBacklog: history starts after the current offset. */
  create(): void {
    this.active = true;
    this.blocks = [];
    this.starts = [];
    this.head = 0;
    this.backlogStart = this.offset + 1;
    this.selectedDb = -1;
    this.onActiveChange?.(true);
  }

  /** freeReplicationBacklog */
  free(): void {
    this.active = false;
    this.blocks = [];
    this.starts = [];
    this.head = 0;
    this.backlogStart = 0;
    this.onActiveChange?.(false);
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

  /** Append bytes to the history (the caller checked `active`). */
  append(data: Chunk): void {
    const n = data.length;
    if (n === 0) return;
    const last = this.blocks.length - 1;
    if (last >= this.head && typeof data === 'string') {
      const b = this.blocks[last]!;
      if (typeof b === 'string' && b.length < BLOCK_MERGE) {
        this.blocks[last] = b + data;
        this.offset += n;
        return;
      }
    }
    this.blocks.push(data);
    this.starts.push(this.offset + 1);
    this.offset += n;
  }

  /** Encode a command (SELECT first when the db changed) and append it; returns the bytes added. */
  feedCommand(dbid: number, argv: readonly string[]): number {
    const before = this.offset;
    let s = '';
    if (dbid !== this.selectedDb && dbid >= 0) {
      const d = String(dbid);
      s = `*2\r\n$6\r\nSELECT\r\n$${d.length}\r\n${d}\r\n`;
      this.selectedDb = dbid;
    }
    s += '*' + argv.length + '\r\n';
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const big = bigArg(a);
      if (big !== undefined) {
        this.append(s + '$' + big.length + '\r\n');
        this.append(Buffer.from(big)); // a copy: the value may change in place later
        s = '\r\n';
        continue;
      }
      s += '$' + a.length + '\r\n' + a + '\r\n';
    }
    this.append(s);
    return this.offset - before;
  }

  /** The backlog keeps repl-backlog-size bytes; blocks go once no reader (cursor `minCursor`) needs them. */
  trim(minCursor: number): void {
    if (!this.active) return;
    // blocks wholly before the last repl-backlog-size bytes go, unless a replica still needs them;
    // the backlog is every block kept (Redis 7.0: it can outgrow its size while a slow replica holds blocks,
    // and a PSYNC may continue from any of them)
    const keepFrom = Math.min(this.offset - this.backlogSize + 1, minCursor);
    let h = this.head;
    while (h < this.blocks.length - 1 && this.starts[h + 1]! <= keepFrom) {
      this.blocks[h] = '';
      h++;
    }
    this.head = h;
    if (h < this.blocks.length) this.backlogStart = this.starts[h]!;
    if (h > 1024 && h * 2 > this.blocks.length) {
      this.blocks = this.blocks.slice(h);
      this.starts = this.starts.slice(h);
      this.head = 0;
    }
  }

  /** True when the history still holds every byte from `from` on (from = offset + 1: nothing to send). */
  has(from: number): boolean {
    if (from === this.offset + 1) return true;
    return this.head < this.blocks.length && from >= this.starts[this.head]! && from <= this.offset;
  }

  /** The bytes from offset `from` (inclusive) to the end, as chunks (views, no copy of whole blocks). */
  readFrom(from: number): Chunk[] {
    const out: Chunk[] = [];
    if (from > this.offset) return out;
    // binary search for the block holding `from`
    let lo = this.head;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= from) lo = mid; else hi = mid - 1;
    }
    for (let i = lo; i < this.blocks.length; i++) {
      const b = this.blocks[i]!;
      const skip = i === lo ? from - this.starts[i]! : 0;
      out.push(skip === 0 ? b : typeof b === 'string' ? b.slice(skip) : b.subarray(skip));
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
