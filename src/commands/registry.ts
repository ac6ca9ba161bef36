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
  | 'allow_busy';

export type KeySpecFlag =
  | 'RO' | 'RW' | 'OW' | 'RM' | 'access' | 'update' | 'insert' | 'delete' | 'not_key' | 'incomplete'
  | 'variable_flags';

export interface KeySpec {
  flags: readonly KeySpecFlag[];
  notes?: string;
  /** begin_search: index (1-based position of the first key) or keyword search */
  begin: { index: number } | { keyword: string; startfrom: number };
  /** find_keys: range (lastkey relative to begin, -1 = last arg; step; limit) or keynum */
  find: { range: [lastkey: number, step: number, limit: number] } | { keynum: [keynumidx: number, firstkey: number, step: number] };
}

export type AclCategory =
  | 'keyspace' | 'read' | 'write' | 'set' | 'sortedset' | 'list' | 'hash' | 'string' | 'bitmap' | 'hyperloglog'
  | 'geo' | 'stream' | 'pubsub' | 'admin' | 'fast' | 'slow' | 'blocking' | 'dangerous' | 'connection'
  | 'transaction' | 'scripting';

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
  acl: readonly AclCategory[];
  parent?: Command;
  subcommands?: Map<string, Command>;
  /** per-command statistics (INFO commandstats) */
  stats: { calls: number; usec: number; rejected: number; failed: number };
  /** bit index in ACL bitmaps */
  id: number;
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
    const handler = def.handler ?? ((c: Client) => c.error(`ERR unknown subcommand or wrong number of arguments for '${fullname}'`));
    const cmd: Command = {
      def, name: def.name, fullname, arity: def.arity, handler, flags,
      isWrite: flags.has('write'), isReadonly: flags.has('readonly'), denyOom: flags.has('denyoom'),
      noAuth: flags.has('no_auth'), noMulti: flags.has('no_multi'), noScript: flags.has('noscript'),
      allowStale: flags.has('stale'), allowLoading: flags.has('loading'), fast: flags.has('fast'),
      acl: impliedAcl(def), parent,
      stats: { calls: 0, usec: 0, rejected: 0, failed: 0 },
      id: this.nextId++,
    };
    if (def.subcommands) {
      cmd.subcommands = new Map();
      for (const sub of def.subcommands) cmd.subcommands.set(sub.name, this.resolve(sub, cmd));
    }
    return cmd;
  }

  /** The command argv names, or undefined; for containers, the subcommand (undefined if unknown). */
  lookup(argv: readonly string[]): Command | undefined {
    let cmd = this.commands.get(argv[0]!);
    if (cmd === undefined) {
      const lower = argv[0]!.toLowerCase();
      if (lower === argv[0]) return undefined;
      cmd = this.commands.get(lower);
      if (cmd === undefined) return undefined;
    }
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

/** Key positions of argv according to a command's key specs (and getKeys for movable keys). */
export function keyPositions(cmd: Command, argv: readonly string[]): number[] {
  if (cmd.def.getKeys) return cmd.def.getKeys(argv);
  const out: number[] = [];
  for (const spec of cmd.def.keySpecs ?? []) {
    if (spec.flags.includes('not_key')) continue;
    let first: number;
    if ('index' in spec.begin) {
      first = spec.begin.index;
    } else {
      const { keyword, startfrom } = spec.begin;
      const kw = keyword.toLowerCase();
      first = -1;
      if (startfrom >= 0) {
        for (let i = startfrom; i < argv.length; i++) if (argv[i]!.toLowerCase() === kw) { first = i + 1; break; }
      } else {
        for (let i = argv.length + startfrom; i > 0; i--) if (argv[i]!.toLowerCase() === kw) { first = i + 1; break; }
      }
      if (first < 0) continue;
    }
    if (first >= argv.length) continue;
    if ('range' in spec.find) {
      const [lastkey, step, limit] = spec.find.range;
      let last: number;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit <= 1) last = argv.length + lastkey;
      else last = first + Math.floor((argv.length - 1 + lastkey + 1 - first) / limit) - 1;
      for (let i = first; i <= last && i < argv.length; i += step) out.push(i);
    } else {
      const [keynumidx, firstkey, step] = spec.find.keynum;
      const n = Number(argv[first + keynumidx]);
      if (!Number.isInteger(n) || n < 0) continue;
      const start = first + firstkey;
      for (let i = 0; i < n && start + i * step < argv.length; i++) out.push(start + i * step);
    }
  }
  return out;
}

/** Key spec shorthand: keys from argv[index] to lastkey (0 = just one; -1 = the last arg), every `step`. */
export function keyRange(index: number, flags: readonly KeySpecFlag[], lastkey = 0, step = 1, limit = 0): KeySpec {
  return { flags, begin: { index }, find: { range: [lastkey, step, limit] } };
}

/** Key spec shorthand: a count at argv[index] followed by that many keys. */
export function keyNum(index: number, flags: readonly KeySpecFlag[], keynumidx = 0, firstkey = 1, step = 1): KeySpec {
  return { flags, begin: { index }, find: { keynum: [keynumidx, firstkey, step] } };
}
