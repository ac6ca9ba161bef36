/*
 * Consumer group commands: XGROUP (xgroupCommand: CREATE, SETID, DESTROY,
 * CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING, XCLAIM, XAUTOCLAIM.
 * XCLAIM / XAUTOCLAIM are not propagated themselves: each claimed (or
 * dropped) NACK goes out as a forced XCLAIM ... JUSTID, as in Redis.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_STREAM } from '../../keyspace/notify.js';
import {
  ERR_BUSYGROUP, ERR_ENTRIESREAD, ERR_INVALID_END_ID, ERR_INVALID_START_ID, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_WRONGTYPE,
  ERR_XAUTOCLAIM_COUNT, ERR_XAUTOCLAIM_MINIDLE, ERR_XCLAIM_IDLE, ERR_XCLAIM_MINIDLE, ERR_XCLAIM_RETRYCOUNT, ERR_XCLAIM_TIME,
  ERR_XGROUP_NEEDS_KEY, errNoGroup, errNoGroupForKey, errSubcommandSyntax, errXclaimOption,
} from '../../protocol/errors.js';
import { ENTRIES_READ_INVALID, IdMap, Stream, U64_MAX, decrId, idStr, incrId, type Consumer, type ConsumerGroup, type Nack } from '../../types/stream.js';
import { is, toBigInt } from '../args.js';
import { bulkStr, createStream, idBulk, parseId, parseInterval, singleEntry } from './common.js';
import { lookupOrCreateConsumer, propagateGroupId, propagateXclaim } from './read.js';

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** A parsed long long (approximate beyond 2^53), or null after replying msg. */
function ll(c: Client, s: string, msg = ERR_NOT_INTEGER): number | null {
  const n = toBigInt(s);
  if (n === null) { c.error(msg); return null; }
  return Number(n);
}

/** xgroupCommand, for every subcommand. */
export function xgroupCommand(c: Client, argv: string[]): void {
  const argc = argv.length;
  const opt = argv[1]!;
  let s: Stream | null = null;
  let mkstream = false;
  let entriesRead = ENTRIES_READ_INVALID;
  let cg: ConsumerGroup | undefined;
  let grp = '';
  const sub = opt.toLowerCase();
  if (argc >= 4) {
    const create = sub === 'create';
    const setid = sub === 'setid';
    for (let i = 5; i < argc;) {
      if (create && is(argv[i], 'mkstream')) { mkstream = true; i++; } else if ((create || setid) && is(argv[i], 'entriesread') && i + 1 < argc) {
        const n = ll(c, argv[i + 1]!);
        if (n === null) return;
        if (n < 0 && n !== ENTRIES_READ_INVALID) { c.error(ERR_ENTRIESREAD); return; }
        entriesRead = n;
        i += 2;
      } else { c.error(errSubcommandSyntax(opt, 'xgroup')); return; }
    }
    const v = c.db.get(argv[2]!);
    if (v !== undefined) {
      if (!(v instanceof Stream)) { c.error(ERR_WRONGTYPE); return; }
      s = v;
    }
    grp = argv[3]!;
  }
  if (argc >= 4 && !mkstream) {
    if (s === null) { c.error(ERR_XGROUP_NEEDS_KEY); return; }
    cg = s.group(grp);
    if (!cg && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      c.error(errNoGroupForKey(grp, argv[2]!));
      return;
    }
  }
  const key = argv[2]!;
  const rec = c.server.recorder;
  if (argc === 2 && sub === 'help') {
    c.help('XGROUP', XGROUP_HELP);
  } else if (sub === 'create' && argc >= 5 && argc <= 8) {
    let id: bigint | null;
    if (argv[4] === '$') id = s ? s.lastId : 0n;
    else { id = parseId(c, argv[4]!, 0n, true); if (id === null) return; }
    if (s === null) {
      s = createStream(c, key);
      rec.keyModified(c.db, key);
    }
    if (s.createGroup(grp, id, entriesRead)) {
      c.ok();
      rec.dirty++;
      rec.notify(NOTIFY_STREAM, 'xgroup-create', key, c.db.id);
    } else c.error(ERR_BUSYGROUP);
  } else if (sub === 'setid' && (argc === 5 || argc === 7)) {
    let id: bigint | null;
    if (argv[4] === '$') id = s!.lastId;
    else { id = parseId(c, argv[4]!, 0n, false); if (id === null) return; }
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    c.ok();
    rec.dirty++;
    rec.notify(NOTIFY_STREAM, 'xgroup-setid', key, c.db.id);
  } else if (sub === 'destroy' && argc === 4) {
    if (cg) {
      s!.groups!.delete(grp);
      c.int(1);
      rec.dirty++;
      rec.notify(NOTIFY_STREAM, 'xgroup-destroy', key, c.db.id);
      rec.keyModified(c.db, key);
    } else c.int(0);
  } else if (sub === 'createconsumer' && argc === 5) {
    const name = argv[4]!;
    if (cg!.consumers.has(name)) { c.int(0); return; }
    lookupOrCreateConsumer(c, s!, cg!, name, key);
    c.int(1);
  } else if (sub === 'delconsumer' && argc === 5) {
    const consumer = cg!.consumers.get(argv[4]!);
    let pending = 0;
    if (consumer) {
      pending = consumer.pel.size;
      for (const id of consumer.pel.keys) cg!.pel.delete(id);
      cg!.consumers.delete(consumer.name);
      rec.dirty++;
      rec.notify(NOTIFY_STREAM, 'xgroup-delconsumer', key, c.db.id);
    }
    c.int(pending);
  } else {
    c.error(errSubcommandSyntax(opt, 'xgroup'));
  }
}

