/*
 * The replication commands (redis/src/replication.c): REPLICAOF / SLAVEOF,
 * SYNC / PSYNC, REPLCONF, WAIT, ROLE, FAILOVER. Registered by
 * installReplication; the state they drive lives in index.ts and
 * master-link.ts.
 */
import type { CommandDef } from '../commands/registry.js';
import type { Client } from '../server/client.js';
import { replicationOf, setMaster, unsetMaster } from './index.js';
import { clientInfoLine } from '../commands/connection/client-info.js';
import { failoverCommand } from './failover.js';

/** as Debian's 7.0.15 documents them (the `oneof` form Redis later adopted) */
const replicaofArgs = [
  { name: 'args', type: 'oneof', arguments: [
    { name: 'host-port', type: 'block', arguments: [{ name: 'host', type: 'string' }, { name: 'port', type: 'integer' }] },
    { name: 'no-one', type: 'block', arguments: [{ name: 'no', type: 'pure-token', token: 'NO' }, { name: 'one', type: 'pure-token', token: 'ONE' }] },
  ] },
] as const;

/** replicaofCommand */
function replicaof(c: Client, argv: string[]): void {
  const server = c.server;
  const r = replicationOf(server);
  if (server.config.bool('cluster-enabled')) { c.error('ERR REPLICAOF not allowed in cluster mode.'); return; }
  if (r.failover.state !== 'no-failover') { c.error('ERR REPLICAOF not allowed while failing over.'); return; }
  const host = argv[1]!;
  const portArg = argv[2]!;
  if (host.toLowerCase() === 'no' && portArg.toLowerCase() === 'one') {
    if (server.masterhost !== null) {
      unsetMaster(server);
      server.log.notice(`MASTER MODE enabled (user request from '${clientInfoLine(c, Date.now())}')`);
    }
    c.ok();
    return;
  }
  if (c.isReplica) { c.error('ERR Command is not valid when client is a replica.'); return; }
  if (!/^-?\d+$/.test(portArg) || Number(portArg) < 0 || Number(portArg) > 65535) { c.error('ERR Invalid master port'); return; }
  const port = Number(portArg);
  if (server.masterhost !== null && server.masterhost.toLowerCase() === host.toLowerCase() && server.masterport === port) {
    server.log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    c.simple('OK Already connected to specified master');
    return;
  }
  setMaster(server, host, port);
  server.log.notice(`REPLICAOF ${host}:${port} enabled (user request from '${clientInfoLine(c, Date.now())}')`);
  c.ok();
}

export const REPLICAOF = {
  name: 'replicaof', group: 'server', summary: 'Make the server a replica of another instance, or promote it as master.', since: '5.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['no_async_loading', 'admin', 'noscript', 'stale'], acl: ['admin', 'dangerous'],
  arguments: replicaofArgs,
  handler: replicaof,
} as const satisfies CommandDef;

export const SLAVEOF = {
  name: 'slaveof', group: 'server', summary: 'Make the server a replica of another instance, or promote it as master.', since: '1.0.0',
  complexity: 'O(1)', docFlags: ['deprecated'], deprecatedSince: '5.0.0', replacedBy: '`REPLICAOF`',
  arity: 3, flags: ['no_async_loading', 'admin', 'noscript', 'stale'], acl: ['admin', 'dangerous'],
  arguments: replicaofArgs,
  handler: replicaof,
} as const satisfies CommandDef;

export const PSYNC = {
  name: 'psync', group: 'server', summary: 'Internal command used for replication', since: '2.8.0',
  arity: -3, flags: ['no_async_loading', 'admin', 'no_multi', 'noscript'], acl: ['admin', 'dangerous'],
  arguments: [{ name: 'replicationid', type: 'string' }, { name: 'offset', type: 'integer' }],
  handler(c, argv) { replicationOf(c.server).sync(c, argv); },
} as const satisfies CommandDef;

export const SYNC = {
  name: 'sync', group: 'server', summary: 'Internal command used for replication', since: '1.0.0',
  arity: 1, flags: ['no_async_loading', 'admin', 'no_multi', 'noscript'], acl: ['admin', 'dangerous'],
  handler(c, argv) { replicationOf(c.server).sync(c, argv); },
} as const satisfies CommandDef;

export const REPLCONF = {
  name: 'replconf', group: 'server', summary: 'An internal command for configuring the replication stream', since: '3.0.0',
  complexity: 'O(1)', docFlags: ['syscmd'],
  arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], acl: ['admin', 'dangerous'],
  handler(c, argv) { replicationOf(c.server).replconf(c, argv); },
} as const satisfies CommandDef;

export const WAIT = {
  name: 'wait', group: 'generic', summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection', since: '3.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['noscript'], acl: ['connection'],
  tips: ['request_policy:all_shards', 'response_policy:agg_min'],
  arguments: [{ name: 'numreplicas', type: 'integer' }, { name: 'timeout', type: 'integer' }],
  handler(c, argv) {
    const server = c.server;
    if (server.masterhost !== null) {
      c.error('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
      return;
    }
    const n = argv[1]!;
    if (!/^-?\d+$/.test(n) || !Number.isSafeInteger(Number(n))) { c.error('ERR value is not an integer or out of range'); return; }
    const t = argv[2]!;
    if (!/^-?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) { c.error('ERR timeout is not an integer or out of range'); return; }
    if (Number(t) < 0) { c.error('ERR timeout is negative'); return; }
    replicationOf(server).wait(c, Number(n), Number(t));
  },
} as const satisfies CommandDef;

export const ROLE = {
  name: 'role', group: 'server', summary: 'Return the role of the instance in the context of replication', since: '2.8.12',
  complexity: 'O(1)',
  arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'sentinel'], acl: ['admin', 'dangerous'],
  handler(c) { replicationOf(c.server).role(c); },
} as const satisfies CommandDef;

export const FAILOVER = {
  name: 'failover', group: 'server', summary: 'Start a coordinated failover between this server and one of its replicas.', since: '6.2.0',
  complexity: 'O(1)',
  arity: -1, flags: ['admin', 'noscript', 'stale'], acl: ['admin', 'dangerous'],
  arguments: [
    { name: 'target', token: 'TO', type: 'block', optional: true, arguments: [{ name: 'host', type: 'string' }, { name: 'port', type: 'integer' }, { name: 'force', type: 'pure-token', token: 'FORCE', optional: true }] },
    { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true },
    { name: 'milliseconds', token: 'TIMEOUT', type: 'integer', optional: true },
  ],
  handler: failoverCommand,
} as const satisfies CommandDef;

export const REPLICATION_COMMANDS: CommandDef[] = [REPLICAOF, SLAVEOF, PSYNC, SYNC, REPLCONF, WAIT, ROLE, FAILOVER];
