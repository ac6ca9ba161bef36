/*
 * cjson for the script VM, following Redis 7.0's deps/lua/src/lua_cjson.c
 * (lua-cjson 2.1.0 as bundled by Redis, with fpconv.c's "%.14g" number
 * output and strtod input). Each cjson table (the global one and every
 * cjson.new()) holds its configuration in a userdata upvalue of its functions,
 * as lua_cjson.c does, so settings last for the life of the Lua state.
 */
import { formatG } from '../../protocol/reply.js';
import {
  LUA_GLOBALSINDEX, T_BOOLEAN, T_LIGHTUSERDATA, T_NIL, T_NUMBER, T_STRING, T_TABLE, TYPE_NAMES,
  argError, checkInteger, checkStr, cfn, cstr, luaError, m, pop, pushStr, setfield, toStr, type, upvalueIndex,
} from '../lua-vm.js';

// configuration slots (int32) in the userdata upvalue
const SPARSE_CONVERT = 0, SPARSE_RATIO = 1, SPARSE_SAFE = 2, ENC_MAX_DEPTH = 3, ENC_INVALID = 4,
  ENC_PRECISION = 5, ENC_KEEP_BUFFER = 6, DEC_INVALID = 7, DEC_MAX_DEPTH = 8, CFG_SLOTS = 9;
const DEFAULTS = [0, 2, 10, 1000, 0, 14, 1, 1, 1000];
const INT_MAX = 2147483647;

type Cfg = Int32Array;

/** the configuration of the running cjson function (upvalue 1); a view that must not outlive heap growth */
function config(L: number): Cfg {
  const p = m._lua_touserdata(L, upvalueIndex(1)) as number;
  if (p === 0) luaError(L, 'BUG: Unable to fetch CJSON configuration');
  return new Int32Array((m.HEAP32 as Int32Array).buffer, p, CFG_SLOTS);
}

// ---- configuration functions -----------------------------------------------------

/** json_arg_init: at most n arguments, padded with nil */
function argInit(L: number, n: number): void {
  if (m._lua_gettop(L) > n) argError(L, n + 1, 'found too many arguments');
  while (m._lua_gettop(L) < n) m._lua_pushnil(L);
}

/** json_integer_option (the range error always names argument 1, as lua_cjson.c) */
function integerOption(L: number, idx: number, slot: number, min: number, max: number): void {
  if (type(L, idx) !== T_NIL) {
    const v = Number(BigInt.asIntN(32, checkInteger(L, idx))); // assigned to an int
    if (!(min <= v && v <= max)) argError(L, 1, `expected integer between ${min} and ${max}`);
    config(L)[slot] = v;
  }
  m._lua_pushnumber(L, config(L)[slot]!);
}

const optionLists = new Map<string, number>();
/** a NULL-terminated char *[] for luaL_checkoption */
function optionList(names: string[]): number {
  const key = names.join('\0');
  let p = optionLists.get(key);
  if (p === undefined) {
    p = m._malloc(4 * (names.length + 1)) as number;
    const h = m.HEAPU32 as Uint32Array;
    names.forEach((n, i) => { h[(p! >> 2) + i] = cstr(n); });
    h[(p >> 2) + names.length] = 0;
    optionLists.set(key, p);
  }
  return p;
}

/** json_enum_option with bool_true = 1 (every use in lua_cjson.c) */
function enumOption(L: number, idx: number, slot: number, names: string[] = ['off', 'on']): void {
  if (type(L, idx) !== T_NIL) {
    const v = type(L, idx) === T_BOOLEAN ? m._lua_toboolean(L, idx) as number : m._luaL_checkoption(L, idx, 0, optionList(names)) as number;
    config(L)[slot] = v;
  }
  const v = config(L)[slot]!;
  if (v === 0 || v === 1) m._lua_pushboolean(L, v);
  else pushStr(L, names[v]!);
}

const cfgFns: Record<string, (L: number) => number> = {
  encode_sparse_array: (L) => {
    argInit(L, 3);
    enumOption(L, 1, SPARSE_CONVERT);
    integerOption(L, 2, SPARSE_RATIO, 0, INT_MAX);
    integerOption(L, 3, SPARSE_SAFE, 0, INT_MAX);
    return 3;
  },
  encode_max_depth: (L) => { argInit(L, 1); integerOption(L, 1, ENC_MAX_DEPTH, 1, INT_MAX); return 1; },
  decode_max_depth: (L) => { argInit(L, 1); integerOption(L, 1, DEC_MAX_DEPTH, 1, INT_MAX); return 1; },
  encode_number_precision: (L) => { argInit(L, 1); integerOption(L, 1, ENC_PRECISION, 1, 14); return 1; },
  // the buffer only matters to memory use here
  encode_keep_buffer: (L) => { argInit(L, 1); enumOption(L, 1, ENC_KEEP_BUFFER); return 1; },
  encode_invalid_numbers: (L) => { argInit(L, 1); enumOption(L, 1, ENC_INVALID, ['off', 'on', 'null']); return 1; },
  decode_invalid_numbers: (L) => { argInit(L, 1); enumOption(L, 1, DEC_INVALID); return 1; },
};

