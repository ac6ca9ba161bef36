/*
 * BGSAVE [SCHEDULE] (redis/src/rdb.c bgsaveCommand): start a forkless
 * background save (persistence/snapshot.ts). While another background job
 * (an AOF rewrite) runs, or inside MULTI/EXEC, SCHEDULE defers it to the cron.
 */
import type { CommandDef } from '../registry.js';
import { ERR_BGSAVE_IN_PROGRESS, ERR_SYNTAX } from '../../protocol/errors.js';
import { bgsave, bgsaveInProgress, snapshotState } from '../../persistence/snapshot.js';

export const BGSAVE = {
  name: 'bgsave', group: 'server', summary: 'Asynchronously save the dataset to disk', since: '1.0.0',
  complexity: 'O(1)',
  arity: -1, flags: ['no_async_loading', 'admin', 'noscript'], acl: ['admin', 'dangerous'],
  history: [['3.2.2', 'Added the `SCHEDULE` option.']],
  arguments: [{ name: 'schedule', type: 'pure-token', token: 'SCHEDULE', optional: true, since: '3.2.2' }],
  handler(c, argv) {
    let schedule = false;
    if (argv.length > 1) {
      if (argv.length === 2 && argv[1]!.toLowerCase() === 'schedule') schedule = true;
      else { c.error(ERR_SYNTAX); return; }
    }
    const server = c.server;
    const inExec = server.nestedCalls > 1;
    if (bgsaveInProgress(server)) { c.error(ERR_BGSAVE_IN_PROGRESS); return; }
    if (server.persistence.rewriteInProgress || inExec) {
      if (schedule || inExec) {
        snapshotState(server).scheduled = true;
        c.simple('Background saving scheduled');
      } else {
        c.error("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
      }
      return;
    }
    if (bgsave(server)) c.simple('Background saving started');
    else c.error('ERR');
  },
} as const satisfies CommandDef;
