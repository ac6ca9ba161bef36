/*
 * twemproxy's configuration file, read unchanged (twitter/twemproxy
 * src/nc_conf.c: conf_commands, conf_add_server, the CONF_DEFAULT_* values in
 * nc_conf.h; README.md "Configuration").
 *
 * Invariants:
 * - The file is a mapping of pool name -> directives; several pools per file.
 * - Every error names the file's line: "line N: pool 'alpha': ...".
 * - Unknown directives, unknown hash or distribution names, bad servers,
 *   duplicate server names and duplicate listen addresses are errors, as in
 *   nutcracker (-t reports them the same way).
 * - Defaults are nutcracker's: hash fnv1a_64, distribution ketama, timeout
 *   none, backlog 512, server_connections 1, auto_eject_hosts false,
 *   server_retry_timeout 30000 ms, server_failure_limit 2, redis_db 0.
 * - Only redis pools: `redis: false` (memcached) is refused.
 * - Servers are "host:port:weight [name]" or "/unix/path:weight [name]".
 * - Directives of nodis-proxy's own: `redis_cluster: true` makes the servers
 *   seeds of a Redis Cluster (placement by its slots, not by the hash ring);
 *   `rebalance: true` moves keys (MIGRATE) when a reload changes placement.
 */
import { HASH_NAMES, isHashName, type HashName } from '../ring/hash.js';
import type { Distribution } from '../ring/twemproxy.js';
import { parseYaml, YamlError, type YamlNode } from './yaml.js';

export interface ServerConfig {
  /** "host:port:weight [name]" as written */
  spec: string;
  host: string;
  /** 0 for a unix socket */
  port: number;
  /** unix socket path, when the server is one */
  path?: string;
  weight: number;
  /** the explicit name, if given */
  name?: string;
  line: number;
}

export interface PoolConfig {
  name: string;
  line: number;
  listen: { host: string; port: number; path?: string; spec: string };
  hash: HashName;
  hashTag?: string;
  distribution: Distribution;
  /** ms; 0 = wait forever */
  timeout: number;
  backlog: number;
  preconnect: boolean;
  redisAuth?: string;
  redisDb: number;
  serverConnections: number;
  autoEjectHosts: boolean;
  serverRetryTimeout: number;
  serverFailureLimit: number;
  clientConnections: number;
  tcpKeepalive: boolean;
  /** front a Redis Cluster: servers are seed nodes, keys go where CLUSTER SLOTS says (nodis-proxy's directive) */
  redisCluster: boolean;
  /** on a reload that changes placement, migrate the keys that move (nodis-proxy's directive) */
  rebalance: boolean;
  /** the background pass moves at most this many keys per second (0: no limit) (nodis-proxy's directive) */
  rebalanceRate: number;
  servers: ServerConfig[];
}

export class ConfigError extends Error {}

const DIRECTIVES = new Set([
  'listen', 'hash', 'hash_tag', 'distribution', 'timeout', 'backlog', 'preconnect', 'redis', 'redis_auth', 'redis_db',
  'server_connections', 'auto_eject_hosts', 'server_retry_timeout', 'server_failure_limit', 'servers',
  'client_connections', 'tcpkeepalive', 'reuseport', 'tcpkeepidle', 'tcpkeepcnt', 'tcpkeepintvl',
  // nodis-proxy's own: the servers are seeds of a Redis Cluster, placement follows its slots;
  // move keys with MIGRATE when a reload changes the placement
  'redis_cluster', 'rebalance', 'rebalance_rate',
]);

function fail(line: number, msg: string): never {
  throw new ConfigError(`line ${line}: ${msg}`);
}

function str(node: YamlNode, what: string): string {
  if (node.kind !== 'scalar') fail(node.line, `${what} must be a single value`);
  return node.value;
}

