/*
 * The Sentinel state machine (redis/src/sentinel.c, followed function by
 * function; names in comments are Redis's): the monitored masters with their
 * replicas and fellow sentinels, the links to them, the periodic PING / INFO /
 * hello traffic, SDOWN and ODOWN, the leader election by epoch, the failover
 * state machine, TILT, events, user scripts, and the state lines written to
 * the config file.
 *
 * One timer (sentinelTimer) drives everything at 10-19 Hz, re-randomised on
 * every run so sentinels started together do not stay in step; replies only
 * record what they saw, decisions are taken in the timer.
 *
 * Invariants:
 * - A vote is given at most once per epoch (leaderEpoch only grows, and is
 *   persisted before the vote leaves: sentinelVoteLeader flushes the config).
 * - A failover acts only after this sentinel won a majority of the known
 *   voters and at least `quorum` votes for the failover epoch
 *   (sentinelGetLeader), or when forced by SENTINEL FAILOVER.
 * - Every change of the persisted state (epochs, votes, known replicas and
 *   sentinels, master address) is followed by sentinelFlushConfig: the config
 *   file is rewritten in place and fsynced, so a restart resumes.
 * - Nothing is acted upon in TILT mode; information is still collected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import type { Server } from '../server/server.js';
import { publish } from '../server/pubsub.js';
import { configRewrite } from '../commands/server/config-ops.js';
import { clientOptions } from '../server/tls.js';
import { globMatch } from '../keyspace/glob.js';
import { ReplyError, RespConn, type Reply } from './link.js';
import {
  Instance, SRI_FAILOVER_IN_PROGRESS, SRI_FORCE_FAILOVER, SRI_MASTER, SRI_MASTER_DOWN, SRI_MASTER_REBOOT, SRI_O_DOWN,
  SRI_PROMOTED, SRI_RECONF_DONE, SRI_RECONF_INPROG, SRI_RECONF_SENT, SRI_SCRIPT_KILL_SENT, SRI_SENTINEL, SRI_SLAVE,
  SRI_S_DOWN, FAILOVER_STATE_NONE, FAILOVER_STATE_RECONF_SLAVES, FAILOVER_STATE_SELECT_SLAVE,
  FAILOVER_STATE_SEND_SLAVEOF_NOONE, FAILOVER_STATE_UPDATE_CONFIG, FAILOVER_STATE_WAIT_PROMOTION,
  FAILOVER_STATE_WAIT_START, MASTER_LINK_STATUS_DOWN, MASTER_LINK_STATUS_UP, DEFAULT_PARALLEL_SYNCS, addrOrHostnameEqual,
  createAddr, mstime, resolveHost, type Addr, Link,
} from './instance.js';

export const SENTINEL_PORT = 26379;
export const HELLO_CHANNEL = '__sentinel__:hello';
const MAX_PENDING_COMMANDS = 100;
const MAX_DESYNC = 1000;
const DEFAULT_DENY_SCRIPTS_RECONFIG = true;
const SCRIPT_MAX_QUEUE = 256;
const SCRIPT_MAX_RUNNING = 16;
const SCRIPT_MAX_RETRY = 10;
export const SIMFAILURE_CRASH_AFTER_ELECTION = 1 << 0;
export const SIMFAILURE_CRASH_AFTER_PROMOTION = 1 << 1;
const LEADER = 1;
const OBSERVER = 2;
const ASK_FORCED = 1;
export const RESET_NO_SENTINELS = 1 << 0;
export const GENERATE_EVENT = 1 << 16;

/** the log levels of sentinelEvent (LL_DEBUG ... LL_WARNING) */
export type Level = 'debug' | 'verbose' | 'notice' | 'warning';

/** The timing parameters SENTINEL DEBUG shows and sets (milliseconds). */
export interface Timing {
  infoPeriod: number; pingPeriod: number; askPeriod: number; publishPeriod: number; defaultDownAfter: number;
  defaultFailoverTimeout: number; tiltTrigger: number; tiltPeriod: number; slaveReconfTimeout: number;
  minLinkReconnectPeriod: number; electionTimeout: number; scriptMaxRuntime: number; scriptRetryDelay: number;
}

export const DEFAULT_TIMING: Timing = {
  infoPeriod: 10000, pingPeriod: 1000, askPeriod: 1000, publishPeriod: 2000, defaultDownAfter: 30000,
  defaultFailoverTimeout: 60 * 3 * 1000, tiltTrigger: 2000, tiltPeriod: 1000 * 30, slaveReconfTimeout: 10000,
  minLinkReconnectPeriod: 15000, electionTimeout: 10000, scriptMaxRuntime: 60000, scriptRetryDelay: 30000,
};

/** A user script run (sentinelScriptJob). */
export interface ScriptJob {
  running: boolean; retryNum: number; argv: string[]; startTime: number; pid: number;
  child: ChildProcess | null;
  /** set when the child ended, until the timer collects it: [exit code, signal number] */
  ended: [number, number] | null;
}

/** config lines are applied in three passes (loadSentinelConfigFromQueue) */
const PRE_MONITOR = new Set(['announce-ip', 'announce-port', 'deny-scripts-reconfig', 'sentinel-user', 'sentinel-pass',
  'current-epoch', 'myid', 'resolve-hostnames', 'announce-hostnames']);

interface QueuedLine { args: string[]; lineNo: number; line: string }

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

export class Sentinel {
  myid = '';
  currentEpoch = 0;
  readonly masters = new Map<string, Instance>();
  tilt = false;
  runningScripts = 0;
  tiltStartTime = 0;
  previousTime = mstime();
  readonly scriptsQueue: ScriptJob[] = [];
  announceIp: string | null = null;
  announcePort = 0;
  simfailureFlags = 0;
  denyScriptsReconfig = DEFAULT_DENY_SCRIPTS_RECONFIG;
  sentinelAuthPass: string | null = null;
  sentinelAuthUser: string | null = null;
  resolveHostnames = false;
  announceHostnames = false;
  readonly timing: Timing = { ...DEFAULT_TIMING };
  private timer: NodeJS.Timeout | null = null;
  private readonly configQueue: [QueuedLine[], QueuedLine[], QueuedLine[]] = [[], [], []];
  /** called by SIMULATE-FAILURE crashes (the CLI exits the process; embedded: closes the sentinel) */
  crash: (code: number) => void = (code) => process.exit(code);

  constructor(readonly server: Server) {}

  private get log(): Server['log'] { return this.server.log; }

  // ---- addresses ---------------------------------------------------------------------------------

  createAddr(hostname: string, port: number, acceptUnresolved: boolean): Addr | 'ENOENT' | 'EINVAL' {
    return createAddr(hostname, port, acceptUnresolved, this.resolveHostnames, (m) => this.log.warning(m));
  }

  /** announceSentinelAddr */
  announceAddr(a: Addr): string { return this.announceHostnames ? a.hostname : a.ip; }

  /** announceSentinelAddrAndPort */
  announceAddrAndPort(a: Addr): string {
    const h = this.announceAddr(a);
    return h.includes(':') ? `[${h}]:${a.port}` : `${h}:${a.port}`;
  }

  /** sentinelAddrEqualsHostname */
  addrEqualsHostname(a: Addr, hostname: string | null): boolean {
    if (hostname === null) return false;
    const ip = resolveHost(hostname, this.resolveHostnames);
    if (ip === null) return (this.resolveHostnames ? a.hostname : a.ip).toLowerCase() === hostname.toLowerCase();
    return a.ip.toLowerCase() === ip.toLowerCase();
  }

  // ---- events --------------------------------------------------------------------------------------

  /**
   * sentinelEvent: log, publish on the channel named by the type (not debug
   * events), and run the master's notification script for warnings. With an
   * instance and `at` the message starts with "<type> <name> <ip> <port>"
   * (plus "@ <master> <ip> <port>" for replicas and sentinels).
   */
  event(level: Level, type: string, ri: Instance | null, at: boolean, rest = ''): void {
    let msg = '';
    if (at && ri !== null) {
      const master = ri.isMaster ? null : ri.master;
      msg = `${ri.typeStr} ${ri.name} ${this.announceAddr(ri.addr)} ${ri.addr.port}`;
      if (master !== null) msg += ` @ ${master.name} ${this.announceAddr(master.addr)} ${master.addr.port}`;
    }
    msg += rest;
    this.log.raw(level, `${type} ${msg}`);
    if (level !== 'debug') publish(this.server, type, msg);
    if (level === 'warning' && ri !== null) {
      const master = ri.isMaster ? ri : ri.master;
      if (master !== null && master.notificationScript !== null) this.scheduleScript(master.notificationScript, [type, msg]);
    }
  }

  /** sentinelGenerateInitialMonitorEvents */
  generateInitialMonitorEvents(): void {
    for (const ri of this.masters.values()) this.event('warning', '+monitor', ri, true, ` quorum ${ri.quorum}`);
  }

  // ---- scripts -------------------------------------------------------------------------------------

  /** sentinelScheduleScriptExecution */
  scheduleScript(path: string, args: string[]): void {
    this.scriptsQueue.push({ running: false, retryNum: 0, argv: [path, ...args.slice(0, 15)], startTime: 0, pid: 0, child: null, ended: null });
    if (this.scriptsQueue.length > SCRIPT_MAX_QUEUE) {
      const i = this.scriptsQueue.findIndex((j) => !j.running);
      if (i >= 0) this.scriptsQueue.splice(i, 1);
    }
  }

