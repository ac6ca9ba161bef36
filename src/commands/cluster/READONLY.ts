/*
 * READONLY, READWRITE, ASKING (redis/src/cluster.c readonlyCommand,
 * readwriteCommand, askingCommand): per-connection switches that only mean
 * something in cluster mode. Without cluster support they answer Redis's
 * "cluster support disabled" error, as here.
 *
 * For cluster mode: replace clusterOnly's body by a check of
 * cluster-enabled, and give each command its effect (READONLY lets the client
 * read from a replica's slots, READWRITE clears that, ASKING lets the next
 * command run in a slot being imported), then reply OK. The cluster redirect
 * in dispatch (server.clusterCheck) is where READONLY/ASKING are honoured.
 */
import type { Client } from '../../server/client.js';
import type { CommandDef } from '../registry.js';
import { ERR_CLUSTER_DISABLED } from '../../protocol/errors.js';

/** The reply of every cluster-only connection switch while cluster mode is off. */
function clusterOnly(c: Client): void {
  c.error(ERR_CLUSTER_DISABLED);
}

export const READONLY = {
  name: 'readonly', group: 'cluster', summary: 'Enables read queries for a connection to a cluster replica node', since: '3.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['fast', 'loading', 'stale'], acl: ['connection'],
  handler: clusterOnly,
} as const satisfies CommandDef;

export const READWRITE = {
  name: 'readwrite', group: 'cluster', summary: 'Disables read queries for a connection to a cluster replica node', since: '3.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['fast', 'loading', 'stale'], acl: ['connection'],
  handler: clusterOnly,
} as const satisfies CommandDef;

export const ASKING = {
  name: 'asking', group: 'cluster', summary: 'Sent by cluster clients after an -ASK redirect', since: '3.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['fast'], acl: ['connection'],
  handler: clusterOnly,
} as const satisfies CommandDef;
