/*
 * src/proxy: nodis-proxy, a sharding proxy that reads twemproxy's YAML
 * unchanged and places keys exactly where nutcracker does (src/ring), after
 * twitter/twemproxy's design: a request is split into per-server fragments,
 * their replies coalesced, and replies leave in request order (client.ts).
 *
 * Layers: yaml.ts (the YAML subset, with line numbers) -> config.ts
 * (twemproxy directives) -> pool.ts (listener, servers, ring, ejection) ->
 * backend.ts (server connections, FIFO of pending replies) and client.ts
 * (routing, splitting, merging, transactions, pub/sub); proxy.ts runs a whole
 * file and reloads it; main.ts is the command line (bin/nodis-proxy).
 * Beyond twemproxy: stats.ts (nutcracker's stats JSON and Prometheus metrics),
 * pool.ts's redis_cluster mode (placement by CLUSTER SLOTS, MOVED / ASK) and
 * rebalance.ts (rebalance: true, keys MIGRATEd when placement changes).
 *
 * Imports: protocol/ (request parser, error texts), commands/ (the command
 * table: arity, flags, key positions) and ring/ only; the server imports
 * nothing from here.
 */
export { Proxy, type ProxyOptions } from './proxy.js';
export { Pool } from './pool.js';
export { parseConfig, ConfigError, type PoolConfig, type ServerConfig } from './config.js';
export { parseYaml, YamlError, type YamlNode } from './yaml.js';