function int(node: YamlNode, what: string, min: number): number {
  const s = str(node, what);
  if (!/^-?[0-9]+$/.test(s)) fail(node.line, `${what} must be an integer, got '${s}'`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min) fail(node.line, `${what} must be an integer >= ${min}, got '${s}'`);
  return n;
}

function bool(node: YamlNode, what: string): boolean {
  const s = str(node, what);
  if (s === 'true') return true;
  if (s === 'false') return false;
  return fail(node.line, `${what} must be true or false, got '${s}'`);
}

function parseListen(node: YamlNode, what: string): PoolConfig['listen'] {
  const spec = str(node, what);
  const addr = spec.split(' ')[0]!;
  if (addr.startsWith('/')) return { host: '', port: 0, path: addr, spec };
  const c = addr.lastIndexOf(':');
  if (c <= 0) fail(node.line, `${what} must be "host:port" or "/unix/path", got '${spec}'`);
  const port = Number(addr.slice(c + 1));
  if (!/^[0-9]+$/.test(addr.slice(c + 1)) || port > 65535) fail(node.line, `${what} has an invalid port in '${spec}'`);
  return { host: addr.slice(0, c).replace(/^\[(.*)\]$/, '$1'), port, spec };
}

/** "host:port:weight [name]" / "/path:weight [name]", parsed as nutcracker's conf_add_server does */
export function parseServer(spec: string, line: number): ServerConfig {
  const sp = spec.indexOf(' ');
  const addr = sp < 0 ? spec : spec.slice(0, sp);
  const name = sp < 0 ? undefined : spec.slice(sp + 1).trim();
  const bad = (m: string): never => fail(line, `server '${spec}' ${m} (expected "host:port:weight [name]" or "/unix/path:weight [name]")`);
  if (name !== undefined && (name === '' || name.includes(' '))) bad('has an invalid name');
  const parts = addr.split(':');
  let host: string, port = 0, weight: string, path: string | undefined;
  if (addr.startsWith('/')) {
    if (parts.length !== 2) bad('has an invalid format');
    path = parts[0]!; host = ''; weight = parts[1]!;
  } else {
    if (parts.length !== 3) bad('has an invalid format');
    host = parts[0]!;
    if (!/^[0-9]+$/.test(parts[1]!) || Number(parts[1]) < 1 || Number(parts[1]) > 65535) bad('has an invalid port');
    port = Number(parts[1]);
    weight = parts[2]!;
  }
  if (!/^[0-9]+$/.test(weight)) bad('has an invalid weight');
  const w = Number(weight);
  if (w === 0) bad('has a zero weight');
  return { spec, host, port, weight: w, line, ...(path !== undefined ? { path } : {}), ...(name !== undefined ? { name } : {}) };
}

/** the name twemproxy hashes: the configured name, else host:port (host alone on 11211, the path for sockets) */
/** host:port, or the socket path: how a server is told apart (Server.addr) */
export function serverAddr(s: ServerConfig): string { return s.path ?? `${s.host}:${s.port}`; }

export function hashName(s: ServerConfig): string {
  if (s.name !== undefined) return s.name;
  if (s.path !== undefined) return s.path;
  return s.port === 11211 ? s.host : `${s.host}:${s.port}`;
}

