/*
 * Redis Cluster's state machine, as redis/src/cluster.c keeps it: the nodes
 * this node knows, who serves each of the 16384 slots, epochs, failure
 * detection (PFAIL -> FAIL by a majority of masters), replica elections,
 * manual failover, replica migration, and the bus messages that carry all of
 * it (msg.ts for the bytes, bus.ts for the links).
 *
 * Invariants kept, as in Redis:
 * - slots[j] names at most one master, and node.slots mirrors it;
 * - a slot changes owner only to a claim with a greater configEpoch (or one
 *   nobody claims), except by an admin's SETSLOT / ADDSLOTS or a failover;
 * - every change that matters is saved to nodes.conf before the next
 *   message goes out (todo flags, handled in beforeSleep — here a microtask
 *   after the event that set them), fsynced when Redis fsyncs;
 * - config epochs of masters end up distinct (collision handling).
 *
 * The server side (keyspace, replication, pause) is reached through the
 * `ClusterHost` interface that index.ts implements, so this file holds no
 * server code.
 */
import net from 'node:net';
import tls from 'node:tls';
import { CLUSTER_SLOTS } from '../keyspace/hashslot.js';
import { Link, type BusHandler } from './bus.js';
import {
  buildFail, buildMessage, buildPing, buildPublish, buildUpdate, clearBit, expectedLength, FLAG0_FORCEACK, FLAG0_PAUSED,
  HDR_LEN, MSG_AUTH_ACK, MSG_AUTH_REQUEST, MSG_FAIL, MSG_MEET, MSG_MFSTART, MSG_MODULE, MSG_PING, MSG_PONG, MSG_PUBLISH,
  MSG_PUBLISHSHARD, MSG_TYPE_COUNT, MSG_TYPE_NAMES, MSG_UPDATE, readFailAbout, readGossip, readHeader, readHostnameExt,
  readPublish, readUpdate, setBit, SLOTS_BYTES, testBit, type Gossip, type Header, type Self,
} from './msg.js';
import {
  ClusterNode, flagsText, NODE_FAIL, NODE_HANDSHAKE, NODE_MASTER, NODE_MEET, NODE_MIGRATE_TO, NODE_MYSELF, NODE_NOADDR,
  NODE_NOFAILOVER, NODE_PFAIL, NODE_SLAVE, randomName, validName,
} from './node.js';

export const CLUSTER_OK = 0;
export const CLUSTER_FAIL = 1;

const TODO_HANDLE_FAILOVER = 1;
const TODO_UPDATE_STATE = 2;
const TODO_SAVE_CONFIG = 4;
const TODO_FSYNC_CONFIG = 8;
const TODO_HANDLE_MANUALFAILOVER = 16;

const FAIL_REPORT_VALIDITY_MULT = 2;
const FAIL_UNDO_TIME_MULT = 2;
export const MF_TIMEOUT = 5000;
const MF_PAUSE_MULT = 2;
const SLAVE_MIGRATION_DELAY = 5000;
const BLACKLIST_TTL = 60;
const MAX_REJOIN_DELAY = 5000;
const MIN_REJOIN_DELAY = 500;
const WRITABLE_DELAY = 2000;
const CANT_FAILOVER_RELOG_PERIOD = 300;

const CANT_NONE = 0, CANT_DATA_AGE = 1, CANT_WAITING_DELAY = 2, CANT_EXPIRED = 3, CANT_WAITING_VOTES = 4;

/** What the cluster needs from the server it runs in (index.ts). */
export interface ClusterHost {
  log: { warning(s: string): void; notice(s: string): void; verbose(s: string): void; debug(s: string): void };
  cfgNum(name: string): number;
  cfgBool(name: string): boolean;
  cfgStr(name: string): string;
  /** our client port, TLS port (0: none) and whether the bus runs TLS */
  ports(): { port: number; tlsPort: number };
  bindHost(): string;
  /** master_repl_offset, or the replica's processed offset (replicationGetSlaveOffset) */
  replOffset(): number;
  replicaOffset(): number;
  /** ms since our master link last spoke or went down (the data age of a failover) */
  masterDataAgeMs(): number;
  setMaster(ip: string, port: number): void;
  unsetMaster(): void;
  isReplicating(): boolean;
  flushAll(): void;
  countKeysInSlot(slot: number): number;
  keysInSlot(slot: number, max: number): string[];
  delKeysInSlot(slot: number): number;
  dbsWithKeysBeyond0(): boolean;
  keysInDb0(): number;
  pauseWrites(until: number): void;
  unpause(): void;
  deliverPublish(channel: string, message: string, sharded: boolean): void;
  hasSubscribers(sharded: boolean): boolean;
  removeShardChannelsInSlot(slot: number): void;
  saveConfigFile(text: string, fsync: boolean): void;
  /** tls-cluster: the bus's TLS options (listener with client certificates required, and outbound), else null */
  busTls(): { listen: tls.TlsOptions; connect(host: string, port: number): tls.ConnectionOptions } | null;
}

export class ClusterState implements BusHandler {
  myself: ClusterNode;
  currentEpoch = 0;
  lastVoteEpoch = 0;
  state = CLUSTER_FAIL;
  size = 1;
  readonly nodes = new Map<string, ClusterNode>();
  readonly blacklist = new Map<string, number>();
  readonly slots: (ClusterNode | null)[] = new Array<ClusterNode | null>(CLUSTER_SLOTS).fill(null);
  /** slot -> the node it migrates to / imports from (written only through setMigrating / setImporting) */
  private readonly migratingTo: (ClusterNode | null)[] = new Array<ClusterNode | null>(CLUSTER_SLOTS).fill(null);
  private readonly importingFrom: (ClusterNode | null)[] = new Array<ClusterNode | null>(CLUSTER_SLOTS).fill(null);
  get migrating(): readonly (ClusterNode | null)[] { return this.migratingTo; }
  get importing(): readonly (ClusterNode | null)[] { return this.importingFrom; }
  /** slots with a migrating or importing node (kept by the setters) */
  private readonly openSlots = new Set<number>();
  readonly ownerNotClaiming = new Uint8Array(SLOTS_BYTES);
  failoverAuthTime = 0;
  failoverAuthCount = 0;
  failoverAuthSent = false;
  failoverAuthRank = 0;
  failoverAuthEpoch = 0;
  cantFailoverReason = CANT_NONE;
  private lastCantLog = 0;
  mfEnd = 0;
  mfSlave: ClusterNode | null = null;
  mfMasterOffset = -1;
  mfCanStart = false;
  private todo = 0;
  private todoScheduled = false;
  readonly sentStats = new Array<number>(MSG_TYPE_COUNT).fill(0);
  readonly receivedStats = new Array<number>(MSG_TYPE_COUNT).fill(0);
  statsPfailNodes = 0;
  linksBufferLimitExceeded = 0;
  private iteration = 0;
  private pingsSent = 0;
  private firstCallTime = 0;
  private amongMinorityTime = 0;
  private listener: net.Server | null = null;
  private inbound = new Set<Link>();
  /** DEBUG CLUSTERLINK / drop filter (cluster_drop_packet_filter) */
  dropPacketFilter = -1;

  constructor(readonly host: ClusterHost) {
    this.myself = new ClusterNode(randomName(), NODE_MYSELF | NODE_MASTER);
  }

  // ---- nodes -----------------------------------------------------------------------

  lookup(name: string): ClusterNode | undefined {
    return validName(name) ? this.nodes.get(name) : undefined;
  }

  addNode(n: ClusterNode): void { this.nodes.set(n.name, n); }

