/*
 * cmsgpack for the script VM, following Redis 7.0's deps/lua/src/lua_cmsgpack.c
 * (lua-cmsgpack 0.4.0 built for Lua 5.1 on a 64-bit host: integers up to
 * int64, lua_pushunsigned = lua_pushinteger, so uint64 above 2^63 reads back
 * negative, and every integer ends as a double).
 */
import {
  LUA_GLOBALSINDEX, T_BOOLEAN, T_NUMBER, T_STRING, T_TABLE,
  argError, checkInteger, checkStr, cfn, cstr, luaError, m, optInteger, pop, pushStr, setfield, toStr, type,
} from '../lua-vm.js';

const MAX_NESTING = 16;
const chr = String.fromCharCode;
const f32 = new Float32Array(1);
const f64 = new Float64Array(1);
const b4 = new Uint8Array(f32.buffer);
const b8 = new Uint8Array(f64.buffer);

/** big-endian bytes of the low n bytes of v */
function be(v: bigint, n: number): string {
  let s = '';
  for (let i = n - 1; i >= 0; i--) s += chr(Number((v >> BigInt(8 * i)) & 0xffn));
  return s;
}

/** mp_encode_bytes */
function bytes(s: string): string {
  const n = s.length;
  if (n < 32) return chr(0xa0 | n) + s;
  if (n <= 0xff) return '\xd9' + chr(n) + s;
  if (n <= 0xffff) return '\xda' + chr(n >> 8, n & 0xff) + s;
  return '\xdb' + be(BigInt(n), 4) + s;
}

/** mp_encode_double: a float when the value survives the round trip through one */
function double(d: number): string {
  if (d === Math.fround(d)) {
    f32[0] = d;
    return '\xca' + chr(b4[3]!, b4[2]!, b4[1]!, b4[0]!);
  }
  f64[0] = d;
  return '\xcb' + chr(b8[7]!, b8[6]!, b8[5]!, b8[4]!, b8[3]!, b8[2]!, b8[1]!, b8[0]!);
}

/** mp_encode_int */
function int(n: number): string {
  if (n >= 0) {
    if (n <= 127) return chr(n);
    if (n <= 0xff) return '\xcc' + chr(n);
    if (n <= 0xffff) return '\xcd' + chr(n >> 8, n & 0xff);
    if (n <= 0xffffffff) return '\xce' + be(BigInt(n), 4);
    return '\xcf' + be(BigInt(n), 8);
  }
  if (n >= -32) return chr(n & 0xff);
  if (n >= -128) return '\xd0' + chr(n & 0xff);
  if (n >= -32768) return '\xd1' + chr((n >> 8) & 0xff, n & 0xff);
  if (n >= -2147483648) return '\xd2' + be(BigInt(n), 4);
  return '\xd3' + be(BigInt.asUintN(64, BigInt(n)), 8);
}

function header(n: number, fix: number, b16: string, b32: string): string {
  if (n <= 15) return chr(fix | n);
  if (n <= 65535) return b16 + chr(n >> 8, n & 0xff);
  return b32 + be(BigInt(n), 4);
}

/** table_is_an_array: keys exactly 1..N (each a positive number that fits an int) */
function isArray(L: number): boolean {
  let count = 0;
  let max = 0;
  const top = m._lua_gettop(L) as number;
  m._luaL_checkstack(L, 2, cstr('in function table_is_an_array'));
  m._lua_pushnil(L);
  while (m._lua_next(L, -2)) {
    pop(L, 1);
    let n: number;
    if (type(L, -1) !== T_NUMBER || (n = m._lua_tonumber(L, -1) as number) <= 0 || !(n === Math.trunc(n) && n <= 2147483647)) {
      m._lua_settop(L, top);
      return false;
    }
    max = n > max ? n : max;
    count++;
  }
  m._lua_settop(L, top);
  return max === count;
}

/** mp_encode_lua_type: the value on top (popped) */
function encodeValue(L: number, level: number, out: string[]): void {
  let t = type(L, -1);
  if (t === T_TABLE && level === MAX_NESTING) t = 0;
  switch (t) {
    case T_STRING: out.push(bytes(toStr(L, -1)!)); break;
    case T_BOOLEAN: out.push(m._lua_toboolean(L, -1) ? '\xc3' : '\xc2'); break;
    case T_NUMBER: {
      const n = m._lua_tonumber(L, -1) as number;
      // IS_INT64_EQUIVALENT: (int64_t)n == n, so integers in [-2^63, 2^63)
      out.push(Number.isInteger(n) && n >= -9223372036854775808 && n < 9223372036854775808 ? int(n === 0 ? 0 : n) : double(n));
      break;
    }
    case T_TABLE:
      if (isArray(L)) {
        const len = m._lua_objlen(L, -1) as number;
        out.push(header(len, 0x90, '\xdc', '\xdd'));
        m._luaL_checkstack(L, 1, cstr('in function mp_encode_lua_table_as_array'));
        for (let j = 1; j <= len; j++) {
          m._lua_pushnumber(L, j);
          m._lua_gettable(L, -2);
          encodeValue(L, level + 1, out);
        }
      } else {
        let len = 0;
        m._luaL_checkstack(L, 3, cstr('in function mp_encode_lua_table_as_map'));
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) { pop(L, 1); len++; }
        out.push(header(len, 0x80, '\xde', '\xdf'));
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) {
          m._lua_pushvalue(L, -2);
          encodeValue(L, level + 1, out);
          encodeValue(L, level + 1, out);
        }
      }
      break;
    default: out.push('\xc0');
  }
  pop(L, 1);
}

