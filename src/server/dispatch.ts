/*
 * processCommand: checks in Redis's order (redis/src/server.c processCommand),
 * then call(): run the handler with the command's clock, time it, account it
 * and hand the write to propagation.
 *
 * Order of checks: unknown command / subcommand, arity, protected command
 * (DEBUG), NOAUTH, no-multi, NOPERM (ACL), cluster redirect, OOM (denyoom),
 * READONLY (writes on a replica), pub/sub context (RESP2), LOADING, CLIENT
 * PAUSE (hold the command), keys a MIGRATE is sending (hold the command), then queue if in MULTI, else run. CLIENT REPLY
 * OFF/SKIP are applied by the client around dispatch (client.ts). The hooks for checks that other modules own
 * (cluster, MULTI, replicas) are fields on Server so they plug in here; the ACL check costs one flag read for an
 * unrestricted user (acl/acl.ts).
 */
import {
  ERR_CORRUPT_VALUE, ERR_LOADING, ERR_MISCONF_RDB, ERR_NOAUTH, ERR_NOT_ALLOWED_IN_MULTI, ERR_OOM, ERR_READONLY, errArity, errProtectedCommand, errPubsubContext, errUnknownCommand, errUnknownSubcommand,
} from '../protocol/errors.js';
import type { Command } from '../commands/registry.js';
import { pauseHolds, postpone } from '../commands/connection/pause.js';
import type { Client } from './client.js';
import { execDenyOom, execDiscard, execIsWrite, execRejected } from './multi.js';
import type { Server } from './server.js';
import { CorruptValueError } from '../types/corrupt.js';
import { logCorruptionCrash } from './crash.js';
import { PROPAGATE_ALL, PROPAGATE_REPL } from '../keyspace/writes.js';
import { performance } from 'node:perf_hooks';

/** inside MULTI every command but these is refused on OOM (queueing uses memory) */
const MULTI_OOM_EXEMPT = new Set(['exec', 'discard', 'quit', 'reset']);
const PUBSUB_RESP2_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

function reject(server: Server, c: Client, line: string, cmd: Command | undefined, argv?: string[]): void {
  // the rejected command is the client's last (Redis's c->lastcmd: CLIENT LIST cmd=, the replica-error lines)
  if (cmd) { cmd.stats.rejected++; c.cmd = cmd; }
  if (cmd !== undefined && cmd.fullname === 'exec' && argv !== undefined) { execRejected(server, c, line, argv); return; }
  c.error(line);
  server.onRejected(c);
}

