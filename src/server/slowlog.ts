/*
 * The slow log (redis/src/slowlog.c): commands that ran at least
 * slowlog-log-slower-than microseconds, newest first, at most slowlog-max-len
 * entries. An entry keeps at most 32 arguments (the last one then says
 * "... (N more arguments)") and at most 128 bytes of each ("... (N more
 * bytes)"), plus the client's address and name. Commands flagged
 * skip_slowlog (EXEC, AUTH ...) are not logged; sensitive arguments are
 * redacted. A command that blocked is logged when it is served (as Redis's
 * updateStatsOnUnblock), not when it blocks. Installed per server through features.ts.
 */
import type { Server } from './server.js';
import type { Client } from './client.js';
import type { Command } from '../commands/registry.js';
import { redactedArgv } from './redact.js';
import { bigArg } from '../protocol/big-args.js';

export interface SlowlogEntry { id: number; time: number; duration: number; argv: string[]; peer: string; name: string }

export interface Slowlog { entries: SlowlogEntry[]; nextId: number }

const MAX_ARGC = 32;
const MAX_STRING = 128;

export function slowlogOf(server: Server): Slowlog {
  let s = server.ext.get('slowlog') as Slowlog | undefined;
  if (!s) { s = { entries: [], nextId: 0 }; server.ext.set('slowlog', s); }
  return s;
}

/** Add an entry if the command was slow enough (slowlogPushEntryIfNeeded), then trim to slowlog-max-len. */
export function slowlogPush(server: Server, c: Client, argv: readonly string[], usec: number): void {
  const threshold = server.config.num('slowlog-log-slower-than');
  if (threshold < 0 || usec < threshold) return;
  const log = slowlogOf(server);
  const n = Math.min(argv.length, MAX_ARGC);
  const args: string[] = [];
  for (let j = 0; j < n; j++) {
    if (n !== argv.length && j === n - 1) { args.push(`... (${argv.length - n + 1} more arguments)`); break; }
    const a = argv[j]!;
    const big = bigArg(a);
    if (big !== undefined) args.push(`${big.toString('latin1', 0, MAX_STRING)}... (${big.length - MAX_STRING} more bytes)`);
    else args.push(a.length > MAX_STRING ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)` : a);
  }
  log.entries.unshift({ id: log.nextId++, time: Math.floor(Date.now() / 1000), duration: usec, argv: args, peer: c.addr, name: c.name });
  const max = server.config.num('slowlog-max-len');
  if (log.entries.length > max) log.entries.length = max;
}

export function installSlowlog(server: Server): void {
  slowlogOf(server);
  server.addAfterCallHook((c: Client, cmd: Command, argv: string[], usec: number) => {
    const threshold = server.config.slowlogSlowerThan;
    if (threshold < 0 || usec < threshold || c.blocked || cmd.flags.has('skip_slowlog')) return;
    slowlogPush(server, c, redactedArgv(server, cmd, argv), usec);
  });
  // a blocked command is logged when its wait ends (blocking.ts), with the time of both calls
  server.unblockHooks.push((c, cmd, argv, usec) => {
    if (!cmd.flags.has('skip_slowlog')) slowlogPush(server, c, argv, usec);
  });
}
