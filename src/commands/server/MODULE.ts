/*
 * MODULE HELP | LIST | LOAD | LOADEX | UNLOAD (redis/src/module.c
 * moduleCommand). Nodis cannot load Redis's C modules, so the module table is
 * always empty: LIST answers an empty array, UNLOAD "no such module", and
 * LOAD / LOADEX fail the way moduleLoad fails, logging the line Redis logs for
 * the file at that path (missing, not executable, not an ELF object ...).
 *
 * LOAD, LOADEX and UNLOAD carry the 'protected' flag: dispatch refuses them
 * unless enable-module-command allows the connection (processCommand's
 * CMD_PROTECTED check); HELP and LIST are never gated, as in Redis.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Client } from '../../server/client.js';
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { ERR_MODULE_LOAD, ERR_MODULE_UNLOAD_NO_SUCH } from '../../protocol/errors.js';

// ---- loading ---------------------------------------------------------------

/** sizeof(Elf64_Ehdr): glibc's open_verify calls a shorter file "too short" */
const ELF_HEADER_SIZE = 64;

/**
 * Why dlopen(path) would fail, in dlerror()'s words for the cases a path can
 * show without loading it; a well-formed ELF object still cannot be loaded
 * here, and says so.
 */
function dlopenError(path: string): string {
  let fd: number;
  try {
    if (statSync(path).isDirectory()) return `${path}: cannot read file data: Is a directory`;
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' ? 'Permission denied' : code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory';
    return `${path}: cannot open shared object file: ${why}`;
  }
  const head = Buffer.alloc(ELF_HEADER_SIZE);
  let n = 0;
  try { n = readSync(fd, head, 0, ELF_HEADER_SIZE, 0); } catch { /* read as empty */ } finally { closeSync(fd); }
  if (n < ELF_HEADER_SIZE) return `${path}: file too short`;
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return `${path}: invalid ELF header`;
  if (head[4] !== 2) return `${path}: wrong ELF class: ELFCLASS32`;
  return `${path}: Nodis cannot load native modules`;
}

/** moduleLoad: always fails here, with Redis's log line for the reason. */
function moduleLoad(c: Client, path: string): false {
  const log = c.server.log;
  try {
    // the execute-permission check is best effort in Redis too: only when stat succeeds
    if ((statSync(path).mode & 0o111) === 0) {
      log.warning(`Module ${path} failed to load: It does not have execute permissions.`);
      return false;
    }
  } catch { /* dlopen reports it */ }
  log.warning(`Module ${path} failed to load: ${dlopenError(path)}`);
  return false;
}

/** parseLoadexArguments: CONFIG name value ... [ARGS arg ...]; false (logged) on a syntax error. */
function parseLoadex(c: Client, args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (is(a, 'config')) {
      if (i + 2 >= args.length) { c.server.log.notice('CONFIG specified without name value pair'); return false; }
      i += 2;
    } else if (is(a, 'args')) {
      return true;
    } else {
      c.server.log.notice(`Syntax Error from arguments to loadex around ${a}.`);
      return false;
    }
  }
  return true;
}

// ---- commands --------------------------------------------------------------

export const MODULE = {
  name: 'module', group: 'server', summary: 'A container for module commands', since: '4.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale'],
      handler(c) {
        c.help('MODULE', [
          'LIST',
          '    Return a list of loaded modules.',
          'LOAD <path> [<arg> ...]',
          '    Load a module library from <path>, passing to it any optional arguments.',
          'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
          '    Load a module library from <path>, while passing it module configurations and optional arguments.',
          'UNLOAD <name>',
          '    Unload a module.',
        ]);
      },
    },
    {
      name: 'list', group: 'server', summary: 'List all modules loaded by the server', since: '4.0.0',
      complexity: 'O(N) where N is the number of loaded modules.',
      arity: 2, flags: ['admin', 'noscript'],
      tips: ['nondeterministic_output_order'],
      handler(c) { c.array(0); },
    },
    {
      name: 'load', group: 'server', summary: 'Load a module', since: '4.0.0',
      complexity: 'O(1)',
      arity: -3, flags: ['no_async_loading', 'admin', 'noscript', 'protected'],
      arguments: [{ name: 'path', type: 'string' }, { name: 'arg', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        if (!moduleLoad(c, argv[2]!)) c.error(ERR_MODULE_LOAD);
      },
    },
    {
      name: 'loadex', group: 'server', summary: 'Load a module with extended parameters', since: '7.0.0',
      complexity: 'O(1)',
      arity: -3, flags: ['no_async_loading', 'admin', 'noscript', 'protected'],
      arguments: [
        { name: 'path', type: 'string' },
        { name: 'configs', type: 'block', token: 'CONFIG', multiple: true, multiple_token: true, optional: true, arguments: [{ name: 'name', type: 'string' }, { name: 'value', type: 'string' }] },
        { name: 'args', type: 'block', token: 'ARGS', multiple: true, optional: true, arguments: [{ name: 'arg', type: 'string' }] },
      ],
      handler(c, argv) {
        if (!parseLoadex(c, argv.slice(3)) || !moduleLoad(c, argv[2]!)) c.error(ERR_MODULE_LOAD);
      },
    },
    {
      name: 'unload', group: 'server', summary: 'Unload a module', since: '4.0.0',
      complexity: 'O(1)',
      arity: 3, flags: ['no_async_loading', 'admin', 'noscript', 'protected'],
      arguments: [{ name: 'name', type: 'string' }],
      handler(c) { c.error(ERR_MODULE_UNLOAD_NO_SUCH); },
    },
  ],
} as const satisfies CommandDef;
