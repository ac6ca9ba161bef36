/*
 * XINFO STREAM [FULL [COUNT n]] / GROUPS / CONSUMERS / HELP
 * (xinfoCommand, xinfoReplyWithStreamInfo). radix-tree-nodes is the node
 * count of a freshly built rax over the node keys (Redis's own count also
 * depends on the tree's history, so it can differ after deletions).
 */
import type { Client } from '../../server/client.js';
import { ERR_NO_SUCH_KEY, errNoGroupForKey, errSubcommandSyntax } from '../../protocol/errors.js';
import { ENTRIES_READ_INVALID, ID_MAX, Stream, StreamNode } from '../../types/stream.js';
import { is, toBigInt } from '../args.js';
import { ERR_NOT_INTEGER } from '../../protocol/errors.js';
import { bulkStr, entryReply, idBulk, readStream } from './common.js';
import { sortedConsumers } from './group.js';

const HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

/** 16-byte big-endian keys of the nodes */
function raxKey(n: StreamNode): string {
  return n.master.toString(16).padStart(32, '0');
}

/** Nodes of a compressed rax holding these equal-length keys (hex, 2 chars a byte). */
function raxNodes(keys: string[], d: number): number {
  if (keys.length === 0) return 1;
  const len = keys[0]!.length;
  if (d >= len) return 1;
  let l = 0;
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  while (d + l < len && first.slice(d + l, d + l + 2) === last.slice(d + l, d + l + 2)) l += 2;
  if (l > 0) return 1 + raxNodes(keys, d + l);
  let total = 1;
  let i = 0;
  while (i < keys.length) {
    const ch = keys[i]!.slice(d, d + 2);
    let j = i;
    while (j < keys.length && keys[j]!.slice(d, d + 2) === ch) j++;
    total += raxNodes(keys.slice(i, j), d + 2);
    i = j;
  }
  return total;
}

const intLine = (n: number | bigint): string => ':' + n + '\r\n';

function nullable(c: Client, n: number | null): string {
  return n === null ? (c.resp === 3 ? '_\r\n' : '$-1\r\n') : intLine(n);
}

const mapHead = (c: Client, n: number): string => (c.resp === 3 ? '%' + n : '*' + n * 2) + '\r\n';

