/*
 * DUMP's payload (redis/src/cluster.c createDumpPayload / verifyDumpPayload):
 * the value as encodeValue writes it, then the RDB version (2 bytes LE) and
 * the CRC64 of everything before (8 bytes LE). The CRC is always computed,
 * whatever rdbchecksum says; RESTORE checks it unless checksum validation is
 * skipped (DEBUG SET-SKIP-CHECKSUM-VALIDATION).
 */
import type { Value } from '../../types/value.js';
import { Crc64 } from './crc64.js';
import { RDB_VERSION, isObjectType } from './constants.js';
import { encodeValue, type SaveOptions, DEFAULT_SAVE_OPTIONS } from './encode.js';
import { decodeValue, type LoadContext, DEFAULT_LOAD_CONTEXT } from './decode.js';
import { ByteWriter } from './writer-bytes.js';
import { RdbError } from './reader-bytes.js';

const w = new ByteWriter(1024);

/** The DUMP payload of a value. */
export function dumpPayload(v: Value, opts: SaveOptions = DEFAULT_SAVE_OPTIONS): Buffer {
  w.reset();
  encodeValue(v, w, opts);
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  const crc = new Crc64().update(w.buf, 0, w.pos);
  w.bytes(crc.bytes());
  const out = w.take();
  if (w.buf.length > 1024 * 1024) { w.buf = Buffer.allocUnsafe(1024); }
  return out;
}

/** verifyDumpPayload: version not newer than ours and (unless skipped) a matching CRC64. */
export function verifyDumpPayload(p: Buffer, skipChecksum = false): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const ver = p[footer]! | (p[footer + 1]! << 8);
  if (ver > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return new Crc64().update(p, 0, p.length - 8).matches(p, p.length - 8);
}

/**
 * Decode a verified payload's value (rdbLoadObjectType + rdbLoadObject);
 * throws RdbError on bad data. As in Redis, the reader runs over the whole
 * payload: a corrupt value may read into the version and CRC bytes.
 */
export function restorePayload(p: Buffer, ctx: LoadContext = DEFAULT_LOAD_CONTEXT): Value {
  if (p.length <= 10) throw new RdbError('Bad data format', true);
  const type = p[0]!;
  if (!isObjectType(type)) throw new RdbError('Bad data format', true);
  const r = { buf: p, pos: 1 };
  return decodeValue(type, r, ctx);
}