  /** sentinelRunPendingScripts */
  private runPendingScripts(): void {
    const now = mstime();
    for (const sj of this.scriptsQueue) {
      if (this.runningScripts >= SCRIPT_MAX_RUNNING) break;
      if (sj.running) continue;
      if (sj.startTime !== 0 && sj.startTime > now) continue;
      sj.running = true;
      sj.startTime = mstime();
      sj.retryNum++;
      sj.ended = null;
      let child: ChildProcess;
      try {
        child = spawn(sj.argv[0]!, sj.argv.slice(1), { stdio: 'ignore', env: process.env });
      } catch {
        this.event('warning', '-script-error', null, false, `${sj.argv[0]} 99 0`);
        sj.running = false;
        sj.pid = 0;
        continue;
      }
      this.runningScripts++;
      sj.child = child;
      sj.pid = child.pid ?? 0;
      // a program that cannot be executed ends as Redis's child does after a failed execve: exit code 2
      child.on('error', () => { if (sj.ended === null) sj.ended = [2, 0]; });
      child.on('exit', (code, signal) => {
        if (sj.ended === null) sj.ended = [code ?? 0, signal !== null ? SIGNALS[signal] ?? 1 : 0];
      });
      if (sj.pid !== 0) this.event('debug', '+script-child', null, false, `${sj.pid}`);
    }
  }

  /** sentinelScriptRetryDelay */
  private scriptRetryDelay(retryNum: number): number {
    let delay = this.timing.scriptRetryDelay;
    while (retryNum-- > 1) delay *= 2;
    return delay;
  }

  /** sentinelCollectTerminatedScripts */
  private collectTerminatedScripts(): void {
    for (const sj of [...this.scriptsQueue]) {
      if (!sj.running || sj.ended === null) continue;
      const [exitcode, bysignal] = sj.ended;
      this.event('debug', '-script-child', null, false, `${sj.pid} ${exitcode} ${bysignal}`);
      if ((bysignal !== 0 || exitcode === 1) && sj.retryNum !== SCRIPT_MAX_RETRY) {
        sj.running = false;
        sj.pid = 0;
        sj.child = null;
        sj.startTime = mstime() + this.scriptRetryDelay(sj.retryNum);
      } else {
        if (bysignal !== 0 || exitcode !== 0) this.event('warning', '-script-error', null, false, `${sj.argv[0]} ${bysignal} ${exitcode}`);
        this.scriptsQueue.splice(this.scriptsQueue.indexOf(sj), 1);
      }
      this.runningScripts--;
    }
  }

  /** sentinelKillTimedoutScripts */
  private killTimedoutScripts(): void {
    const now = mstime();
    for (const sj of this.scriptsQueue) {
      if (sj.running && sj.ended === null && now - sj.startTime > this.timing.scriptMaxRuntime) {
        this.event('warning', '-script-timeout', null, false, `${sj.argv[0]} ${sj.pid}`);
        sj.child?.kill('SIGKILL');
      }
    }
  }

  /** sentinelCallClientReconfScript */
  private callClientReconfScript(master: Instance, role: number, state: string, from: Addr, to: Addr): void {
    if (master.clientReconfigScript === null) return;
    this.scheduleScript(master.clientReconfigScript, [master.name, role === LEADER ? 'leader' : 'observer', state,
      this.announceAddr(from), String(from.port), this.announceAddr(to), String(to.port)]);
  }

  // ---- links ---------------------------------------------------------------------------------------

  /** instanceLinkCloseConnection */
  closeConnection(link: Link, c: RespConn | null): void {
    if (c === null) return;
    if (link.cc === c) { link.cc = null; link.pendingCommands = 0; }
    if (link.pc === c) link.pc = null;
    link.disconnected = true;
    c.close();
  }

  /** releaseInstanceLink */
  private releaseLink(link: Link): void {
    link.refcount--;
    if (link.refcount !== 0) return;
    this.closeConnection(link, link.cc);
    this.closeConnection(link, link.pc);
  }

  /** sentinelTryConnectionSharing */
  private tryConnectionSharing(ri: Instance): boolean {
    if (ri.runid === null || ri.link.refcount > 1) return false;
    for (const master of this.masters.values()) {
      if (master === ri.master) continue;
      const match = this.getByAddrAndRunId(master.sentinels, null, 0, ri.runid);
      if (match === null || match === ri) continue;
      this.releaseLink(ri.link);
      ri.link = match.link;
      match.link.refcount++;
      return true;
    }
    return false;
  }

  /** dropInstanceConnections */
  dropInstanceConnections(ri: Instance): void {
    this.closeConnection(ri.link, ri.link.cc);
    this.closeConnection(ri.link, ri.link.pc);
    for (const s of ri.slaves.values()) {
      this.closeConnection(s.link, s.link.cc);
      this.closeConnection(s.link, s.link.pc);
    }
  }

  /** sentinelDropConnections */
  dropConnections(): number {
    let dropped = 0;
    for (const ri of this.masters.values()) {
      for (const si of ri.sentinels.values()) {
        if (!si.link.disconnected) {
          this.closeConnection(si.link, si.link.pc);
          this.closeConnection(si.link, si.link.cc);
          dropped++;
        }
      }
    }
    return dropped;
  }

  /** sentinelUpdateSentinelAddressInAllMasters */
  private updateSentinelAddressInAllMasters(ri: Instance): number {
    let reconfigured = 0;
    for (const master of this.masters.values()) {
      const match = this.getByAddrAndRunId(master.sentinels, null, 0, ri.runid);
      if (match === null) continue;
      if (match.link.cc !== null) this.closeConnection(match.link, match.link.cc);
      if (match.link.pc !== null) this.closeConnection(match.link, match.link.pc);
      if (match === ri) continue;
      match.addr = { ...ri.addr };
      reconfigured++;
    }
    if (reconfigured) this.event('notice', '+sentinel-address-update', ri, true, ` ${reconfigured} additional matching instances`);
    return reconfigured;
  }

  /** A connection of `link` closed (instanceLinkConnectionError / sentinelDisconnectCallback). */
  private connectionLost(link: Link, c: RespConn): void {
    if (link.cc === c) { link.cc = null; link.pendingCommands = 0; }
    if (link.pc === c) link.pc = null;
    if (link.cc === null || link.pc === null) link.disconnected = true;
  }

  /**
   * Send a command on the instance's command link, counting it as pending;
   * cb runs with the reply unless the instance was removed meanwhile.
   */
  private command(ri: Instance, argv: string[], cb: ((r: Reply) => void) | null): boolean {
    const link = ri.link;
    const cc = link.cc;
    if (cc === null) return false;
    const ok = cc.send(argv, (r) => {
      if (link.cc !== cc) return;
      link.pendingCommands--;
      if (cb !== null && !ri.released) cb(r);
    });
    if (ok) link.pendingCommands++;
    return ok;
  }

  /** sentinelSendAuthIfNeeded */
  private sendAuthIfNeeded(ri: Instance, c: RespConn, link: Link): void {
    let pass: string | null = null;
    let user: string | null = null;
    if (ri.isMaster) { pass = ri.authPass; user = ri.authUser; }
    else if (ri.isSlave) { pass = ri.master!.authPass; user = ri.master!.authUser; }
    else if (ri.isSentinel) {
      if (this.sentinelAuthPass !== null) { pass = this.sentinelAuthPass; user = this.sentinelAuthUser; }
      else { pass = this.server.config.str('requirepass') || null; user = null; }
    }
    if (pass === null) return;
    const argv = user === null ? [ri.mapCommand('AUTH'), pass] : [ri.mapCommand('AUTH'), user, pass];
    if (c.send(argv, () => { if (link.cc === c) link.pendingCommands--; }) && link.cc === c) link.pendingCommands++;
  }

  /** sentinelSetClientName */
  private setClientName(ri: Instance, c: RespConn, link: Link, type: string): void {
    if (c.send([ri.mapCommand('CLIENT'), 'SETNAME', `sentinel-${this.myid.slice(0, 8)}-${type}`], () => { if (link.cc === c) link.pendingCommands--; }) && link.cc === c) link.pendingCommands++;
  }

  /** sentinelReconnectInstance */
  private reconnectInstance(ri: Instance): void {
    const link = ri.link;
    if (!link.disconnected) return;
    if (ri.addr.port === 0) return;
    const now = mstime();
    if (now - link.lastReconnTime < this.timing.pingPeriod) return;
    link.lastReconnTime = now;
    const bindSource = this.server.config.str('bind-source-addr') ?? '';
    const host = (): string => ri.addr.ip || ri.addr.hostname;
    // tls-replication: the links to instances (and to other sentinels) use TLS, as instanceLinkNegotiateTLS
    const tlsFor = (): ReturnType<typeof clientOptions> | null =>
      this.server.config.bool('tls-replication') && this.server.tls !== null ? clientOptions(this.server.tls, host(), ri.addr.port) : null;
    if (link.cc === null) {
      if (this.resolveHostnames) {
        const a = this.createAddr(ri.addr.hostname, ri.addr.port, false);
        if (typeof a !== 'string') ri.addr = a;
      }
      const c = new RespConn(host(), ri.addr.port, (conn) => {
        if (!conn.wasConnected) this.event('debug', '-cmd-link-reconnection', ri, true, ` #${conn.error || 'Connection closed'}`);
        this.connectionLost(link, conn);
      }, {
        bindSource, tlsOptions: tlsFor(),
        // "send a PING ASAP when reconnecting", once connected: a refused connect sends none, so a pending
        // ping's age (act_ping_time) is not reset by failed reconnections, as with hiredis's immediate failures
        onConnect: (conn) => { if (link.cc === conn) { this.linkUp(ri); this.sendPing(ri); } },
      });
      link.pendingCommands = 0;
      link.ccConnTime = mstime();
      link.cc = c;
      this.sendAuthIfNeeded(ri, c, link);
      this.setClientName(ri, c, link, 'cmd');
    }
    if ((ri.flags & (SRI_MASTER | SRI_SLAVE)) !== 0 && link.pc === null) {
      const c = new RespConn(host(), ri.addr.port, (conn) => {
        if (!conn.wasConnected) this.event('debug', '-pubsub-link-reconnection', ri, true, ` #${conn.error || 'Connection closed'}`);
        this.connectionLost(link, conn);
      }, { bindSource, tlsOptions: tlsFor(), onConnect: (conn) => { if (link.pc === conn) this.linkUp(ri); } });
      link.pcConnTime = mstime();
      link.pc = c;
      this.sendAuthIfNeeded(ri, c, link);
      this.setClientName(ri, c, link, 'pubsub');
      c.send([ri.mapCommand('SUBSCRIBE'), HELLO_CHANNEL], (r) => this.receiveHelloMessages(ri, r, c), true);
    }
    this.linkUp(ri);
  }

