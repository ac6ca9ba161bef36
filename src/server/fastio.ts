/*
 * A client socket's hot path on its TCP handle, under the net.Socket (Redis
 * reads and writes the fd directly in readQueryFromClient / writeToClient;
 * this is the closest Node allows).
 *
 * Why: each read through the stream layer goes handle.onread -> onStreamRead
 * -> Readable.push -> 'data'; each write Writable.write -> writeGeneric ->
 * handle.writeBuffer plus a nextTick for afterWrite and the 'drain'
 * bookkeeping. With a reply per read that machinery is 5-10% of the server's
 * CPU per request (bench/README.md, "Where the time goes"). Here the handle's
 * onread calls the client directly and replies go to handle.writeBuffer.
 *
 * Invariants:
 * - The net.Socket stays the owner of the connection: EOF and read errors go
 *   to its own onread (so 'end', 'error', 'close' and destroy() behave as
 *   before), end() and destroy() are the socket's. When replies are queued,
 *   EOF is handed over one event-loop turn later (setImmediate), after the
 *   replies to the commands read before it were written (Server.queueWrite
 *   runs in the same check phase, queued earlier): a peer that sends and
 *   half-closes gets its replies, as from Redis (its read of 0 bytes comes
 *   in a later iteration, after beforeSleep wrote).
 * - Byte order: a direct write is made only while the socket's own writable
 *   side holds nothing (writableLength 0); otherwise the bytes go through
 *   socket.write, behind what it holds. libuv keeps one write queue per
 *   handle, so writes made either way leave in the order they were made.
 * - held() is what the kernel has not taken yet: libuv's write queue
 *   (writeQueueSize, which includes the stream's in-flight writes) or what
 *   the stream counts as unwritten, whichever is larger.
 * - Reading stops only through pause()/resume() here (readStop/readStart);
 *   the stream's own pause() would not stop this onread.
 * - Reads land in one buffer shared by every fast client (READ_BUFFER,
 *   handle.useUserBuffer); a read is handled to the end before the next one,
 *   and the owner copies out what it keeps of it (releaseInput) before
 *   onread returns. NODIS_NODE_READ_BUFFERS=1 keeps Node's buffer per read.
 *
 * Only for plain TCP and unix-socket clients the server accepted; TLS
 * sockets (their handle is the TLS wrap) and connections the server opened
 * itself stay on the stream layer. Uses process.binding('stream_wrap')
 * (WriteWrap and the shared read/write state), a Node internal: when it is
 * missing or differs, attach() returns null and the client uses the stream.
 * NODIS_STREAM_IO=1 turns it off (for A/B measurements).
 */
import type { Socket } from 'node:net';
import { Buffer } from 'node:buffer';

interface WriteReq {
  handle: StreamHandle;
  oncomplete: (status: number) => void;
  async: boolean;
  buffer: Buffer | null;
}

interface StreamHandle {
  onread: (ab: ArrayBuffer | undefined) => void;
  useUserBuffer?(b: Uint8Array): void;
  reading: boolean;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  readonly writeQueueSize: number;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
}

const UV_EOF = -4095;

function loadBinding(): StreamWrapBinding | null {
  if (process.env.NODIS_STREAM_IO === '1') return null;
  try {
    const b = (process as unknown as { binding(name: string): StreamWrapBinding }).binding('stream_wrap');
    if (typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array)) return null;
    if (typeof b.kReadBytesOrError !== 'number' || typeof b.kArrayBufferOffset !== 'number' || typeof b.kLastWriteWasAsync !== 'number') return null;
    return b;
  } catch {
    return null;
  }
}

const binding = loadBinding();

/**
 * The read buffer of every fast client: libuv reads into it (handle.useUserBuffer) instead of Node allocating 64 KB
 * and then shrinking it for each read, as Redis reads into its client's query buffer. Reads are handled one at a
 * time and to the end (parse, run, queue replies) before the next: the owner copies out what it keeps
 * (releaseInput) before onread returns.
 */
const READ_BUFFER = process.env.NODIS_NODE_READ_BUFFERS === '1' ? null : Buffer.allocUnsafeSlow(64 * 1024);
const EMPTY = Buffer.alloc(0);

/** The client side of a FastIo: where reads go. */
export interface FastIoOwner {
  /** bytes read; `chunk` is a view of a buffer reused by the next read unless released below */
  onData(chunk: Buffer): void;
  /** copy out whatever is kept of the memory `ab` (reads reuse it) */
  releaseInput(ab: ArrayBufferLike): void;
  /** replies wait to be written at the end of this turn */
  repliesQueued(): boolean;
}

