/*
 * nodis-server [config-file] [--directive value ...]: redis-server's command
 * line. Directives from the file come first, then the command line ones
 * (which win), as in redis-server. A bad directive stops start-up with Redis's
 * "FATAL CONFIG FILE ERROR" report. SIGINT/SIGTERM shut down cleanly.
 */
import { readFileSync } from 'node:fs';
import { Server, REDIS_VERSION, NODIS_VERSION } from '../server/server.js';
import { resolve } from 'node:path';
import { removeTempFile } from '../persistence/snapshot.js';
import { installCrashHandlers } from '../server/crash.js';
import { showLogo } from '../server/logo.js';
import { parseStartupArgs, readConfigFile, loadConfigText, finishConfig, ConfigFileError, ConfigOpenError } from '../server/config-file.js';
import { checkSentinelConfigFile, enableSentinelMode } from '../sentinel/index.js';

/** checkForSentinelMode: --sentinel among the arguments, or a program name containing redis-sentinel / nodis-sentinel */
function sentinelModeWanted(args: readonly string[]): boolean {
  const exe = process.argv[1] ?? '';
  return args.includes('--sentinel') || /(redis|nodis)-sentinel/.test(exe);
}

async function main(args: string[]): Promise<void> {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${REDIS_VERSION} nodis=${NODIS_VERSION} bits=64\n`);
    return;
  }
  const { configFile, fromStdin, options } = parseStartupArgs(args);
  const server = new Server();
  // sentinel mode is entered before the config is read: its `sentinel` lines fill the sentinel's tables
  const sentinel = sentinelModeWanted(args) ? enableSentinelMode(server) : null;
  // the config file's absolute path, before we move into `dir` (CONFIG REWRITE, INFO config_file)
  server.configFile = configFile ? resolve(configFile) : '';
  try {
    let text = configFile ? readConfigFile(configFile) : '';
    if (fromStdin) text += readFileSync(0, 'latin1');
    loadConfigText(server, text + '\n' + options);
    finishConfig(server);
    // redis-server works in `dir` (chdir when the directive is applied): relative paths (logfile, nodes.conf,
    // pidfile ...) are inside it. An embedded server leaves the process's directory alone.
    process.chdir(server.config.str('dir'));
    server.configHooks.push((name) => { if (name === 'dir') process.chdir(server.config.str('dir')); });
    if (sentinel !== null) {
      // loadSentinelConfigFromQueue, in `dir` as in Redis (relative script paths), once every line is in:
      // a bad sentinel line is a FATAL CONFIG FILE ERROR like any other
      const bad = sentinel.loadQueuedConfig();
      if (bad !== null) throw new ConfigFileError(bad.lineNo, bad.line, bad.error);
      const unwritable = checkSentinelConfigFile(server.configFile);
      if (unwritable !== null) { server.log.warning(unwritable); process.exit(1); }
    }
  } catch (e) {
    if (e instanceof ConfigFileError) {
      process.stderr.write(e.report());
      process.exit(1);
    }
    if (e instanceof ConfigOpenError) {
      server.log.warning(e.message);
      process.exit(1);
    }
    throw e;
  }
  server.log.notice('oO0OoO0OoO0Oo Nodis is starting oO0OoO0OoO0Oo');
  if (sentinel !== null) sentinel.crash = (code) => process.exit(code);
  server.log.notice(`Redis version=${REDIS_VERSION}, nodis_version=${NODIS_VERSION}, bits=64, pid=${process.pid}, just started`);
  if (!configFile) server.log.warning('Warning: no config file specified, using the default config. In order to specify a config file use nodis-server /path/to/redis.conf');
  else server.log.warning('Configuration loaded');
  server.onExit = (code) => process.exit(code);
  installCrashHandlers(server);
  // bound, then the logo (with the " PID: " line tools wait for), then the data loads: Redis's order
  let listening = false;
  server.onListening = () => {
    listening = true;
    showLogo(server);
    server.log.warning('Server initialized');
  };
  try {
    await server.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { startupLog?: string };
    if (err.startupLog !== undefined) {
      server.log.warning(err.startupLog); // TLS configuration, the TLS port, no listener at all: Redis's lines
    } else if (!listening) {
      server.log.warning(`Failed listening on port ${server.config.num('port')} (tcp), aborting: ${err.message}`);
    } else if (!(e as { logged?: boolean }).logged) {
      // data loading (RDB / AOF) and other start-up failures: their own message, not a listen error;
      // a load error that already wrote Redis's lines (then Redis exits 1 without more) is not logged again
      server.log.warning(`Fatal error during start-up, exiting now: ${err.message}`);
    }
    process.exit(1);
  }
  server.log.notice('Ready to accept connections');
  // as Redis's sigShutdownHandler + serverCron: shutdown-on-sigint / shutdown-on-sigterm choose SAVE, NOSAVE,
  // NOW, FORCE; during a load nothing is saved; a second SIGINT while shutting down exits at once
  let signalled = false;
  server.shutdown.onCancel = () => { signalled = false; };
  const stop = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (signalled || server.shutdown.initiated || server.shuttingDown) {
      if (sig !== 'SIGINT') return;
      server.log.warning('You insist... exiting now.');
      try { removeTempFile(server); } catch { /* best effort on the way out */ }
      process.exit(1);
    }
    signalled = true;
    const loading = server.persistence.loading;
    server.log.warning(loading ? 'Received shutdown signal during loading, scheduling shutdown.' : `Received ${sig} scheduling shutdown...`);
    const flags = server.config.str(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm').split(' ');
    const save = loading || flags.includes('nosave') ? false : flags.includes('save') ? true : undefined;
    if (server.shutdown.prepare({ save, force: flags.includes('force'), now: flags.includes('now') }) === 'failed') signalled = false;
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.onExit = (code) => process.exit(code);
}

void main(process.argv.slice(2));