  /**
   * Clear the disconnected state once both connections (the command one for a
   * sentinel) are established. hiredis reports a refused connect at once, so
   * Redis never counts a link that failed to connect as up; here connects
   * complete asynchronously, so the link is up only once they did.
   */
  private linkUp(ri: Instance): void {
    const link = ri.link;
    if (link.cc !== null && link.cc.connected && (ri.isSentinel || (link.pc !== null && link.pc.connected))) link.disconnected = false;
  }

  // ---- instances -----------------------------------------------------------------------------------

  /**
   * createSentinelRedisInstance: null with the errno Redis would set
   * (EBUSY: duplicate name / address / sentinel) on failure.
   */
  createInstance(name: string | null, flags: number, hostname: string, port: number, quorum: number, master: Instance | null): Instance | 'EBUSY' | 'ENOENT' | 'EINVAL' {
    const addr = this.createAddr(hostname, port, true);
    if (typeof addr === 'string') return addr;
    const sdsname = (flags & SRI_SLAVE) !== 0 ? this.announceAddrAndPort(addr) : name!;
    const table = (flags & SRI_MASTER) !== 0 ? this.masters : (flags & SRI_SLAVE) !== 0 ? master!.slaves : master!.sentinels;
    if (table.has(sdsname)) return 'EBUSY';
    const ri = new Instance(flags, sdsname, addr, quorum, master, { downAfter: this.timing.defaultDownAfter, failoverTimeout: this.timing.defaultFailoverTimeout });
    table.set(sdsname, ri);
    return ri;
  }

  /** releaseSentinelRedisInstance (the caller removes it from its table) */
  releaseInstance(ri: Instance): void {
    ri.released = true;
    for (const s of ri.sentinels.values()) this.releaseInstance(s);
    for (const s of ri.slaves.values()) this.releaseInstance(s);
    ri.sentinels.clear();
    ri.slaves.clear();
    this.releaseLink(ri.link);
    if (ri.isSlave && (ri.flags & SRI_PROMOTED) !== 0 && ri.master !== null) ri.master.promotedSlave = null;
  }

  /** sentinelRedisInstanceLookupSlave */
  private lookupSlave(ri: Instance, ip: string, port: number): Instance | null {
    const addr = this.createAddr(ip, port, false);
    if (typeof addr === 'string') return null;
    return ri.slaves.get(this.announceAddrAndPort(addr)) ?? null;
  }

  /** removeMatchingSentinelFromMaster */
  private removeMatchingSentinel(master: Instance, runid: string | null): number {
    if (runid === null) return 0;
    let removed = 0;
    for (const [k, ri] of [...master.sentinels]) {
      if (ri.runid !== null && ri.runid === runid) {
        master.sentinels.delete(k);
        this.releaseInstance(ri);
        removed++;
      }
    }
    return removed;
  }

  /** getSentinelRedisInstanceByAddrAndRunID */
  getByAddrAndRunId(instances: Map<string, Instance>, addr: string | null, port: number, runid: string | null): Instance | null {
    let riAddr: Addr | null = null;
    if (addr !== null) {
      const a = this.createAddr(addr, port, true);
      if (typeof a === 'string') return null;
      riAddr = a;
    }
    for (const ri of instances.values()) {
      if (runid !== null && ri.runid === null) continue;
      if ((runid === null || ri.runid === runid) && (riAddr === null || addrOrHostnameEqual(ri.addr, riAddr))) return ri;
    }
    return null;
  }

  /** sentinelResetMaster */
  resetMaster(ri: Instance, flags: number): void {
    for (const s of ri.slaves.values()) this.releaseInstance(s);
    ri.slaves = new Map();
    if ((flags & RESET_NO_SENTINELS) === 0) {
      for (const s of ri.sentinels.values()) this.releaseInstance(s);
      ri.sentinels = new Map();
    }
    this.closeConnection(ri.link, ri.link.cc);
    this.closeConnection(ri.link, ri.link.pc);
    ri.flags &= SRI_MASTER;
    ri.leader = null;
    ri.failoverState = FAILOVER_STATE_NONE;
    ri.failoverStateChangeTime = 0;
    ri.failoverStartTime = 0;
    ri.promotedSlave = null;
    ri.runid = null;
    ri.slaveMasterHost = null;
    ri.link.actPingTime = mstime();
    ri.link.lastPingTime = 0;
    ri.link.lastAvailTime = mstime();
    ri.link.lastPongTime = mstime();
    ri.roleReportedTime = mstime();
    ri.roleReported = SRI_MASTER;
    if ((flags & GENERATE_EVENT) !== 0) this.event('warning', '+reset-master', ri, true);
  }

  /** sentinelResetMastersByPattern */
  resetMastersByPattern(pattern: string, flags: number): number {
    let reset = 0;
    for (const ri of this.masters.values()) {
      if (globMatch(pattern, ri.name, false)) { this.resetMaster(ri, flags); reset++; }
    }
    return reset;
  }

  /** sentinelResetMasterAndChangeAddress */
  private resetMasterAndChangeAddress(master: Instance, hostname: string, port: number): boolean {
    const newaddr = this.createAddr(hostname, port, false);
    if (typeof newaddr === 'string') return false;
    const slaves: Addr[] = [];
    for (const s of master.slaves.values()) {
      if (addrOrHostnameEqual(s.addr, newaddr)) continue;
      slaves.push({ ...s.addr });
    }
    if (!addrOrHostnameEqual(newaddr, master.addr)) slaves.push({ ...master.addr });
    this.resetMaster(master, RESET_NO_SENTINELS);
    master.addr = newaddr;
    master.oDownSinceTime = 0;
    master.sDownSinceTime = 0;
    for (const a of slaves) {
      const slave = this.createInstance(null, SRI_SLAVE, a.hostname, a.port, master.quorum, master);
      if (typeof slave !== 'string') this.event('notice', '+slave', slave, true);
    }
    this.flushConfig();
    return true;
  }

  /** sentinelRedisInstanceNoDownFor */
  private noDownFor(ri: Instance, ms: number): boolean {
    const mostRecent = Math.max(ri.sDownSinceTime, ri.oDownSinceTime);
    return mostRecent === 0 || mstime() - mostRecent > ms;
  }

  /** sentinelGetCurrentMasterAddress */
  currentMasterAddress(master: Instance): Addr {
    if ((master.flags & SRI_FAILOVER_IN_PROGRESS) !== 0 && master.promotedSlave !== null && master.failoverState >= FAILOVER_STATE_RECONF_SLAVES) {
      return master.promotedSlave.addr;
    }
    return master.addr;
  }

  /** sentinelPropagateDownAfterPeriod */
  propagateDownAfterPeriod(master: Instance): void {
    for (const d of [master.slaves, master.sentinels]) for (const ri of d.values()) ri.downAfterPeriod = master.downAfterPeriod;
  }

  // ---- config --------------------------------------------------------------------------------------

  /** queueSentinelConfig: a `sentinel ...` line from the config file, applied once the whole file is read */
  queueConfig(args: string[], lineNo: number, line: string): void {
    const name = args[0]!.toLowerCase();
    const q = name === 'monitor' ? 1 : PRE_MONITOR.has(name) ? 0 : 2;
    this.configQueue[q].push({ args, lineNo, line });
  }

  /** loadSentinelConfigFromQueue: the first failing line, or null */
  loadQueuedConfig(): { lineNo: number; line: string; error: string } | null {
    for (const q of this.configQueue) {
      for (const e of q) {
        const err = this.handleConfiguration(e.args);
        if (err !== null) return { lineNo: e.lineNo, line: e.line, error: err };
      }
    }
    for (const q of this.configQueue) q.length = 0;
    return null;
  }

  private static createError(role: number, err: 'EBUSY' | 'ENOENT' | 'EINVAL'): string {
    if (err === 'EBUSY') return role === SRI_MASTER ? 'Duplicate master name.' : role === SRI_SLAVE ? 'Duplicate hostname and port for replica.' : 'Duplicate runid for sentinel.';
    if (err === 'ENOENT') return "Can't resolve instance hostname.";
    return 'Invalid port number.';
  }

  /** sentinelCheckCreateInstanceErrors */
  createErrorText(role: number, err: 'EBUSY' | 'ENOENT' | 'EINVAL'): string { return Sentinel.createError(role, err); }

