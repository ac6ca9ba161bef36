/*
 * FAILOVER (redis/src/replication.c failoverCommand): not yet.
 */
import type { Client } from '../server/client.js';

export function failoverCommand(c: Client): void {
  c.error('ERR FAILOVER is not supported yet');
}