function pack(L: number): number {
  const nargs = m._lua_gettop(L) as number;
  if (nargs === 0) return argError(L, 0, 'MessagePack pack needs input.');
  if (!m._lua_checkstack(L, nargs)) return argError(L, 0, 'Too many arguments for MessagePack pack.');
  for (let i = 1; i <= nargs; i++) {
    m._luaL_checkstack(L, 1, cstr('in function mp_check'));
    m._lua_pushvalue(L, i);
    const out: string[] = [];
    encodeValue(L, 0, out);
    pushStr(L, out.join(''));
  }
  m._lua_concat(L, nargs);
  return 1;
}

// ---- decoding -----------------------------------------------------------------------------

const ERR_EOF = 1, ERR_BADFMT = 2;

class Cursor {
  err = 0;
  constructor(readonly s: string, public p: number) {}
  get left(): number { return this.s.length - this.p; }
  /** mp_cur_need: false (and the EOF error) when fewer than n bytes are left */
  need(n: number): boolean {
    if (this.s.length - this.p >= n) return true;
    this.err = ERR_EOF;
    return false;
  }
  b(i: number): number { return this.s.charCodeAt(this.p + i); }
  /** bytes p+1.. as an unsigned big-endian integer */
  u(n: number): bigint {
    let v = 0n;
    for (let i = 1; i <= n; i++) v = (v << 8n) | BigInt(this.b(i));
    return v;
  }
}

/** a string of len bytes after a header of hdr bytes */
function str(L: number, c: Cursor, hdr: number, len: number): void {
  if (!c.need(hdr + len)) return;
  pushStr(L, c.s.slice(c.p + hdr, c.p + hdr + len));
  c.p += hdr + len;
}

/** mp_decode_to_lua_type: one value pushed (or the cursor's error set) */
function decodeValue(L: number, c: Cursor): void {
  if (c.left < 1) { c.err = ERR_EOF; return; }
  m._luaL_checkstack(L, 1, cstr('too many return values at once; use unpack_one or unpack_limit instead.'));
  const b0 = c.b(0);
  switch (b0) {
    case 0xcc: if (c.need(2)) { m._lua_pushnumber(L, c.b(1)); c.p += 2; } return;
    case 0xd0: if (c.need(2)) { m._lua_pushnumber(L, (c.b(1) << 24) >> 24); c.p += 2; } return;
    case 0xcd: if (c.need(3)) { m._lua_pushnumber(L, (c.b(1) << 8) | c.b(2)); c.p += 3; } return;
    case 0xd1: if (c.need(3)) { m._lua_pushnumber(L, (((c.b(1) << 8) | c.b(2)) << 16) >> 16); c.p += 3; } return;
    case 0xce: if (c.need(5)) { m._lua_pushnumber(L, Number(c.u(4))); c.p += 5; } return;
    case 0xd2: if (c.need(5)) { m._lua_pushnumber(L, Number(BigInt.asIntN(32, c.u(4)))); c.p += 5; } return;
    case 0xcf: // lua_pushunsigned is lua_pushinteger on 64-bit: the value goes through int64
    case 0xd3: if (c.need(9)) { m._lua_pushnumber(L, Number(BigInt.asIntN(64, c.u(8)))); c.p += 9; } return;
    case 0xc0: m._lua_pushnil(L); c.p += 1; return;
    case 0xc3: m._lua_pushboolean(L, 1); c.p += 1; return;
    case 0xc2: m._lua_pushboolean(L, 0); c.p += 1; return;
    case 0xca:
      if (c.need(5)) {
        for (let i = 0; i < 4; i++) b4[3 - i] = c.b(1 + i);
        m._lua_pushnumber(L, f32[0]!);
        c.p += 5;
      }
      return;
    case 0xcb:
      if (c.need(9)) {
        for (let i = 0; i < 8; i++) b8[7 - i] = c.b(1 + i);
        m._lua_pushnumber(L, f64[0]!);
        c.p += 9;
      }
      return;
    case 0xd9: if (c.need(2)) str(L, c, 2, c.b(1)); return;
    case 0xda: if (c.need(3)) str(L, c, 3, (c.b(1) << 8) | c.b(2)); return;
    case 0xdb:
      if (c.need(5)) {
        const len = Number(c.u(4));
        c.p += 5;
        str(L, c, 0, len);
      }
      return;
    case 0xdc: if (c.need(3)) { const n = (c.b(1) << 8) | c.b(2); c.p += 3; decodeArray(L, c, n); } return;
    case 0xdd: if (c.need(5)) { const n = Number(c.u(4)); c.p += 5; decodeArray(L, c, n); } return;
    case 0xde: if (c.need(3)) { const n = (c.b(1) << 8) | c.b(2); c.p += 3; decodeMap(L, c, n); } return;
    case 0xdf: if (c.need(5)) { const n = Number(c.u(4)); c.p += 5; decodeMap(L, c, n); } return;
  }
  if ((b0 & 0x80) === 0) { m._lua_pushnumber(L, b0); c.p += 1; }
  else if ((b0 & 0xe0) === 0xe0) { m._lua_pushnumber(L, b0 - 256); c.p += 1; }
  else if ((b0 & 0xe0) === 0xa0) str(L, c, 1, b0 & 0x1f);
  else if ((b0 & 0xf0) === 0x90) { c.p += 1; decodeArray(L, c, b0 & 0xf); }
  else if ((b0 & 0xf0) === 0x80) { c.p += 1; decodeMap(L, c, b0 & 0xf); }
  else c.err = ERR_BADFMT;
}

