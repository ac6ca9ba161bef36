/*
 * Sentinel's view of one Redis instance (redis/src/sentinel.c
 * sentinelRedisInstance, instanceLink, sentinelAddr): a master it monitors,
 * a replica of such a master, or another sentinel watching the same master.
 *
 * Invariants: flags hold exactly one of SRI_MASTER / SRI_SLAVE / SRI_SENTINEL;
 * replicas and sentinels point at their master, masters at none; a replica's
 * name is "ip:port" ("[ip]:port" for IPv6) of its announced address; a link
 * may be shared by the entries of one physical sentinel under several masters
 * (refcount), and is closed when its last owner releases it. Times are wall
 * clock milliseconds (mstime()), as Redis's, so TILT can see clock jumps.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import type { RespConn } from './link.js';

export const SRI_MASTER = 1 << 0;
export const SRI_SLAVE = 1 << 1;
export const SRI_SENTINEL = 1 << 2;
export const SRI_S_DOWN = 1 << 3;
export const SRI_O_DOWN = 1 << 4;
export const SRI_MASTER_DOWN = 1 << 5;
export const SRI_FAILOVER_IN_PROGRESS = 1 << 6;
export const SRI_PROMOTED = 1 << 7;
export const SRI_RECONF_SENT = 1 << 8;
export const SRI_RECONF_INPROG = 1 << 9;
export const SRI_RECONF_DONE = 1 << 10;
export const SRI_FORCE_FAILOVER = 1 << 11;
export const SRI_SCRIPT_KILL_SENT = 1 << 12;
export const SRI_MASTER_REBOOT = 1 << 13;

export const FAILOVER_STATE_NONE = 0;
export const FAILOVER_STATE_WAIT_START = 1;
export const FAILOVER_STATE_SELECT_SLAVE = 2;
export const FAILOVER_STATE_SEND_SLAVEOF_NOONE = 3;
export const FAILOVER_STATE_WAIT_PROMOTION = 4;
export const FAILOVER_STATE_RECONF_SLAVES = 5;
export const FAILOVER_STATE_UPDATE_CONFIG = 6;

export const MASTER_LINK_STATUS_UP = 0;
export const MASTER_LINK_STATUS_DOWN = 1;

export const DEFAULT_SLAVE_PRIORITY = 100;
export const DEFAULT_PARALLEL_SYNCS = 1;

export const mstime = (): number => Date.now();

/** sentinelFailoverStateStr */
export function failoverStateStr(state: number): string {
  return ['none', 'wait_start', 'select_slave', 'send_slaveof_noone', 'wait_promotion', 'reconf_slaves', 'update_config'][state] ?? 'unknown';
}

/** An instance address: the name as given, the resolved IP ('' when not resolvable yet), the port. */
export interface Addr { hostname: string; ip: string; port: number }

/** /etc/hosts, read when a hostname must be resolved synchronously (anetResolve without ANET_IP_ONLY) */
function hostsFileLookup(name: string): string | null {
  if (name.toLowerCase() === 'localhost') return '127.0.0.1';
  let text = '';
  try { text = readFileSync('/etc/hosts', 'latin1'); } catch { return null; }
  for (const line of text.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/);
    if (words.length < 2) continue;
    if (words.slice(1).some((w) => w.toLowerCase() === name.toLowerCase()) && net.isIPv4(words[0]!)) return words[0]!;
  }
  return null;
}

/**
 * anetResolve: an IP literal as is; a hostname only when hostnames are
 * resolved (resolve-hostnames yes), else null.
 */
export function resolveHost(host: string, resolveHostnames: boolean): string | null {
  if (net.isIP(host) !== 0) return host;
  if (!resolveHostnames) return null;
  return hostsFileLookup(host);
}

/** The reason createSentinelAddr failed (errno), or the address. */
export type AddrResult = Addr | 'ENOENT' | 'EINVAL';

export function createAddr(hostname: string, port: number, acceptUnresolved: boolean, resolveHostnames: boolean, warn?: (m: string) => void): AddrResult {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'EINVAL';
  let ip = resolveHost(hostname, resolveHostnames);
  if (ip === null) {
    warn?.(`Failed to resolve hostname '${hostname}'`);
    if (resolveHostnames && acceptUnresolved) ip = '';
    else return 'ENOENT';
  }
  return { hostname, ip, port };
}

