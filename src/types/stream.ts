/*
 * The stream type (redis/src/t_stream.c, stream.h), data structure only.
 *
 * An entry ID (<ms>-<seq>, two unsigned 64-bit parts) is one bigint,
 * ms * 2^64 + seq, so IDs compare with < and sort naturally.
 *
 * Entries live in nodes that mirror Redis's listpack nodes one for one: a
 * node has a master ID (its first entry's ID, the rax key) and master fields
 * (its first entry's fields); later entries with the same fields store only
 * their values (the SAMEFIELDS flag). Deleted entries stay in their node,
 * flagged, until the node has no live entry (XDEL) or is trimmed away, as in
 * Redis. Each node tracks the byte size its Redis listpack would have, so a
 * new node starts exactly when Redis would start one (stream-node-max-bytes
 * / -entries): approximate trimming (MAXLEN ~) and RDB files then match
 * Redis's. Nodes are kept in an array sorted by master ID: seek is two
 * binary searches, append is O(1).
 *
 * Consumer groups: last delivered ID, entries_read, a PEL (ID -> NACK:
 * consumer, delivery time, delivery count) and consumers (seen time and
 * their own PEL sharing the NACK objects). PELs are sorted ID maps.
 */
import type { TypedValue } from './value.js';
import { isCanonicalInt } from './string.js';

export const ID_MAX = (1n << 128n) - 1n;
export const U64_MAX = (1n << 64n) - 1n;
const U64 = 1n << 64n;

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

export const idMs = (id: bigint): bigint => id >> 64n;
export const idSeq = (id: bigint): bigint => id & U64_MAX;
export const makeId = (ms: bigint, seq: bigint): bigint => (ms << 64n) | seq;
/** "<ms>-<seq>" */
export const idStr = (id: bigint): string => `${id >> 64n}-${id & U64_MAX}`;

/** Listpack entry size (encoding + data + backlen) of an int64. */
function intElemSize(v: bigint | number): number {
  const n = typeof v === 'number' ? v : Number(BigInt.asIntN(64, v));
  let l: number;
  if (n >= 0 && n <= 127) l = 1;
  else if (n >= -4096 && n <= 4095) l = 2;
  else if (n >= -32768 && n <= 32767) l = 3;
  else if (n >= -8388608 && n <= 8388607) l = 4;
  else if (n >= -2147483648 && n <= 2147483647) l = 5;
  else l = 9;
  return l + 1;
}

/** Listpack entry size of a string (stored as an integer when it is a canonical int64). */
function strElemSize(s: string): number {
  if (s.length <= 20 && isCanonicalInt(s)) return intElemSize(BigInt(s));
  const len = s.length;
  const l = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return l + (l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5);
}

/** One rax node: a Redis listpack's worth of entries. */
export class StreamNode {
  ids: bigint[] = [];
  flags: number[] = [];
  /** per entry: the values (SAMEFIELDS) or field, value, field, value ... */
  vals: string[][] = [];
  count = 0;
  deleted = 0;
  /** listpack bytes minus the count and deleted elements */
  bytes = 0;

  constructor(readonly master: bigint, readonly fields: string[]) {}

  /** lpBytes of the Redis listpack this node stands for. */
  lpBytes(): number { return 7 + this.bytes + intElemSize(this.count) + intElemSize(this.deleted); }

  /** field i of entry k */
  field(k: number, i: number): string {
    return this.flags[k]! & FLAG_SAMEFIELDS ? this.fields[i]! : this.vals[k]![i * 2]!;
  }
  value(k: number, i: number): string {
    return this.flags[k]! & FLAG_SAMEFIELDS ? this.vals[k]![i]! : this.vals[k]![i * 2 + 1]!;
  }
  numFields(k: number): number {
    return this.flags[k]! & FLAG_SAMEFIELDS ? this.fields.length : this.vals[k]!.length / 2;
  }
  /** field, value, ... of entry k */
  pairs(k: number): string[] {
    if (!(this.flags[k]! & FLAG_SAMEFIELDS)) return this.vals[k]!;
    const v = this.vals[k]!;
    const out: string[] = new Array(v.length * 2);
    for (let i = 0; i < v.length; i++) { out[i * 2] = this.fields[i]!; out[i * 2 + 1] = v[i]!; }
    return out;
  }

