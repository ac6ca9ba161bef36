/*
 * struct for the script VM, following Redis 7.0's deps/lua/src/lua_struct.c
 * (Roberto Ierusalimschy's struct library) as built on x86-64 Linux:
 * little-endian native order, long and size_t of 8 bytes, int of 4, maximum
 * alignment 8, integers held in an unsigned long.
 */
import {
  LUA_GLOBALSINDEX, argError, checkStr, cfn, cstr, luaError, m, optInteger, pushStr, setfield, toInt64,
} from '../lua-vm.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const BIG = 0, LITTLE = 1;
const INT_MAX = 2147483647;
const TWO63 = 9223372036854775808;

interface Header { endian: number; align: number }

/** the format (a C string: it ends at the first NUL) and a cursor in it */
class Fmt {
  i = 0;
  readonly s: string;
  constructor(s: string) { const z = s.indexOf('\0'); this.s = z < 0 ? s : s.slice(0, z); }
  get more(): boolean { return this.i < this.s.length; }
  isdigit(): boolean { const c = this.s.charCodeAt(this.i); return c >= 0x30 && c <= 0x39; }
}

function getnum(L: number, f: Fmt, df: number): number {
  if (!f.isdigit()) return df;
  let a = 0;
  do {
    const d = f.s.charCodeAt(f.i) - 0x30;
    if (a > Math.floor(INT_MAX / 10) || a * 10 > INT_MAX - d) luaError(L, 'integral size overflow');
    a = a * 10 + d;
    f.i++;
  } while (f.isdigit());
  return a;
}