// ---- encoding ----------------------------------------------------------------------------

/** char2escape: the escaped form of each byte that needs one */
const ESCAPES: (string | null)[] = new Array<string | null>(256).fill(null);
for (let i = 0; i < 32; i++) ESCAPES[i] = '\\u' + i.toString(16).padStart(4, '0');
ESCAPES[8] = '\\b'; ESCAPES[9] = '\\t'; ESCAPES[10] = '\\n'; ESCAPES[12] = '\\f'; ESCAPES[13] = '\\r';
ESCAPES[34] = '\\"'; ESCAPES[92] = '\\\\'; ESCAPES[47] = '\\/'; ESCAPES[127] = '\\u007f';
const NEEDS_ESCAPE = /[\x00-\x1f"\\/\x7f]/;
const ESCAPE_ALL = /[\x00-\x1f"\\/\x7f]/g;

function quote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  return '"' + s.replace(ESCAPE_ALL, (c) => ESCAPES[c.charCodeAt(0)]!) + '"';
}

interface EncCfg { convert: number; ratio: number; safe: number; maxDepth: number; invalid: number; precision: number }

/** json_encode_exception */
function encodeError(L: number, idx: number, reason: string): never {
  luaError(L, `Cannot serialise ${TYPE_NAMES[type(L, idx)]}: ${reason}`);
  throw new Error('unreachable');
}

/** json_append_number: the number at idx as "%.<precision>g", or per encode_invalid_numbers */
function number(L: number, c: EncCfg, idx: number): string {
  const n = m._lua_tonumber(L, idx) as number;
  if (!Number.isFinite(n)) {
    if (c.invalid === 0) encodeError(L, idx, 'must not be NaN or Inf');
    if (c.invalid === 1) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
    return 'null';
  }
  return formatG(n, c.precision);
}

/** (int)k for a double above INT_MAX: x86's cvttsd2si gives INT_MIN */
const toInt = (k: number): number => (k > INT_MAX ? -2147483648 : k);

/** lua_array_length: the table on top as an array (its length), or -1 for an object */
function arrayLength(L: number, c: EncCfg): number {
  let max = 0;
  let items = 0;
  m._lua_pushnil(L);
  while (m._lua_next(L, -2)) {
    if (type(L, -2) === T_NUMBER) {
      const k = m._lua_tonumber(L, -2) as number;
      if (k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = toInt(k);
        items++;
        pop(L, 1);
        continue;
      }
    }
    pop(L, 2);
    return -1;
  }
  if (c.ratio > 0 && max > Math.imul(items, c.ratio) && max > c.safe) {
    if (!c.convert) encodeError(L, -1, 'excessively sparse array');
    return -1;
  }
  return max;
}

/** json_append_data: the value on top of the stack */
function encodeValue(L: number, c: EncCfg, depth: number, out: string[]): void {
  switch (type(L, -1)) {
    case T_STRING: out.push(quote(toStr(L, -1)!)); return;
    case T_NUMBER: out.push(number(L, c, -1)); return;
    case T_BOOLEAN: out.push(m._lua_toboolean(L, -1) ? 'true' : 'false'); return;
    case T_NIL: out.push('null'); return;
    case T_LIGHTUSERDATA:
      if (m._lua_touserdata(L, -1) === 0) { out.push('null'); return; }
      break;
    case T_TABLE: {
      depth++;
      if (!(depth <= c.maxDepth && m._lua_checkstack(L, 3))) luaError(L, `Cannot serialise, excessive nesting (${depth})`);
      const len = arrayLength(L, c);
      if (len > 0) {
        out.push('[');
        for (let i = 1; i <= len; i++) {
          if (i > 1) out.push(',');
          m._lua_rawgeti(L, -1, i);
          encodeValue(L, c, depth, out);
          pop(L, 1);
        }
        out.push(']');
      } else {
        out.push('{');
        let comma = false;
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) {
          if (comma) out.push(','); else comma = true;
          const kt = type(L, -2);
          if (kt === T_NUMBER) out.push('"' + number(L, c, -2) + '":');
          else if (kt === T_STRING) out.push(quote(toStr(L, -2)!) + ':');
          else encodeError(L, -2, 'table key must be a number or string');
          encodeValue(L, c, depth, out);
          pop(L, 1);
        }
        out.push('}');
      }
      return;
    }
  }
  encodeError(L, -1, 'type not supported');
}

