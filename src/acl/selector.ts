/*
 * ACL selectors (redis/src/acl.c aclSelector, ACLSetSelector and the
 * describe functions): one set of command bits, key patterns and channel
 * patterns. A user has a root selector plus any number of "(...)" ones; a
 * command is allowed when any selector allows it whole.
 *
 * Invariants, as acl.c:
 * - Command bits are indexed by Command.id over the original command table
 *   (rename-command does not change what a rule means). `future` stands for
 *   Redis's reserved last bit: set only by +@all / allcommands, cleared only
 *   by -@all / nocommands; it decides whether the description starts with
 *   +@all or -@all. ALLCOMMANDS is cleared by any bit turned off.
 * - Changing a container command's bit changes all its subcommands' bits
 *   (ACLChangeSelectorPerm) and drops its allowed first-args.
 * - Key patterns are unique by pattern text; adding an existing pattern ORs its
 *   read/write flags. Channel patterns are unique. Adding either after the
 *   '*' (allkeys / allchannels) form is an error.
 * - A rule error leaves the selector half-changed: callers apply rules to a
 *   copy and keep it only when every rule applied (ACLStringSetUser).
 */
import type { Command } from '../commands/registry.js';
import { globMatch } from '../keyspace/glob.js';
import { splitArgs } from '../protocol/parser.js';

/** Categories in acl.c's ACLCommandCategories order (ACL CAT, descriptions, COMMAND INFO). */
export const CATEGORIES = ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap',
  'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting'] as const;

export const KEY_READ = 1;
export const KEY_WRITE = 2;

/** ACLSetUser / ACLSetSelector errors, named after the errno acl.c sets; their texts are ACLSetUserStringError's. */
export type RuleError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'EALREADY' | 'ECHILD';

export function ruleErrorText(e: RuleError): string {
  switch (e) {
    case 'ENOENT': return 'Unknown command or category name in ACL';
    case 'EINVAL': return 'Syntax error';
    case 'EEXIST': return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR': return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV': return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG': return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'EALREADY': return 'Duplicate user found. A user can only be defined once in config files';
    case 'ECHILD': return 'Allowing first-arg of a subcommand is not supported';
  }
}

/** ACLStringHasSpaces: isspace() or NUL anywhere. */
export function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || c === 0) return true;
  }
  return false;
}

/**
 * The command universe ACL rules are written against: the original command
 * table (before rename-command), its commands depth first, and per category
 * the commands carrying it.
 */
export class AclCommands {
  /** top-level commands by lowercase name */
  top = new Map<string, Command>();
  /** every command and subcommand, parent before its subcommands */
  readonly all: Command[] = [];
  /** words of a command bitmap: USER_COMMAND_BITS_COUNT (1024) bits, as Redis */
  readonly words = 32;
  /** categories of each command id, as a bit mask over CATEGORIES */
  readonly catMask = new Uint32Array(1024);
  /** commands whose channels are checked: flags CH_* by command id (0: no channels) */
  readonly channelFlags = new Uint8Array(1024);
  /**
   * Keys of commands with one plain key range (GET, SET, MGET, DEL ...) as
   * [first, last (negative: from the end), step] by command id, so a check
   * needing no read/write distinction walks argv without finding keys first.
   */
  readonly simpleKeys: (readonly [number, number, number] | null)[] = [];
  /** where rule warnings go (the server log) */
  warn: (msg: string) => void = () => {};

