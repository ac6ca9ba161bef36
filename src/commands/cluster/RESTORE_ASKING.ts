/*
 * RESTORE-ASKING key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME
 * seconds] [FREQ frequency] (redis/src/commands/restore-asking.json): RESTORE
 * itself (the same restoreCommand), flagged `asking` so that in cluster mode
 * it runs in a slot being imported without a preceding ASKING. MIGRATE sends
 * it instead of RESTORE when cluster mode is on. Without cluster mode the flag
 * changes nothing: the command behaves as RESTORE.
 */
import type { CommandDef } from '../registry.js';
import { RESTORE } from '../generic/RESTORE.js';

export const RESTORE_ASKING = {
  name: 'restore-asking', group: 'server', summary: 'An internal command for migrating keys in a cluster', since: '3.0.0',
  complexity: RESTORE.complexity,
  docFlags: ['syscmd'],
  bigValueArgs: RESTORE.bigValueArgs,
  arity: -4, flags: ['write', 'denyoom', 'asking'], acl: ['keyspace', 'dangerous'],
  keySpecs: RESTORE.keySpecs,
  history: RESTORE.history,
  arguments: RESTORE.arguments,
  handler: RESTORE.handler,
} as const satisfies CommandDef;
