/*
 * CLUSTER and its subcommands, READONLY, READWRITE, ASKING
 * (redis/src/cluster.c clusterCommand, readonlyCommand, readwriteCommand,
 * askingCommand), with Redis's replies and error strings. The command table
 * entries follow redis/src/commands/cluster-*.json (COMMAND INFO / DOCS are
 * compared with redis-server's by test/compat/command.test.ts).
 *
 * Without cluster-enabled every one of them answers "This instance has
 * cluster support disabled", as Redis.
 */
import type { Client } from '../server/client.js';
import type { CommandDef, Handler } from '../commands/registry.js';
import { CLUSTER_SLOTS, keyHashSlot } from '../keyspace/hashslot.js';
import { ERR_CLUSTER_DISABLED, ERR_SYNTAX } from '../protocol/errors.js';
import { ClusterState } from './state.js';
import type { ClusterNode } from './node.js';
import type { Link } from './bus.js';
import { MSG_TYPE_COUNT, MSG_TYPE_NAMES } from './msg.js';

/** the cluster of the server a client talks to (null: cluster support disabled) */
export type ClusterOf = (c: Client) => ClusterState | null;

const CLUSTER_HELP = [
  'ADDSLOTS <slot> [<slot> ...]',
  '    Assign slots to current node.',
  'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Assign slots which are between <start-slot> and <end-slot> to current node.',
  'BUMPEPOCH',
  '    Advance the cluster config epoch.',
  'COUNT-FAILURE-REPORTS <node-id>',
  '    Return number of failure reports for <node-id>.',
  'COUNTKEYSINSLOT <slot>',
  '    Return the number of keys in <slot>.',
  'DELSLOTS <slot> [<slot> ...]',
  '    Delete slots information from current node.',
  'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]',
  '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
  'FAILOVER [FORCE|TAKEOVER]',
  '    Promote current replica node to being a master.',
  'FORGET <node-id>',
  '    Remove a node from the cluster.',
  'GETKEYSINSLOT <slot> <count>',
  '    Return key names stored by current node in a slot.',
  'FLUSHSLOTS',
  '    Delete current node own slots information.',
  'INFO',
  '    Return information about the cluster.',
  'KEYSLOT <key>',
  '    Return the hash slot for <key>.',
  'MEET <ip> <port> [<bus-port>]',
  '    Connect nodes into a working cluster.',
  'MYID',
  '    Return the node id.',
  'NODES',
  '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
  'REPLICATE <node-id>',
  '    Configure current node as replica to <node-id>.',
  'RESET [HARD|SOFT]',
  '    Reset current node (default: soft).',
  'SET-CONFIG-EPOCH <epoch>',
  '    Set config epoch of current node.',
  'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)',
  '    Set slot state.',
  'REPLICAS <node-id>',
  '    Return <node-id> replicas.',
  'SAVECONFIG',
  '    Force saving cluster configuration on disk.',
  'SLOTS',
  '    Return information about slots range mappings. Each range is made of:',
  '    start, end, master and replicas IP addresses, ports and ids',
  'SHARDS',
  '    Return information about slot range mappings and the nodes associated with them.',
  'LINKS',
  '    Return information about all network links between this node and its peers.',
  '    Output format is an array where each array element is a map containing attributes of a link',
];