function decodeArray(L: number, c: Cursor, len: number): void {
  m._lua_createtable(L, 0, 0);
  m._luaL_checkstack(L, 1, cstr('in function mp_decode_to_lua_array'));
  for (let i = 1; i <= len; i++) {
    m._lua_pushnumber(L, i);
    decodeValue(L, c);
    if (c.err) return;
    m._lua_settable(L, -3);
  }
}

function decodeMap(L: number, c: Cursor, len: number): void {
  m._lua_createtable(L, 0, 0);
  while (len-- > 0) {
    decodeValue(L, c);
    if (c.err) return;
    decodeValue(L, c);
    if (c.err) return;
    m._lua_settable(L, -3);
  }
}

/** mp_unpack_full: limit and offset 0 decode everything (and return no offset) */
function unpackFull(L: number, limit: bigint, offset: bigint): number {
  const s = checkStr(L, 1);
  const len = s.length;
  const decodeAll = limit === 0n && offset === 0n;
  if (offset < 0n || limit < 0n) {
    return luaError(L, `Invalid request to unpack with offset of ${BigInt.asIntN(32, offset)} and limit of ${len | 0}.`);
  }
  if (offset > BigInt(len)) return luaError(L, `Start offset ${BigInt.asIntN(32, offset)} greater than input length ${len | 0}.`);
  const max = decodeAll ? 2147483647 : Number(limit);
  const c = new Cursor(s, Number(offset));
  let cnt = 0;
  for (; c.left > 0 && cnt < max; cnt++) {
    decodeValue(L, c);
    if (c.err === ERR_EOF) return luaError(L, 'Missing bytes in input.');
    if (c.err === ERR_BADFMT) return luaError(L, 'Bad data format in input.');
  }
  if (!decodeAll) {
    m._luaL_checkstack(L, 1, cstr('in function mp_unpack_full'));
    m._lua_pushnumber(L, c.left === 0 ? -1 : len - c.left);
    m._lua_insert(L, 2);
    cnt++;
  }
  return cnt;
}

const fns: [string, (L: number) => number][] = [
  ['pack', pack],
  ['unpack', (L) => unpackFull(L, 0n, 0n)],
  ['unpack_one', (L) => {
    const offset = optInteger(L, 2, 0n);
    m._lua_settop(L, -(m._lua_gettop(L) as number)); // lua_pop(L, lua_gettop(L)-1)
    return unpackFull(L, 1n, offset);
  }],
  ['unpack_limit', (L) => {
    const limit = checkInteger(L, 2);
    const offset = optInteger(L, 3, 0n);
    m._lua_settop(L, -(m._lua_gettop(L) as number));
    return unpackFull(L, limit, offset);
  }],
];
const ptrs = fns.map(([name, f]) => [name, cfn(f)] as const);

/** luaopen_cmsgpack: the global cmsgpack */
export function openCmsgpack(L: number): void {
  m._lua_createtable(L, 0, 0);
  for (const [name, p] of ptrs) { m._lua_pushcclosure(L, p, 0); setfield(L, -2, name); }
  for (const [k, v] of [['_NAME', 'cmsgpack'], ['_VERSION', 'lua-cmsgpack 0.4.0'], ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua']] as const) { pushStr(L, v); setfield(L, -2, k); }
  setfield(L, LUA_GLOBALSINDEX, 'cmsgpack');
}