function encode(L: number): number {
  const cfg = config(L);
  if (m._lua_gettop(L) !== 1) return argError(L, 1, 'expected 1 argument');
  const c: EncCfg = {
    convert: cfg[SPARSE_CONVERT]!, ratio: cfg[SPARSE_RATIO]!, safe: cfg[SPARSE_SAFE]!,
    maxDepth: cfg[ENC_MAX_DEPTH]!, invalid: cfg[ENC_INVALID]!, precision: cfg[ENC_PRECISION]!,
  };
  const out: string[] = [];
  encodeValue(L, c, 0, out);
  pushStr(L, out.join(''));
  return 1;
}

// ---- decoding -----------------------------------------------------------------------------

const enum Tok { ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown }
const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN', 'T_NULL',
  'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN'];

/** ch2token */
const CH2TOKEN: Tok[] = new Array<Tok>(256).fill(Tok.Error);
CH2TOKEN[0x7b] = Tok.ObjBegin; CH2TOKEN[0x7d] = Tok.ObjEnd; CH2TOKEN[0x5b] = Tok.ArrBegin; CH2TOKEN[0x5d] = Tok.ArrEnd;
CH2TOKEN[0x2c] = Tok.Comma; CH2TOKEN[0x3a] = Tok.Colon; CH2TOKEN[0] = Tok.End;
for (const ch of ' \t\n\r') CH2TOKEN[ch.charCodeAt(0)] = Tok.Whitespace;
for (const ch of 'fiInNt"+-0123456789') CH2TOKEN[ch.charCodeAt(0)] = Tok.Unknown;