export function processCommand(server: Server, c: Client, argv: string[]): void {
  const cmd = server.table.lookup(argv);
  if (cmd === undefined) {
    const top = server.table.commands.get(argv[0]!.toLowerCase());
    if (top !== undefined && top.subcommands !== undefined && argv.length >= 2) {
      reject(server, c, errUnknownSubcommand(argv[1]!, argv[0]!), undefined);
    } else {
      reject(server, c, errUnknownCommand(argv[0]!, argv.slice(1)), undefined);
    }
    return;
  }
  const arity = cmd.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
    reject(server, c, errArity(cmd.fullname), cmd, argv);
    return;
  }
  if (cmd.isProtected && !server.protectedAllowed(c, cmd)) {
    const debug = cmd.name === 'debug';
    reject(server, c, errProtectedCommand(debug ? 'DEBUG' : 'MODULE', debug ? 'enable-debug-command' : 'enable-module-command'), cmd, argv);
    return;
  }
  if (!cmd.noAuth && c.authRequired) {
    reject(server, c, ERR_NOAUTH, cmd, argv);
    return;
  }
  if (c.inMulti && cmd.noMulti) {
    reject(server, c, ERR_NOT_ALLOWED_IN_MULTI, cmd, argv);
    return;
  }
  // ACL: users whose root selector allows everything (default's +@all ~* &*) skip the check
  if (!c.user.unrestricted) {
    const denied = server.acl.denyLine(c, cmd, argv);
    if (denied !== null) { reject(server, c, denied, cmd, argv); return; }
  }
  const redirect = server.clusterCheck?.(c, cmd, argv);
  if (redirect) {
    // a redirected EXEC discards the transaction and answers the redirect itself (not EXECABORT)
    if (cmd.name === 'exec') { execDiscard(server, c); cmd.stats.rejected++; c.cmd = cmd; c.error(redirect); server.onRejected(c); return; }
    reject(server, c, redirect, cmd, argv);
    return;
  }
  let isWrite = cmd.isWrite;
  let denyOom = cmd.denyOom;
  let allowStale = cmd.allowStale;
  let mayReplicate = cmd.mayReplicate;
  if (cmd.scriptFlags && server.scriptCommandFlags !== null) {
    const f = server.scriptCommandFlags(cmd, argv);
    if (f !== null) { isWrite = f.write; denyOom = f.denyOom; allowStale = f.stale; mayReplicate = f.mayReplicate; }
  }
  // no eviction while a script runs past its threshold: its effects and eviction's DELs must not mix (processCommand)
  if (server.config.maxmemory > 0 && !server.scriptBusy) {
    const oom = server.performEvictions();
    if (oom && (denyOom || (c.inMulti && !MULTI_OOM_EXEMPT.has(cmd.fullname)) || (cmd.fullname === 'exec' && execDenyOom(server, c)))) { reject(server, c, ERR_OOM, cmd, argv); return; }
  }
  const p = server.persistence;
  if ((p.rdbDiskError || p.aofDiskError !== null) && (isWrite || cmd.fullname === 'ping' || (cmd.fullname === 'exec' && execIsWrite(server, c)))) {
    const err = diskError(server);
    if (err !== null && !c.isMaster) { reject(server, c, err, cmd, argv); return; }
  }
  if (server.minReplicasCheck !== null && (isWrite || (cmd.fullname === 'exec' && execIsWrite(server, c)))) {
    const err = server.minReplicasCheck(c, cmd);
    if (err !== null) { reject(server, c, err, cmd, argv); return; }
  }
  if ((isWrite || (cmd.fullname === 'exec' && execIsWrite(server, c))) && server.isReadonlyReplica && !c.isMaster) {
    reject(server, c, ERR_READONLY, cmd, argv);
    return;
  }
  if (c.resp === 2 && c.kind === 'pubsub' && !PUBSUB_RESP2_ALLOWED.has(cmd.fullname)) {
    reject(server, c, errPubsubContext(cmd.fullname), cmd, argv);
    return;
  }
  // a replica link must not touch the keyspace (it could, e.g., get round a CLIENT PAUSE replicas are exempt from)
  if (c.isReplica && !c.monitor && (isWrite || cmd.isReadonly || mayReplicate)) {
    reject(server, c, 'ERR Replica can\'t interact with the keyspace', cmd, argv);
    return;
  }
  if (server.staleCheck !== null) {
    const err = server.staleCheck(c, cmd, allowStale);
    if (err !== null) { reject(server, c, err, cmd, argv); return; }
  }
  if (p.asyncLoading && cmd.flags.has('no_async_loading')) {
    // a replica loading its master's payload while serving the old data (repl-diskless-load swapdb)
    reject(server, c, ERR_LOADING, cmd, argv);
    return;
  }
  if (p.loading && !cmd.allowLoading) {
    reject(server, c, ERR_LOADING, cmd, argv);
    return;
  }
  // a script (or function) past busy-reply-threshold: only allow-busy commands (after LOADING, as processCommand)
  const busy = server.busyCheck?.(c, cmd);
  if (busy) { reject(server, c, busy, cmd, argv); return; }
  if (server.pauseUntil > 0 && pauseHolds(server, c, cmd, isWrite || mayReplicate)) {
    postpone(server, c, argv);
    return;
  }
  // a key that a MIGRATE is sending: the command waits for the transfer's end, as if MIGRATE blocked the server
  if (server.keysHeld > 0 && !c.isMaster && !(c.inMulti && !server.isMultiControl(cmd)) && server.holdForKeys!(c, cmd, argv)) return;
  if (c.inMulti && !server.isMultiControl(cmd)) {
    server.queueMulti(c, cmd, argv, { write: isWrite, denyOom, stale: allowStale, mayReplicate });
    return;
  }
  if (server.masterhost !== null && isWrite && !c.isMaster) {
    // a write on a writable replica deletes the expired keys it meets (EXPIRE_FORCE_DELETE_EXPIRED)
    server.forceLocalExpiry = true;
    try { call(server, c, cmd, argv); } finally { server.forceLocalExpiry = false; }
    return;
  }
  call(server, c, cmd, argv);
}

