/*
 * Streams in RDB files (rdbSaveObject / rdbLoadObject, OBJ_STREAM), Redis
 * 7.0's RDB_TYPE_STREAM_LISTPACKS_2; RDB_TYPE_STREAM_LISTPACKS (Redis 5/6)
 * loads too.
 *
 * Payload: the number of nodes, then per node its master ID as a 16-byte
 * big-endian string (the rax key) and its listpack in Redis's stream node
 * format (t_stream.c streamAppendItem):
 *   master entry: count, deleted, #fields, field..., 0
 *   each entry:   flags, ms-delta, seq-delta,
 *                 SAMEFIELDS: value...                     , #fields + 3
 *                 otherwise:  #fields, field, value, ...   , 2 * #fields + 4
 * (deltas from the master ID, as int64s). Then length, last ID, first ID,
 * max deleted entry ID, entries added (type 19 only), and the groups in
 * name order: name, last ID, entries read (type 19 only), the group PEL
 * (raw 16-byte ID, delivery time ms, delivery count), the consumers in name
 * order: name, seen time, their PEL as raw IDs (resolved against the group
 * PEL). Integers beyond 2^32 use the 64-bit length form, so IDs and the -1
 * of an unknown entries_read round-trip.
 *
 * Nodis nodes mirror Redis's listpacks one for one, so the node list maps
 * straight onto the rax. Loading validates like Redis's deep sanitization
 * (streamValidateListpackIntegrity) plus what Nodis relies on: IDs strictly
 * increasing across nodes, entries at or above their master ID, the
 * master's count/deleted agreeing with the entry flags, the total length.
 */
import {
  FLAG_DELETED, FLAG_SAMEFIELDS, IdMap, Stream, StreamNode, makeId, type Consumer, type Nack,
} from '../../types/stream.js';
import { isCanonicalInt } from '../../types/string.js';
import { RDB_TYPE_STREAM_LISTPACKS_2 } from './constants.js';
import { backlenSize, lpBuild, lpEncodedSize, lpParse } from './listpack.js';
import { type ByteSink, writeBytes, writeLen, writeMsTime, writeString } from './writer-bytes.js';
import { type ByteReader, RdbError, need, readBlob, readByte, readMsTime, readString } from './reader-bytes.js';

const U64_MASK = (1n << 64n) - 1n;

/** rdbSaveLen of a 64-bit unsigned value. */
function writeLenBig(out: ByteSink, v: bigint): void {
  if (v <= 0xffffffffn) { writeLen(out, Number(v)); return; }
  out.byte(0x81);
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(v & U64_MASK);
  out.bytes(b);
}

/** rdbLoadLen as a 64-bit unsigned value. */
export function readLenBig(r: ByteReader): bigint {
  const b0 = readByte(r);
  const t = b0 >> 6;
  if (t === 0) return BigInt(b0 & 0x3f);
  if (t === 1) return BigInt(((b0 & 0x3f) << 8) | readByte(r));
  if (b0 === 0x80) { need(r, 4); const v = r.buf.readUInt32BE(r.pos); r.pos += 4; return BigInt(v); }
  if (b0 === 0x81) { need(r, 8); const v = r.buf.readBigUInt64BE(r.pos); r.pos += 8; return v; }
  if (t === 3) return BigInt(b0 & 0x3f); // an encoded-value byte: its low bits, as Redis's rdbLoadLen
  throw new RdbError(`Unknown length encoding ${t} in rdbLoadLen()`);
}

/** A length that must be a reasonable count. */
function readSmall(r: ByteReader, what: string): number {
  const v = readLenBig(r);
  if (v > BigInt(r.buf.length - r.pos) * 16n + 16n) throw new RdbError(`${what} too large`);
  return Number(v);
}

/** Listpack entry size of an integer. */
const lpIntSize = (n: number): number => { const l = lpEncodedSize(String(n)); return l + backlenSize(l); };

const idBytes = (id: bigint): Buffer => {
  const b = Buffer.allocUnsafe(16);
  b.writeBigUInt64BE(id >> 64n, 0);
  b.writeBigUInt64BE(id & U64_MASK, 8);
  return b;
};

export function readRawId(r: ByteReader): bigint {
  need(r, 16);
  const id = (r.buf.readBigUInt64BE(r.pos) << 64n) | r.buf.readBigUInt64BE(r.pos + 8);
  r.pos += 16;
  return id;
}

