/*
 * Redis Cluster mode (cluster-enabled yes), following redis/src/cluster.c.
 *
 * installCluster plugs the cluster into the server's hooks, as replication
 * does: the CLUSTER / READONLY / READWRITE / ASKING commands, the redirect
 * check dispatch runs before a keyed command (server.clusterCheck:
 * getNodeByQuery + clusterRedirectClient), the bus listener and nodes.conf at
 * start (clusterInit: lock, load or create, listen on port+10000), the 100 ms
 * cron, INFO's cluster section, PUBLISH / SPUBLISH over the bus. The state
 * machine itself is state.ts; the server is reached only through the
 * ClusterHost made here.
 *
 * Invariants: db 0 only (SELECT of another db is refused elsewhere); a keyed
 * command runs here only if this node serves all its keys' (single) slot, or
 * the slot is being imported and the client said ASKING, or it is a read on
 * a replica of the slot's master by a READONLY client; the master link and
 * the AOF are never redirected.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startupError, type Server } from '../server/server.js';
import type { Client } from '../server/client.js';
import type { Command } from '../commands/registry.js';
import { keyPositions } from '../commands/registry.js';
import { keyHashSlot } from '../keyspace/hashslot.js';
import { NOTIFY_GENERIC } from '../keyspace/notify.js';
import { emptyDbs } from '../commands/generic/flush.js';
import { pauseClients, unpauseClients } from '../commands/connection/pause.js';
import { publish, pubsubOf, spublish, unsubscribeShard } from '../server/pubsub.js';
import { replicationOf, setMaster, unsetMaster } from '../replication/index.js';
import { transactionsOf } from '../server/multi.js';
import { clientOptions, listenerOptions } from '../server/tls.js';
import { setInfoFields } from '../server/info.js';
import { ClusterState, CLUSTER_OK, type ClusterHost } from './state.js';
import { ConfigError, loadConfig, lockConfig, saveConfig } from './config-file.js';
import { clusterCommands, preferredEndpoint, usePport } from './commands.js';
import { NODE_NOFAILOVER, type ClusterNode } from './node.js';

export { ClusterState } from './state.js';

const SHARD_COMMANDS = new Set(['ssubscribe', 'sunsubscribe', 'spublish']);

export function clusterOf(server: Server): ClusterState | null {
  return (server.ext.get('cluster') as ClusterState | undefined) ?? null;
}

function makeHost(server: Server): ClusterHost {
  const cfg = server.config;
  const confPath = (): string => path.resolve(cfg.str('dir'), cfg.str('cluster-config-file'));
  return {
    log: server.log,
    cfgNum: (n) => cfg.num(n),
    cfgBool: (n) => cfg.bool(n),
    cfgStr: (n) => String(cfg.str(n) ?? ''),
    ports: () => ({ port: server.port, tlsPort: server.tlsPort }),
    bindHost: () => server.bindHost(),
    replOffset: () => replicationOf(server).stream.offset,
    replicaOffset: () => replicationOf(server).replicaOffset(),
    masterDataAgeMs: () => replicationOf(server).masterDataAgeMs(),
    setMaster: (ip, port) => { if (server.masterhost !== ip || server.masterport !== port) setMaster(server, ip, port); },
    unsetMaster: () => unsetMaster(server),
    isReplicating: () => server.masterhost !== null,
    flushAll: () => { emptyDbs({ server, db: server.dbs[0]! } as unknown as Client, server.dbs); },
    countKeysInSlot: (slot) => server.dbs[0]!.countInSlot(slot),
    keysInSlot: (slot, max) => server.dbs[0]!.keysInSlot(slot, max),
    delKeysInSlot: (slot) => {
      // delKeysInSlot: each key deleted through the write path (events, WATCH, DEL propagated)
      const db = server.dbs[0]!;
      const keys = db.keysInSlot(slot, db.countInSlot(slot));
      for (const key of keys) {
        db.delete(key);
        server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'del');
        server.recorder.propagate(0, ['DEL', key]);
      }
      server.recorder.flush();
      return keys.length;
    },
    dbsWithKeysBeyond0: () => server.dbs.some((d) => d.id !== 0 && d.size > 0),
    keysInDb0: () => server.dbs[0]!.size,
    pauseWrites: (until) => pauseClients(server, until, true),
    unpause: () => unpauseClients(server),
    deliverPublish: (channel, message, sharded) => { if (sharded) spublish(server, channel, message); else publish(server, channel, message); },
    hasSubscribers: (sharded) => {
      const ps = pubsubOf(server);
      return sharded ? ps.shardChannels.size > 0 : ps.channels.size > 0 || ps.patterns.size > 0;
    },
    removeShardChannelsInSlot: (slot) => {
      const ps = pubsubOf(server);
      for (const [channel, clients] of [...ps.shardChannels]) {
        if (keyHashSlot(channel) !== slot) continue;
        for (const c of [...clients]) unsubscribeShard(c, channel, true);
      }
    },
    busTls: () => {
      if (!cfg.bool('tls-cluster') || server.tls === null) return null;
      const t = server.tls;
      return { listen: listenerOptions(t, 'yes'), connect: (host, port) => clientOptions(t, host, port) };
    },
    saveConfigFile: (text, fsync) => {
      try {
        saveConfig(confPath(), text, fsync);
      } catch (e) {
        server.log.warning('Fatal: can\'t update cluster config file.');
        throw e;
      }
    },
  };
}

/** the outcome of getNodeByQuery (CLUSTER_REDIR_*) */
type Redir = 'none' | 'crossslot' | 'unstable' | 'ask' | 'moved' | 'down' | 'down_ro' | 'down_unbound';
interface Route { code: Redir; slot: number; node: ClusterNode | null }

