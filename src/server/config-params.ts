/*
 * The parameter table behind CONFIG GET/SET and redis.conf, with Redis 7.0's
 * names, aliases, defaults and validation messages (redis/src/config.c).
 * Builders: bool(), int(), mem(), enumOf(), str(), special().
 * Flags: immutable (start-up only), protected (enable-protected-configs).
 */
import type { Config, ConfigValue } from './config.js';

type Parsed = ConfigValue | { error: string };

export interface ParamDef {
  name: string;
  alias?: string;
  default: ConfigValue;
  immutable?: boolean;
  protected?: boolean;
  /** several words (save, client-output-buffer-limit ...) */
  multiArg?: boolean;
  parse(args: string[], cfg: Config, startup: boolean): Parsed;
  format(v: ConfigValue, cfg: Config): string;
}

type Extra = { alias?: string; immutable?: boolean; protected?: boolean };

const one = (args: string[]): string | { error: string } => (args.length === 1 ? args[0]! : { error: 'wrong number of arguments' });

export function bool(name: string, def: boolean, extra: Extra = {}): ParamDef {
  return {
    name, default: def, ...extra,
    parse(args) {
      const a = one(args);
      if (typeof a !== 'string') return a;
      const l = a.toLowerCase();
      if (l === 'yes') return true;
      if (l === 'no') return false;
      return { error: "argument must be 'yes' or 'no'" };
    },
    format: (v) => (v ? 'yes' : 'no'),
  };
}

