/* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: indexes of matches (as LINDEX counts them), scanning from the tail for a negative rank; options are parsed before the lookup. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_LPOS_COUNT_NEGATIVE, ERR_LPOS_MAXLEN_NEGATIVE, ERR_LPOS_RANK_ZERO, ERR_SYNTAX } from '../../protocol/errors.js';
import { is } from '../args.js';
import { longArg, minLongArg, readList } from './common.js';

export const LPOS = {
  name: 'lpos', group: 'list', summary: 'Return the index of matching elements on a list', since: '6.0.6',
  complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  arity: -3, flags: ['readonly'], acl: ['list'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'element', type: 'string' }, { name: 'rank', type: 'integer', token: 'RANK', optional: true }, { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true }, { name: 'len', type: 'integer', token: 'MAXLEN', optional: true }],
  handler(c, argv) {
    const ele = argv[2]!;
    let rank = 1;
    let count = -1; // -1: no COUNT option
    let maxlen = 0;
    let rankMin = false;
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j]!;
      const more = j < argv.length - 1;
      if (is(opt, 'rank') && more) {
        const s = argv[++j]!;
        const r = longArg(c, s);
        if (r === null) return;
        if (r === 0) { c.error(ERR_LPOS_RANK_ZERO); return; }
        // -LONG_MIN overflows back to LONG_MIN in C: a tail scan where every match counts
        // and the COUNT limit (matches - rank + 1 overflowing) is never reached
        rankMin = s === '-9223372036854775808';
        rank = rankMin ? -1 : r;
      } else if (is(opt, 'count') && more) {
        const n = minLongArg(c, argv[++j]!, 0, ERR_LPOS_COUNT_NEGATIVE);
        if (n === null) return;
        count = n;
      } else if (is(opt, 'maxlen') && more) {
        const n = minLongArg(c, argv[++j]!, 0, ERR_LPOS_MAXLEN_NEGATIVE);
        if (n === null) return;
        maxlen = n;
      } else {
        c.error(ERR_SYNTAX);
        return;
      }
    }
    const fromTail = rank < 0;
    if (fromTail) rank = -rank;
    const l = readList(c, argv[1]!);
    if (l === false) return;
    if (l === null) { if (count !== -1) c.raw('*0\r\n'); else c.null(); return; }
    const llen = l.length;
    const limit = maxlen === 0 || maxlen > llen ? llen : maxlen;
    let matches = 0;
    if (count === -1) {
      for (let index = 0; index < limit; index++) {
        const i = fromTail ? llen - index - 1 : index;
        if (l.at(i) === ele && ++matches >= rank) { c.int(i); return; }
      }
      c.null();
      return;
    }
    let o = '';
    let found = 0;
    for (let index = 0; index < limit; index++) {
      const i = fromTail ? llen - index - 1 : index;
      if (l.at(i) !== ele || ++matches < rank) continue;
      found++;
      o += ':' + i + '\r\n';
      if (count !== 0 && !rankMin && matches - rank + 1 >= count) break;
    }
    c.raw('*' + found + '\r\n' + o);
  },
} as const satisfies CommandDef;
