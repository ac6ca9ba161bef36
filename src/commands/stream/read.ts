/*
 * XREAD and XREADGROUP (xreadCommand) and the group side of
 * streamReplyWithRange: delivering entries to a consumer creates or
 * reassigns NACKs and propagates each as XCLAIM (or XGROUP SETID with
 * NOACK), as streamPropagateXCLAIM / streamPropagateGroupID do; the command
 * itself is never propagated.
 *
 * Blocking goes through src/server/blocking.ts: before blocking, '$' IDs are
 * resolved into the argv kept for the re-run (Redis keeps the resolved IDs
 * in bpop). The re-run (isReprocessing) serves like
 * serveClientsBlockedOnStreamKey: the first key with entries past the
 * client's ID (for a group, past the group's last delivered ID) answers
 * alone, COUNT defaulting to 1000; a vanished group answers NOGROUP; a
 * deleted or retyped key ends an XREADGROUP wait with UNBLOCKED (the
 * blocking layer's gone hook).
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_STREAM } from '../../keyspace/notify.js';
import {
  ERR_NOGROUP_BLOCKED, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_TIMEOUT_NEGATIVE, ERR_TIMEOUT_NOT_INTEGER, ERR_XREADGROUP_DOLLAR,
  ERR_XREADGROUP_MISSING_GROUP, ERR_XREAD_GROUP_OPT, ERR_XREAD_GT, ERR_XREAD_NOACK_OPT, ERR_XREAD_UNBALANCED,
  errBlockFromScript, errNoGroupRead, ERR_WRONGTYPE, ERR_UNBLOCKED_STREAM_GONE,
} from '../../protocol/errors.js';
import type { GoneHook } from '../../server/blocking.js';
import {
  ENTRIES_READ_INVALID, ID_MAX, IdMap, Stream, idStr, type Consumer, type ConsumerGroup, type Nack,
} from '../../types/stream.js';
import { is, toBigInt } from '../args.js';
import { bulkStr, entryReply, idBulk, parseId, singleEntry } from './common.js';

const BLOCKED_DEFAULT_COUNT = 1000;

/** A blocked XREADGROUP ends when its key is deleted or overwritten by another type. */
const STREAM_GONE: GoneHook = { type: 'stream', reply: (c) => c.error(ERR_UNBLOCKED_STREAM_GONE) };

/** streamLookupConsumer (refreshing seen-time) or streamCreateConsumer (dirty, event). */
export function lookupOrCreateConsumer(c: Client, s: Stream, g: ConsumerGroup, name: string, key: string): { consumer: Consumer; created: boolean } {
  void s;
  let consumer = g.consumers.get(name);
  if (consumer) { consumer.seenTime = c.server.now; return { consumer, created: false }; }
  consumer = { name, seenTime: c.server.now, pel: new IdMap<Nack>() };
  g.consumers.set(name, consumer);
  c.server.recorder.dirty++;
  c.server.recorder.notify(NOTIFY_STREAM, 'xgroup-createconsumer', key, c.db.id);
  return { consumer, created: true };
}

/** streamPropagateXCLAIM */
export function propagateXclaim(c: Client, key: string, g: ConsumerGroup, groupName: string, id: string, nack: Nack): void {
  c.server.recorder.propagate(c.db.id, [
    'XCLAIM', key, groupName, nack.consumer!.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', idStr(g.lastId),
  ]);
}

