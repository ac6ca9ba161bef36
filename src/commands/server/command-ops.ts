/*
 * The COMMAND replies, generated from the command table (redis/src/server.c
 * addReplyCommandInfo, addReplyCommandDocs, getKeysSubcommandImpl).
 *
 * Flags, key-spec flags and ACL categories come out in Redis's fixed orders
 * (not the def's), hidden flags (may_replicate, sentinel, protected ...)
 * omitted. first/last/step keys are Redis's "legacy range" derived from the
 * key specs, and movablekeys is set when the specs cannot express the keys
 * as one plain range, exactly as populateCommandLegacyRangeSpec does.
 */
import type { Client } from '../../server/client.js';
import type { Server } from '../../server/server.js';
import type { ArgDoc, Command, CommandFlag, KeySpec, KeySpecFlag } from '../registry.js';
import { keysWithFlags } from '../registry.js';

const FLAG_ORDER: CommandFlag[] = ['write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking',
  'loading', 'stale', 'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading',
  'no_multi', 'movablekeys', 'allow_busy'];

const KEY_FLAG_ORDER: KeySpecFlag[] = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key',
  'incomplete', 'variable_flags'];

export const ACL_ORDER = ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap',
  'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting'] as const;

/** The legacy (first, last, step) and whether the command has movable keys. */
export function legacyRange(cmd: Command): { first: number; last: number; step: number; movable: boolean } {
  const specs = cmd.def.keySpecs ?? [];
  let movable = cmd.flags.has('movablekeys');
  if (specs.length === 0) return { first: 0, last: 0, step: 0, movable };
  const isPlain = (s: KeySpec): s is KeySpec & { begin: { index: number }; find: { range: [number, number, number] } } =>
    'index' in s.begin && 'range' in s.find;
  if (specs.length === 1 && isPlain(specs[0]!)) {
    const s = specs[0];
    if (s.flags.includes('incomplete')) movable = true;
    const [lastkey, step] = s.find.range;
    return { first: s.begin.index, last: lastkey >= 0 ? lastkey + s.begin.index : lastkey, step, movable };
  }
  let first = Infinity;
  let last = 0;
  let prevLast = 0;
  for (const s of specs) {
    if (!isPlain(s)) { movable = true; continue; }
    const [lk, step] = s.find.range;
    if (step !== 1 || (prevLast && prevLast !== s.begin.index - 1)) { movable = true; continue; }
    if (s.flags.includes('incomplete')) movable = true;
    first = Math.min(first, s.begin.index);
    const abs = lk >= 0 ? lk + s.begin.index : lk;
    last = (last >>> 0) >= (abs >>> 0) ? last : abs;
    prevLast = last;
  }
  if (first === Infinity) return { first: 0, last: 0, step: 0, movable: true };
  return { first, last, step: 1, movable };
}

function replyStatusSet(c: Client, names: readonly string[]): void {
  c.set(names.length);
  for (const n of names) c.simple(n);
}

export function commandFlags(cmd: Command): string[] {
  const { movable } = legacyRange(cmd);
  return FLAG_ORDER.filter((f) => (f === 'movablekeys' ? movable : cmd.flags.has(f)));
}

export function aclCategories(cmd: Command): string[] {
  return ACL_ORDER.filter((a) => cmd.acl.includes(a)).map((a) => '@' + a);
}

function replyKeySpecs(c: Client, specs: readonly KeySpec[]): void {
  c.set(specs.length);
  for (const s of specs) {
    c.map(s.notes ? 4 : 3);
    if (s.notes) { c.bulk('notes'); c.bulk(s.notes); }
    c.bulk('flags');
    replyStatusSet(c, KEY_FLAG_ORDER.filter((f) => s.flags.includes(f)));
    c.bulk('begin_search');
    c.map(2);
    if ('index' in s.begin) {
      c.bulk('type'); c.bulk('index'); c.bulk('spec'); c.map(1); c.bulk('index'); c.int(s.begin.index);
    } else if ('unknown' in s.begin) {
      c.bulk('type'); c.bulk('unknown'); c.bulk('spec'); c.map(0);
    } else {
      c.bulk('type'); c.bulk('keyword'); c.bulk('spec'); c.map(2);
      c.bulk('keyword'); c.bulk(s.begin.keyword); c.bulk('startfrom'); c.int(s.begin.startfrom);
    }
    c.bulk('find_keys');
    c.map(2);
    if ('unknown' in s.find) {
      c.bulk('type'); c.bulk('unknown'); c.bulk('spec'); c.map(0);
    } else if ('range' in s.find) {
      const [lastkey, keystep, limit] = s.find.range;
      c.bulk('type'); c.bulk('range'); c.bulk('spec'); c.map(3);
      c.bulk('lastkey'); c.int(lastkey); c.bulk('keystep'); c.int(keystep); c.bulk('limit'); c.int(limit);
    } else {
      const [keynumidx, firstkey, keystep] = s.find.keynum;
      c.bulk('type'); c.bulk('keynum'); c.bulk('spec'); c.map(3);
      c.bulk('keynumidx'); c.int(keynumidx); c.bulk('firstkey'); c.int(firstkey); c.bulk('keystep'); c.int(keystep);
    }
  }
}

