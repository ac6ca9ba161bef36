/*
 * What a sentinel answers (redis/src/sentinel.c sentinelCommand,
 * sentinelInfoCommand, sentinelRoleCommand, sentinelPublishCommand,
 * sentinelSetCommand, sentinelConfigGet/SetCommand, and the reply helpers
 * addReplySentinelRedisInstance, addReplyDictOfRedisInstances).
 *
 * SENTINEL is a container, as in Redis 7.0's command table: the dispatcher
 * answers unknown subcommands and wrong arities with Redis's errors; every
 * subcommand runs the one handler below, which re-checks argument counts as
 * sentinelCommand does. Field names and order of the instance replies are
 * Redis's; errors are Redis's strings byte for byte.
 */
import type { Client } from '../server/client.js';
import type { CommandDef, CommandFlag } from '../commands/registry.js';
import { infoString } from '../server/info.js';
import { errArity } from '../protocol/errors.js';
import { globMatch } from '../keyspace/glob.js';
import {
  failoverStateStr, mstime, type Instance, SRI_FAILOVER_IN_PROGRESS, SRI_FORCE_FAILOVER, SRI_MASTER, SRI_MASTER_DOWN,
  SRI_O_DOWN, SRI_PROMOTED, SRI_RECONF_DONE, SRI_RECONF_INPROG, SRI_RECONF_SENT, SRI_SCRIPT_KILL_SENT, SRI_SENTINEL,
  SRI_SLAVE, SRI_S_DOWN, MASTER_LINK_STATUS_UP,
} from './instance.js';
import {
  GENERATE_EVENT, HELLO_CHANNEL, SIMFAILURE_CRASH_AFTER_ELECTION, SIMFAILURE_CRASH_AFTER_PROMOTION, executable, resolveHostOk, yesno,
  type Sentinel, type Timing,
} from './sentinel.js';

export const SENTINEL_HELP = [
  'CKQUORUM <master-name>',
  '    Check if the current Sentinel configuration is able to reach the quorum',
  '    needed to failover a master and the majority needed to authorize the',
  '    failover.',
  'CONFIG SET <param> <value>',
  '    Set a global Sentinel configuration parameter.',
  'CONFIG GET <param>',
  '    Get global Sentinel configuration parameter.',
  'DEBUG [<param> <value> ...]',
  '    Show a list of configurable time parameters and their values (milliseconds).',
  '    Or update current configurable parameters values (one or more).',
  'GET-MASTER-ADDR-BY-NAME <master-name>',
  '    Return the ip and port number of the master with that name.',
  'FAILOVER <master-name>',
  '    Manually failover a master node without asking for agreement from other',
  '    Sentinels',
  'FLUSHCONFIG',
  '    Force Sentinel to rewrite its configuration on disk, including the current',
  '    Sentinel state.',
  'INFO-CACHE <master-name>',
  '    Return last cached INFO output from masters and all its replicas.',
  'IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>',
  '    Check if the master specified by ip:port is down from current Sentinel\'s',
  '    point of view.',
  'MASTER <master-name>',
  '    Show the state and info of the specified master.',
  'MASTERS',
  '    Show a list of monitored masters and their state.',
  'MONITOR <name> <ip> <port> <quorum>',
  '    Start monitoring a new master with the specified name, ip, port and quorum.',
  'MYID',
  '    Return the ID of the Sentinel instance.',
  'PENDING-SCRIPTS',
  '    Get pending scripts information.',
  'REMOVE <master-name>',
  '    Remove master from Sentinel\'s monitor list.',
  'REPLICAS <master-name>',
  '    Show a list of replicas for this master and their state.',
  'RESET <pattern>',
  '    Reset masters for specific master name matching this pattern.',
  'SENTINELS <master-name>',
  '    Show a list of Sentinel instances for this master and their state.',
  'SET <master-name> <option> <value> [<option> <value> ...]',
  '    Set configuration parameters for certain masters.',
  'SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]',
  '    Simulate a Sentinel crash.',
];

