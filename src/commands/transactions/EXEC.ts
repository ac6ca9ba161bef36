/*
 * EXEC (execCommand): run the queued commands as one unit and reply their
 * replies in one array; a null array when a watched key was touched, EXECABORT
 * when a command was rejected while queueing (src/server/multi.ts).
 */
import type { CommandDef } from '../registry.js';
import { ERR_EXEC_WITHOUT_MULTI } from '../../protocol/errors.js';
import { transactionsOf } from '../../server/multi.js';

export const EXEC = {
  name: 'exec', group: 'transactions', summary: 'Execute all commands issued after MULTI', since: '1.2.0',
  complexity: 'Depends on commands in the transaction', arity: 1,
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], acl: ['transaction'],
  handler(c, argv) {
    if (!c.inMulti) { c.error(ERR_EXEC_WITHOUT_MULTI); return; }
    transactionsOf(c.server).exec(c, argv);
  },
} as const satisfies CommandDef;
