/*
 * The parameter table behind CONFIG GET/SET/REWRITE and redis.conf: every
 * entry of Redis 7.0.15's standardConfig table (redis/src/config.c, built with
 * TLS as Debian's redis-server is), with its names, aliases, defaults, bounds,
 * flags and validation messages. Parameters whose feature Nodis lacks are
 * still stored and shown, so CONFIG GET * lists exactly what Redis lists.
 *
 * A ParamDef is pure: parse() turns arguments into a value or an error text
 * without touching the Config; format() is what CONFIG GET shows; rewrite()
 * gives the redis.conf lines CONFIG REWRITE writes. Stored value types:
 * bool -> boolean, numeric -> number (exact text kept aside when beyond 2^53),
 * enum/string/special -> string (bind -> string[]).
 *
 * Builders: bool(), num() (int/uint, with memory/percent/octal parsing),
 * enumOf(), str(); the special parameters are written out below.
 */
import { resolve as resolvePath } from 'node:path';
import { statSync, accessSync, constants as fsConstants } from 'node:fs';
import type { Config, ConfigValue } from './config.js';
import { formatNotifyFlags, NOTIFY_ALL, NOTIFY_NEW, parseNotifyFlags } from '../keyspace/notify.js';

/** A parse result: the value, an error text, or a numeric value with its exact 64-bit text. */
export type Parsed = ConfigValue | { error: string } | { value: number; exact: string };

export interface ParamFlags {
  alias?: string;
  immutable?: boolean;
  protected?: boolean;
  /** only shown when asked for by exact name (not by a glob) */
  hidden?: boolean;
  /** the value is redacted in slowlog/monitor (requirepass, masterauth ...) */
  sensitive?: boolean;
  /** refused with -LOADING while loading */
  denyLoading?: boolean;
  /** DEBUG_CONFIG: listed by DEBUG CONFIG-REWRITE-FORCE-ALL and such */
  debug?: boolean;
}

/** What CONFIG REWRITE writes for one parameter: its lines, and whether to append them when absent from the file. */
export interface RewriteLines { lines: string[]; force: boolean }

export interface ParamDef extends ParamFlags {
  name: string;
  default: ConfigValue;
  /** several words (save, client-output-buffer-limit ...): CONFIG SET splits the value on spaces */
  multiArg?: boolean;
  parse(args: string[], cfg: Config, startup: boolean): Parsed;
  format(v: ConfigValue, cfg: Config): string;
  /** null: the option must be absent from the file (its old lines are blanked) */
  rewrite(v: ConfigValue, cfg: Config): RewriteLines | null;
}

// ---- helpers ----------------------------------------------------------------

/** sdscatrepr: a double-quoted, escaped rendering of a latin1 string. */
export function repr(s: string): string {
  let o = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (ch === '\\' || ch === '"') o += '\\' + ch;
    else if (ch === '\n') o += '\\n';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\t') o += '\\t';
    else if (c === 7) o += '\\a';
    else if (c === 8) o += '\\b';
    else if (c < 32 || c > 126) o += '\\x' + c.toString(16).padStart(2, '0');
    else o += ch;
  }
  return o + '"';
}

const U64 = (1n << 64n) - 1n;

/** string2ll: strict decimal 64-bit integer, as a bigint, or null. */
export function string2ll(s: string): bigint | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return null;
  const b = BigInt(s);
  return b > 9223372036854775807n || b < -9223372036854775808n ? null : b;
}

/** Strict integer parse as a JS number (string2ll), or null. */
export function parseInteger(s: string): number | null {
  const b = string2ll(s);
  return b === null ? null : Number(b);
}

/** strtoll(s, &end, 10) with *end == '\0' required: leading spaces and a sign allowed, empty = 0. */
function strtollStrict(s: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)$/.exec(s);
  if (!m) return null;
  if (m[2] === '') return m[1] === '' && s.trim() === '' ? 0n : null;
  let b = BigInt(m[2]!);
  if (m[1] === '-') b = -b;
  if (b > 9223372036854775807n) b = 9223372036854775807n;
  if (b < -9223372036854775808n) b = -9223372036854775808n;
  return b;
}