  /**
   * Take the command table as it is once every feature registered its
   * commands, before rename-command (Redis's orig_commands).
   */
  load(commands: ReadonlyMap<string, Command>): void {
    this.top = new Map(commands);
    this.all.length = 0;
    for (const c of this.top.values()) {
      this.all.push(c);
      if (c.subcommands) for (const s of c.subcommands.values()) this.all.push(s);
    }
    for (const c of this.all) {
      if (c.id >= 1023) throw new Error('too many commands for the ACL bitmaps');
      const specs = c.def.keySpecs ?? [];
      const sp = specs[0];
      this.simpleKeys[c.id] = specs.length === 1 && c.def.getKeys === undefined && sp !== undefined && !sp.flags.includes('not_key') &&
        !sp.flags.includes('incomplete') && 'index' in sp.begin && 'range' in sp.find && sp.find.range[2] === 0 && sp.find.range[1] > 0
        ? [sp.begin.index, sp.find.range[0] >= 0 ? sp.begin.index + sp.find.range[0] : sp.find.range[0], sp.find.range[1]] : null;
      let m = 0;
      for (const a of c.acl) { const i = (CATEGORIES as readonly string[]).indexOf(a); if (i >= 0) m |= 1 << i; }
      this.catMask[c.id] = m;
    }
    this.channelFlags.fill(0);
    const ch = (name: string, flags: number): void => { const c = this.top.get(name); if (c) this.channelFlags[c.id] = flags; };
    ch('subscribe', CH_SUBSCRIBE); ch('ssubscribe', CH_SUBSCRIBE); ch('psubscribe', CH_SUBSCRIBE | CH_PATTERN);
    ch('publish', CH_PUBLISH); ch('spublish', CH_PUBLISH);
  }

  /** ACLLookupCommand: "name" or "container|sub", case-insensitive, strict. */
  lookup(name: string): Command | undefined {
    if (name === '') return undefined;
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const base = this.top.get(parts[0]!.toLowerCase());
    if (base === undefined) return undefined;
    if (parts.length === 1) return base;
    if (base.subcommands === undefined) return undefined;
    return base.subcommands.get(parts[1]!.toLowerCase());
  }

  categoryIndex(name: string): number {
    return (CATEGORIES as readonly string[]).indexOf(name.toLowerCase());
  }
}

export const CH_SUBSCRIBE = 1;
export const CH_PUBLISH = 2;
export const CH_PATTERN = 4;

export interface KeyPattern { pattern: string; flags: number }

export class Selector {
  root: boolean;
  allKeys = false;
  allChannels: boolean;
  allCommands = false;
  /** Redis's reserved "future commands" bit */
  future = false;
  bits: Uint32Array;
  /** command id -> first arguments allowed while its bit is off */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  /** some key pattern is read-only or write-only (%R~ / %W~): keys must be checked with their access flags */
  splitKeyFlags = false;
  channels: string[] = [];

  constructor(readonly cmds: AclCommands, root: boolean, allChannelsDefault: boolean) {
    this.root = root;
    this.allChannels = allChannelsDefault;
    this.bits = new Uint32Array(cmds.words);
  }

  copy(): Selector {
    const s = new Selector(this.cmds, this.root, this.allChannels);
    s.allKeys = this.allKeys;
    s.allCommands = this.allCommands;
    s.future = this.future;
    s.bits.set(this.bits);
    if (this.firstArgs !== null) s.firstArgs = new Map([...this.firstArgs].map(([k, v]) => [k, [...v]]));
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.splitKeyFlags = this.splitKeyFlags;
    s.channels = [...this.channels];
    return s;
  }

  bit(id: number): boolean { return (this.bits[id >> 5]! & (1 << (id & 31))) !== 0; }

  private setBit(id: number, on: boolean): void {
    if (on) this.bits[id >> 5]! |= 1 << (id & 31);
    else { this.bits[id >> 5]! &= ~(1 << (id & 31)); this.allCommands = false; }
  }

  /** ACLChangeSelectorPerm: the command and all its subcommands. */
  changePerm(cmd: Command, allow: boolean): void {
    this.setBit(cmd.id, allow);
    this.firstArgs?.delete(cmd.id);
    if (cmd.subcommands) for (const s of cmd.subcommands.values()) this.setBit(s.id, allow);
  }

  /** ACLSetSelectorCommandBitsForCategory (the category index is valid). */
  setCategory(cat: number, allow: boolean): void {
    const mask = this.cmds.catMask;
    const bit = 1 << cat;
    for (const c of this.cmds.top.values()) {
      if (mask[c.id]! & bit) this.changePerm(c, allow);
      if (c.subcommands) for (const s of c.subcommands.values()) if (mask[s.id]! & bit) this.changePerm(s, allow);
    }
  }

