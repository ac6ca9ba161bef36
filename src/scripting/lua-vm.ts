/*
 * The Lua 5.1 VM of the script worker (lua-worker.ts): wasmoon-lua5.1 driven
 * through its raw C API, and the helpers every part of the worker shares.
 * Strings cross the boundary as bytes (lua_pushlstring / lua_tolstring on the
 * WASM heap), so latin1 JS strings stay binary safe; the package's UTF-8
 * helpers are never used. Loaded in the worker thread only.
 */
import { LuaApi } from 'wasmoon-lua5.1';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const LUA_REGISTRYINDEX = -10000;
export const LUA_GLOBALSINDEX = -10002;
export const T_NIL = 0, T_BOOLEAN = 1, T_NUMBER = 3, T_STRING = 4, T_TABLE = 5;
export const MASK_LINE = 4, MASK_COUNT = 8;

const api = await LuaApi.initialize();
export const m = api.module as any;

// ---- raw heap helpers --------------------------------------------------------

let scratch = 0;
let scratchSize = 0;
const lenPtr: number = m._malloc(8);
const cstrCache = new Map<string, number>();

/** A NUL-terminated constant string in the heap (cached). */
export function cstr(s: string): number {
  let p = cstrCache.get(s);
  if (p === undefined) {
    p = m._malloc(s.length + 1) as number;
    const h = m.HEAPU8 as Uint8Array;
    for (let i = 0; i < s.length; i++) h[p + i] = s.charCodeAt(i) & 0xff;
    h[p + s.length] = 0;
    cstrCache.set(s, p);
  }
  return p;
}

/** Copy a latin1 string into the scratch buffer; returns its pointer. */
export function toHeap(s: string): number {
  if (s.length + 1 > scratchSize) {
    if (scratch) m._free(scratch);
    scratchSize = Math.max(256, s.length + 1);
    scratch = m._malloc(scratchSize);
  }
  Buffer.from((m.HEAPU8 as Uint8Array).buffer, scratch, s.length).write(s, 'latin1');
  return scratch;
}

export function pushStr(L: number, s: string): void { m._lua_pushlstring(L, toHeap(s), s.length); }

export function toStr(L: number, idx: number): string | null {
  const p = m._lua_tolstring(L, idx, lenPtr) as number;
  if (p === 0) return null;
  const len = (m.HEAPU32 as Uint32Array)[lenPtr >> 2]!;
  return Buffer.from((m.HEAPU8 as Uint8Array).buffer, p, len).toString('latin1');
}

export const type = (L: number, idx: number): number => m._lua_type(L, idx);
export const getfield = (L: number, idx: number, k: string): void => m._lua_getfield(L, idx, cstr(k));
export const setfield = (L: number, idx: number, k: string): void => m._lua_setfield(L, idx, cstr(k));
export const pop = (L: number, n: number): void => m._lua_settop(L, -n - 1);
export const cfn = (f: (L: number) => number): number => m.addFunction(f, 'ii');
/** t[k] without metamethods for the table on top (lua_pushstring + lua_rawget, as script_lua.c). */
export function rawfield(L: number, k: string): void { pushStr(L, k); m._lua_rawget(L, -2); }
/** the same for the table just below the top */
export function rawfield2(L: number, k: string): void { pushStr(L, k); m._lua_rawget(L, -3); }

/** Raise a Lua error with position info, as luaL_error. */
export function luaError(L: number, msg: string): number {
  m._luaL_where(L, 1);
  pushStr(L, msg);
  m._lua_concat(L, 2);
  return m._lua_error(L);
}

/** luaPushErrorBuff: {err = "<CODE> msg"} ("-CODE msg" or plain "msg" given). */
export function pushErrorTable(L: number, e: string): void {
  let code = 'ERR';
  let msg = e;
  if (e.startsWith('-')) {
    const sp = e.indexOf(' ');
    if (sp < 0) msg = e.slice(1);
    else { code = e.slice(1, sp); msg = e.slice(sp + 1); }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  m._lua_createtable(L, 0, 2);
  pushStr(L, `${code} ${msg}`);
  setfield(L, -2, 'err');
}

// ---- helpers for the bundled C libraries (lua-libs/) ------------------------------

export const T_LIGHTUSERDATA = 2, T_FUNCTION = 6, T_USERDATA = 7, T_THREAD = 8;
export const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];
/** lua_upvalueindex(n) */
export const upvalueIndex = (n: number): number => LUA_GLOBALSINDEX - n;

/** luaL_checklstring: the argument's bytes (a number is converted in place), or the usual "string expected" error. */
export function checkStr(L: number, idx: number): string {
  const p = m._luaL_checklstring(L, idx, lenPtr) as number;
  const len = (m.HEAPU32 as Uint32Array)[lenPtr >> 2]!;
  return Buffer.from((m.HEAPU8 as Uint8Array).buffer, p, len).toString('latin1');
}

/** luaL_argerror with a message built at run time (held on the stack while the error is raised). */
export function argError(L: number, narg: number, msg: string): number {
  pushStr(L, msg);
  return m._luaL_argerror(L, narg, m._lua_tolstring(L, -1, 0));
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/**
 * (int64_t)d as x86-64 computes it (cvttsd2si): truncation, and INT64_MIN for
 * NaN or out of range. Returned as a BigInt.
 */
export function toInt64(d: number): bigint {
  if (!(d > -9223372036854777856 && d < 9223372036854775808)) return -9223372036854775808n;
  return BigInt(Math.trunc(d));
}

/**
 * luaL_checkinteger as in Redis's 64-bit build (lua_Integer is int64 there;
 * the WASM build's is int32, so its own luaL_checkinteger is not used).
 */
export function checkInteger(L: number, idx: number): bigint {
  return toInt64(m._luaL_checknumber(L, idx) as number);
}

/** luaL_optinteger (64-bit lua_Integer) */
export function optInteger(L: number, idx: number, def: bigint): bigint {
  return type(L, idx) <= 0 ? def : checkInteger(L, idx);
}

/** the low 32 bits of a double's bit pattern (little-endian word 0) */
export function lowWord(d: number): number {
  f64[0] = d;
  return u32[0]!;
}