/** lookupKeyRead + type check + group: [stream, group] or null (replied WRONGTYPE, or nothing when missing: see caller). */
function readGroup(c: Client, key: string, group: string): [Stream | null, ConsumerGroup | null] | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return [null, null]; }
  c.server.stats.keyspaceHits++;
  if (!(v instanceof Stream)) { c.error(ERR_WRONGTYPE); return false; }
  return [v, v.group(group) ?? null];
}

export function xackCommand(c: Client, argv: string[]): void {
  const r = readGroup(c, argv[1]!, argv[2]!);
  if (r === false) return;
  const g = r[1];
  if (g === null) { c.int(0); return; }
  const ids: bigint[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = parseId(c, argv[j]!, 0n, true);
    if (id === null) return;
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (nack !== undefined) {
      g.pel.delete(id);
      nack.consumer?.pel.delete(id);
      acked++;
      c.server.recorder.dirty++;
    }
  }
  c.int(acked);
}

export function xpendingCommand(c: Client, argv: string[]): void {
  const argc = argv.length;
  const justinfo = argc === 3;
  const key = argv[1]!;
  const groupName = argv[2]!;
  let consumerName: string | null = null;
  let start = 0n;
  let end = 0n;
  let count = 0;
  let minidle = 0;
  if (argc !== 3 && (argc < 6 || argc > 9)) { c.error(ERR_SYNTAX); return; }
  if (argc >= 6) {
    let si = 3;
    if (is(argv[3], 'idle')) {
      const n = ll(c, argv[4]!);
      if (n === null) return;
      minidle = n;
      if (argc < 8) { c.error(ERR_SYNTAX); return; }
      si += 2;
    }
    const cnt = ll(c, argv[si + 2]!);
    if (cnt === null) return;
    count = cnt < 0 ? 0 : cnt;
    const st = parseInterval(c, argv[si]!, 0n);
    if (st === null) return;
    let sid: bigint | null = st[0];
    if (st[1]) { sid = incrId(sid); if (sid === null) { c.error(ERR_INVALID_START_ID); return; } }
    const en = parseInterval(c, argv[si + 1]!, U64_MAX);
    if (en === null) return;
    let eid: bigint | null = en[0];
    if (en[1]) { eid = decrId(eid); if (eid === null) { c.error(ERR_INVALID_END_ID); return; } }
    start = sid;
    end = eid;
    if (si + 3 < argc) consumerName = argv[si + 3]!;
  }
  const r = readGroup(c, key, groupName);
  if (r === false) return;
  const g = r[1];
  if (g === null) { c.error(errNoGroup(key, groupName)); return; }
  if (justinfo) {
    const n = g.pel.size;
    if (n === 0) {
      c.raw('*4\r\n:0\r\n');
      c.null(); c.null(); c.nullArray();
      return;
    }
    let o = '*4\r\n:' + n + '\r\n' + idBulk(g.pel.keys[0]!) + idBulk(g.pel.keys[n - 1]!);
    let m = 0;
    let body = '';
    for (const cons of sortedConsumers(g)) {
      if (cons.pel.size === 0) continue;
      body += '*2\r\n' + bulkStr(cons.name) + bulkStr(String(cons.pel.size));
      m++;
    }
    o += '*' + m + '\r\n' + body;
    c.raw(o);
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const cons = g.consumers.get(consumerName);
    if (!cons) { c.raw('*0\r\n'); return; }
    pel = cons.pel;
  }
  const now = c.server.now;
  let m = 0;
  let body = '';
  for (let i = pel.seek(start); count && i < pel.size && pel.keys[i]! <= end; i++) {
    const nack = pel.vals[i]!;
    if (minidle && now - nack.deliveryTime < minidle) continue;
    m++;
    count--;
    const elapsed = Math.max(0, now - nack.deliveryTime);
    body += '*4\r\n' + idBulk(pel.keys[i]!) + bulkStr(nack.consumer!.name) + ':' + elapsed + '\r\n:' + nack.deliveryCount + '\r\n';
  }
  c.raw('*' + m + '\r\n' + body);
}