  /** sentinelHandleConfiguration: null, or the error text */
  handleConfiguration(argv: string[]): string | null {
    const argc = argv.length;
    const cmd = argv[0]!.toLowerCase();
    const master = (): Instance | null => this.masters.get(argv[1]!) ?? null;
    const NO_MASTER = 'No such master with specified name.';
    if (cmd === 'monitor' && argc === 5) {
      const quorum = atoi(argv[4]!);
      if (quorum <= 0) return 'Quorum must be 1 or greater.';
      const r = this.createInstance(argv[1]!, SRI_MASTER, argv[2]!, atoi(argv[3]!), quorum, null);
      if (typeof r === 'string') return Sentinel.createError(SRI_MASTER, r);
    } else if (cmd === 'down-after-milliseconds' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.downAfterPeriod = atoi(argv[2]!);
      if (ri.downAfterPeriod <= 0) return 'negative or zero time parameter.';
      this.propagateDownAfterPeriod(ri);
    } else if (cmd === 'failover-timeout' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.failoverTimeout = atoi(argv[2]!);
      if (ri.failoverTimeout <= 0) return 'negative or zero time parameter.';
    } else if (cmd === 'parallel-syncs' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.parallelSyncs = atoi(argv[2]!);
    } else if (cmd === 'notification-script' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      if (!executable(argv[2]!)) return 'Notification script seems non existing or non executable.';
      ri.notificationScript = argv[2]!;
    } else if (cmd === 'client-reconfig-script' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      if (!executable(argv[2]!)) return 'Client reconfiguration script seems non existing or non executable.';
      ri.clientReconfigScript = argv[2]!;
    } else if (cmd === 'auth-pass' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.authPass = argv[2]!;
    } else if (cmd === 'auth-user' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.authUser = argv[2]!;
    } else if (cmd === 'current-epoch' && argc === 2) {
      const e = strtoull(argv[1]!);
      if (e > this.currentEpoch) this.currentEpoch = e;
    } else if (cmd === 'myid' && argc === 2) {
      if (argv[1]!.length !== 40) return 'Malformed Sentinel id in myid option.';
      this.myid = argv[1]!;
    } else if (cmd === 'config-epoch' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.configEpoch = strtoull(argv[2]!);
      if (ri.configEpoch > this.currentEpoch) this.currentEpoch = ri.configEpoch;
    } else if (cmd === 'leader-epoch' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.leaderEpoch = strtoull(argv[2]!);
    } else if ((cmd === 'known-slave' || cmd === 'known-replica') && argc === 4) {
      const ri = master();
      if (!ri) return NO_MASTER;
      const r = this.createInstance(null, SRI_SLAVE, argv[2]!, atoi(argv[3]!), ri.quorum, ri);
      if (typeof r === 'string') return Sentinel.createError(SRI_SLAVE, r);
    } else if (cmd === 'known-sentinel' && (argc === 4 || argc === 5)) {
      if (argc === 5) { // the old form without a runid is ignored
        const ri = master();
        if (!ri) return NO_MASTER;
        const si = this.createInstance(argv[4]!, SRI_SENTINEL, argv[2]!, atoi(argv[3]!), ri.quorum, ri);
        if (typeof si === 'string') return Sentinel.createError(SRI_SENTINEL, si);
        si.runid = argv[4]!;
        this.tryConnectionSharing(si);
      }
    } else if (cmd === 'rename-command' && argc === 4) {
      const ri = master();
      if (!ri) return NO_MASTER;
      if (ri.renamedCommands.has(argv[2]!.toLowerCase())) return 'Same command renamed multiple times with rename-command.';
      ri.renamedCommands.set(argv[2]!.toLowerCase(), argv[3]!);
      ri.renamedNames.set(argv[2]!.toLowerCase(), argv[2]!);
    } else if (cmd === 'announce-ip' && argc === 2) {
      if (argv[1]!.length) this.announceIp = argv[1]!;
    } else if (cmd === 'announce-port' && argc === 2) {
      this.announcePort = atoi(argv[1]!);
    } else if (cmd === 'deny-scripts-reconfig' && argc === 2) {
      const v = yesno(argv[1]!);
      if (v === null) return 'Please specify yes or no for the deny-scripts-reconfig options.';
      this.denyScriptsReconfig = v;
    } else if (cmd === 'sentinel-user' && argc === 2) {
      if (argv[1]!.length) this.sentinelAuthUser = argv[1]!;
    } else if (cmd === 'sentinel-pass' && argc === 2) {
      if (argv[1]!.length) this.sentinelAuthPass = argv[1]!;
    } else if (cmd === 'resolve-hostnames' && argc === 2) {
      const v = yesno(argv[1]!);
      if (v === null) return 'Please specify yes or no for the resolve-hostnames option.';
      this.resolveHostnames = v;
    } else if (cmd === 'announce-hostnames' && argc === 2) {
      const v = yesno(argv[1]!);
      if (v === null) return 'Please specify yes or no for the announce-hostnames option.';
      this.announceHostnames = v;
    } else if (cmd === 'master-reboot-down-after-period' && argc === 3) {
      const ri = master();
      if (!ri) return NO_MASTER;
      ri.masterRebootDownAfterPeriod = atoi(argv[2]!);
      if (ri.masterRebootDownAfterPeriod < 0) return 'negative time parameter.';
    } else {
      return 'Unrecognized sentinel configuration statement.';
    }
    return null;
  }

  /** rewriteConfigSentinelOption: the state lines of a CONFIG REWRITE */
  rewriteConfig(rw: { line(key: string, text: string, force: boolean): void; processed(key: string): void }): void {
    rw.line('sentinel myid', `sentinel myid ${this.myid}`, true);
    rw.line('sentinel deny-scripts-reconfig', `sentinel deny-scripts-reconfig ${this.denyScriptsReconfig ? 'yes' : 'no'}`, this.denyScriptsReconfig !== DEFAULT_DENY_SCRIPTS_RECONFIG);
    rw.line('sentinel resolve-hostnames', `sentinel resolve-hostnames ${this.resolveHostnames ? 'yes' : 'no'}`, this.resolveHostnames);
    rw.line('sentinel announce-hostnames', `sentinel announce-hostnames ${this.announceHostnames ? 'yes' : 'no'}`, this.announceHostnames);
    for (const master of this.masters.values()) {
      const masterAddr = this.currentMasterAddress(master);
      rw.line('sentinel monitor', `sentinel monitor ${master.name} ${this.announceAddr(masterAddr)} ${masterAddr.port} ${master.quorum}`, true);
      if (master.downAfterPeriod !== this.timing.defaultDownAfter) rw.line('sentinel down-after-milliseconds', `sentinel down-after-milliseconds ${master.name} ${master.downAfterPeriod}`, true);
      if (master.failoverTimeout !== this.timing.defaultFailoverTimeout) rw.line('sentinel failover-timeout', `sentinel failover-timeout ${master.name} ${master.failoverTimeout}`, true);
      if (master.parallelSyncs !== DEFAULT_PARALLEL_SYNCS) rw.line('sentinel parallel-syncs', `sentinel parallel-syncs ${master.name} ${master.parallelSyncs}`, true);
      if (master.notificationScript !== null) rw.line('sentinel notification-script', `sentinel notification-script ${master.name} ${master.notificationScript}`, true);
      if (master.clientReconfigScript !== null) rw.line('sentinel client-reconfig-script', `sentinel client-reconfig-script ${master.name} ${master.clientReconfigScript}`, true);
      if (master.authPass !== null) rw.line('sentinel auth-pass', `sentinel auth-pass ${master.name} ${master.authPass}`, true);
      if (master.authUser !== null) rw.line('sentinel auth-user', `sentinel auth-user ${master.name} ${master.authUser}`, true);
      if (master.masterRebootDownAfterPeriod !== 0) rw.line('sentinel master-reboot-down-after-period', `sentinel master-reboot-down-after-period ${master.name} ${master.masterRebootDownAfterPeriod}`, true);
      rw.line('sentinel config-epoch', `sentinel config-epoch ${master.name} ${master.configEpoch}`, true);
      rw.line('sentinel leader-epoch', `sentinel leader-epoch ${master.name} ${master.leaderEpoch}`, true);
      for (const ri of master.slaves.values()) {
        let slaveAddr = ri.addr;
        if (addrOrHostnameEqual(slaveAddr, masterAddr)) slaveAddr = master.addr;
        rw.line('sentinel known-replica', `sentinel known-replica ${master.name} ${this.announceAddr(slaveAddr)} ${slaveAddr.port}`, true);
      }
      for (const ri of master.sentinels.values()) {
        if (ri.runid === null) continue;
        rw.line('sentinel known-sentinel', `sentinel known-sentinel ${master.name} ${this.announceAddr(ri.addr)} ${ri.addr.port} ${ri.runid}`, true);
      }
      for (const [k, v] of master.renamedCommands) {
        rw.line('sentinel rename-command', `sentinel rename-command ${master.name} ${master.renamedNames.get(k) ?? k} ${v}`, true);
      }
    }
    rw.line('sentinel current-epoch', `sentinel current-epoch ${this.currentEpoch}`, true);
    if (this.announceIp !== null) rw.line('sentinel announce-ip', `sentinel announce-ip ${reprQuoted(this.announceIp)}`, true);
    else rw.processed('sentinel announce-ip');
    if (this.announcePort !== 0) rw.line('sentinel announce-port', `sentinel announce-port ${this.announcePort}`, true);
    else rw.processed('sentinel announce-port');
    if (this.sentinelAuthUser !== null) rw.line('sentinel sentinel-user', `sentinel sentinel-user ${this.sentinelAuthUser}`, true);
    else rw.processed('sentinel sentinel-user');
    if (this.sentinelAuthPass !== null) rw.line('sentinel sentinel-pass', `sentinel sentinel-pass ${this.sentinelAuthPass}`, true);
    else rw.processed('sentinel sentinel-pass');
    for (const k of ['monitor', 'down-after-milliseconds', 'failover-timeout', 'parallel-syncs', 'notification-script',
      'client-reconfig-script', 'auth-pass', 'auth-user', 'config-epoch', 'leader-epoch', 'known-replica', 'known-sentinel',
      'rename-command', 'master-reboot-down-after-period']) rw.processed(`sentinel ${k}`);
    // the old spelling Redis still reads, rewritten as known-replica
    rw.processed('sentinel known-slave');
  }

