/*
 * The command table: one declarative CommandDef per command (and per
 * subcommand), mirroring redis/src/commands/*.json. Dispatch (arity, flags),
 * ACL categories, cluster routing, WATCH and the COMMAND replies all read it;
 * handlers never re-derive keys from argv.
 *
 * Lookup is by lowercase name; container commands (CONFIG, CLIENT, OBJECT ...)
 * hold their subcommands, looked up by argv[1].
 */
import type { Client } from '../server/client.js';

export type CommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'module' | 'admin' | 'pubsub' | 'noscript' | 'blocking' | 'loading'
  | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'fast' | 'no_auth' | 'may_replicate' | 'sentinel'
  | 'only_sentinel' | 'no_mandatory_keys' | 'protected' | 'no_async_loading' | 'no_multi' | 'movablekeys'
  | 'allow_busy' | 'asking' | 'touches_arbitrary_keys';

export type KeySpecFlag =
  | 'RO' | 'RW' | 'OW' | 'RM' | 'access' | 'update' | 'insert' | 'delete' | 'not_key' | 'incomplete'
  | 'variable_flags';

export interface KeySpec {
  flags: readonly KeySpecFlag[];
  notes?: string;
  /** begin_search: index (1-based position of the first key) or keyword search */
  begin: { index: number } | { keyword: string; startfrom: number } | { unknown: null };
  /** find_keys: range (lastkey relative to begin, -1 = last arg; step; limit) or keynum */
  find: { range: [lastkey: number, step: number, limit: number] } | { keynum: [keynumidx: number, firstkey: number, step: number] } | { unknown: null };
}

export type AclCategory =
  | 'keyspace' | 'read' | 'write' | 'set' | 'sortedset' | 'list' | 'hash' | 'string' | 'bitmap' | 'hyperloglog'
  | 'geo' | 'stream' | 'pubsub' | 'admin' | 'fast' | 'slow' | 'blocking' | 'dangerous' | 'connection'
  | 'transaction' | 'scripting';

/** commands whose flags come from the script they run (evalGetCommandFlags, fcallGetCommandFlags) */
const SCRIPT_RUNNERS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

export type Handler = (c: Client, argv: string[]) => void;

/** Documentation argument, as in the "arguments" of redis/src/commands/*.json (for COMMAND DOCS). */
export interface ArgDoc {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multiple_token?: boolean;
  since?: string;
  key_spec_index?: number;
  display?: string;
  deprecated_since?: string;
  arguments?: readonly ArgDoc[];
}

export interface CommandDef {
  /** lowercase name; for a subcommand, the part after the '|' */
  name: string;
  group: string;
  summary: string;
  since: string;
  complexity?: string;
  /** positive: exact argc (name included); negative: at least -arity */
  arity: number;
  flags: readonly CommandFlag[];
  acl?: readonly AclCategory[];
  keySpecs?: readonly KeySpec[];
  /** command tips (request_policy:..., nondeterministic_output, ...) */
  tips?: readonly string[];
  history?: readonly (readonly [string, string])[];
  docFlags?: readonly ('deprecated' | 'syscmd')[];
  deprecatedSince?: string;
  replacedBy?: string;
  arguments?: readonly ArgDoc[];
  /** key positions for commands whose keys the specs alone cannot find (movablekeys) */
  getKeys?: (argv: readonly string[]) => number[];
  /** keys with their access flags, for commands whose flags depend on the arguments (variable_flags: SET ... GET) */
  getKeyFlags?: (argv: readonly string[]) => { pos: number; flags: readonly KeySpecFlag[] }[];
  /**
   * Members of the key's set, hash or sorted set in argv, as [first, step] to
   * the end, for pipeline warm-ups (server/warm.ts): SADD key m..., HSET key f
   * v ..., ZADD key score m ... (a wrong guess, as ZADD's options shift the
   * pairs, only warms nothing)
   */
  warmMembers?: readonly [first: number, step: number];
  /**
   * Positions that take a string value longer than a JS string can hold (a
   * big argument, protocol/big-args.ts), as [first, step] to the end: SET key
   * value [2, 0] (step 0: that position only), MSET [2, 2]. A big argument
   * anywhere else is refused before the command runs.
   */
  bigValueArgs?: readonly [first: number, step: number];
  handler?: Handler;
  subcommands?: readonly CommandDef[];
}