export function sortedConsumers(g: ConsumerGroup): Consumer[] {
  return [...g.consumers.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** Move a NACK to consumer (both PELs). */
function reassign(g: ConsumerGroup, id: bigint, nack: Nack, consumer: Consumer): void {
  void g;
  if (nack.consumer !== consumer) {
    nack.consumer?.pel.delete(id);
  }
  return;
}

export function xclaimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const r = readGroup(c, key, argv[2]!);
  if (r === false) return;
  const [s, g] = r;
  if (s === null || g === null) { c.error(errNoGroup(key, argv[2]!)); return; }
  let minidle = ll(c, argv[4]!, ERR_XCLAIM_MINIDLE);
  if (minidle === null) return;
  if (minidle < 0) minidle = 0;
  const ids: bigint[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseId(null, argv[j]!, 0n, true);
    if (id === null) break;
    ids.push(id);
  }
  const lastIdArg = j - 1;
  const now = c.server.now;
  let lastId = 0n;
  let retrycount = -1;
  let deliverytime = -1;
  let force = false;
  let justid = false;
  let propagateLastId = false;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (is(opt, 'force')) force = true;
    else if (is(opt, 'justid')) justid = true;
    else if (is(opt, 'idle') && more) {
      const n = ll(c, argv[++j]!, ERR_XCLAIM_IDLE);
      if (n === null) return;
      deliverytime = now - n;
    } else if (is(opt, 'time') && more) {
      const n = ll(c, argv[++j]!, ERR_XCLAIM_TIME);
      if (n === null) return;
      deliverytime = n;
    } else if (is(opt, 'retrycount') && more) {
      const n = ll(c, argv[++j]!, ERR_XCLAIM_RETRYCOUNT);
      if (n === null) return;
      retrycount = n;
    } else if (is(opt, 'lastid') && more) {
      const id = parseId(c, argv[++j]!, 0n, true);
      if (id === null) return;
      lastId = id;
    } else { c.error(errXclaimOption(opt)); return; }
  }
  if (lastId > g.lastId) { g.lastId = lastId; propagateLastId = true; }
  if (deliverytime !== -1) { if (deliverytime < 0 || deliverytime > now) deliverytime = now; } else deliverytime = now;
  let consumer: Consumer | null = null;
  const name = argv[3]!;
  let n = 0;
  let body = '';
  const rec = c.server.recorder;
  for (let k = 5; k <= lastIdArg; k++) {
    const id = ids[k - 5]!;
    let nack = g.pel.get(id);
    if (!s.has(id)) {
      if (nack !== undefined) {
        propagateXclaim(c, key, g, argv[2]!, argv[k]!, nack);
        propagateLastId = false;
        rec.dirty++;
        g.pel.delete(id);
        nack.consumer?.pel.delete(id);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = { consumer: null, deliveryTime: now, deliveryCount: 1 };
      g.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer && minidle && now - nack.deliveryTime < minidle) continue;
    if (consumer === null) consumer = lookupOrCreateConsumer(c, s, g, name, key).consumer;
    reassign(g, id, nack, consumer);
    nack.deliveryTime = deliverytime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) { consumer.pel.set(id, nack); nack.consumer = consumer; }
    body += justid ? idBulk(id) : singleEntry(s, id);
    n++;
    propagateXclaim(c, key, g, argv[2]!, argv[k]!, nack);
    propagateLastId = false;
    rec.dirty++;
  }
  if (propagateLastId) { propagateGroupId(c, key, g, argv[2]!); rec.dirty++; }
  c.raw('*' + n + '\r\n' + body);
  c.preventPropagation = true;
}

