/* SAVE: write the RDB snapshot synchronously (refused while a BGSAVE runs). */
import type { CommandDef } from '../registry.js';
import { ERR_BGSAVE_IN_PROGRESS } from '../../protocol/errors.js';
import { bgsaveInProgress, saveSync, snapshotState } from '../../persistence/snapshot.js';

export const SAVE = {
  name: 'save', group: 'server', summary: 'Synchronously save the dataset to disk', since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  arity: 1, flags: ['no_async_loading', 'admin', 'noscript', 'no_multi'], acl: ['admin', 'dangerous'],
  handler(c) {
    if (bgsaveInProgress(c.server)) { c.error(ERR_BGSAVE_IN_PROGRESS); return; }
    snapshotState(c.server).saves++;
    if (saveSync(c.server)) c.ok();
    else c.error('ERR');
  },
} as const satisfies CommandDef;
