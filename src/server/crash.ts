/*
 * Crash reports, as redis/src/debug.c (bugReportStart, sigsegvHandler,
 * printCrashReport, bugReportEnd): when the process is about to die of a
 * signal (SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL raised by kill or DEBUG
 * SEGFAULT) or of an uncaught JavaScript error, the log gets Redis's
 * "=== REDIS BUG REPORT START" banner, the "crashed by signal" line (or the
 * "Guru Meditation" line of a panic), INFO, CLIENT LIST and the current
 * client, then the END banner; the process then dies the way it was going to
 * (by the same signal, so a core dump or the parent's wait status is as Redis's).
 *
 * Invariants: a report is written at most once per process (a crash inside
 * the report does not loop), and each part of it is best effort: a part that
 * throws is skipped, never the death.
 */
import type { Server } from './server.js';
import { REDIS_VERSION } from './server.js';
import { infoString } from './info.js';
import { clientInfoLine } from '../commands/connection/client-info.js';

const SIGNALS = { SIGILL: 4, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGSEGV: 11 } as const;
let reported = false;

function part(f: () => void): void { try { f(); } catch { /* best effort */ } }

/** Write the report's body: the caller's header lines, INFO, CLIENT LIST, the current client. */
export function bugReport(server: Server, header: string[]): void {
  if (reported) return;
  reported = true;
  const log = server.log;
  if (!server.config.bool('crash-log-enabled')) return;
  log.rawText('warning', '\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n');
  for (const line of header) log.warning(line);
  part(() => log.rawText('warning', '\n------ INFO OUTPUT ------\n' + infoString(server, ['all']).replace(/\r\n/g, '\n')));
  part(() => {
    const now = Date.now();
    let list = '';
    for (const c of server.clients.values()) list += clientInfoLine(c, now) + '\n';
    log.rawText('warning', '\n------ CLIENT LIST OUTPUT ------\n' + list);
  });
  part(() => {
    const c = server.currentClient;
    if (c === null) return;
    let text = `\n------ CURRENT CLIENT INFO ------\n${clientInfoLine(c, Date.now())}\n`;
    c.argv.forEach((a, i) => { text += `argv[${i}]: '${a.length > 128 ? a.slice(0, 128) + '...' : a}'\n`; });
    log.rawText('warning', text);
  });
  log.rawText('warning', '\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n' +
    '       Please report the crash by opening an issue on the Nodis project.\n\n');
}

/** Report a crash by signal and die of that signal. */
export function crashBySignal(server: Server, sig: keyof typeof SIGNALS, killedByUser: boolean): never {
  bugReport(server, [
    `Redis ${REDIS_VERSION} crashed by signal: ${SIGNALS[sig]}, si_code: 0`,
    ...(killedByUser ? [] : ['Crashed running the instruction at: DEBUG SEGFAULT']),
  ]);
  process.removeAllListeners(sig);
  process.kill(process.pid, sig);
  // the default action of these signals ends the process; should it not (ignored by a parent), exit anyway
  process.exit(128 + SIGNALS[sig]);
}

/** A JavaScript error nothing caught: Redis's serverPanic report, then abort. */
export function crashByError(server: Server, e: unknown): never {
  const err = e instanceof Error ? e : new Error(String(e));
  bugReport(server, ['Guru Meditation: ' + err.message + ' #uncaught exception', ...(err.stack ?? '').split('\n').slice(1).map((l) => l.trim())]);
  process.removeAllListeners('SIGABRT');
  process.abort();
}

/** A line logged before a crash report: a log line, or raw text (serverLogHexDump's hex). */
export type CrashLogPart = string | { raw: string };

/**
 * Where Redis dies of a corrupt value (serverAssert or serverPanic) and Nodis,
 * meeting the same value, refuses it and goes on instead (RESTORE, loading,
 * commands reading a corrupt stand-in): the log gives what came before
 * (hex dumps ...), then one line saying what Redis would have done and what
 * Nodis did. Deliberately not Redis's crash banner ("=== ASSERTION FAILED
 * ===", "Guru Meditation"): nothing crashed, and a log watcher must not think
 * it did. (Redis's own tests that grep for the banner fail here: 11 of
 * integration/corrupt-dump.)
 */
export function logCorruptionCrash(server: Server, kind: 'assert' | 'panic', where: string, before: readonly CrashLogPart[], note: string): void {
  const log = server.log;
  for (const p of before) {
    if (typeof p === 'string') log.warning(p);
    else log.rawText('warning', p.raw);
  }
  log.warning(`Corrupt value: redis-server would stop here (${kind === 'assert' ? `assertion ${where}` : `panic: ${where}`}). ${note}`);
}

/** Install the handlers (the CLI does; an embedded server leaves the host process's signals alone). */
export function installCrashHandlers(server: Server): void {
  // Only SIGABRT: a handler for SIGSEGV/SIGBUS/SIGFPE/SIGILL would take them from V8, whose WebAssembly trap
  // handler (the Lua VM) relies on SIGSEGV, and a real fault cannot run JavaScript anyway.
  process.on('SIGABRT', () => crashBySignal(server, 'SIGABRT', true));
  process.on('uncaughtException', (e) => crashByError(server, e));
  server.ext.set('crash', (sig: 'SIGSEGV' | 'SIGABRT') => crashBySignal(server, sig, false));
}