/** memtoull (redis/src/util.c): digits then b/k/kb/m/mb/g/gb; 1k = 1000, 1kb = 1024. null on error. */
export function memtoull(s: string): bigint | null {
  if (s.startsWith('-')) return null;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const unit = s.slice(i).toLowerCase();
  const mul = ({ '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n } as Record<string, bigint>)[unit];
  if (mul === undefined || i >= 128) return null;
  let v = i === 0 ? 0n : BigInt(s.slice(0, i));
  if (v > U64) v = U64;
  return (v * mul) & U64;
}

/** Memory values as JS numbers (client-output-buffer-limit etc.), or null. */
export function parseMemory(s: string): number | null {
  const v = memtoull(s);
  return v === null ? null : Number(v);
}

/** rewriteConfigFormatMemory: 1gb / 1mb / 1kb when exact, else bytes. */
export function formatMemory(n: bigint | number): string {
  const b = BigInt(n);
  if (b !== 0n && b % 1073741824n === 0n) return `${b / 1073741824n}gb`;
  if (b !== 0n && b % 1048576n === 0n) return `${b / 1048576n}mb`;
  if (b !== 0n && b % 1024n === 0n) return `${b / 1024n}kb`;
  return String(b);
}

const line = (name: string, value: string, force: boolean): RewriteLines => ({ lines: [`${name} ${value}`], force });

// ---- builders ---------------------------------------------------------------

export function bool(name: string, def: boolean, extra: ParamFlags = {}, valid?: (v: boolean) => string | null): ParamDef {
  return {
    name, default: def, ...extra,
    parse(args) {
      const l = (args[0] ?? '').toLowerCase();
      const v = l === 'yes' ? true : l === 'no' ? false : null;
      if (v === null) return { error: "argument must be 'yes' or 'no'" };
      const err = valid?.(v);
      return err ? { error: err } : v;
    },
    format: (v) => (v ? 'yes' : 'no'),
    rewrite: (v) => line(name, v ? 'yes' : 'no', v !== def),
  };
}

interface NumOpts extends ParamFlags {
  /** unsigned C type: bounds compared as unsigned 64-bit */
  unsigned?: boolean;
  memory?: boolean;
  percent?: boolean;
  octal?: boolean;
}

/** A numeric parameter (createIntConfig and friends): bounds as bigints, flags as in numericConfigData. */
export function num(name: string, def: number | bigint, lower: bigint | number, upper: bigint | number, opts: NumOpts = {}): ParamDef {
  const lo = BigInt(lower);
  const hi = BigInt(upper);
  const d = BigInt(def);
  const { unsigned, memory, percent, octal, ...extra } = opts;
  const plain = !memory && !percent && !octal;
  const exactOf = (v: ConfigValue, cfg: Config): bigint => BigInt(cfg.exact.get(name) ?? String(v));
  return {
    name, default: Number(def), ...extra,
    parse(args) {
      const s = args[0] ?? '';
      let ll: bigint | null = null;
      if (memory) { const m = memtoull(s); if (m !== null) ll = BigInt.asIntN(64, m); }
      if (ll === null && percent && s.length > 1 && s.endsWith('%')) {
        const p = string2ll(s.slice(0, -1));
        if (p !== null && p >= 0n) ll = -p;
      }
      if (ll === null && octal) {
        const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]*)$/.exec(s);
        if (m) ll = m[2] === '' ? 0n : (m[1] === '-' ? -1n : 1n) * BigInt('0o' + m[2]);
      }
      if (ll === null && plain) ll = string2ll(s);
      if (ll === null) {
        if (memory && percent) return { error: 'argument must be a memory or percent value' };
        if (memory) return { error: 'argument must be a memory value' };
        if (octal) return { error: "argument couldn't be parsed as an octal number" };
        return { error: "argument couldn't be parsed into an integer" };
      }
      if (unsigned) {
        const u = BigInt.asUintN(64, ll);
        const ulo = BigInt.asUintN(64, lo);
        if (u > hi || u < ulo) {
          const f = (x: bigint): string => (octal ? x.toString(8) : String(x));
          return { error: `argument must be between ${f(ulo)} and ${f(hi)} inclusive` };
        }
      } else if (percent && ll < 0n) {
        if (ll < lo) return { error: `percentage argument must be less or equal to ${-lo}` };
      } else if (ll > hi || ll < lo) {
        return { error: `argument must be between ${lo} and ${hi} inclusive` };
      }
      const value = Number(ll);
      return Number.isSafeInteger(value) ? value : { value, exact: String(ll) };
    },
    format(v, cfg) {
      const b = exactOf(v, cfg);
      if (percent && b < 0n) return `${-b}%`;
      if (memory) return String(BigInt.asUintN(64, b));
      if (octal) return b.toString(8);
      return String(b);
    },
    rewrite(v, cfg) {
      const b = exactOf(v, cfg);
      if (percent && b < 0n) return line(name, `${-b}%`, b !== d);
      if (memory) return line(name, formatMemory(BigInt.asUintN(64, b)), b !== d);
      if (octal) return line(name, b.toString(8), b !== d);
      return line(name, String(b), b !== d);
    },
  };
}

