/*
 * The ACL subsystem of one server (redis/src/acl.c): the users, the checks
 * dispatch, EXEC and scripts make, the ACL log, and the aclfile / `user`
 * directives.
 *
 * Invariants kept, as acl.c:
 * - `default` always exists; it is changed in place (ACL LOAD copies the new
 *   default into it) so connections never point at a stale default user.
 *   `requirepass` is only a way to set its password (ACLUpdateDefaultUserPassword).
 * - Every other user object that leaves the table (ACL DELUSER, ACL LOAD) has
 *   its connections closed: the running one after its reply, others at once
 *   (ACLFreeUserAndKillClients). A rule change that revokes channels closes
 *   the user's pub/sub connections whose subscriptions the new rules no
 *   longer allow (ACLKillPubsubClientsIfNeeded). `off` alone closes nothing:
 *   authenticated connections keep working, as in Redis.
 * - ACL SETUSER applies all rules to a copy and keeps it only if every rule
 *   applied; ACL LOAD builds a whole new table and keeps it only if the file
 *   had no error.
 * - Checks (checkCommand) pick the error Redis logs: DENIED_CMD if no
 *   selector could run the command, else the highest reason, then the last
 *   key/channel position (ACLCheckAllUserCommandPerm). A user whose root
 *   selector allows everything (`unrestricted`) is never checked: dispatch
 *   tests that flag first, so the common case costs one property read.
 */
import { readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, KeySpecFlag } from '../commands/registry.js';
import { keysWithFlags } from '../commands/registry.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { clientInfoLine } from '../commands/connection/client-info.js';
import { AclCommands, CH_PATTERN, CH_PUBLISH, channelInList, hasSpaces, KEY_READ, KEY_WRITE, type RuleError, ruleErrorText } from './selector.js';
import { FLAG_OFF, User } from './user.js';

export const ACL_OK = 0;
export const DENIED_CMD = 1;
export const DENIED_KEY = 2;
export const DENIED_AUTH = 3;
export const DENIED_CHANNEL = 4;

export type LogContext = 'toplevel' | 'multi' | 'lua' | 'module';

interface LogEntry {
  count: number;
  reason: number;
  context: LogContext;
  object: string;
  username: string;
  ctime: number;
  cinfo: string;
}

/** ACL_LOG_GROUPING_MAX_TIME_DELTA */
const LOG_GROUPING_MS = 60000;

const keyNeedCache = new WeakMap<readonly KeySpecFlag[], number>();
function keyNeed(flags: readonly KeySpecFlag[]): number {
  let n = keyNeedCache.get(flags);
  if (n === undefined) {
    n = 0;
    if (flags.includes('access')) n |= KEY_READ;
    if (flags.includes('insert') || flags.includes('delete') || flags.includes('update')) n |= KEY_WRITE;
    keyNeedCache.set(flags, n);
  }
  return n;
}

export class Acl {
  readonly cmds: AclCommands;
  users = new Map<string, User>();
  readonly defaultUser: User;
  /** the user of our master's link and the AOF loader: Redis's NULL user, allowed everything */
  readonly superuser: User;
  readonly log: LogEntry[] = [];
  /** argv position of the key/channel behind the last denial (checkCommand) */
  lastPos = 0;
  /** `user` directives from the config, validated, applied at start (UsersToLoad) */
  readonly toLoad: string[][] = [];

  constructor(readonly server: Server) {
    this.cmds = new AclCommands();
    this.cmds.warn = (msg) => server.log.warning(msg);
    this.defaultUser = this.createDefaultUser('default');
    this.users.set('default', this.defaultUser);
    this.superuser = new User('(superuser)', this.cmds, () => true);
    this.superuser.unrestricted = true;
  }

  pubsubDefault(): boolean { return this.server.config.str('acl-pubsub-default') === 'allchannels'; }

  newUser(name: string): User { return new User(name, this.cmds, () => this.pubsubDefault()); }

