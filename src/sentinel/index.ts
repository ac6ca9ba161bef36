/*
 * Redis Sentinel for Nodis (redis/src/sentinel.c, Redis 7.0.15): a server in
 * sentinel mode monitors masters, their replicas and the other sentinels
 * watching them, agrees with those sentinels (Nodis or redis-sentinel alike:
 * same hello messages, same SENTINEL IS-MASTER-DOWN-BY-ADDR votes) that a
 * master is down, and fails it over.
 *
 * Files:
 *   instance.ts  an instance, its address and its links' state (sentinelRedisInstance)
 *   link.ts      outbound connections: RESP reply reader, command/pubsub connections
 *   sentinel.ts  the state machine and the timer (sentinelTimer and everything it calls)
 *   commands.ts  SENTINEL, INFO, ROLE, PUBLISH as a sentinel answers them
 *   index.ts     sentinel mode: the switch a server goes through (this file)
 *   embedded.ts  startSentinel() for tests and applications
 *   test-util.ts the unit tests' event recorder
 *
 * Imports point one way: the sentinel uses the server's hooks
 * (Server.sentinelMode, configDirectives, rewriteHooks, startHooks, the
 * command table, pub/sub publish, CONFIG REWRITE); nothing under src/server
 * or src/commands imports from here.
 *
 * Sentinel mode, as initSentinelConfig / initSentinel / populateCommandTable
 * do it: port 26379 and protected-mode no unless configured; only commands
 * flagged 'sentinel' remain (every other one is an unknown command), with
 * INFO, ROLE and PUBLISH answered the sentinel's way and SENTINEL added; no
 * data is loaded or saved; `sentinel ...` config lines are queued while the
 * file is read and applied once it is complete (loadQueuedConfig).
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import type { Server } from '../server/server.js';
import type { Command } from '../commands/registry.js';
import { setInfoFields } from '../server/info.js';
import { strerror } from '../server/config-file.js';
import { Sentinel, SENTINEL_PORT } from './sentinel.js';
import { SENTINEL, sentinelInfo, sentinelPublish, sentinelRole } from './commands.js';

export { Sentinel } from './sentinel.js';
export { startSentinel, type SentinelOptions, type RunningSentinel } from './embedded.js';

/** The sentinel of a server in sentinel mode, or undefined. */
export function sentinelOfServer(server: Server): Sentinel | undefined {
  return server.ext.get('sentinel') as Sentinel | undefined;
}

/**
 * Put a freshly constructed server (not started, config not yet loaded) into
 * sentinel mode and return its Sentinel. Config lines are applied afterwards
 * as usual; call sentinel.loadQueuedConfig() once they are all in.
 */
export function enableSentinelMode(server: Server): Sentinel {
  const existing = sentinelOfServer(server);
  if (existing !== undefined) return existing;
  const s = new Sentinel(server);
  server.ext.set('sentinel', s);
  server.sentinelMode = true;
  server.log.role = 'X';
  // initSentinelConfig: the sentinel port, exposed (a config file may still say otherwise)
  server.config.set('port', String(SENTINEL_PORT), true);
  server.config.set('protected-mode', 'no', true);
  server.configDirectives.set('sentinel', (args, lineNo, line) => { s.queueConfig(args, lineNo, line); return null; });
  server.rewriteHooks.push((rw) => s.rewriteConfig(rw));
  reduceCommandTable(server);
  setInfoFields(server, 'server', () => ({ redis_mode: 'sentinel' }));
  // no data: nothing is loaded at start (loadDataFromDisk is skipped) nor saved at shutdown (SHUTDOWN_NOSAVE)
  server.startHooks.length = 0;
  server.prepareShutdownHooks.length = 0;
  server.startHooks.push(() => { s.isRunning(); s.start(); });
  server.shutdownHooks.push(() => s.stop());
  return s;
}

/** populateCommandStructure in sentinel mode: only 'sentinel' commands and subcommands; the sentinel's own handlers. */
function reduceCommandTable(server: Server): void {
  const table = server.table;
  for (const [name, cmd] of [...table.commands]) {
    if (!cmd.flags.has('sentinel')) { table.commands.delete(name); continue; }
    if (cmd.subcommands !== undefined) {
      for (const [sub, sc] of [...cmd.subcommands]) if (!sc.flags.has('sentinel')) cmd.subcommands.delete(sub);
      // CLIENT SETINFO is a Redis 7.2 command Nodis answers as a server; Redis 7.0's sentinel table has no such entry
      if (name === 'client') cmd.subcommands.delete('setinfo');
    }
  }
  table.register([SENTINEL]);
  const set = (name: string, handler: Command['handler']): void => {
    const cmd = table.commands.get(name);
    if (cmd !== undefined) cmd.handler = handler;
  };
  set('info', (c, argv) => sentinelInfo(c, argv.slice(1)));
  set('role', (c) => sentinelRole(c));
  set('publish', (c, argv) => sentinelPublish(c, argv));
}

/**
 * sentinelCheckConfigFile: the line Redis logs before exiting 1, or null when
 * the config file exists and is writable.
 */
export function checkSentinelConfigFile(path: string): string | null {
  if (path === '') return 'Sentinel needs config file on disk to save state. Exiting...';
  try { accessSync(path, fsConstants.W_OK); } catch (e) { return `Sentinel config file ${path} is not writable: ${strerror(e)}. Exiting...`; }
  return null;
}
