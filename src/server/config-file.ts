/*
 * redis.conf text and command-line directives (redis/src/config.c
 * loadServerConfigFromString, redis/src/server.c main).
 *
 * Start-up: the config file (or stdin), then the "--name value" arguments
 * turned into lines appended after it, are applied line by line; the first bad
 * line stops start-up with Redis's "FATAL CONFIG FILE ERROR" report (exit 1).
 * Lines are trimmed, split like inline commands, the directive lowercased.
 * Known parameters go through the parameter table (multi-word parameters
 * given as one quoted word are split again, so --save "900 1" works);
 * besides them: deprecated no-ops, include (with globs), rename-command,
 * user (validated by the ACL layer, which creates the users at start), sentinel (refused unless a
 * subsystem owns the directive: Server.configDirectives, filled in sentinel mode).
 * loadmodule and module configs ("name.option") are refused with an honest
 * error, as Nodis cannot load modules.
 */
import { readFileSync, readdirSync, openSync, closeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { splitArgs } from '../protocol/parser.js';
import { repr } from './config-params.js';
import { isParseError } from './config.js';
import { REDIS_VERSION, type Server } from './server.js';

export class ConfigFileError extends Error {
  constructor(readonly lineNo: number, readonly line: string, readonly reason: string) { super(reason); }

  /** The text Redis prints to stderr before exit(1). */
  report(): string {
    let s = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`;
    if (this.lineNo > 0) s += `Reading the configuration file, at line ${this.lineNo}\n>>> '${this.line}'\n`;
    return s + this.reason + '\n';
  }
}

/** A config file that cannot be read: Redis logs "Fatal error, can't open config file ..." and exits 1. */
export class ConfigOpenError extends Error {}

export interface ConfigLine { lineNo: number; text: string; args: string[] }

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory', EMFILE: 'Too many open files', ELOOP: 'Too many levels of symbolic links',
};

export const strerror = (e: unknown): string => ERRNO_TEXT[(e as { code?: string }).code ?? ''] ?? (e as Error).message;

/** What redis-server's argv means: an optional config file (or stdin) and the option text. */
export interface StartupArgs { configFile: string; fromStdin: boolean; options: string }

/** redis-server's main(): "[file] --port 6380 --save ''" -> the file and the text "port \"6380\"\nsave \"\"". */
export function parseStartupArgs(argv: readonly string[]): StartupArgs {
  let j = 0;
  let configFile = '';
  let fromStdin = false;
  if (argv.length > 0 && !argv[0]!.startsWith('-')) { configFile = argv[0]!; j = 1; }
  let out = '';
  let handledLast = true;
  for (; j < argv.length; j++) {
    const a = argv[j]!;
    if (a === '-' && (j === 0 || j === argv.length - 1)) {
      fromStdin = true;
    } else if (handledLast && a.startsWith('--')) {
      if (out.length) out += '\n';
      out += a.slice(2) + ' ';
      const parts = splitArgs(a) ?? [a];
      if (parts.length === 1) {
        handledLast = false;
        const isSave = a.toLowerCase() === '--save';
        const nextIsOption = j !== argv.length - 1 && argv[j + 1]!.startsWith('--');
        if (isSave && nextIsOption) { out += '""'; handledLast = true; }
        else if (isSave && j === argv.length - 1) out += '""';
        else if (a.toLowerCase() === '--sentinel' && nextIsOption) handledLast = true;
      } else {
        handledLast = true;
      }
    } else {
      out += repr(a) + ' ';
      handledLast = true;
    }
  }
  return { configFile, fromStdin, options: out };
}

/** Back-compatible helper: the option text of "--name value" arguments. */
export function argvToConfigText(argv: readonly string[]): string {
  return parseStartupArgs(argv).options;
}

/** Split config text into directive lines; throws on unbalanced quotes. */
export function parseConfigText(text: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (t === '' || t.startsWith('#')) continue;
    const args = splitArgs(t);
    if (args === null) throw new ConfigFileError(i + 1, t, 'Unbalanced quotes in configuration line');
    if (args.length === 0) continue;
    args[0] = args[0]!.toLowerCase();
    out.push({ lineNo: i + 1, text: t, args });
  }
  return out;
}

const DEPRECATED = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands']);

/** Read a config file (include / start-up); globs in the file name match files in its directory. */
export function readConfigFile(path: string): string {
  const wild = /[*?[]/.test(path);
  if (!wild) {
    try { return readFileSync(path, 'latin1'); }
    catch (e) { throw new ConfigOpenError(`Fatal error, can't open config file '${path}': ${strerror(e)}`); }
  }
  const dir = dirname(path);
  const pat = basename(path);
  let names: string[] = [];
  try { names = readdirSync(dir).filter((n) => globMatch(pat, n)).sort(); } catch { names = []; }
  let text = '';
  for (const n of names) {
    const p = join(dir, n);
    try { text += readFileSync(p, 'latin1'); }
    catch (e) { throw new ConfigOpenError(`Fatal error, can't open config file '${p}': ${strerror(e)}`); }
  }
  return text;
}

/** Minimal fnmatch for include globs (*, ?, [set]). */
function globMatch(p: string, s: string): boolean {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = p.indexOf(']', i + 1);
      if (j < 0) { re += '\\['; continue; }
      let set = p.slice(i + 1, j).replace(/\\/g, '\\\\');
      if (set.startsWith('!') || set.startsWith('^')) set = '^' + set.slice(1);
      re += `[${set}]`;
      i = j;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$').test(s);
}

/** Apply config text to a server (loadServerConfigFromString); throws ConfigFileError / ConfigOpenError. */
export function loadConfigText(server: Server, text: string): void {
  applyConfig(server, parseConfigText(text));
}

/** Apply parsed lines to a server's config; throws ConfigFileError on the first bad one. */
export function applyConfig(server: Server, lines: readonly ConfigLine[]): void {
  const cfg = server.config;
  for (const { lineNo, text, args } of lines) {
    const fail = (reason: string): never => { throw new ConfigFileError(lineNo, text, reason); };
    const name = args[0]!;
    const argc = args.length;
    const p = cfg.param(name);
    if (p) {
      if (!p.multiArg && argc !== 2) fail('wrong number of arguments');
      let vals = args.slice(1);
      if (p.multiArg && argc === 2 && vals[0]!.length > 0) vals = splitArgs(vals[0]!) ?? vals;
      const parsed = p.parse(vals, cfg, true);
      if (isParseError(parsed)) fail(parsed.error);
      else cfg.store(p, parsed);
      continue;
    }
    if (DEPRECATED.has(name) && argc === 2) continue;
    if (name === 'include' && argc === 2) {
      loadConfigText(server, readConfigFile(args[1]!));
    } else if (name === 'rename-command' && argc === 3) {
      const from = args[1]!.toLowerCase();
      const cmd = server.table.commands.get(from);
      if (!cmd) fail('No such command in rename-command');
      server.table.commands.delete(from);
      const to = args[2]!.toLowerCase();
      if (to.length > 0) {
        if (server.table.commands.has(to)) fail('Target command name already exists');
        server.table.commands.set(to, cmd!);
      }
      const renames = (server.ext.get('rename-command') as [string, string][] | undefined) ?? [];
      renames.push([args[1]!, args[2]!]);
      server.ext.set('rename-command', renames);
    } else if (name === 'user' && argc >= 2) {
      // validated now, created at start (ACLAppendUserForLoading / ACLLoadUsersAtStartup)
      const err = server.acl.appendUserForLoading(args.slice(1));
      if (err !== null) fail(err);
    } else if (name === 'loadmodule' && argc >= 2) {
      fail('Nodis does not support modules (loadmodule)');
    } else if (name.includes('.')) {
      if (argc < 2) fail('Module config specified without value');
      fail(`Nodis does not support modules (module config '${name}')`);
    } else if (server.configDirectives.has(name) && argc > 1) {
      // a subsystem's directive (the sentinel's, in sentinel mode): it validates or queues the line
      const err = server.configDirectives.get(name)!(args.slice(1), lineNo, text);
      if (err !== null) fail(err);
    } else if (name === 'sentinel') {
      if (argc !== 1) fail('sentinel directive while not in sentinel mode');
    } else {
      fail('Bad directive or wrong number of arguments');
    }
  }
}

/** The checks Redis runs once all lines are in (log file writable, hz range). */
export function finishConfig(server: Server): void {
  const cfg = server.config;
  const logfile = cfg.str('logfile');
  if (logfile !== '') {
    try { closeSync(openSync(logfile, 'a')); }
    catch (e) { throw new ConfigFileError(0, '', `Can't open the log file: ${strerror(e)}`); }
  }
  const hz = cfg.num('hz');
  if (hz < 1) cfg.set('hz', '1');
  if (hz > 500) cfg.set('hz', '500');
}
