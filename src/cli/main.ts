/*
 * nodis-server [config-file] [--directive value ...]: redis-server's command
 * line. Directives from the file come first, then the command line ones
 * (which win), as in redis-server. A bad directive stops start-up with Redis's
 * "FATAL CONFIG FILE ERROR" report. SIGINT/SIGTERM shut down cleanly.
 */
import { readFileSync } from 'node:fs';
import { Server, REDIS_VERSION, NODIS_VERSION } from '../server/server.js';
import { parseConfigText, argvToConfigText, applyConfig, ConfigFileError } from '../server/config-file.js';

async function main(args: string[]): Promise<void> {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${REDIS_VERSION} nodis=${NODIS_VERSION} bits=64\n`);
    return;
  }
  let text = '';
  let rest = args;
  let configFile = '';
  if (rest.length > 0 && !rest[0]!.startsWith('--')) {
    configFile = rest[0]!;
    rest = rest.slice(1);
    try {
      text = readFileSync(configFile === '-' ? 0 : configFile, 'latin1');
    } catch (e) {
      process.stderr.write(`Fatal error, can't open config file '${configFile}': ${(e as Error).message}\n`);
      process.exit(1);
    }
  }
  text += '\n' + argvToConfigText(rest);
  const server = new Server();
  try {
    applyConfig(server, parseConfigText(text));
  } catch (e) {
    if (e instanceof ConfigFileError) {
      process.stderr.write(e.report());
      process.exit(1);
    }
    throw e;
  }
  server.configFile = configFile;
  server.log.notice('oO0OoO0OoO0Oo Nodis is starting oO0OoO0OoO0Oo');
  server.log.notice(`Redis version=${REDIS_VERSION}, nodis_version=${NODIS_VERSION}, bits=64, pid=${process.pid}, just started`);
  if (!configFile) server.log.warning('Warning: no config file specified, using the default config. In order to specify a config file use nodis-server /path/to/redis.conf');
  try {
    await server.start();
  } catch (e) {
    server.log.warning(`Failed listening on port ${server.config.num('port')} (tcp), aborting: ${(e as Error).message}`);
    process.exit(1);
  }
  server.log.notice(`Server initialized`);
  server.log.notice(`Ready to accept connections tcp (port ${server.port})`);
  let stopping = false;
  const stop = (sig: string): void => {
    if (stopping) return;
    stopping = true;
    server.log.warning(`Received ${sig} scheduling shutdown...`);
    void server.shutdown({ save: undefined }).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.onExit = (code) => process.exit(code);
}

void main(process.argv.slice(2));