/** Strict integer parse (Redis's string2ll). */
export function parseInteger(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

export function int(name: string, def: number, min: number, max: number, extra: Extra = {}): ParamDef {
  return {
    name, default: def, ...extra,
    parse(args) {
      const a = one(args);
      if (typeof a !== 'string') return a;
      const n = parseInteger(a);
      if (n === null) return { error: "argument couldn't be parsed into an integer" };
      if (n < min || n > max) return { error: `argument must be between ${min} and ${max} inclusive` };
      return n;
    },
    format: (v) => String(v),
  };
}

/** Memory values: 1k = 1000, 1kb = 1024, case-insensitive (redis/src/util.c memtoull). */
export function parseMemory(s: string): number | null {
  const m = /^(-?[0-9]+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  const n = Number(m[1]) * mul[unit]!;
  return Number.isSafeInteger(n) ? n : null;
}

export function mem(name: string, def: number, min: number, max: number, extra: Extra = {}): ParamDef {
  return {
    name, default: def, ...extra,
    parse(args) {
      const a = one(args);
      if (typeof a !== 'string') return a;
      const n = parseMemory(a);
      if (n === null) return { error: 'argument must be a memory value' };
      if (n < min || n > max) return { error: `argument must be between ${min} and ${max} inclusive` };
      return n;
    },
    format: (v) => String(v),
  };
}

export function enumOf(name: string, def: string, values: readonly string[], extra: Extra = {}): ParamDef {
  return {
    name, default: def, ...extra,
    parse(args) {
      const a = one(args);
      if (typeof a !== 'string') return a;
      const l = a.toLowerCase();
      if (values.includes(l)) return l;
      return { error: `argument(s) must be one of the following: ${values.join(', ')}` };
    },
    format: (v) => String(v),
  };
}

export function str(name: string, def: string, extra: Extra = {}): ParamDef {
  return {
    name, default: def, ...extra,
    parse(args) { return one(args); },
    format: (v) => String(v),
  };
}

export function special(def: Omit<ParamDef, 'format'> & { format?: ParamDef['format'] }): ParamDef {
  return { format: (v) => (Array.isArray(v) ? v.join(' ') : String(v)), ...def };
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

export const PARAMS: ParamDef[] = [
  // networking
  int('port', 6379, 0, 65535),
  special({
    name: 'bind', default: ['*', '-::*'], multiArg: true,
    parse: (args) => args.filter((a) => a.length > 0),
  }),
  bool('protected-mode', true),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  int('tcp-backlog', 511, 0, INT_MAX, { immutable: true }),
  int('maxclients', 10000, 1, INT_MAX),
  mem('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024, LONG_MAX),
  mem('client-query-buffer-limit', 1024 * 1024 * 1024, 1024 * 1024, LONG_MAX),
  str('requirepass', ''),
  str('unixsocket', '', { immutable: true }),
  // general
  int('databases', 16, 1, INT_MAX, { immutable: true }),
  enumOf('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning', 'nothing']),
  str('logfile', '', { immutable: true }),
  str('dir', './'),
  str('dbfilename', 'dump.rdb'),
  bool('daemonize', false, { immutable: true }),
  str('pidfile', ''),
  int('hz', 10, 0, INT_MAX),
  bool('dynamic-hz', true),
  enumOf('enable-debug-command', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enumOf('enable-protected-configs', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enumOf('enable-module-command', 'no', ['no', 'yes', 'local'], { immutable: true }),
  // persistence (implemented in a later issue; settings accepted and kept)
  special({
    name: 'save', default: '3600 1 300 100 60 10000', multiArg: true,
    parse(args) {
      const words = args.length === 1 ? args[0]!.split(' ').filter((w) => w.length > 0) : args;
      if (words.length === 0 || (words.length === 1 && words[0] === '')) return '';
      if (words.length % 2 !== 0) return { error: 'Invalid save parameters' };
      for (const w of words) if (parseInteger(w) === null || Number(w) < 0) return { error: 'Invalid save parameters' };
      return words.join(' ');
    },
  }),
  bool('appendonly', false),
  str('appendfilename', 'appendonly.aof', { immutable: true }),
  str('appenddirname', 'appendonlydir', { immutable: true }),
  enumOf('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  bool('aof-use-rdb-preamble', true),
  bool('rdbcompression', true),
  bool('rdbchecksum', true),
  bool('stop-writes-on-bgsave-error', true),
  // memory
  mem('maxmemory', 0, 0, LONG_MAX),
  enumOf('maxmemory-policy', 'noeviction',
    ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']),
  int('maxmemory-samples', 5, 1, 64),
  int('lfu-log-factor', 10, 0, INT_MAX),
  int('lfu-decay-time', 1, 0, INT_MAX),
  // slowlog / latency
  int('slowlog-log-slower-than', 10000, -1, LONG_MAX),
  int('slowlog-max-len', 128, 0, LONG_MAX),
  int('latency-monitor-threshold', 0, 0, LONG_MAX),
  str('notify-keyspace-events', ''),
  // encodings (collection types use these)
  int('hash-max-listpack-entries', 128, 0, LONG_MAX, { alias: 'hash-max-ziplist-entries' }),
  int('hash-max-listpack-value', 64, 0, LONG_MAX, { alias: 'hash-max-ziplist-value' }),
  int('set-max-intset-entries', 512, 0, LONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LONG_MAX, { alias: 'zset-max-ziplist-entries' }),
  int('zset-max-listpack-value', 64, 0, LONG_MAX, { alias: 'zset-max-ziplist-value' }),
  int('list-max-listpack-size', -2, -5, INT_MAX, { alias: 'list-max-ziplist-size' }),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('stream-node-max-bytes', 4096, 0, LONG_MAX),
  int('stream-node-max-entries', 100, 0, LONG_MAX),
  int('active-expire-effort', 1, 1, 10),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-server-del', false),
  bool('replica-read-only', true, { alias: 'slave-read-only' }),
  bool('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  special({
    name: 'client-output-buffer-limit', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    multiArg: true,
    parse(args, cfg) {
      const words = args.length === 1 ? args[0]!.split(' ').filter((w) => w.length > 0) : args;
      if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
      const cur = parseOutputLimits(cfg.values.get('client-output-buffer-limit') as string);
      for (let i = 0; i < words.length; i += 4) {
        let cls = words[i]!.toLowerCase();
        if (cls === 'replica') cls = 'slave';
        if (!['normal', 'slave', 'pubsub'].includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
        const hard = parseMemory(words[i + 1]!);
        const soft = parseMemory(words[i + 2]!);
        const secs = parseInteger(words[i + 3]!);
        if (hard === null || soft === null || secs === null || hard < 0 || soft < 0 || secs < 0) {
          return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
        }
        cur[cls as 'normal'] = [hard, soft, secs];
      }
      return `normal ${cur.normal.join(' ')} slave ${cur.slave.join(' ')} pubsub ${cur.pubsub.join(' ')}`;
    },
  }),
];

export type OutputLimits = Record<'normal' | 'slave' | 'pubsub', [hard: number, soft: number, seconds: number]>;

export function parseOutputLimits(s: string): OutputLimits {
  const w = s.split(' ').map(Number);
  return { normal: [w[1]!, w[2]!, w[3]!], slave: [w[5]!, w[6]!, w[7]!], pubsub: [w[9]!, w[10]!, w[11]!] };
}
