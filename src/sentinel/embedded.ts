/*
 * startSentinel(): a sentinel in this process, for tests and applications
 * that want a watched setup without spawning redis-sentinel.
 *
 *   const s = await startSentinel({ monitor: [{ name: 'mymaster', host: '127.0.0.1', port: 6379, quorum: 2 }] });
 *   s.port; await s.close();
 *
 * Like redis-sentinel it keeps its state in a config file, rewritten as the
 * state changes: `configFile` names it (created when missing; its lines are
 * read first when it exists), else a file in a fresh temporary directory,
 * removed by close(). `config` is extra sentinel.conf text applied after the
 * file, `monitor` adds `sentinel monitor` lines, other options are redis.conf
 * directives by name. Defaults: bind 127.0.0.1, any free port (port 0).
 * Several sentinels may run in one process (tests rely on it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Server } from '../server/server.js';
import { loadConfigText, ConfigFileError } from '../server/config-file.js';
import { checkSentinelConfigFile, enableSentinelMode } from './index.js';
import type { Sentinel } from './sentinel.js';

export interface SentinelOptions {
  /** the sentinel.conf to use and rewrite (created if missing) */
  configFile?: string;
  /** extra sentinel.conf text, applied after the file */
  config?: string;
  /** masters to monitor (sentinel monitor <name> <host> <port> <quorum>) */
  monitor?: { name: string; host: string; port: number; quorum: number }[];
  /** other redis.conf directives (port, bind, requirepass, loglevel ...) */
  [directive: string]: unknown;
}

export interface RunningSentinel {
  readonly port: number;
  readonly server: Server;
  readonly sentinel: Sentinel;
  readonly configFile: string;
  close(): Promise<void>;
}

export async function startSentinel(options: SentinelOptions = {}): Promise<RunningSentinel> {
  const { configFile, config, monitor, ...directives } = options;
  let tmp: string | null = null;
  let path: string;
  if (configFile !== undefined) {
    path = resolve(configFile);
  } else {
    tmp = mkdtempSync(join(tmpdir(), 'nodis-sentinel-'));
    path = join(tmp, 'sentinel.conf');
  }
  if (!existsSync(path)) writeFileSync(path, '', 'latin1');
  const server = new Server({ bind: '127.0.0.1', port: 0 });
  server.anyPort = true;
  const sentinel = enableSentinelMode(server);
  server.config.set('port', '0', true);
  server.configFile = path;
  const quote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  let text = readFileSync(path, 'latin1') + '\n';
  for (const [k, v] of Object.entries(directives)) {
    const vals = Array.isArray(v) ? v.map(String) : [typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)];
    text += `${k} ${vals.map(quote).join(' ')}\n`;
  }
  for (const m of monitor ?? []) text += `sentinel monitor ${m.name} ${m.host} ${m.port} ${m.quorum}\n`;
  text += config ?? '';
  const fail = (msg: string): never => {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
    throw new Error(msg);
  };
  try {
    loadConfigText(server, text);
  } catch (e) {
    fail(e instanceof ConfigFileError ? e.report().trim() : (e as Error).message);
  }
  const bad = sentinel.loadQueuedConfig();
  if (bad !== null) fail(new ConfigFileError(0, '', bad.error).report().trim() + ` (line '${bad.line}')`);
  const unwritable = checkSentinelConfigFile(path);
  if (unwritable !== null) fail(unwritable);
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= server.close().then(() => { if (tmp !== null) rmSync(tmp, { recursive: true, force: true }); });
    return closed;
  };
  // SENTINEL SIMULATE-FAILURE crashes end this sentinel, not the process
  sentinel.crash = () => { void close(); throw new Error('Sentinel CRASH because of SENTINEL simulate-failure'); };
  await server.start();
  // the config file now holds this sentinel's state (its myid at least)
  sentinel.flushConfig();
  return { port: server.port, server, sentinel, configFile: path, close };
}