/** addReplyCommandInfo: the 10-element description, or a null for an unknown command. */
export function replyCommandInfo(c: Client, cmd: Command | undefined): void {
  if (!cmd) { c.null(); return; }
  const { first, last, step } = legacyRange(cmd);
  c.array(10);
  c.bulk(cmd.fullname);
  c.int(cmd.arity);
  replyStatusSet(c, commandFlags(cmd));
  c.int(first);
  c.int(last);
  c.int(step);
  replyStatusSet(c, aclCategories(cmd));
  const tips = cmd.def.tips ?? [];
  c.set(tips.length);
  for (const t of tips) c.bulk(t);
  replyKeySpecs(c, cmd.def.keySpecs ?? []);
  if (!cmd.subcommands) { c.set(0); return; }
  c.array(cmd.subcommands.size);
  for (const s of cmd.subcommands.values()) replyCommandInfo(c, s);
}

function replyArgs(c: Client, args: readonly ArgDoc[]): void {
  c.array(args.length);
  for (const a of args) {
    const flags = (['optional', 'multiple', 'multiple_token'] as const).filter((f) => a[f]);
    const nested = a.type === 'oneof' || a.type === 'block';
    const n = 2 + (a.key_spec_index !== undefined ? 1 : 0) + (a.token !== undefined ? 1 : 0) + (a.since ? 1 : 0)
      + (a.deprecated_since ? 1 : 0) + (flags.length ? 1 : 0) + (nested ? 1 : 0);
    c.map(n);
    c.bulk('name'); c.bulk(a.name);
    c.bulk('type'); c.bulk(a.type);
    if (a.key_spec_index !== undefined) { c.bulk('key_spec_index'); c.int(a.key_spec_index); }
    if (a.token !== undefined) { c.bulk('token'); c.bulk(a.token); }
    if (a.since) { c.bulk('since'); c.bulk(a.since); }
    if (a.deprecated_since) { c.bulk('deprecated_since'); c.bulk(a.deprecated_since); }
    if (flags.length) { c.bulk('flags'); replyStatusSet(c, flags); }
    if (nested) { c.bulk('arguments'); replyArgs(c, a.arguments ?? []); }
  }
}

/** addReplyCommandDocs: the documentation map. */
export function replyCommandDocs(c: Client, cmd: Command): void {
  const d = cmd.def;
  const subs = cmd.subcommands ? [...cmd.subcommands.values()] : null;
  const n = 1 + (d.summary ? 1 : 0) + (d.since ? 1 : 0) + (d.complexity ? 1 : 0) + (d.docFlags?.length ? 1 : 0)
    + (d.deprecatedSince ? 1 : 0) + (d.replacedBy ? 1 : 0) + (d.history?.length ? 1 : 0) + (d.arguments?.length ? 1 : 0)
    + (subs ? 1 : 0);
  c.map(n);
  if (d.summary) { c.bulk('summary'); c.bulk(d.summary); }
  if (d.since) { c.bulk('since'); c.bulk(d.since); }
  c.bulk('group'); c.bulk(d.group);
  if (d.complexity) { c.bulk('complexity'); c.bulk(d.complexity); }
  if (d.docFlags?.length) { c.bulk('doc_flags'); replyStatusSet(c, (['deprecated', 'syscmd'] as const).filter((f) => d.docFlags!.includes(f))); }
  if (d.deprecatedSince) { c.bulk('deprecated_since'); c.bulk(d.deprecatedSince); }
  if (d.replacedBy) { c.bulk('replaced_by'); c.bulk(d.replacedBy); }
  if (d.history?.length) {
    c.bulk('history');
    c.set(d.history.length);
    for (const [since, what] of d.history) { c.array(2); c.bulk(since); c.bulk(what); }
  }
  if (d.arguments?.length) { c.bulk('arguments'); replyArgs(c, d.arguments); }
  if (subs) {
    c.bulk('subcommands');
    c.map(subs.length);
    for (const s of subs) { c.bulk(s.fullname); replyCommandDocs(c, s); }
  }
}

/** lookupCommandBySds: "get" or "config|get", case-insensitive; undefined if unknown. */
export function lookupByName(server: Server, name: string): Command | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = server.table.commands.get(parts[0]!);
  if (parts.length === 1 || !base) return base;
  return base.subcommands?.get(parts[1]!);
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS (getKeysSubcommandImpl). */
export function getKeysReply(c: Client, argv: readonly string[], withFlags: boolean): void {
  const args = argv.slice(2);
  const server = c.server;
  let cmd = server.table.commands.get(args[0]!.toLowerCase());
  if (cmd && cmd.subcommands && args.length >= 2) cmd = cmd.subcommands.get(args[1]!.toLowerCase());
  if (!cmd) { c.error('ERR Invalid command specified'); return; }
  const specs = cmd.def.keySpecs ?? [];
  const hasKeys = cmd.def.getKeys !== undefined || specs.some((s) => !s.flags.includes('not_key'));
  if (!hasKeys) { c.error('ERR The command has no key arguments'); return; }
  if ((cmd.arity > 0 && cmd.arity !== args.length) || args.length < -cmd.arity) {
    c.error('ERR Invalid number of arguments specified for command');
    return;
  }
  const keys = keysWithFlags(cmd, args);
  if (keys.length === 0) {
    if (cmd.flags.has('no_mandatory_keys')) c.array(0);
    else c.error('ERR Invalid arguments specified for command');
    return;
  }
  c.array(keys.length);
  for (const k of keys) {
    if (!withFlags) { c.bulk(args[k.pos]!); continue; }
    c.array(2);
    c.bulk(args[k.pos]!);
    replyStatusSet(c, KEY_FLAG_ORDER.filter((f) => k.flags.includes(f)));
  }
}