  /** ACLCreateDefaultUser */
  createDefaultUser(name: string): User {
    const u = this.newUser(name);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) u.apply(op);
    return u;
  }

  /** ACLUpdateDefaultUserPassword: requirepass sets (or, empty, clears) the default user's password. */
  updateDefaultPassword(pass: string): void {
    const u = this.defaultUser;
    u.apply('resetpass');
    u.apply(pass === '' ? 'nopass' : '>' + pass);
  }

  /** Connections must AUTH first (authRequired in networking.c). */
  get authNeeded(): boolean {
    const d = this.defaultUser;
    return !d.nopass || (d.flags & FLAG_OFF) !== 0 || !d.enabled;
  }

  /** ACLCheckUserCredentials + the authenticated state (ACLAuthenticateUser); logs a failure. */
  authenticate(c: Client, name: string, pass: string): boolean {
    const u = this.users.get(name);
    if (u !== undefined && u.checkPassword(pass)) {
      c.authenticated = true;
      c.user = u;
      return true;
    }
    // inside EXEC the client-info line shows EXEC (Redis's lastcmd), not the queued AUTH
    const inExec = c.inMulti && this.server.nestedCalls > 1;
    const running = c.cmd;
    if (inExec) c.cmd = this.server.table.commands.get('exec') ?? running;
    this.addLog(c, c, DENIED_AUTH, c.inMulti ? 'multi' : 'toplevel', name, c.argv[0] ?? 'auth');
    c.cmd = running;
    return false;
  }

  /** clientSetDefaultAuth */
  setDefaultAuth(c: Client): void {
    const d = this.defaultUser;
    c.user = d;
    c.authenticated = d.nopass && d.enabled;
  }

  // ---- checks ----------------------------------------------------------------

  /** ACLCheckAllUserCommandPerm: ACL_OK or the reason (lastPos holds the argv position). */
  checkCommand(u: User, cmd: Command, argv: readonly string[]): number {
    if (u.unrestricted) return ACL_OK;
    let relevant = DENIED_CMD;
    let lastIdx = 0;
    let keys: { pos: number; flags: readonly KeySpecFlag[] }[] | null = null;
    const chFlags = this.cmds.channelFlags[cmd.id]!;
    for (const s of u.selectors) {
      let r = ACL_OK;
      let pos = 0;
      if (!s.canRun(cmd, argv)) r = DENIED_CMD;
      else {
        const simple = s.splitKeyFlags ? null : this.cmds.simpleKeys[cmd.id];
        if (s.allKeys) {
          // every key allowed
        } else if (simple != null) {
          // one plain key range and no %R~/%W~ patterns: walk argv, no key list to build
          const [first, lastRel, step] = simple;
          const last = lastRel < 0 ? argv.length + lastRel : Math.min(lastRel, argv.length - 1);
          for (let i = first; i <= last; i += step) {
            if (!s.keyAllowed(argv[i]!, 0)) { r = DENIED_KEY; pos = i; break; }
          }
        } else {
          keys ??= keysWithFlags(cmd, argv);
          for (const k of keys) {
            if (!s.keyAllowed(argv[k.pos]!, keyNeed(k.flags))) { r = DENIED_KEY; pos = k.pos; break; }
          }
        }
        if (r === ACL_OK && !s.allChannels && chFlags !== 0) {
          const stop = chFlags & CH_PUBLISH ? Math.min(2, argv.length) : argv.length;
          const isPattern = (chFlags & CH_PATTERN) !== 0;
          for (let i = 1; i < stop; i++) {
            if (!channelInList(s.channels, argv[i]!, isPattern)) { r = DENIED_CHANNEL; pos = i; break; }
          }
        }
      }
      if (r === ACL_OK) return ACL_OK;
      if (r > relevant || (r === relevant && pos > lastIdx)) { relevant = r; lastIdx = pos; }
    }
    this.lastPos = lastIdx;
    return relevant;
  }

  /** ACLUserCheckCmdWithUnrestrictedKeyAccess (SORT's BY and GET). */
  canAccessAllKeys(u: User, cmd: Command, argv: readonly string[], need: number): boolean {
    if (u.unrestricted) return true;
    for (const s of u.selectors) {
      if (this.checkSelectorOnly(u, s, cmd, argv) && s.allKeysFor(need)) return true;
    }
    return false;
  }

  private checkSelectorOnly(u: User, s: User['selectors'][number], cmd: Command, argv: readonly string[]): boolean {
    const one = new User(u.name, this.cmds, () => false);
    one.selectors = [s];
    one.changed();
    return this.checkCommand(one, cmd, argv) === ACL_OK;
  }

  /**
   * The check dispatch makes (processCommand): null, or the NOPERM line after
   * logging the denial. Called only for users that are not unrestricted.
   */
  denyLine(c: Client, cmd: Command, argv: string[]): string | null {
    const r = this.checkCommand(c.user, cmd, argv);
    if (r === ACL_OK) return null;
    c.cmd = cmd;
    c.argv = argv;
    this.logDenial(c, c, r, c.inMulti ? 'multi' : 'toplevel', cmd, argv);
    return nopermLine(r, cmd);
  }

  /** The check EXEC repeats on each queued command: null, or the NOPERM line. */
  execDenyLine(c: Client, cmd: Command, argv: string[]): string | null {
    const r = this.checkCommand(c.user, cmd, argv);
    if (r === ACL_OK) return null;
    // the client-info line shows EXEC as its command, as Redis's lastcmd
    this.logDenial(c, c, r, 'multi', cmd, argv);
    const reason = r === DENIED_CMD ? 'no permission to execute the command or subcommand'
      : r === DENIED_KEY ? 'no permission to touch the specified keys'
        : r === DENIED_CHANNEL ? 'no permission to access one of the channels used as arguments' : 'no permission';
    return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
  }

  /** scriptVerifyACL: null, or the script error text; `fake` runs as its caller's user. */
  scriptDenyText(fake: Client, caller: Client, cmd: Command, argv: string[]): string | null {
    const r = this.checkCommand(fake.user, cmd, argv);
    if (r === ACL_OK) return null;
    this.logDenial(fake, caller, r, 'lua', cmd, argv);
    return `The user executing the script ${aclErrorMessage(r)}`;
  }

  private logDenial(c: Client, real: Client, r: number, ctx: LogContext, cmd: Command, argv: readonly string[]): void {
    const object = r === DENIED_CMD ? cmd.fullname : argv[this.lastPos] ?? '';
    this.addLog(c, real, r, ctx, c.user.name, object);
  }

  // ---- the ACL log ------------------------------------------------------------

  /** addACLLogEntry: merge with a similar recent entry among the first 10, else add, trimmed to acllog-max-len. */
  addLog(_c: Client, real: Client, reason: number, context: LogContext, username: string, object: string): void {
    const now = Date.now();
    const cinfo = clientInfoLine(real, now);
    const log = this.log;
    for (let i = 0; i < Math.min(10, log.length); i++) {
      const e = log[i]!;
      if (e.reason === reason && e.context === context && Math.abs(e.ctime - now) <= LOG_GROUPING_MS && e.object === object && e.username === username) {
        log.splice(i, 1);
        log.unshift(e);
        e.cinfo = cinfo;
        e.ctime = now;
        e.count++;
        return;
      }
    }
    log.unshift({ count: 1, reason, context, object, username, ctime: now, cinfo });
    const max = this.server.config.num('acllog-max-len');
    if (log.length > max) log.length = Math.max(0, max);
  }

  replyLog(c: Client, count: number): void {
    const n = Math.min(count, this.log.length);
    c.array(n);
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const e = this.log[i]!;
      c.map(7);
      c.bulk('count'); c.int(e.count);
      c.bulk('reason'); c.bulk(['unknown', 'command', 'key', 'auth', 'channel'][e.reason] ?? 'unknown');
      c.bulk('context'); c.bulk(e.context);
      c.bulk('object'); c.bulk(e.object);
      c.bulk('username'); c.bulk(e.username);
      c.bulk('age-seconds'); c.double((now - e.ctime) / 1000);
      c.bulk('client-info'); c.bulk(e.cinfo);
    }
  }

  // ---- users ------------------------------------------------------------------

  /**
   * ACLStringSetUser: apply rules (selectors spread over several arguments
   * merged first) to a copy of the user, or a new one; all or nothing.
   * Returns the error text (without "ERR "), or null.
   */
  setUser(name: string, rules: readonly string[]): string | null {
    const merged = mergeSelectorArgs(rules);
    if (typeof merged === 'number') return `Unmatched parenthesis in acl selector starting at '${rules[merged]}'.`;
    const existing = this.users.get(name);
    const temp = this.newUser(name);
    if (existing !== undefined) temp.copyFrom(existing);
    for (const op of merged) {
      const err = temp.apply(op);
      if (err !== null) return `Error in ACL SETUSER modifier '${op}': ${ruleErrorText(err)}`;
    }
    if (existing !== undefined) {
      this.killPubsubClientsIfNeeded(temp, existing);
      existing.copyFrom(temp);
    } else {
      const u = this.newUser(name);
      u.copyFrom(temp);
      this.users.set(name, u);
    }
    return null;
  }

  /** ACL DELUSER of one user (not default): true if it existed. */
  deleteUser(name: string): boolean {
    const u = this.users.get(name);
    if (u === undefined) return false;
    this.users.delete(name);
    this.freeUserAndKillClients(u);
    return true;
  }

  /** ACLFreeUserAndKillClients */
  private freeUserAndKillClients(u: User): void {
    u.deleted = true;
    const current = this.server.currentClient;
    for (const c of [...this.server.clients.values()]) {
      if (c.user !== u) continue;
      c.user = this.defaultUser;
      c.authenticated = false;
      if (c === current || c.running) c.closeAfterReply = true;
      else c.close();
    }
  }

  /** ACLKillPubsubClientsIfNeeded: close the user's subscribers whose subscriptions the new rules revoke. */
  private killPubsubClientsIfNeeded(next: User, orig: User): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming: string[] = [];
    for (const s of next.selectors) upcoming.push(...s.channels);
    let match = true;
    for (const s of orig.selectors) {
      if (s.allChannels) { match = false; break; }
      if (!s.channels.every((ch) => upcoming.includes(ch))) { match = false; break; }
    }
    if (match) return;
    for (const c of [...this.server.clients.values()]) {
      if (c.user !== orig || c.kind !== 'pubsub') continue;
      let kill = false;
      for (const p of c.patterns) if (!channelInList(upcoming, p, true)) { kill = true; break; }
      if (!kill) for (const ch of c.channels) if (!channelInList(upcoming, ch, false)) { kill = true; break; }
      if (!kill) for (const ch of c.shardChannels) if (!channelInList(upcoming, ch, false)) { kill = true; break; }
      if (kill) {
        if (c.running) c.closeAfterReply = true;
        else c.close();
      }
    }
  }

  /** Users in name order (Redis's rax: byte order). */
  sortedUsers(): User[] {
    return [...this.users.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => this.users.get(n)!);
  }

  // ---- config `user` directives and the aclfile ----------------------------------

  /**
   * ACLAppendUserForLoading: validate a `user` directive (args without the
   * word "user") and queue it; null, or the config error text. Unknown
   * commands and categories are let through here, as Redis does, and fail at
   * load time.
   */
  appendUserForLoading(args: readonly string[]): string | null {
    const full = ['user', ...args];
    const at = (i: number, err: RuleError): string => `Error in user declaration '${full[i]}': ${ruleErrorText(err)}`;
    if (this.toLoad.some((u) => u[0] === args[0])) return at(1, 'EALREADY');
    const merged = mergeSelectorArgs(args.slice(1));
    if (typeof merged === 'number') return `Error in user declaration '${full[merged]}': ${ruleErrorText('ENOENT')}`; // Redis reports a stale errno here
    const fake = this.newUser('__fakeuser:0__');
    for (let j = 0; j < merged.length; j++) {
      const err = fake.apply(merged[j]!);
      if (err !== null && err !== 'ENOENT') return at(j, err);
    }
    this.toLoad.push([args[0]!, ...merged]);
    return null;
  }

  /** ACLLoadConfiguredUsers: false after logging the first failure. */
  private loadConfiguredUsers(): boolean {
    const log = this.server.log;
    for (const rules of this.toLoad) {
      const name = rules[0]!;
      if (hasSpaces(name)) { log.warning('Spaces not allowed in ACL usernames'); return false; }
      let u = this.users.get(name);
      if (u === undefined) { u = this.newUser(name); this.users.set(name, u); } else u.apply('reset');
      for (let j = 1; j < rules.length; j++) {
        const err = u.apply(rules[j]!);
        if (err !== null) {
          log.warning(`Error loading ACL rule '${rules[j]}' for the user named '${name}': ${ruleErrorText(err)}`);
          return false;
        }
      }
      if (!u.enabled) log.notice(`The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
    }
    return true;
  }

  /** ACLLoadUsersAtStartup: throws (after logging Redis's lines) when start-up must stop. */
  loadAtStartup(): void {
    const log = this.server.log;
    const file = this.server.config.str('aclfile');
    const fail = (): never => { const e = new Error('ACL load failed') as Error & { logged: boolean }; e.logged = true; throw e; };
    if (file !== '' && this.toLoad.length !== 0) {
      log.warning('Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.');
      fail();
    }
    if (!this.loadConfiguredUsers()) { log.warning('Critical error while loading ACLs. Exiting.'); fail(); }
    if (file !== '') {
      const errors = this.loadFromFile(file);
      if (errors !== null) { log.warning(`Aborting Redis startup because of ACL errors: ${errors}`); fail(); }
    }
  }

  /** A relative aclfile is relative to `dir` (Redis chdir()s there). */
  private path(file: string): string { return resolve(this.server.config.str('dir'), file); }

  /** ACLLoadFromFile: null when loaded, else every error found (nothing changed). */
  loadFromFile(file: string): string | null {
    let text: string;
    try { text = readFileSync(this.path(file), 'latin1'); } catch (e) {
      return `Error loading ACLs, opening file '${file}': ${strerrorOf(e)}`;
    }
    const nul = text.indexOf('\0');
    if (nul >= 0) text = text.slice(0, nul);
    const fname = this.server.config.str('aclfile');
    const lines = text.split('\n');
    const users = new Map<string, User>();
    let errors = '';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') continue;
      const argv = line.split(' ');
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${fname}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      const name = argv[1]!;
      if (hasSpaces(name)) {
        errors += `'${fname}:${linenum}: username '${name}' contains invalid characters. `;
        continue;
      }
      if (users.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        continue;
      }
      const u = this.newUser(name);
      users.set(name, u);
      const merged = mergeSelectorArgs(argv.slice(2));
      if (typeof merged === 'number') {
        errors += `${fname}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const raw of merged) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        const err = u.apply(op);
        if (err === null) continue;
        if (err === 'ENOENT') errors += `${fname}:${linenum}: Error in applying operation '${op}': ${ruleErrorText(err)}. `;
        else if (!syntaxError) {
          errors += `${fname}:${linenum}: ${ruleErrorText(err)}. `;
          syntaxError = true;
        }
      }
    }
    if (errors !== '') return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    const newDefault = users.get('default') ?? this.createDefaultUser('default');
    this.defaultUser.copyFrom(newDefault);
    users.set('default', this.defaultUser);
    const old = this.users;
    this.users = users;
    for (const [name, u] of old) if (name !== 'default') this.freeUserAndKillClients(u);
    return null;
  }

  /** ACLSaveToFile: false after logging the failure. */
  saveToFile(file: string): boolean {
    let text = '';
    for (const u of this.sortedUsers()) text += `user ${u.name} ${u.describe()}\n`;
    const tmp = `${this.path(file)}.tmp-${process.pid}-${Date.now()}`;
    try {
      writeFileSync(tmp, text, { encoding: 'latin1', mode: 0o644 });
    } catch (e) {
      this.server.log.warning(`Opening temp ACL file for ACL SAVE: ${strerrorOf(e)}`);
      try { unlinkSync(tmp); } catch { /* not created */ }
      return false;
    }
    try {
      renameSync(tmp, this.path(file));
    } catch (e) {
      this.server.log.warning(`Renaming ACL file for ACL SAVE: ${strerrorOf(e)}`);
      try { unlinkSync(tmp); } catch { /* gone */ }
      return false;
    }
    return true;
  }

  /** The `user` lines CONFIG REWRITE writes (rewriteConfigUserOption); none with an aclfile. */
  configLines(): string[] {
    if (this.server.config.str('aclfile') !== '') return [];
    return this.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`);
  }
}