  /** clusterDelNode */
  delNode(del: ClusterNode): void {
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (this.importingFrom[j] === del) this.setImporting(j, null);
      if (this.migratingTo[j] === del) this.setMigrating(j, null);
      if (this.slots[j] === del) this.delSlot(j);
    }
    for (const n of this.nodes.values()) if (n !== del) this.delFailureReport(n, del);
    // freeClusterNode
    for (const s of del.slaves) s.slaveof = null;
    if (del.isSlave && del.slaveof !== null) del.slaveof.removeSlave(del);
    this.nodes.delete(del.name);
    del.link?.free();
    del.inboundLink?.free();
  }

  renameNode(n: ClusterNode, name: string): void {
    this.host.log.debug(`Renaming node ${n.name} into ${name}`);
    this.nodes.delete(n.name);
    n.name = name;
    this.addNode(n);
  }

  maxEpoch(): number {
    let max = 0;
    for (const n of this.nodes.values()) if (n.configEpoch > max) max = n.configEpoch;
    return Math.max(max, this.currentEpoch);
  }

  /** clusterBumpConfigEpochWithoutConsensus */
  bumpEpochWithoutConsensus(): boolean {
    const max = this.maxEpoch();
    if (this.myself.configEpoch === 0 || this.myself.configEpoch !== max) {
      this.currentEpoch++;
      this.myself.configEpoch = this.currentEpoch;
      this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
      this.host.log.warning(`New configEpoch set to ${this.myself.configEpoch}`);
      return true;
    }
    return false;
  }

  private handleConfigEpochCollision(sender: ClusterNode): void {
    const me = this.myself;
    if (sender.configEpoch !== me.configEpoch || !sender.isMaster || !me.isMaster) return;
    if (sender.name <= me.name) return;
    this.currentEpoch++;
    me.configEpoch = this.currentEpoch;
    this.saveConfigOrDie(true);
    this.host.log.verbose(`WARNING: configEpoch collision with node ${sender.name}. configEpoch set to ${me.configEpoch}`);
  }

  blacklistAdd(n: ClusterNode): void {
    this.blacklistCleanup();
    this.blacklist.set(n.name, Math.floor(Date.now() / 1000) + BLACKLIST_TTL);
  }

  private blacklistCleanup(): void {
    const now = Math.floor(Date.now() / 1000);
    for (const [k, t] of this.blacklist) if (t < now) this.blacklist.delete(k);
  }

  private blacklisted(name: string): boolean {
    this.blacklistCleanup();
    return this.blacklist.has(name);
  }

  // ---- failure reports -------------------------------------------------------------

  private addFailureReport(failing: ClusterNode, sender: ClusterNode): boolean {
    const r = failing.failReports.find((f) => f.node === sender);
    if (r !== undefined) { r.time = Date.now(); return false; }
    failing.failReports.push({ node: sender, time: Date.now() });
    return true;
  }

  private cleanupFailureReports(n: ClusterNode): void {
    const max = this.host.cfgNum('cluster-node-timeout') * FAIL_REPORT_VALIDITY_MULT;
    const now = Date.now();
    n.failReports = n.failReports.filter((f) => now - f.time <= max);
  }

  private delFailureReport(n: ClusterNode, sender: ClusterNode): boolean {
    const i = n.failReports.findIndex((f) => f.node === sender);
    if (i < 0) return false;
    n.failReports.splice(i, 1);
    this.cleanupFailureReports(n);
    return true;
  }

  failureReportsCount(n: ClusterNode): number {
    this.cleanupFailureReports(n);
    return n.failReports.length;
  }

  private markNodeAsFailingIfNeeded(n: ClusterNode): void {
    const quorum = Math.floor(this.size / 2) + 1;
    if (!n.timedOut || n.failed) return;
    let failures = this.failureReportsCount(n);
    if (this.myself.isMaster) failures++;
    if (failures < quorum) return;
    this.host.log.notice(`Marking node ${n.name} as failing (quorum reached).`);
    n.flags &= ~NODE_PFAIL;
    n.flags |= NODE_FAIL;
    n.failTime = Date.now();
    this.broadcast(buildFail(this.self(), n.name));
    this.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
  }

  private clearNodeFailureIfNeeded(n: ClusterNode): void {
    const now = Date.now();
    if (n.isSlave || n.numslots === 0) {
      this.host.log.notice(`Clear FAIL state for node ${n.name}: ${n.isSlave ? 'replica' : 'master without slots'} is reachable again.`);
      n.flags &= ~NODE_FAIL;
      this.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
    }
    if (n.isMaster && n.numslots > 0 && now - n.failTime > this.host.cfgNum('cluster-node-timeout') * FAIL_UNDO_TIME_MULT) {
      this.host.log.notice(`Clear FAIL state for node ${n.name}: is reachable again and nobody is serving its slots after some time.`);
      n.flags &= ~NODE_FAIL;
      this.doBeforeSleep(TODO_UPDATE_STATE | TODO_SAVE_CONFIG);
    }
  }

  // ---- handshake -----------------------------------------------------------------

  private handshakeInProgress(ip: string, port: number, cport: number): boolean {
    for (const n of this.nodes.values()) {
      if (n.inHandshake && n.ip.toLowerCase() === ip.toLowerCase() && n.port === port && n.cport === cport) return true;
    }
    return false;
  }

  /** clusterStartHandshake: 'ok', 'inval' (bad address) or 'again' (already in progress) */
  startHandshake(ip: string, port: number, cport: number): 'ok' | 'inval' | 'again' {
    let norm: string;
    if (net.isIPv4(ip)) norm = ip.split('.').map((x) => String(Number(x))).join('.');
    else if (net.isIPv6(ip)) norm = normalizeIpv6(ip);
    else return 'inval';
    if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) return 'inval';
    if (this.handshakeInProgress(norm, port, cport)) return 'again';
    const n = new ClusterNode(randomName(), NODE_HANDSHAKE | NODE_MEET);
    n.ip = norm;
    n.port = port;
    n.cport = cport;
    this.addNode(n);
    return 'ok';
  }

  // ---- slots ------------------------------------------------------------------------

  private mastersHaveSlaves(): boolean {
    for (const n of this.nodes.values()) if (!n.isSlave && n.slaves.length > 0) return true;
    return false;
  }

  private setSlotBit(n: ClusterNode, slot: number): boolean {
    const old = testBit(n.slots, slot);
    setBit(n.slots, slot);
    if (!old) {
      n.ranges = null;
      n.numslots++;
      if (n.numslots === 1 && this.mastersHaveSlaves()) n.flags |= NODE_MIGRATE_TO;
    }
    return old;
  }

  private clearSlotBit(n: ClusterNode, slot: number): boolean {
    const old = testBit(n.slots, slot);
    clearBit(n.slots, slot);
    if (old) { n.numslots--; n.ranges = null; }
    return old;
  }

  addSlot(n: ClusterNode, slot: number): boolean {
    if (this.slots[slot] !== null) return false;
    this.setSlotBit(n, slot);
    this.slots[slot] = n;
    return true;
  }

  delSlot(slot: number): boolean {
    const n = this.slots[slot];
    if (n === null) return false;
    // the shard channels of a slot this shard no longer serves go (removeChannelsInSlot)
    const master = n.isMaster ? n : n.slaveof;
    if (master !== null && (master === this.myself || master.slaves.includes(this.myself))) this.host.removeShardChannelsInSlot(slot);
    this.clearSlotBit(n, slot);
    this.slots[slot] = null;
    return true;
  }

  delNodeSlots(n: ClusterNode): number {
    let deleted = 0;
    for (let j = 0; j < CLUSTER_SLOTS; j++) if (n.hasSlot(j)) { this.delSlot(j); deleted++; }
    return deleted;
  }

  closeAllSlots(): void {
    this.migratingTo.fill(null);
    this.importingFrom.fill(null);
    this.openSlots.clear();
  }

  setMigrating(slot: number, n: ClusterNode | null): void {
    this.migratingTo[slot] = n;
    this.noteOpen(slot);
  }

  setImporting(slot: number, n: ClusterNode | null): void {
    this.importingFrom[slot] = n;
    this.noteOpen(slot);
  }

  private noteOpen(slot: number): void {
    if (this.migratingTo[slot] !== null || this.importingFrom[slot] !== null) this.openSlots.add(slot);
    else this.openSlots.delete(slot);
  }

  private slotUnclaimed(j: number): boolean {
    return this.slots[j] === null || testBit(this.ownerNotClaiming, j);
  }

  /** clusterSetNodeAsMaster */
  setNodeAsMaster(n: ClusterNode): void {
    if (n.isMaster) return;
    if (n.slaveof !== null) {
      n.slaveof.removeSlave(n);
      if (n !== this.myself) n.flags |= NODE_MIGRATE_TO;
    }
    n.flags &= ~NODE_SLAVE;
    n.flags |= NODE_MASTER;
    n.slaveof = null;
    this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
  }

  /** clusterSetMaster: we become a replica of n */
  setMaster(n: ClusterNode): void {
    const me = this.myself;
    if (me.isMaster) {
      me.flags &= ~(NODE_MASTER | NODE_MIGRATE_TO);
      me.flags |= NODE_SLAVE;
      this.closeAllSlots();
    } else if (me.slaveof !== null) {
      me.slaveof.removeSlave(me);
    }
    me.slaveof = n;
    n.addSlave(me);
    this.host.setMaster(n.ip, n.port);
    this.resetManualFailover();
  }

  /** clusterUpdateSlotsConfigWith */
  private updateSlotsConfigWith(sender: ClusterNode, senderConfigEpoch: number, slots: Uint8Array): void {
    const me = this.myself;
    const curmaster = me.isMaster ? me : me.slaveof;
    if (sender === me) { this.host.log.warning('Discarding UPDATE message about myself.'); return; }
    let newmaster: ClusterNode | null = null;
    const dirty: number[] = [];
    let senderSlots = 0;
    let migratedOurSlots = 0;
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (testBit(slots, j)) {
        senderSlots++;
        if (this.slots[j] === sender) { clearBit(this.ownerNotClaiming, j); continue; }
        if (this.importing[j] !== null) continue;
        if (this.slotUnclaimed(j) || this.slots[j]!.configEpoch < senderConfigEpoch) {
          if (this.slots[j] === me && this.host.countKeysInSlot(j) > 0 && sender !== me) dirty.push(j);
          if (this.slots[j] === curmaster) { newmaster = sender; migratedOurSlots++; }
          this.delSlot(j);
          this.addSlot(sender, j);
          clearBit(this.ownerNotClaiming, j);
          this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
        }
      } else if (this.slots[j] === sender) {
        setBit(this.ownerNotClaiming, j);
      }
    }
    if (newmaster !== null && curmaster !== null && curmaster.numslots === 0 &&
      (this.host.cfgBool('cluster-allow-replica-migration') || senderSlots === migratedOurSlots)) {
      this.host.log.warning(`Configuration change detected. Reconfiguring myself as a replica of ${sender.name}`);
      this.setMaster(sender);
      this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
    } else if (me.slaveof !== null && me.slaveof.slaveof !== null && me.slaveof.slaveof !== me) {
      this.host.log.warning(`I'm a sub-replica! Reconfiguring myself as a replica of grandmaster ${me.slaveof.slaveof.name}`);
      this.setMaster(me.slaveof.slaveof);
      this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
    } else if (dirty.length > 0) {
      for (const j of dirty) this.host.delKeysInSlot(j);
    }
  }

  // ---- our header -------------------------------------------------------------------

  /** deriveAnnouncedPorts */
  announcedPorts(): { port: number; pport: number; cport: number } {
    const h = this.host;
    const { port: plain, tlsPort } = h.ports();
    const tlsCluster = h.cfgBool('tls-cluster');
    const base = tlsCluster ? tlsPort : plain;
    let port = base;
    let pport = tlsCluster ? plain : 0;
    let cport = h.cfgNum('cluster-port') || base + 10000;
    if (tlsCluster && h.cfgNum('cluster-announce-tls-port')) {
      port = h.cfgNum('cluster-announce-tls-port');
      pport = h.cfgNum('cluster-announce-port');
    } else if (h.cfgNum('cluster-announce-port')) {
      port = h.cfgNum('cluster-announce-port');
    }
    if (h.cfgNum('cluster-announce-bus-port')) cport = h.cfgNum('cluster-announce-bus-port');
    return { port, pport, cport };
  }

  /** clusterBuildMessageHdr's view of us */
  self(): Self {
    const me = this.myself;
    const master = me.isSlave && me.slaveof !== null ? me.slaveof : me;
    const p = this.announcedPorts();
    return {
      port: p.port, pport: p.pport, cport: p.cport, currentEpoch: this.currentEpoch, configEpoch: master.configEpoch,
      offset: me.isSlave ? this.host.replicaOffset() : this.host.replOffset(), name: me.name, slots: master.slots,
      slaveof: me.slaveof !== null ? me.slaveof.name : '', announceIp: this.host.cfgStr('cluster-announce-ip'),
      flags: me.flags, state: this.state, mflags0: me.isMaster && this.mfEnd !== 0 ? FLAG0_PAUSED : 0,
    };
  }

  // ---- sending -------------------------------------------------------------------

  sent(type: number): void { this.sentStats[type]!++; }

  /** clusterBroadcastMessage */
  private broadcast(msg: Buffer): void {
    for (const n of this.nodes.values()) {
      if (n.flags & (NODE_MYSELF | NODE_HANDSHAKE)) continue;
      n.link?.send(msg);
    }
  }

  private gossipOf(n: ClusterNode): Gossip {
    return { name: n.name, pingSent: n.pingSent, pongReceived: n.pongReceived, ip: n.ip, port: n.port, cport: n.cport, flags: n.flags, pport: n.pport };
  }

  /** clusterSendPing: PING, PONG or MEET with about a tenth of the nodes (at least 3) and every PFAIL node as gossip */
  sendPing(link: Link, type: number): void {
    this.pingsSent++;
    const all = [...this.nodes.values()];
    let freshnodes = all.length - 2;
    let wanted = Math.max(3, Math.floor(all.length / 10));
    if (wanted > freshnodes) wanted = freshnodes;
    if (!link.inbound && type === MSG_PING && link.node !== null) link.node.pingSent = Date.now();
    const gossip: Gossip[] = [];
    let maxIterations = wanted * 3;
    while (freshnodes > 0 && gossip.length < wanted && maxIterations-- > 0) {
      const n = all[Math.floor(Math.random() * all.length)]!;
      if (n === this.myself) continue;
      if (n.flags & NODE_PFAIL) continue;
      if (n.flags & (NODE_HANDSHAKE | NODE_NOADDR) || (n.link === null && n.numslots === 0)) { freshnodes--; continue; }
      if (n.lastInPingGossip === this.pingsSent) continue;
      gossip.push(this.gossipOf(n));
      n.lastInPingGossip = this.pingsSent;
      freshnodes--;
    }
    let pfailWanted = this.statsPfailNodes;
    for (const n of all) {
      if (pfailWanted <= 0) break;
      if (n.flags & (NODE_HANDSHAKE | NODE_NOADDR) || !(n.flags & NODE_PFAIL)) continue;
      gossip.push(this.gossipOf(n));
      pfailWanted--;
    }
    link.send(buildPing(type, this.self(), gossip, this.myself.hostname));
  }

  /** clusterBroadcastPong: all nodes, or (localSlaves) the replicas of our master */
  broadcastPong(localSlaves = false): void {
    const me = this.myself;
    for (const n of this.nodes.values()) {
      if (n.link === null || n === me || n.inHandshake) continue;
      if (localSlaves && !(n.isSlave && n.slaveof !== null && (n.slaveof === me || n.slaveof === me.slaveof))) continue;
      this.sendPing(n.link, MSG_PONG);
    }
  }

  private sendUpdate(link: Link | null, n: ClusterNode): void {
    if (link === null) return;
    const slots = new Uint8Array(n.slots);
    for (let i = 0; i < SLOTS_BYTES; i++) slots[i]! &= ~this.ownerNotClaiming[i]!;
    link.send(buildUpdate(this.self(), n.name, n.configEpoch, slots));
  }

  /** clusterPropagatePublish */
  propagatePublish(channel: string, message: string, sharded: boolean): void {
    if (!sharded) {
      this.broadcast(buildPublish(MSG_PUBLISH, this.self(), channel, message));
      return;
    }
    const me = this.myself;
    const master = me.isMaster ? me : me.slaveof;
    if (master === null) return;
    const msg = buildPublish(MSG_PUBLISHSHARD, this.self(), channel, message);
    for (const n of [master, ...master.slaves]) {
      if (n.flags & (NODE_MYSELF | NODE_HANDSHAKE)) continue;
      n.link?.send(msg);
    }
  }

  private requestFailoverAuth(): void {
    const self = this.self();
    if (this.mfEnd !== 0) self.mflags0 |= FLAG0_FORCEACK;
    this.broadcast(buildMessage(MSG_AUTH_REQUEST, self, HDR_LEN));
  }

  private sendFailoverAuth(n: ClusterNode): void {
    n.link?.send(buildMessage(MSG_AUTH_ACK, this.self(), HDR_LEN));
  }

  sendMFStart(n: ClusterNode): void {
    n.link?.send(buildMessage(MSG_MFSTART, this.self(), HDR_LEN));
  }

  // ---- receiving -------------------------------------------------------------------

  badFrame(): void { this.host.log.warning('Bad message length or signature received from Cluster bus.'); }

  onConnected(link: Link): void {
    const node = link.node!;
    const oldPingSent = node.pingSent;
    this.sendPing(link, node.flags & NODE_MEET ? MSG_MEET : MSG_PING);
    if (oldPingSent) node.pingSent = oldPingSent;
    node.flags &= ~NODE_MEET;
    this.host.log.debug(`Connecting with Node ${node.name} at ${node.ip}:${node.cport}`);
  }

  onClosed(link: Link): void {
    this.inbound.delete(link);
    const n = link.node;
    if (n === null) return;
    if (n.link === link) n.link = null;
    else if (n.inboundLink === link) n.inboundLink = null;
  }

  private setInboundLink(n: ClusterNode, link: Link): void {
    if (n.inboundLink !== null && n.inboundLink !== link) {
      this.host.log.debug(`Replacing inbound link from node ${n.name}`);
      n.inboundLink.free();
    }
    n.inboundLink = link;
    link.node = n;
  }

  private senderOf(link: Link, h: Header): ClusterNode | undefined {
    if (link.node !== null && !link.node.inHandshake) return link.node;
    const sender = this.lookup(h.sender);
    if (sender !== undefined && link.node === null) this.setInboundLink(sender, link);
    return sender;
  }

  /** nodeUpdateAddressIfNeeded */
  private updateAddressIfNeeded(n: ClusterNode, link: Link, h: Header): boolean {
    if (link === n.link) return false;
    const ip = h.myip !== '' ? h.myip : peerIp(link.socket);
    if (ip === '') return false;
    if (n.port === h.port && n.cport === h.cport && n.pport === h.pport && n.ip === ip) return false;
    n.ip = ip;
    n.port = h.port;
    n.pport = h.pport;
    n.cport = h.cport;
    n.link?.free();
    n.flags &= ~NODE_NOADDR;
    this.host.log.warning(`Address updated for node ${n.name}, now ${n.ip}:${n.port}`);
    if (this.myself.isSlave && this.myself.slaveof === n) this.host.setMaster(n.ip, n.port);
    return true;
  }

  /** clusterProcessGossipSection */
  private processGossip(msg: Buffer, h: Header, link: Link): void {
    const sender = link.node ?? this.lookup(h.sender) ?? null;
    for (let i = 0; i < h.count; i++) {
      const g = readGossip(msg, i);
      const flags = g.flags;
      this.host.log.debug(`GOSSIP ${g.name} ${g.ip}:${g.port}@${g.cport} ${flagsText(flags)}`);
      const node = this.lookup(g.name);
      if (node !== undefined) {
        if (sender !== null && sender.isMaster && node !== this.myself) {
          if (flags & (NODE_FAIL | NODE_PFAIL)) {
            if (this.addFailureReport(node, sender)) this.host.log.verbose(`Node ${sender.name} reported node ${node.name} as not reachable.`);
            this.markNodeAsFailingIfNeeded(node);
          } else if (this.delFailureReport(node, sender)) {
            this.host.log.verbose(`Node ${sender.name} reported node ${node.name} is back online.`);
          }
        }
        if (!(flags & (NODE_FAIL | NODE_PFAIL)) && node.pingSent === 0 && this.failureReportsCount(node) === 0) {
          const pongtime = g.pongReceived * 1000;
          if (pongtime <= Date.now() + 500 && pongtime > node.pongReceived) node.pongReceived = pongtime;
        }
        if (node.flags & (NODE_FAIL | NODE_PFAIL) && !(flags & NODE_NOADDR) && !(flags & (NODE_FAIL | NODE_PFAIL)) &&
          (node.ip.toLowerCase() !== g.ip.toLowerCase() || node.port !== g.port || node.cport !== g.cport)) {
          node.link?.free();
          node.ip = g.ip;
          node.port = g.port;
          node.pport = g.pport;
          node.cport = g.cport;
          node.flags &= ~NODE_NOADDR;
        }
      } else if (sender !== null && !(flags & NODE_NOADDR) && !this.blacklisted(g.name) && validName(g.name)) {
        const n = new ClusterNode(g.name, flags);
        n.ip = g.ip;
        n.port = g.port;
        n.pport = g.pport;
        n.cport = g.cport;
        this.addNode(n);
      }
    }
  }

  /** clusterProcessPacket: false when the link was freed */
  onMessage(link: Link, msg: Buffer): boolean {
    const h = readHeader(msg);
    const type = h.type;
    const now = Date.now();
    const log = this.host.log;
    if (type < MSG_TYPE_COUNT) this.receivedStats[type]!++;
    log.debug(`--- Processing packet of type ${MSG_TYPE_NAMES[type] ?? 'unknown'}, ${h.totlen} bytes`);
    if (h.ver !== 1) return true;
    if (type === this.dropPacketFilter) { log.warning('Dropping packet that matches debug drop filter'); return true; }
    const explen = expectedLength(msg, h);
    if (typeof explen === 'string') { log.warning(explen); return true; }
    if (explen >= 0 && h.totlen !== explen) {
      log.warning(`Received invalid ${MSG_TYPE_NAMES[type] ?? 'unknown'} packet of length ${h.totlen} but expected length ${explen}`);
      return true;
    }
    const me = this.myself;
    const sender = this.senderOf(link, h);
    if (sender !== undefined) sender.dataReceived = now;
    let senderConfigEpoch = 0;
    let senderCurrentEpoch = 0;
    if (sender !== undefined && !sender.inHandshake) {
      senderCurrentEpoch = h.currentEpoch;
      senderConfigEpoch = h.configEpoch;
      if (senderCurrentEpoch > this.currentEpoch) this.currentEpoch = senderCurrentEpoch;
      if (senderConfigEpoch > sender.configEpoch) {
        sender.configEpoch = senderConfigEpoch;
        this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
      }
      sender.replOffset = h.offset;
      sender.replOffsetTime = now;
      if (this.mfEnd !== 0 && me.isSlave && me.slaveof === sender && h.mflags0 & FLAG0_PAUSED && this.mfMasterOffset === -1) {
        this.mfMasterOffset = sender.replOffset;
        this.doBeforeSleep(TODO_HANDLE_MANUALFAILOVER);
        log.warning(`Received replication offset for paused master manual failover: ${this.mfMasterOffset}`);
      }
    }

    if (type === MSG_PING || type === MSG_MEET) {
      if ((type === MSG_MEET || me.ip === '') && this.host.cfgStr('cluster-announce-ip') === '') {
        const ip = localIp(link.socket);
        if (ip !== '' && ip !== me.ip) {
          me.ip = ip;
          log.warning(`IP address for this node updated to ${me.ip}`);
          this.doBeforeSleep(TODO_SAVE_CONFIG);
        }
      }
      if (sender === undefined && type === MSG_MEET) {
        const n = new ClusterNode(randomName(), NODE_HANDSHAKE);
        n.ip = h.myip !== '' ? h.myip : peerIp(link.socket);
        n.port = h.port;
        n.pport = h.pport;
        n.cport = h.cport;
        this.addNode(n);
        this.doBeforeSleep(TODO_SAVE_CONFIG);
        this.processGossip(msg, h, link);
      }
      this.sendPing(link, MSG_PONG);
    }

    if (type === MSG_PING || type === MSG_PONG || type === MSG_MEET) {
      log.debug(`${MSG_TYPE_NAMES[type]} packet received: ${link.node?.name ?? 'NULL'}`);
      if (!link.inbound) {
        const ln = link.node!;
        if (ln.inHandshake) {
          if (sender !== undefined) {
            log.verbose(`Handshake: we already know node ${sender.name}, updating the address if needed.`);
            if (this.updateAddressIfNeeded(sender, link, h)) this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
            this.delNode(ln);
            return false;
          }
          if (!validName(h.sender)) { link.free(); return false; }
          this.renameNode(ln, h.sender);
          log.debug(`Handshake with node ${ln.name} completed.`);
          ln.flags &= ~NODE_HANDSHAKE;
          ln.flags |= h.flags & (NODE_MASTER | NODE_SLAVE);
          this.doBeforeSleep(TODO_SAVE_CONFIG);
        } else if (ln.name !== h.sender) {
          log.debug(`PONG contains mismatching sender ID. About node ${ln.name} added ${now - ln.ctime} ms ago, having flags ${ln.flags}`);
          ln.flags |= NODE_NOADDR;
          ln.ip = '';
          ln.port = 0;
          ln.pport = 0;
          ln.cport = 0;
          link.free();
          this.doBeforeSleep(TODO_SAVE_CONFIG);
          return false;
        }
      }
      if (sender !== undefined) {
        sender.flags &= ~NODE_NOFAILOVER;
        sender.flags |= h.flags & NODE_NOFAILOVER;
      }
      if (sender !== undefined && type === MSG_PING && !sender.inHandshake && this.updateAddressIfNeeded(sender, link, h)) {
        this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
      }
      if (!link.inbound && type === MSG_PONG) {
        const ln = link.node!;
        ln.pongReceived = now;
        ln.pingSent = 0;
        if (ln.timedOut) {
          ln.flags &= ~NODE_PFAIL;
          this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
        } else if (ln.failed) {
          this.clearNodeFailureIfNeeded(ln);
        }
      }
      if (sender !== undefined) {
        if (h.slaveof === '') {
          this.setNodeAsMaster(sender);
        } else {
          const master = this.lookup(h.slaveof);
          if (sender.isMaster) {
            this.delNodeSlots(sender);
            sender.flags &= ~(NODE_MASTER | NODE_MIGRATE_TO);
            sender.flags |= NODE_SLAVE;
            this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
          }
          if (master !== undefined && sender.slaveof !== master) {
            sender.slaveof?.removeSlave(sender);
            master.addSlave(sender);
            sender.slaveof = master;
            this.doBeforeSleep(TODO_SAVE_CONFIG);
          }
        }
      }
      let senderMaster: ClusterNode | null = null;
      let dirtySlots = false;
      if (sender !== undefined) {
        senderMaster = sender.isMaster ? sender : sender.slaveof;
        if (senderMaster !== null) dirtySlots = !equalBytes(senderMaster.slots, h.myslots);
      }
      if (sender !== undefined && sender.isMaster && dirtySlots) this.updateSlotsConfigWith(sender, senderConfigEpoch, h.myslots);
      if (sender !== undefined && dirtySlots) {
        for (let j = 0; j < CLUSTER_SLOTS; j++) {
          if (!testBit(h.myslots, j)) continue;
          if (this.slots[j] === sender || this.slotUnclaimed(j)) continue;
          if (this.slots[j]!.configEpoch > senderConfigEpoch) {
            log.verbose(`Node ${sender.name} has old slots configuration, sending an UPDATE message about ${this.slots[j]!.name}`);
            this.sendUpdate(sender.link, this.slots[j]!);
            break;
          }
        }
      }
      if (sender !== undefined && me.isMaster && sender.isMaster && senderConfigEpoch === me.configEpoch) this.handleConfigEpochCollision(sender);
      if (sender !== undefined) {
        this.processGossip(msg, h, link);
        const hostname = readHostnameExt(msg, h, (t) => log.warning(`Received unknown extension type ${t}`));
        sender.hostname = hostname ?? '';
      }
    } else if (type === MSG_FAIL) {
      const about = readFailAbout(msg);
      if (sender !== undefined) {
        const failing = this.lookup(about);
        if (failing !== undefined && !(failing.flags & (NODE_FAIL | NODE_MYSELF))) {
          log.notice(`FAIL message received from ${h.sender} about ${about}`);
          failing.flags |= NODE_FAIL;
          failing.failTime = now;
          failing.flags &= ~NODE_PFAIL;
          this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE);
        }
      } else {
        log.notice(`Ignoring FAIL message from unknown node ${h.sender} about ${about}`);
      }
    } else if (type === MSG_PUBLISH || type === MSG_PUBLISHSHARD) {
      if (sender === undefined) return true;
      const sharded = type === MSG_PUBLISHSHARD;
      if (this.host.hasSubscribers(sharded)) {
        const [channel, message] = readPublish(msg);
        this.host.deliverPublish(channel, message, sharded);
      }
    } else if (type === MSG_AUTH_REQUEST) {
      if (sender === undefined) return true;
      this.sendFailoverAuthIfNeeded(sender, h);
    } else if (type === MSG_AUTH_ACK) {
      if (sender === undefined) return true;
      if (sender.isMaster && sender.numslots > 0 && senderCurrentEpoch >= this.failoverAuthEpoch) {
        this.failoverAuthCount++;
        this.doBeforeSleep(TODO_HANDLE_FAILOVER);
      }
    } else if (type === MSG_MFSTART) {
      if (sender === undefined || sender.slaveof !== me) return true;
      this.resetManualFailover();
      this.mfEnd = now + MF_TIMEOUT;
      this.mfSlave = sender;
      this.host.pauseWrites(now + MF_TIMEOUT * MF_PAUSE_MULT);
      log.warning(`Manual failover requested by replica ${sender.name}.`);
      this.sendPing(link, MSG_PING);
    } else if (type === MSG_UPDATE) {
      if (sender === undefined) return true;
      const u = readUpdate(msg);
      const n = this.lookup(u.name);
      if (n === undefined) return true;
      if (n.configEpoch >= u.configEpoch) return true;
      if (n.isSlave) this.setNodeAsMaster(n);
      n.configEpoch = u.configEpoch;
      this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
      this.updateSlotsConfigWith(n, u.configEpoch, u.slots);
    } else if (type === MSG_MODULE) {
      // no modules here: nothing subscribes to module messages
    } else {
      log.warning(`Received unknown packet type: ${type}`);
    }
    return !link.freed;
  }

  // ---- failover ------------------------------------------------------------------

  /** clusterSendFailoverAuthIfNeeded */
  private sendFailoverAuthIfNeeded(node: ClusterNode, req: Header): void {
    const me = this.myself;
    const log = this.host.log;
    const master = node.slaveof;
    const forceAck = (req.mflags0 & FLAG0_FORCEACK) !== 0;
    if (me.isSlave || me.numslots === 0) return;
    if (req.currentEpoch < this.currentEpoch) {
      log.warning(`Failover auth denied to ${node.name}: reqEpoch (${req.currentEpoch}) < curEpoch(${this.currentEpoch})`);
      return;
    }
    if (this.lastVoteEpoch === this.currentEpoch) {
      log.warning(`Failover auth denied to ${node.name}: already voted for epoch ${this.currentEpoch}`);
      return;
    }
    if (node.isMaster || master === null || (!master.failed && !forceAck)) {
      if (node.isMaster) log.warning(`Failover auth denied to ${node.name}: it is a master node`);
      else if (master === null) log.warning(`Failover auth denied to ${node.name}: I don't know its master`);
      else log.warning(`Failover auth denied to ${node.name}: its master is up`);
      return;
    }
    const timeout = this.host.cfgNum('cluster-node-timeout');
    if (Date.now() - master.votedTime < timeout * 2) {
      log.warning(`Failover auth denied to ${node.name}: can't vote about this master before ${timeout * 2 - (Date.now() - master.votedTime)} milliseconds`);
      return;
    }
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (!testBit(req.myslots, j)) continue;
      if (this.slotUnclaimed(j) || this.slots[j]!.configEpoch <= req.configEpoch) continue;
      log.warning(`Failover auth denied to ${node.name}: slot ${j} epoch (${this.slots[j]!.configEpoch}) > reqEpoch (${req.configEpoch})`);
      return;
    }
    this.lastVoteEpoch = this.currentEpoch;
    master.votedTime = Date.now();
    this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_FSYNC_CONFIG);
    this.sendFailoverAuth(node);
    log.warning(`Failover auth granted to ${node.name} for epoch ${this.currentEpoch}`);
  }

  private slaveRank(): number {
    const master = this.myself.slaveof;
    if (master === null) return 0;
    const my = this.host.replicaOffset();
    let rank = 0;
    for (const s of master.slaves) if (s !== this.myself && !s.cantFailover && s.replOffset > my) rank++;
    return rank;
  }

  private logCantFailover(reason: number): void {
    const nowSec = Math.floor(Date.now() / 1000);
    if (reason === this.cantFailoverReason && nowSec - this.lastCantLog < CANT_FAILOVER_RELOG_PERIOD) return;
    this.cantFailoverReason = reason;
    const m = this.myself.slaveof;
    if (m !== null && m.failed && Date.now() - m.failTime < this.host.cfgNum('cluster-node-timeout') + 5000) return;
    const msg = reason === CANT_DATA_AGE ? "Disconnected from master for longer than allowed. Please check the 'cluster-replica-validity-factor' configuration option."
      : reason === CANT_WAITING_DELAY ? 'Waiting the delay before I can start a new failover.'
        : reason === CANT_EXPIRED ? 'Failover attempt expired.'
          : reason === CANT_WAITING_VOTES ? 'Waiting for votes, but majority still not reached.' : 'Unknown reason code.';
    this.lastCantLog = nowSec;
    this.host.log.warning(`Currently unable to failover: ${msg}`);
  }

  /** clusterFailoverReplaceYourMaster */
  failoverReplaceYourMaster(): void {
    const me = this.myself;
    const old = me.slaveof;
    if (me.isMaster || old === null) return;
    this.setNodeAsMaster(me);
    this.host.unsetMaster();
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (old.hasSlot(j)) { this.delSlot(j); this.addSlot(me, j); }
    }
    this.updateState();
    this.saveConfigOrDie(true);
    this.broadcastPong();
    this.resetManualFailover();
  }

  /** clusterHandleSlaveFailover */
  private handleSlaveFailover(): void {
    const me = this.myself;
    const log = this.host.log;
    const now = Date.now();
    const authAge = now - this.failoverAuthTime;
    const quorum = Math.floor(this.size / 2) + 1;
    const manual = this.mfEnd !== 0 && this.mfCanStart;
    const timeoutCfg = this.host.cfgNum('cluster-node-timeout');
    this.todo &= ~TODO_HANDLE_FAILOVER;
    const authTimeout = Math.max(timeoutCfg * 2, 2000);
    const authRetry = authTimeout * 2;
    if (me.isMaster || me.slaveof === null || (!me.slaveof.failed && !manual) ||
      (this.host.cfgBool('cluster-replica-no-failover') && !manual) || me.slaveof.numslots === 0) {
      this.cantFailoverReason = CANT_NONE;
      return;
    }
    let dataAge = this.host.masterDataAgeMs();
    if (dataAge > timeoutCfg) dataAge -= timeoutCfg;
    const factor = this.host.cfgNum('cluster-replica-validity-factor');
    if (factor && dataAge > this.host.cfgNum('repl-ping-replica-period') * 1000 + timeoutCfg * factor) {
      if (!manual) { this.logCantFailover(CANT_DATA_AGE); return; }
    }
    if (authAge > authRetry) {
      this.failoverAuthTime = now + 500 + Math.floor(Math.random() * 500);
      this.failoverAuthCount = 0;
      this.failoverAuthSent = false;
      this.failoverAuthRank = this.slaveRank();
      this.failoverAuthTime += this.failoverAuthRank * 1000;
      if (this.mfEnd !== 0) {
        this.failoverAuthTime = now;
        this.failoverAuthRank = 0;
        this.doBeforeSleep(TODO_HANDLE_FAILOVER);
      }
      log.warning(`Start of election delayed for ${this.failoverAuthTime - now} milliseconds (rank #${this.failoverAuthRank}, offset ${this.host.replicaOffset()}).`);
      this.broadcastPong(true);
      return;
    }
    if (!this.failoverAuthSent && this.mfEnd === 0) {
      const newrank = this.slaveRank();
      if (newrank > this.failoverAuthRank) {
        const added = (newrank - this.failoverAuthRank) * 1000;
        this.failoverAuthTime += added;
        this.failoverAuthRank = newrank;
        log.warning(`Replica rank updated to #${newrank}, added ${added} milliseconds of delay.`);
      }
    }
    if (now < this.failoverAuthTime) { this.logCantFailover(CANT_WAITING_DELAY); return; }
    if (authAge > authTimeout) { this.logCantFailover(CANT_EXPIRED); return; }
    if (!this.failoverAuthSent) {
      this.currentEpoch++;
      this.failoverAuthEpoch = this.currentEpoch;
      log.warning(`Starting a failover election for epoch ${this.currentEpoch}.`);
      this.requestFailoverAuth();
      this.failoverAuthSent = true;
      this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
      return;
    }
    if (this.failoverAuthCount >= quorum) {
      log.warning('Failover election won: I\'m the new master.');
      if (me.configEpoch < this.failoverAuthEpoch) {
        me.configEpoch = this.failoverAuthEpoch;
        log.warning(`configEpoch set to ${me.configEpoch} after successful failover`);
      }
      this.failoverReplaceYourMaster();
    } else {
      this.logCantFailover(CANT_WAITING_VOTES);
    }
  }

  /** clusterHandleSlaveMigration */
  private handleSlaveMigration(maxSlaves: number): void {
    const me = this.myself;
    if (this.state !== CLUSTER_OK) return;
    const mymaster = me.slaveof;
    if (mymaster === null) return;
    let ok = 0;
    for (const s of mymaster.slaves) if (!s.failed && !s.timedOut) ok++;
    if (ok <= this.host.cfgNum('cluster-migration-barrier')) return;
    let target: ClusterNode | null = null;
    let candidate = me;
    for (const n of this.nodes.values()) {
      let okslaves = 0;
      let orphaned = true;
      if (n.isSlave || n.failed) orphaned = false;
      if (!(n.flags & NODE_MIGRATE_TO)) orphaned = false;
      if (n.isMaster) okslaves = n.okSlaves();
      if (okslaves > 0) orphaned = false;
      if (orphaned) {
        if (target === null && n.numslots > 0) target = n;
        if (!n.orphanedTime) n.orphanedTime = Date.now();
      } else {
        n.orphanedTime = 0;
      }
      if (okslaves === maxSlaves) for (const s of n.slaves) if (s.name < candidate.name) candidate = s;
    }
    if (target !== null && candidate === me && Date.now() - target.orphanedTime > SLAVE_MIGRATION_DELAY) {
      this.host.log.warning(`Migrating to orphaned master ${target.name}`);
      this.setMaster(target);
    }
  }

  resetManualFailover(): void {
    if (this.mfSlave !== null) this.host.unpause();
    this.mfEnd = 0;
    this.mfCanStart = false;
    this.mfSlave = null;
    this.mfMasterOffset = -1;
  }

  private manualFailoverCheckTimeout(): void {
    if (this.mfEnd !== 0 && this.mfEnd < Date.now()) {
      this.host.log.warning('Manual failover timed out.');
      this.resetManualFailover();
    }
  }

  private handleManualFailover(): void {
    if (this.mfEnd === 0 || this.mfCanStart || this.mfMasterOffset === -1) return;
    if (this.mfMasterOffset === this.host.replicaOffset()) {
      this.mfCanStart = true;
      this.host.log.warning('All master replication stream processed, manual failover can start.');
      this.doBeforeSleep(TODO_HANDLE_FAILOVER);
      return;
    }
    this.doBeforeSleep(TODO_HANDLE_MANUALFAILOVER);
  }

  // ---- cron ------------------------------------------------------------------------

  private connect(n: ClusterNode): void {
    const t = this.host.busTls();
    const socket = t !== null ? tls.connect(t.connect(n.ip, n.cport)) : net.connect({ host: n.ip, port: n.cport });
    const link = new Link(socket, n, false, this, t !== null);
    n.link = link;
    socket.on('error', (e) => {
      if (!link.connected) {
        if (n.pingSent === 0) n.pingSent = Date.now();
        this.host.log.verbose(`Connection with Node ${n.name} at ${n.ip}:${n.cport} failed: ${e.message}`);
      }
    });
  }

  /** clusterCron: ten times a second */
  cron(): void {
    this.iteration++;
    const now0 = Date.now();
    const timeout = this.host.cfgNum('cluster-node-timeout');
    const me = this.myself;
    me.hostname = this.host.cfgStr('cluster-announce-hostname');
    const handshakeTimeout = Math.max(timeout, 1000);
    this.statsPfailNodes = 0;
    const limit = this.host.cfgNum('cluster-link-sendbuf-limit');
    for (const n of [...this.nodes.values()]) {
      if (limit > 0) {
        for (const l of [n.link, n.inboundLink]) {
          if (l !== null && l.queued > limit) {
            this.host.log.warning(`Freeing cluster link(${l.inbound ? 'from' : 'to'} node ${n.name}, used memory: ${l.queued}) due to exceeding send buffer memory limit.`);
            l.free();
            this.linksBufferLimitExceeded++;
          }
        }
      }
      if (n.flags & (NODE_MYSELF | NODE_NOADDR)) continue;
      if (n.flags & NODE_PFAIL) this.statsPfailNodes++;
      if (n.inHandshake && now0 - n.ctime > handshakeTimeout) { this.delNode(n); continue; }
      if (n.link === null) this.connect(n);
    }
    if (this.iteration % 10 === 0) {
      const all = [...this.nodes.values()];
      let minPongNode: ClusterNode | null = null;
      let minPong = 0;
      for (let j = 0; j < 5; j++) {
        const t = all[Math.floor(Math.random() * all.length)]!;
        if (t.link === null || t.pingSent !== 0) continue;
        if (t.flags & (NODE_MYSELF | NODE_HANDSHAKE)) continue;
        if (minPongNode === null || minPong > t.pongReceived) { minPongNode = t; minPong = t.pongReceived; }
      }
      if (minPongNode !== null) {
        this.host.log.debug(`Pinging node ${minPongNode.name}`);
        this.sendPing(minPongNode.link!, MSG_PING);
      }
    }
    let orphanedMasters = 0;
    let maxSlaves = 0;
    let thisSlaves = 0;
    let updateState = false;
    for (const n of [...this.nodes.values()]) {
      const now = Date.now();
      if (n.flags & (NODE_MYSELF | NODE_NOADDR | NODE_HANDSHAKE)) continue;
      if (me.isSlave && n.isMaster && !n.failed) {
        const ok = n.okSlaves();
        if (ok === 0 && n.numslots > 0 && n.flags & NODE_MIGRATE_TO) orphanedMasters++;
        if (ok > maxSlaves) maxSlaves = ok;
        if (me.slaveof === n) thisSlaves = ok;
      }
      const pingDelay = now - n.pingSent;
      const dataDelay = now - n.dataReceived;
      if (n.link !== null && now - n.link.ctime > timeout && n.pingSent && pingDelay > timeout / 2 && dataDelay > timeout / 2) {
        n.link.free();
      }
      if (n.link !== null && n.link.connected && n.pingSent === 0 && now - n.pongReceived > timeout / 2) {
        this.sendPing(n.link, MSG_PING);
        continue;
      }
      if (this.mfEnd !== 0 && me.isMaster && this.mfSlave === n && n.link !== null && n.link.connected) {
        this.sendPing(n.link, MSG_PING);
        continue;
      }
      if (n.pingSent === 0) continue;
      const nodeDelay = Math.min(pingDelay, dataDelay);
      if (nodeDelay > timeout && !(n.flags & (NODE_PFAIL | NODE_FAIL))) {
        this.host.log.debug(`*** NODE ${n.name} possibly failing`);
        n.flags |= NODE_PFAIL;
        updateState = true;
      }
    }
    if (me.isSlave && !this.host.isReplicating() && me.slaveof !== null && me.slaveof.hasAddr) {
      this.host.setMaster(me.slaveof.ip, me.slaveof.port);
    }
    this.manualFailoverCheckTimeout();
    if (me.isSlave) {
      this.handleManualFailover();
      this.handleSlaveFailover();
      if (orphanedMasters && maxSlaves >= 2 && thisSlaves === maxSlaves && this.host.cfgBool('cluster-allow-replica-migration')) {
        this.handleSlaveMigration(maxSlaves);
      }
    }
    if (updateState || this.state === CLUSTER_FAIL) this.updateState();
  }

  doBeforeSleep(flags: number): void {
    this.todo |= flags;
    if (this.todoScheduled) return;
    this.todoScheduled = true;
    setImmediate(() => this.beforeSleep());
  }

  /** clusterBeforeSleep */
  beforeSleep(): void {
    this.todoScheduled = false;
    const flags = this.todo;
    this.todo = 0;
    if (flags & TODO_HANDLE_MANUALFAILOVER) {
      if (this.myself.isSlave) { this.handleManualFailover(); this.handleSlaveFailover(); }
    } else if (flags & TODO_HANDLE_FAILOVER) {
      this.handleSlaveFailover();
    }
    if (flags & TODO_UPDATE_STATE) this.updateState();
    if (flags & TODO_SAVE_CONFIG) this.saveConfigOrDie((flags & TODO_FSYNC_CONFIG) !== 0);
  }

  /** clusterUpdateState */
  updateState(): void {
    this.todo &= ~TODO_UPDATE_STATE;
    const now = Date.now();
    if (this.firstCallTime === 0) this.firstCallTime = now;
    if (this.myself.isMaster && this.state === CLUSTER_FAIL && now - this.firstCallTime < WRITABLE_DELAY) return;
    let newState = CLUSTER_OK;
    if (this.host.cfgBool('cluster-require-full-coverage')) {
      // every slot served by a node not FAIL: as node.slots mirrors slots[] (one owner per slot), the owners' counts
      // add up to CLUSTER_SLOTS exactly then (Redis walks the 16384 slots)
      let served = 0;
      for (const n of this.nodes.values()) if ((n.flags & NODE_FAIL) === 0) served += n.numslots;
      if (served !== CLUSTER_SLOTS) newState = CLUSTER_FAIL;
    }
    let reachable = 0;
    this.size = 0;
    for (const n of this.nodes.values()) {
      if (n.isMaster && n.numslots) {
        this.size++;
        if ((n.flags & (NODE_FAIL | NODE_PFAIL)) === 0) reachable++;
      }
    }
    if (reachable < Math.floor(this.size / 2) + 1) {
      newState = CLUSTER_FAIL;
      this.amongMinorityTime = now;
    }
    if (newState !== this.state) {
      const rejoin = Math.min(MAX_REJOIN_DELAY, Math.max(MIN_REJOIN_DELAY, this.host.cfgNum('cluster-node-timeout')));
      if (newState === CLUSTER_OK && this.myself.isMaster && now - this.amongMinorityTime < rejoin) return;
      this.host.log.warning(`Cluster state changed: ${newState === CLUSTER_OK ? 'ok' : 'fail'}`);
      this.state = newState;
    }
  }

  // ---- config file ----------------------------------------------------------------

  /** clusterSaveConfigOrDie */
  saveConfigOrDie(fsync: boolean): void {
    this.todo &= ~(TODO_SAVE_CONFIG | (fsync ? TODO_FSYNC_CONFIG : 0));
    this.host.saveConfigFile(this.configText(), fsync);
  }

  configText(): string {
    return this.nodesDescription(NODE_HANDSHAKE, false) + `vars currentEpoch ${this.currentEpoch} lastVoteEpoch ${this.lastVoteEpoch}\n`;
  }

  /** clusterGenNodeDescription */
  nodeDescription(n: ClusterNode, usePport: boolean): string {
    const port = usePport && n.pport ? n.pport : n.port;
    let ci = `${n.name} ${n.ip}:${port}@${n.cport}${n.hostname !== '' ? ',' + n.hostname : ''} ${flagsText(n.flags)} ${n.slaveof !== null ? n.slaveof.name : '-'}`;
    const epoch = n.isSlave && n.slaveof !== null ? n.slaveof.configEpoch : n.configEpoch;
    ci += ` ${n.pingSent} ${n.pongReceived} ${epoch} ${n.link !== null || n.isMyself ? 'connected' : 'disconnected'}`;
    if (n.numslots > 0) {
      const r = n.slotRanges();
      for (let i = 0; i < r.length; i += 2) ci += r[i] === r[i + 1] ? ` ${r[i]}` : ` ${r[i]}-${r[i + 1]}`;
    }
    if (n.isMyself && this.openSlots.size > 0) {
      for (const j of [...this.openSlots].sort((a, b) => a - b)) {
        if (this.migrating[j] !== null) ci += ` [${j}->-${this.migrating[j]!.name}]`;
        else if (this.importing[j] !== null) ci += ` [${j}-<-${this.importing[j]!.name}]`;
      }
    }
    return ci;
  }

  /** clusterGenNodesDescription: the nodes not matching `filter`, one line each */
  nodesDescription(filter: number, usePport: boolean): string {
    let out = '';
    for (const n of this.nodes.values()) {
      if (n.flags & filter) continue;
      out += this.nodeDescription(n, usePport) + '\n';
    }
    return out;
  }

  // ---- the bus listener --------------------------------------------------------------

  async listen(cport: number): Promise<void> {
    const accept = (s: net.Socket): void => {
      this.host.log.verbose(`Accepting cluster node connection from ${peerIp(s)}:${s.remotePort ?? 0}`);
      const link = new Link(s, null, true, this);
      this.inbound.add(link);
    };
    const t = this.host.busTls();
    const l = t !== null ? tls.createServer({ ...t.listen, noDelay: true }, accept) : net.createServer({ noDelay: true }, accept);
    if (t !== null) l.on('tlsClientError', (e) => this.host.log.verbose(`Error accepting cluster node connection: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      l.once('error', reject);
      l.listen({ port: cport, host: this.host.bindHost() }, () => { l.off('error', reject); resolve(); });
    });
    this.listener = l;
  }

  get listeningPort(): number {
    const a = this.listener?.address();
    return a !== null && typeof a === 'object' ? a.port : 0;
  }

  /** links of all known nodes, for CLUSTER LINKS */
  links(): Link[] {
    const out: Link[] = [];
    for (const n of this.nodes.values()) {
      if (n.link !== null) out.push(n.link);
      if (n.inboundLink !== null) out.push(n.inboundLink);
    }
    return out;
  }

  /** the number of bus connections (INFO cluster_connections: two per known node) */
  get connections(): number { return (this.nodes.size - 1) * 2; }

  close(): void {
    this.listener?.close();
    this.listener = null;
    for (const l of this.inbound) l.free();
    for (const n of this.nodes.values()) { n.link?.free(); n.inboundLink?.free(); }
  }

  /** clusterReset */
  reset(hard: boolean): void {
    const me = this.myself;
    if (me.isSlave) {
      this.setNodeAsMaster(me);
      this.host.unsetMaster();
      this.host.flushAll();
    }
    this.closeAllSlots();
    this.resetManualFailover();
    for (let j = 0; j < CLUSTER_SLOTS; j++) this.delSlot(j);
    for (const n of [...this.nodes.values()]) if (n !== me) this.delNode(n);
    if (hard) {
      this.currentEpoch = 0;
      this.lastVoteEpoch = 0;
      me.configEpoch = 0;
      this.host.log.warning('configEpoch set to 0 via CLUSTER RESET HARD');
      this.nodes.delete(me.name);
      me.name = randomName();
      this.addNode(me);
      this.host.log.notice(`Node hard reset, now I'm ${me.name}`);
    }
    this.doBeforeSleep(TODO_SAVE_CONFIG | TODO_UPDATE_STATE | TODO_FSYNC_CONFIG);
  }

  /** the todo flags, for the commands (clusterDoBeforeSleep) */
  static readonly SAVE = TODO_SAVE_CONFIG;
  static readonly UPDATE = TODO_UPDATE_STATE;
  static readonly FSYNC = TODO_FSYNC_CONFIG;
  static readonly FAILOVER = TODO_HANDLE_FAILOVER;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function stripMapped(ip: string): string { return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip; }

export function peerIp(s: net.Socket): string { return stripMapped(s.remoteAddress ?? ''); }
function localIp(s: net.Socket): string { return stripMapped(s.localAddress ?? ''); }

/** inet_ntop's form of an IPv6 address (lowercase, longest zero run as ::) */
function normalizeIpv6(ip: string): string {
  try {
    const u = new URL(`http://[${ip}]/`);
    return u.hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}
