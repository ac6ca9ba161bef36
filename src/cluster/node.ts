/*
 * A node of the cluster as this node knows it (redis/src/cluster.h
 * clusterNode), and the flags Redis gives nodes, with their CLUSTER NODES
 * names in Redis's order.
 */
import { SLOTS_BYTES, testBit } from './msg.js';
import { CLUSTER_SLOTS } from '../keyspace/hashslot.js';
import type { Link } from './bus.js';

export const NODE_MASTER = 1;
export const NODE_SLAVE = 2;
export const NODE_PFAIL = 4;
export const NODE_FAIL = 8;
export const NODE_MYSELF = 16;
export const NODE_HANDSHAKE = 32;
export const NODE_NOADDR = 64;
export const NODE_MEET = 128;
export const NODE_MIGRATE_TO = 256;
export const NODE_NOFAILOVER = 512;

const FLAG_NAMES: [number, string][] = [
  [NODE_MYSELF, 'myself'], [NODE_MASTER, 'master'], [NODE_SLAVE, 'slave'], [NODE_PFAIL, 'fail?'], [NODE_FAIL, 'fail'],
  [NODE_HANDSHAKE, 'handshake'], [NODE_NOADDR, 'noaddr'], [NODE_NOFAILOVER, 'nofailover'],
];

/** representClusterNodeFlags */
export function flagsText(flags: number): string {
  const out = FLAG_NAMES.filter(([f]) => flags & f).map(([, n]) => n);
  return out.length === 0 ? 'noflags' : out.join(',');
}

/** the flag for a nodes.conf word, undefined for an unknown one */
export function flagOf(word: string): number | undefined {
  if (word === 'noflags') return 0;
  return FLAG_NAMES.find(([, n]) => n === word)?.[0];
}

/** getRandomHexChars(40): a new node name */
export function randomName(): string {
  return [...crypto.getRandomValues(new Uint8Array(20))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** verifyClusterNodeId: 40 characters of [a-z0-9] */
export function validName(name: string): boolean {
  return /^[a-z0-9]{40}$/.test(name);
}

export interface FailReport { node: ClusterNode; time: number }

export class ClusterNode {
  ctime = Date.now();
  configEpoch = 0;
  readonly slots = new Uint8Array(SLOTS_BYTES);
  numslots = 0;
  slaves: ClusterNode[] = [];
  slaveof: ClusterNode | null = null;
  lastInPingGossip = 0;
  pingSent = 0;
  pongReceived = 0;
  dataReceived = 0;
  failTime = 0;
  votedTime = 0;
  replOffsetTime = 0;
  orphanedTime = 0;
  replOffset = 0;
  ip = '';
  hostname = '';
  port = 0;
  pport = 0;
  cport = 0;
  link: Link | null = null;
  inboundLink: Link | null = null;
  failReports: FailReport[] = [];

  constructor(public name: string, public flags: number) {}

  get isMaster(): boolean { return (this.flags & NODE_MASTER) !== 0; }
  get isSlave(): boolean { return (this.flags & NODE_SLAVE) !== 0; }
  get inHandshake(): boolean { return (this.flags & NODE_HANDSHAKE) !== 0; }
  get hasAddr(): boolean { return (this.flags & NODE_NOADDR) === 0; }
  get timedOut(): boolean { return (this.flags & NODE_PFAIL) !== 0; }
  get failed(): boolean { return (this.flags & NODE_FAIL) !== 0; }
  get cantFailover(): boolean { return (this.flags & NODE_NOFAILOVER) !== 0; }
  get isMyself(): boolean { return (this.flags & NODE_MYSELF) !== 0; }

  hasSlot(slot: number): boolean { return testBit(this.slots, slot); }

  /** slotRanges() as last computed; null when the slots changed since (ClusterState's setSlotBit / clearSlotBit) */
  ranges: number[] | null = null;

  /** the slots served, as start/end pairs (clusterGenNodesSlotsInfo); the caller must not change the array */
  slotRanges(): number[] {
    if (this.ranges !== null) return this.ranges;
    const out: number[] = [];
    const bits = this.slots;
    let start = -1;
    // a byte at a time where all its 8 slots agree with the run we are in (or out of)
    for (let b = 0; b < bits.length; b++) {
      const v = bits[b]!;
      if (v === (start === -1 ? 0 : 0xff)) continue;
      for (let j = b << 3, end = j + 8; j < end; j++) {
        const bit = (v & (1 << (j & 7))) !== 0;
        if (bit && start === -1) start = j;
        else if (!bit && start !== -1) { out.push(start, j - 1); start = -1; }
      }
    }
    if (start !== -1) out.push(start, CLUSTER_SLOTS - 1);
    this.ranges = out;
    return out;
  }

  /** clusterNodeAddSlave: false if already there */
  addSlave(s: ClusterNode): boolean {
    if (this.slaves.includes(s)) return false;
    this.slaves.push(s);
    this.flags |= NODE_MIGRATE_TO;
    return true;
  }

  /** clusterNodeRemoveSlave */
  removeSlave(s: ClusterNode): boolean {
    const i = this.slaves.indexOf(s);
    if (i < 0) return false;
    this.slaves.splice(i, 1);
    if (this.slaves.length === 0) this.flags &= ~NODE_MIGRATE_TO;
    return true;
  }

  /** clusterCountNonFailingSlaves */
  okSlaves(): number { return this.slaves.filter((s) => !s.failed).length; }
}