const NO_SUCH_MASTER = 'ERR No such master with that name';
const SAVE_FAILED = 'ERR Failed to save config file. Check server logs.';

export function sentinelOf(c: Client): Sentinel {
  return c.server.ext.get('sentinel') as Sentinel;
}

type Field = [string, string | number];

/** addReplySentinelRedisInstance: the fields, in Redis's order */
export function instanceFields(s: Sentinel, ri: Instance): Field[] {
  const now = mstime();
  const f: Field[] = [['name', ri.name], ['ip', s.announceAddr(ri.addr)], ['port', ri.addr.port], ['runid', ri.runid ?? '']];
  const flags: string[] = [];
  if (ri.flags & SRI_S_DOWN) flags.push('s_down');
  if (ri.flags & SRI_O_DOWN) flags.push('o_down');
  if (ri.flags & SRI_MASTER) flags.push('master');
  if (ri.flags & SRI_SLAVE) flags.push('slave');
  if (ri.flags & SRI_SENTINEL) flags.push('sentinel');
  if (ri.link.disconnected) flags.push('disconnected');
  if (ri.flags & SRI_MASTER_DOWN) flags.push('master_down');
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) flags.push('failover_in_progress');
  if (ri.flags & SRI_PROMOTED) flags.push('promoted');
  if (ri.flags & SRI_RECONF_SENT) flags.push('reconf_sent');
  if (ri.flags & SRI_RECONF_INPROG) flags.push('reconf_inprog');
  if (ri.flags & SRI_RECONF_DONE) flags.push('reconf_done');
  if (ri.flags & SRI_FORCE_FAILOVER) flags.push('force_failover');
  if (ri.flags & SRI_SCRIPT_KILL_SENT) flags.push('script_kill_sent');
  f.push(['flags', flags.join(',')], ['link-pending-commands', ri.link.pendingCommands], ['link-refcount', ri.link.refcount]);
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) f.push(['failover-state', failoverStateStr(ri.failoverState)]);
  f.push(['last-ping-sent', ri.link.actPingTime ? now - ri.link.actPingTime : 0], ['last-ok-ping-reply', now - ri.link.lastAvailTime],
    ['last-ping-reply', now - ri.link.lastPongTime]);
  if (ri.flags & SRI_S_DOWN) f.push(['s-down-time', now - ri.sDownSinceTime]);
  if (ri.flags & SRI_O_DOWN) f.push(['o-down-time', now - ri.oDownSinceTime]);
  f.push(['down-after-milliseconds', ri.downAfterPeriod]);
  if (ri.flags & (SRI_MASTER | SRI_SLAVE)) {
    f.push(['info-refresh', ri.infoRefresh ? now - ri.infoRefresh : 0], ['role-reported', ri.roleReported === SRI_MASTER ? 'master' : 'slave'],
      ['role-reported-time', now - ri.roleReportedTime]);
  }
  if (ri.flags & SRI_MASTER) {
    f.push(['config-epoch', ri.configEpoch], ['num-slaves', ri.slaves.size], ['num-other-sentinels', ri.sentinels.size],
      ['quorum', ri.quorum], ['failover-timeout', ri.failoverTimeout], ['parallel-syncs', ri.parallelSyncs]);
    if (ri.notificationScript !== null) f.push(['notification-script', ri.notificationScript]);
    if (ri.clientReconfigScript !== null) f.push(['client-reconfig-script', ri.clientReconfigScript]);
  }
  if (ri.flags & SRI_SLAVE) {
    f.push(['master-link-down-time', ri.masterLinkDownTime], ['master-link-status', ri.slaveMasterLinkStatus === MASTER_LINK_STATUS_UP ? 'ok' : 'err'],
      ['master-host', ri.slaveMasterHost ?? '?'], ['master-port', ri.slaveMasterPort], ['slave-priority', ri.slavePriority],
      ['slave-repl-offset', ri.slaveReplOffset], ['replica-announced', ri.replicaAnnounced]);
  }
  if (ri.flags & SRI_SENTINEL) {
    f.push(['last-hello-message', now - ri.lastHelloTime], ['voted-leader', ri.leader ?? '?'], ['voted-leader-epoch', ri.leaderEpoch]);
  }
  return f;
}