const writeId = (out: ByteSink, id: bigint): void => { writeLenBig(out, id >> 64n); writeLenBig(out, id & U64_MASK); };
export const readId = (r: ByteReader): bigint => (readLenBig(r) << 64n) | readLenBig(r);

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The elements of a node's Redis listpack, in order. */
export function nodeItems(node: StreamNode): string[] {
  const nf = node.fields.length;
  const items: string[] = [String(node.count), String(node.deleted), String(nf), ...node.fields, '0'];
  const mMs = node.master >> 64n;
  const mSeq = node.master & U64_MASK;
  for (let k = 0; k < node.ids.length; k++) {
    const id = node.ids[k]!;
    const flags = node.flags[k]!;
    items.push(String(flags), BigInt.asIntN(64, (id >> 64n) - mMs).toString(), BigInt.asIntN(64, (id & U64_MASK) - mSeq).toString());
    const v = node.vals[k]!;
    if (flags & FLAG_SAMEFIELDS) {
      for (let i = 0; i < v.length; i++) items.push(v[i]!);
      items.push(String(v.length + 3));
    } else {
      items.push(String(v.length / 2));
      for (let i = 0; i < v.length; i++) items.push(v[i]!);
      items.push(String(v.length + 4));
    }
  }
  return items;
}

/** rdbSaveObjectType + rdbSaveObject for a stream. */
export function encodeStream(s: Stream, out: ByteSink, compress: boolean): void {
  out.byte(RDB_TYPE_STREAM_LISTPACKS_2);
  writeLen(out, s.nodes.length);
  for (const node of s.nodes) {
    writeBytes(out, idBytes(node.master), compress);
    writeBytes(out, lpBuild(nodeItems(node)), compress);
  }
  writeLen(out, s.length);
  writeId(out, s.lastId);
  writeId(out, s.firstId);
  writeId(out, s.maxDeletedId);
  writeLenBig(out, BigInt.asUintN(64, BigInt(s.entriesAdded)));
  const groups = s.sortedGroups();
  writeLen(out, groups.length);
  for (const g of groups) {
    writeString(out, g.name, compress);
    writeId(out, g.lastId);
    writeLenBig(out, BigInt.asUintN(64, BigInt(g.entriesRead)));
    writeLen(out, g.pel.size);
    for (let i = 0; i < g.pel.size; i++) {
      out.bytes(idBytes(g.pel.keys[i]!));
      const nack = g.pel.vals[i]!;
      writeMsTime(out, nack.deliveryTime);
      writeLen(out, nack.deliveryCount);
    }
    const consumers = [...g.consumers.values()].sort(byName);
    writeLen(out, consumers.length);
    for (const c of consumers) {
      writeString(out, c.name, compress);
      writeMsTime(out, c.seenTime);
      writeLen(out, c.pel.size);
      for (let i = 0; i < c.pel.size; i++) out.bytes(idBytes(c.pel.keys[i]!));
    }
  }
}

// ---- loading ------------------------------------------------------------------

const LP_ERR = 'Stream listpack integrity check failed.';

/** lpGetIntegerIfValid */
function int(items: string[], i: number): bigint {
  const s = items[i];
  if (s === undefined || !isCanonicalInt(s)) throw new RdbError(LP_ERR);
  return BigInt(s);
}

/** One node from its master ID and listpack; checks the format and Nodis's invariants. */
function decodeNode(master: bigint, items: string[], after: bigint): StreamNode {
  if (items.length === 0) throw new RdbError('Empty listpack inside stream');
  let p = 0;
  const count = int(items, p++);
  const deleted = int(items, p++);
  const nf = int(items, p++);
  if (count < 0n || deleted < 0n || nf < 0n || nf > BigInt(items.length)) throw new RdbError(LP_ERR);
  const fields = items.slice(p, p + Number(nf));
  p += Number(nf);
  if (fields.length !== Number(nf) || int(items, p++) !== 0n) throw new RdbError(LP_ERR);
  const node = new StreamNode(master, fields);
  const mMs = master >> 64n;
  const mSeq = master & U64_MASK;
  let live = 0;
  let dead = 0;
  let prev = after;
  while (p < items.length) {
    const flags = Number(int(items, p++));
    const ms = BigInt.asUintN(64, mMs + int(items, p++));
    const seq = BigInt.asUintN(64, mSeq + int(items, p++));
    const id = makeId(ms, seq);
    let vals: string[];
    let lpCount: bigint;
    if (flags & FLAG_SAMEFIELDS) {
      vals = items.slice(p, p + fields.length);
      p += fields.length;
      lpCount = BigInt(fields.length + 3);
    } else {
      const n = int(items, p++);
      if (n < 0n || n > BigInt(items.length)) throw new RdbError(LP_ERR);
      vals = items.slice(p, p + Number(n) * 2);
      p += Number(n) * 2;
      lpCount = n * 2n + 4n;
    }
    if (p > items.length || int(items, p++) !== lpCount) throw new RdbError(LP_ERR);
    if (!(id > prev) || id < master) throw new RdbError('Stream entry IDs out of order');
    prev = id;
    node.ids.push(id);
    node.flags.push(flags);
    node.vals.push(vals);
    if (flags & FLAG_DELETED) dead++; else live++;
  }
  if (BigInt(live) !== count || BigInt(dead) !== deleted || live + dead === 0) throw new RdbError(LP_ERR);
  node.count = live;
  node.deleted = dead;
  return node;
}

/** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS(_2). */
export function decodeStream(type: number, r: ByteReader): Stream {
  const v2 = type === RDB_TYPE_STREAM_LISTPACKS_2;
  const s = new Stream();
  const nodes = readSmall(r, 'Stream listpacks');
  let prev = -1n;
  let total = 0;
  for (let i = 0; i < nodes; i++) {
    const [kb, ks, ke] = readBlob(r);
    if (ke - ks !== 16) throw new RdbError('Stream node key entry is not the size of a stream ID');
    const master = (kb.readBigUInt64BE(ks) << 64n) | kb.readBigUInt64BE(ks + 8);
    if (master <= prev) throw new RdbError(prev >= 0n && master === prev ? 'Listpack re-added with existing key' : 'Stream node keys out of order');
    const [b, st, en] = readBlob(r);
    const items = lpParse(b, st, en);
    if (items === null) throw new RdbError(LP_ERR);
    const node = decodeNode(master, items, prev);
    // node.bytes: the listpack's size minus header, terminator, count and deleted
    node.bytes = en - st - 7 - lpIntSize(node.count) - lpIntSize(node.deleted);
    prev = node.ids[node.ids.length - 1]!;
    total += node.count;
    s.nodes.push(node);
  }
  const length = readLenBig(r);
  if (length !== BigInt(total)) throw new RdbError('Stream length inconsistent with rax entries');
  s.length = total;
  s.lastId = readId(r);
  if (nodes > 0 && s.lastId < prev) throw new RdbError('Stream last ID smaller than its entries');
  if (v2) {
    s.firstId = readId(r);
    s.maxDeletedId = readId(r);
    s.entriesAdded = Number(BigInt.asIntN(64, readLenBig(r)));
  } else {
    s.maxDeletedId = 0n;
    s.entriesAdded = total;
    s.firstId = s.edgeId(true) ?? 0n;
  }
  const ngroups = readSmall(r, 'Stream cgroup count');
  for (let gi = 0; gi < ngroups; gi++) {
    const name = readString(r);
    const lastId = readId(r);
    const entriesRead = v2 ? Number(BigInt.asIntN(64, readLenBig(r))) : s.estimateDistance(lastId);
    const g = s.createGroup(name, lastId, entriesRead);
    if (g === null) throw new RdbError(`Duplicated consumer group name ${name}`);
    const pelSize = readSmall(r, 'Stream PEL size');
    const pending = new IdMap<Nack>();
    for (let i = 0; i < pelSize; i++) {
      const id = readRawId(r);
      const nack: Nack = { consumer: null, deliveryTime: readMsTime(r), deliveryCount: 0 };
      const dc = readLenBig(r);
      nack.deliveryCount = Number(dc);
      if (i > 0 && id <= pending.keys[pending.size - 1]!) {
        if (pending.get(id) !== undefined) throw new RdbError('Duplicated global PEL entry loading stream consumer group');
        pending.set(id, nack);
      } else {
        pending.keys.push(id);
        pending.vals.push(nack);
      }
    }
    g.pel = pending;
    const nconsumers = readSmall(r, 'Stream consumers num');
    for (let ci = 0; ci < nconsumers; ci++) {
      const cname = readString(r);
      if (g.consumers.has(cname)) throw new RdbError('Duplicate stream consumer detected.');
      const consumer: Consumer = { name: cname, seenTime: readMsTime(r), pel: new IdMap<Nack>() };
      g.consumers.set(cname, consumer);
      const n = readSmall(r, 'Stream consumer PEL num');
      for (let i = 0; i < n; i++) {
        const id = readRawId(r);
        const nack = g.pel.get(id);
        if (nack === undefined) throw new RdbError('Consumer entry not found in group global PEL');
        if (nack.consumer !== null) throw new RdbError('Duplicated consumer PEL entry  loading a stream consumer group');
        nack.consumer = consumer;
        consumer.pel.set(id, nack);
      }
    }
    for (const nack of g.pel.vals) {
      if (nack.consumer === null) throw new RdbError('Stream CG PEL entry without consumer');
    }
  }
  return s;
}