export class FastIo {
  private paused = false;
  /** callbacks waiting for every byte to leave (drain) */
  private drainWaiters: (() => void)[] | null = null;
  private eofPending = false;
  /** writes libuv still holds (they did not complete at once) */
  private inflight = 0;
  /**
   * The request object for the next write. A write the kernel takes at once never
   * reaches libuv's queue, and Node does not bind the request to anything then
   * (StreamBase::Write returns before CreateWriteWrap): the same one serves the
   * next write. One that went to the queue belongs to libuv until it completes.
   */
  private req: WriteReq | null = null;
  private readonly onComplete = (status: number): void => {
    this.inflight--;
    if (status < 0) { this.socket.destroy(); return; }
    if (this.drainWaiters !== null && this.held() === 0) this.drained();
  };

  private constructor(
    private readonly socket: Socket,
    private readonly handle: StreamHandle,
    streamOnread: (ab: ArrayBuffer | undefined) => void,
    private readonly b: StreamWrapBinding,
    owner: FastIoOwner,
  ) {
    const state = b.streamBaseState;
    const kN = b.kReadBytesOrError;
    const kOff = b.kArrayBufferOffset;
    const shared = READ_BUFFER !== null && typeof handle.useUserBuffer === 'function' ? READ_BUFFER : null;
    if (shared !== null) handle.useUserBuffer!(shared);
    const sharedMemory = shared?.buffer;
    // the view of the shared buffer for the last read's size (a client sending the same request reads the same size)
    let view = EMPTY;
    handle.onread = (ab) => {
      const n = state[kN]!;
      if (n > 0) {
        if (this.eofPending) return;
        if (shared !== null) {
          if (view.length !== n) view = shared.subarray(0, n);
          owner.onData(view);
          owner.releaseInput(sharedMemory!);
        } else {
          owner.onData(Buffer.from(ab!, state[kOff]!, n));
        }
        return;
      }
      if (n === 0) return;
      if (n === UV_EOF) {
        // after this turn's replies (see the invariants)
        if (this.eofPending) return;
        if (!owner.repliesQueued()) { streamOnread.call(handle, ab); return; }
        this.eofPending = true;
        handle.readStop();
        handle.reading = false;
        setImmediate(() => { state[kN] = UV_EOF; streamOnread.call(handle, undefined); });
        return;
      }
      streamOnread.call(handle, ab);
    };
  }

  /** Take over a freshly accepted socket's reads and writes, or null when this socket or Node does not allow it. */
  static attach(socket: Socket, owner: FastIoOwner): FastIo | null {
    if (binding === null || (socket as { encrypted?: boolean }).encrypted === true) return null;
    const h = (socket as unknown as { _handle?: StreamHandle | null })._handle;
    if (h == null || typeof h.onread !== 'function' || typeof h.writeBuffer !== 'function' || typeof h.readStart !== 'function' ||
      typeof h.readStop !== 'function' || typeof h.writeQueueSize !== 'number') return null;
    return new FastIo(socket, h, h.onread, binding, owner);
  }

  /** Bytes written (either way) that the kernel has not taken yet. */
  held(): number {
    const s = this.socket;
    if (this.inflight === 0) return s.writableLength;
    if (s.destroyed) return 0;
    // the stream counts its in-flight write until its callback, libuv until the bytes left: take the larger share
    return Math.max(this.handle.writeQueueSize, s.writableLength);
  }

  /** Write `data`; true when the kernel took all of it at once (the buffer is free again). */
  write(data: Buffer): boolean {
    const s = this.socket;
    if (s.destroyed) return true;
    if (s.writableLength !== 0 || s.writableEnded) { s.write(data); return false; }
    let req = this.req;
    if (req === null) {
      req = new this.b.WriteWrap();
      req.handle = this.handle;
      req.oncomplete = this.onComplete;
      req.async = false;
    }
    req.buffer = data; // referenced until the write completes
    const err = this.handle.writeBuffer(req, data);
    if (err !== 0) { this.req = null; s.destroy(); return true; }
    if (this.b.streamBaseState[this.b.kLastWriteWasAsync] === 0) {
      req.buffer = null;
      this.req = req;
      return true;
    }
    req.async = true;
    this.req = null;
    this.inflight++;
    return false;
  }

  /** Stop reading (backpressure, a held start). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.eofPending || this.socket.destroyed) return;
    this.handle.readStop();
    this.handle.reading = false;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.eofPending || this.socket.destroyed) return;
    this.handle.reading = true;
    this.handle.readStart();
  }

  /** Call `f` once every byte written has left (at once when none is held), or never if the socket closes first. */
  onDrain(f: () => void): void {
    if (this.held() === 0) { f(); return; }
    (this.drainWaiters ??= []).push(f);
    // bytes that went through the stream end with its 'drain' (their completion is the stream's)
    if (this.socket.writableLength > 0) this.socket.once('drain', () => { if (this.drainWaiters !== null && this.held() === 0) this.drained(); });
  }

  private drained(): void {
    const w = this.drainWaiters!;
    this.drainWaiters = null;
    for (const f of w) f();
  }
}