  /** index of the first entry with id >= target (ids.length if none) */
  lowerBound(target: bigint): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ids[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clone(): StreamNode {
    const n = new StreamNode(this.master, this.fields);
    n.ids = this.ids.slice();
    n.flags = this.flags.slice();
    n.vals = this.vals.slice();
    n.count = this.count;
    n.deleted = this.deleted;
    n.bytes = this.bytes;
    return n;
  }
}

/** Sorted map from ID to T (PELs). */
export class IdMap<T> {
  keys: bigint[] = [];
  vals: T[] = [];

  get size(): number { return this.keys.length; }

  /** index of the first key >= id */
  seek(id: bigint): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: bigint): T | undefined {
    const i = this.seek(id);
    return i < this.keys.length && this.keys[i] === id ? this.vals[i] : undefined;
  }

  /** insert or replace; true when inserted */
  set(id: bigint, v: T): boolean {
    const i = this.seek(id);
    if (i < this.keys.length && this.keys[i] === id) { this.vals[i] = v; return false; }
    if (i === this.keys.length) { this.keys.push(id); this.vals.push(v); } else { this.keys.splice(i, 0, id); this.vals.splice(i, 0, v); }
    return true;
  }

  delete(id: bigint): boolean {
    const i = this.seek(id);
    if (i >= this.keys.length || this.keys[i] !== id) return false;
    this.keys.splice(i, 1);
    this.vals.splice(i, 1);
    return true;
  }
}

export interface Consumer {
  name: string;
  seenTime: number;
  pel: IdMap<Nack>;
}

export interface Nack {
  consumer: Consumer | null;
  deliveryTime: number;
  deliveryCount: number;
}

/** SCG_INVALID_ENTRIES_READ */
export const ENTRIES_READ_INVALID = -1;

export interface ConsumerGroup {
  name: string;
  lastId: bigint;
  entriesRead: number;
  pel: IdMap<Nack>;
  consumers: Map<string, Consumer>;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface TrimArgs {
  maxlen: boolean;
  /** MAXLEN count */
  count: number;
  /** MINID id */
  minid: bigint;
  approx: boolean;
  limit: number;
}

export class Stream implements TypedValue {
  readonly type = 'stream' as const;
  nodes: StreamNode[] = [];
  length = 0;
  lastId = 0n;
  firstId = 0n;
  maxDeletedId = 0n;
  entriesAdded = 0;
  groups: Map<string, ConsumerGroup> | null = null;

  encoding(): string { return 'stream'; }

  /**
   * streamAppendItem with the ID already chosen (greater than lastId):
   * appends to the last node unless it is full by Redis's rules.
   * pairs: field, value, ...
   */
  append(id: bigint, pairs: readonly string[], maxBytes: number, maxEntries: number): void {
    const nf = pairs.length / 2;
    let totLen = 0;
    for (let i = 0; i < pairs.length; i++) totLen += pairs[i]!.length;
    let node = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1]! : null;
    if (node !== null) {
      const limit = maxBytes === 0 || maxBytes > 1073741824 ? 1073741824 : maxBytes;
      if (node.lpBytes() + totLen >= limit) node = null;
      else if (maxEntries && node.count + node.deleted >= maxEntries) node = null;
    }
    let flags = 0;
    if (node === null) {
      const fields: string[] = new Array(nf);
      for (let i = 0; i < nf; i++) fields[i] = pairs[i * 2]!;
      node = new StreamNode(id, fields);
      node.bytes = intElemSize(nf) + 2; // num fields, master terminator 0
      for (let i = 0; i < nf; i++) node.bytes += strElemSize(fields[i]!);
      this.nodes.push(node);
      flags = FLAG_SAMEFIELDS;
    } else if (nf === node.fields.length) {
      let same = true;
      for (let i = 0; i < nf; i++) if (pairs[i * 2] !== node.fields[i]) { same = false; break; }
      if (same) flags = FLAG_SAMEFIELDS;
    }
    let b = 2 + intElemSize(BigInt.asIntN(64, idMs(id) - idMs(node.master))) + intElemSize(BigInt.asIntN(64, idSeq(id) - idSeq(node.master)));
    let vals: string[];
    if (flags & FLAG_SAMEFIELDS) {
      vals = new Array(nf);
      for (let i = 0; i < nf; i++) { vals[i] = pairs[i * 2 + 1]!; b += strElemSize(vals[i]!); }
      b += intElemSize(nf + 3);
    } else {
      vals = pairs.slice();
      b += intElemSize(nf);
      for (let i = 0; i < pairs.length; i++) b += strElemSize(pairs[i]!);
      b += intElemSize(nf * 2 + 4);
    }
    node.ids.push(id);
    node.flags.push(flags);
    node.vals.push(vals);
    node.count++;
    node.bytes += b;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Index of the node that may hold id: the last with master <= id (0 if none). */
  private nodeFor(id: bigint): number {
    let lo = 0;
    let hi = this.nodes.length - 1;
    let ans = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.nodes[mid]!.master <= id) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }

  /**
   * Visit entries with start <= id <= end in order (rev: descending), live
   * ones only unless withDeleted. fn returns false to stop.
   */
  range(start: bigint, end: bigint, rev: boolean, fn: (node: StreamNode, k: number) => boolean, withDeleted = false): void {
    const nodes = this.nodes;
    if (nodes.length === 0 || start > end) return;
    if (!rev) {
      for (let n = this.nodeFor(start); n < nodes.length; n++) {
        const node = nodes[n]!;
        if (node.master > end) return;
        for (let k = node.lowerBound(start); k < node.ids.length; k++) {
          const id = node.ids[k]!;
          if (id > end) return;
          if (!withDeleted && node.flags[k]! & FLAG_DELETED) continue;
          if (!fn(node, k)) return;
        }
      }
    } else {
      for (let n = this.nodeFor(end); n >= 0; n--) {
        const node = nodes[n]!;
        let k = node.lowerBound(end);
        if (k === node.ids.length || node.ids[k]! > end) k--;
        for (; k >= 0; k--) {
          const id = node.ids[k]!;
          if (id < start) return;
          if (!withDeleted && node.flags[k]! & FLAG_DELETED) continue;
          if (!fn(node, k)) return;
        }
      }
    }
  }

  /** streamGetEdgeID: first/last entry ID (tombstones too unless skipDeleted); null when none. */
  edgeId(first: boolean, skipDeleted = true): bigint | null {
    let out: bigint | null = null;
    this.range(0n, ID_MAX, !first, (node, k) => { out = node.ids[k]!; return false; }, !skipDeleted);
    return out;
  }

  /** streamLastValidID: the last live entry's ID, 0-0 when empty. */
  lastValidId(): bigint { return this.edgeId(false) ?? 0n; }

  /** streamEntryExists: a live entry with this ID. */
  has(id: bigint): boolean {
    let found = false;
    this.range(id, id, false, () => { found = true; return false; });
    return found;
  }

  /** streamDeleteItem: mark a live entry deleted; drop its node when no live entry remains. */
  deleteEntry(id: bigint): boolean {
    if (this.nodes.length === 0) return false;
    const n = this.nodeFor(id);
    const node = this.nodes[n]!;
    const k = node.lowerBound(id);
    if (k >= node.ids.length || node.ids[k] !== id || node.flags[k]! & FLAG_DELETED) return false;
    if (node.count === 1) {
      this.nodes.splice(n, 1);
    } else {
      node.flags[k]! |= FLAG_DELETED;
      node.count--;
      node.deleted++;
    }
    this.length--;
    return true;
  }