/** streamPropagateGroupID */
export function propagateGroupId(c: Client, key: string, g: ConsumerGroup, groupName: string): void {
  c.server.recorder.propagate(c.db.id, ['XGROUP', 'SETID', key, groupName, idStr(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

/** streamReplyWithRange for a group reading new entries (ID '>'): the reply string. */
function groupRange(c: Client, s: Stream, key: string, start: bigint, count: number, g: ConsumerGroup, consumer: Consumer, noack: boolean): string {
  let n = 0;
  let body = '';
  let propagateLastId = false;
  const now = c.server.now;
  s.range(start, ID_MAX, false, (node, k) => {
    const id = node.ids[k]!;
    if (id > g.lastId) {
      if (g.entriesRead !== ENTRIES_READ_INVALID && !s.hasTombstonesFrom(id)) g.entriesRead++;
      else if (s.entriesAdded) g.entriesRead = s.estimateDistance(id);
      g.lastId = id;
      if (noack) propagateLastId = true;
    }
    body += entryReply(node, k);
    if (!noack) {
      let nack = g.pel.get(id);
      if (nack === undefined) {
        nack = { consumer, deliveryTime: now, deliveryCount: 1 };
        g.pel.set(id, nack);
        consumer.pel.set(id, nack);
      } else {
        nack.consumer?.pel.delete(id);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        consumer.pel.set(id, nack);
      }
      propagateXclaim(c, key, g, g.name, idStr(id), nack);
    }
    n++;
    return !(count && n === count);
  });
  if (propagateLastId) propagateGroupId(c, key, g, g.name);
  return '*' + n + '\r\n' + body;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from start. */
function pelRange(c: Client, s: Stream, start: bigint, count: number, consumer: Consumer): string {
  let n = 0;
  let body = '';
  const pel = consumer.pel;
  for (let i = pel.seek(start); i < pel.size && (!count || n < count); i++) {
    const id = pel.keys[i]!;
    const e = singleEntry(s, id);
    if (e === '') body += '*2\r\n' + idBulk(id) + (c.resp === 3 ? '_\r\n' : '*-1\r\n');
    else {
      body += e;
      const nack = pel.vals[i]!;
      nack.deliveryTime = c.server.now;
      nack.deliveryCount++;
    }
    n++;
  }
  return '*' + n + '\r\n' + body;
}

function streamHeader(c: Client, key: string): string {
  return (c.resp === 2 ? '*2\r\n' : '') + bulkStr(key);
}

/** Serve one key of a re-run blocked read: true when it replied. */
function serveBlocked(c: Client, key: string, gt: bigint, count: number, group: string | null, consumerName: string, noack: boolean): boolean {
  const v = c.db.get(key);
  if (!(v instanceof Stream)) return false;
  let g: ConsumerGroup | undefined;
  if (group !== null) {
    g = v.group(group);
    if (!g) { c.error(ERR_NOGROUP_BLOCKED); return true; }
    gt = g.lastId;
  }
  if (!(v.lastId > gt)) return false;
  const start = gt === ID_MAX ? 0n : gt + 1n;
  const head = c.resp === 2 ? '*1\r\n*2\r\n' : '%1\r\n';
  if (g) {
    const { consumer, created } = lookupOrCreateConsumer(c, v, g, consumerName, key);
    if (created && noack) c.server.recorder.propagate(c.db.id, ['XGROUP', 'CREATECONSUMER', key, group!, consumerName]);
    c.raw(head + bulkStr(key) + groupRange(c, v, key, start, count, g, consumer, noack));
  } else {
    let n = 0;
    let body = '';
    v.range(start, ID_MAX, false, (node, k) => { body += entryReply(node, k); n++; return n !== count; });
    c.raw(head + bulkStr(key) + '*' + n + '\r\n' + body);
  }
  return true;
}

export function xreadGeneric(c: Client, argv: string[], xreadgroup: boolean): void {
  c.preventPropagation = true;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  const argc = argv.length;
  for (let i = 1; i < argc; i++) {
    const more = argc - i - 1;
    const o = argv[i]!;
    if (is(o, 'block') && more) {
      // Redis refuses BLOCK from scripts outright (t_stream.c), before reading the timeout
      if (c.isScript) { c.error(errBlockFromScript(argv[0]!)); return; }
      i++;
      const t = toBigInt(argv[i]!);
      if (t === null) { c.error(ERR_TIMEOUT_NOT_INTEGER); return; }
      if (t < 0n) { c.error(ERR_TIMEOUT_NEGATIVE); return; }
      timeout = t > 0n ? c.server.now + Number(t) : 0;
    } else if (is(o, 'count') && more) {
      i++;
      const n = toBigInt(argv[i]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return; }
      count = n < 0n ? 0 : Number(n);
    } else if (is(o, 'streams') && more) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) { c.error(ERR_XREAD_UNBALANCED); return; }
      streamsCount /= 2;
      break;
    } else if (is(o, 'group') && more >= 2) {
      if (!xreadgroup) { c.error(ERR_XREAD_GROUP_OPT); return; }
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (is(o, 'noack')) {
      if (!xreadgroup) { c.error(ERR_XREAD_NOACK_OPT); return; }
      noack = true;
    } else { c.error(ERR_SYNTAX); return; }
  }
  if (streamsArg === 0) { c.error(ERR_SYNTAX); return; }
  if (xreadgroup && groupName === null) { c.error(ERR_XREADGROUP_MISSING_GROUP); return; }

  const blocking = c.server.blocking;
  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  if (blocking.isReprocessing(c)) {
    for (let i = 0; i < streamsCount; i++) {
      const idArg = argv[streamsArg + streamsCount + i]!;
      const gt = idArg === '>' ? ID_MAX : parseId(null, idArg, 0n, true) ?? ID_MAX;
      if (serveBlocked(c, keys[i]!, gt, count || BLOCKED_DEFAULT_COUNT, groupName, consumerName, noack)) return;
    }
    blocking.blockForKeys(c, keys, timeout);
    return;
  }

  const ids: bigint[] = new Array(streamsCount);
  const groups: (ConsumerGroup | null)[] = new Array(streamsCount).fill(null);
  let resolved: string[] | null = null;
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i]!;
    const v = c.db.get(key);
    if (v === undefined) c.server.keyMiss(c.db, key);
    else {
      c.server.stats.keyspaceHits++;
      if (!(v instanceof Stream)) { c.error(ERR_WRONGTYPE); return; }
    }
    const s = v as Stream | undefined;
    if (groupName !== null) {
      const g = s?.group(groupName);
      if (!g) { c.error(errNoGroupRead(key, groupName)); return; }
      groups[i] = g;
    }
    const idArg = argv[streamsArg + streamsCount + i]!;
    if (idArg === '$') {
      if (xreadgroup) { c.error(ERR_XREADGROUP_DOLLAR); return; }
      ids[i] = s ? s.lastId : 0n;
      resolved ??= argv.slice();
      resolved[streamsArg + streamsCount + i] = idStr(ids[i]!);
      continue;
    } else if (idArg === '>') {
      if (!xreadgroup) { c.error(ERR_XREAD_GT); return; }
      ids[i] = ID_MAX;
      continue;
    }
    const id = parseId(c, idArg, 0n, true);
    if (id === null) return;
    ids[i] = id;
  }

  let n = 0;
  let body = '';
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i]!;
    const v = c.db.get(key);
    if (v === undefined) { c.server.keyMiss(c.db, key); continue; }
    c.server.stats.keyspaceHits++;
    const s = v as Stream;
    let gt = ids[i]!;
    const g = groups[i];
    let sync = false;
    let history = false;
    if (g) {
      if (gt !== ID_MAX) { sync = true; history = true; } else if (s.length && s.lastValidId() > g.lastId) { sync = true; gt = g.lastId; }
    } else if (s.length && s.lastValidId() > gt) sync = true;
    if (!sync) continue;
    n++;
    body += streamHeader(c, key);
    const start = gt === ID_MAX ? 0n : gt + 1n;
    if (g) {
      const { consumer, created } = lookupOrCreateConsumer(c, s, g, consumerName, key);
      if (created && noack) c.server.recorder.propagate(c.db.id, ['XGROUP', 'CREATECONSUMER', key, groupName!, consumerName]);
      body += history ? pelRange(c, s, start, count, consumer) : groupRange(c, s, key, start, count, g, consumer, noack);
      c.server.recorder.dirty++;
    } else {
      let m = 0;
      let part = '';
      s.range(start, ID_MAX, false, (node, k) => { part += entryReply(node, k); m++; return !(count && m === count); });
      body += '*' + m + '\r\n' + part;
    }
  }
  if (n) {
    c.raw((c.resp === 2 ? '*' : '%') + n + '\r\n' + body);
    return;
  }
  if (timeout !== -1) {
    if (!blocking.canBlock(c)) { c.nullArray(); return; }
    if (resolved) c.argv = resolved;
    blocking.blockForKeys(c, keys, timeout, null, xreadgroup ? STREAM_GONE : null);
    return;
  }
  c.nullArray();
}

export function xreadCommand(c: Client, argv: string[]): void { xreadGeneric(c, argv, false); }
export function xreadgroupCommand(c: Client, argv: string[]): void { xreadGeneric(c, argv, true); }