/** A table entry, resolved: flags as a set, categories derived, fullname set. */
export interface Command {
  def: CommandDef;
  name: string;
  /** "config|get" for subcommands */
  fullname: string;
  arity: number;
  handler: Handler;
  flags: ReadonlySet<CommandFlag>;
  isWrite: boolean;
  isReadonly: boolean;
  denyOom: boolean;
  noAuth: boolean;
  noMulti: boolean;
  noScript: boolean;
  allowStale: boolean;
  allowLoading: boolean;
  fast: boolean;
  /** may_replicate and touches_arbitrary_keys, read on every call (a field instead of a Set lookup) */
  mayReplicate: boolean;
  touchesArbitraryKeys: boolean;
  /** DEBUG / MODULE: allowed only per enable-*-command */
  isProtected: boolean;
  /** EVAL* / FCALL*: the script's declared flags decide write / denyoom / stale (getCommandFlags) */
  scriptFlags: boolean;
  acl: readonly AclCategory[];
  parent?: Command;
  subcommands?: Map<string, Command>;
  /** per-command statistics (INFO commandstats) */
  stats: { calls: number; usec: number; rejected: number; failed: number };
  /** per-command latency histogram (INFO latencystats), created on first use */
  latencyHistogram: unknown;
  /** bit index in ACL bitmaps */
  id: number;
  /**
   * Keys as [first, lastkey, step] (lastkey < 0 counts from the end) for a
   * command whose keys are a plain range and that cannot change how later
   * commands parse or run (a pipeline may be parsed past it and its keys
   * warmed: server/warm.ts); null otherwise.
   */
  warm: readonly [number, number, number] | null;
  /** CommandDef.warmMembers of a command with `warm` */
  warmMembers: readonly [number, number] | null;
}

function warmRange(def: CommandDef, flags: ReadonlySet<CommandFlag>): readonly [number, number, number] | null {
  if (flags.has('blocking') || flags.has('admin') || flags.has('noscript') || flags.has('pubsub') || flags.has('no_auth')) return null;
  if (def.subcommands !== undefined) return null;
  const spec = def.keySpecs?.[0];
  if (spec === undefined || !('index' in spec.begin) || !('range' in spec.find) || spec.find.range[2] !== 0) return null;
  if (spec.find.range[1] < 1) return null;
  return [spec.begin.index, spec.find.range[0], spec.find.range[1]];
}

/** ACL categories implied by flags, as in redis/src/server.c setImplicitACLCategories. */
export function impliedAcl(def: CommandDef): AclCategory[] {
  const out = new Set<AclCategory>(def.acl ?? []);
  const f = new Set(def.flags);
  if (f.has('write')) out.add('write');
  if (f.has('readonly') && !out.has('scripting')) out.add('read');
  if (f.has('admin')) { out.add('admin'); out.add('dangerous'); }
  if (f.has('pubsub')) out.add('pubsub');
  if (f.has('fast')) out.add('fast');
  if (f.has('blocking')) out.add('blocking');
  if (!out.has('fast')) out.add('slow');
  return [...out];
}

export class CommandTable {
  readonly commands = new Map<string, Command>();
  /** argv[0] exactly as clients send it ("SET", "get") -> command; bounded */
  private byCase = new Map<string, Command>();
  private lastName = '';
  private lastCmd: Command | undefined = undefined;
  private nextId = 0;

  register(defs: readonly CommandDef[]): void {
    for (const def of defs) {
      if (this.commands.has(def.name)) throw new Error(`duplicate command ${def.name}`);
      this.commands.set(def.name, this.resolve(def, undefined));
    }
  }

  private resolve(def: CommandDef, parent: Command | undefined): Command {
    const fullname = parent ? `${parent.name}|${def.name}` : def.name;
    const flags = new Set(def.flags);
    const warm = warmRange(def, flags);
    const handler = def.handler ?? ((c: Client) => c.error(`ERR unknown subcommand or wrong number of arguments for '${fullname}'`));
    const cmd: Command = {
      def, name: def.name, fullname, arity: def.arity, handler, flags,
      isWrite: flags.has('write'), isReadonly: flags.has('readonly'), denyOom: flags.has('denyoom'),
      noAuth: flags.has('no_auth'), noMulti: flags.has('no_multi'), noScript: flags.has('noscript'),
      allowStale: flags.has('stale'), allowLoading: flags.has('loading'), fast: flags.has('fast'), isProtected: flags.has('protected'),
      mayReplicate: flags.has('may_replicate'), touchesArbitraryKeys: flags.has('touches_arbitrary_keys'),
      scriptFlags: parent === undefined && SCRIPT_RUNNERS.has(def.name),
      acl: impliedAcl(def), parent,
      stats: { calls: 0, usec: 0, rejected: 0, failed: 0 },
      latencyHistogram: null,
      id: this.nextId++,
      warm, warmMembers: warm !== null ? def.warmMembers ?? null : null,
    };
    if (def.subcommands) {
      cmd.subcommands = new Map();
      for (const sub of def.subcommands) cmd.subcommands.set(sub.name, this.resolve(sub, cmd));
    }
    return cmd;
  }