  /** streamTrim: the number of entries removed. */
  trim(a: TrimArgs): number {
    let deleted = 0;
    const nodes = this.nodes;
    while (nodes.length > 0) {
      if (a.maxlen && this.length <= a.count) break;
      const node = nodes[0]!;
      const entries = node.count;
      if (a.limit && deleted + entries > a.limit) break;
      const remove = a.maxlen ? this.length - entries >= a.count : node.ids[node.ids.length - 1]! < a.minid;
      if (remove) {
        nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (a.approx) break;
      let fromNode = 0;
      for (let k = 0; k < node.ids.length; k++) {
        if (a.maxlen ? this.length <= a.count : node.ids[k]! >= a.minid) break;
        if (!(node.flags[k]! & FLAG_DELETED)) {
          node.flags[k]! |= FLAG_DELETED;
          fromNode++;
          this.length--;
        }
      }
      node.count -= fromNode;
      node.deleted += fromNode;
      deleted += fromNode;
      break;
    }
    this.firstId = this.length === 0 ? 0n : this.edgeId(true) ?? 0n;
    return deleted;
  }

  // ---- consumer groups -------------------------------------------------

  group(name: string): ConsumerGroup | undefined { return this.groups?.get(name); }

  /** streamCreateCG: null when the name exists. */
  createGroup(name: string, lastId: bigint, entriesRead: number): ConsumerGroup | null {
    if (this.groups === null) this.groups = new Map();
    if (this.groups.has(name)) return null;
    const g: ConsumerGroup = { name, lastId, entriesRead, pel: new IdMap(), consumers: new Map() };
    this.groups.set(name, g);
    return g;
  }

  /** Groups in rax (byte) order. */
  sortedGroups(): ConsumerGroup[] {
    if (this.groups === null) return [];
    return [...this.groups.values()].sort((x, y) => byteOrder(x.name, y.name));
  }

  /** streamEstimateDistanceFromFirstEverEntry */
  estimateDistance(id: bigint): number {
    if (!this.entriesAdded) return 0;
    if (!this.length && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return ENTRIES_READ_INVALID;
    if (this.maxDeletedId === 0n || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - this.length;
      if (id === this.firstId) return this.entriesAdded - this.length + 1;
    }
    return ENTRIES_READ_INVALID;
  }

  /** streamRangeHasTombstones from start to the end */
  hasTombstonesFrom(start: bigint): boolean {
    if (!this.length || this.maxDeletedId === 0n) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId;
  }

  /** streamReplyWithCGLag's value, null when unknown. */
  lag(g: ConsumerGroup): number | null {
    if (!this.entriesAdded) return 0;
    if (g.entriesRead !== ENTRIES_READ_INVALID && !this.hasTombstonesFrom(g.lastId)) return this.entriesAdded - g.entriesRead;
    const r = this.estimateDistance(g.lastId);
    return r === ENTRIES_READ_INVALID ? null : this.entriesAdded - r;
  }

  // ---- generic ---------------------------------------------------------

  clone(): Stream {
    const s = new Stream();
    s.nodes = this.nodes.map((n) => n.clone());
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.groups !== null) {
      s.groups = new Map();
      for (const g of this.groups.values()) {
        const ng: ConsumerGroup = { name: g.name, lastId: g.lastId, entriesRead: g.entriesRead, pel: new IdMap(), consumers: new Map() };
        const map = new Map<Nack, Nack>();
        for (const c of g.consumers.values()) ng.consumers.set(c.name, { name: c.name, seenTime: c.seenTime, pel: new IdMap() });
        for (let i = 0; i < g.pel.size; i++) {
          const old = g.pel.vals[i]!;
          const nn: Nack = { consumer: old.consumer ? ng.consumers.get(old.consumer.name)! : null, deliveryTime: old.deliveryTime, deliveryCount: old.deliveryCount };
          map.set(old, nn);
          ng.pel.keys.push(g.pel.keys[i]!);
          ng.pel.vals.push(nn);
        }
        for (const c of g.consumers.values()) {
          const nc = ng.consumers.get(c.name)!;
          nc.pel.keys = c.pel.keys.slice();
          nc.pel.vals = c.pel.vals.map((x) => map.get(x)!);
        }
        s.groups.set(g.name, ng);
      }
    }
    return s;
  }

  /** DEBUG DIGEST-VALUE parts, as debug.c mixes them: "<ms>.<seq>", then each field and value. */
  digestParts(): string[] {
    const out: string[] = [];
    this.range(0n, ID_MAX, false, (node, k) => {
      const id = node.ids[k]!;
      out.push(`${idMs(id)}.${idSeq(id)}`);
      const nf = node.numFields(k);
      for (let i = 0; i < nf; i++) out.push(node.field(k, i), node.value(k, i));
      return true;
    });
    return out;
  }
}

/** ID + 1 (streamIncrID); null on overflow. */
export const incrId = (id: bigint): bigint | null => (id === ID_MAX ? null : id + 1n);
/** ID - 1 (streamDecrID); null on underflow. */
export const decrId = (id: bigint): bigint | null => (id === 0n ? null : id - 1n);

/**
 * string2ull: string2ll when it parses (negative values rejected), else
 * strtoull's rules (leading spaces, a sign, leading zeros; '-' negates
 * modulo 2^64; out of range rejected). null when invalid.
 */
export function parseU64(s: string): bigint | null {
  if (/^(0|-?[1-9][0-9]*)$/.test(s) && s.length <= 20) {
    const v = BigInt(s);
    if (v <= 9223372036854775807n && v >= -9223372036854775808n) return v < 0n ? null : v;
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]!);
  if (v > U64_MAX) return null;
  return m[1] === '-' ? (U64 - v) % U64 : v;
}

export { U64 };