/** getLongLongFromObject: a strict integer, or null */
function parseLL(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** getSlotOrReply */
function slotOrReply(c: Client, s: string): number {
  const n = parseLL(s);
  if (n === null || n < 0 || n >= CLUSTER_SLOTS) { c.error('ERR Invalid or out of range slot'); return -1; }
  return n;
}

/** getPreferredEndpoint */
export function preferredEndpoint(cl: ClusterState, n: ClusterNode): string {
  const t = cl.host.cfgStr('cluster-preferred-endpoint-type');
  if (t === 'ip') return n.ip;
  if (t === 'hostname') return n.hostname !== '' ? n.hostname : '?';
  return '';
}

/** a TLS cluster answering a plain-TCP client gives plaintext ports */
export function usePport(cl: ClusterState, c: Client): boolean {
  return cl.host.cfgBool('tls-cluster') && (c.socket as { encrypted?: boolean }).encrypted !== true;
}

/** addNodeToNodeReply */
function nodeReply(cl: ClusterState, c: Client, n: ClusterNode): void {
  const t = cl.host.cfgStr('cluster-preferred-endpoint-type');
  c.array(4);
  if (t === 'ip') c.bulk(n.ip);
  else if (t === 'hostname') c.bulk(n.hostname !== '' ? n.hostname : '?');
  else c.null();
  c.int(usePport(cl, c) && n.pport ? n.pport : n.port);
  c.bulk(n.name);
  const extra: [string, string][] = [];
  if (t !== 'ip') extra.push(['ip', n.ip]);
  if (t !== 'hostname' && n.hostname !== '') extra.push(['hostname', n.hostname]);
  c.map(extra.length);
  for (const [k, v] of extra) { c.bulk(k); c.bulk(v); }
}

function replicaAvailable(cl: ClusterState, n: ClusterNode): boolean {
  if (n.failed) return false;
  const off = n.isMyself ? cl.host.replicaOffset() : n.replOffset;
  return off !== 0;
}

/** CLUSTER SLOTS (clusterReplyMultiBulkSlots) */
function replySlots(cl: ClusterState, c: Client): void {
  const ranges: [ClusterNode, number, number][] = [];
  let n: ClusterNode | null = null;
  let start = -1;
  for (let i = 0; i <= CLUSTER_SLOTS; i++) {
    const owner = i < CLUSTER_SLOTS ? cl.slots[i]! : null;
    if (n === null) { if (i === CLUSTER_SLOTS) break; n = owner; start = i; continue; }
    if (i === CLUSTER_SLOTS || owner !== n) {
      ranges.push([n, start, i - 1]);
      if (i === CLUSTER_SLOTS) break;
      n = owner;
      start = i;
    }
  }
  c.array(ranges.length);
  for (const [m, s, e] of ranges) {
    const replicas = m.slaves.filter((r) => replicaAvailable(cl, r));
    c.array(3 + replicas.length);
    c.int(s);
    c.int(e);
    nodeReply(cl, c, m);
    for (const r of replicas) nodeReply(cl, c, r);
  }
}

/** CLUSTER SHARDS (clusterReplyShards) */
function replyShards(cl: ClusterState, c: Client): void {
  const masters = [...cl.nodes.values()].filter((n) => n.isMaster);
  c.array(masters.length);
  const tlsCluster = cl.host.cfgBool('tls-cluster');
  for (const m of masters) {
    c.map(2);
    c.bulk('slots');
    const pairs = m.slotRanges();
    c.array(pairs.length);
    for (const p of pairs) c.int(p);
    c.bulk('nodes');
    const nodes = [m, ...m.slaves];
    c.array(nodes.length);
    for (const n of nodes) {
      const fields: [string, string | number][] = [['id', n.name]];
      const plain = tlsCluster ? n.pport : n.port;
      const tlsPort = tlsCluster ? n.port : 0;
      if (plain) fields.push(['port', plain]);
      if (tlsPort) fields.push(['tls-port', tlsPort]);
      fields.push(['ip', n.ip], ['endpoint', preferredEndpoint(cl, n)]);
      if (n.hostname !== '') fields.push(['hostname', n.hostname]);
      const off = n.isMyself ? (n.isSlave ? cl.host.replicaOffset() : cl.host.replOffset()) : n.replOffset;
      fields.push(['role', n.isSlave ? 'replica' : 'master'], ['replication-offset', off]);
      fields.push(['health', n.failed ? 'fail' : n.isSlave && off === 0 ? 'loading' : 'online']);
      c.map(fields.length);
      for (const [k, v] of fields) { c.bulk(k); if (typeof v === 'number') c.int(v); else c.bulk(v); }
    }
  }
}

function replyLinks(cl: ClusterState, c: Client): void {
  const links: Link[] = cl.links();
  c.array(links.length);
  for (const l of links) {
    c.map(6);
    c.bulk('direction'); c.bulk(l.inbound ? 'from' : 'to');
    c.bulk('node'); c.bulk(l.node!.name);
    c.bulk('create-time'); c.int(l.ctime);
    c.bulk('events'); c.bulk(l.events);
    c.bulk('send-buffer-allocated'); c.int(l.queued);
    c.bulk('send-buffer-used'); c.int(l.queued);
  }
}

/** CLUSTER INFO's text */
export function clusterInfoText(cl: ClusterState): string {
  let assigned = 0, ok = 0, pfail = 0, fail = 0;
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    const n = cl.slots[j];
    if (n === null || n === undefined) continue;
    assigned++;
    if (n.failed) fail++;
    else if (n.timedOut) pfail++;
    else ok++;
  }
  const me = cl.myself;
  const myEpoch = me.isSlave && me.slaveof !== null ? me.slaveof.configEpoch : me.configEpoch;
  let s = `cluster_state:${cl.state === 0 ? 'ok' : 'fail'}\r\ncluster_slots_assigned:${assigned}\r\ncluster_slots_ok:${ok}\r\n` +
    `cluster_slots_pfail:${pfail}\r\ncluster_slots_fail:${fail}\r\ncluster_known_nodes:${cl.nodes.size}\r\ncluster_size:${cl.size}\r\n` +
    `cluster_current_epoch:${cl.currentEpoch}\r\ncluster_my_epoch:${myEpoch}\r\n`;
  let sent = 0;
  for (let i = 0; i < MSG_TYPE_COUNT; i++) {
    if (cl.sentStats[i] === 0) continue;
    sent += cl.sentStats[i]!;
    s += `cluster_stats_messages_${MSG_TYPE_NAMES[i]}_sent:${cl.sentStats[i]}\r\n`;
  }
  s += `cluster_stats_messages_sent:${sent}\r\n`;
  let received = 0;
  for (let i = 0; i < MSG_TYPE_COUNT; i++) {
    if (cl.receivedStats[i] === 0) continue;
    received += cl.receivedStats[i]!;
    s += `cluster_stats_messages_${MSG_TYPE_NAMES[i]}_received:${cl.receivedStats[i]}\r\n`;
  }
  s += `cluster_stats_messages_received:${received}\r\n`;
  s += `total_cluster_links_buffer_limit_exceeded:${cl.linksBufferLimitExceeded}\r\n`;
  return s;
}