  /** sentinelFlushConfig: rewrite the config file in place (fsynced); false on failure (logged) */
  flushConfig(): boolean {
    const err = configRewrite(this.server, true);
    if (err !== null) {
      this.log.warning(`WARNING: Sentinel was not able to save the new configuration on disk!!!: ${err.replace(/^ERR (Rewriting config file: )?/, '')}`);
      return false;
    }
    this.log.notice('Sentinel new configuration saved on disk');
    return true;
  }

  // ---- INFO, PING, hello ----------------------------------------------------------------------------

  /** sentinelMasterLooksSane */
  private masterLooksSane(master: Instance): boolean {
    return master.isMaster && master.roleReported === SRI_MASTER && (master.flags & (SRI_S_DOWN | SRI_O_DOWN)) === 0 &&
      mstime() - master.infoRefresh < this.timing.infoPeriod * 2;
  }

  /** sentinelRefreshInstanceInfo */
  refreshInstanceInfo(ri: Instance, info: string): void {
    let role = 0;
    ri.info = info;
    ri.masterLinkDownTime = 0;
    for (const l of info.split('\r\n')) {
      if (l.length >= 47 && l.startsWith('run_id:')) {
        const id = l.slice(7, 47);
        if (ri.runid === null) ri.runid = id;
        else if (ri.runid !== id) {
          this.event('notice', '+reboot', ri, true);
          if (ri.isMaster && ri.masterRebootDownAfterPeriod !== 0) {
            ri.flags |= SRI_MASTER_REBOOT;
            ri.masterRebootSinceTime = mstime();
          }
          ri.runid = id;
        }
      }
      if (ri.isMaster && l.length >= 7 && l.startsWith('slave') && l[5]! >= '0' && l[5]! <= '9') {
        let ip: string;
        let port: string;
        if (!l.includes('ip=')) {
          const colon = l.indexOf(':');
          if (colon < 0) continue;
          const parts = l.slice(colon + 1).split(',');
          if (parts.length < 3) continue;
          ip = parts[0]!;
          port = parts[1]!;
        } else {
          const i = l.indexOf('ip=');
          const p = l.indexOf('port=');
          if (p < 0) continue;
          ip = l.slice(i + 3).split(',')[0]!;
          port = l.slice(p + 5).split(',')[0]!;
        }
        if (this.lookupSlave(ri, ip, atoi(port)) === null) {
          const slave = this.createInstance(null, SRI_SLAVE, ip, atoi(port), ri.quorum, ri);
          if (typeof slave !== 'string') {
            this.event('notice', '+slave', slave, true);
            this.flushConfig();
          }
        }
      }
      if (l.length >= 32 && l.startsWith('master_link_down_since_seconds')) ri.masterLinkDownTime = strtoll(l.slice(31)) * 1000;
      if (l.startsWith('role:master')) role = SRI_MASTER;
      else if (l.startsWith('role:slave')) role = SRI_SLAVE;
      if (role === SRI_SLAVE) {
        if (l.startsWith('master_host:')) {
          const h = l.slice(12);
          if (ri.slaveMasterHost === null || ri.slaveMasterHost.toLowerCase() !== h.toLowerCase()) {
            ri.slaveMasterHost = h;
            ri.slaveConfChangeTime = mstime();
          }
        }
        if (l.startsWith('master_port:')) {
          const p = atoi(l.slice(12));
          if (ri.slaveMasterPort !== p) { ri.slaveMasterPort = p; ri.slaveConfChangeTime = mstime(); }
        }
        if (l.startsWith('master_link_status:')) ri.slaveMasterLinkStatus = l.slice(19).toLowerCase() === 'up' ? MASTER_LINK_STATUS_UP : MASTER_LINK_STATUS_DOWN;
        if (l.startsWith('slave_priority:')) ri.slavePriority = atoi(l.slice(15));
        if (l.startsWith('slave_repl_offset:')) ri.slaveReplOffset = strtoull(l.slice(18));
        if (l.startsWith('replica_announced:')) ri.replicaAnnounced = atoi(l.slice(18));
      }
    }
    ri.infoRefresh = mstime();

    if (role !== ri.roleReported) {
      ri.roleReportedTime = mstime();
      ri.roleReported = role;
      if (role === SRI_SLAVE) ri.slaveConfChangeTime = mstime();
      this.event('verbose', (ri.flags & (SRI_MASTER | SRI_SLAVE)) === role ? '+role-change' : '-role-change', ri, true,
        ` new reported role is ${role === SRI_MASTER ? 'master' : 'slave'}`);
    }
    if (this.tilt) return;

    // a replica turned master
    if (ri.isSlave && role === SRI_MASTER) {
      const master = ri.master!;
      if ((ri.flags & SRI_PROMOTED) !== 0 && (master.flags & SRI_FAILOVER_IN_PROGRESS) !== 0 && master.failoverState === FAILOVER_STATE_WAIT_PROMOTION) {
        master.configEpoch = master.failoverEpoch;
        master.failoverState = FAILOVER_STATE_RECONF_SLAVES;
        master.failoverStateChangeTime = mstime();
        this.flushConfig();
        this.event('warning', '+promoted-slave', ri, true);
        if ((this.simfailureFlags & SIMFAILURE_CRASH_AFTER_PROMOTION) !== 0) this.simFailureCrash();
        this.event('warning', '+failover-state-reconf-slaves', master, true);
        this.callClientReconfScript(master, LEADER, 'start', master.addr, ri.addr);
        this.forceHelloUpdateForMaster(master);
      } else {
        const waitTime = this.timing.publishPeriod * 4;
        if ((ri.flags & SRI_PROMOTED) === 0 && this.masterLooksSane(master) && this.noDownFor(ri, waitTime) && mstime() - ri.roleReportedTime > waitTime) {
          if (this.sendSlaveOf(ri, master.addr)) this.event('notice', '+convert-to-slave', ri, true);
        }
      }
    }
    // a replica replicating from the wrong master
    if (ri.isSlave && role === SRI_SLAVE && (ri.slaveMasterPort !== ri.master!.addr.port || !this.addrEqualsHostname(ri.master!.addr, ri.slaveMasterHost))) {
      const waitTime = ri.master!.failoverTimeout;
      if (this.masterLooksSane(ri.master!) && this.noDownFor(ri, waitTime) && mstime() - ri.slaveConfChangeTime > waitTime) {
        if (this.sendSlaveOf(ri, ri.master!.addr)) this.event('notice', '+fix-slave-config', ri, true);
      }
    }
    // a replica being reconfigured moved on
    if (ri.isSlave && role === SRI_SLAVE && (ri.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) !== 0) {
      const promoted = ri.master!.promotedSlave;
      if ((ri.flags & SRI_RECONF_SENT) !== 0 && ri.slaveMasterHost !== null && promoted !== null &&
        this.addrEqualsHostname(promoted.addr, ri.slaveMasterHost) && ri.slaveMasterPort === promoted.addr.port) {
        ri.flags &= ~SRI_RECONF_SENT;
        ri.flags |= SRI_RECONF_INPROG;
        this.event('notice', '+slave-reconf-inprog', ri, true);
      }
      if ((ri.flags & SRI_RECONF_INPROG) !== 0 && ri.slaveMasterLinkStatus === MASTER_LINK_STATUS_UP) {
        ri.flags &= ~SRI_RECONF_INPROG;
        ri.flags |= SRI_RECONF_DONE;
        this.event('notice', '+slave-reconf-done', ri, true);
      }
    }
  }

  /** sentinelPingReplyCallback */
  private pingReply(ri: Instance, r: Reply): void {
    const link = ri.link;
    const s = typeof r === 'string' ? r : r instanceof ReplyError ? r.message : null;
    if (s !== null) {
      if (s.startsWith('PONG') || s.startsWith('LOADING') || s.startsWith('MASTERDOWN')) {
        link.lastAvailTime = mstime();
        link.actPingTime = 0;
        if ((ri.flags & SRI_MASTER_REBOOT) !== 0 && s.startsWith('PONG')) ri.flags &= ~SRI_MASTER_REBOOT;
      } else if (s.startsWith('BUSY') && (ri.flags & SRI_S_DOWN) !== 0 && (ri.flags & SRI_SCRIPT_KILL_SENT) === 0) {
        this.command(ri, [ri.mapCommand('SCRIPT'), 'KILL'], null);
        ri.flags |= SRI_SCRIPT_KILL_SENT;
      }
    }
    link.lastPongTime = mstime();
  }

