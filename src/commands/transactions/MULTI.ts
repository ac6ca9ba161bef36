/* MULTI (multiCommand): enter the transaction state; later commands are queued until EXEC or DISCARD. */
import type { CommandDef } from '../registry.js';
import { ERR_MULTI_NESTED } from '../../protocol/errors.js';
import { transactionsOf } from '../../server/multi.js';

export const MULTI = {
  name: 'multi', group: 'transactions', summary: 'Mark the start of a transaction block', since: '1.2.0',
  complexity: 'O(1)', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'],
  handler(c) {
    if (c.inMulti) { c.error(ERR_MULTI_NESTED); return; }
    transactionsOf(c.server).begin(c);
    c.ok();
  },
} as const satisfies CommandDef;
