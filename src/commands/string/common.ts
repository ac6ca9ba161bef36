/*
 * Helpers shared by the string and bitmap commands (Redis's t_string.c and
 * bitops.c private functions): typed lookups with Redis's read/write
 * statistics, making a value mutable in place (dbUnshareStringValue), the
 * proto-max-bulk-len check, expire-time parsing and the SET/GETEX option parser.
 */
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import { ERR_NOT_INTEGER, ERR_STRING_TOO_LONG, ERR_SYNTAX, ERR_WRONGTYPE, errInvalidExpire } from '../../protocol/errors.js';
import { MutableString, type StringValue } from '../../types/string.js';
import { LLONG_MAX, toBigInt, toInt } from '../args.js';
import { bigArg } from '../../protocol/big-args.js';
import { constants as bufferConstants } from 'node:buffer';

/** The longest string value this process can hold (a Buffer's limit). */
export const MAX_STRING_BYTES = bufferConstants.MAX_LENGTH;

/**
 * A value argument as a string value: itself, or for a big argument (one past
 * V8's string limit, protocol/big-args.ts) a MutableString over its bytes.
 */
export function argValue(a: string): StringValue {
  const b = bigArg(a);
  return b === undefined ? a : MutableString.adopt(b);
}

/** Reply a string value as a bulk (a MutableString straight from its bytes). */
export function replyValue(c: Client, v: StringValue): void {
  if (typeof v === 'string') c.bulk(v); else c.bulkBuffer(v.bytes());
}

/** lookupKeyRead + checkType: the string, null when missing (a miss is counted), false after replying WRONGTYPE. */
export function readString(c: Client, key: string): StringValue | null | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (typeof v === 'string') return v;
  if (v.type !== 'string') { c.error(ERR_WRONGTYPE); return false; }
  return v as MutableString;
}

/** lookupKeyWrite + checkType: the string, null when missing, false after replying WRONGTYPE. */
export function writeString(c: Client, key: string): StringValue | null | false {
  const v = c.db.get(key);
  if (v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v.type !== 'string') { c.error(ERR_WRONGTYPE); return false; }
  return v as MutableString;
}

/** The bytes of a string value (a view for mutable strings, a copy otherwise). */
export function bytesOf(v: StringValue): Uint8Array {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v.bytes();
}

/** dbUnshareStringValue: the key's value as a MutableString (stored in place, TTL kept). */
export function unshare(db: Db, key: string, v: StringValue): MutableString {
  if (typeof v !== 'string') return v;
  const m = new MutableString(v);
  db.set(key, m, true);
  return m;
}

export { addKey, setKey } from '../generic/common.js';

/** checkStringLength: size + append must fit proto-max-bulk-len (not enforced for our master). */
export function checkStringLength(c: Client, size: number, append: number): boolean {
  // past the longest Buffer (4 GB) not even a raised proto-max-bulk-len (or a master) can be met: the same error
  if (size + append > MAX_STRING_BYTES) { c.error(ERR_STRING_TOO_LONG); return false; }
  if (c.isMaster) return true;
  if (size + append > c.server.config.protoMaxBulkLen) { c.error(ERR_STRING_TOO_LONG); return false; }
  return true;
}

// ---- expire times -------------------------------------------------------------

export const OBJ_NX = 1 << 0;
export const OBJ_XX = 1 << 1;
export const OBJ_EX = 1 << 2;
export const OBJ_PX = 1 << 3;
export const OBJ_KEEPTTL = 1 << 4;
export const OBJ_GET = 1 << 5;
export const OBJ_EXAT = 1 << 6;
export const OBJ_PXAT = 1 << 7;
export const OBJ_PERSIST = 1 << 8;
const ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;

/**
 * getExpireMillisecondsOrReply: the absolute expire time in ms (as a decimal
 * string too, exact for propagation), or null after replying an error.
 * `seconds` for EX/EXAT units, `relative` for EX/PX.
 */
export function expireMs(c: Client, arg: string, seconds: boolean, relative: boolean): { ms: number; str: string } | null {
  const small = toInt(arg);
  if (small === null) { c.error(ERR_NOT_INTEGER); return null; }
  const fullname = c.cmd!.fullname;
  if (Number.isSafeInteger(small) && Math.abs(small) < 2 ** 40) {
    if (small <= 0) { c.error(errInvalidExpire(fullname)); return null; }
    let ms = seconds ? small * 1000 : small;
    if (relative) ms += c.server.now;
    return { ms, str: String(ms) };
  }
  let v = toBigInt(arg)!;
  if (v <= 0n || (seconds && v > LLONG_MAX / 1000n)) { c.error(errInvalidExpire(fullname)); return null; }
  if (seconds) v *= 1000n;
  if (relative) v += BigInt(c.server.now);
  if (v > LLONG_MAX) { c.error(errInvalidExpire(fullname)); return null; }
  return { ms: Number(v), str: String(v) };
}

/** What parseExtendedStringArguments found: flags, the expire argument and its unit. */
export interface StringOptions { flags: number; expire: string | null }

/**
 * parseExtendedStringArgumentsOrReply: the options of SET (from argv[3]) or
 * GETEX (from argv[2]), with Redis's exact rules for conflicting options;
 * null after replying a syntax error.
 */
export function parseStringOptions(c: Client, argv: readonly string[], forSet: boolean): StringOptions | null {
  let flags = 0;
  let expire: string | null = null;
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const hasNext = j < argv.length - 1;
    if (opt === 'nx' && forSet && !(flags & OBJ_XX)) flags |= OBJ_NX;
    else if (opt === 'xx' && forSet && !(flags & OBJ_NX)) flags |= OBJ_XX;
    else if (opt === 'get' && forSet) flags |= OBJ_GET;
    else if (opt === 'keepttl' && forSet && !(flags & (OBJ_PERSIST | ANY_EXPIRE))) flags |= OBJ_KEEPTTL;
    else if (opt === 'persist' && !forSet && !(flags & (ANY_EXPIRE | OBJ_KEEPTTL))) flags |= OBJ_PERSIST;
    else if (opt === 'ex' && hasNext && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT))) {
      flags |= OBJ_EX; expire = argv[++j]!;
    } else if (opt === 'px' && hasNext && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT))) {
      flags |= OBJ_PX; expire = argv[++j]!;
    } else if (opt === 'exat' && hasNext && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT))) {
      flags |= OBJ_EXAT; expire = argv[++j]!;
    } else if (opt === 'pxat' && hasNext && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX))) {
      flags |= OBJ_PXAT; expire = argv[++j]!;
    } else {
      c.error(ERR_SYNTAX);
      return null;
    }
  }
  return { flags, expire };
}

/** The absolute expire of parsed options, or null after replying (call only when opts.expire is set). */
export function optionsExpire(c: Client, o: StringOptions): { ms: number; str: string } | null {
  return expireMs(c, o.expire!, (o.flags & (OBJ_EX | OBJ_EXAT)) !== 0, (o.flags & (OBJ_EX | OBJ_PX)) !== 0);
}
