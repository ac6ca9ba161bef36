/* HRANDFIELD key [count [WITHVALUES]]: random fields, with Redis's four cases (t_hash.c hrandfieldWithCountCommand): negative counts may repeat (bounded only by the client), count >= size returns all, count close to size removes random pairs from a copy, a small count picks distinct random fields. */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { ERR_NOT_INTEGER, ERR_SYNTAX, ERR_VALUE_OUT_OF_RANGE, errIntRange } from '../../protocol/errors.js';
import { LLONG_MAX, is, minBulkBytes, toBigInt } from '../args.js';
import { readHash } from './common.js';

const HALF = LLONG_MAX / 2n;
/** HRANDFIELD_SUB_STRATEGY_MUL */
const SUB_STRATEGY_MUL = 3;

function withCount(c: Client, key: string, l: bigint, withValues: boolean): void {
  const h = readHash(c, key);
  if (h === false) return;
  if (h === null) { c.array(0); return; }
  const size = h.size;
  const uniq = l >= 0n;
  const big = uniq ? l : -l;
  if (big === 0n) { c.array(0); return; }
  const resp3 = c.resp === 3;
  const pairOut = (f: string, v: string): void => {
    if (withValues && resp3) c.array(2);
    c.bulk(f);
    if (withValues) c.bulk(v);
  };
  // CASE 1: negative count (repeats allowed), or a single field
  if (!uniq || big === 1n) {
    if (big > BigInt(size)) {
      const pairs = h.pairs();
      const fields = pairs.filter((_, i) => i % 2 === 0);
      const per = minBulkBytes(fields) + (withValues ? minBulkBytes(pairs.filter((_, i) => i % 2 === 1)) : 0);
      if (c.overflowsWith(Number(big) * per)) return;
    }
    c.raw('*' + String(withValues && !resp3 ? big * 2n : big) + '\r\n');
    let n = Number(big);
    while (n-- > 0) {
      const [f, v] = h.randomPair();
      pairOut(f, v);
      if (c.closeAsap) return; // over the output limits: the client is being closed (Redis's CLIENT_CLOSE_ASAP)
    }
    return;
  }
  const count = big >= BigInt(size) ? size : Number(big);
  if (withValues && !resp3) c.array(count * 2); else c.array(count);
  // CASE 2: the whole hash
  if (count >= size) { h.forEach(pairOut); return; }
  // CASE 3: remove random pairs from a copy
  if (count * SUB_STRATEGY_MUL > size) {
    const all = h.pairs();
    let n = size;
    while (n > count) {
      const i = Math.floor(Math.random() * n) * 2;
      n--;
      all[i] = all[n * 2]!;
      all[i + 1] = all[n * 2 + 1]!;
    }
    for (let i = 0; i < count; i++) pairOut(all[i * 2]!, all[i * 2 + 1]!);
    return;
  }
  // CASE 4: pick distinct random fields
  const seen = new Set<string>();
  while (seen.size < count) {
    const [f, v] = h.randomPair();
    if (seen.has(f)) continue;
    seen.add(f);
    pairOut(f, v);
  }
}

export const HRANDFIELD = {
  name: 'hrandfield', group: 'hash', summary: 'Get one or multiple random fields from a hash', since: '6.2.0',
  complexity: 'O(N) where N is the number of fields returned',
  arity: -2, flags: ['readonly'], acl: ['hash'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'options', type: 'block', optional: true, arguments: [{ name: 'count', type: 'integer' }, { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true }] }],
  handler(c, argv) {
    if (argv.length >= 3) {
      const l = toBigInt(argv[2]!);
      if (l === null) { c.error(ERR_NOT_INTEGER); return; }
      if (l < -LLONG_MAX) { c.error(errIntRange(-LLONG_MAX, LLONG_MAX)); return; }
      let withValues = false;
      if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'withvalues'))) { c.error(ERR_SYNTAX); return; }
      if (argv.length === 4) {
        withValues = true;
        if (l < -HALF || l > HALF) { c.error(ERR_VALUE_OUT_OF_RANGE); return; }
      }
      withCount(c, argv[1]!, l, withValues);
      return;
    }
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    if (h === null) { c.null(); return; }
    c.bulk(h.randomPair()[0]);
  },
} as const satisfies CommandDef;