function streamInfo(c: Client, s: Stream, argv: string[]): void {
  let full = true;
  let count = 10;
  const optc = argv.length - 3;
  if (optc === 0) full = false;
  else {
    if ((optc !== 1 && optc !== 3) || !is(argv[3], 'full')) { c.error(errSubcommandSyntax(argv[1]!, 'xinfo')); return; }
    if (optc === 3) {
      if (!is(argv[4], 'count')) { c.error(errSubcommandSyntax(argv[1]!, 'xinfo')); return; }
      const n = toBigInt(argv[5]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return; }
      count = n < 0n ? 10 : Number(n);
    }
  }
  let o = mapHead(c, full ? 9 : 10);
  o += bulkStr('length') + intLine(s.length);
  o += bulkStr('radix-tree-keys') + intLine(s.nodes.length);
  o += bulkStr('radix-tree-nodes') + intLine(raxNodes(s.nodes.map(raxKey), 0));
  o += bulkStr('last-generated-id') + idBulk(s.lastId);
  o += bulkStr('max-deleted-entry-id') + idBulk(s.maxDeletedId);
  o += bulkStr('entries-added') + intLine(s.entriesAdded);
  o += bulkStr('recorded-first-entry-id') + idBulk(s.firstId);
  const nul = c.resp === 3 ? '_\r\n' : '$-1\r\n';
  if (!full) {
    o += bulkStr('groups') + intLine(s.groups ? s.groups.size : 0);
    let first = '';
    s.range(0n, ID_MAX, false, (node, k) => { first = entryReply(node, k); return false; });
    o += bulkStr('first-entry') + (first || nul);
    let last = '';
    s.range(0n, ID_MAX, true, (node, k) => { last = entryReply(node, k); return false; });
    o += bulkStr('last-entry') + (last || nul);
    c.raw(o);
    return;
  }
  let n = 0;
  let body = '';
  s.range(0n, ID_MAX, false, (node, k) => { body += entryReply(node, k); n++; return !(count && n === count); });
  o += bulkStr('entries') + '*' + n + '\r\n' + body;
  const groups = s.sortedGroups();
  o += bulkStr('groups') + '*' + groups.length + '\r\n';
  for (const g of groups) {
    o += mapHead(c, 7) + bulkStr('name') + bulkStr(g.name) + bulkStr('last-delivered-id') + idBulk(g.lastId);
    o += bulkStr('entries-read') + nullable(c, g.entriesRead === ENTRIES_READ_INVALID ? null : g.entriesRead);
    o += bulkStr('lag') + nullable(c, s.lag(g)) + bulkStr('pel-count') + intLine(g.pel.size);
    const pn = count ? Math.min(count, g.pel.size) : g.pel.size;
    o += bulkStr('pending') + '*' + pn + '\r\n';
    for (let i = 0; i < pn; i++) {
      const nack = g.pel.vals[i]!;
      o += '*4\r\n' + idBulk(g.pel.keys[i]!) + bulkStr(nack.consumer!.name) + intLine(nack.deliveryTime) + intLine(nack.deliveryCount);
    }
    const cons = sortedConsumers(g);
    o += bulkStr('consumers') + '*' + cons.length + '\r\n';
    for (const cn of cons) {
      o += mapHead(c, 4) + bulkStr('name') + bulkStr(cn.name) + bulkStr('seen-time') + intLine(cn.seenTime);
      o += bulkStr('pel-count') + intLine(cn.pel.size);
      const cp = count ? Math.min(count, cn.pel.size) : cn.pel.size;
      o += bulkStr('pending') + '*' + cp + '\r\n';
      for (let i = 0; i < cp; i++) {
        const nack = cn.pel.vals[i]!;
        o += '*3\r\n' + idBulk(cn.pel.keys[i]!) + intLine(nack.deliveryTime) + intLine(nack.deliveryCount);
      }
    }
  }
  c.raw(o);
}

/** XINFO HELP */
export function xinfoHelpCommand(c: Client, argv: string[]): void {
  if (argv.length !== 2) { c.error(errSubcommandSyntax(argv[1]!, 'xinfo')); return; }
  c.help('XINFO', HELP);
}

function lookup(c: Client, key: string): Stream | null {
  const s = readStream(c, key);
  if (s === false) return null;
  if (s === null) { c.error(ERR_NO_SUCH_KEY); return null; }
  return s;
}

export function xinfoStreamCommand(c: Client, argv: string[]): void {
  const s = lookup(c, argv[2]!);
  if (s) streamInfo(c, s, argv);
}

export function xinfoGroupsCommand(c: Client, argv: string[]): void {
  const s = lookup(c, argv[2]!);
  if (!s) return;
  const groups = s.sortedGroups();
  let o = '*' + groups.length + '\r\n';
  for (const g of groups) {
    o += mapHead(c, 6) + bulkStr('name') + bulkStr(g.name) + bulkStr('consumers') + intLine(g.consumers.size);
    o += bulkStr('pending') + intLine(g.pel.size) + bulkStr('last-delivered-id') + idBulk(g.lastId);
    o += bulkStr('entries-read') + nullable(c, g.entriesRead === ENTRIES_READ_INVALID ? null : g.entriesRead);
    o += bulkStr('lag') + nullable(c, s.lag(g));
  }
  c.raw(o);
}

export function xinfoConsumersCommand(c: Client, argv: string[]): void {
  const s = lookup(c, argv[2]!);
  if (!s) return;
  const g = s.group(argv[3]!);
  if (!g) { c.error(errNoGroupForKey(argv[3]!, argv[2]!)); return; }
  const cons = sortedConsumers(g);
  const now = c.server.now;
  let o = '*' + cons.length + '\r\n';
  for (const cn of cons) {
    o += mapHead(c, 3) + bulkStr('name') + bulkStr(cn.name) + bulkStr('pending') + intLine(cn.pel.size);
    o += bulkStr('idle') + intLine(Math.max(0, now - cn.seenTime));
  }
  c.raw(o);
}
