/*
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: longest common subsequence by the classic dynamic-
 * programming table (t_string.c lcsCommand), with the same backtracking so IDX ranges match Redis's.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import type { Client } from '../../server/client.js';
import { ERR_NOT_INTEGER, ERR_SYNTAX, ERR_LCS_NOT_STRINGS, ERR_LCS_LEN_AND_IDX, ERR_LCS_TOO_LONG, ERR_LCS_NO_MEMORY, ERR_LCS_ALLOC } from '../../protocol/errors.js';
import { isBig, strLen, strOf, type MutableString, type StringValue } from '../../types/string.js';
import { is } from '../args.js';
import { parseLL } from './integers.js';

/** lookupKeyRead, counting hits and misses; undefined when missing, null when not a string. */
function lookup(c: Client, key: string): StringValue | undefined | null {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return undefined; }
  c.server.stats.keyspaceHits++;
  if (typeof v === 'string') return v;
  return v.type === 'string' ? v as MutableString : null;
}

export const LCS = {
  name: 'lcs', group: 'string', summary: 'Find longest common substring', since: '7.0.0',
  complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  arity: -3, flags: ['readonly'], acl: ['string'],
  keySpecs: [keyRange(1, ['RO', 'access'], 1, 1, 0)],
  arguments: [
    { name: 'key1', type: 'key', key_spec_index: 0 },
    { name: 'key2', type: 'key', key_spec_index: 0 },
    { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
    { name: 'idx', type: 'pure-token', token: 'IDX', optional: true },
    { name: 'len', type: 'integer', token: 'MINMATCHLEN', optional: true },
    { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true },
  ],
  handler(c, argv) {
    const va = lookup(c, argv[1]!);
    const vb = lookup(c, argv[2]!);
    if (va === null || vb === null) { c.error(ERR_LCS_NOT_STRINGS); return; }
    const sa = va ?? '';
    const sb = vb ?? '';
    let getlen = false;
    let getidx = false;
    let withmatchlen = false;
    let minmatchlen = 0;
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j]!;
      if (is(opt, 'idx')) getidx = true;
      else if (is(opt, 'len')) getlen = true;
      else if (is(opt, 'withmatchlen')) withmatchlen = true;
      else if (is(opt, 'minmatchlen') && j < argv.length - 1) {
        const n = parseLL(argv[j + 1]!);
        if (n === null) { c.error(ERR_NOT_INTEGER); return; }
        minmatchlen = n < 0 ? 0 : Number(n);
        j++;
      } else { c.error(ERR_SYNTAX); return; }
    }
    if (getlen && getidx) { c.error(ERR_LCS_LEN_AND_IDX); return; }
    const alen = strLen(sa);
    const blen = strLen(sb);
    if (alen >= 0xfffffffe || blen >= 0xfffffffe) { c.error(ERR_LCS_TOO_LONG); return; }
    const size = (alen + 1) * (blen + 1);
    if (size * 4 > c.server.config.protoMaxBulkLen) { c.error(ERR_LCS_NO_MEMORY); return; }
    if (isBig(sa) || isBig(sb)) { c.error(ERR_LCS_ALLOC); return; }
    const a = strOf(sa);
    const b = strOf(sb);
    let lcs: Uint32Array;
    try { lcs = new Uint32Array(size); } catch { c.error(ERR_LCS_ALLOC); return; }
    const w = blen + 1;
    for (let i = 1; i <= alen; i++) {
      const ca = a.charCodeAt(i - 1);
      const row = i * w;
      const prev = row - w;
      for (let j = 1; j <= blen; j++) {
        if (ca === b.charCodeAt(j - 1)) lcs[row + j] = lcs[prev + j - 1]! + 1;
        else {
          const l1 = lcs[prev + j]!;
          const l2 = lcs[row + j - 1]!;
          lcs[row + j] = l1 > l2 ? l1 : l2;
        }
      }
    }
    const total = lcs[alen * w + blen]!;
    if (getlen && !getidx) { c.int(total); return; }
    // backtrack from the end, collecting the LCS and the matching ranges
    const result = Buffer.allocUnsafe(total);
    let idx = total;
    const ranges: number[][] = [];
    let aStart = alen;
    let aEnd = 0;
    let bStart = 0;
    let bEnd = 0;
    let i = alen;
    let j = blen;
    while (i > 0 && j > 0) {
      let emit = false;
      if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
        result[idx - 1] = a.charCodeAt(i - 1);
        if (aStart === alen) {
          aStart = i - 1; aEnd = i - 1; bStart = j - 1; bEnd = j - 1;
        } else if (aStart === i && bStart === j) {
          aStart--; bStart--;
        } else {
          emit = true;
        }
        if (aStart === 0 || bStart === 0) emit = true;
        idx--; i--; j--;
      } else {
        const l1 = lcs[(i - 1) * w + j]!;
        const l2 = lcs[i * w + j - 1]!;
        if (l1 > l2) i--; else j--;
        if (aStart !== alen) emit = true;
      }
      if (emit) {
        const matchLen = aEnd - aStart + 1;
        if (minmatchlen === 0 || matchLen >= minmatchlen) ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
        aStart = alen;
      }
    }
    if (!getidx) { c.bulk(result.toString('latin1')); return; }
    c.map(2);
    c.bulk('matches');
    c.array(ranges.length);
    for (const [as, ae, bs, be, ml] of ranges) {
      c.array(withmatchlen ? 3 : 2);
      c.array(2); c.int(as!); c.int(ae!);
      c.array(2); c.int(bs!); c.int(be!);
      if (withmatchlen) c.int(ml!);
    }
    c.bulk('len');
    c.int(total);
  },
} as const satisfies CommandDef;
