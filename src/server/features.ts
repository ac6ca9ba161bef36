/*
 * Per-server feature installers: each module that needs server state or hooks
 * (slowlog, latency monitor, MONITOR feed, ...) exports an installer, listed
 * here; the Server constructor runs them all. Keeps server.ts free of
 * feature code and lets features attach per-instance state (several servers
 * live in one process).
 */
import type { Server } from './server.js';
import { installInfo } from './info.js';
import { finishAclInstall, installAcl } from '../acl/acl.js';
import { installSlowlog } from './slowlog.js';
import { installLatency } from './latency.js';
import { installMonitor } from './monitor.js';
import { installPubsub } from './pubsub.js';
import { installTransactions } from './multi.js';
import { installTracking } from './tracking.js';
import { installSnapshots } from '../persistence/snapshot.js';
import { installAof } from '../persistence/aof/index.js';
import { installEviction } from '../keyspace/evict.js';
import { installScripting } from '../scripting/engine.js';
import { installFunctions } from '../scripting/functions.js';
import { installReplication } from '../replication/index.js';
import { installCluster } from '../cluster/index.js';
import { installMigrate } from '../cluster/migrate.js';

export const FEATURES: ((server: Server) => void)[] = [
  installAcl, // users and permissions (acl/): first, as every client points at a user
  installInfo, installSlowlog, installLatency, installMonitor, // server group (slowlog, latency, MONITOR feed)
  installPubsub, // pub/sub registries, keyspace events
  installTransactions, installTracking, // MULTI/EXEC/WATCH, client side caching
  installSnapshots, // SAVE/BGSAVE, save points, RDB load at start-up, shutdown save
  installAof, // append-only file (persistence/aof)
  installEviction, // maxmemory: eviction, INFO fields
  installScripting, // EVAL / SCRIPT: the Lua engine (scripting/)
  installFunctions, // FUNCTION / FCALL libraries (scripting/functions.ts)
  installReplication, // master-replica replication (replication/): PSYNC, the stream, the link to our master
  installCluster, // Redis Cluster (cluster/): the bus, slots, redirects, CLUSTER; after replication (a cluster replica is a replica)
  installMigrate, // MIGRATE's cached connections (cluster/migrate.ts): INFO migrate_cached_sockets, the idle sweep
  finishAclInstall, // the command table ACL rules refer to: complete now
];