/** numbers go out as bulk strings (addReplyBulkLongLong) */
function replyFields(c: Client, f: readonly Field[]): void {
  c.map(f.length);
  for (const [k, v] of f) { c.bulk(k); c.bulk(String(v)); }
}

/** addReplyDictOfRedisInstances (unannounced replicas left out) */
function replyInstances(c: Client, s: Sentinel, instances: Map<string, Instance>): void {
  const list = [...instances.values()].filter((ri) => !((ri.flags & SRI_SLAVE) && !ri.replicaAnnounced));
  c.array(list.length);
  for (const ri of list) replyFields(c, instanceFields(s, ri));
}

function masterOrReply(c: Client, s: Sentinel, name: string): Instance | null {
  const ri = s.masters.get(name);
  if (ri === undefined) { c.error(NO_SUCH_MASTER); return null; }
  return ri;
}

/** sentinelFlushConfigAndReply */
function flushAndReply(c: Client, s: Sentinel): void {
  if (s.flushConfig()) c.ok();
  else c.error(SAVE_FAILED);
}

/** getLongLongFromObject: a strict decimal integer, or null */
function parseLL(v: string): number | null {
  if (!/^-?(0|[1-9]\d*)$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

const DEBUG_PARAMS: [string, keyof Timing][] = [
  ['info-period', 'infoPeriod'], ['ping-period', 'pingPeriod'], ['ask-period', 'askPeriod'], ['publish-period', 'publishPeriod'],
  ['default-down-after', 'defaultDownAfter'], ['default-failover-timeout', 'defaultFailoverTimeout'], ['tilt-trigger', 'tiltTrigger'],
  ['tilt-period', 'tiltPeriod'], ['slave-reconf-timeout', 'slaveReconfTimeout'], ['min-link-reconnect-period', 'minLinkReconnectPeriod'],
  ['election-timeout', 'electionTimeout'], ['script-max-runtime', 'scriptMaxRuntime'], ['script-retry-delay', 'scriptRetryDelay'],
];
/** the order of addReplySentinelDebugInfo */
const DEBUG_ORDER = ['info-period', 'ping-period', 'ask-period', 'publish-period', 'default-down-after', 'default-failover-timeout',
  'tilt-trigger', 'tilt-period', 'slave-reconf-timeout', 'min-link-reconnect-period', 'election-timeout', 'script-max-runtime', 'script-retry-delay'];

function debugCommand(c: Client, s: Sentinel, argv: string[]): void {
  if (argv.length === 2) {
    c.map(DEBUG_ORDER.length);
    for (const name of DEBUG_ORDER) {
      const key = DEBUG_PARAMS.find(([n]) => n === name)![1];
      c.bulk(name.toUpperCase()); c.bulk(String(s.timing[key]));
    }
    return;
  }
  for (let j = 2; j < argv.length; j++) {
    const option = argv[j]!;
    const more = argv.length - 1 - j;
    const p = DEBUG_PARAMS.find(([n]) => n === option.toLowerCase());
    if (p === undefined || more <= 0) { c.error(`ERR Unknown option or number of arguments for SENTINEL DEBUG '${option}'`); return; }
    const v = parseLL(argv[++j]!);
    if (v === null || v <= 0) { c.error(`ERR Invalid argument '${argv[j]}' for SENTINEL DEBUG '${option}'`); return; }
    s.timing[p[1]] = v;
  }
  c.ok();
}

/** sentinelSetCommand */
function setCommand(c: Client, s: Sentinel, argv: string[]): void {
  const ri = masterOrReply(c, s, argv[2]!);
  if (ri === null) return;
  let changes = 0;
  const badfmt = (j: number, option: string): void => {
    c.error(`ERR Invalid argument '${argv[j]}' for SENTINEL SET '${option}'`);
    if (changes) s.flushConfig();
  };
  const seterr = (msg: string): void => {
    c.error(msg);
    if (changes) s.flushConfig();
  };
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const option = argv[j]!;
    const o = option.toLowerCase();
    const oldJ = j;
    let redacted = false;
    if (o === 'down-after-milliseconds' && more > 0) {
      const ll = parseLL(argv[++j]!);
      if (ll === null || ll <= 0) { badfmt(j, option); return; }
      ri.downAfterPeriod = ll;
      s.propagateDownAfterPeriod(ri);
    } else if (o === 'failover-timeout' && more > 0) {
      const ll = parseLL(argv[++j]!);
      if (ll === null || ll <= 0) { badfmt(j, option); return; }
      ri.failoverTimeout = ll;
    } else if (o === 'parallel-syncs' && more > 0) {
      const ll = parseLL(argv[++j]!);
      if (ll === null || ll <= 0) { badfmt(j, option); return; }
      ri.parallelSyncs = ll;
    } else if ((o === 'notification-script' || o === 'client-reconfig-script') && more > 0) {
      const value = argv[++j]!;
      if (s.denyScriptsReconfig) {
        seterr('ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration');
        return;
      }
      if (value.length && !executable(value)) {
        seterr(o === 'notification-script' ? 'ERR Notification script seems non existing or non executable'
          : 'ERR Client reconfiguration script seems non existing or non executable');
        return;
      }
      if (o === 'notification-script') ri.notificationScript = value.length ? value : null;
      else ri.clientReconfigScript = value.length ? value : null;
    } else if (o === 'auth-pass' && more > 0) {
      const value = argv[++j]!;
      ri.authPass = value.length ? value : null;
      s.dropInstanceConnections(ri);
      redacted = true;
    } else if (o === 'auth-user' && more > 0) {
      const value = argv[++j]!;
      ri.authUser = value.length ? value : null;
      s.dropInstanceConnections(ri);
    } else if (o === 'quorum' && more > 0) {
      const ll = parseLL(argv[++j]!);
      if (ll === null || ll <= 0) { badfmt(j, option); return; }
      ri.quorum = ll;
    } else if (o === 'rename-command' && more > 1) {
      const oldname = argv[++j]!;
      const newname = argv[++j]!;
      if (oldname.length === 0 || newname.length === 0) { badfmt(newname.length ? j - 1 : j, option); return; }
      ri.renamedCommands.delete(oldname.toLowerCase());
      ri.renamedNames.delete(oldname.toLowerCase());
      if (oldname.toLowerCase() !== newname.toLowerCase()) {
        ri.renamedCommands.set(oldname.toLowerCase(), newname);
        ri.renamedNames.set(oldname.toLowerCase(), oldname);
      }
    } else if (o === 'master-reboot-down-after-period' && more > 0) {
      const ll = parseLL(argv[++j]!);
      if (ll === null || ll < 0) { badfmt(j, option); return; }
      ri.masterRebootDownAfterPeriod = ll;
    } else {
      seterr(`ERR Unknown option or number of arguments for SENTINEL SET '${option}'`);
      return;
    }
    changes++;
    const n = j - oldJ + 1;
    if (n === 2) s.event('warning', '+set', ri, true, ` ${argv[oldJ]} ${redacted ? '******' : argv[oldJ + 1]}`);
    else if (n === 3) s.event('warning', '+set', ri, true, ` ${argv[oldJ]} ${argv[oldJ + 1]} ${argv[oldJ + 2]}`);
    else s.event('warning', '+set', ri, true, ` ${argv[oldJ]}`);
  }
  if (changes) flushAndReply(c, s);
}

function configCommand(c: Client, s: Sentinel, argv: string[]): void {
  const sub = argv[2]!.toLowerCase();
  if (sub === 'set' && argv.length === 5) {
    const o = argv[3]!;
    const val = argv[4]!;
    const badfmt = (): void => c.error(`ERR Invalid value '${val}' to SENTINEL CONFIG SET '${o}'`);
    let dropConns = false;
    switch (o.toLowerCase()) {
      case 'resolve-hostnames': { const v = yesno(val); if (v === null) { badfmt(); return; } s.resolveHostnames = v; break; }
      case 'announce-hostnames': { const v = yesno(val); if (v === null) { badfmt(); return; } s.announceHostnames = v; break; }
      case 'announce-ip': s.announceIp = val; break;
      case 'announce-port': { const v = parseLL(val); if (v === null || v < 0 || v > 65535) { badfmt(); return; } s.announcePort = v; break; }
      case 'sentinel-user': s.sentinelAuthUser = val.length === 0 ? null : val; dropConns = true; break;
      case 'sentinel-pass': s.sentinelAuthPass = val.length === 0 ? null : val; dropConns = true; break;
      default: c.error(`ERR Invalid argument '${o}' to SENTINEL CONFIG SET`); return;
    }
    flushAndReply(c, s);
    if (dropConns) s.dropConnections();
  } else if (sub === 'get' && argv.length === 4) {
    const pattern = argv[3]!;
    const out: [string, string][] = [];
    const add = (name: string, v: string): void => { if (globMatch(pattern, name, true)) out.push([name, v]); };
    add('resolve-hostnames', s.resolveHostnames ? 'yes' : 'no');
    add('announce-hostnames', s.announceHostnames ? 'yes' : 'no');
    add('announce-ip', s.announceIp ?? '');
    add('announce-port', String(s.announcePort));
    add('sentinel-user', s.sentinelAuthUser ?? '');
    add('sentinel-pass', s.sentinelAuthPass ?? '');
    c.map(out.length);
    for (const [k, v] of out) { c.bulk(k); c.bulk(v); }
  } else {
    c.error('ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.');
  }
}

/** sentinelCommand */
function sentinelCommand(c: Client, argv: string[]): void {
  const s = sentinelOf(c);
  const sub = argv[1]!.toLowerCase();
  const argc = argv.length;
  const arity = (): void => c.error(errArity(`sentinel|${sub}`));
  switch (sub) {
    case 'help':
      if (argc !== 2) { arity(); return; }
      c.help('SENTINEL', SENTINEL_HELP);
      return;
    case 'masters':
      if (argc !== 2) { arity(); return; }
      replyInstances(c, s, s.masters);
      return;
    case 'master': {
      if (argc !== 3) { arity(); return; }
      const ri = masterOrReply(c, s, argv[2]!);
      if (ri !== null) replyFields(c, instanceFields(s, ri));
      return;
    }
    case 'slaves': case 'replicas': case 'sentinels': {
      if (argc !== 3) { arity(); return; }
      const ri = masterOrReply(c, s, argv[2]!);
      if (ri !== null) replyInstances(c, s, sub === 'sentinels' ? ri.sentinels : ri.slaves);
      return;
    }
    case 'myid':
      if (argc !== 2) { c.error(`ERR unknown subcommand '${argv[1]}'. Try SENTINEL HELP.`); return; }
      c.bulk(s.myid);
      return;
    case 'is-master-down-by-addr': {
      if (argc !== 6) { arity(); return; }
      const port = parseLL(argv[3]!);
      const reqEpoch = parseLL(argv[4]!);
      if (port === null || reqEpoch === null) { c.error('ERR value is not an integer or out of range'); return; }
      const ri = s.getByAddrAndRunId(s.masters, argv[2]!, port, null);
      const isdown = !s.tilt && ri !== null && (ri.flags & SRI_S_DOWN) !== 0 && ri.isMaster;
      let leader: string | null = null;
      let leaderEpoch = 0;
      if (ri !== null && ri.isMaster && argv[5]! !== '*') [leader, leaderEpoch] = s.voteLeader(ri, reqEpoch, argv[5]!);
      c.array(3);
      c.int(isdown ? 1 : 0);
      c.bulk(leader ?? '*');
      c.int(leaderEpoch);
      return;
    }
    case 'reset':
      if (argc !== 3) { arity(); return; }
      c.int(s.resetMastersByPattern(argv[2]!, GENERATE_EVENT));
      return;
    case 'get-master-addr-by-name': {
      if (argc !== 3) { arity(); return; }
      const ri = s.masters.get(argv[2]!);
      if (ri === undefined) { c.nullArray(); return; }
      const addr = s.currentMasterAddress(ri);
      c.array(2);
      c.bulk(s.announceAddr(addr));
      c.bulk(String(addr.port));
      return;
    }
    case 'failover': {
      if (argc !== 3) { arity(); return; }
      const ri = masterOrReply(c, s, argv[2]!);
      if (ri === null) return;
      if (ri.flags & SRI_FAILOVER_IN_PROGRESS) { c.error('INPROG Failover already in progress'); return; }
      if (s.selectSlave(ri) === null) { c.error('NOGOODSLAVE No suitable replica to promote'); return; }
      c.server.log.warning(`Executing user requested FAILOVER of '${ri.name}'`);
      s.startFailover(ri);
      ri.flags |= SRI_FORCE_FAILOVER;
      c.ok();
      return;
    }
    case 'pending-scripts': {
      if (argc !== 2) { arity(); return; }
      const now = mstime();
      c.array(s.scriptsQueue.length);
      for (const sj of s.scriptsQueue) {
        c.map(5);
        c.bulk('argv'); c.bulks(sj.argv);
        c.bulk('flags'); c.bulk(sj.running ? 'running' : 'scheduled');
        c.bulk('pid'); c.bulk(String(sj.pid));
        if (sj.running) { c.bulk('run-time'); c.bulk(String(now - sj.startTime)); }
        else { c.bulk('run-delay'); c.bulk(String(Math.max(0, sj.startTime ? sj.startTime - now : 0))); }
        c.bulk('retry-num'); c.bulk(String(sj.retryNum));
      }
      return;
    }
    case 'monitor': {
      if (argc !== 6) { arity(); return; }
      const quorum = parseLL(argv[5]!);
      if (quorum === null) { c.error('ERR Invalid quorum'); return; }
      const port = parseLL(argv[4]!);
      if (port === null) { c.error('ERR Invalid port'); return; }
      if (quorum <= 0) { c.error('ERR Quorum must be 1 or greater.'); return; }
      if (!resolveHostOk(argv[3]!, s.resolveHostnames)) { c.error('ERR Invalid IP address or hostname specified'); return; }
      const ri = s.createInstance(argv[2]!, SRI_MASTER, argv[3]!, port, quorum, null);
      if (typeof ri === 'string') { c.error(`ERR ${s.createErrorText(SRI_MASTER, ri)}`); return; }
      flushAndReply(c, s);
      s.event('warning', '+monitor', ri, true, ` quorum ${ri.quorum}`);
      return;
    }
    case 'flushconfig':
      if (argc !== 2) { arity(); return; }
      flushAndReply(c, s);
      return;
    case 'remove': {
      if (argc !== 3) { arity(); return; }
      const ri = masterOrReply(c, s, argv[2]!);
      if (ri === null) return;
      s.event('warning', '-monitor', ri, true);
      s.masters.delete(argv[2]!);
      s.releaseInstance(ri);
      flushAndReply(c, s);
      return;
    }
    case 'ckquorum': {
      if (argc !== 3) { arity(); return; }
      const ri = masterOrReply(c, s, argv[2]!);
      if (ri === null) return;
      const [usable, noQuorum, noAuth] = s.isQuorumReachable(ri);
      if (!noQuorum && !noAuth) {
        c.simple(`OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`);
      } else {
        let e = `NOQUORUM ${usable} usable Sentinels. `;
        if (noQuorum) e += 'Not enough available Sentinels to reach the specified quorum for this master';
        if (noAuth) {
          if (noQuorum) e += '. ';
          e += 'Not enough available Sentinels to reach the majority and authorize a failover';
        }
        c.error(e);
      }
      return;
    }
    case 'set':
      setCommand(c, s, argv);
      return;
    case 'config':
      if (argc < 3) { arity(); return; }
      configCommand(c, s, argv);
      return;
    case 'info-cache': {
      const now = mstime();
      let masters = [...s.masters.values()];
      if (argc > 2) {
        const picked = new Map<string, Instance>();
        for (const name of argv.slice(2)) { const ri = s.masters.get(name); if (ri !== undefined) picked.set(ri.name, ri); }
        masters = [...picked.values()];
      }
      c.array(masters.length * 2);
      for (const ri of masters) {
        c.bulk(ri.name);
        c.array(ri.slaves.size + 1);
        c.array(2);
        c.int(ri.infoRefresh ? now - ri.infoRefresh : 0);
        c.bulkOrNull(ri.info);
        for (const sri of ri.slaves.values()) {
          c.array(2);
          c.int(ri.infoRefresh ? now - sri.infoRefresh : 0);
          c.bulkOrNull(sri.info);
        }
      }
      return;
    }
    case 'simulate-failure': {
      s.simfailureFlags = 0;
      for (let j = 2; j < argc; j++) {
        const a = argv[j]!.toLowerCase();
        if (a === 'crash-after-election') {
          s.simfailureFlags |= SIMFAILURE_CRASH_AFTER_ELECTION;
          c.server.log.warning('Failure simulation: this Sentinel will crash after being successfully elected as failover leader');
        } else if (a === 'crash-after-promotion') {
          s.simfailureFlags |= SIMFAILURE_CRASH_AFTER_PROMOTION;
          c.server.log.warning('Failure simulation: this Sentinel will crash after promoting the selected replica to master');
        } else if (a === 'help') {
          c.bulks(['crash-after-election', 'crash-after-promotion']);
          return;
        } else {
          c.error('ERR Unknown failure simulation specified');
          return;
        }
      }
      c.ok();
      return;
    }
    case 'debug':
      debugCommand(c, s, argv);
      return;
    default:
      c.error(`ERR unknown subcommand '${argv[1]}'. Try SENTINEL HELP.`);
  }
}

const SUB_FLAGS: readonly CommandFlag[] = ['admin', 'sentinel', 'only_sentinel'];

function sub(name: string, arity: number, summary: string, since: string, flags: readonly CommandFlag[] = SUB_FLAGS): CommandDef {
  return { name, group: 'sentinel', summary, since, arity, flags, handler: sentinelCommand };
}

/** SENTINEL and its subcommands as Redis 7.0's command table declares them */
export const SENTINEL = {
  name: 'sentinel', group: 'sentinel', summary: 'A container for Sentinel commands', since: '2.8.4',
  complexity: 'Depends on subcommand.', arity: -2, flags: ['admin', 'sentinel', 'only_sentinel'],
  subcommands: [
    sub('ckquorum', 3, 'Check for a Sentinel quorum', '2.8.4'),
    sub('config', -3, 'Configure Sentinel', '6.2.0'),
    sub('debug', -2, 'List or update the current configurable parameters', '7.0.0'),
    sub('failover', 3, 'Force a failover', '2.8.4'),
    sub('flushconfig', 2, 'Rewrite configuration file', '2.8.4'),
    sub('get-master-addr-by-name', 3, 'Get port and address of a master', '2.8.4'),
    sub('help', 2, 'Show helpful text about the different subcommands', '6.2.0', ['loading', 'stale', 'sentinel', 'only_sentinel']),
    sub('info-cache', -3, 'Get cached INFO from the instances in the deployment', '3.2.0'),
    sub('is-master-down-by-addr', 6, 'Check if a master is down', '2.8.4'),
    sub('master', 3, 'Shows the state of a master', '2.8.4'),
    sub('masters', 2, 'List the monitored masters', '2.8.4'),
    sub('monitor', 6, 'Start monitoring', '2.8.4'),
    sub('myid', 2, 'Get the Sentinel instance ID', '6.2.0'),
    sub('pending-scripts', 2, 'Get information about pending scripts', '2.8.4'),
    sub('remove', 3, 'Stop monitoring', '2.8.4'),
    sub('replicas', 3, 'List the monitored replicas', '5.0.0'),
    sub('reset', 3, 'Reset masters by name pattern', '2.8.4'),
    sub('sentinels', 3, 'List the Sentinel instances', '2.8.4'),
    sub('set', -5, 'Change the configuration of a monitored master', '2.8.4'),
    sub('simulate-failure', -3, 'Simulate failover scenarios', '3.2.0'),
    sub('slaves', 3, 'List the monitored slaves', '2.8.0'),
  ],
} as const satisfies CommandDef;

const SENTINEL_INFO_SECTIONS = ['server', 'clients', 'cpu', 'stats'];

/** sentinelInfoCommand: server, clients, cpu, stats and the Sentinel section; a bulk string even in RESP3 */
export function sentinelInfo(c: Client, args: readonly string[]): void {
  const s = sentinelOf(c);
  const wanted = new Set<string>();
  let all = false;
  if (args.length === 0) { for (const x of SENTINEL_INFO_SECTIONS) wanted.add(x); wanted.add('sentinel'); }
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'default') { for (const x of SENTINEL_INFO_SECTIONS) wanted.add(x); wanted.add('sentinel'); }
    else if (l === 'all' || l === 'everything') all = true;
    else wanted.add(l);
  }
  const sections = all ? SENTINEL_INFO_SECTIONS : SENTINEL_INFO_SECTIONS.filter((x) => wanted.has(x));
  let info = sections.length > 0 ? infoString(c.server, sections) : '';
  if (all || wanted.has('sentinel')) {
    if (info.length) info += '\r\n';
    info += '# Sentinel\r\n' +
      `sentinel_masters:${s.masters.size}\r\n` +
      `sentinel_tilt:${s.tilt ? 1 : 0}\r\n` +
      `sentinel_tilt_since_seconds:${s.tilt ? Math.floor((mstime() - s.tiltStartTime) / 1000) : -1}\r\n` +
      `sentinel_running_scripts:${s.runningScripts}\r\n` +
      `sentinel_scripts_queue_length:${s.scriptsQueue.length}\r\n` +
      `sentinel_simulate_failure_flags:${s.simfailureFlags}\r\n`;
    let id = 0;
    for (const ri of s.masters.values()) {
      const status = ri.flags & SRI_O_DOWN ? 'odown' : ri.flags & SRI_S_DOWN ? 'sdown' : 'ok';
      info += `master${id++}:name=${ri.name},status=${status},address=${s.announceAddr(ri.addr)}:${ri.addr.port},` +
        `slaves=${ri.slaves.size},sentinels=${ri.sentinels.size + 1}\r\n`;
    }
  }
  c.bulk(info);
}

/** sentinelRoleCommand */
export function sentinelRole(c: Client): void {
  const s = sentinelOf(c);
  c.array(2);
  c.bulk('sentinel');
  c.bulks([...s.masters.keys()]);
}

/** sentinelPublishCommand: only hello messages, processed as if received on a link */
export function sentinelPublish(c: Client, argv: string[]): void {
  if (argv[1] !== HELLO_CHANNEL) { c.error('ERR Only HELLO messages are accepted by Sentinel instances.'); return; }
  sentinelOf(c).processHelloMessage(argv[2]!);
  c.int(1);
}
