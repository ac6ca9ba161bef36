/* SRANDMEMBER key [count]: random members, with the four cases of t_set.c srandmemberWithCountCommand: a negative count may repeat (bounded only by the client), count >= size returns all, count close to size removes random members from a copy, a small count picks distinct random members. */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { ERR_NOT_INTEGER, ERR_SYNTAX, errIntRange } from '../../protocol/errors.js';
import { LLONG_MAX, minBulkBytes, toBigInt } from '../args.js';
import { readSet } from './common.js';

/** SRANDMEMBER_SUB_STRATEGY_MUL */
const SUB_STRATEGY_MUL = 3;

function withCount(c: Client, argv: string[]): void {
  const l = toBigInt(argv[2]!);
  if (l === null) { c.error(ERR_NOT_INTEGER); return; }
  if (l < -LLONG_MAX) { c.error(errIntRange(-LLONG_MAX, LLONG_MAX)); return; }
  const s = readSet(c, argv[1]!);
  if (s === false) return;
  if (s === null) { c.array(0); return; }
  const uniq = l >= 0n;
  const big = uniq ? l : -l;
  if (big === 0n) { c.array(0); return; }
  // CASE 1: negative count (repeats allowed), or a single member
  if (!uniq || big === 1n) {
    // a reply that cannot fit under the output limits closes the client at once, not after building it to the cap
    if (big > BigInt(s.size) && c.overflowsWith(Number(big) * minBulkBytes(s.members()))) return;
    c.raw('*' + String(big) + '\r\n');
    for (let n = Number(big); n > 0; n--) {
      c.bulk(s.random());
      if (c.closeAsap) return; // over the output limits: the client is being closed (Redis's CLIENT_CLOSE_ASAP)
    }
    return;
  }
  const size = s.size;
  // CASE 2: the whole set
  if (big >= BigInt(size)) {
    c.array(size);
    s.forEach((m) => { c.bulk(m); });
    return;
  }
  const count = Number(big);
  c.array(count);
  // CASE 3: remove random members from a copy
  if (count * SUB_STRATEGY_MUL > size) {
    const all = s.members();
    let n = size;
    while (n > count) {
      const i = Math.floor(Math.random() * n);
      all[i] = all[--n]!;
    }
    for (let i = 0; i < count; i++) c.bulk(all[i]!);
    return;
  }
  // CASE 4: pick distinct random members
  const seen = new Set<string>();
  while (seen.size < count) seen.add(s.random());
  for (const m of seen) c.bulk(m);
}

export const SRANDMEMBER = {
  name: 'srandmember', group: 'set', summary: 'Get one or multiple random members from a set', since: '1.0.0',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
  arity: -2, flags: ['readonly'], acl: ['set'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  history: [['2.6.0', 'Added the optional `count` argument.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer', optional: true, since: '2.6.0' }],
  handler(c, argv) {
    if (argv.length === 3) { withCount(c, argv); return; }
    if (argv.length > 3) { c.error(ERR_SYNTAX); return; }
    const s = readSet(c, argv[1]!);
    if (s === false) return;
    if (s === null) { c.null(); return; }
    c.bulk(s.random());
  },
} as const satisfies CommandDef;
