/*
 * A nodis-proxy topology for system tests: N real redis-servers and one
 * in-process Proxy over them, from a twemproxy YAML pool. Everything closes
 * in close(), which callers run in t.after even when a test fails.
 */
import { Proxy } from '../../src/proxy/index.js';
import { TwemproxyRing } from '../../src/ring/index.js';
import { startRedis, type RedisProcess } from './servers.js';

export interface ProxyTopology {
  redis: RedisProcess[];
  proxy: Proxy;
  port: number;
  yaml: string;
  /** index into redis[] of the server nutcracker would pick for key */
  owner(key: string): number;
  logs: string[];
  close(): Promise<void>;
}

/** n distinct keys (tagged `${i}:${tag}`) that the topology places on server s */
export function keysOn(topo: ProxyTopology, s: number, n: number, tag = 'k'): string[] {
  const out: string[] = [];
  for (let i = 0; i < 100000 && out.length < n; i++) if (topo.owner(`${i}:${tag}`) === s) out.push(`${i}:${tag}`);
  if (out.length < n) throw new Error(`no ${n} keys on server ${s}`);
  return out;
}

export async function startProxyTopology(n: number, opts: { pool?: string; redisExtra?: string[] } = {}): Promise<ProxyTopology> {
  const redis: RedisProcess[] = [];
  const logs: string[] = [];
  let proxy: Proxy | null = null;
  const close = async (): Promise<void> => {
    await proxy?.close();
    await Promise.all(redis.map((r) => r.close()));
  };
  try {
    for (let i = 0; i < n; i++) redis.push(await startRedis(opts.redisExtra ?? []));
    const yaml = `test:\n  listen: 127.0.0.1:0\n  redis: true\n${opts.pool ?? '  hash: fnv1a_64\n  distribution: ketama\n  hash_tag: "{}"\n'}  servers:\n` +
      redis.map((r) => `   - 127.0.0.1:${r.port}:1\n`).join('');
    proxy = new Proxy({ configText: yaml, log: (m) => logs.push(m) });
    await proxy.start();
    const pool = proxy.pools.get('test')!;
    const ring = new TwemproxyRing(redis.map((r) => ({ host: '127.0.0.1', port: r.port })), {
      hash: pool.cfg.hash, distribution: pool.cfg.distribution, ...(pool.cfg.hashTag ? { hashTag: pool.cfg.hashTag } : {}),
    });
    return { redis, proxy, port: pool.port, yaml, owner: (k) => ring.lookup(k), logs, close };
  } catch (e) {
    await close();
    throw e;
  }
}