function optsize(L: number, opt: string, f: Fmt): number {
  switch (opt) {
    case 'B': case 'b': return 1;
    case 'H': case 'h': return 2;
    case 'L': case 'l': case 'T': return 8;
    case 'f': return 4;
    case 'd': return 8;
    case 'x': return 1;
    case 'c': return getnum(L, f, 1);
    case 'i': case 'I': {
      const sz = getnum(L, f, 4);
      if (sz > MAXINTSIZE) luaError(L, `integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default: return 0;
  }
}

/** padding before an item of this size at offset len (a number, or a bigint offset for unpack) */
function gettoalign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  // (size - (len & (size - 1))) & (size - 1), in size_t arithmetic
  const lo = Number(BigInt.asUintN(64, BigInt(size) - (BigInt(len) & BigInt(size - 1))) & BigInt(size - 1));
  return lo;
}

const isp2 = (x: number): boolean => x > 0 && (x & (x - 1)) === 0;

function controloptions(L: number, opt: string, f: Fmt, h: Header): void {
  switch (opt) {
    case ' ': return;
    case '>': h.endian = BIG; return;
    case '<': h.endian = LITTLE; return;
    case '!': {
      const a = getnum(L, f, MAXALIGN);
      if (!isp2(a)) luaError(L, `alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default: argError(L, 1, `invalid format option '${opt}'`);
  }
}

/** (unsigned long)d as gcc compiles it on x86-64 (the 2^63 split; NaN gives 2^63, 2^64 and above 0) */
function toUint64(d: number): bigint {
  if (d >= TWO63) return d < 18446744073709551616 ? BigInt(d) : 0n;
  return BigInt.asUintN(64, toInt64(d));
}

/** bytes of a double/float in the chosen order */
function floatBytes(d: number, size: 4 | 8, endian: number): string {
  const buf = Buffer.alloc(size);
  if (size === 4) buf.writeFloatLE(d, 0); else buf.writeDoubleLE(d, 0);
  if (endian === BIG) buf.reverse();
  return buf.toString('latin1');
}

function pack(L: number): number {
  const f = new Fmt(checkStr(L, 1));
  const h: Header = { endian: LITTLE, align: 1 };
  m._lua_pushnil(L); // b_pack's mark between the arguments and the buffer: a missing argument reads as nil
  let arg = 2;
  let total = 0;
  const out: string[] = [];
  while (f.more) {
    const opt = f.s[f.i++]!;
    let size = optsize(L, opt, f);
    const toalign = gettoalign(total, h, opt, size);
    total += toalign;
    if (toalign > 0) out.push('\0'.repeat(toalign));
    switch (opt) {
      case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I': {
        let v = toUint64(m._luaL_checknumber(L, arg++) as number);
        const bytes: number[] = new Array<number>(size);
        for (let i = 0; i < size; i++) {
          bytes[h.endian === LITTLE ? i : size - 1 - i] = Number(v & 0xffn);
          v >>= 8n;
        }
        out.push(String.fromCharCode(...bytes));
        break;
      }
      case 'x': out.push('\0'); break;
      case 'f': out.push(floatBytes(m._luaL_checknumber(L, arg++) as number, 4, h.endian)); break;
      case 'd': out.push(floatBytes(m._luaL_checknumber(L, arg++) as number, 8, h.endian)); break;
      case 'c': case 's': {
        const s = checkStr(L, arg++);
        if (size === 0) size = s.length;
        if (!(s.length >= size)) argError(L, arg, 'string too short');
        out.push(s.slice(0, size));
        if (opt === 's') { out.push('\0'); size++; }
        break;
      }
      default: controloptions(L, opt, f, h);
    }
    total += size;
  }
  pushStr(L, out.join(''));
  return 1;
}

/** getinteger: size bytes at data[pos] as unsigned long, sign-extended for the signed formats */
function getinteger(data: string, pos: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const i = endian === BIG ? k : size - 1 - k;
    l = BigInt.asUintN(64, (l << 8n) | BigInt(data.charCodeAt(pos + i)));
  }
  if (!signed) return Number(l);
  const mask = BigInt.asUintN(64, ~0n << BigInt((size * 8 - 1) & 63)); // x86 takes the shift count mod 64
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function unpack(L: number): number {
  const f = new Fmt(checkStr(L, 1));
  const data = checkStr(L, 2);
  const ld = data.length;
  const start = optInteger(L, 3, 1n);
  if (start === 0n) argError(L, 3, 'offset must be 1 or greater');
  // a negative offset is a huge size_t: every item is then beyond the data
  const beyond = start < 0n;
  let pos = beyond ? 0 : Number(start) - 1;
  let n = 0;
  const h: Header = { endian: LITTLE, align: 1 };
  const tooShort = (): number => argError(L, 2, 'data string too short');
  while (f.more) {
    const opt = f.s[f.i++]!;
    let size = optsize(L, opt, f);
    pos += gettoalign(pos, h, opt, size);
    if (beyond || !(size <= ld && pos <= ld - size)) tooShort();
    m._luaL_checkstack(L, 2, cstr('too many results'));
    switch (opt) {
      case 'b': case 'B': case 'h': case 'H': case 'l': case 'L': case 'T': case 'i': case 'I':
        m._lua_pushnumber(L, getinteger(data, pos, h.endian, opt >= 'a', size)); n++;
        break;
      case 'x': break;
      case 'f': case 'd': {
        const buf = Buffer.from(data.slice(pos, pos + size), 'latin1');
        if (h.endian === BIG) buf.reverse();
        m._lua_pushnumber(L, size === 4 ? buf.readFloatLE(0) : buf.readDoubleLE(0)); n++;
        break;
      }
      case 'c': {
        if (size === 0) {
          if (n === 0 || !m._lua_isnumber(L, -1)) luaError(L, "format 'c0' needs a previous size");
          const want = toUint64(m._lua_tonumber(L, -1) as number);
          m._lua_settop(L, -2); n--;
          if (!(want <= BigInt(ld) && BigInt(pos) <= BigInt(ld) - want)) tooShort();
          size = Number(want);
        }
        pushStr(L, data.slice(pos, pos + size)); n++;
        break;
      }
      case 's': {
        const e = data.indexOf('\0', pos);
        if (e < 0) luaError(L, 'unfinished string in data');
        size = e - pos + 1;
        pushStr(L, data.slice(pos, e)); n++;
        break;
      }
      default: controloptions(L, opt, f, h);
    }
    pos += size;
  }
  m._lua_pushnumber(L, beyond ? Number(start) : pos + 1);
  return n + 1;
}

function size(L: number): number {
  const f = new Fmt(checkStr(L, 1));
  const h: Header = { endian: LITTLE, align: 1 };
  let pos = 0;
  while (f.more) {
    const opt = f.s[f.i++]!;
    const sz = optsize(L, opt, f);
    pos += gettoalign(pos, h, opt, sz);
    if (opt === 's') argError(L, 1, "option 's' has no fixed size");
    else if (opt === 'c' && sz === 0) argError(L, 1, "option 'c0' has no fixed size");
    if (!/[0-9A-Za-z]/.test(opt)) controloptions(L, opt, f, h);
    pos += sz;
  }
  m._lua_pushnumber(L, pos);
  return 1;
}

const ptrs = ([['pack', pack], ['unpack', unpack], ['size', size]] as const).map(([name, fn]) => [name, cfn(fn)] as const);

/** luaopen_struct: the global struct */
export function openStruct(L: number): void {
  m._lua_createtable(L, 0, ptrs.length);
  for (const [name, p] of ptrs) { m._lua_pushcclosure(L, p, 0); setfield(L, -2, name); }
  setfield(L, LUA_GLOBALSINDEX, 'struct');
}
