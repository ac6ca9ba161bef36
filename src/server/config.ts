/*
 * Server configuration: a declarative table of parameters with redis.conf
 * names, aliases, types, defaults and bounds (redis/src/config.c standardConfig).
 *
 * Values live in `Config.values`, keyed by the canonical name, already parsed
 * (booleans, numbers, strings). The hot path reads them through typed getters
 * on Config. set() validates one value and returns an error text or null;
 * setMany() is CONFIG SET's all-or-nothing form. config-file.ts parses
 * redis.conf text and command-line directives on top of this.
 */
import { PARAMS, type ParamDef, type Parsed } from './config-params.js';
import { splitArgs } from '../protocol/parser.js';

export const isParseError = (p: Parsed): p is { error: string } =>
  typeof p === 'object' && p !== null && !Array.isArray(p) && 'error' in p;

export type ConfigValue = string | number | boolean | string[];

/** Parameters read on every command, mirrored into plain fields. */
const HOT = new Set(['proto-max-bulk-len', 'maxmemory', 'slowlog-log-slower-than', 'latency-monitor-threshold', 'latency-tracking', 'client-query-buffer-limit', 'hll-sparse-max-bytes']);

export class Config {
  readonly values = new Map<string, ConfigValue>();
  readonly params = new Map<string, ParamDef>();
  /** alias -> canonical name */
  readonly aliases = new Map<string, string>();
  /** exact text of numeric values beyond 2^53 (64-bit configs), by canonical name */
  readonly exact = new Map<string, string>();
  /** a "save" line was read from the config file: later ones append (Redis's reading_config_file rule) */
  saveLoaded = false;
  /** called after a parameter changes (name, value) */
  onChange: ((name: string, value: ConfigValue) => void) | null = null;

  // Hot-path copies (kept in sync by set())
  protoMaxBulkLen = 512 * 1024 * 1024;
  maxmemory = 0;
  slowlogSlowerThan = 10000;
  latencyMonitorThreshold = 0;
  latencyTracking = true;
  /** client-query-buffer-limit (read on every read of a client) */
  queryBufferLimit = 1024 * 1024 * 1024;
  /** hll-sparse-max-bytes (read by every PFADD) */
  hllSparseMaxBytes = 3000;

  constructor() {
    for (const p of PARAMS) {
      this.params.set(p.name, p);
      if (p.alias) this.aliases.set(p.alias, p.name);
      this.values.set(p.name, p.default);
    }
    this.syncHot();
  }

  private syncHot(): void {
    this.protoMaxBulkLen = this.num('proto-max-bulk-len');
    this.maxmemory = this.num('maxmemory');
    this.slowlogSlowerThan = this.num('slowlog-log-slower-than');
    this.latencyMonitorThreshold = this.num('latency-monitor-threshold');
    this.latencyTracking = this.bool('latency-tracking');
    this.queryBufferLimit = this.num('client-query-buffer-limit');
    this.hllSparseMaxBytes = this.num('hll-sparse-max-bytes');
  }

  /** Canonical parameter for a name or alias (case-insensitive). */
  param(name: string): ParamDef | undefined {
    const n = name.toLowerCase();
    return this.params.get(this.aliases.get(n) ?? n);
  }

  num(name: string): number { return this.values.get(name) as number; }
  bool(name: string): boolean { return this.values.get(name) as boolean; }
  str(name: string): string { return this.values.get(name) as string; }

  /** Parse and apply one value. Returns an error text (Redis's wording) or null. */
  set(name: string, raw: string[] | string, startup = false): string | null {
    const p = this.param(name);
    if (!p) return 'Unknown option';
    let args = Array.isArray(raw) ? raw : [raw];
    if (!Array.isArray(raw) && p.multiArg && raw.length > 0) args = splitArgs(raw) ?? [raw];
    if (!p.multiArg && args.length !== 1) return 'wrong number of arguments';
    const parsed = p.parse(args, this, startup);
    if (isParseError(parsed)) return parsed.error;
    this.store(p, parsed);
    return null;
  }

  /** Store a value parse() returned (and keep the exact text of big numbers), then notify. */
  store(p: ParamDef, parsed: Exclude<Parsed, { error: string }>): void {
    let v: ConfigValue;
    if (typeof parsed === 'object' && !Array.isArray(parsed)) {
      v = parsed.value;
      this.exact.set(p.name, parsed.exact);
    } else {
      v = parsed;
      this.exact.delete(p.name);
    }
    this.values.set(p.name, v);
    if (HOT.has(p.name)) this.syncHot();
    this.onChange?.(p.name, v);
  }

  /** The value as CONFIG GET shows it. */
  format(name: string): string {
    const p = this.params.get(name)!;
    return p.format(this.values.get(name)!, this);
  }
}
