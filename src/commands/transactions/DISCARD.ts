/* DISCARD (discardCommand): drop the queued commands and every watched key. */
import type { CommandDef } from '../registry.js';
import { ERR_DISCARD_WITHOUT_MULTI } from '../../protocol/errors.js';
import { transactionsOf } from '../../server/multi.js';

export const DISCARD = {
  name: 'discard', group: 'transactions', summary: 'Discard all commands issued after MULTI', since: '2.0.0',
  complexity: 'O(N), when N is the number of queued commands', arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'],
  handler(c) {
    if (!c.inMulti) { c.error(ERR_DISCARD_WITHOUT_MULTI); return; }
    transactionsOf(c.server).discard(c);
    c.ok();
  },
} as const satisfies CommandDef;
