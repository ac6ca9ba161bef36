/*
 * Lua <-> RESP for the script worker (script_lua.c): a command's raw RESP
 * reply pushed as Lua values (redisProtocolToLuaType), a script's Lua result
 * written as the caller's RESP (luaReplyToRedisReply), and the error-table
 * and number helpers they share.
 */
import { formatDouble } from '../protocol/reply.js';
import {
  T_BOOLEAN, T_NIL, T_NUMBER, T_STRING, T_TABLE, getfield, m, pop, pushErrorTable, pushStr, rawfield, rawfield2, setfield, toStr, type,
} from './lua-vm.js';

/** Parse one RESP reply at pos and push it as a Lua value (redisProtocolToLuaType); returns the next pos. */
export function pushResp(L: number, s: string, pos: number): number {
  m._lua_checkstack(L, 5);
  const t = s[pos];
  const eol = s.indexOf('\r\n', pos);
  const line = s.slice(pos + 1, eol);
  const next = eol + 2;
  switch (t) {
    case '+':
      m._lua_createtable(L, 0, 1); pushStr(L, line); setfield(L, -2, 'ok');
      return next;
    case '-':
      pushErrorTable(L, '-' + line);
      m._lua_pushboolean(L, 1); setfield(L, -2, 'ignore_error_stats_update');
      return next;
    case ':':
      m._lua_pushnumber(L, Number(line));
      return next;
    case '$': {
      const n = Number(line);
      if (n < 0) { m._lua_pushboolean(L, 0); return next; }
      pushStr(L, s.slice(next, next + n));
      return next + n + 2;
    }
    case '*': case '~': case '%': case '>': {
      const n = Number(line);
      if (n < 0) { m._lua_pushboolean(L, 0); return next; }
      let p = next;
      if (t === '*' || t === '>') {
        m._lua_createtable(L, n, 0);
        for (let i = 1; i <= n; i++) { p = pushResp(L, s, p); m._lua_rawseti(L, -2, i); }
        return p;
      }
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, n);
      for (let i = 0; i < n; i++) {
        p = pushResp(L, s, p);
        if (t === '%') p = pushResp(L, s, p); else m._lua_pushboolean(L, 1);
        m._lua_settable(L, -3);
      }
      setfield(L, -2, t === '%' ? 'map' : 'set');
      return p;
    }
    case '_': m._lua_pushnil(L); return next;
    case '#': m._lua_pushboolean(L, line === 't' ? 1 : 0); return next;
    case ',':
      m._lua_createtable(L, 0, 1);
      m._lua_pushnumber(L, line === 'inf' ? Infinity : line === '-inf' ? -Infinity : Number(line));
      setfield(L, -2, 'double');
      return next;
    case '(':
      m._lua_createtable(L, 0, 1); pushStr(L, line); setfield(L, -2, 'big_number');
      return next;
    case '=': {
      const n = Number(line);
      const body = s.slice(next, next + n);
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, 2);
      pushStr(L, body.slice(4)); setfield(L, -2, 'string');
      pushStr(L, body.slice(0, 3)); setfield(L, -2, 'format');
      setfield(L, -2, 'verbatim_string');
      return next + n + 2;
    }
    case '|': { // attributes: skipped
      const n = Number(line);
      let p = next;
      for (let i = 0; i < 2 * n; i++) { p = pushResp(L, s, p); pop(L, 1); }
      return pushResp(L, s, p);
    }
    default:
      m._lua_pushnil(L);
      return s.length;
  }
}

export const mapNl = (s: string): string => s.replace(/[\r\n]/g, ' ');

/**
 * A reply being built: o the RESP text; errs the error lines in it, for INFO errorstats, with null for an
 * error already counted where it happened (a redis.call / pcall error passed on: Redis replies it with
 * ERR_REPLY_FLAG_NO_STATS_UPDATE and counts a failed call of the script's command instead).
 */
export interface Out { o: string; errs: (string | null)[] }

export function bulk(s: string): string { return '$' + s.length + '\r\n' + s + '\r\n'; }

