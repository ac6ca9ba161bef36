/*
 * Pipeline warm-up: when one read holds several commands, parse the plain
 * keyed ones ahead and load their keys' table entries and values into cache
 * together (Db.warm), before running any of them. A lookup of a random key
 * waits on several cache misses one after another (about 0.2 us each here);
 * warmed together, the misses of the whole batch overlap, and the commands then
 * run on cached lines. This is the single largest cost of GET/SET on a big
 * keyspace; it changes nothing else: commands still run one by one, in order.
 * The members that SADD, HSET, ZADD ... look up in big collections
 * (CommandDef.warmMembers) are warmed the same way, once their keys are.
 *
 * Only commands whose keys are a plain argument range and which cannot change
 * how later commands are parsed or where they run (no blocking, admin, AUTH,
 * SELECT, MULTI ...: Command.warm is null for those) let the batch go on past
 * them; the first other command ends it, so everything after it stays unparsed
 * until it has run (as Redis leaves a blocked client's pipeline in its query
 * buffer). Clients that must still authenticate parse one command at a time
 * (their parser limits change on AUTH).
 */
import { WARM_MAX } from '../keyspace/db.js';
import { warmMembers, type WarmableMembers } from '../types/slot-table.js';
import type { TypedValue } from '../types/value.js';
import type { Client } from './client.js';

/** at most this many commands parsed ahead of the one running */
const AHEAD_MAX = 32;
const keys: string[] = new Array<string>(WARM_MAX).fill('');
/** commands of the batch with members to warm and their CommandDef.warmMembers, and the members found in big collections */
const withMembers: string[][] = [];
const memberSpecs: (readonly [number, number])[] = [];
const memberTables: WarmableMembers[] = [];
const members: string[] = new Array<string>(WARM_MAX).fill('');
const memberSlots = new Int32Array(WARM_MAX);
/** depends on every warmed load, so none is optimized away */
export let warmSink = 0;

/**
 * `first` was just parsed; parse the plain commands after it into `ahead`
 * (empty on entry) and warm all their keys. `pendings` (our master's link)
 * gets the query buffer length after each command parsed ahead.
 */
export function parseAhead(c: Client, first: string[], ahead: string[][], pendings: number[] | null): void {
  const table = c.server.table;
  const parser = c.parser;
  let n = 0;
  let argv = first;
  for (;;) {
    const cmd = table.lookup(argv);
    const w = cmd?.warm;
    if (w === null || w === undefined) break;
    const wm = cmd!.warmMembers;
    if (wm !== null && argv.length > wm[0]) { withMembers.push(argv); memberSpecs.push(wm); }
    const argc = argv.length;
    const last = Math.min(w[1] >= 0 ? w[0] + w[1] : argc + w[1], argc - 1);
    for (let i = w[0]; i <= last && n < WARM_MAX; i += w[2]) keys[n++] = argv[i]!;
    if (n >= WARM_MAX || ahead.length >= AHEAD_MAX) break;
    const next = parser.next();
    if (next === null) break;
    ahead.push(next);
    if (pendings !== null) pendings.push(parser.pending);
    argv = next;
  }
  if (n > 1) warmSink ^= c.db.warm(keys, n);
  if (withMembers.length > 0) warmCollections(c);
}

/** Warm the members that the batch's commands look up in big sets, hashes and sorted sets (their keys are warm by now). */
function warmCollections(c: Client): void {
  let m = 0;
  for (let j = 0; j < withMembers.length && m < WARM_MAX; j++) {
    const argv = withMembers[j]!;
    const v = c.db.hint(argv[1]!);
    const t = v === undefined || typeof v === 'string' || v.type === 'string' ? null : (v as TypedValue).memberTable?.() ?? null;
    if (t === null) continue;
    const [first, step] = memberSpecs[j]!;
    for (let i = first; i < argv.length && m < WARM_MAX; i += step) { memberTables[m] = t; members[m++] = argv[i]!; }
  }
  withMembers.length = 0;
  memberSpecs.length = 0;
  if (m > 1) warmSink ^= warmMembers(memberTables, members, m, memberSlots);
  memberTables.length = 0;
}