  /** [on, off] counts of the category's commands (ACLCountCategoryBitsForSelector). */
  countCategory(cat: number): [number, number] {
    const mask = this.cmds.catMask;
    const bit = 1 << cat;
    let on = 0;
    let off = 0;
    for (const c of this.cmds.all) if (mask[c.id]! & bit) { if (this.bit(c.id)) on++; else off++; }
    return [on, off];
  }

  private allowAll(on: boolean): void {
    this.bits.fill(on ? 0xffffffff : 0);
    this.future = on;
    this.allCommands = on;
    this.firstArgs = null;
  }

  /** ACLSetSelector: apply one rule; an error code, or null. */
  apply(op: string): RuleError | null {
    const lower = op.length <= 13 ? op.toLowerCase() : '';
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.patterns = [];
      this.splitKeyFlags = false;
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
      this.splitKeyFlags = false;
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.allowAll(true);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.allowAll(false);
    } else if (op[0] === '~' || op[0] === '%') {
      if (this.allKeys) return 'EEXIST';
      let flags = 0;
      let offset = 1;
      if (op[0] === '%') {
        for (; offset < op.length; offset++) {
          const ch = op[offset]!;
          const up = ch.toUpperCase();
          if (up === 'R' && !(flags & KEY_READ)) flags |= KEY_READ;
          else if (up === 'W' && !(flags & KEY_WRITE)) flags |= KEY_WRITE;
          else if (ch === '~') { offset++; break; } else return 'EINVAL';
        }
        if (flags === 0) return 'EINVAL';
      } else {
        flags = KEY_READ | KEY_WRITE;
      }
      const pat = op.slice(offset);
      if (hasSpaces(pat)) return 'EINVAL';
      const old = this.patterns.find((p) => p.pattern === pat);
      if (old === undefined) this.patterns.push({ pattern: pat, flags });
      else old.flags |= flags;
      this.allKeys = false;
      this.splitKeyFlags = this.patterns.some((p) => p.flags !== (KEY_READ | KEY_WRITE));
    } else if (op[0] === '&') {
      if (this.allChannels) return 'EISDIR';
      const pat = op.slice(1);
      if (hasSpaces(pat)) return 'EINVAL';
      if (!this.channels.includes(pat)) this.channels.push(pat);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      const bar = op.lastIndexOf('|');
      if (bar < 0) {
        const cmd = this.cmds.lookup(op.slice(1));
        if (cmd === undefined) return 'ENOENT';
        this.changePerm(cmd, true);
      } else {
        const cmd = this.cmds.lookup(op.slice(1, bar));
        const sub = op.slice(bar + 1);
        if (cmd === undefined) return 'ENOENT';
        if (cmd.parent !== undefined) return 'ECHILD';
        if (sub === '') return 'EINVAL';
        if (cmd.subcommands !== undefined) {
          const s = this.cmds.lookup(op.slice(1));
          if (s === undefined) return 'ENOENT';
          this.changePerm(s, true);
        } else {
          // allowing a first argument of an otherwise blocked command (SELECT|0): deprecated in Redis, still honoured
          this.cmds.warn(`Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: +${op.slice(1)})`);
          const fa = (this.firstArgs ??= new Map<number, string[]>());
          const list = fa.get(cmd.id) ?? [];
          const subl = sub.toLowerCase();
          if (!list.some((x) => x.toLowerCase() === subl)) list.push(sub);
          fa.set(cmd.id, list);
        }
      }
    } else if (op[0] === '-' && op[1] !== '@') {
      const cmd = this.cmds.lookup(op.slice(1));
      if (cmd === undefined) return 'ENOENT';
      this.changePerm(cmd, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const cat = this.cmds.categoryIndex(op.slice(2));
      if (cat < 0) return 'ENOENT';
      this.setCategory(cat, op[0] === '+');
    } else {
      return 'EINVAL';
    }
    return null;
  }

  // ---- checks ---------------------------------------------------------------

  /** The command bit (or an allowed first argument). */
  canRun(cmd: Command, argv: readonly string[]): boolean {
    if (this.allCommands || cmd.noAuth || this.bit(cmd.id)) return true;
    const fa = this.firstArgs?.get(cmd.id);
    if (fa === undefined || argv.length < 2) return false;
    const a = argv[cmd.parent ? 2 : 1]!.toLowerCase();
    return fa.some((x) => x.toLowerCase() === a);
  }