/**
 * getNodeByQuery: where the command (or EXEC's queue) can run. `asking` and
 * `readonly` are the client's ASKING / READONLY flags.
 */
function route(server: Server, cl: ClusterState, cmds: { cmd: Command; argv: string[] }[], top: Command, topArgv: string[], asking: boolean, readonly: boolean): Route {
  const me = cl.myself;
  const db = server.dbs[0]!;
  let firstKey: string | null = null;
  let slot = -1;
  let n: ClusterNode | null = null;
  let multipleKeys = false;
  let migrating = false;
  let importing = false;
  let missing = 0;
  let existing = 0;
  const pubsubShard = SHARD_COMMANDS.has(top.name);
  let anyWrite = false;
  for (const { cmd: mc, argv: ma } of cmds) {
    const positions = SHARD_COMMANDS.has(mc.name) ? (mc.name === 'spublish' ? [1] : ma.map((_, i) => i).slice(1)) : keyPositions(mc, ma);
    if (isWriteCmd(server, mc, ma)) anyWrite = true;
    for (const pos of positions) {
      const key = ma[pos]!;
      const ks = keyHashSlot(key);
      if (firstKey === null) {
        firstKey = key;
        slot = ks;
        n = cl.slots[slot]!;
        if (n === null) return { code: 'down_unbound', slot, node: null };
        if (n === me && cl.migrating[slot] !== null) migrating = true;
        else if (cl.importing[slot] !== null) importing = true;
      } else if (key !== firstKey) {
        if (ks !== slot) return { code: 'crossslot', slot, node: null };
        multipleKeys = true;
      }
      if ((migrating || importing) && !pubsubShard) {
        const exp = db.expires.size > 0 ? db.getExpire(key) : -1;
        if (db.hint(key) === undefined || (exp >= 0 && exp <= server.now)) missing++; else existing++;
      }
    }
  }
  if (n === null) return { code: 'none', slot: -1, node: me };
  const isWrite = top.name === 'exec' ? anyWrite : isWriteCmd(server, top, topArgv);
  if (cl.state !== CLUSTER_OK) {
    if (pubsubShard) {
      if (!server.config.bool('cluster-allow-pubsubshard-when-down')) return { code: 'down', slot, node: null };
    } else if (!server.config.bool('cluster-allow-reads-when-down')) {
      return { code: 'down', slot, node: null };
    } else if (isWrite) {
      return { code: 'down_ro', slot, node: null };
    }
  }
  if ((migrating || importing) && top.name === 'migrate') return { code: 'none', slot, node: me };
  if (migrating && missing > 0) {
    if (existing > 0) return { code: 'unstable', slot, node: null };
    return { code: 'ask', slot, node: cl.migrating[slot]! };
  }
  if (importing && (asking || top.flags.has('asking'))) {
    if (multipleKeys && missing > 0) return { code: 'unstable', slot, node: null };
    return { code: 'none', slot, node: me };
  }
  if ((readonly || pubsubShard) && !isWrite && me.isSlave && me.slaveof === n) return { code: 'none', slot, node: me };
  if (n !== me) return { code: 'moved', slot, node: n };
  return { code: 'none', slot, node: me };
}

