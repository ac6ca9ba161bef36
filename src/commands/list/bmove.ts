/*
 * blmoveGenericCommand (BLMOVE, BRPOPLPUSH): with a non-empty source, the
 * LMOVE/RPOPLPUSH it stands for (and is propagated as); otherwise block on
 * the source, or reply a null where blocking is not allowed. When served
 * after blocking, Redis propagates lowercase "left"/"right"; a destination of
 * the wrong type at that point is answered with WRONGTYPE and ends the wait
 * (as serveClientBlockedOnList does), while a source of the wrong type keeps
 * the client waiting.
 */
import type { Client } from '../../server/client.js';
import { ERR_WRONGTYPE } from '../../protocol/errors.js';
import { List } from '../../types/list.js';
import { timeoutArg } from './common.js';
import { moveElement } from './move.js';

export function blmoveGeneric(c: Client, argv: string[], fromHead: boolean, toHead: boolean, timeout: string, rpoplpush: boolean): void {
  const deadline = timeoutArg(c, timeout);
  if (deadline === null) return;
  const blocking = c.server.blocking;
  const reprocessing = blocking.isReprocessing(c);
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  const v = c.db.get(srcKey);
  if (v !== undefined && !(v instanceof List) && !reprocessing) { c.error(ERR_WRONGTYPE); return; }
  if (v === undefined || !(v instanceof List) || v.length === 0) {
    if (!reprocessing && !blocking.canBlock(c)) { c.null(); return; }
    blocking.blockForKeys(c, [srcKey], deadline);
    return;
  }
  if (!moveElement(c, v, srcKey, dstKey, fromHead, toHead)) return;
  if (rpoplpush) c.propagateArgv = ['RPOPLPUSH', srcKey, dstKey];
  else if (reprocessing) c.propagateArgv = ['LMOVE', srcKey, dstKey, fromHead ? 'left' : 'right', toHead ? 'left' : 'right'];
  else c.propagateArgv = ['LMOVE', srcKey, dstKey, argv[3]!, argv[4]!];
}
