/*
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: the coordinated switch
 * of roles between a master and one of its replicas (redis/src/replication.c
 * failoverCommand, updateFailoverStatus, abortFailover).
 *
 * States (INFO master_failover_state): no-failover -> waiting-for-sync (writes
 * paused, waiting for the target's REPLCONF ACK to reach our offset; with no
 * target, the first replica whose ack does) -> failover-in-progress (we turn
 * replica of the target and send it PSYNC <replid> <offset> FAILOVER, which
 * makes it a master first) -> no-failover once the target answered
 * +CONTINUE or +FULLRESYNC. TIMEOUT past with FORCE fails over anyway; without
 * it, the failover is aborted. An abort while in progress turns us back into
 * a master.
 */
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { pauseClients, unpauseClients } from '../commands/connection/pause.js';
import { replicationOf, setMaster, unsetMaster, type ReplicaLink } from './index.js';

export type FailoverStateName = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export interface FailoverState {
  state: FailoverStateName;
  host: string | null;
  port: number;
  /** ms (0: no timeout) */
  endTime: number;
  force: boolean;
}

export function noFailover(): FailoverState {
  return { state: 'no-failover', host: null, port: 0, endTime: 0, force: false };
}

function findReplica(server: Server, host: string, port: number): ReplicaLink | undefined {
  return replicationOf(server).replicas.find((l) => l.ip.toLowerCase() === host.toLowerCase() && l.listeningPort === port);
}

/** clearFailoverState */
export function clearFailover(server: Server): void {
  const r = replicationOf(server);
  if (r.failover.state !== 'no-failover' || r.failover.host !== null) unpauseClients(server);
  r.failover = noFailover();
}

/** abortFailover */
export function abortFailover(server: Server, err: string): void {
  const f = replicationOf(server).failover;
  if (f.state === 'no-failover') return;
  if (f.host !== null) server.log.notice(`FAILOVER to ${f.host}:${f.port} aborted: ${err}`);
  else server.log.notice(`FAILOVER to any replica aborted: ${err}`);
  if (f.state === 'failover-in-progress') unsetMaster(server);
  clearFailover(server);
}

export function failoverCommand(c: Client, argv: string[]): void {
  const server = c.server;
  const r = replicationOf(server);
  if (server.config.bool('cluster-enabled')) { c.error('ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.'); return; }
  if (argv.length === 2 && argv[1]!.toLowerCase() === 'abort') {
    if (r.failover.state === 'no-failover') { c.error('ERR No failover in progress.'); return; }
    abortFailover(server, 'Failover manually aborted');
    c.ok();
    return;
  }
  let timeout = 0;
  let force = false;
  let host: string | null = null;
  let port = 0;
  const isLong = (s: string): boolean => /^-?\d+$/.test(s) && Number.isSafeInteger(Number(s));
  for (let j = 1; j < argv.length; j++) {
    const a = argv[j]!.toLowerCase();
    if (a === 'timeout' && j + 1 < argv.length && timeout === 0) {
      if (!isLong(argv[j + 1]!)) { c.error('ERR value is not an integer or out of range'); return; }
      timeout = Number(argv[j + 1]);
      if (timeout <= 0) { c.error('ERR FAILOVER timeout must be greater than 0'); return; }
      j++;
    } else if (a === 'to' && j + 2 < argv.length && host === null) {
      if (!isLong(argv[j + 2]!)) { c.error('ERR value is not an integer or out of range'); return; }
      port = Number(argv[j + 2]);
      host = argv[j + 1]!;
      j += 2;
    } else if (a === 'force' && !force) {
      force = true;
    } else {
      c.error('ERR syntax error');
      return;
    }
  }
  if (r.failover.state !== 'no-failover') { c.error('ERR FAILOVER already in progress.'); return; }
  if (server.masterhost !== null) { c.error('ERR FAILOVER is not valid when server is a replica.'); return; }
  if (r.replicas.length === 0) { c.error('ERR FAILOVER requires connected replicas.'); return; }
  if (force && (timeout === 0 || host === null)) { c.error('ERR FAILOVER with force option requires both a timeout and target HOST and IP.'); return; }
  if (host !== null) {
    const l = findReplica(server, host, port);
    if (l === undefined) { c.error('ERR FAILOVER target HOST and PORT is not a replica.'); return; }
    if (l.state !== 'online') { c.error('ERR FAILOVER target replica is not online.'); return; }
    server.log.notice(`FAILOVER requested to ${host}:${port}.`);
  } else {
    server.log.notice('FAILOVER requested to any replica.');
  }
  r.failover = { state: 'waiting-for-sync', host, port, endTime: timeout > 0 ? Date.now() + timeout : 0, force };
  pauseClients(server, Number.MAX_SAFE_INTEGER, true);
  c.ok();
}

/** updateFailoverStatus: called every turn and by the cron while waiting for the target to catch up. */
export function updateFailover(server: Server): void {
  const r = replicationOf(server);
  const f = r.failover;
  if (f.state !== 'waiting-for-sync') return;
  if (f.endTime !== 0 && f.endTime <= Date.now()) {
    if (f.force) {
      server.log.notice(`FAILOVER to ${f.host}:${f.port} time out exceeded, failing over.`);
      f.state = 'failover-in-progress';
      setMaster(server, f.host!, f.port, true);
    } else {
      abortFailover(server, 'Replica never caught up before timeout');
    }
    return;
  }
  const offset = r.stream.offset;
  let target: ReplicaLink | undefined;
  if (f.host !== null) target = findReplica(server, f.host, f.port);
  else {
    target = r.replicas.find((l) => l.ackOff === offset);
    if (target !== undefined) { f.host = target.ip; f.port = target.listeningPort; }
  }
  if (target !== undefined && target.ackOff === offset) {
    f.state = 'failover-in-progress';
    server.log.notice(`Failover target ${f.host}:${f.port} is synced, failing over.`);
    setMaster(server, f.host!, f.port, true);
  }
}
