/* BGREWRITEAOF: start a forkless AOF rewrite (persistence/aof), or schedule it inside MULTI/EXEC or while a BGSAVE runs. */
import type { CommandDef } from '../registry.js';
import { ERR_AOF_REWRITE_FAILED, ERR_AOF_REWRITE_IN_PROGRESS } from '../../protocol/errors.js';
import { aofOf } from '../../persistence/aof/index.js';

export const BGREWRITEAOF = {
  name: 'bgrewriteaof', group: 'server', summary: 'Asynchronously rewrite the append-only file', since: '1.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['no_async_loading', 'admin', 'noscript'], acl: ['admin', 'dangerous'],
  handler(c) {
    const aof = aofOf(c.server);
    if (aof.rewriteInProgress) { c.error(ERR_AOF_REWRITE_IN_PROGRESS); return; }
    if (aof.inExec() || c.server.persistence.bgsaveInProgress) {
      aof.rewriteScheduled = true;
      aof.consecutiveFailures = 0;
      c.simple('Background append only file rewriting scheduled');
      return;
    }
    if (aof.rewriteBackground()) c.simple('Background append only file rewriting started');
    else c.error(ERR_AOF_REWRITE_FAILED);
  },
} as const satisfies CommandDef;
