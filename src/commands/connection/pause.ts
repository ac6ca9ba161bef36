/*
 * CLIENT PAUSE state (redis/src/networking.c pauseClients and friends).
 *
 * The pause lives in Server.pauseUntil (end time in ms, 0 = not paused) and
 * Server.pauseWritesOnly. A new pause merges with the current one: the most
 * restrictive type and the furthest end win. While paused, dispatch holds a
 * command that the pause covers (every command for ALL; for WRITE, writes,
 * may-replicate commands such as PUBLISH, EVAL and PFCOUNT, and an EXEC whose
 * queue has one) by blocking its client with the argv kept aside; the rest of
 * its pipeline waits unparsed. Replicas are never paused. When the pause ends
 * (UNPAUSE, or its timer) the held clients re-run their command after the
 * current one, as Redis does from beforeSleep, and may be held again.
 * Keys do not expire (lazily or actively) while clients are paused.
 */
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import type { Command } from '../registry.js';

interface PauseState { postponed: Set<Client>; timer: NodeJS.Timeout | null }

function state(server: Server): PauseState {
  let s = server.ext.get('client-pause') as PauseState | undefined;
  if (s === undefined) {
    s = { postponed: new Set(), timer: null };
    server.ext.set('client-pause', s);
  }
  return s;
}

/** Pause until `end` (ms); merges with a running pause like pauseClients(). */
export function pauseClients(server: Server, end: number, writesOnly: boolean): void {
  clientsPaused(server); // drop an expired pause first
  if (server.pauseUntil > 0) {
    writesOnly = writesOnly && server.pauseWritesOnly;
    end = Math.max(end, server.pauseUntil);
  }
  if (end < Date.now()) { unpauseClients(server); return; }
  server.pauseUntil = end;
  server.pauseWritesOnly = writesOnly;
  const s = state(server);
  if (s.timer) clearTimeout(s.timer);
  const ms = end - Date.now() + 1;
  // a pause without an end (a shutdown waiting for replicas) sets no timer (setTimeout's limit is 2^31-1 ms)
  if (ms < 0x7fffffff) {
    s.timer = setTimeout(() => { s.timer = null; clientsPaused(server); }, Math.max(0, ms));
    s.timer.unref();
  }
}

/** End the pause and let held clients run again. */
export function unpauseClients(server: Server): void {
  const had = server.pauseUntil > 0;
  server.pauseUntil = 0;
  server.pauseWritesOnly = false;
  const s = state(server);
  if (s.timer) { clearTimeout(s.timer); s.timer = null; }
  if (had || s.postponed.size > 0) releasePostponed(server);
}

/** True while clients are paused (ends an expired pause): checkClientPauseTimeoutAndReturnIfPaused. */
export function clientsPaused(server: Server): boolean {
  if (server.pauseUntil === 0) return false;
  if (server.pauseUntil < Date.now()) { unpauseClients(server); return false; }
  return true;
}

/** Does the current pause hold this command from this client? */
export function pauseHolds(server: Server, c: Client, cmd: Command, mayReplicate: boolean): boolean {
  if (c.isReplica || c.isMaster || !clientsPaused(server)) return false;
  if (!server.pauseWritesOnly) return true;
  return mayReplicate || (cmd.fullname === 'exec' && c.multiMayReplicate);
}

/** Hold a client's command until the pause ends (blockClient BLOCKED_POSTPONE). */
export function postpone(server: Server, c: Client, argv: string[]): void {
  holdCommand(state(server).postponed, c, argv);
}

/** Hold a client's command in `held` (it stops reading meanwhile); rerunHeld runs it later. Shared with MIGRATE's key hold. */
export function holdCommand(held: Set<Client>, c: Client, argv: string[]): void {
  c.blocked = true;
  c.postponedArgv = argv;
  held.add(c);
}

/** Run the commands held in `held` again, in the order they came, after the current command; `held` is emptied. */
export function rerunHeld(held: Set<Client>): void {
  if (held.size === 0) return;
  const clients = [...held];
  held.clear();
  setImmediate(() => {
    for (const c of clients) {
      const argv = c.postponedArgv;
      c.postponedArgv = null;
      c.blocked = false;
      if (c.closed || argv === null) continue;
      c.runCommand(argv);
      if (c.blocked) c.flush();
      else c.processInput();
    }
  });
}

/** Re-run held commands after the current command (unblockPostponedClients). */
function releasePostponed(server: Server): void {
  rerunHeld(state(server).postponed);
}