/** getAclErrorMessage */
export function aclErrorMessage(r: number): string {
  switch (r) {
    case DENIED_CMD: return "can't run this command or subcommand";
    case DENIED_KEY: return "can't access at least one of the keys mentioned in the command arguments";
    case DENIED_CHANNEL: return "can't publish to the channel mentioned in the command";
    default: return 'lacking the permissions for the command';
  }
}

/** processCommand's NOPERM replies */
export function nopermLine(r: number, cmd: Command): string {
  switch (r) {
    case DENIED_CMD: return `NOPERM this user has no permissions to run the '${cmd.fullname}' command`;
    case DENIED_KEY: return 'NOPERM this user has no permissions to access one of the keys used as arguments';
    case DENIED_CHANNEL: return 'NOPERM this user has no permissions to access one of the channels used as arguments';
    default: return 'ERR no permission';
  }
}

/**
 * ACLMergeSelectorArguments: "(a", "b)" -> "(a b)". The merged rules, or the
 * index of the argument opening an unmatched parenthesis.
 */
export function mergeSelectorArgs(argv: readonly string[]): string[] | number {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < argv.length; j++) {
    const op = argv[j]!;
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      sel = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      sel += ' ' + op;
      if (op[op.length - 1] === ')') { open = -1; out.push(sel); }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? open : out;
}

const ERRNO: Record<string, string> = {
  ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory', EROFS: 'Read-only file system', ENOSPC: 'No space left on device',
};
function strerrorOf(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  return ERRNO[code] ?? (e as Error).message;
}

export function installAcl(server: Server): void {
  const acl = new Acl(server);
  server.acl = acl;
  acl.updateDefaultPassword(server.config.str('requirepass') ?? '');
  server.configHooks.push((name) => {
    if (name === 'requirepass') acl.updateDefaultPassword(server.config.str('requirepass') ?? '');
  });
  server.startHooks.unshift(() => acl.loadAtStartup());
}

/** Last of the features: every command is registered, none renamed yet. */
export function finishAclInstall(server: Server): void {
  server.acl.cmds.load(server.table.commands);
}