/** writeCommandsDeniedByDiskError: the MISCONF line, or null when writes are allowed. */
export function diskError(server: Server): string | null {
  const p = server.persistence;
  if (p.rdbDiskError && server.config.bool('stop-writes-on-bgsave-error') && server.config.str('save') !== '') return ERR_MISCONF_RDB;
  return p.aofDiskError;
}

/**
 * A command read a corrupt stand-in (types/corrupt.ts), where Redis would
 * crash: the first time for that value, one line saying so goes to the log
 * (logCorruptionCrash); the command's partial reply is dropped and it fails.
 */
function corruptValueRead(server: Server, c: Client, cmd: Command, e: CorruptValueError, outBefore: number): void {
  const info = e.info;
  if (!info.reported) {
    info.reported = true;
    const note = `Corrupt ${info.type} value (${info.reason}) read by '${cmd.fullname}': it was loaded without deep sanitization; ` +
      'Nodis fails the command instead of crashing, the key stays unusable until deleted or overwritten';
    if (info.where === null) server.log.warning(note);
    else logCorruptionCrash(server, info.crash, info.where, [], note);
  }
  c.truncateOutput(outBefore);
  c.error(ERR_CORRUPT_VALUE);
}

/** Run one command: fixed clock, timing, stats, slowlog, propagation. */
export function call(server: Server, c: Client, cmd: Command, argv: string[]): void {
  const rec = server.recorder;
  const depth = server.nestedCalls;
  const chained = depth === server.chainDepth;
  const t0 = chained && server.callClock !== 0 ? server.callClock : performance.now();
  if (depth === 0) server.setClock(server.wallTime(t0));
  server.nestedCalls++;
  const prevClient = server.currentClient;
  // as Redis's server.current_client: the top-level client (a script's commands run for its caller)
  if (prevClient === null || server.nestedCalls === 1) server.currentClient = c;
  const dirtyBefore = rec.dirty;
  server.stats.errorsSinceLastLook();
  c.cmd = cmd;
  c.argv = argv;
  const outBefore = c.outLen;
  try {
    cmd.handler(c, argv);
  } catch (e) {
    if (e instanceof CorruptValueError) {
      corruptValueRead(server, c, cmd, e, outBefore);
    } else {
      server.log.warning(`Unexpected error in ${cmd.fullname}: ${(e as Error).stack ?? String(e)}`);
      c.error(`ERR internal error in '${cmd.fullname}': ${(e as Error).message}`.replace(/[\r\n]/g, ' '));
    }
  }
  const t1 = performance.now();
  const usec = Math.round((t1 - t0) * 1000);
  c.duration = usec;
  server.nestedCalls--;
  if (chained) server.callClock = t1;
  const st = cmd.stats;
  st.calls++;
  st.usec += usec;
  if (server.stats.errorsSinceLastLook()) st.failed++;
  server.stats.totalCommands++;
  server.afterCall(c, cmd, argv, usec);
  // propagation (call() in server.c): a command that changed the dataset goes to AOF and replicas,
  // one that forced replication (PUBLISH) to replicas only; a script's redis.set_repl() narrows it
  const dirtied = rec.dirty !== dirtyBefore;
  if ((dirtied || c.forceReplication) && !c.preventPropagation && (cmd.isWrite || cmd.mayReplicate)) {
    const target = (dirtied ? PROPAGATE_ALL : PROPAGATE_REPL) & c.propagateTarget;
    if (target !== 0) rec.propagate(c.db.id, c.propagateArgv ?? argv, target);
  }
  c.propagateArgv = null;
  c.preventPropagation = false;
  c.forceReplication = false;
  c.lastCmd = cmd;
  server.currentClient = prevClient;
  if (server.nestedCalls === 0) {
    // propagatePendingCommands: several commands go out as one MULTI/EXEC, except for commands
    // touching arbitrary keys (SCAN, RANDOMKEY: only lazy-expiry DELs, as Redis's active expiry)
    if (rec.hasPending) rec.flush(!cmd.touchesArbitraryKeys);
    server.blocking.handleReadyKeys();
  }
}
