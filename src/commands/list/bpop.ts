/*
 * blockingPopGenericCommand (BLPOP, BRPOP, BLMPOP): serve from the first
 * non-empty list among the keys, like the non-blocking pop, propagated as
 * LPOP/RPOP (with the count for BLMPOP); otherwise block on all the keys
 * (src/server/blocking.ts), or reply a null array where blocking is not
 * allowed (MULTI, scripts). When a key becomes ready the command re-runs:
 * keys holding another type are then skipped rather than answered with
 * WRONGTYPE (Redis serves only list keys), and nothing to serve keeps the
 * client's place in the queues.
 */
import type { Client } from '../../server/client.js';
import { ERR_WRONGTYPE } from '../../protocol/errors.js';
import { List } from '../../types/list.js';
import { elementsRemoved, popRangeWithKey, timeoutArg } from './common.js';

/** count -1: BLPOP/BRPOP's [key, element] reply; count > 0: BLMPOP's [key, [elements]]. */
export function blockingPop(c: Client, keys: string[], head: boolean, timeout: string, count: number): void {
  const deadline = timeoutArg(c, timeout);
  if (deadline === null) return;
  const blocking = c.server.blocking;
  const reprocessing = blocking.isReprocessing(c);
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j]!;
    const v = c.db.get(key);
    if (v === undefined) continue;
    if (!(v instanceof List)) {
      if (reprocessing) continue;
      c.error(ERR_WRONGTYPE);
      return;
    }
    if (v.length === 0) continue;
    if (count !== -1) {
      const n = popRangeWithKey(c, v, key, head, count);
      c.propagateArgv = [head ? 'LPOP' : 'RPOP', key, String(n)];
      return;
    }
    const value = head ? v.popHead()! : v.popTail()!;
    c.raw('*2\r\n$' + key.length + '\r\n' + key + '\r\n$' + value.length + '\r\n' + value + '\r\n');
    elementsRemoved(c, key, head, v, 1);
    c.propagateArgv = [head ? 'LPOP' : 'RPOP', key];
    return;
  }
  if (!reprocessing && !blocking.canBlock(c)) { c.nullArray(); return; }
  blocking.blockForKeys(c, keys, deadline);
}