  /** sentinelSendPing */
  sendPing(ri: Instance): boolean {
    const ok = this.command(ri, [ri.mapCommand('PING')], (r) => this.pingReply(ri, r));
    if (ok) {
      ri.link.lastPingTime = mstime();
      if (ri.link.actPingTime === 0) ri.link.actPingTime = ri.link.lastPingTime;
    }
    return ok;
  }

  /** sentinelProcessHelloMessage */
  processHelloMessage(hello: string): void {
    const token = hello.split(',');
    if (token.length !== 8) return;
    const master = this.masters.get(token[4]!);
    if (master === undefined) return;
    const port = atoi(token[1]!);
    const masterPort = atoi(token[6]!);
    let si = this.getByAddrAndRunId(master.sentinels, token[0]!, port, token[2]!);
    const currentEpoch = strtoull(token[3]!);
    const masterConfigEpoch = strtoull(token[7]!);
    if (si === null) {
      const removed = this.removeMatchingSentinel(master, token[2]!);
      if (removed) {
        this.event('notice', '+sentinel-address-switch', master, true, ` ip ${token[0]} port ${port} for ${token[2]}`);
      } else {
        const other = this.getByAddrAndRunId(master.sentinels, token[0]!, port, null);
        if (other !== null) {
          this.event('notice', '+sentinel-invalid-addr', other, true);
          const obsolete = other.runid;
          for (const m of this.masters.values()) this.removeMatchingSentinel(m, obsolete);
        }
      }
      const created = this.createInstance(token[2]!, SRI_SENTINEL, token[0]!, port, master.quorum, master);
      if (typeof created !== 'string') {
        si = created;
        if (!removed) this.event('notice', '+sentinel', si, true);
        si.runid = token[2]!;
        this.tryConnectionSharing(si);
        if (removed) this.updateSentinelAddressInAllMasters(si);
        this.flushConfig();
      }
    }
    if (currentEpoch > this.currentEpoch) {
      this.currentEpoch = currentEpoch;
      this.flushConfig();
      this.event('warning', '+new-epoch', master, false, `${this.currentEpoch}`);
    }
    if (si !== null && master.configEpoch < masterConfigEpoch) {
      master.configEpoch = masterConfigEpoch;
      if (masterPort !== master.addr.port || !this.addrEqualsHostname(master.addr, token[5]!)) {
        this.event('warning', '+config-update-from', si, true);
        this.event('warning', '+switch-master', master, false, `${master.name} ${this.announceAddr(master.addr)} ${master.addr.port} ${token[5]} ${masterPort}`);
        const oldAddr = { ...master.addr };
        this.resetMasterAndChangeAddress(master, token[5]!, masterPort);
        this.callClientReconfScript(master, OBSERVER, 'start', oldAddr, master.addr);
      }
    }
    if (si !== null) si.lastHelloTime = mstime();
  }

  /** sentinelReceiveHelloMessages (every reply of the pub/sub link) */
  private receiveHelloMessages(ri: Instance, r: Reply, c: RespConn): void {
    if (ri.released) return;
    // an error in subscribed context (-NOAUTH, -NOPERM ...): hiredis drops the connection, reconnected later
    if (r instanceof ReplyError) { if (ri.link.pc === c) this.closeConnection(ri.link, c); return; }
    ri.link.pcLastActivity = mstime();
    if (!Array.isArray(r) || r.length !== 3 || typeof r[0] !== 'string' || typeof r[1] !== 'string' || typeof r[2] !== 'string' || r[0] !== 'message') return;
    if (r[2].includes(this.myid)) return;
    this.processHelloMessage(r[2]);
  }

  /** our announced port (sentinelSendHello) */
  private announcedPort(): number {
    if (this.announcePort) return this.announcePort;
    if (this.server.config.bool('tls-replication') && this.server.tlsPort) return this.server.tlsPort;
    return this.server.port;
  }

  /** sentinelSendHello */
  private sendHello(ri: Instance): boolean {
    const master = ri.isMaster ? ri : ri.master!;
    const masterAddr = this.currentMasterAddress(master);
    if (ri.link.disconnected || ri.link.cc === null) return false;
    let ip = this.announceIp;
    if (ip === null) {
      const local = ri.link.cc.localAddress;
      if (local === undefined) return false;
      ip = local.replace(/^::ffff:/, '');
    }
    const payload = `${ip},${this.announcedPort()},${this.myid},${this.currentEpoch},` +
      `${master.name},${this.announceAddr(masterAddr)},${masterAddr.port},${master.configEpoch}`;
    return this.command(ri, [ri.mapCommand('PUBLISH'), HELLO_CHANNEL, payload], (r) => {
      if (!(r instanceof ReplyError)) ri.lastPubTime = mstime();
    });
  }

  private forceHelloUpdateDict(instances: Map<string, Instance>): void {
    for (const ri of instances.values()) {
      if (ri.lastPubTime >= this.timing.publishPeriod + 1) ri.lastPubTime -= this.timing.publishPeriod + 1;
    }
  }

  /** sentinelForceHelloUpdateForMaster */
  forceHelloUpdateForMaster(master: Instance): void {
    if (!master.isMaster) return;
    if (master.lastPubTime >= this.timing.publishPeriod + 1) master.lastPubTime -= this.timing.publishPeriod + 1;
    this.forceHelloUpdateDict(master.sentinels);
    this.forceHelloUpdateDict(master.slaves);
  }