/** ADDSLOTS/DELSLOTS(RANGE): checkSlotAssignmentsOrReply then clusterUpdateSlots */
function updateSlots(cl: ClusterState, c: Client, ranges: [number, number][], del: boolean): void {
  const seen = new Uint8Array(CLUSTER_SLOTS);
  for (const [s, e] of ranges) {
    for (let slot = s; slot <= e; slot++) {
      if (del && cl.slots[slot] === null) { c.error(`ERR Slot ${slot} is already unassigned`); return; }
      if (!del && cl.slots[slot] !== null) { c.error(`ERR Slot ${slot} is already busy`); return; }
      if (seen[slot]++ === 1) { c.error(`ERR Slot ${slot} specified multiple times`); return; }
    }
  }
  for (let j = 0; j < CLUSTER_SLOTS; j++) {
    if (!seen[j]) continue;
    cl.setImporting(j, null);
    if (del) cl.delSlot(j); else cl.addSlot(cl.myself, j);
  }
  cl.doBeforeSleep(ClusterState.UPDATE | ClusterState.SAVE);
  c.ok();
}

// ---- the subcommands --------------------------------------------------------------

/** addReplySubcommandSyntaxError */
function subSyntax(c: Client, argv: string[]): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}

type SubHandler = (cl: ClusterState, c: Client, argv: string[]) => void;

function ranges(c: Client, argv: string[]): [number, number][] | null {
  const out: [number, number][] = [];
  for (let j = 2; j < argv.length; j += 2) {
    const s = slotOrReply(c, argv[j]!);
    if (s < 0) return null;
    const e = slotOrReply(c, argv[j + 1]!);
    if (e < 0) return null;
    if (s > e) { c.error(`ERR start slot number ${s} is greater than end slot number ${e}`); return null; }
    out.push([s, e]);
  }
  return out;
}

function nodeOrReply(cl: ClusterState, c: Client, name: string): ClusterNode | null {
  const n = cl.lookup(name);
  if (n === undefined) { c.error(`ERR Unknown node ${name}`); return null; }
  return n;
}

