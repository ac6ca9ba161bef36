/*
 * lmpopGenericCommand (LMPOP numkeys key... LEFT|RIGHT [COUNT n], and
 * BLMPOP timeout numkeys ...): numkeys, the direction and COUNT are parsed
 * (in Redis's order, each with its own error) before any key is looked at;
 * then the first non-empty list gives up to count elements as [key, [..]].
 * Propagated as LPOP/RPOP key <popped>.
 */
import type { Client } from '../../server/client.js';
import { ERR_COUNT_POSITIVE, ERR_NUMKEYS_POSITIVE, ERR_SYNTAX, ERR_WRONGTYPE } from '../../protocol/errors.js';
import { List } from '../../types/list.js';
import { is } from '../args.js';
import { minLongArg, popRangeWithKey, whereArg } from './common.js';
import { blockingPop } from './bpop.js';

export function lmpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const numkeys = minLongArg(c, argv[numkeysIdx]!, 1, ERR_NUMKEYS_POSITIVE);
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) { c.error(ERR_SYNTAX); return; }
  const head = whereArg(c, argv[whereIdx]!);
  if (head === null) return;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j], 'count') && j < argv.length - 1) {
      const n = minLongArg(c, argv[++j]!, 1, ERR_COUNT_POSITIVE);
      if (n === null) return;
      count = n;
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, whereIdx);
  if (block) { blockingPop(c, keys, head, argv[1]!, count); return; }
  for (const key of keys) {
    const v = c.db.get(key);
    if (v === undefined) continue;
    if (!(v instanceof List)) { c.error(ERR_WRONGTYPE); return; }
    if (v.length === 0) continue;
    const n = popRangeWithKey(c, v, key, head, count);
    c.propagateArgv = [head ? 'LPOP' : 'RPOP', key, String(n)];
    return;
  }
  c.nullArray();
}