/** luaReplyToRedisReply: the value on top of the stack, consumed. */
export function replyOf(L: number, resp: 2 | 3, scriptResp: 2 | 3, out: Out): void {
  if (!m._lua_checkstack(L, 4)) { out.o += '-ERR reached lua stack limit\r\n'; out.errs.push('ERR reached lua stack limit'); pop(L, 1); return; }
  const nul = resp === 3 ? '_\r\n' : '$-1\r\n';
  switch (type(L, -1)) {
    case T_STRING: out.o += bulk(toStr(L, -1)!); break;
    case T_BOOLEAN: {
      const b = m._lua_toboolean(L, -1) !== 0;
      if (scriptResp === 2) out.o += b ? ':1\r\n' : nul;
      else out.o += resp === 3 ? (b ? '#t\r\n' : '#f\r\n') : (b ? ':1\r\n' : ':0\r\n');
      break;
    }
    case T_NUMBER: out.o += ':' + toLongLong(m._lua_tonumber(L, -1)) + '\r\n'; break;
    case T_TABLE: {
      rawfield(L, 'err');
      if (type(L, -1) === T_STRING) {
        pop(L, 1);
        const info = errorInfo(L);
        const line = mapNl(info.msg);
        out.o += '-' + line + '\r\n';
        out.errs.push(info.ignore ? null : line);
        pop(L, 1);
        return;
      }
      pop(L, 1);
      rawfield(L, 'ok');
      if (type(L, -1) === T_STRING) { out.o += '+' + mapNl(toStr(L, -1)!) + '\r\n'; pop(L, 2); return; }
      pop(L, 1);
      rawfield(L, 'double');
      if (type(L, -1) === T_NUMBER) {
        const d = formatDouble(m._lua_tonumber(L, -1));
        out.o += resp === 3 ? ',' + d + '\r\n' : bulk(d);
        pop(L, 2); return;
      }
      pop(L, 1);
      rawfield(L, 'big_number');
      if (type(L, -1) === T_STRING) {
        const n = mapNl(toStr(L, -1)!);
        out.o += resp === 3 ? '(' + n + '\r\n' : bulk(n);
        pop(L, 2); return;
      }
      pop(L, 1);
      rawfield(L, 'verbatim_string');
      if (type(L, -1) === T_TABLE) {
        rawfield(L, 'format');
        if (type(L, -1) === T_STRING) {
          const fmt = toStr(L, -1)!;
          rawfield2(L, 'string');
          if (type(L, -1) === T_STRING) {
            const str = toStr(L, -1)!;
            out.o += resp === 3 ? '=' + (str.length + 4) + '\r\n' + fmt.slice(0, 3).padEnd(3, '\0') + ':' + str + '\r\n' : bulk(str);
            pop(L, 4); return;
          }
          pop(L, 1);
        }
        pop(L, 1);
      }
      pop(L, 1);
      rawfield(L, 'map');
      if (type(L, -1) === T_TABLE) {
        const sub: Out = { o: '', errs: out.errs };
        let n = 0;
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) {
          m._lua_pushvalue(L, -2);
          replyOf(L, resp, scriptResp, sub);
          replyOf(L, resp, scriptResp, sub);
          n++;
        }
        out.o += (resp === 3 ? '%' + n : '*' + 2 * n) + '\r\n' + sub.o;
        pop(L, 2); return;
      }
      pop(L, 1);
      rawfield(L, 'set');
      if (type(L, -1) === T_TABLE) {
        const sub: Out = { o: '', errs: out.errs };
        let n = 0;
        m._lua_pushnil(L);
        while (m._lua_next(L, -2)) {
          pop(L, 1);
          m._lua_pushvalue(L, -1);
          replyOf(L, resp, scriptResp, sub);
          n++;
        }
        out.o += (resp === 3 ? '~' : '*') + n + '\r\n' + sub.o;
        pop(L, 2); return;
      }
      pop(L, 1);
      const sub: Out = { o: '', errs: out.errs };
      let n = 0;
      for (let j = 1; ; j++) {
        m._lua_pushnumber(L, j);
        m._lua_rawget(L, -2);
        if (type(L, -1) === T_NIL) { pop(L, 1); break; }
        replyOf(L, resp, scriptResp, sub);
        n++;
      }
      out.o += '*' + n + '\r\n' + sub.o;
      break;
    }
    default: out.o += nul;
  }
  pop(L, 1);
}

/** (long long) of a double as x86 C does it (out of range / NaN: INT64_MIN). */
export function toLongLong(d: number): string {
  if (Number.isSafeInteger(Math.trunc(d))) return String(Math.trunc(d));
  if (!Number.isFinite(d) || d >= 9223372036854775807 || d < -9223372036854775808) return '-9223372036854775808';
  return BigInt(Math.trunc(d)).toString();
}

/** luaExtractErrorInformation on the table (or string) on top of the stack. */
export function errorInfo(L: number): { msg: string; source: string | null; line: string | null; ignore: boolean } {
  let msg = '';
  if (m._lua_isstring(L, -1)) msg = 'ERR ' + toStr(L, -1)!;
  let source: string | null = null;
  let line: string | null = null;
  let ignore = false;
  if (type(L, -1) === T_TABLE) {
    getfield(L, -1, 'err');
    if (m._lua_isstring(L, -1)) msg = toStr(L, -1)!;
    pop(L, 1);
    getfield(L, -1, 'source');
    if (m._lua_isstring(L, -1)) source = toStr(L, -1)!;
    pop(L, 1);
    getfield(L, -1, 'line');
    if (m._lua_isstring(L, -1)) line = toStr(L, -1)!;
    pop(L, 1);
    getfield(L, -1, 'ignore_error_stats_update');
    if (type(L, -1) === T_BOOLEAN) ignore = m._lua_toboolean(L, -1) !== 0;
    pop(L, 1);
  }
  return { msg, source, line, ignore };
}

/** Number formatting of redis.call arguments: %.17g. */
export function fmt17g(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e17) return String(n);
  return formatDouble(n);
}
