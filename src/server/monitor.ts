/*
 * MONITOR feed (redis/src/replication.c replicationFeedMonitors): after each
 * command, every monitor client gets
 *   +<sec>.<usec> [<db> <ip:port>] "arg" "arg" ...
 * with arguments quoted like sdscatrepr. Admin commands and those flagged
 * skip_monitor are not shown; sensitive arguments appear as "(redacted)".
 * EVAL* and FCALL* are skip_monitor: their handlers feed the command first, so
 * the script's own calls (peer "lua") follow it.
 * Monitors are ordinary clients fed through Client.pushed().
 */
import type { Server } from './server.js';
import type { Client } from './client.js';
import type { Command } from '../commands/registry.js';
import { repr } from './config-params.js';
import { bigArg } from '../protocol/big-args.js';
import { redactedArgv } from './redact.js';
import { performance } from 'node:perf_hooks';

export function monitorsOf(server: Server): Set<Client> {
  let m = server.ext.get('monitors') as Set<Client> | undefined;
  if (!m) { m = new Set(); server.ext.set('monitors', m); }
  return m;
}

/** Make c a monitor (MONITOR command). */
export function addMonitor(server: Server, c: Client): void {
  c.monitor = true;
  monitorsOf(server).add(c);
  (server.ext.get('monitor-hook') as ((on: boolean) => void) | undefined)?.(true);
}

/** The line a monitor receives for one command (without sending it). */
export function monitorLine(c: Client, dbid: number, argv: readonly string[], nowUs: number): string {
  const sec = Math.floor(nowUs / 1e6);
  const usec = String(Math.floor(nowUs % 1e6)).padStart(6, '0');
  // the peer: "lua" for a script's calls, "unix:<path>" on the unix socket, else ip:port
  const peer = c.isScript ? 'lua' : c.isUnix ? `unix:${c.server.config.str('unixsocket')}` : c.addr;
  let line = `+${sec}.${usec} [${dbid} ${peer}] `;
  for (let j = 0; j < argv.length; j++) {
    const big = bigArg(argv[j]!);
    // a big argument (past V8's string limit) cannot be quoted whole: its first bytes and its length
    line += big === undefined ? repr(argv[j]!) : `${repr(big.toString('latin1', 0, 128))}... (${big.length - 128} more bytes)`;
    if (j !== argv.length - 1) line += ' ';
  }
  return line + '\r\n';
}

/** Send a command to every monitor (replicationFeedMonitors); nothing while loading. */
export function feedMonitors(server: Server, c: Client, dbid: number, argv: readonly string[]): void {
  const monitors = monitorsOf(server);
  if (monitors.size === 0 || server.persistence.loading) return;
  const nowUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const line = monitorLine(c, dbid, argv, nowUs);
  for (const m of monitors) {
    if (m.closed) continue;
    m.raw(line);
    m.pushed();
  }
}

export function installMonitor(server: Server): void {
  const monitors = monitorsOf(server);
  // armed while there are monitors
  const arm = server.addAfterCallHook((c: Client, cmd: Command, argv: string[]) => {
    if (monitors.size === 0) { arm(false); return; }
    // a blocked command was shown when it blocked; its re-run when served is not shown again
    if (cmd.flags.has('skip_monitor') || cmd.flags.has('admin') || server.blocking.isReprocessing(c)) return;
    feedMonitors(server, c, c.db.id, redactedArgv(server, cmd, argv));
  }, monitors.size > 0);
  server.ext.set('monitor-hook', arm);
  server.clientClosedHooks.push((c) => { if (monitors.delete(c) && monitors.size === 0) arm(false); });
}