const SUB: Record<string, SubHandler> = {
  help(_cl, c) { c.help('CLUSTER', CLUSTER_HELP); },
  meet(cl, c, argv) {
    if (argv.length !== 4 && argv.length !== 5) { subSyntax(c, argv); return; }
    const port = parseLL(argv[3]!);
    if (port === null) { c.error(`ERR Invalid TCP base port specified: ${argv[3]}`); return; }
    let cport = port + 10000;
    if (argv.length === 5) {
      const p = parseLL(argv[4]!);
      if (p === null) { c.error(`ERR Invalid TCP bus port specified: ${argv[4]}`); return; }
      cport = p;
    }
    if (cl.startHandshake(argv[2]!, port, cport) === 'inval') { c.error(`ERR Invalid node address specified: ${argv[2]}:${argv[3]}`); return; }
    c.ok();
  },
  nodes(cl, c) { c.verbatim(cl.nodesDescription(0, usePport(cl, c))); },
  myid(cl, c) { c.bulk(cl.myself.name); },
  slots(cl, c) { replySlots(cl, c); },
  shards(cl, c) { replyShards(cl, c); },
  flushslots(cl, c) {
    if (cl.host.keysInDb0() !== 0) { c.error('ERR DB must be empty to perform CLUSTER FLUSHSLOTS.'); return; }
    cl.delNodeSlots(cl.myself);
    cl.doBeforeSleep(ClusterState.UPDATE | ClusterState.SAVE);
    c.ok();
  },
  addslots(cl, c, argv) { slotsCommand(cl, c, argv, false); },
  delslots(cl, c, argv) { slotsCommand(cl, c, argv, true); },
  addslotsrange(cl, c, argv) { rangesCommand(cl, c, argv, false); },
  delslotsrange(cl, c, argv) { rangesCommand(cl, c, argv, true); },
  setslot(cl, c, argv) {
    const me = cl.myself;
    if (me.isSlave) { c.error('ERR Please use SETSLOT only with masters.'); return; }
    const slot = slotOrReply(c, argv[2]!);
    if (slot < 0) return;
    const action = argv[3]!.toLowerCase();
    if (action === 'migrating' && argv.length === 5) {
      if (cl.slots[slot] !== me) { c.error(`ERR I'm not the owner of hash slot ${slot}`); return; }
      const n = cl.lookup(argv[4]!);
      if (n === undefined) { c.error(`ERR I don't know about node ${argv[4]}`); return; }
      if (n.isSlave) { c.error('ERR Target node is not a master'); return; }
      cl.setMigrating(slot, n);
    } else if (action === 'importing' && argv.length === 5) {
      if (cl.slots[slot] === me) { c.error(`ERR I'm already the owner of hash slot ${slot}`); return; }
      const n = cl.lookup(argv[4]!);
      if (n === undefined) { c.error(`ERR I don't know about node ${argv[4]}`); return; }
      if (n.isSlave) { c.error('ERR Target node is not a master'); return; }
      cl.setImporting(slot, n);
    } else if (action === 'stable' && argv.length === 4) {
      cl.setImporting(slot, null);
      cl.setMigrating(slot, null);
    } else if (action === 'node' && argv.length === 5) {
      const n = cl.lookup(argv[4]!);
      if (n === undefined) { c.error(`ERR Unknown node ${argv[4]}`); return; }
      if (n.isSlave) { c.error('ERR Target node is not a master'); return; }
      if (cl.slots[slot] === me && n !== me && cl.host.countKeysInSlot(slot) !== 0) {
        c.error(`ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`);
        return;
      }
      if (cl.host.countKeysInSlot(slot) === 0 && cl.migrating[slot] !== null) cl.setMigrating(slot, null);
      const wasMine = cl.slots[slot] === me;
      cl.delSlot(slot);
      cl.addSlot(n, slot);
      if (wasMine && n !== me && me.numslots === 0 && cl.host.cfgBool('cluster-allow-replica-migration')) {
        cl.host.log.warning(`Configuration change detected. Reconfiguring myself as a replica of ${n.name}`);
        cl.setMaster(n);
        cl.doBeforeSleep(ClusterState.SAVE | ClusterState.UPDATE | ClusterState.FSYNC);
      }
      if (n === me && cl.importing[slot] !== null) {
        if (cl.bumpEpochWithoutConsensus()) cl.host.log.warning(`configEpoch updated after importing slot ${slot}`);
        cl.setImporting(slot, null);
        cl.broadcastPong();
      }
    } else {
      c.error('ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP');
      return;
    }
    cl.doBeforeSleep(ClusterState.SAVE | ClusterState.UPDATE);
    c.ok();
  },
  bumpepoch(cl, c) {
    const bumped = cl.bumpEpochWithoutConsensus();
    c.simple(`${bumped ? 'BUMPED' : 'STILL'} ${cl.myself.configEpoch}`);
  },
  info(cl, c) { c.verbatim(clusterInfoText(cl)); },
  saveconfig(cl, c) {
    try {
      cl.saveConfigOrDie(true);
      c.ok();
    } catch (e) {
      c.error(`ERR error saving the cluster node config: ${(e as Error).message}`);
    }
  },
  keyslot(_cl, c, argv) { c.int(keyHashSlot(argv[2]!)); },
  countkeysinslot(cl, c, argv) {
    const slot = parseLL(argv[2]!);
    if (slot === null) { c.error('ERR value is not an integer or out of range'); return; }
    if (slot < 0 || slot >= CLUSTER_SLOTS) { c.error('ERR Invalid slot'); return; }
    c.int(cl.host.countKeysInSlot(slot));
  },
  getkeysinslot(cl, c, argv) {
    const slot = parseLL(argv[2]!);
    if (slot === null) { c.error('ERR value is not an integer or out of range'); return; }
    const max = parseLL(argv[3]!);
    if (max === null) { c.error('ERR value is not an integer or out of range'); return; }
    if (slot < 0 || slot >= CLUSTER_SLOTS || max < 0) { c.error('ERR Invalid slot or number of keys'); return; }
    c.bulks(cl.host.keysInSlot(slot, max));
  },
  forget(cl, c, argv) {
    const n = nodeOrReply(cl, c, argv[2]!);
    if (n === null) return;
    if (n === cl.myself) { c.error("ERR I tried hard but I can't forget myself..."); return; }
    if (cl.myself.isSlave && cl.myself.slaveof === n) { c.error("ERR Can't forget my master!"); return; }
    cl.blacklistAdd(n);
    cl.delNode(n);
    cl.doBeforeSleep(ClusterState.UPDATE | ClusterState.SAVE);
    c.ok();
  },
  replicate(cl, c, argv) {
    const n = nodeOrReply(cl, c, argv[2]!);
    if (n === null) return;
    if (n === cl.myself) { c.error("ERR Can't replicate myself"); return; }
    if (n.isSlave) { c.error('ERR I can only replicate a master, not a replica.'); return; }
    if (cl.myself.isMaster && (cl.myself.numslots !== 0 || cl.host.keysInDb0() !== 0)) {
      c.error('ERR To set a master the node must be empty and without assigned slots.');
      return;
    }
    cl.setMaster(n);
    cl.doBeforeSleep(ClusterState.UPDATE | ClusterState.SAVE);
    c.ok();
  },
  replicas(cl, c, argv) { replicasReply(cl, c, argv); },
  slaves(cl, c, argv) { replicasReply(cl, c, argv); },
  'count-failure-reports'(cl, c, argv) {
    const n = nodeOrReply(cl, c, argv[2]!);
    if (n !== null) c.int(cl.failureReportsCount(n));
  },
  failover(cl, c, argv) {
    let force = false;
    let takeover = false;
    if (argv.length === 3) {
      const o = argv[2]!.toLowerCase();
      if (o === 'force') force = true;
      else if (o === 'takeover') { takeover = true; force = true; } else { c.error(ERR_SYNTAX); return; }
    } else if (argv.length > 3) {
      subSyntax(c, argv);
      return;
    }
    const me = cl.myself;
    if (me.isMaster) { c.error('ERR You should send CLUSTER FAILOVER to a replica'); return; }
    if (me.slaveof === null) { c.error("ERR I'm a replica but my master is unknown to me"); return; }
    if (!force && (me.slaveof.failed || me.slaveof.link === null)) { c.error('ERR Master is down or failed, please use CLUSTER FAILOVER FORCE'); return; }
    cl.resetManualFailover();
    cl.mfEnd = Date.now() + 5000;
    if (takeover) {
      cl.host.log.warning('Taking over the master (user request).');
      cl.bumpEpochWithoutConsensus();
      cl.failoverReplaceYourMaster();
    } else if (force) {
      cl.host.log.warning('Forced failover user request accepted.');
      cl.mfCanStart = true;
    } else {
      cl.host.log.warning('Manual failover user request accepted.');
      cl.sendMFStart(me.slaveof);
    }
    c.ok();
  },
  'set-config-epoch'(cl, c, argv) {
    const epoch = parseLL(argv[2]!);
    if (epoch === null) { c.error('ERR value is not an integer or out of range'); return; }
    if (epoch < 0) c.error(`ERR Invalid config epoch specified: ${epoch}`);
    else if (cl.nodes.size > 1) c.error('ERR The user can assign a config epoch only when the node does not know any other node.');
    else if (cl.myself.configEpoch !== 0) c.error('ERR Node config epoch is already non-zero');
    else {
      cl.myself.configEpoch = epoch;
      cl.host.log.warning(`configEpoch set to ${epoch} via CLUSTER SET-CONFIG-EPOCH`);
      if (cl.currentEpoch < epoch) cl.currentEpoch = epoch;
      cl.doBeforeSleep(ClusterState.UPDATE | ClusterState.SAVE);
      c.ok();
    }
  },
  reset(cl, c, argv) {
    let hard = false;
    if (argv.length === 3) {
      const o = argv[2]!.toLowerCase();
      if (o === 'hard') hard = true;
      else if (o !== 'soft') { c.error(ERR_SYNTAX); return; }
    } else if (argv.length > 3) {
      subSyntax(c, argv);
      return;
    }
    if (cl.myself.isMaster && c.db.size !== 0) { c.error("ERR CLUSTER RESET can't be called with master nodes containing keys"); return; }
    cl.reset(hard);
    c.ok();
  },
  links(cl, c) { replyLinks(cl, c); },
};

