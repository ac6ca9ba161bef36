/*
 * A child process for the cache's multi-process tests (forked by
 * cache-*.test.ts): one Cache on the given port, driven over IPC.
 *
 *   {cmd:'init', port, opts}                 -> {ready:true, coherence}
 *   {cmd:'burst', key, n, loadMs, ttl, grace} -> {loads, values: distinct results}; sends {loading:key} when its loader starts
 *   {cmd:'watch', key}                       -> {invalidated:true} on each invalidation of key, then {seen: value} read back
 *   {cmd:'stats'}                            -> {stats}
 *   {cmd:'close'}                            -> exits
 */
import { createCache, type Cache, type CacheOptions } from '../../src/cache/index.js';

let cache: Cache | undefined;
const send = (m: unknown): void => { process.send!(m); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

process.on('message', (m: Record<string, unknown>) => { void handle(m).catch((e: Error) => send({ error: e.stack ?? String(e) })); });
process.on('disconnect', () => process.exit(0));

async function handle(m: Record<string, unknown>): Promise<void> {
  switch (m['cmd']) {
    case 'init': {
      cache = createCache({ url: `redis://127.0.0.1:${m['port'] as number}`, ...(m['opts'] as CacheOptions) });
      const until = Date.now() + 10_000;
      while (!cache.isCoherent && Date.now() < until) await sleep(5);
      send({ ready: true, coherence: cache.stats().coherence });
      break;
    }
    case 'burst': {
      const key = m['key'] as string, n = m['n'] as number, loadMs = m['loadMs'] as number;
      let loads = 0;
      const loader = async (): Promise<{ by: number; at: number }> => {
        loads++;
        send({ loading: key, pid: process.pid });
        await sleep(loadMs);
        return { by: process.pid, at: Date.now() };
      };
      const opts = { ttl: m['ttl'] as number, grace: m['grace'] as number };
      const res = await Promise.all(Array.from({ length: n }, () => cache!.getOrSet(key, loader, opts)));
      const values = [...new Set(res.map((r) => JSON.stringify(r)))];
      send({ loads, values, stats: cache!.stats() });
      break;
    }
    case 'watch': {
      const key = m['key'] as string;
      const full = `${(m['namespace'] as string)}:${key}`;
      await cache!.get(key); // fill L1
      cache!.on('invalidation', (keys: string[] | null) => {
        if (keys !== null && !keys.includes(full)) return;
        send({ invalidated: true, at: performance.timeOrigin + performance.now() });
        void cache!.get(key).then((v) => send({ seen: v }));
      });
      send({ watching: true });
      break;
    }
    case 'get': {
      send({ value: await cache!.get(m['key'] as string), stats: cache!.stats() });
      break;
    }
    case 'stats': send({ stats: cache!.stats() }); break;
    case 'close': await cache?.close(); process.exit(0);
  }
}