type EnumTable = readonly (readonly [string, number])[];

/** The names of an enum value: the first exact match, else (bitflags) the matching names in table order, else "unknown". */
function enumName(table: EnumTable, value: number, bitflags: boolean): string {
  const names: string[] = [];
  let unmatched = value;
  for (const [n, v] of table) {
    if (v === value) return n;
    if (bitflags && v !== 0 && (unmatched & v) === v) { names.push(n); unmatched &= ~v; }
  }
  return names.length === 0 || unmatched !== 0 ? 'unknown' : names.join(' ');
}

/** An enum parameter; with multiArg its values are OR-ed bit flags (shutdown-on-sigint). */
export function enumOf(name: string, def: string, table: EnumTable, extra: ParamFlags & { multiArg?: boolean } = {},
  valid?: (v: number) => string | null): ParamDef {
  const bitflags = extra.multiArg === true;
  const valueOf = (s: string): number => {
    let v = 0;
    for (const w of s.split(' ')) v |= table.find(([n]) => n === w)?.[1] ?? 0;
    return v;
  };
  return {
    name, default: def, ...extra,
    parse(args) {
      let v = 0;
      let ok = args.length > 0 && (bitflags || args.length === 1);
      for (const a of ok ? args : []) {
        const l = a.toLowerCase();
        const hit = table.filter(([n]) => n === l);
        if (hit.length === 0) { ok = false; break; }
        for (const [, x] of hit) v |= x;
      }
      if (!ok) return { error: `argument(s) must be one of the following: ${table.map(([n]) => n).join(', ')}`.slice(0, 255) };
      const err = valid?.(v);
      if (err) return { error: err };
      return enumName(table, v, bitflags);
    },
    format: (v) => String(v),
    rewrite: (v) => line(name, String(v), valueOf(String(v)) !== valueOf(def)),
  };
}

/**
 * A string parameter. emptyIsNull: "" means unset (never written by CONFIG
 * REWRITE), as EMPTY_STRING_IS_NULL; defaultNull: its default is that unset value.
 */
export function str(name: string, def: string, extra: ParamFlags & { emptyIsNull?: boolean } = {}, valid?: (v: string) => string | null): ParamDef {
  const { emptyIsNull, ...flags } = extra;
  return {
    name, default: def, ...flags,
    parse(args) {
      const v = args[0] ?? '';
      const err = valid?.(v);
      return err ? { error: err } : v;
    },
    format: (v) => String(v),
    rewrite(v) {
      const s = String(v);
      if (emptyIsNull && s === '') return null;
      return line(name, repr(s), !(s === def && !(emptyIsNull && def === '')));
    },
  };
}

// ---- validators -------------------------------------------------------------

const isBaseName = (v: string): boolean => !v.includes('/');

function procTitleValid(t: string): boolean {
  // sdstemplate: {name} expands a variable, {{ and }} are literal braces; an unknown name or a
  // lone brace is invalid, and so is a template that expands to nothing (title "" at validation).
  const vals: Record<string, string> = {
    title: '', 'listen-addr': '*:0', 'server-mode': '', port: '0', 'tls-port': '0', unixsocket: '', 'config-file': '',
  };
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (ch === '{' && t[i + 1] === '{') { out += '{'; i++; continue; }
    if (ch === '}' && t[i + 1] === '}') { out += '}'; i++; continue; }
    if (ch === '}') return false;
    if (ch === '{') {
      const j = t.indexOf('}', i);
      if (j < 0) return false;
      const v = vals[t.slice(i + 1, j)];
      if (v === undefined) return false;
      out += v;
      i = j;
      continue;
    }
    out += ch;
  }
  return out.replace(/^ +| +$/g, '').length > 0;
}