function slotsCommand(cl: ClusterState, c: Client, argv: string[], del: boolean): void {
  const slots: number[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = slotOrReply(c, argv[j]!);
    if (s < 0) return;
    slots.push(s);
  }
  updateSlots(cl, c, slots.map((s) => [s, s]), del);
}

function rangesCommand(cl: ClusterState, c: Client, argv: string[], del: boolean): void {
  if (argv.length % 2 === 1) { c.error(`ERR wrong number of arguments for 'cluster|${del ? 'delslotsrange' : 'addslotsrange'}' command`); return; }
  const r = ranges(c, argv);
  if (r !== null) updateSlots(cl, c, r, del);
}

function replicasReply(cl: ClusterState, c: Client, argv: string[]): void {
  const n = nodeOrReply(cl, c, argv[2]!);
  if (n === null) return;
  if (n.isSlave) { c.error('ERR The specified node is not a master'); return; }
  c.array(n.slaves.length);
  for (const s of n.slaves) c.bulk(cl.nodeDescription(s, usePport(cl, c)));
}

/** The CLUSTER command; `of` finds a server's cluster (null when disabled). */
export function clusterCommands(of: ClusterOf): CommandDef[] {
  const wrap = (name: string): Handler => (c, argv) => {
    const cl = of(c);
    if (cl === null) { c.error(ERR_CLUSTER_DISABLED); return; }
    SUB[name]!(cl, c, argv);
  };
  const subs = SUBCOMMANDS.map((d) => ({ ...d, handler: wrap(d.name) }));
  const cluster: CommandDef = {
    name: 'cluster', group: 'cluster', summary: 'A container for cluster commands', since: '3.0.0',
    complexity: 'Depends on subcommand.', arity: -2, flags: [], subcommands: subs,
  };
  const conn = (name: string, summary: string, flags: CommandDef['flags'], act: (c: Client) => void): CommandDef => ({
    name, group: 'cluster', summary, since: '3.0.0', complexity: 'O(1)', arity: 1, flags, acl: ['connection'],
    handler(c) {
      if (of(c) === null) { c.error(ERR_CLUSTER_DISABLED); return; }
      act(c);
      c.ok();
    },
  });
  return [
    cluster,
    conn('readonly', 'Enables read queries for a connection to a cluster replica node', ['fast', 'loading', 'stale'], (c) => { c.clusterReadonly = true; }),
    conn('readwrite', 'Disables read queries for a connection to a cluster replica node', ['fast', 'loading', 'stale'], (c) => { c.clusterReadonly = false; }),
    conn('asking', 'Sent by cluster clients after an -ASK redirect', ['fast'], (c) => { c.asking = true; }),
  ];
}