  /** The command argv names, or undefined; for containers, the subcommand (undefined if unknown). */
  lookup(argv: readonly string[]): Command | undefined {
    const name = argv[0]!;
    // the last name looked up first: a pipeline or a busy client repeats its command, and the parser hands out
    // one string for a short name it has seen (an identity compare), a Map lookup costs more
    let cmd = name === this.lastName ? this.lastCmd : this.byCase.get(name);
    if (cmd === undefined) {
      cmd = this.commands.get(name.toLowerCase());
      if (cmd === undefined) return undefined;
      if (this.byCase.size > 4096) this.byCase.clear();
      this.byCase.set(name, cmd);
    }
    this.lastName = name;
    this.lastCmd = cmd;
    if (cmd.subcommands === undefined || argv.length < 2) return cmd;
    return cmd.subcommands.get(argv[1]!.toLowerCase());
  }

  /** Every command and subcommand, depth first. */
  *all(): Generator<Command> {
    for (const c of this.commands.values()) {
      yield c;
      if (c.subcommands) yield* c.subcommands.values();
    }
  }
}

/** A key found in argv: its position and the flags of the key spec that found it. */
export interface KeyRef { pos: number; flags: readonly KeySpecFlag[] }

/**
 * Keys of argv by the key specs alone (redis/src/db.c getKeysUsingKeySpecs):
 * null when a spec does not fit argv (keyword search runs between the first
 * and the last argument exclusive; numkeys must parse and its keys fit) or is
 * incomplete, so the caller falls back to getKeys.
 */
function keysBySpecs(specs: readonly KeySpec[], argv: readonly string[]): KeyRef[] | null {
  const argc = argv.length;
  const out: KeyRef[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    // an 'unknown' spec (SORT's BY/GET/STORE keys) is invalid for the search: the caller uses getKeys
    if ('unknown' in spec.begin || 'unknown' in spec.find) return null;
    let first = 0;
    if ('index' in spec.begin) {
      first = spec.begin.index;
    } else {
      const { keyword, startfrom } = spec.begin;
      const kw = keyword.toLowerCase();
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === kw) { first = i + 1; break; }
      }
      if (first === 0) continue;
    }
    let last: number;
    let step: number;
    if ('range' in spec.find) {
      const [lastkey, keystep, limit] = spec.find.range;
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.floor((argc - first) / limit) + lastkey);
    } else {
      const [keynumidx, firstkey, keystep] = spec.find.keynum;
      step = keystep;
      if (keynumidx >= argc || first + keynumidx >= argc) return null;
      const s = argv[first + keynumidx]!;
      const n = /^-?(0|[1-9][0-9]*)$/.test(s) ? Number(s) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) return null;
      first += firstkey;
      last = first + n - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: spec.flags });
    if (spec.flags.includes('incomplete')) return null;
  }
  return out;
}

/**
 * Keys of argv with the flags of their specs (getKeysFromCommandWithSpecs):
 * the key specs when they are complete and their flags fixed, else the
 * command's getKeys (flags then taken from its first key spec).
 */
export function keysWithFlags(cmd: Command, argv: readonly string[]): KeyRef[] {
  const specs = cmd.def.keySpecs ?? [];
  const hasKeySpec = specs.some((s) => !s.flags.includes('not_key'));
  const varFlags = specs.some((s) => s.flags.includes('variable_flags'));
  if (hasKeySpec && !varFlags) {
    const r = keysBySpecs(specs, argv);
    if (r !== null) return r;
  }
  if (cmd.def.getKeyFlags) return cmd.def.getKeyFlags(argv);
  if (cmd.def.getKeys) {
    const flags = specs[0]?.flags ?? [];
    return cmd.def.getKeys(argv).map((pos) => ({ pos, flags }));
  }
  if (hasKeySpec && varFlags) return keysBySpecs(specs, argv) ?? [];
  return [];
}

/** Key positions of argv (ACL, cluster routing, WATCH, COMMAND GETKEYS). */
export function keyPositions(cmd: Command, argv: readonly string[]): number[] {
  return keysWithFlags(cmd, argv).map((k) => k.pos);
}

/** Key spec shorthand: keys from argv[index] to lastkey (0 = just one; -1 = the last arg), every `step`. */
export function keyRange(index: number, flags: readonly KeySpecFlag[], lastkey = 0, step = 1, limit = 0): KeySpec {
  return { flags, begin: { index }, find: { range: [lastkey, step, limit] } };
}

/** Key spec shorthand: a count at argv[index] followed by that many keys. */
export function keyNum(index: number, flags: readonly KeySpecFlag[], keynumidx = 0, firstkey = 1, step = 1): KeySpec {
  return { flags, begin: { index }, find: { keynum: [keynumidx, firstkey, step] } };
}