/** sentinelAddrOrHostnameEqual */
export function addrOrHostnameEqual(a: Addr, b: Addr): boolean {
  return a.port === b.port && (a.ip === b.ip || a.hostname.toLowerCase() === b.hostname.toLowerCase());
}

/** Two sentinel links' worth of state: the command and pub/sub connections, ping bookkeeping. */
export class Link {
  refcount = 1;
  disconnected = true;
  pendingCommands = 0;
  cc: RespConn | null = null;
  pc: RespConn | null = null;
  ccConnTime = 0;
  pcConnTime = 0;
  pcLastActivity = 0;
  lastAvailTime = mstime();
  /** the time the oldest unanswered PING was sent (0: none pending); "now" at creation so an unreachable instance times out */
  actPingTime = mstime();
  lastPingTime = 0;
  lastPongTime = mstime();
  lastReconnTime = 0;
}

export class Instance {
  name: string;
  runid: string | null = null;
  configEpoch = 0;
  link = new Link();
  lastPubTime = mstime();
  lastHelloTime = mstime();
  lastMasterDownReplyTime = mstime();
  sDownSinceTime = 0;
  oDownSinceTime = 0;
  downAfterPeriod: number;
  masterRebootDownAfterPeriod = 0;
  masterRebootSinceTime = 0;
  infoRefresh = 0;
  /** commands renamed on this instance (lowercase name -> name to send) */
  readonly renamedCommands = new Map<string, string>();
  /** the original spelling of each renamed command (the config lines keep it) */
  readonly renamedNames = new Map<string, string>();
  roleReported: number;
  roleReportedTime = mstime();
  slaveConfChangeTime = mstime();
  // masters
  sentinels = new Map<string, Instance>();
  slaves = new Map<string, Instance>();
  quorum: number;
  parallelSyncs = DEFAULT_PARALLEL_SYNCS;
  authPass: string | null = null;
  authUser: string | null = null;
  // replicas
  masterLinkDownTime = 0;
  slavePriority = DEFAULT_SLAVE_PRIORITY;
  replicaAnnounced = 1;
  slaveReconfSentTime = 0;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkStatus = MASTER_LINK_STATUS_DOWN;
  slaveReplOffset = 0;
  // failover
  leader: string | null = null;
  leaderEpoch = 0;
  failoverEpoch = 0;
  failoverState = FAILOVER_STATE_NONE;
  failoverStateChangeTime = 0;
  failoverStartTime = 0;
  failoverTimeout: number;
  failoverDelayLogged = 0;
  promotedSlave: Instance | null = null;
  notificationScript: string | null = null;
  clientReconfigScript: string | null = null;
  /** the last INFO reply (SENTINEL INFO-CACHE) */
  info: string | null = null;
  /** set once removed from its table: replies still in flight are ignored */
  released = false;

  constructor(
    public flags: number, name: string, public addr: Addr, quorum: number,
    readonly master: Instance | null, defaults: { downAfter: number; failoverTimeout: number },
  ) {
    this.name = name;
    this.quorum = quorum;
    this.downAfterPeriod = master !== null ? master.downAfterPeriod : defaults.downAfter;
    this.failoverTimeout = defaults.failoverTimeout;
    this.roleReported = flags & (SRI_MASTER | SRI_SLAVE);
  }

  get isMaster(): boolean { return (this.flags & SRI_MASTER) !== 0; }
  get isSlave(): boolean { return (this.flags & SRI_SLAVE) !== 0; }
  get isSentinel(): boolean { return (this.flags & SRI_SENTINEL) !== 0; }

  /** sentinelRedisInstanceTypeStr */
  get typeStr(): string {
    return this.isMaster ? 'master' : this.isSlave ? 'slave' : this.isSentinel ? 'sentinel' : 'unknown';
  }

  /** sentinelInstanceMapCommand: the name to send for `cmd` (renamed on the master of the group) */
  mapCommand(cmd: string): string {
    const m = this.master ?? this;
    return m.renamedCommands.get(cmd.toLowerCase()) ?? cmd;
  }
}