/** escape2char (0: invalid escape) */
const ESCAPE2CHAR = new Uint8Array(256);
for (const [e, c] of [['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['t', '\t'], ['n', '\n'], ['f', '\f'], ['r', '\r'], ['u', 'u']]) {
  ESCAPE2CHAR[e!.charCodeAt(0)] = c!.charCodeAt(0);
}

interface Token { type: Tok; index: number; str: string; num: number; bool: boolean }

class Parser {
  pos = 0;
  depth = 0;
  constructor(readonly L: number, readonly s: string, readonly invalidNumbers: boolean, readonly maxDepth: number) {}

  /** the byte at i; the end of the text reads as NUL, as in the C string */
  ch(i: number): number { return i < this.s.length ? this.s.charCodeAt(i) : 0; }

  fail(t: Token, what: string): void { t.type = Tok.Error; t.index = this.pos; t.str = what; }

  next(t: Token): void {
    let ch: number;
    for (;;) {
      ch = this.ch(this.pos);
      t.type = CH2TOKEN[ch]!;
      if (t.type !== Tok.Whitespace) break;
      this.pos++;
    }
    t.index = this.pos;
    if (t.type === Tok.Error) { this.fail(t, 'invalid token'); return; }
    if (t.type === Tok.End) return;
    if (t.type !== Tok.Unknown) { this.pos++; return; }
    if (ch === 0x22) { this.string(t); return; }
    if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
      if (!this.invalidNumbers && this.invalidNumber()) { this.fail(t, 'invalid number'); return; }
      this.number(t);
      return;
    }
    if (this.s.startsWith('true', this.pos)) { t.type = Tok.Boolean; t.bool = true; this.pos += 4; return; }
    if (this.s.startsWith('false', this.pos)) { t.type = Tok.Boolean; t.bool = false; this.pos += 5; return; }
    if (this.s.startsWith('null', this.pos)) { t.type = Tok.Null; this.pos += 4; return; }
    if (this.invalidNumbers && this.invalidNumber()) { this.number(t); return; }
    this.fail(t, 'invalid token');
  }

  /** json_is_invalid_number: what strtod accepts but JSON does not (+, hex, leading zeros, inf, nan) */
  invalidNumber(): boolean {
    let p = this.pos;
    if (this.ch(p) === 0x2b) return true;
    if (this.ch(p) === 0x2d) p++;
    const c = this.ch(p);
    if (c === 0x30) {
      const c2 = this.ch(p + 1);
      return (c2 | 0x20) === 0x78 || (c2 >= 0x30 && c2 <= 0x39);
    }
    if (c <= 0x39) return false;
    const w = this.s.slice(p, p + 3).toLowerCase();
    return w === 'inf' || w === 'nan';
  }

  number(t: Token): void {
    const [v, end] = strtod(this.s, this.pos);
    t.type = Tok.Number;
    t.num = v;
    if (end === this.pos) this.fail(t, 'invalid number');
    else this.pos = end;
  }

  string(t: Token): void {
    this.pos++;
    let out = '';
    let from = this.pos;
    for (;;) {
      const ch = this.ch(this.pos);
      if (ch === 0x22) break;
      if (ch === 0) { this.fail(t, 'unexpected end of string'); return; }
      if (ch !== 0x5c) { this.pos++; continue; }
      out += this.s.slice(from, this.pos);
      const e = ESCAPE2CHAR[this.ch(this.pos + 1)]!;
      if (e === 0x75) {
        const u = this.unicode();
        if (u === null) { this.fail(t, 'invalid unicode escape code'); return; }
        out += u;
      } else if (e === 0) {
        this.fail(t, 'invalid escape code');
        return;
      } else {
        out += String.fromCharCode(e);
        this.pos += 2;
      }
      from = this.pos;
    }
    out += this.s.slice(from, this.pos);
    this.pos++;
    t.type = Tok.String;
    t.str = out;
  }

  hex4(i: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.ch(i + k);
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
      else return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  /** json_append_unicode_escape: \uXXXX (or a surrogate pair) at pos as UTF-8 bytes */
  unicode(): string | null {
    let cp = this.hex4(this.pos + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null;
      if (this.ch(this.pos + 6) !== 0x5c || this.ch(this.pos + 7) !== 0x75) return null;
      const low = this.hex4(this.pos + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.pos += len;
    const b = String.fromCharCode;
    if (cp <= 0x7f) return b(cp);
    if (cp <= 0x7ff) return b((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
    if (cp <= 0xffff) return b((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
    return b((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  }

  throwError(expected: string, t: Token): never {
    const found = t.type === Tok.Error ? t.str : TOKEN_NAMES[t.type]!;
    luaError(this.L, `Expected ${expected} but found ${found} at character ${t.index + 1}`);
    throw new Error('unreachable');
  }

  descend(slots: number): void {
    this.depth++;
    if (this.depth <= this.maxDepth && m._lua_checkstack(this.L, slots)) return;
    luaError(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  object(): void {
    const L = this.L;
    const t = newToken();
    this.descend(3);
    m._lua_createtable(L, 0, 0);
    this.next(t);
    if (tt(t) === Tok.ObjEnd) { this.depth--; return; }
    for (;;) {
      if (tt(t) !== Tok.String) this.throwError('object key string', t);
      pushStr(L, t.str);
      this.next(t);
      if (tt(t) !== Tok.Colon) this.throwError('colon', t);
      this.next(t);
      this.value(t);
      m._lua_rawset(L, -3);
      this.next(t);
      if (tt(t) === Tok.ObjEnd) { this.depth--; return; }
      if (tt(t) !== Tok.Comma) this.throwError('comma or object end', t);
      this.next(t);
    }
  }

  array(): void {
    const L = this.L;
    const t = newToken();
    this.descend(2);
    m._lua_createtable(L, 0, 0);
    this.next(t);
    if (tt(t) === Tok.ArrEnd) { this.depth--; return; }
    for (let i = 1; ; i++) {
      this.value(t);
      m._lua_rawseti(L, -2, i);
      this.next(t);
      if (tt(t) === Tok.ArrEnd) { this.depth--; return; }
      if (tt(t) !== Tok.Comma) this.throwError('comma or array end', t);
      this.next(t);
    }
  }

  /** json_process_value */
  value(t: Token): void {
    const L = this.L;
    switch (t.type) {
      case Tok.String: pushStr(L, t.str); break;
      case Tok.Number: m._lua_pushnumber(L, t.num); break;
      case Tok.Boolean: m._lua_pushboolean(L, t.bool ? 1 : 0); break;
      case Tok.ObjBegin: this.object(); break;
      case Tok.ArrBegin: this.array(); break;
      case Tok.Null: m._lua_pushlightuserdata(L, 0); break;
      default: this.throwError('value', t);
    }
  }
}

/** the token's type, read afresh (next() rewrites it) */
const tt = (t: Token): Tok => t.type;
const newToken = (): Token => ({ type: Tok.End, index: 0, str: '', num: 0, bool: false });

function decode(L: number): number {
  if (m._lua_gettop(L) !== 1) return argError(L, 1, 'expected 1 argument');
  const cfg = config(L);
  const invalid = cfg[DEC_INVALID] !== 0;
  const maxDepth = cfg[DEC_MAX_DEPTH]!;
  const s = checkStr(L, 1);
  if (s.length >= 2 && (s.charCodeAt(0) === 0 || s.charCodeAt(1) === 0)) return luaError(L, 'JSON parser does not support UTF-16 or UTF-32');
  const p = new Parser(L, s, invalid, maxDepth);
  const t = newToken();
  p.next(t);
  p.value(t);
  p.next(t);
  if (tt(t) !== Tok.End) p.throwError('the end', t);
  return 1;
}

// ---- strtod ---------------------------------------------------------------------------------

const DEC = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const HEX = /([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/y;
const WORD = /([+-]?)(?:(inf(?:inity)?)|nan(?:\([0-9A-Za-z_]*\))?)/iy;

/** glibc's "-nan": a NaN with the sign bit set (Lua's tostring shows it) */
const NEG_NAN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0]!;

/** glibc strtod from s[at]: the value and the end of what it read (at when nothing) */
export function strtod(s: string, at: number): [number, number] {
  HEX.lastIndex = at;
  let mt = HEX.exec(s);
  if (mt) return [hexValue(mt[1] === '-', mt[2]!, mt[3]), at + mt[0].length];
  WORD.lastIndex = at;
  mt = WORD.exec(s);
  if (mt) {
    const neg = mt[1] === '-';
    return [mt[2] !== undefined ? (neg ? -Infinity : Infinity) : neg ? NEG_NAN : NaN, at + mt[0].length];
  }
  DEC.lastIndex = at;
  mt = DEC.exec(s);
  if (mt) return [Number(mt[0]), at + mt[0].length];
  return [0, at];
}

/** a hexadecimal float, correctly rounded (ties to even) as glibc */
function hexValue(neg: boolean, digits: string, exp: string | undefined): number {
  const dot = digits.indexOf('.');
  const frac = dot < 0 ? 0 : digits.length - dot - 1;
  const mant = BigInt('0x0' + digits.replace('.', ''));
  let e = (exp === undefined ? 0 : Number(exp)) - 4 * frac;
  let v: number;
  if (mant === 0n) v = 0;
  else {
    const bits = mant.toString(2).length;
    if (!Number.isFinite(e) || bits + e > 1030) v = Infinity;
    else if (bits + e < -1080) v = 0;
    else {
      const lsb = Math.max(bits - 1 + e - 52, -1074);
      const drop = lsb - e;
      let q = mant;
      if (drop > 0) {
        const d = BigInt(drop);
        q = mant >> d;
        const rem = mant & ((1n << d) - 1n);
        const half = 1n << (d - 1n);
        if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
        e = lsb;
      }
      v = Number(q) * 2 ** e;
    }
  }
  return neg ? -v : v;
}

// ---- module --------------------------------------------------------------------------------

const fns = {
  encode: cfn(encode),
  decode: cfn(decode),
  cfg: Object.fromEntries(Object.entries(cfgFns).map(([k, f]) => [k, cfn(f)])) as Record<string, number>,
  new: cfn(cjsonNew),
};

function cjsonNew(L: number): number {
  pushCjson(L);
  return 1;
}

/** lua_cjson_new: a cjson table with its own configuration */
function pushCjson(L: number): void {
  m._lua_createtable(L, 0, 0);
  const p = m._lua_newuserdata(L, CFG_SLOTS * 4) as number;
  new Int32Array((m.HEAP32 as Int32Array).buffer, p, CFG_SLOTS).set(DEFAULTS);
  const reg: [string, number][] = [
    ['encode', fns.encode], ['decode', fns.decode],
    ...['encode_sparse_array', 'encode_max_depth', 'decode_max_depth', 'encode_number_precision', 'encode_keep_buffer',
      'encode_invalid_numbers', 'decode_invalid_numbers'].map((k) => [k, fns.cfg[k]!] as [string, number]),
    ['new', fns.new],
  ];
  for (const [name, f] of reg) {
    m._lua_pushvalue(L, -1);
    m._lua_pushcclosure(L, f, 1);
    setfield(L, -3, name);
  }
  pop(L, 1);
  m._lua_pushlightuserdata(L, 0); setfield(L, -2, 'null');
  pushStr(L, 'cjson'); setfield(L, -2, '_NAME');
  pushStr(L, '2.1.0'); setfield(L, -2, '_VERSION');
}

/** luaopen_cjson (built with ENABLE_CJSON_GLOBAL): the global cjson */
export function openCjson(L: number): void {
  pushCjson(L);
  setfield(L, LUA_GLOBALSINDEX, 'cjson');
}