export function xautoclaimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  let minidle = ll(c, argv[4]!, ERR_XAUTOCLAIM_MINIDLE);
  if (minidle === null) return;
  if (minidle < 0) minidle = 0;
  const st = parseInterval(c, argv[5]!, 0n);
  if (st === null) return;
  let start: bigint | null = st[0];
  if (st[1]) { start = incrId(start); if (start === null) { c.error(ERR_INVALID_START_ID); return; } }
  let count = 100;
  let justid = false;
  const maxCount = Math.floor(9223372036854775807 / 16);
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (is(opt, 'count') && more) {
      const n = toBigInt(argv[j + 1]!);
      if (n === null || n < 1n || Number(n) > maxCount) { c.error(ERR_XAUTOCLAIM_COUNT); return; }
      count = Number(n);
      j++;
    } else if (is(opt, 'justid')) justid = true;
    else { c.error(ERR_SYNTAX); return; }
  }
  const r = readGroup(c, key, argv[2]!);
  if (r === false) return;
  const [s, g] = r;
  if (s === null || g === null) { c.error(errNoGroup(key, argv[2]!)); return; }
  let attempts = count * 10;
  const now = c.server.now;
  const name = argv[3]!;
  let consumer: Consumer | null = null;
  const deleted: bigint[] = [];
  let n = 0;
  let body = '';
  const rec = c.server.recorder;
  const pel = g.pel;
  let i = pel.seek(start);
  while (attempts-- && count && i < pel.size) {
    const id = pel.keys[i]!;
    const nack = pel.vals[i]!;
    if (!s.has(id)) {
      propagateXclaim(c, key, g, argv[2]!, idStr(id), nack);
      rec.dirty++;
      pel.delete(id);
      nack.consumer?.pel.delete(id);
      deleted.push(id);
      count--;
      continue; // i now points at the next key
    }
    i++;
    if (minidle && now - nack.deliveryTime < minidle) continue;
    if (consumer === null) consumer = lookupOrCreateConsumer(c, s, g, name, key).consumer;
    if (nack.consumer !== consumer) nack.consumer?.pel.delete(id);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) { consumer.pel.set(id, nack); nack.consumer = consumer; }
    body += justid ? idBulk(id) : singleEntry(s, id);
    n++;
    count--;
    propagateXclaim(c, key, g, argv[2]!, idStr(id), nack);
    rec.dirty++;
  }
  const endId = i < pel.size ? pel.keys[i]! : 0n;
  let o = '*3\r\n' + idBulk(endId) + '*' + n + '\r\n' + body + '*' + deleted.length + '\r\n';
  for (const d of deleted) o += idBulk(d);
  c.raw(o);
  c.preventPropagation = true;
}

export { IdMap };
