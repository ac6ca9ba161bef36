/*
 * Pub/Sub registries and delivery (redis/src/pubsub.c), one set per server.
 *
 * Registries: channel -> subscribers, pattern -> subscribers, shard channel ->
 * subscribers, each a Map of insertion-ordered Sets (a client's own
 * subscriptions live in c.channels / c.patterns / c.shardChannels, which also
 * make c.kind 'pubsub' for the subscribed-context check and the pubsub
 * output-buffer class). Redis iterates its dicts in hash order; we iterate in
 * insertion order, which Redis can produce too.
 *
 * Delivery: publish() encodes each frame once per protocol version (RESP2
 * array, RESP3 push) on first use and appends the same string to every
 * subscriber's output, scheduling one flush per client for the end of the
 * turn. Pushes bypass CLIENT REPLY OFF/SKIP (Redis's CLIENT_PUSHING): while
 * the receiving client's own command runs silenced, frames go to
 * c.keptPushes, which the client appends after dropping the command's replies.
 *
 * Other features use pushFrame() for their own pushes (tracking invalidation)
 * and publish() for __redis__:invalidate.
 */
import { encodeBulk as bulk } from '../protocol/reply.js';
import { globMatch } from '../keyspace/glob.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export interface PubSub {
  readonly channels: Map<string, Set<Client>>;
  readonly patterns: Map<string, Set<Client>>;
  readonly shardChannels: Map<string, Set<Client>>;
}

const KEY = 'pubsub';

/** The server's registries (created on first use). */
export function pubsubOf(server: Server): PubSub {
  let ps = server.ext.get(KEY) as PubSub | undefined;
  if (ps === undefined) {
    ps = { channels: new Map(), patterns: new Map(), shardChannels: new Map() };
    server.ext.set(KEY, ps);
  }
  return ps;
}


/** A push made while c's own command runs under CLIENT REPLY OFF/SKIP is kept aside (c.keptPushes), not dropped. */
const keepsPushes = (c: Client): boolean => c.running && (c.replyOff || c.replySkip);

/**
 * Append an out-of-band frame `head + tail` to c's output, bypassing CLIENT
 * REPLY OFF/SKIP, and schedule the write. `tailBytes`, when given, is `tail`
 * already encoded (a part shared by many receivers of one message).
 */
export function pushFrame(c: Client, head: string, tail = '', tailBytes: Uint8Array | null = null): void {
  if (c.closed) return;
  if (keepsPushes(c)) {
    c.keptPushes += head + tail;
  } else {
    if (head !== '') c.raw(head);
    if (tailBytes !== null) c.rawBytes(tailBytes);
    else if (tail !== '') c.raw(tail);
  }
  c.server.scheduleFlush(c);
}

/** A 3-element push: [kind, name, count] (subscribe confirmations); name null gives a nil. */
function confirm(c: Client, kind: string, name: string | null, count: number): void {
  const head = c.resp === 3 ? '>3\r\n' : '*3\r\n';
  const nm = name === null ? (c.resp === 3 ? '_\r\n' : '$-1\r\n') : bulk(name);
  pushFrame(c, head + bulk(kind) + nm + ':' + count + '\r\n');
}

/** Channels + patterns (Redis's clientSubscriptionsCount). */
export const subscriptionCount = (c: Client): number => c.channels.size + c.patterns.size;

// ---- subscribe / unsubscribe ------------------------------------------------

function add(reg: Map<string, Set<Client>>, name: string, c: Client): void {
  const set = reg.get(name);
  if (set === undefined) reg.set(name, new Set([c]));
  else set.add(c);
}

function remove(reg: Map<string, Set<Client>>, name: string, c: Client): void {
  const set = reg.get(name);
  if (set === undefined) return;
  set.delete(c);
  if (set.size === 0) reg.delete(name);
}

export function subscribeChannel(c: Client, channel: string): void {
  if (!c.channels.has(channel)) {
    c.channels.add(channel);
    add(pubsubOf(c.server).channels, channel, c);
  }
  confirm(c, 'subscribe', channel, subscriptionCount(c));
}

export function unsubscribeChannel(c: Client, channel: string, notify: boolean): boolean {
  const had = c.channels.delete(channel);
  if (had) remove(pubsubOf(c.server).channels, channel, c);
  if (notify) confirm(c, 'unsubscribe', channel, subscriptionCount(c));
  return had;
}

export function subscribePattern(c: Client, pattern: string): void {
  if (!c.patterns.has(pattern)) {
    c.patterns.add(pattern);
    add(pubsubOf(c.server).patterns, pattern, c);
  }
  confirm(c, 'psubscribe', pattern, subscriptionCount(c));
}

export function unsubscribePattern(c: Client, pattern: string, notify: boolean): boolean {
  const had = c.patterns.delete(pattern);
  if (had) remove(pubsubOf(c.server).patterns, pattern, c);
  if (notify) confirm(c, 'punsubscribe', pattern, subscriptionCount(c));
  return had;
}