/** processCommand's cluster redirect: null to run here, else the error line (clusterRedirectClient) */
function redirect(server: Server, cl: ClusterState, c: Client, cmd: Command, argv: string[]): string | null {
  c.slot = -1;
  if (c.isMaster || c.isScript) return null;
  // the common case first, with no allocation: keys in one plain range (GET, SET, MGET ...) all in one slot this
  // node serves, no slot of ours migrating or importing, the cluster ok. Anything else: route() decides.
  const w = cmd.warm;
  if (w !== null && cl.state === CLUSTER_OK && cmd.def.keySpecs!.length === 1 && cmd.def.getKeys === undefined) {
    const argc = argv.length;
    const last = Math.min(w[1] >= 0 ? w[0] + w[1] : argc + w[1], argc - 1);
    let slot = -1;
    for (let i = w[0]; i <= last; i += w[2]) {
      const ks = keyHashSlot(argv[i]!);
      if (slot === -1) slot = ks;
      else if (ks !== slot) { slot = -2; break; }
    }
    if (slot >= 0) {
      const owner = cl.slots[slot];
      if (owner === cl.myself && cl.migrating[slot] === null && cl.importing[slot] === null) {
        c.slot = slot;
        return null;
      }
      // one key of a slot being imported, under ASKING (a resharding's RESTORE-ASKING): route() says 'none'
      // whether the key is here or not
      if (owner !== null && cl.importing[slot] !== null && last === w[0] && (c.asking || cmd.flags.has('asking')) &&
        !(owner === cl.myself && cl.migrating[slot] !== null)) {
        c.slot = slot;
        return null;
      }
    }
  }
  let cmds: { cmd: Command; argv: string[] }[];
  if (cmd.name === 'exec') {
    if (!c.inMulti) return null;
    cmds = transactionsOf(server).queued(c);
  } else {
    if (cmd.def.keySpecs === undefined && cmd.def.getKeys === undefined) return null;
    cmds = [{ cmd, argv }];
  }
  const r = route(server, cl, cmds, cmd, argv, c.asking, c.clusterReadonly);
  c.slot = r.slot;
  switch (r.code) {
    case 'none': return null;
    case 'crossslot': return 'CROSSSLOT Keys in request don\'t hash to the same slot';
    case 'unstable': return 'TRYAGAIN Multiple keys request during rehashing of slot';
    case 'down': return 'CLUSTERDOWN The cluster is down';
    case 'down_ro': return 'CLUSTERDOWN The cluster is down and only accepts read commands';
    case 'down_unbound': return 'CLUSTERDOWN Hash slot not served';
    default: return movedOrAsk(cl, c, r.code === 'ask' ? 'ASK' : 'MOVED', r.slot, r.node!);
  }
}

/**
 * scriptVerifyClusterState: a command a script calls must be served here, and
 * (unless allow-cross-slot-keys) in the slot of the script's other keys
 * (the caller's `slot`, from its declared keys or its first call).
 */
function scriptCheck(server: Server, cl: ClusterState, caller: Client, cmd: Command, argv: string[], crossSlot: boolean): string | null {
  if (caller.isMaster) return null;
  if (cmd.def.keySpecs === undefined && cmd.def.getKeys === undefined) return null;
  const r = route(server, cl, [{ cmd, argv }], cmd, argv, caller.asking, caller.clusterReadonly);
  if (r.code !== 'none') {
    if (r.code === 'down_ro') return 'Script attempted to execute a write command while the cluster is down and readonly';
    if (r.code === 'down') return 'Script attempted to execute a command while the cluster is down';
    return 'Script attempted to access a non local key in a cluster node';
  }
  if (r.slot !== -1 && !crossSlot) {
    if (caller.slot === -1) caller.slot = r.slot;
    else if (caller.slot !== r.slot) return 'Script attempted to access keys that do not hash to the same slot';
  }
  return null;
}

