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
import { decodeValue, readStringValue, EmptyKeyError, type LoadContext, DEFAULT_LOAD_CONTEXT } from './decode.js';
import { ByteWriter, writeLen, writeMsTime, writeString } from './writer-bytes.js';
import { type ByteReader, RdbError, eofError, need, readByte, readLen, readMsTime, readString } from './reader-bytes.js';

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

export class RdbLoader implements ByteReader {
  pos = 0;
  readonly stats: LoadStats = { version: 0, keys: 0, emptyKeysSkipped: 0, checksumVerified: false };
  private db = 0;
  private done = false;
  private readonly ctx: LoadContext;
  private readonly crc: Crc64 | null;
  private crcPos = 0;

  constructor(readonly buf: Buffer, private readonly onKey: OnKey, private readonly opts: LoadOptions = {}) {
    this.ctx = opts.ctx ?? DEFAULT_LOAD_CONTEXT;
    this.crc = opts.verifyChecksum === false ? null : new Crc64();
    if (buf.length < 9) throw eofError();
    if (buf.latin1Slice(0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file');
    const ver = Number.parseInt(buf.latin1Slice(5, 9), 10);
    if (!(ver >= 1 && ver <= RDB_VERSION)) throw new RdbError(`Can't handle RDB format version ${Number.isNaN(ver) ? 0 : ver}`);
    this.stats.version = ver;
    this.pos = 9;
  }

  get finished(): boolean { return this.done; }

  /** Parse until about `budget` more bytes are consumed or the file ends; true when finished. */
  step(budget = Infinity): boolean {
    if (this.done) return true;
    const stop = this.pos + budget;
    let expire = -1;
    let idle = -1;
    let freq = -1;
    while (this.pos < stop || expire !== -1 || idle !== -1 || freq !== -1) {
      const type = readByte(this);
      if (type === RDB_TYPE_STRING) {
        // the common case first: a string key (no empty-key case, no decodeValue dispatch)
        const key = readString(this);
        const v = readStringValue(this);
        this.stats.keys++;
        this.onKey(this.db, key, v, expire, idle, freq);
        expire = idle = freq = -1;
        continue;
      }
      if (type === RDB_OPCODE_EXPIRETIME) {
        need(this, 4);
        expire = this.buf.readInt32LE(this.pos) * 1000;
        this.pos += 4;
        continue;
      }
      if (type === RDB_OPCODE_EXPIRETIME_MS) { expire = readMsTime(this); continue; }
      if (type === RDB_OPCODE_FREQ) { freq = readByte(this); continue; }
      if (type === RDB_OPCODE_IDLE) { idle = readLen(this); continue; }
      if (type === RDB_OPCODE_EOF) { this.finish(); return true; }
      if (type === RDB_OPCODE_SELECTDB) {
        const id = readLen(this);
        if (this.opts.dbnum !== undefined && id >= this.opts.dbnum) {
          throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${this.opts.dbnum} databases. Exiting\n`);
        }
        this.db = id;
        continue;
      }
      if (type === RDB_OPCODE_RESIZEDB) {
        const size = readLen(this);
        const expires = readLen(this);
        this.opts.onResize?.(this.db, size, expires);
        continue;
      }
      if (type === RDB_OPCODE_AUX) {
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
      const key = readString(this);
      let v: Value;
      try {
        v = decodeValue(type, this, this.ctx);
      } catch (e) {
        if (e instanceof EmptyKeyError) {
          this.stats.emptyKeysSkipped++;
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
    this.opts.onProgress?.(this.pos);
    return false;
  }

  private finish(): void {
    const end = this.pos;
    if (this.stats.version >= 5) {
      need(this, 8);
      if (this.crc) {
        const stored = this.buf.subarray(end, end + 8);
        if (!stored.every((b) => b === 0)) {
          this.crc.update(this.buf, this.crcPos, end);
          if (!this.crc.matches(this.buf, end)) {
            const got = this.buf.readBigUInt64LE(end);
            throw new RdbError(`Wrong RDB checksum expected: (${this.crc.value.toString(16)}) but got (${got.toString(16)}). Aborting now.`);
          }
          this.stats.checksumVerified = true;
        }
      }
      this.pos += 8;
    }
    this.done = true;
    this.opts.onProgress?.(this.pos);
  }
}

/** Load a whole RDB file held in memory; throws RdbError with a Redis-like message. */
export function loadRdb(data: Buffer, onKey: OnKey, opts: LoadOptions = {}): LoadStats {
  const l = new RdbLoader(data, onKey, opts);
  while (!l.step(2 * 1024 * 1024));
  return l.stats;
}