  /** ACLSelectorCheckKey with the key's READ/WRITE needs. */
  keyAllowed(key: string, need: number): boolean {
    if (this.allKeys) return true;
    for (const p of this.patterns) {
      if ((p.flags & need) !== need) continue;
      if (globMatch(p.pattern, key)) return true;
    }
    return false;
  }

  /** ACLSelectorHasUnrestrictedKeyAccess */
  allKeysFor(need: number): boolean {
    if (this.allKeys) return true;
    return this.patterns.some((p) => (p.flags & need) === need && p.pattern === '*');
  }

  channelAllowed(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return channelInList(this.channels, channel, isPattern);
  }

  // ---- descriptions -----------------------------------------------------------

  /** ACLDescribeSelectorCommandRules: +@all/-@all, best-fitting categories, then single commands. */
  describeCommands(): string {
    const additive = !this.future;
    let rules = additive ? '-@all ' : '+@all ';
    const fake = new Selector(this.cmds, false, false);
    fake.allowAll(!additive);
    const temp = new Selector(this.cmds, false, false);
    temp.bits.set(this.bits);
    const applied = new Array<boolean>(CATEGORIES.length).fill(false);
    for (;;) {
      let best = -1;
      let mindiff = Number.MAX_SAFE_INTEGER;
      let maxsame = 0;
      for (let j = 0; j < CATEGORIES.length; j++) {
        if (applied[j]) continue;
        const [on, off] = temp.countCategory(j);
        const diff = additive ? off : on;
        const same = additive ? on : off;
        if (same > diff && (diff < mindiff || (diff === mindiff && same > maxsame))) {
          best = j;
          mindiff = diff;
          maxsame = same;
        }
      }
      if (best === -1) break;
      fake.setCategory(best, additive);
      temp.setCategory(best, !additive);
      rules += (additive ? '+@' : '-@') + CATEGORIES[best] + ' ';
      applied[best] = true;
    }
    const single = (cmd: Command): void => {
      const userbit = this.bit(cmd.id);
      if (userbit !== fake.bit(cmd.id)) {
        rules += (userbit ? '+' : '-') + cmd.fullname + ' ';
        fake.changePerm(cmd, userbit);
      }
      if (cmd.subcommands) for (const s of cmd.subcommands.values()) single(s);
      const fa = this.firstArgs?.get(cmd.id);
      if (!userbit && fa !== undefined) for (const a of fa) rules += `+${cmd.fullname}|${a} `;
    };
    for (const c of this.cmds.top.values()) single(c);
    return rules.slice(0, -1);
  }

  /** sdsCatPatternString for each key pattern */
  keyRules(): string[] {
    return this.patterns.map((p) => (p.flags === (KEY_READ | KEY_WRITE) ? '~' : p.flags === KEY_READ ? '%R~' : '%W~') + p.pattern);
  }

  /** ACLDescribeSelector: keys, channels, commands (as in ACL LIST). */
  describe(): string {
    let res = '';
    if (this.allKeys) res += '~* ';
    else for (const k of this.keyRules()) res += k + ' ';
    if (this.allChannels) res += '&* ';
    else {
      res += 'resetchannels ';
      for (const ch of this.channels) res += '&' + ch + ' ';
    }
    return res + this.describeCommands();
  }
}

/** ACLCheckChannelAgainstList: a pattern (PSUBSCRIBE) must appear literally; a channel is matched. */
export function channelInList(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? p === channel : globMatch(p, channel)) return true;
  }
  return false;
}

/** aclCreateSelectorFromOpSet: "(rule rule ...)" into a new selector; the first failing rule's error. */
export function selectorFromOpSet(cmds: AclCommands, opset: string, allChannelsDefault: boolean): Selector | RuleError {
  const s = new Selector(cmds, false, allChannelsDefault);
  const args = splitArgs(opset.slice(1, -1)) ?? [];
  for (const a of args) {
    const err = s.apply(a);
    if (err !== null) return err;
  }
  return s;
}