/** clusterRedirectBlockedClientIfNeeded for every client blocked on keys */
function redirectBlocked(server: Server, cl: ClusterState): void {
  server.blocking.redirectEach((c, keys, argv) => {
    if (cl.state !== CLUSTER_OK) return 'CLUSTERDOWN The cluster is down';
    if (keys.length === 0) return null;
    const slot = keyHashSlot(keys[0]!);
    let node = cl.slots[slot]!;
    const cmd = server.table.lookup(argv as string[]);
    if (c.clusterReadonly && cmd !== undefined && !cmd.isWrite && cl.myself.isSlave && cl.myself.slaveof === node) node = cl.myself;
    if (node !== cl.myself && cl.importing[slot] === null) {
      if (node === null) return 'CLUSTERDOWN Hash slot not served';
      return movedOrAsk(cl, c, 'MOVED', slot, node);
    }
    return null;
  });
}

function isWriteCmd(server: Server, cmd: Command, argv: string[]): boolean {
  if (cmd.scriptFlags && server.scriptCommandFlags !== null) {
    const f = server.scriptCommandFlags(cmd, argv);
    if (f !== null) return f.write;
  }
  return cmd.isWrite;
}

function movedOrAsk(cl: ClusterState, c: Client, kind: 'MOVED' | 'ASK', slot: number, n: ClusterNode): string {
  const port = usePport(cl, c) && n.pport ? n.pport : n.port;
  return `${kind} ${slot} ${preferredEndpoint(cl, n)}:${port}`;
}

export function installCluster(server: Server): void {
  server.table.register(clusterCommands((c) => clusterOf(c.server)));
  server.clientResetHooks.push((c) => { c.asking = false; c.clusterReadonly = false; });
  let debug = server.ext.get('debug-subcommands') as Map<string, (c: Client, argv: string[]) => void> | undefined;
  if (!debug) { debug = new Map(); server.ext.set('debug-subcommands', debug); }
  debug.set('drop-cluster-packet-filter', (c, argv) => {
    if (argv.length !== 3) { c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`); return; }
    const v = /^-?(0|[1-9][0-9]*)$/.test(argv[2]!) ? Number(argv[2]) : NaN;
    if (!Number.isSafeInteger(v)) { c.error('ERR value is not an integer or out of range'); return; }
    const cl = clusterOf(server);
    if (cl !== null) cl.dropPacketFilter = v;
    c.ok();
  });
  debug.set('clusterlink', (c, argv) => {
    if (argv.length !== 5 || argv[2]!.toLowerCase() !== 'kill') { c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`); return; }
    const cl = clusterOf(server);
    if (cl === null) { c.error('ERR Debug option only available for cluster mode enabled setup!'); return; }
    const n = cl.lookup(argv[4]!);
    if (n === undefined) { c.error(`ERR Unknown node ${argv[4]}`); return; }
    const dir = argv[3]!.toLowerCase();
    if (dir === 'from') n.inboundLink?.free();
    else if (dir === 'to') n.link?.free();
    else if (dir === 'all') { n.link?.free(); n.inboundLink?.free(); } else { c.error(`ERR Unknown direction ${argv[3]}`); }
    c.ok();
  });
  // the config (cluster-enabled, immutable) is complete only at start
  server.startHooks.unshift(async () => {
    if (!server.config.bool('cluster-enabled')) return;
    // clients wait for the node's identity and config (Redis's clusterInit runs before its event loop): a CLUSTER
    // NODES or INFO answered meanwhile would show no node at all, not even myself
    const init = startCluster(server);
    server.holdClientsUntil(init);
    await init;
  });
}

