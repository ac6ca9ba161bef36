/* UNWATCH (unwatchCommand): forget every watched key and a touched-key flag; queued like any command inside MULTI. */
import type { CommandDef } from '../registry.js';
import { transactionsOf } from '../../server/multi.js';

export const UNWATCH = {
  name: 'unwatch', group: 'transactions', summary: 'Forget about all watched keys', since: '2.2.0',
  complexity: 'O(1)', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'],
  handler(c) {
    transactionsOf(c.server).unwatch(c);
    c.ok();
  },
} as const satisfies CommandDef;
