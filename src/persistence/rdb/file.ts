/*
 * Whole RDB files (rdbSaveRio / rdbLoadRioWithLoadingCtx), version 10.
 *
 * RdbWriter streams a file to a sink in chunks (64 KB), so a forkless
 * BGSAVE can feed it key by key between event-loop turns: header (magic +
 * aux fields), then per db SELECTDB + RESIZEDB and the keys (EXPIRETIME_MS,
 * IDLE / FREQ opcodes, type, key, value), then EOF and the CRC64 of
 * everything before it (8 bytes little-endian; 0 when checksums are off).
 *
 * RdbLoader parses a whole file held in memory, in steps of a byte budget
 * (so a caller can return to the event loop between steps and answer
 * -LOADING), reporting each key, aux field and function library to
 * callbacks. loadRdb runs it to the end in one go.
 */
import './buffer-ext.js';
import type { Value } from '../../types/value.js';
import { Crc64 } from './crc64.js';
import {
  isObjectType, RDB_OPCODE_AUX, RDB_OPCODE_EOF, RDB_OPCODE_EXPIRETIME, RDB_OPCODE_EXPIRETIME_MS, RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, RDB_OPCODE_IDLE, RDB_OPCODE_MODULE_AUX, RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB, RDB_TYPE_STRING, RDB_VERSION,
} from './constants.js';
import { encodeValue, type SaveOptions, DEFAULT_SAVE_OPTIONS } from './encode.js';
import { decodeValue, EmptyKeyError, type LoadContext, DEFAULT_LOAD_CONTEXT } from './decode.js';
import { ByteWriter, writeLen, writeMsTime, writeString } from './writer-bytes.js';
import { type ByteReader, RdbError, eofError, eofNeeded, need, readByte, readLen, readMsTime, readString, readStringValue } from './reader-bytes.js';
import { MutableString } from '../../types/string.js';

const CHUNK = 64 * 1024;

export interface RdbWriterOptions extends Partial<SaveOptions> {
  /** compute the CRC64 trailer (rdbchecksum) */
  checksum: boolean;
  /** rdbcompression */
  compression: boolean;
  /**
   * hand the sink views of the writer's own buffer, valid only during the
   * call (no copy per chunk; the sink copies what it keeps)
   */
  borrowChunks?: boolean;
}

export class RdbWriter {
  private readonly w = new ByteWriter(CHUNK * 2);
  private readonly crc: Crc64 | null;
  private readonly opts: SaveOptions;
  private readonly borrow: boolean;
  /** bytes handed to the sink so far */
  written = 0;

  constructor(private readonly sink: (chunk: Buffer) => void, opts: RdbWriterOptions) {
    this.crc = opts.checksum ? new Crc64() : null;
    this.opts = { ...DEFAULT_SAVE_OPTIONS, ...opts };
    this.borrow = opts.borrowChunks === true;
  }

