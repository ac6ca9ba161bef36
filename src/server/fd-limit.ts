/*
 * The file-descriptor budget behind maxclients, and the listen queue (Redis's
 * adjustOpenFilesLimit and checkTcpBacklogSettings in server.c, updateMaxclients
 * in config.c).
 *
 * Redis needs maxclients + 32 descriptors (CONFIG_MIN_RESERVED_FDS). When its
 * RLIMIT_NOFILE is lower it calls setrlimit to raise it; what it cannot get, it
 * takes off maxclients and logs three warning lines. Node has no setrlimit, but
 * Node itself, at start-up, already raised the soft limit as far as the hard
 * limit allows, so the limit read from /proc/self/limits is the most an
 * unprivileged process can get: a request above it is answered as Redis answers
 * when its setrlimit fails with EPERM ("Operation not permitted"), which is
 * what an unprivileged redis-server gets. (A redis-server holding
 * CAP_SYS_RESOURCE can raise the hard limit up to fs.nr_open; Nodis cannot.)
 * Where /proc/self/limits cannot be read (not Linux) nothing is adjusted.
 *
 * A start-up wrapper doing `ulimit -n` is no way around this: bin/nodis-server
 * is run as `node bin/nodis-server` (tests, the Redis suite runner, benches),
 * so it must stay a JavaScript file, and Node cannot exec itself in place.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from './log.js';

/** Descriptors kept aside for the server's own files and sockets (CONFIG_MIN_RESERVED_FDS). */
export const MIN_RESERVED_FDS = 32;

/** The soft RLIMIT_NOFILE of this process: Infinity when unlimited, null when unknown. */
export function openFilesLimit(): number | null {
  let text: string;
  try { text = readFileSync('/proc/self/limits', 'latin1'); } catch { return null; }
  const m = /^Max open files\s+(\S+)/m.exec(text);
  if (!m) return null;
  if (m[1] === 'unlimited') return Infinity;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/**
 * The largest maxclients the descriptor limit allows, given the one asked for:
 * `maxclients` itself when it fits, else limit - 32 with Redis's three warning
 * lines logged (adjustOpenFilesLimit). A limit of 32 or less leaves nothing for
 * clients: 0 is returned after Redis's "not enough for the server to start" line.
 */
export function adjustOpenFilesLimit(log: Logger, maxclients: number, limit = openFilesLimit()): number {
  const maxfiles = maxclients + MIN_RESERVED_FDS;
  if (limit === null || limit >= maxfiles) return maxclients;
  if (limit <= MIN_RESERVED_FDS) {
    log.warning(`Your current 'ulimit -n' of ${limit} is not enough for the server to start. Please increase your open file limit to at least ${maxfiles}. Exiting.`);
    return 0;
  }
  const reduced = limit - MIN_RESERVED_FDS;
  log.warning(`You requested maxclients of ${maxclients} requiring at least ${maxfiles} max file descriptors.`);
  log.warning(`Server can't set maximum open files to ${maxfiles} because of OS error: Operation not permitted.`);
  log.warning(`Current maximum open files is ${limit}. maxclients has been reduced to ${reduced} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`);
  return reduced;
}

/** net.core.somaxconn, the kernel's cap on any listen backlog, or null when unknown. */
export function somaxconn(): number | null {
  try {
    const n = parseInt(readFileSync('/proc/sys/net/core/somaxconn', 'latin1'), 10);
    return n > 0 ? n : null;
  } catch { return null; }
}

/** Redis's checkTcpBacklogSettings: warn when the kernel caps tcp-backlog. */
export function checkTcpBacklog(log: Logger, tcpBacklog: number, max = somaxconn()): void {
  if (max !== null && max < tcpBacklog) {
    log.warning(`WARNING: The TCP backlog setting of ${tcpBacklog} cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of ${max}.`);
  }
}