export function parseConfig(text: string): PoolConfig[] {
  let root: YamlNode | null;
  try {
    root = parseYaml(text);
  } catch (e) {
    if (e instanceof YamlError) throw new ConfigError(e.message);
    throw e;
  }
  if (root === null) throw new ConfigError('line 1: the configuration is empty (expected one or more pools)');
  if (root.kind !== 'map') fail(root.line, 'expected a mapping of pool names to their directives');
  const pools: PoolConfig[] = [];
  const listens = new Map<string, string>();
  for (const { key: name, line, value } of root.entries) {
    const where = `pool '${name}'`;
    if (value.kind !== 'map') fail(line, `${where} must be a mapping of directives`);
    const d = new Map<string, YamlNode & { keyLine?: number }>();
    for (const e of value.entries) {
      if (!DIRECTIVES.has(e.key)) fail(e.line, `${where}: directive "${e.key}" is unknown`);
      d.set(e.key, e.value);
    }
    const get = (k: string): YamlNode | undefined => d.get(k);
    const listenNode = get('listen');
    if (!listenNode) fail(line, `${where}: directive "listen:" is missing`);
    const listen = parseListen(listenNode, `${where}: listen`);
    const hashNode = get('hash');
    const hash = hashNode ? str(hashNode, 'hash') : 'fnv1a_64';
    if (!isHashName(hash)) fail(hashNode!.line, `${where}: unknown hash '${hash}' (one of ${HASH_NAMES.join(', ')})`);
    const distNode = get('distribution');
    const distribution = distNode ? str(distNode, 'distribution') : 'ketama';
    if (distribution !== 'ketama' && distribution !== 'modula' && distribution !== 'random') {
      fail(distNode!.line, `${where}: unknown distribution '${distribution}' (one of ketama, modula, random)`);
    }
    const tagNode = get('hash_tag');
    const hashTag = tagNode ? str(tagNode, 'hash_tag') : undefined;
    if (hashTag !== undefined && hashTag.length !== 2) fail(tagNode!.line, `${where}: hash_tag must be two characters, got '${hashTag}'`);
    const redisNode = get('redis');
    if (redisNode && !bool(redisNode, `${where}: redis`)) fail(redisNode.line, `${where}: memcached pools (redis: false) are not supported; nodis-proxy speaks redis only`);
    const serversNode = get('servers');
    if (!serversNode) fail(line, `${where}: directive "servers:" is missing`);
    if (serversNode.kind !== 'seq') fail(serversNode.line, `${where}: servers must be a list of "host:port:weight [name]"`);
    if (serversNode.items.length === 0) fail(serversNode.line, `${where}: has no servers`);
    const servers = serversNode.items.map((n) => parseServer(str(n, 'a server'), n.line));
    const names = new Map<string, number>();
    for (const s of servers) {
      const hn = hashName(s);
      if (names.has(hn)) fail(s.line, `${where}: has servers with same name '${hn}' (also on line ${names.get(hn)})`);
      names.set(hn, s.line);
    }
    const authNode = get('redis_auth');
    const o = (k: string, min: number, def: number): number => { const n = get(k); return n ? int(n, `${where}: ${k}`, min) : def; };
    const b = (k: string, def: boolean): boolean => { const n = get(k); return n ? bool(n, `${where}: ${k}`) : def; };
    const timeoutNode = get('timeout');
    const timeout = timeoutNode ? int(timeoutNode, `${where}: timeout`, -1) : 0;
    const pool: PoolConfig = {
      name, line, listen, hash, distribution, timeout: timeout < 0 ? 0 : timeout,
      backlog: o('backlog', 1, 512), preconnect: b('preconnect', false), redisDb: o('redis_db', 0, 0),
      serverConnections: o('server_connections', 1, 1), autoEjectHosts: b('auto_eject_hosts', false),
      serverRetryTimeout: o('server_retry_timeout', 1, 30000), serverFailureLimit: o('server_failure_limit', 1, 2),
      clientConnections: o('client_connections', 0, 0), tcpKeepalive: b('tcpkeepalive', false), servers,
      redisCluster: b('redis_cluster', false), rebalance: b('rebalance', false), rebalanceRate: o('rebalance_rate', 0, 0),
      ...(hashTag !== undefined ? { hashTag } : {}),
      ...(authNode ? { redisAuth: str(authNode, 'redis_auth') } : {}),
    };
    b('reuseport', false);
    const lk = listen.path ?? `${listen.host}:${listen.port}`;
    if (listens.has(lk) && listen.port !== 0) fail(listenNode.line, `${where}: listen address ${lk} is already used by pool '${listens.get(lk)}'`);
    listens.set(lk, name);
    pools.push(pool);
  }
  return pools;
}