  /** "REDIS0010" then the aux fields in order (rdbSaveInfoAuxFields writes redis-ver, redis-bits, ctime, used-mem, aof-base). */
  header(aux: Record<string, string | number>): void {
    this.w.latin1(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
    for (const [k, v] of Object.entries(aux)) this.aux(k, String(v));
  }

  /** One AUX field. */
  aux(key: string, value: string): void {
    this.w.byte(RDB_OPCODE_AUX);
    writeString(this.w, key, this.opts.compression);
    writeString(this.w, value, this.opts.compression);
    this.maybeFlush();
  }

  /** A function library (RDB_OPCODE_FUNCTION2 + its code). */
  functionLib(code: string): void {
    this.w.byte(RDB_OPCODE_FUNCTION2);
    writeString(this.w, code, this.opts.compression);
    this.maybeFlush();
  }

  /** SELECTDB + RESIZEDB (Redis writes them only for non-empty dbs). */
  selectDb(id: number, size: number, expires: number): void {
    this.w.byte(RDB_OPCODE_SELECTDB);
    writeLen(this.w, id);
    this.w.byte(RDB_OPCODE_RESIZEDB);
    writeLen(this.w, size);
    writeLen(this.w, expires);
  }

  /**
   * One key (rdbSaveKeyValuePair). expireMs: absolute ms, or -1. idleSeconds:
   * written as RDB_OPCODE_IDLE when given (maxmemory-policy is an LRU one);
   * lfuCounter: written as RDB_OPCODE_FREQ when given (LFU policies).
   */
  key(key: string, v: Value, expireMs: number, idleSeconds?: number, lfuCounter?: number): void {
    const w = this.w;
    if (expireMs !== -1) {
      w.byte(RDB_OPCODE_EXPIRETIME_MS);
      writeMsTime(w, expireMs);
    }
    if (idleSeconds !== undefined) {
      w.byte(RDB_OPCODE_IDLE);
      writeLen(w, idleSeconds);
    }
    if (lfuCounter !== undefined) {
      w.byte(RDB_OPCODE_FREQ);
      w.byte(lfuCounter & 0xff);
    }
    if (typeof v === 'string') {
      // the common case, as encodeValue writes it: no rotation needed
      const c = this.opts.compression;
      w.byte(RDB_TYPE_STRING);
      writeString(w, key, c);
      writeString(w, v, c);
      this.maybeFlush();
      return;
    }
    // the type byte goes before the key, but encodeValue writes [type][payload]:
    // write the key, then the value, then rotate the type byte in front of the key
    const keyStart = w.pos;
    writeString(w, key, this.opts.compression);
    const keyEnd = w.pos;
    encodeValue(v, w, this.opts);
    const buf = w.buf;
    const type = buf[keyEnd]!;
    buf.copyWithin(keyStart + 1, keyStart, keyEnd);
    buf[keyStart] = type;
    this.maybeFlush();
  }

  /** EOF opcode + CRC64, then flush everything. */
  end(): void {
    this.w.byte(RDB_OPCODE_EOF);
    this.flush();
    const trailer = this.crc ? this.crc.bytes() : Buffer.alloc(8);
    this.written += 8;
    this.sink(trailer);
  }

  /** Hand buffered bytes to the sink. */
  flush(): void {
    if (this.w.pos === 0) return;
    const chunk = this.borrow ? this.w.view() : this.w.take();
    if (this.crc) this.crc.update(chunk);
    this.written += chunk.length;
    this.sink(chunk);
    this.w.reset();
  }

  private maybeFlush(): void { if (this.w.pos >= CHUNK) this.flush(); }
}

/** The aux fields Redis 7.0 writes (rdbSaveInfoAuxFields), in its order. */
export function standardAux(opts: { nowMs: number; usedMem: number; aofBase?: boolean; version?: string }): Record<string, string | number> {
  return {
    'redis-ver': opts.version ?? '7.0.15',
    'redis-bits': 64,
    ctime: Math.floor(opts.nowMs / 1000),
    'used-mem': opts.usedMem,
    'aof-base': opts.aofBase ? 1 : 0,
  };
}

// ---- loading -------------------------------------------------------------------

export interface LoadOptions {
  onAux?(key: string, value: string): void;
  onProgress?(bytes: number): void;
  /** a function library's code (RDB_OPCODE_FUNCTION2); without it, libraries are an error */
  onFunction?(code: string): void;
  /** RESIZEDB hint */
  onResize?(db: number, size: number, expires: number): void;
  /** encoding thresholds for loaded values (default: Redis's defaults) */
  ctx?: LoadContext;
  /** verify the CRC64 trailer (rdbchecksum yes); a stored 0 is never checked */
  verifyChecksum?: boolean;
  /** number of databases: a SELECTDB beyond it is an error */
  dbnum?: number;
  /** a key whose value was an empty collection, skipped (Redis logs the first 10) */
  onEmptyKey?(key: string): void;
  /** a SELECTDB opcode (redis-check-rdb reports them) */
  onSelectDb?(db: number): void;
}

/** Called per key: expireMs is -1 when none, idle/freq are -1 when the file has no IDLE/FREQ opcode for the key. */
export type OnKey = (db: number, key: string, v: Value, expireMs: number, idle: number, freq: number) => void;

export interface LoadStats {
  version: number;
  keys: number;
  emptyKeysSkipped: number;
  /** false when the file was written with checksums off (stored 0) or verification was disabled */
  checksumVerified: boolean;
}

/** What the loader was doing (redis-check-rdb's rdb_check_doing_string), for the report of a failure. */
export type LoadDoing = 'start' | 'read-type' | 'read-expire' | 'read-key' | 'read-object-value' | 'check-sum' | 'read-len' | 'read-aux';

export class RdbLoader implements ByteReader {
  /** the bytes being parsed: the whole file, or (streaming, RdbFeed) the unparsed rest of what arrived */
  buf: Buffer;
  pos = 0;
  /** streaming: a record cut short by the end of `buf` rewinds to its start (more bytes will come) instead of failing */
  partial = false;
  /** bytes dropped from the front of `buf` by rebase() */
  private base = 0;
  /** where the record being parsed began (its EXPIRETIME/IDLE/FREQ opcodes included) */
  private recStart = 0;
  /** streaming: after a rewind, the bytes still missing for the read that stopped the parse */
  short = 0;
  /** for a failure's report: the step under way, the key being read and its type (-1: none) */
  doing: LoadDoing = 'start';
  curKey: string | null = null;
  curType = -1;
  readonly stats: LoadStats = { version: 0, keys: 0, emptyKeysSkipped: 0, checksumVerified: false };
  private db = 0;
  private done = false;
  private readonly ctx: LoadContext;
  private readonly crc: Crc64 | null;
  private crcPos = 0;