  /** sentinelSendPeriodicCommands */
  private sendPeriodicCommands(ri: Instance): void {
    const now = mstime();
    if (ri.link.disconnected) return;
    if (ri.link.pendingCommands >= MAX_PENDING_COMMANDS * ri.link.refcount) return;
    const infoPeriod = ri.isSlave && ((ri.master!.flags & (SRI_O_DOWN | SRI_FAILOVER_IN_PROGRESS)) !== 0 || ri.masterLinkDownTime !== 0)
      ? 1000 : this.timing.infoPeriod;
    const pingPeriod = Math.min(ri.downAfterPeriod, this.timing.pingPeriod);
    if (!ri.isSentinel && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod)) {
      this.command(ri, [ri.mapCommand('INFO')], (r) => { if (typeof r === 'string') this.refreshInstanceInfo(ri, r); });
    }
    if (now - ri.link.lastPongTime > pingPeriod && now - ri.link.lastPingTime > pingPeriod / 2) this.sendPing(ri);
    if (now - ri.lastPubTime > this.timing.publishPeriod) this.sendHello(ri);
  }

  // ---- availability --------------------------------------------------------------------------------

  /** sentinelCheckSubjectivelyDown */
  private checkSubjectivelyDown(ri: Instance): void {
    const link = ri.link;
    const now = mstime();
    let elapsed = 0;
    if (link.actPingTime) elapsed = now - link.actPingTime;
    else if (link.disconnected) elapsed = now - link.lastAvailTime;
    if (link.cc !== null && now - link.ccConnTime > this.timing.minLinkReconnectPeriod && link.actPingTime !== 0 &&
      now - link.actPingTime > ri.downAfterPeriod / 2 && now - link.lastPongTime > ri.downAfterPeriod / 2) {
      this.closeConnection(link, link.cc);
    }
    if (link.pc !== null && now - link.pcConnTime > this.timing.minLinkReconnectPeriod &&
      now - link.pcLastActivity > this.timing.publishPeriod * 3) {
      this.closeConnection(link, link.pc);
    }
    if (elapsed > ri.downAfterPeriod ||
      (ri.isMaster && ri.roleReported === SRI_SLAVE && now - ri.roleReportedTime > ri.downAfterPeriod + this.timing.infoPeriod * 2) ||
      ((ri.flags & SRI_MASTER_REBOOT) !== 0 && now - ri.masterRebootSinceTime > ri.masterRebootDownAfterPeriod)) {
      if ((ri.flags & SRI_S_DOWN) === 0) {
        this.event('warning', '+sdown', ri, true);
        ri.sDownSinceTime = mstime();
        ri.flags |= SRI_S_DOWN;
      }
    } else if ((ri.flags & SRI_S_DOWN) !== 0) {
      this.event('warning', '-sdown', ri, true);
      ri.flags &= ~(SRI_S_DOWN | SRI_SCRIPT_KILL_SENT);
    }
  }

  /** sentinelCheckObjectivelyDown */
  private checkObjectivelyDown(master: Instance): void {
    let quorum = 0;
    let odown = false;
    if ((master.flags & SRI_S_DOWN) !== 0) {
      quorum = 1;
      for (const ri of master.sentinels.values()) if ((ri.flags & SRI_MASTER_DOWN) !== 0) quorum++;
      if (quorum >= master.quorum) odown = true;
    }
    if (odown) {
      if ((master.flags & SRI_O_DOWN) === 0) {
        this.event('warning', '+odown', master, true, ` #quorum ${quorum}/${master.quorum}`);
        master.flags |= SRI_O_DOWN;
        master.oDownSinceTime = mstime();
      }
    } else if ((master.flags & SRI_O_DOWN) !== 0) {
      this.event('warning', '-odown', master, true);
      master.flags &= ~SRI_O_DOWN;
    }
  }

  /** sentinelReceiveIsMasterDownReply */
  private isMasterDownReply(ri: Instance, r: Reply): void {
    if (!Array.isArray(r) || r.length !== 3 || typeof r[0] !== 'number' || typeof r[1] !== 'string' || typeof r[2] !== 'number') return;
    ri.lastMasterDownReplyTime = mstime();
    if (r[0] === 1) ri.flags |= SRI_MASTER_DOWN;
    else ri.flags &= ~SRI_MASTER_DOWN;
    if (r[1] !== '*') {
      if (ri.leaderEpoch !== r[2]) this.log.warning(`${ri.name} voted for ${r[1]} ${r[2]}`);
      ri.leader = r[1];
      ri.leaderEpoch = r[2];
    }
  }

  /** sentinelAskMasterStateToOtherSentinels */
  private askMasterStateToOtherSentinels(master: Instance, flags: number): void {
    for (const ri of master.sentinels.values()) {
      const elapsed = mstime() - ri.lastMasterDownReplyTime;
      if (elapsed > this.timing.askPeriod * 5) {
        ri.flags &= ~SRI_MASTER_DOWN;
        ri.leader = null;
      }
      if ((master.flags & SRI_S_DOWN) === 0) continue;
      if (ri.link.disconnected) continue;
      if ((flags & ASK_FORCED) === 0 && mstime() - ri.lastMasterDownReplyTime < this.timing.askPeriod) continue;
      this.command(ri, [ri.mapCommand('SENTINEL'), 'is-master-down-by-addr', this.announceAddr(master.addr), String(master.addr.port),
        String(this.currentEpoch), master.failoverState > FAILOVER_STATE_NONE ? this.myid : '*'], (r) => this.isMasterDownReply(ri, r));
    }
  }

  // ---- failover ------------------------------------------------------------------------------------

  /** sentinelSimFailureCrash */
  private simFailureCrash(): void {
    this.log.warning('Sentinel CRASH because of SENTINEL simulate-failure');
    this.crash(99);
  }

  /** sentinelVoteLeader: [leader or null, leader epoch] */
  voteLeader(master: Instance, reqEpoch: number, reqRunid: string): [string | null, number] {
    if (reqEpoch > this.currentEpoch) {
      this.currentEpoch = reqEpoch;
      this.flushConfig();
      this.event('warning', '+new-epoch', master, false, `${this.currentEpoch}`);
    }
    if (master.leaderEpoch < reqEpoch && this.currentEpoch <= reqEpoch) {
      master.leader = reqRunid;
      master.leaderEpoch = this.currentEpoch;
      this.flushConfig();
      this.event('warning', '+vote-for-leader', master, false, `${master.leader} ${master.leaderEpoch}`);
      if (master.leader.toLowerCase() !== this.myid.toLowerCase()) master.failoverStartTime = mstime() + Math.floor(Math.random() * MAX_DESYNC);
    }
    return [master.leader, master.leaderEpoch];
  }

  /** sentinelGetLeader */
  private getLeader(master: Instance, epoch: number): string | null {
    const counters = new Map<string, number>();
    const incr = (id: string): number => { const v = (counters.get(id) ?? 0) + 1; counters.set(id, v); return v; };
    const voters = master.sentinels.size + 1;
    for (const ri of master.sentinels.values()) {
      if (ri.leader !== null && ri.leaderEpoch === this.currentEpoch) incr(ri.leader);
    }
    let winner: string | null = null;
    let maxVotes = 0;
    for (const [id, votes] of counters) if (votes > maxVotes) { maxVotes = votes; winner = id; }
    const [myvote, leaderEpoch] = this.voteLeader(master, epoch, winner ?? this.myid);
    if (myvote !== null && leaderEpoch === epoch) {
      const votes = incr(myvote);
      if (votes > maxVotes) { maxVotes = votes; winner = myvote; }
    }
    const votersQuorum = Math.floor(voters / 2) + 1;
    if (winner !== null && (maxVotes < votersQuorum || maxVotes < master.quorum)) winner = null;
    return winner;
  }

  /**
   * sentinelSendSlaveOf: MULTI, SLAVEOF host port (NO ONE with no address),
   * CONFIG REWRITE, CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC;
   * replies ignored (the next INFO shows the effect).
   */
  sendSlaveOf(ri: Instance, addr: Addr | null): boolean {
    const host = addr === null ? 'NO' : this.announceAddr(addr);
    const port = addr === null ? 'ONE' : String(addr.port);
    if (!this.command(ri, [ri.mapCommand('MULTI')], null)) return false;
    this.command(ri, [ri.mapCommand('SLAVEOF'), host, port], null);
    this.command(ri, [ri.mapCommand('CONFIG'), 'REWRITE'], null);
    this.command(ri, [ri.mapCommand('CLIENT'), 'KILL', 'TYPE', 'normal'], null);
    this.command(ri, [ri.mapCommand('CLIENT'), 'KILL', 'TYPE', 'pubsub'], null);
    this.command(ri, [ri.mapCommand('EXEC')], null);
    return true;
  }

  /** sentinelStartFailover */
  startFailover(master: Instance): void {
    master.failoverState = FAILOVER_STATE_WAIT_START;
    master.flags |= SRI_FAILOVER_IN_PROGRESS;
    master.failoverEpoch = ++this.currentEpoch;
    this.event('warning', '+new-epoch', master, false, `${this.currentEpoch}`);
    this.event('warning', '+try-failover', master, true);
    master.failoverStartTime = mstime() + Math.floor(Math.random() * MAX_DESYNC);
    master.failoverStateChangeTime = mstime();
  }

  /** sentinelStartFailoverIfNeeded */
  private startFailoverIfNeeded(master: Instance): boolean {
    if ((master.flags & SRI_O_DOWN) === 0) return false;
    if ((master.flags & SRI_FAILOVER_IN_PROGRESS) !== 0) return false;
    if (mstime() - master.failoverStartTime < master.failoverTimeout * 2) {
      if (master.failoverDelayLogged !== master.failoverStartTime) {
        const clock = new Date(master.failoverStartTime + master.failoverTimeout * 2);
        master.failoverDelayLogged = master.failoverStartTime;
        this.log.warning(`Next failover delay: I will not start a failover before ${ctime(clock)}`);
      }
      return false;
    }
    this.startFailover(master);
    return true;
  }

  /** sentinelSelectSlave */
  selectSlave(master: Instance): Instance | null {
    const candidates: Instance[] = [];
    let maxMasterDownTime = 0;
    const now = mstime();
    if ((master.flags & SRI_S_DOWN) !== 0) maxMasterDownTime += now - master.sDownSinceTime;
    maxMasterDownTime += master.downAfterPeriod * 10;
    for (const slave of master.slaves.values()) {
      if ((slave.flags & (SRI_S_DOWN | SRI_O_DOWN)) !== 0) continue;
      if (slave.link.disconnected) continue;
      if (now - slave.link.lastAvailTime > this.timing.pingPeriod * 5) continue;
      if (slave.slavePriority === 0) continue;
      const infoValidity = (master.flags & SRI_S_DOWN) !== 0 ? this.timing.pingPeriod * 5 : this.timing.infoPeriod * 3;
      if (now - slave.infoRefresh > infoValidity) continue;
      if (slave.masterLinkDownTime > maxMasterDownTime) continue;
      candidates.push(slave);
    }
    if (candidates.length === 0) return null;
    candidates.sort((a, b) => {
      if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
      if (a.slaveReplOffset > b.slaveReplOffset) return -1;
      if (a.slaveReplOffset < b.slaveReplOffset) return 1;
      if (a.runid === null && b.runid === null) return 0;
      if (a.runid === null) return 1;
      if (b.runid === null) return -1;
      const x = a.runid.toLowerCase();
      const y = b.runid.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return candidates[0]!;
  }

  /** sentinelFailoverWaitStart */
  private failoverWaitStart(ri: Instance): void {
    const leader = this.getLeader(ri, ri.failoverEpoch);
    const isLeader = leader !== null && leader.toLowerCase() === this.myid.toLowerCase();
    if (!isLeader && (ri.flags & SRI_FORCE_FAILOVER) === 0) {
      const electionTimeout = Math.min(this.timing.electionTimeout, ri.failoverTimeout);
      if (mstime() - ri.failoverStartTime > electionTimeout) {
        this.event('warning', '-failover-abort-not-elected', ri, true);
        this.abortFailover(ri);
      }
      return;
    }
    this.event('warning', '+elected-leader', ri, true);
    if ((this.simfailureFlags & SIMFAILURE_CRASH_AFTER_ELECTION) !== 0) this.simFailureCrash();
    ri.failoverState = FAILOVER_STATE_SELECT_SLAVE;
    ri.failoverStateChangeTime = mstime();
    this.event('warning', '+failover-state-select-slave', ri, true);
  }

  /** sentinelFailoverSelectSlave */
  private failoverSelectSlave(ri: Instance): void {
    const slave = this.selectSlave(ri);
    if (slave === null) {
      this.event('warning', '-failover-abort-no-good-slave', ri, true);
      this.abortFailover(ri);
      return;
    }
    this.event('warning', '+selected-slave', slave, true);
    slave.flags |= SRI_PROMOTED;
    ri.promotedSlave = slave;
    ri.failoverState = FAILOVER_STATE_SEND_SLAVEOF_NOONE;
    ri.failoverStateChangeTime = mstime();
    this.event('notice', '+failover-state-send-slaveof-noone', slave, true);
  }

  /** sentinelFailoverSendSlaveOfNoOne */
  private failoverSendSlaveOfNoOne(ri: Instance): void {
    const promoted = ri.promotedSlave!;
    if (promoted.link.disconnected) {
      if (mstime() - ri.failoverStateChangeTime > ri.failoverTimeout) {
        this.event('warning', '-failover-abort-slave-timeout', ri, true);
        this.abortFailover(ri);
      }
      return;
    }
    if (!this.sendSlaveOf(promoted, null)) return;
    this.event('notice', '+failover-state-wait-promotion', promoted, true);
    ri.failoverState = FAILOVER_STATE_WAIT_PROMOTION;
    ri.failoverStateChangeTime = mstime();
  }

  /** sentinelFailoverWaitPromotion */
  private failoverWaitPromotion(ri: Instance): void {
    if (mstime() - ri.failoverStateChangeTime > ri.failoverTimeout) {
      this.event('warning', '-failover-abort-slave-timeout', ri, true);
      this.abortFailover(ri);
    }
  }

  /** sentinelFailoverDetectEnd */
  private failoverDetectEnd(master: Instance): void {
    const elapsed = mstime() - master.failoverStateChangeTime;
    if (master.promotedSlave === null || (master.promotedSlave.flags & SRI_S_DOWN) !== 0) return;
    let notReconfigured = 0;
    let timeout = false;
    for (const slave of master.slaves.values()) {
      if ((slave.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) !== 0) continue;
      if ((slave.flags & SRI_S_DOWN) !== 0) continue;
      notReconfigured++;
    }
    if (elapsed > master.failoverTimeout) {
      notReconfigured = 0;
      timeout = true;
      this.event('warning', '+failover-end-for-timeout', master, true);
    }
    if (notReconfigured === 0) {
      this.event('warning', '+failover-end', master, true);
      master.failoverState = FAILOVER_STATE_UPDATE_CONFIG;
      master.failoverStateChangeTime = mstime();
    }
    if (timeout) {
      for (const slave of master.slaves.values()) {
        if ((slave.flags & (SRI_PROMOTED | SRI_RECONF_DONE | SRI_RECONF_SENT)) !== 0) continue;
        if (slave.link.disconnected) continue;
        if (this.sendSlaveOf(slave, master.promotedSlave.addr)) {
          this.event('notice', '+slave-reconf-sent-be', slave, true);
          slave.flags |= SRI_RECONF_SENT;
        }
      }
    }
  }

  /** sentinelFailoverReconfNextSlave */
  private failoverReconfNextSlave(master: Instance): void {
    let inProgress = 0;
    for (const slave of master.slaves.values()) if ((slave.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) !== 0) inProgress++;
    for (const slave of master.slaves.values()) {
      if (inProgress >= master.parallelSyncs) break;
      if ((slave.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) !== 0) continue;
      if ((slave.flags & SRI_RECONF_SENT) !== 0 && mstime() - slave.slaveReconfSentTime > this.timing.slaveReconfTimeout) {
        this.event('notice', '-slave-reconf-sent-timeout', slave, true);
        slave.flags &= ~SRI_RECONF_SENT;
        slave.flags |= SRI_RECONF_DONE;
      }
      if ((slave.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) !== 0) continue;
      if (slave.link.disconnected) continue;
      if (this.sendSlaveOf(slave, master.promotedSlave!.addr)) {
        slave.flags |= SRI_RECONF_SENT;
        slave.slaveReconfSentTime = mstime();
        this.event('notice', '+slave-reconf-sent', slave, true);
        inProgress++;
      }
    }
    this.failoverDetectEnd(master);
  }

  /** sentinelFailoverSwitchToPromotedSlave */
  private failoverSwitchToPromotedSlave(master: Instance): void {
    const ref = master.promotedSlave ?? master;
    this.event('warning', '+switch-master', master, false, `${master.name} ${this.announceAddr(master.addr)} ${master.addr.port} ${this.announceAddr(ref.addr)} ${ref.addr.port}`);
    this.resetMasterAndChangeAddress(master, ref.addr.hostname, ref.addr.port);
  }

  /** sentinelFailoverStateMachine */
  private failoverStateMachine(ri: Instance): void {
    if ((ri.flags & SRI_FAILOVER_IN_PROGRESS) === 0) return;
    switch (ri.failoverState) {
      case FAILOVER_STATE_WAIT_START: this.failoverWaitStart(ri); break;
      case FAILOVER_STATE_SELECT_SLAVE: this.failoverSelectSlave(ri); break;
      case FAILOVER_STATE_SEND_SLAVEOF_NOONE: this.failoverSendSlaveOfNoOne(ri); break;
      case FAILOVER_STATE_WAIT_PROMOTION: this.failoverWaitPromotion(ri); break;
      case FAILOVER_STATE_RECONF_SLAVES: this.failoverReconfNextSlave(ri); break;
    }
  }

  /** sentinelAbortFailover */
  private abortFailover(ri: Instance): void {
    ri.flags &= ~(SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER);
    ri.failoverState = FAILOVER_STATE_NONE;
    ri.failoverStateChangeTime = mstime();
    if (ri.promotedSlave !== null) {
      ri.promotedSlave.flags &= ~SRI_PROMOTED;
      ri.promotedSlave = null;
    }
  }

  // ---- the timer -----------------------------------------------------------------------------------

  /** sentinelHandleRedisInstance */
  private handleInstance(ri: Instance): void {
    this.reconnectInstance(ri);
    this.sendPeriodicCommands(ri);
    if (this.tilt) {
      if (mstime() - this.tiltStartTime < this.timing.tiltPeriod) return;
      this.tilt = false;
      this.event('warning', '-tilt', null, false, '#tilt mode exited');
    }
    this.checkSubjectivelyDown(ri);
    if (ri.isMaster) {
      this.checkObjectivelyDown(ri);
      if (this.startFailoverIfNeeded(ri)) this.askMasterStateToOtherSentinels(ri, ASK_FORCED);
      this.failoverStateMachine(ri);
      this.askMasterStateToOtherSentinels(ri, 0);
    }
  }

  /** sentinelHandleDictOfRedisInstances */
  private handleDict(instances: Map<string, Instance>): void {
    let switchToPromoted: Instance | null = null;
    for (const ri of [...instances.values()]) {
      if (ri.released) continue;
      this.handleInstance(ri);
      if (ri.isMaster) {
        this.handleDict(ri.slaves);
        this.handleDict(ri.sentinels);
        if (ri.failoverState === FAILOVER_STATE_UPDATE_CONFIG) switchToPromoted = ri;
      }
    }
    if (switchToPromoted !== null) this.failoverSwitchToPromotedSlave(switchToPromoted);
  }

  /** sentinelCheckTiltCondition */
  private checkTiltCondition(): void {
    const now = mstime();
    const delta = now - this.previousTime;
    if (delta < 0 || delta > this.timing.tiltTrigger) {
      this.tilt = true;
      this.tiltStartTime = mstime();
      this.event('warning', '+tilt', null, false, '#tilt mode entered');
    }
    this.previousTime = mstime();
  }

  /** sentinelTimer: one run */
  tick(): void {
    this.checkTiltCondition();
    this.handleDict(this.masters);
    this.runPendingScripts();
    this.collectTerminatedScripts();
    this.killTimedoutScripts();
  }

  /** Start the timer: every 1000/hz ms with hz 10..19 drawn again each run (server.hz = CONFIG_DEFAULT_HZ + rand() % CONFIG_DEFAULT_HZ). */
  start(): void {
    if (this.timer !== null) return;
    this.previousTime = mstime();
    const schedule = (): void => {
      const hz = 10 + Math.floor(Math.random() * 10);
      this.timer = setTimeout(() => {
        try { this.tick(); } catch (e) { this.log.warning(`Sentinel timer error: ${(e as Error).stack ?? String(e)}`); }
        if (this.timer !== null) schedule();
      }, Math.floor(1000 / hz));
    };
    schedule();
  }

  /** Stop the timer, close every link, kill running scripts. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const ri of this.masters.values()) this.releaseInstance(ri);
    for (const sj of this.scriptsQueue) if (sj.running) sj.child?.kill('SIGKILL');
  }

  /** sentinelIsRunning: pick and persist an ID if none, log it, the +monitor events */
  isRunning(): void {
    if (this.myid === '') {
      this.myid = [...crypto.getRandomValues(new Uint8Array(20))].map((b) => b.toString(16).padStart(2, '0')).join('');
      this.flushConfig();
    }
    this.log.warning(`Sentinel ID is ${this.myid}`);
    this.generateInitialMonitorEvents();
  }

  /** sentinelIsQuorumReachable: [usable sentinels, no quorum, no majority] */
  isQuorumReachable(master: Instance): [number, boolean, boolean] {
    let usable = 1;
    const voters = master.sentinels.size + 1;
    for (const ri of master.sentinels.values()) if ((ri.flags & (SRI_S_DOWN | SRI_O_DOWN)) === 0) usable++;
    return [usable, usable < master.quorum, usable < Math.floor(voters / 2) + 1];
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

/** C's atoi: leading whitespace, sign, digits; 0 when none */
export function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  if (m === null) return 0;
  const n = Number(m[1]);
  return Math.max(-2147483648, Math.min(2147483647, n)) | 0;
}

/** strtoull(s, NULL, 10) as a number */
function strtoull(s: string): number {
  const m = /^\s*\+?(\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

function strtoll(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

/** yesnotoi */
export function yesno(s: string): boolean | null {
  const l = s.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : null;
}

/** access(path, X_OK) == 0 */
export function executable(path: string): boolean {
  try { accessSync(path, fsConstants.X_OK); return true; } catch { return false; }
}

/** sdscatrepr: a quoted string with escapes */
export function reprQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime_r without the newline: "Thu Sep  3 12:00:00 2026" */
function ctime(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`;
}

/** anetResolve succeeded (SENTINEL MONITOR's address check) */
export function resolveHostOk(host: string, resolveHostnames: boolean): boolean {
  return resolveHost(host, resolveHostnames) !== null;
}
