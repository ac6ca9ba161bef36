/*
 * The start-up banner, as redis-server's redisAsciiArt (redis/src/server.c):
 * shown when the log goes to a terminal (logfile "" and stdout a tty) or when
 * always-show-logo is yes, else one "Running mode=..., port=..." line.
 *
 * Invariant the tooling relies on: the banner holds a line with " PID: <pid>"
 * (Redis's test suite waits for it before talking to a server it spawned), and
 * it is written once the listening socket is bound and before any data loads,
 * so a server that then fails to load has still announced itself.
 * The art is Nodis's own; the fields are Redis's.
 */
import type { Server } from './server.js';
import { REDIS_VERSION, NODIS_VERSION } from './server.js';

/** The banner text for this server (mode: standalone, cluster or sentinel). */
export function logoText(mode: string, port: number, pid: number): string {
  const rows = [
    '',
    '    _   _           _ _      ',
    '   | \\ | | ___   __| (_)___  ' + `   Nodis ${NODIS_VERSION} (Redis ${REDIS_VERSION} compatible) 64 bit`,
    '   |  \\| |/ _ \\ / _` | / __| ',
    '   | |\\  | (_) | (_| | \\__ \\ ' + `   Running in ${mode} mode`,
    '   |_| \\_|\\___/ \\__,_|_|___/ ' + `   Port: ${port}`,
    '                             ' + `   PID: ${pid}`,
    '',
  ];
  return rows.join('\n') + '\n';
}

/** Write the banner (or the one-line form) to the server's log. */
export function showLogo(server: Server): void {
  const mode = server.sentinelMode ? 'sentinel' : server.config.bool('cluster-enabled') ? 'cluster' : 'standalone';
  const tty = server.config.str('logfile') === '' && !server.config.bool('syslog-enabled') && process.stdout.isTTY === true;
  if (tty || server.config.bool('always-show-logo')) server.log.rawText('notice', logoText(mode, server.announcedPort, process.pid));
  else server.log.notice(`Running mode=${mode}, port=${server.announcedPort}.`);
}
