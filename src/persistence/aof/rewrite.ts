/*
 * The AOF base file: the whole dataset at one instant, either as an RDB
 * (aof-use-rdb-preamble yes: helper J's RdbWriter, aux field aof-base 1) or
 * as commands (rewriteAppendOnlyFileRio: SELECT per non-empty db, then per key
 * SET / RPUSH / SADD / ZADD / HMSET in batches of 64 items, then PEXPIREAT).
 * Streams as rewriteStreamObject: one XADD per entry (an empty stream:
 * XADD key MAXLEN 0 0-1 x y), XSETID with ENTRIESADDED/MAXDELETEDID, then
 * per group (name order) XGROUP CREATE ... ENTRIESREAD, and per consumer
 * (name order) an XCLAIM ... TIME RETRYCOUNT JUSTID FORCE per pending entry,
 * or XGROUP CREATECONSUMER when it has none.
 *
 * Keys whose TTL already passed are dropped on the way (Db.peek expires them,
 * and the DEL goes to the new incr file, a no-op on replay).
 *
 * Forkless point-in-time: the base is serialized synchronously, in one go,
 * into memory chunks at the moment the new incr file is opened (nothing can
 * run in between), and only the file I/O happens afterwards, asynchronously.
 * This costs one serialized copy of the dataset in memory and an event-loop
 * stall proportional to the dataset; a sliced copy-on-write snapshot (helper
 * K's snapshot.ts) can replace `serializeBase` later without touching the rest.
 */
import type { Server } from '../../server/server.js';
import type { Value } from '../../types/value.js';
import { isBig, strOf, type MutableString } from '../../types/string.js';
import { RdbWriter } from '../rdb/index.js';
import { ID_MAX, idStr, type Stream } from '../../types/stream.js';
import { encodeCommand } from './reader.js';

const ITEMS_PER_CMD = 64;

/** Chunked latin1 output: strings are gathered and turned into Buffers of ~1 MB. */
class Chunks {
  readonly list: Buffer[] = [];
  private cur = '';
  size = 0;
  add(s: string): void {
    this.cur += s;
    if (this.cur.length >= 1 << 20) this.cut();
  }
  addBuf(b: Buffer): void { this.cut(); this.list.push(b); this.size += b.length; }
  cut(): void {
    if (this.cur.length === 0) return;
    const b = Buffer.from(this.cur, 'latin1');
    this.list.push(b);
    this.size += b.length;
    this.cur = '';
  }
}

/** The base file's bytes for the current dataset. */
export function serializeBase(server: Server, rdb: boolean, timestamp: boolean): Buffer[] {
  const out = new Chunks();
  if (rdb) {
    const w = new RdbWriter((b) => out.addBuf(b), { checksum: server.config.bool('rdbchecksum'), compression: server.config.bool('rdbcompression') });
    w.header({ 'redis-ver': '7.0.15', 'redis-bits': 64, ctime: Math.floor(Date.now() / 1000), 'used-mem': process.memoryUsage().heapUsed, 'aof-base': 1 });
    for (const code of server.functionCodes?.() ?? []) w.functionLib(code);
    for (const db of server.dbs) {
      if (db.size === 0) continue;
      w.selectDb(db.id, db.size, db.expires.size);
      for (const key of db.keys()) {
        const v = db.peek(key);
        if (v === undefined) continue;
        w.key(key, v, db.getExpire(key), db.clockOf(key));
      }
    }
    w.end();
  } else {
    if (timestamp) out.add(`#TS:${Math.floor(Date.now() / 1000)}\r\n`);
    // rewriteFunctions: each library as FUNCTION LOAD, before the data
    for (const code of server.functionCodes?.() ?? []) out.add(encodeCommand(['FUNCTION', 'LOAD', code]));
    for (const db of server.dbs) {
      if (db.size === 0) continue;
      out.add(encodeCommand(['SELECT', String(db.id)]));
      for (const key of db.keys()) {
        const v = db.peek(key);
        if (v === undefined) continue;
        writeKey(out, key, v);
        const exp = db.getExpire(key);
        if (exp !== -1) out.add(encodeCommand(['PEXPIREAT', key, String(exp)]));
      }
    }
  }
  out.cut();
  return out.list;
}

function batched(out: Chunks, head: string[], items: string[], per: number): void {
  for (let i = 0; i < items.length; i += per) {
    out.add(encodeCommand([...head, ...items.slice(i, i + per)]));
  }
}

function writeKey(out: Chunks, key: string, v: Value): void {
  if (typeof v === 'string') { out.add(encodeCommand(['SET', key, v])); return; }
  switch (v.type) {
    case 'string': {
      const m = v as MutableString;
      if (!isBig(m)) { out.add(encodeCommand(['SET', key, strOf(m)])); return; }
      // past V8's string limit: the bytes go out as a Buffer (copied: the base is written after this turn)
      out.add(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${m.len}\r\n`);
      out.addBuf(Buffer.from(m.bytes()));
      out.add('\r\n');
      return;
    }
    case 'list': {
      const l = v as unknown as { length: number; slice(s: number, n: number): string[] };
      batched(out, ['RPUSH', key], l.slice(0, l.length), ITEMS_PER_CMD);
      return;
    }
    case 'set': {
      const s = v as unknown as { forEach(fn: (m: string) => void): void };
      const items: string[] = [];
      s.forEach((m) => items.push(m));
      batched(out, ['SADD', key], items, ITEMS_PER_CMD);
      return;
    }
    case 'zset': {
      const z = v as unknown as { size: number; each(from: number, n: number, rev: boolean, cb: (m: string, s: number) => void): void };
      const items: string[] = [];
      z.each(0, z.size, false, (m, sc) => { items.push(fmtScore(sc), m); });
      batched(out, ['ZADD', key], items, ITEMS_PER_CMD * 2);
      return;
    }
    case 'hash': {
      const h = v as unknown as { forEach(fn: (f: string, val: string) => void): void };
      const items: string[] = [];
      h.forEach((f, val) => { items.push(f, val); });
      batched(out, ['HMSET', key], items, ITEMS_PER_CMD * 2);
      return;
    }
    case 'stream': writeStream(out, key, v as Stream); return;
    default:
      throw new Error(`AOF rewrite: type ${(v as { type: string }).type} not supported yet`);
  }
}

/** rewriteStreamObject */
function writeStream(out: Chunks, key: string, s: Stream): void {
  if (s.length) {
    s.range(0n, ID_MAX, false, (node, k) => {
      out.add(encodeCommand(['XADD', key, idStr(node.ids[k]!), ...node.pairs(k)]));
      return true;
    });
  } else {
    out.add(encodeCommand(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']));
  }
  out.add(encodeCommand(['XSETID', key, idStr(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', idStr(s.maxDeletedId)]));
  for (const g of s.sortedGroups()) {
    out.add(encodeCommand(['XGROUP', 'CREATE', key, g.name, idStr(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]));
    const consumers = [...g.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of consumers) {
      if (c.pel.size === 0) {
        out.add(encodeCommand(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]));
        continue;
      }
      for (let i = 0; i < c.pel.size; i++) {
        const nack = c.pel.vals[i]!;
        out.add(encodeCommand([
          'XCLAIM', key, g.name, c.name, '0', idStr(c.pel.keys[i]!), 'TIME', String(nack.deliveryTime),
          'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE',
        ]));
      }
    }
  }
}

/** A score as text that parses back to the same double (Redis writes %.17g). */
function fmtScore(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  return String(d);
}
