/*
 * pushGenericCommand (LPUSH, RPUSH, LPUSHX, RPUSHX): every element pushed in
 * argument order, one dirty change each, one lpush/rpush event. The common
 * case (an existing list, one element) runs without allocation.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_LIST } from '../../keyspace/notify.js';
import { createList, writeList } from './common.js';

export function pushGeneric(c: Client, argv: string[], head: boolean, xx: boolean): void {
  const key = argv[1]!;
  let l = writeList(c, key);
  if (l === false) return;
  if (l === null) {
    if (xx) { c.raw(':0\r\n'); return; }
    l = createList(c, key);
  }
  const n = argv.length;
  if (head) for (let j = 2; j < n; j++) l.pushHead(argv[j]!);
  else for (let j = 2; j < n; j++) l.pushTail(argv[j]!);
  c.int(l.length);
  c.server.recorder.keyWritten(c.db, key, NOTIFY_LIST, head ? 'lpush' : 'rpush', n - 2);
}