/** the table entries of CLUSTER's subcommands (redis/src/commands/cluster-*.json) */
const SUBCOMMANDS: readonly Omit<CommandDef, 'handler'>[] = [
  {
    name: 'addslots', group: 'cluster', summary: 'Assign new hash slots to receiving node', since: '3.0.0',
    complexity: 'O(N) where N is the total number of hash slot arguments',
    arity: -3, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'slot', type: 'integer', multiple: true }],
  },
  {
    name: 'addslotsrange', group: 'cluster', summary: 'Assign new hash slots to receiving node', since: '7.0.0',
    complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.',
    arity: -4, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'start-slot_end-slot', type: 'block', multiple: true, arguments: [{ name: 'start-slot', type: 'integer' }, { name: 'end-slot', type: 'integer' }] }],
  },
  {
    name: 'bumpepoch', group: 'cluster', summary: 'Advance the cluster config epoch', since: '3.0.0',
    complexity: 'O(1)',
    arity: 2, flags: ['no_async_loading', 'admin', 'stale'],
    tips: ['nondeterministic_output'],
  },
  {
    name: 'count-failure-reports', group: 'cluster', summary: 'Return the number of failure reports active for a given node', since: '3.0.0',
    complexity: 'O(N) where N is the number of failure reports',
    arity: 3, flags: ['admin', 'stale'],
    tips: ['nondeterministic_output'],
    arguments: [{ name: 'node-id', type: 'string' }],
  },
  {
    name: 'countkeysinslot', group: 'cluster', summary: 'Return the number of local keys in the specified hash slot', since: '3.0.0',
    complexity: 'O(1)',
    arity: 3, flags: ['stale'],
    arguments: [{ name: 'slot', type: 'integer' }],
  },
  {
    name: 'delslots', group: 'cluster', summary: 'Set hash slots as unbound in receiving node', since: '3.0.0',
    complexity: 'O(N) where N is the total number of hash slot arguments',
    arity: -3, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'slot', type: 'integer', multiple: true }],
  },
  {
    name: 'delslotsrange', group: 'cluster', summary: 'Set hash slots as unbound in receiving node', since: '7.0.0',
    complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.',
    arity: -4, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'start-slot_end-slot', type: 'block', multiple: true, arguments: [{ name: 'start-slot', type: 'integer' }, { name: 'end-slot', type: 'integer' }] }],
  },
  {
    name: 'failover', group: 'cluster', summary: 'Forces a replica to perform a manual failover of its master.', since: '3.0.0',
    complexity: 'O(1)',
    arity: -2, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'options', type: 'oneof', optional: true, arguments: [{ name: 'force', type: 'pure-token', token: 'FORCE' }, { name: 'takeover', type: 'pure-token', token: 'TAKEOVER' }] }],
  },
  {
    name: 'flushslots', group: 'cluster', summary: "Delete a node's own slots information", since: '3.0.0',
    complexity: 'O(1)',
    arity: 2, flags: ['no_async_loading', 'admin', 'stale'],
  },
  {
    name: 'forget', group: 'cluster', summary: 'Remove a node from the nodes table', since: '3.0.0',
    complexity: 'O(1)',
    arity: 3, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'node-id', type: 'string' }],
  },
  {
    name: 'getkeysinslot', group: 'cluster', summary: 'Return local key names in the specified hash slot', since: '3.0.0',
    complexity: 'O(log(N)) where N is the number of requested keys',
    arity: 4, flags: ['stale'],
    tips: ['nondeterministic_output'],
    arguments: [{ name: 'slot', type: 'integer' }, { name: 'count', type: 'integer' }],
  },
  {
    name: 'help', group: 'cluster', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
    complexity: 'O(1)',
    arity: 2, flags: ['loading', 'stale'],
  },
  {
    name: 'info', group: 'cluster', summary: 'Provides info about Redis Cluster node state', since: '3.0.0',
    complexity: 'O(1)',
    arity: 2, flags: ['stale'],
    tips: ['nondeterministic_output'],
  },
  {
    name: 'keyslot', group: 'cluster', summary: 'Returns the hash slot of the specified key', since: '3.0.0',
    complexity: 'O(N) where N is the number of bytes in the key',
    arity: 3, flags: ['stale'],
    arguments: [{ name: 'key', type: 'string' }],
  },
  {
    name: 'links', group: 'cluster', summary: 'Returns a list of all TCP links to and from peer nodes in cluster', since: '7.0.0',
    complexity: 'O(N) where N is the total number of Cluster nodes',
    arity: 2, flags: ['stale'],
    tips: ['nondeterministic_output'],
  },
  {
    name: 'meet', group: 'cluster', summary: 'Force a node cluster to handshake with another node', since: '3.0.0',
    complexity: 'O(1)',
    arity: -4, flags: ['no_async_loading', 'admin', 'stale'],
    history: [['4.0.0', 'Added the optional `cluster_bus_port` argument.']],
    arguments: [{ name: 'ip', type: 'string' }, { name: 'port', type: 'integer' }, { name: 'cluster_bus_port', type: 'integer', optional: true, since: '4.0.0' }],
  },
  {
    name: 'myid', group: 'cluster', summary: 'Return the node id', since: '3.0.0',
    complexity: 'O(1)',
    arity: 2, flags: ['stale'],
  },
  {
    name: 'nodes', group: 'cluster', summary: 'Get Cluster config for the node', since: '3.0.0',
    complexity: 'O(N) where N is the total number of Cluster nodes',
    arity: 2, flags: ['stale'],
    tips: ['nondeterministic_output'],
  },
  {
    name: 'replicas', group: 'cluster', summary: 'List replica nodes of the specified master node', since: '5.0.0',
    complexity: 'O(1)',
    arity: 3, flags: ['admin', 'stale'],
    tips: ['nondeterministic_output'],
    arguments: [{ name: 'node-id', type: 'string' }],
  },
  {
    name: 'replicate', group: 'cluster', summary: 'Reconfigure a node as a replica of the specified master node', since: '3.0.0',
    complexity: 'O(1)',
    arity: 3, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'node-id', type: 'string' }],
  },
  {
    name: 'reset', group: 'cluster', summary: 'Reset a Redis Cluster node', since: '3.0.0',
    complexity: 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.',
    arity: -2, flags: ['admin', 'stale', 'noscript'],
    arguments: [{ name: 'hard_soft', type: 'oneof', optional: true, arguments: [{ name: 'hard', type: 'pure-token', token: 'HARD' }, { name: 'soft', type: 'pure-token', token: 'SOFT' }] }],
  },
  {
    name: 'saveconfig', group: 'cluster', summary: 'Forces the node to save cluster state on disk', since: '3.0.0',
    complexity: 'O(1)',
    arity: 2, flags: ['no_async_loading', 'admin', 'stale'],
  },
  {
    name: 'set-config-epoch', group: 'cluster', summary: 'Set the configuration epoch in a new node', since: '3.0.0',
    complexity: 'O(1)',
    arity: 3, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'config-epoch', type: 'integer' }],
  },
  {
    name: 'setslot', group: 'cluster', summary: 'Bind a hash slot to a specific node', since: '3.0.0',
    complexity: 'O(1)',
    arity: -4, flags: ['no_async_loading', 'admin', 'stale'],
    arguments: [{ name: 'slot', type: 'integer' }, { name: 'subcommand', type: 'oneof', arguments: [{ name: 'node-id', type: 'string', token: 'IMPORTING' }, { name: 'node-id', type: 'string', token: 'MIGRATING' }, { name: 'node-id', type: 'string', token: 'NODE' }, { name: 'stable', type: 'pure-token', token: 'STABLE' }] }],
  },
  {
    name: 'shards', group: 'cluster', summary: 'Get array of cluster slots to node mappings', since: '7.0.0',
    complexity: 'O(N) where N is the total number of cluster nodes',
    arity: 2, flags: ['stale'],
    tips: ['nondeterministic_output'],
    history: [],
  },
  {
    name: 'slaves', group: 'cluster', summary: 'List replica nodes of the specified master node', since: '3.0.0',
    complexity: 'O(1)',
    arity: 3, flags: ['admin', 'stale'],
    tips: ['nondeterministic_output'],
    docFlags: ['deprecated'],
    deprecatedSince: '5.0.0',
    replacedBy: '`CLUSTER REPLICAS`',
    arguments: [{ name: 'node-id', type: 'string' }],
  },
  {
    name: 'slots', group: 'cluster', summary: 'Get array of Cluster slot to node mappings', since: '3.0.0',
    complexity: 'O(N) where N is the total number of Cluster nodes',
    arity: 2, flags: ['stale'],
    tips: ['nondeterministic_output'],
    history: [['4.0.0', 'Added node IDs.'], ['7.0.0', 'Added additional networking metadata field.']],
    docFlags: ['deprecated'],
    deprecatedSince: '7.0.0',
    replacedBy: '`CLUSTER SHARDS`',
  },
];
