/*
 * popGenericCommand (LPOP, RPOP): one element as a bulk string, or with a
 * count an array of up to count elements (in popping order). A count of 0
 * replies an empty array without touching the key; a missing key replies a
 * null (null array with a count).
 */
import type { Client } from '../../server/client.js';
import { errArity } from '../../protocol/errors.js';
import { elementsRemoved, minLongArg, popRangeReply, writeList } from './common.js';

export function popGeneric(c: Client, argv: string[], head: boolean): void {
  const hascount = argv.length === 3;
  let count = 0;
  if (argv.length > 3) { c.error(errArity(c.cmd!.fullname)); return; }
  if (hascount) {
    const n = minLongArg(c, argv[2]!, 0);
    if (n === null) return;
    count = n;
  }
  const key = argv[1]!;
  const l = writeList(c, key);
  if (l === false) return;
  if (l === null) { if (hascount) c.nullArray(); else c.null(); return; }
  if (hascount && count === 0) { c.raw('*0\r\n'); return; }
  if (!hascount) {
    c.bulk(head ? l.popHead()! : l.popTail()!);
    elementsRemoved(c, key, head, l, 1);
  } else {
    const n = popRangeReply(c, l, head, count);
    elementsRemoved(c, key, head, l, n);
  }
}
