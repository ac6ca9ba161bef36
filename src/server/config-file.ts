/*
 * redis.conf text and command-line directives (redis/src/config.c
 * loadServerConfigFromString, redis/src/server.c main). Each line is
 * "name arg ...", split like inline commands; "--name value" arguments become
 * lines appended after the file. Errors stop start-up with Redis's report.
 */
import { splitArgs } from '../protocol/parser.js';
import { REDIS_VERSION, type Server } from './server.js';

export class ConfigFileError extends Error {
  constructor(readonly lineNo: number, readonly line: string, readonly reason: string) { super(reason); }

  report(): string {
    let s = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`;
    if (this.lineNo > 0) s += `Reading the configuration file, at line ${this.lineNo}\n>>> '${this.line}'\n`;
    return s + this.reason + '\n';
  }
}

export interface ConfigLine { lineNo: number; text: string; args: string[] }

/** Quote an argument like sdscatrepr so it survives splitArgs. */
function repr(s: string): string {
  let o = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') o += '\\' + ch;
    else if (ch === '\n') o += '\\n';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\t') o += '\\t';
    else if (c < 32 || c > 126) o += '\\x' + c.toString(16).padStart(2, '0');
    else o += ch;
  }
  return o + '"';
}

/** "--port 6380 --save ''" -> "port 6380\nsave \"\"" (redis-server's main()). */
export function argvToConfigText(argv: readonly string[]): string {
  let out = '';
  let handledLast = true;
  for (let j = 0; j < argv.length; j++) {
    const a = argv[j]!;
    if (handledLast && a.startsWith('--')) {
      if (out.length) out += '\n';
      out += a.slice(2) + ' ';
      const parts = splitArgs(a) ?? [a];
      if (parts.length === 1) {
        handledLast = false;
        const isSave = a.toLowerCase() === '--save';
        if (isSave && (j === argv.length - 1 || argv[j + 1]!.startsWith('--'))) {
          out += '""';
          handledLast = true;
        }
      } else {
        handledLast = true;
      }
    } else {
      out += repr(a) + ' ';
      handledLast = true;
    }
  }
  return out;
}

export function parseConfigText(text: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
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

/** Apply parsed lines to a server's config; throws ConfigFileError on the first bad one. */
export function applyConfig(server: Server, lines: readonly ConfigLine[]): void {
  for (const { lineNo, text, args } of lines) {
    const name = args[0]!;
    const p = server.config.param(name);
    if (p) {
      let vals = args.slice(1);
      if (!p.multiArg && vals.length !== 1) throw new ConfigFileError(lineNo, text, 'wrong number of arguments');
      if (p.multiArg && vals.length === 1 && vals[0]!.length > 0) vals = splitArgs(vals[0]!) ?? vals;
      const err = server.config.set(name, vals, true);
      if (err) throw new ConfigFileError(lineNo, text, err);
      continue;
    }
    if (DEPRECATED.has(name) && args.length === 2) continue;
    if (name === 'include' && args.length === 2) continue;
    throw new ConfigFileError(lineNo, text, 'Bad directive or wrong number of arguments');
  }
}