function hostnameValid(v: string): string | null {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

// ---- special parameters -----------------------------------------------------

const SAVE_DEFAULT = '3600 1 300 100 60 10000';

const save: ParamDef = {
  name: 'save', default: SAVE_DEFAULT, multiArg: true,
  parse(args, cfg, startup) {
    let a = args;
    if (a.length === 1 && a[0] === '') a = [];
    if (a.length % 2 !== 0) return { error: 'Invalid save parameters' };
    const out: string[] = [];
    for (let j = 0; j < a.length; j++) {
      const v = strtollStrict(a[j]!);
      if (v === null || (j % 2 === 0 && v < 1n) || (j % 2 === 1 && v < 0n)) return { error: 'Invalid save parameters' };
      out.push(String(j % 2 === 0 ? v : BigInt.asIntN(32, v)));
    }
    // In the config file, the first "save" replaces the defaults and later ones append.
    if (startup && cfg.saveLoaded && out.length > 0) {
      const cur = String(cfg.values.get('save'));
      return cur === '' ? out.join(' ') : `${cur} ${out.join(' ')}`;
    }
    if (startup) cfg.saveLoaded = true;
    return out.join(' ');
  },
  format: (v) => String(v),
  rewrite(v) {
    const w = String(v).split(' ').filter((x) => x !== '');
    if (w.length === 0) return { lines: ['save ""'], force: true };
    const lines: string[] = [];
    for (let i = 0; i < w.length; i += 2) lines.push(`save ${w[i]} ${w[i + 1]}`);
    return { lines, force: true };
  },
};

const dir: ParamDef = {
  name: 'dir', default: './', protected: true, denyLoading: true,
  parse(args, cfg) {
    if (args.length !== 1) return { error: 'wrong number of arguments' };
    const target = resolvePath(String(cfg.values.get('dir') ?? './'), args[0]!);
    try {
      if (args[0] === '') throw Object.assign(new Error(), { code: 'ENOENT' });
      if (!statSync(target).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      accessSync(target, fsConstants.X_OK);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const text: Record<string, string> = {
        ENOENT: 'No such file or directory', ENOTDIR: 'Not a directory', EACCES: 'Permission denied',
        ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long',
      };
      return { error: text[code ?? ''] ?? 'No such file or directory' };
    }
    return target;
  },
  format: (v) => resolvePath(String(v)),
  rewrite: (v) => line('dir', repr(resolvePath(String(v))), true),
};

const CLIENT_CLASSES = ['normal', 'slave', 'pubsub'] as const;
const OBUF_DEFAULT = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

const clientOutputBufferLimit: ParamDef = {
  name: 'client-output-buffer-limit', default: OBUF_DEFAULT, multiArg: true,
  parse(args, cfg) {
    if (args.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
    const cur = parseOutputLimits(String(cfg.values.get('client-output-buffer-limit') ?? OBUF_DEFAULT));
    for (let i = 0; i < args.length; i += 4) {
      let cls = args[i]!.toLowerCase();
      if (cls === 'replica') cls = 'slave';
      if (!(CLIENT_CLASSES as readonly string[]).includes(cls)) {
        return { error: 'Invalid client class specified in buffer limit configuration.' };
      }
      const hard = memtoull(args[i + 1]!);
      const soft = memtoull(args[i + 2]!);
      const secs = strtollStrict(args[i + 3]!);
      if (hard === null || soft === null || secs === null || BigInt.asIntN(32, secs) < 0n) {
        return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      }
      cur[cls as 'normal'] = [Number(hard), Number(soft), Number(BigInt.asIntN(32, secs))];
    }
    return `normal ${cur.normal.join(' ')} slave ${cur.slave.join(' ')} pubsub ${cur.pubsub.join(' ')}`;
  },
  format: (v) => String(v),
  rewrite(v) {
    const cur = parseOutputLimits(String(v));
    const def = parseOutputLimits(OBUF_DEFAULT);
    const lines: string[] = [];
    let force = false;
    for (const cls of CLIENT_CLASSES) {
      const [h, s, secs] = cur[cls];
      if (h !== def[cls][0] || s !== def[cls][1] || secs !== def[cls][2]) force = true;
      lines.push(`client-output-buffer-limit ${cls === 'slave' ? 'replica' : cls} ${formatMemory(h)} ${formatMemory(s)} ${secs}`);
    }
    // Redis decides per line; a single force flag for the group is equivalent for the file's result.
    return { lines, force };
  },
};

const oomScoreAdjValues: ParamDef = {
  name: 'oom-score-adj-values', default: '0 200 800', multiArg: true,
  parse(args) {
    if (args.length !== 3) return { error: 'wrong number of arguments' };
    const out: number[] = [];
    for (const a of args) {
      const v = strtollStrict(a);
      if (v === null || v < -2000n || v > 2000n) return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
      out.push(Number(v));
    }
    return out.join(' ');
  },
  format: (v) => String(v),
  rewrite: (v) => line('oom-score-adj-values', String(v), String(v) !== '0 200 800'),
};

const notifyKeyspaceEvents: ParamDef = {
  name: 'notify-keyspace-events', default: '',
  parse(args) {
    if (args.length !== 1) return { error: 'wrong number of arguments' };
    const flags = parseNotifyFlags(args[0]!);
    if (flags === null) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
    // stored losslessly: Redis's flag string drops 'n' next to 'A', but the flag stays set
    const all = (flags & NOTIFY_ALL) === NOTIFY_ALL && (flags & NOTIFY_NEW) !== 0;
    return formatNotifyFlags(flags) + (all ? 'n' : '');
  },
  format: (v) => formatNotifyFlags(parseNotifyFlags(String(v)) ?? 0),
  rewrite: (v) => {
    const shown = formatNotifyFlags(parseNotifyFlags(String(v)) ?? 0);
    return line('notify-keyspace-events', repr(shown), shown !== '');
  },
};

const bind: ParamDef = {
  name: 'bind', default: ['*', '-::*'], multiArg: true,
  parse(args) {
    if (args.length > 16) return { error: 'Too many bind addresses specified.' };
    if (args.length === 1 && args[0] === '') return [];
    return [...args];
  },
  format: (v) => (v as string[]).join(' '),
  rewrite(v) {
    const a = v as string[];
    if (a.length === 2 && a[0] === '*' && a[1] === '-::*') return null;
    return line('bind', a.length > 0 ? a.join(' ') : '""', true);
  },
};

const replicaof: ParamDef = {
  name: 'replicaof', alias: 'slaveof', default: '', immutable: true, multiArg: true,
  parse(args) {
    if (args.length !== 2) return { error: 'wrong number of arguments' };
    if (args[0]!.toLowerCase() === 'no' && args[1]!.toLowerCase() === 'one') return '';
    const m = /^[ \t\n\v\f\r]*([+-]?[0-9]*)$/.exec(args[1]!);
    const port = m ? Number(m[1] === '' || m[1] === '+' || m[1] === '-' ? 0 : m[1]) : NaN;
    if (!m || !(port >= 0 && port <= 65535)) return { error: 'Invalid master port' };
    return `${args[0]} ${port}`;
  },
  format: (v) => String(v),
  rewrite: (v) => (String(v) === '' ? null : line('replicaof', String(v), true)),
};

/** printf("%f") then trailing zeros and dot removed (trimDoubleString). */
function trimDouble(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

const latencyPercentiles: ParamDef = {
  name: 'latency-tracking-info-percentiles', default: '50 99 99.9', multiArg: true,
  parse(args) {
    if (args.length === 1 && args[0] === '') return '';
    const out: string[] = [];
    for (const a of args) {
      if (!/^[ \t\n\v\f\r]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(a) && !/^[+-]?(inf|infinity|nan)$/i.test(a)) {
        return { error: 'Invalid latency-tracking-info-percentiles parameters' };
      }
      const d = Number(a);
      if (Number.isNaN(d)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
      if (d > 100 || d < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
      out.push(trimDouble(d));
    }
    return out.join(' ');
  },
  format: (v) => String(v),
  rewrite: (v) => line('latency-tracking-info-percentiles', String(v) === '' ? '""' : String(v), true),
};

// ---- the table ----------------------------------------------------------------

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = U64;

const PROTECTED_ACTION: EnumTable = [['no', 0], ['yes', 1], ['local', 2]];
const SHUTDOWN_ON_SIG: EnumTable = [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]];
const shutdownFlagsValid = (v: number): string | null =>
  (v & 1) && (v & 2) ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;

const SIMPLE_IMMUTABLE = { immutable: true } as const;
const M = { memory: true } as const;

export const PARAMS: ParamDef[] = [
  // Bool configs
  bool('rdbchecksum', true, SIMPLE_IMMUTABLE),
  bool('daemonize', false, SIMPLE_IMMUTABLE),
  bool('io-threads-do-reads', false, { immutable: true, debug: true }),
  bool('always-show-logo', false, SIMPLE_IMMUTABLE),
  bool('protected-mode', true),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, SIMPLE_IMMUTABLE),
  bool('dynamic-hz', true),
  bool('lazyfree-lazy-eviction', false, { debug: true }),
  bool('lazyfree-lazy-expire', false, { debug: true }),
  bool('lazyfree-lazy-server-del', false, { debug: true }),
  bool('lazyfree-lazy-user-del', false, { debug: true }),
  bool('lazyfree-lazy-user-flush', false, { debug: true }),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true, { debug: true }),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  bool('replica-lazy-flush', false, { alias: 'slave-lazy-flush' }),
  bool('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  bool('replica-read-only', true, { alias: 'slave-read-only', debug: true }),
  bool('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false, { debug: true }, (v) => (v
    ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'
    : null)),
  bool('syslog-enabled', false, SIMPLE_IMMUTABLE),
  bool('cluster-enabled', false, SIMPLE_IMMUTABLE),
  bool('appendonly', false, { denyLoading: true }),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, { hidden: true }),
  bool('disable-thp', true, SIMPLE_IMMUTABLE),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true),
  bool('aof-disable-auto-gc', false),
  bool('replica-ignore-disk-write-errors', false),

  // String configs
  str('aclfile', '', SIMPLE_IMMUTABLE),
  str('unixsocket', '', { immutable: true, emptyIsNull: true }),
  str('pidfile', '', { immutable: true, emptyIsNull: true }),
  str('replica-announce-ip', '', { alias: 'slave-announce-ip', emptyIsNull: true }),
  str('masteruser', '', { sensitive: true, emptyIsNull: true }),
  str('cluster-announce-ip', '', { emptyIsNull: true }),
  str('cluster-config-file', 'nodes.conf', SIMPLE_IMMUTABLE),
  str('cluster-announce-hostname', '', { emptyIsNull: true }, hostnameValid),
  str('syslog-ident', 'redis', SIMPLE_IMMUTABLE),
  str('dbfilename', 'dump.rdb', { protected: true }, (v) => (isBaseName(v) ? null : "dbfilename can't be a path, just a filename")),
  str('appendfilename', 'appendonly.aof', SIMPLE_IMMUTABLE, (v) => (v === '' ? "appendfilename can't be empty"
    : isBaseName(v) ? null : "appendfilename can't be a path, just a filename")),
  str('appenddirname', 'appendonlydir', SIMPLE_IMMUTABLE, (v) => (v === '' ? "appenddirname can't be empty"
    : isBaseName(v) ? null : "appenddirname can't be a path, just a dirname")),
  str('server_cpulist', '', { immutable: true, emptyIsNull: true }),
  str('bio_cpulist', '', { immutable: true, emptyIsNull: true }),
  str('aof_rewrite_cpulist', '', { immutable: true, emptyIsNull: true }),
  str('bgsave_cpulist', '', { immutable: true, emptyIsNull: true }),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', {},
    (v) => (procTitleValid(v) ? null : 'template format is invalid or contains unknown variables')),
  str('bind-source-addr', '', { emptyIsNull: true }),
  str('logfile', '', SIMPLE_IMMUTABLE),
  str('masterauth', '', { sensitive: true, emptyIsNull: true }),
  str('requirepass', '', { sensitive: true, emptyIsNull: true }),

  // Enum configs
  enumOf('supervised', 'no', [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]], SIMPLE_IMMUTABLE),
  enumOf('syslog-facility', 'local0', [['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152],
    ['local4', 160], ['local5', 168], ['local6', 176], ['local7', 184]], SIMPLE_IMMUTABLE),
  enumOf('repl-diskless-load', 'disabled', [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]], { debug: true, denyLoading: true }),
  enumOf('loglevel', 'notice', [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]]),
  enumOf('maxmemory-policy', 'noeviction', [['volatile-lru', 1], ['volatile-lfu', 2], ['volatile-random', 3],
    ['volatile-ttl', 4], ['allkeys-lru', 5], ['allkeys-lfu', 6], ['allkeys-random', 7], ['noeviction', 8]]),
  enumOf('appendfsync', 'everysec', [['everysec', 2], ['always', 1], ['no', 0]]),
  enumOf('oom-score-adj', 'no', [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]]),
  enumOf('acl-pubsub-default', 'resetchannels', [['allchannels', 1], ['resetchannels', 0]]),
  enumOf('sanitize-dump-payload', 'no', [['no', 0], ['yes', 1], ['clients', 2]], { debug: true }),
  enumOf('enable-protected-configs', 'no', PROTECTED_ACTION, SIMPLE_IMMUTABLE),
  enumOf('enable-debug-command', 'no', PROTECTED_ACTION, SIMPLE_IMMUTABLE),
  enumOf('enable-module-command', 'no', PROTECTED_ACTION, SIMPLE_IMMUTABLE),
  enumOf('cluster-preferred-endpoint-type', 'ip', [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]]),
  enumOf('propagation-error-behavior', 'ignore', [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]]),
  enumOf('shutdown-on-sigint', 'default', SHUTDOWN_ON_SIG, { multiArg: true }, shutdownFlagsValid),
  enumOf('shutdown-on-sigterm', 'default', SHUTDOWN_ON_SIG, { multiArg: true }, shutdownFlagsValid),

  // Integer configs
  num('databases', 16, 1, INT_MAX, SIMPLE_IMMUTABLE),
  num('port', 6379, 0, 65535),
  num('io-threads', 1, 1, 128, { immutable: true, debug: true }),
  num('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  num('cluster-replica-validity-factor', 10, 0, INT_MAX, { alias: 'cluster-slave-validity-factor' }),
  num('list-max-listpack-size', -2, INT_MIN, INT_MAX, { alias: 'list-max-ziplist-size' }),
  num('tcp-keepalive', 300, 0, INT_MAX),
  num('cluster-migration-barrier', 1, 0, INT_MAX),
  num('active-defrag-cycle-min', 1, 1, 99),
  num('active-defrag-cycle-max', 25, 1, 99),
  num('active-defrag-threshold-lower', 10, 0, 1000),
  num('active-defrag-threshold-upper', 100, 0, 1000),
  num('lfu-log-factor', 10, 0, INT_MAX),
  num('lfu-decay-time', 1, 0, INT_MAX),
  num('replica-priority', 100, 0, INT_MAX, { alias: 'slave-priority' }),
  num('repl-diskless-sync-delay', 5, 0, INT_MAX),
  num('maxmemory-samples', 5, 1, INT_MAX),
  num('maxmemory-eviction-tenacity', 10, 0, 100),
  num('timeout', 0, 0, INT_MAX),
  num('replica-announce-port', 0, 0, 65535, { alias: 'slave-announce-port' }),
  num('tcp-backlog', 511, 0, INT_MAX, SIMPLE_IMMUTABLE),
  num('cluster-port', 0, 0, 65535, SIMPLE_IMMUTABLE),
  num('cluster-announce-bus-port', 0, 0, 65535),
  num('cluster-announce-port', 0, 0, 65535),
  num('cluster-announce-tls-port', 0, 0, 65535),
  num('repl-timeout', 60, 1, INT_MAX),
  num('repl-ping-replica-period', 10, 1, INT_MAX, { alias: 'repl-ping-slave-period' }),
  num('list-compress-depth', 0, 0, INT_MAX, { debug: true }),
  num('rdb-key-save-delay', 0, INT_MIN, INT_MAX, { hidden: true }),
  num('key-load-delay', 0, INT_MIN, INT_MAX, { hidden: true }),
  num('active-expire-effort', 1, 1, 10),
  num('hz', 10, 0, INT_MAX),
  num('min-replicas-to-write', 0, 0, INT_MAX, { alias: 'min-slaves-to-write' }),
  num('min-replicas-max-lag', 10, 0, INT_MAX, { alias: 'min-slaves-max-lag' }),
  num('watchdog-period', 0, 0, INT_MAX, { hidden: true }),
  num('shutdown-timeout', 10, 0, INT_MAX),
  num('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),

  // Unsigned int configs
  num('maxclients', 10000, 1, UINT_MAX, { unsigned: true }),
  num('unixsocketperm', 0, 0, 0o777, { unsigned: true, octal: true, immutable: true }),
  num('socket-mark-id', 0, 0, UINT_MAX, { unsigned: true, immutable: true }),

  // Unsigned long configs
  num('active-defrag-max-scan-fields', 1000, 1, LONG_MAX),
  num('slowlog-max-len', 128, 0, LONG_MAX),
  num('acllog-max-len', 128, 0, LONG_MAX),

  // Long long configs
  num('busy-reply-threshold', 5000, 0, LONG_MAX, { alias: 'lua-time-limit' }),
  num('cluster-node-timeout', 15000, 0, LLONG_MAX),
  num('slowlog-log-slower-than', 10000, -1, LLONG_MAX),
  num('latency-monitor-threshold', 0, 0, LLONG_MAX),
  num('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024, LONG_MAX, { memory: true, debug: true }),
  num('stream-node-max-entries', 100, 0, LLONG_MAX),
  num('repl-backlog-size', 1024 * 1024, 1, LLONG_MAX, M),

  // Unsigned long long configs
  num('maxmemory', 0, 0, ULLONG_MAX, { unsigned: true, memory: true }),
  num('cluster-link-sendbuf-limit', 0, 0, ULLONG_MAX, { unsigned: true, memory: true }),

  // size_t configs
  num('hash-max-listpack-entries', 512, 0, LONG_MAX, { unsigned: true, alias: 'hash-max-ziplist-entries' }),
  num('set-max-intset-entries', 512, 0, LONG_MAX, { unsigned: true }),
  num('zset-max-listpack-entries', 128, 0, LONG_MAX, { unsigned: true, alias: 'zset-max-ziplist-entries' }),
  num('active-defrag-ignore-bytes', 100 << 20, 1, LLONG_MAX, { unsigned: true, memory: true }),
  num('hash-max-listpack-value', 64, 0, LONG_MAX, { unsigned: true, memory: true, alias: 'hash-max-ziplist-value' }),
  num('stream-node-max-bytes', 4096, 0, LONG_MAX, { unsigned: true, memory: true }),
  num('zset-max-listpack-value', 64, 0, LONG_MAX, { unsigned: true, memory: true, alias: 'zset-max-ziplist-value' }),
  num('hll-sparse-max-bytes', 3000, 0, LONG_MAX, { unsigned: true, memory: true }),
  num('tracking-table-max-keys', 1000000, 0, LONG_MAX, { unsigned: true }),
  num('client-query-buffer-limit', 1024 * 1024 * 1024, 1024 * 1024, LONG_MAX, { unsigned: true, memory: true, debug: true }),
  num('maxmemory-clients', 0, -100, LONG_MAX, { memory: true, percent: true }),

  // Other configs
  num('repl-backlog-ttl', 60 * 60, 0, LONG_MAX),
  num('auto-aof-rewrite-min-size', 64 * 1024 * 1024, 0, LLONG_MAX, M),
  num('loading-process-events-interval-bytes', 1024 * 1024 * 2, 1024, INT_MAX, { hidden: true }),

  // TLS (server/tls.ts; tls-port, tls-auth-clients and the rest apply on CONFIG SET: commands/server/config-ops.ts)
  num('tls-port', 0, 0, 65535),
  num('tls-session-cache-size', 20 * 1024, 0, INT_MAX),
  num('tls-session-cache-timeout', 300, 0, INT_MAX),
  bool('tls-cluster', false),
  bool('tls-replication', false),
  enumOf('tls-auth-clients', 'yes', [['no', 0], ['yes', 1], ['optional', 2]]),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  str('tls-cert-file', '', { emptyIsNull: true }),
  str('tls-key-file', '', { emptyIsNull: true }),
  str('tls-key-file-pass', '', { emptyIsNull: true }),
  str('tls-client-cert-file', '', { emptyIsNull: true }),
  str('tls-client-key-file', '', { emptyIsNull: true }),
  str('tls-client-key-file-pass', '', { emptyIsNull: true }),
  str('tls-dh-params-file', '', { emptyIsNull: true }),
  str('tls-ca-cert-file', '', { emptyIsNull: true }),
  str('tls-ca-cert-dir', '', { emptyIsNull: true }),
  str('tls-protocols', '', { emptyIsNull: true }),
  str('tls-ciphers', '', { emptyIsNull: true }),
  str('tls-ciphersuites', '', { emptyIsNull: true }),

  // Special configs
  dir,
  save,
  clientOutputBufferLimit,
  oomScoreAdjValues,
  notifyKeyspaceEvents,
  bind,
  replicaof,
  latencyPercentiles,
];

export type OutputLimits = Record<'normal' | 'slave' | 'pubsub', [hard: number, soft: number, seconds: number]>;

export function parseOutputLimits(s: string): OutputLimits {
  const w = s.split(' ').map(Number);
  return { normal: [w[1]!, w[2]!, w[3]!], slave: [w[5]!, w[6]!, w[7]!], pubsub: [w[9]!, w[10]!, w[11]!] };
}
