/*
 * Shared parts of the bitmap commands (bitops.c): bit offset arguments
 * (with BITFIELD's #N form), lookupStringForBitCommand (create or grow the
 * string, zero padded, as a mutable raw string), and BITFIELD / BITFIELD_RO.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import {
  ERR_BIT_OFFSET, ERR_BITFIELD_RO, ERR_BITFIELD_TYPE, ERR_NOT_INTEGER, ERR_OVERFLOW_TYPE, ERR_SYNTAX,
} from '../../protocol/errors.js';
import { MutableString } from '../../types/string.js';
import {
  BF_FAIL, BF_SAT, BF_WRAP, getSignedField, getUnsignedField, setField, signedOverflow, unsignedOverflow, type Overflow,
} from '../../types/bits.js';
import { toBigInt } from '../args.js';
import { MAX_STRING_BYTES, addKey, bytesOf, readString, unshare, writeString } from './common.js';

/**
 * getBitOffsetFromArgument: a bit offset (with `#N` meaning N*bits when
 * bits > 0), below proto-max-bulk-len bytes; null after replying.
 */
export function bitOffset(c: Client, arg: string, bits: number): number | null {
  const hash = bits > 0 && arg.charCodeAt(0) === 35;
  let v = toBigInt(hash ? arg.slice(1) : arg);
  if (v === null) { c.error(ERR_BIT_OFFSET); return null; }
  if (hash) v = BigInt.asIntN(64, v * BigInt(bits));
  if (v < 0n || (v >> 3n) >= BigInt(MAX_STRING_BYTES) || (!c.isMaster && (v >> 3n) >= BigInt(c.server.config.protoMaxBulkLen))) {
    c.error(ERR_BIT_OFFSET);
    return null;
  }
  return Number(v);
}

/**
 * lookupStringForBitCommand: the key's string made mutable and grown to hold
 * bit `maxbit` (created if missing); dirty when created or grown. null after
 * replying WRONGTYPE.
 */
export function stringForBits(c: Client, key: string, maxbit: number): { m: MutableString; dirty: boolean } | null {
  const need = Math.floor(maxbit / 8) + 1;
  const v = writeString(c, key);
  if (v === false) return null;
  if (v === null) {
    const m = new MutableString('', need);
    m.grow(need);
    addKey(c, key, m);
    return { m, dirty: true };
  }
  const m = unshare(c.db, key, v);
  const old = m.len;
  m.grow(need);
  return { m, dirty: m.len !== old };
}

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;

interface FieldOp { op: number; offset: number; value: bigint; ow: Overflow; bits: number; signed: boolean }

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63. */
function fieldType(c: Client, arg: string): { signed: boolean; bits: number } | null {
  const t = arg.charCodeAt(0);
  const signed = t === 105; // 'i'
  if (!signed && t !== 117) { c.error(ERR_BITFIELD_TYPE); return null; }
  const n = toBigInt(arg.slice(1));
  if (n === null || n < 1n || (signed && n > 64n) || (!signed && n > 63n)) { c.error(ERR_BITFIELD_TYPE); return null; }
  return { signed, bits: Number(n) };
}

export function bitfieldGeneric(c: Client, argv: readonly string[], readonlyCmd: boolean): void {
  const ops: FieldOp[] = [];
  let ow: Overflow = BF_WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j]!.toLowerCase();
    let op: number;
    if (sub === 'get' && rem >= 2) op = OP_GET;
    else if (sub === 'set' && rem >= 3) op = OP_SET;
    else if (sub === 'incrby' && rem >= 3) op = OP_INCRBY;
    else if (sub === 'overflow' && rem >= 1) {
      const name = argv[++j]!.toLowerCase();
      if (name === 'wrap') ow = BF_WRAP;
      else if (name === 'sat') ow = BF_SAT;
      else if (name === 'fail') ow = BF_FAIL;
      else { c.error(ERR_OVERFLOW_TYPE); return; }
      continue;
    } else { c.error(ERR_SYNTAX); return; }
    const type = fieldType(c, argv[j + 1]!);
    if (type === null) return;
    const offset = bitOffset(c, argv[j + 2]!, type.bits);
    if (offset === null) return;
    let value = 0n;
    if (op !== OP_GET) {
      readonly = false;
      if (highest < offset + type.bits - 1) highest = offset + type.bits - 1;
      const v = toBigInt(argv[j + 3]!);
      if (v === null) { c.error(ERR_NOT_INTEGER); return; }
      value = v;
    }
    ops.push({ op, offset, value, ow, bits: type.bits, signed: type.signed });
    j += op === OP_GET ? 2 : 3;
  }

  const key = argv[1]!;
  let p: Uint8Array | null = null;
  let dirty = false;
  if (readonly) {
    const v = readString(c, key);
    if (v === false) return;
    if (v !== null) p = bytesOf(v);
  } else {
    if (readonlyCmd) { c.error(ERR_BITFIELD_RO); return; }
    const t = stringForBits(c, key, highest);
    if (t === null) return;
    p = t.m.buf.subarray(0, t.m.len);
    dirty = t.dirty;
  }

  c.array(ops.length);
  let changes = 0;
  for (const o of ops) {
    if (o.op === OP_GET) {
      c.int(p === null ? 0n : o.signed ? getSignedField(p, o.offset, o.bits) : getUnsignedField(p, o.offset, o.bits));
      continue;
    }
    const buf = p!;
    let oldval: bigint;
    let newval: bigint;
    let retval: bigint;
    let overflow: number;
    if (o.signed) {
      oldval = getSignedField(buf, o.offset, o.bits);
      if (o.op === OP_INCRBY) {
        const r = signedOverflow(oldval, o.value, o.bits, o.ow);
        overflow = r.dir;
        newval = overflow ? r.limit : oldval + o.value;
        retval = newval;
      } else {
        const r = signedOverflow(o.value, 0n, o.bits, o.ow);
        overflow = r.dir;
        newval = overflow ? r.limit : o.value;
        retval = oldval;
      }
    } else {
      oldval = getUnsignedField(buf, o.offset, o.bits);
      if (o.op === OP_INCRBY) {
        const r = unsignedOverflow(oldval, o.value, o.bits, o.ow);
        overflow = r.dir;
        newval = overflow ? r.limit : BigInt.asUintN(64, oldval + o.value);
        retval = newval;
      } else {
        const u = BigInt.asUintN(64, o.value);
        const r = unsignedOverflow(u, 0n, o.bits, o.ow);
        overflow = r.dir;
        newval = overflow ? r.limit : u;
        retval = oldval;
      }
    }
    if (overflow && o.ow === BF_FAIL) { c.null(); continue; }
    c.int(retval);
    setField(buf, o.offset, o.bits, newval);
    if (dirty || oldval !== newval) changes++;
  }
  if (changes > 0) c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'setbit', changes);
}