/** clusterInit and the hooks of a cluster node */
async function startCluster(server: Server): Promise<void> {
  const cl = new ClusterState(makeHost(server));
  server.ext.set('cluster', cl);
  server.clusterCheck = (c, cmd, argv) => redirect(server, cl, c, cmd, argv);
  server.clusterReplica = () => cl.myself.isSlave;
  server.scriptClusterCheck = (caller, cmd, argv, crossSlot) => scriptCheck(server, cl, caller, cmd, argv, crossSlot);
  server.clusterConnections = () => cl.connections;
  // INFO mem_cluster_links (Redis sums getClusterLinkMemUsage over the links in clusterCron)
  setInfoFields(server, 'memory', () => {
    let bytes = 0;
    for (const l of cl.links()) bytes += l.memUsage;
    return { mem_cluster_links: bytes };
  });
  server.clusterPublish = (channel, message, sharded) => cl.propagatePublish(channel, message, sharded);
  // ASKING lasts one command (resetClient), or the whole MULTI it was sent in
  server.addAfterCallHook((c, cmd) => { if (c.asking && !c.inMulti && cmd.name !== 'asking') c.asking = false; });
  let lock: ChildProcess | null = null;
  let timer: NodeJS.Timeout | null = null;
  server.shutdownHooks.push(() => {
    if (timer) clearInterval(timer);
    timer = null;
    cl.close();
    lock?.kill();
  });
  server.dbs[0]!.indexSlots();
  // clusterInit: before the data loads; the listeners are bound by now (our port is known)
  {
    const file = path.resolve(server.config.str('dir'), server.config.str('cluster-config-file'));
    try {
      const shown = server.config.str('cluster-config-file');
      lock = await lockConfig(file, shown);
      if (lock === null) server.log.warning(`Can't lock ${shown} (no flock tool): using it unlocked`);
      if (!loadConfig(cl, file, shown)) {
        cl.addNode(cl.myself);
        server.log.notice(`No cluster configuration found, I'm ${cl.myself.name}`);
        cl.saveConfigOrDie(true);
      }
    } catch (e) {
      if (e instanceof ConfigError) throw startupError(e.message);
      throw e;
    }
    const p = cl.announcedPorts();
    const base = server.config.bool('tls-cluster') ? server.tlsPort : server.port;
    if (!server.config.num('cluster-port') && base > 65535 - 10000) {
      const line = 'Redis port number too high. Cluster communication port is 10,000 port numbers higher than your Redis port. Your Redis port number must be 55535 or less.';
      throw startupError(line);
    }
    const cport = server.config.num('cluster-port') || base + 10000;
    try {
      await cl.listen(cport);
    } catch (e) {
      throw startupError(`Failed listening on port ${cport} (cluster), aborting.`, e);
    }
    const me = cl.myself;
    me.port = p.port;
    me.pport = p.pport;
    me.cport = p.cport;
    const ip = server.config.str('cluster-announce-ip');
    if (ip) me.ip = String(ip);
    me.hostname = String(server.config.str('cluster-announce-hostname') ?? '');
    if (server.config.bool('cluster-replica-no-failover')) me.flags |= NODE_NOFAILOVER;
    timer = setInterval(() => { cl.cron(); redirectBlocked(server, cl); }, 100);
    timer.unref();
  }
  // after the load: verifyClusterConfigWithData, and replicate our master if we are a replica
  server.startHooks.push(() => {
    if (server.dbs.some((d) => d.id !== 0 && d.size > 0)) {
      throw startupError('You can\'t have keys in a DB different than DB 0 when in Cluster mode. Exiting.');
    }
    if (cl.myself.isSlave) return;
    let update = false;
    const db = server.dbs[0]!;
    for (let j = 0; j < 16384; j++) {
      if (db.countInSlot(j) === 0) continue;
      if (cl.slots[j] === cl.myself || cl.importing[j] !== null) continue;
      update = true;
      if (cl.slots[j] === null) {
        server.log.warning(`I have keys for unassigned slot ${j}. Taking responsibility for it.`);
        cl.addSlot(cl.myself, j);
      } else {
        server.log.warning(`I have keys for slot ${j}, but the slot is assigned to another node. Setting it to importing state.`);
        cl.setImporting(j, cl.slots[j]!);
      }
    }
    if (update) cl.saveConfigOrDie(true);
  });
  server.configHooks.push((name) => {
    const me = cl.myself;
    if (name === 'cluster-replica-no-failover' || name === 'cluster-slave-no-failover') {
      const old = me.flags;
      me.flags = server.config.bool('cluster-replica-no-failover') ? me.flags | NODE_NOFAILOVER : me.flags & ~NODE_NOFAILOVER;
      if (me.flags !== old) cl.doBeforeSleep(ClusterState.SAVE | ClusterState.UPDATE);
    } else if (name === 'cluster-announce-ip') {
      me.ip = String(server.config.str('cluster-announce-ip') ?? '');
    } else if (name === 'cluster-announce-hostname') {
      // clusterUpdateMyselfHostname: at once (CLUSTER SLOTS / NODES show it), saved, sent with the next ping
      const h = String(server.config.str('cluster-announce-hostname') ?? '');
      if (h !== me.hostname) { me.hostname = h; cl.doBeforeSleep(ClusterState.SAVE); }
    } else if (name.startsWith('cluster-announce-') && name.endsWith('port')) {
      const p = cl.announcedPorts();
      me.port = p.port; me.pport = p.pport; me.cport = p.cport;
    }
  });
}
