/*
 * RDB codec (Redis 7.0, RDB version 10): the public API used by snapshots
 * (SAVE/BGSAVE), the AOF RDB preamble, DUMP/RESTORE and replication.
 *   encodeValue / decodeValue: one value (type byte + payload)
 *   RdbWriter: a whole file, streamed in chunks; loadRdb / RdbLoader: a whole file
 *   crc64: Redis's crc64-jones; dumpPayload / parseDumpPayload: DUMP's format
 */
export { encodeValue, saveOptionsOf, DEFAULT_SAVE_OPTIONS, UnsupportedValueError, type SaveOptions } from './encode.js';
export { decodeValue, loadContextOf, DEFAULT_LOAD_CONTEXT, EmptyKeyError, type LoadContext } from './decode.js';
export { RdbWriter, RdbLoader, RdbFeed, loadRdb, standardAux, type LoadOptions, type LoadStats, type OnKey, type RdbWriterOptions } from './file.js';
export { crc64, Crc64 } from './crc64.js';
export { ByteWriter, type ByteSink } from './writer-bytes.js';
export { RdbError, type ByteReader } from './reader-bytes.js';
export { dumpPayload, verifyDumpPayload, restorePayload } from './dump.js';
export { RdbCrash } from './shallow.js';
export { rdbErrorText, rdbErrorLine, rdbTypeName } from './report.js';
export * as RDB from './constants.js';