export function subscribeShard(c: Client, channel: string): void {
  if (!c.shardChannels.has(channel)) {
    c.shardChannels.add(channel);
    add(pubsubOf(c.server).shardChannels, channel, c);
  }
  confirm(c, 'ssubscribe', channel, c.shardChannels.size);
}

export function unsubscribeShard(c: Client, channel: string, notify: boolean): boolean {
  const had = c.shardChannels.delete(channel);
  if (had) remove(pubsubOf(c.server).shardChannels, channel, c);
  if (notify) confirm(c, 'sunsubscribe', channel, c.shardChannels.size);
  return had;
}

/** UNSUBSCRIBE with no arguments: every channel, or one nil confirmation when there were none. */
export function unsubscribeAllChannels(c: Client, notify: boolean): number {
  let n = 0;
  for (const ch of [...c.channels]) if (unsubscribeChannel(c, ch, notify)) n++;
  if (notify && n === 0) confirm(c, 'unsubscribe', null, subscriptionCount(c));
  return n;
}

export function unsubscribeAllPatterns(c: Client, notify: boolean): number {
  let n = 0;
  for (const p of [...c.patterns]) if (unsubscribePattern(c, p, notify)) n++;
  if (notify && n === 0) confirm(c, 'punsubscribe', null, subscriptionCount(c));
  return n;
}

export function unsubscribeAllShard(c: Client, notify: boolean): number {
  let n = 0;
  for (const ch of [...c.shardChannels]) if (unsubscribeShard(c, ch, notify)) n++;
  if (notify && n === 0) confirm(c, 'sunsubscribe', null, c.shardChannels.size);
  return n;
}

/** Drop every subscription silently (disconnect, RESET). */
export function unsubscribeAll(c: Client): void {
  if (c.channels.size > 0) unsubscribeAllChannels(c, false);
  if (c.shardChannels.size > 0) unsubscribeAllShard(c, false);
  if (c.patterns.size > 0) unsubscribeAllPatterns(c, false);
}

// ---- delivery ---------------------------------------------------------------

/** Deliver one frame pair to every client of a set (encoded to bytes once when several receive it); returns how many. */
function deliver(clients: Set<Client>, r2: string, r3: string): number {
  if (clients.size === 1) {
    for (const c of clients) pushFrame(c, c.resp === 3 ? r3 : r2);
    return 1;
  }
  let b2: Buffer | null = null;
  let b3: Buffer | null = null;
  for (const c of clients) {
    if (c.resp === 3) pushFrame(c, '', r3, b3 ??= Buffer.from(r3, 'latin1'));
    else pushFrame(c, '', r2, b2 ??= Buffer.from(r2, 'latin1'));
  }
  return clients.size;
}

/** PUBLISH: deliver to channel subscribers (message) then matching patterns (pmessage); returns receivers. */
export function publish(server: Server, channel: string, message: string): number {
  const ps = pubsubOf(server);
  let receivers = 0;
  const subs = ps.channels.get(channel);
  const tail = bulk(channel) + bulk(message);
  if (subs !== undefined) {
    const body = '$7\r\nmessage\r\n' + tail;
    receivers += deliver(subs, '*3\r\n' + body, '>3\r\n' + body);
  }
  if (ps.patterns.size > 0) {
    // the channel + message part is the same for every pattern: encoded once, copied as bytes
    let tailBytes: Buffer | null = null;
    for (const [pattern, clients] of ps.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        receivers++;
        if (c.closed) continue;
        const head = c.resp === 3 ? '>4\r\n$8\r\npmessage\r\n' : '*4\r\n$8\r\npmessage\r\n';
        if (keepsPushes(c)) {
          c.keptPushes += head + bulk(pattern) + tail;
        } else {
          // written piece by piece: no per-receiver frame string to build and flatten
          c.raw(head);
          c.bulk(pattern);
          c.rawBytes(tailBytes ??= Buffer.from(tail, 'latin1'));
        }
        c.server.scheduleFlush(c);
      }
    }
  }
  return receivers;
}

/** SPUBLISH: shard channel subscribers only (smessage; patterns are ignored). */
export function spublish(server: Server, channel: string, message: string): number {
  const subs = pubsubOf(server).shardChannels.get(channel);
  if (subs === undefined) return 0;
  const body = '$8\r\nsmessage\r\n' + bulk(channel) + bulk(message);
  return deliver(subs, '*3\r\n' + body, '>3\r\n' + body);
}

/** Installer: keyspace events flow through publish; disconnect and RESET drop subscriptions. */
export function installPubsub(server: Server): void {
  pubsubOf(server);
  server.recorder.publish = (channel, message) => { publish(server, channel, message); };
  server.clientClosedHooks.push(unsubscribeAll);
  server.clientResetHooks.push(unsubscribeAll);
}