  constructor(buf: Buffer, private readonly onKey: OnKey, private readonly opts: LoadOptions = {}) {
    this.buf = buf;
    this.ctx = opts.ctx ?? DEFAULT_LOAD_CONTEXT;
    this.crc = opts.verifyChecksum === false ? null : new Crc64();
    if (buf.length < 9) throw eofError();
    if (buf.latin1Slice(0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file', false, undefined, true);
    const ver = Number.parseInt(buf.latin1Slice(5, 9), 10);
    if (!(ver >= 1 && ver <= RDB_VERSION)) throw new RdbError(`Can't handle RDB format version ${Number.isNaN(ver) ? 0 : ver}`, false, undefined, true);
    this.stats.version = ver;
    this.pos = 9;
  }

  get finished(): boolean { return this.done; }

  /** Bytes parsed since the start of the file. */
  get offset(): number { return this.base + this.pos; }

  /** Streaming: continue on `next`, the unparsed rest of `buf` followed by the bytes that arrived since. */
  rebase(next: Buffer): void {
    if (this.crc) this.crc.update(this.buf, this.crcPos, this.pos);
    this.base += this.pos;
    this.buf = next;
    this.pos = this.crcPos = this.recStart = 0;
  }

  /** Parse until about `budget` more bytes are consumed or the file ends; true when finished. */
  step(budget = Infinity): boolean {
    if (!this.partial) return this.run(budget);
    try {
      return this.run(budget);
    } catch (e) {
      // the record goes on past what arrived: parse it again, whole, once more bytes are here
      if (!(e instanceof RdbError && e.eof)) throw e;
      // how many more bytes the parse needs to get past where it stopped (at least one)
      const needEnd = eofNeeded();
      this.short = Math.max(1, needEnd - this.buf.length);
      this.pos = this.recStart;
      return false;
    }
  }

  private run(budget: number): boolean {
    if (this.done) return true;
    const stop = this.pos + budget;
    let expire = -1;
    let idle = -1;
    let freq = -1;
    while (this.pos < stop || expire !== -1 || idle !== -1 || freq !== -1) {
      if (expire === -1 && idle === -1 && freq === -1) this.recStart = this.pos;
      this.doing = 'read-type';
      const type = readByte(this);
      if (type === RDB_TYPE_STRING) {
        // the common case first: a string key (no empty-key case, no decodeValue dispatch)
        this.doing = 'read-key';
        this.curType = type;
        this.curKey = null;
        const key = readString(this);
        this.curKey = key;
        this.doing = 'read-object-value';
        const s = readStringValue(this);
        const v = typeof s === 'string' ? s : MutableString.adopt(s);
        this.stats.keys++;
        this.onKey(this.db, key, v, expire, idle, freq);
        expire = idle = freq = -1;
        continue;
      }
      if (type === RDB_OPCODE_EXPIRETIME) {
        this.doing = 'read-expire';
        need(this, 4);
        expire = this.buf.readInt32LE(this.pos) * 1000;
        this.pos += 4;
        continue;
      }
      if (type === RDB_OPCODE_EXPIRETIME_MS) { this.doing = 'read-expire'; expire = readMsTime(this); continue; }
      if (type === RDB_OPCODE_FREQ) { freq = readByte(this); continue; }
      if (type === RDB_OPCODE_IDLE) { idle = readLen(this); continue; }
      if (type === RDB_OPCODE_EOF) { this.finish(); return true; }
      if (type === RDB_OPCODE_SELECTDB) {
        const id = readLen(this);
        if (this.opts.dbnum !== undefined && id >= this.opts.dbnum) {
          throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${this.opts.dbnum} databases. Exiting\n`);
        }
        this.db = id;
        this.opts.onSelectDb?.(id);
        continue;
      }
      if (type === RDB_OPCODE_RESIZEDB) {
        const size = readLen(this);
        const expires = readLen(this);
        this.opts.onResize?.(this.db, size, expires);
        continue;
      }
      if (type === RDB_OPCODE_AUX) {
        this.doing = 'read-aux';
        const k = readString(this);
        const v = readString(this);
        this.opts.onAux?.(k, v);
        continue;
      }
      if (type === RDB_OPCODE_MODULE_AUX) {
        throw new RdbError('The RDB file contains AUX module data I can\'t load: modules are not supported');
      }
      if (type === RDB_OPCODE_FUNCTION || type === RDB_OPCODE_FUNCTION2) {
        if (type === RDB_OPCODE_FUNCTION) throw new RdbError('Failed loading library, Pre-GA function format not supported');
        const code = readString(this);
        if (!this.opts.onFunction) throw new RdbError('Failed loading library, functions are not supported yet');
        this.opts.onFunction(code);
        continue;
      }
      if (!isObjectType(type)) throw new RdbError(`Unknown RDB encoding type ${type}`);
      this.doing = 'read-key';
      this.curType = type;
      this.curKey = null;
      const key = readString(this);
      this.curKey = key;
      this.doing = 'read-object-value';
      let v: Value;
      try {
        v = decodeValue(type, this, this.ctx);
      } catch (e) {
        if (e instanceof EmptyKeyError) {
          this.stats.emptyKeysSkipped++;
          this.opts.onEmptyKey?.(key);
          expire = idle = freq = -1;
          continue;
        }
        throw e;
      }
      this.stats.keys++;
      this.onKey(this.db, key, v, expire, idle, freq);
      expire = idle = freq = -1;
    }
    if (this.crc) { this.crc.update(this.buf, this.crcPos, this.pos); this.crcPos = this.pos; }
    this.opts.onProgress?.(this.base + this.pos);
    return false;
  }

  private finish(): void {
    this.doing = 'check-sum';
    const end = this.pos;
    if (this.stats.version >= 5) {
      need(this, 8);
      if (this.crc) {
        const stored = this.buf.subarray(end, end + 8);
        if (!stored.every((b) => b === 0)) {
          this.crc.update(this.buf, this.crcPos, end);
          if (!this.crc.matches(this.buf, end)) {
            const got = this.buf.readBigUInt64LE(end);
            throw new RdbError(`Wrong RDB checksum expected: (${this.crc.value.toString(16)}) but got (${got.toString(16)}). Aborting now.`, false, 'RDB CRC error');
          }
          this.stats.checksumVerified = true;
        }
      }
      this.pos += 8;
    }
    this.done = true;
    this.opts.onProgress?.(this.base + this.pos);
  }
}

/**
 * An RDB that arrives in pieces (a replica's diskless load, readSyncBulkPayload
 * with rdbLoadRio on the socket): every whole record is parsed as soon as its
 * bytes are here, so the load runs while the transfer goes on and the payload
 * is never held whole. A record cut by the end of what arrived is parsed
 * again once at least as many bytes again have come (amortized linear: a
 * 1 MB value arriving in 64 KB pieces is tried at 64 K, 128 K, ... 1 M).
 * Keys go to the loader's OnKey as they are parsed; the caller decides what a
 * failure leaves behind.
 */
export class RdbFeed {
  loader: RdbLoader | null = null;
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** parse again once this many new bytes are pending (the cut record's size again, or what it surely lacks) */
  private want = 9;
  /** the bytes the cut record surely lacks: a pause of the sender parses again once these are here */
  private lacks = 9;

  constructor(private readonly make: (head: Buffer) => RdbLoader) {}

  /** Bytes parsed so far. */
  get offset(): number { return this.loader?.offset ?? 0; }

  get finished(): boolean { return this.loader?.finished === true; }

  /** Add bytes and parse what they complete; true once the RDB's end (EOF opcode and checksum) was parsed. */
  push(b: Buffer): boolean {
    this.pending.push(b);
    this.pendingLen += b.length;
    if (this.finished) return true;
    if (this.pendingLen < this.want) return false;
    return this.parse();
  }

  /** Parse what is pending now, however little (the sender paused: the record may end in it). */
  poke(): boolean {
    if (this.finished || this.pendingLen === 0 || this.pendingLen < this.lacks) return this.finished;
    return this.parse();
  }

  /** What was not parsed yet, as one buffer: the loader's unparsed rest, then what is pending. */
  private unparsed(): Buffer {
    const l = this.loader;
    const rest = l === null ? null : l.buf.subarray(l.pos);
    const parts = rest === null || rest.length === 0 ? this.pending : [rest, ...this.pending];
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private take(): Buffer {
    const b = this.unparsed();
    this.pending = [];
    this.pendingLen = 0;
    return b;
  }

  private parse(): boolean {
    if (this.loader === null) {
      this.loader = this.make(this.take());
      this.loader.partial = true;
    } else {
      this.loader.rebase(this.take());
    }
    const l = this.loader;
    l.short = 0;
    const done = l.step();
    this.lacks = l.short;
    this.want = Math.max(l.short, l.buf.length - l.pos);
    return done;
  }

  /** The bytes after the RDB's end (a mark, the replication stream), once finished. */
  rest(): Buffer { return this.unparsed(); }

  /** No more bytes will come: parse what is pending; a record (or the file) cut short is now an error. */
  end(): void {
    if (this.finished) return;
    if (this.loader === null && this.pendingLen < 9) throw eofError();
    if (this.pendingLen > 0 || this.loader === null) this.parse();
    const l = this.loader!;
    l.partial = false;
    if (!l.step()) throw eofError();
  }
}

/** Load a whole RDB file held in memory; throws RdbError with a Redis-like message. */
export function loadRdb(data: Buffer, onKey: OnKey, opts: LoadOptions = {}): LoadStats {
  const l = new RdbLoader(data, onKey, opts);
  while (!l.step(2 * 1024 * 1024));
  return l.stats;
}
