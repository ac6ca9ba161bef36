/*
 * nodis/cache: a two-tier cache SDK (L1 in the process, L2 in Redis or Nodis).
 *
 *   const cache = createCache({ url: 'redis://127.0.0.1:6379', namespace: 'app', l1: { maxEntries: 10_000 }, timeout: 50 });
 *   const user = await cache.getOrSet(`user:${id}`, () => db.loadUser(id), { ttl: 60_000, grace: 600_000 });
 *
 * What it follows:
 * - Redis's client-side caching documentation (redis.io/docs/manual/client-side-caching):
 *   RESP2 mode, i.e. CLIENT TRACKING ON REDIRECT <id of a second connection
 *   subscribed to __redis__:invalidate>, here in BCAST mode on the cache's own
 *   prefixes (`<ns>:` values, `<ns>#tag:` tag versions) with NOLOOP; tracking is
 *   on before any read is allowed to fill L1; a read in flight holds a
 *   placeholder (ticket) so its reply is dropped when the key's invalidation
 *   came first; L1 is flushed when either connection drops and on the null
 *   invalidation (FLUSHALL/FLUSHDB); L1 entries also have a maximum TTL.
 *   Where tracking is refused (a server without it, or an ioredis Cluster, whose
 *   tracking would need a subscriber per node) the SDK falls back to a pub/sub
 *   bus channel (`<ns>#bus`) on which every instance publishes its own writes;
 *   then writes made by other clients are not seen before maxTtl.
 * - XFetch, "Optimal Probabilistic Cache Stampede Prevention" (Vattani,
 *   Chierichetti, Lowenstein, VLDB 2015): a fresh value is recomputed early, in
 *   the background, when now − δ·β·ln(rand()) ≥ expiry, δ being the measured
 *   duration of the load, stored in the entry.
 * - W-TinyLFU as in Caffeine (Einziger, Friedman, Manes): L1 admits a new key
 *   only if a count-min sketch says it is more frequent than the victim.
 * - bentocache for the API shape (getOrSet, grace periods, soft/hard timeouts).
 *
 * Why ioredis: node-redis v5's createCluster was seen never recovering after a
 * node died; ioredis has Cluster and Sentinel support and a long record. It
 * speaks RESP2, hence the REDIRECT mode above rather than RESP3 pushes. A
 * connection the cache opens itself has auto-pipelining on (the commands of
 * one tick go out in one write).
 *
 * Tracking set-up, after either connection (re)connects: CLIENT ID of the
 * subscriber, SUBSCRIBE __redis__:invalidate, CLIENT TRACKING OFF then ON
 * (REDIRECT to that id; re-enabling with the same prefixes is refused as an
 * overlap), and only then does L1 serve again.
 *
 * Invariants:
 * - An entry in Redis is a JSON envelope {v, e, g, d, t} (envelope.ts): e the
 *   logical expiry (TTL ± jitter, 10% by default, so keys written together do
 *   not expire together), g ≥ e the end of grace (the Redis PX), d the load
 *   time δ, t the tag versions. The not-found marker {n:1} is distinct from a
 *   stored null.
 * - At most one loader call per key at a time per process (a Map of in-flight
 *   promises) and across processes (a lease: SET <ns>#lease:<key> token NX PX,
 *   released by a compare-and-delete script). Waiters wake on the key's
 *   invalidation, with a poll every lease.pollInterval as a fallback; a holder
 *   that dies costs one more load after lease.ttl.
 * - Within grace a stale value is served while one lease holder refreshes it.
 * - Tags: deleteByTag INCRs <ns>#tag:<tag>; an entry keeps the versions it was
 *   written under and is a miss when one differs. Tag versions are cached in
 *   the process under the same tracking (their prefix is tracked too).
 * - Every Redis call is bounded by `timeout` and counted by a circuit breaker;
 *   get/getOrSet never surface a Redis failure (L1 or grace values, else the
 *   loader). set/delete/deleteByTag do reject: an acknowledged write must mean
 *   written. Loader errors reach the caller and nothing is cached.
 * - Keys are limited to MAX_KEY_BYTES (16 KiB with the namespace): a longer key
 *   is almost always a value passed by mistake, and it would be held in L1, in
 *   the server's tracking table and in every invalidation message.
 * - Returned values are shared with L1: treat them as immutable.
 */
import { Cache, type CacheOptions } from './cache.js';

export { Cache, type CacheOptions, type EntryOptions, type CacheStats, type Loader, type BatchLoader, type LoaderTimeouts, type RedisLike } from './cache.js';
export { CacheError, CacheSerializationError, CacheKeyError, CacheTimeoutError, MAX_KEY_BYTES, type Envelope } from './envelope.js';
export { BreakerOpenError, type BreakerState } from './breaker.js';
export { WTinyLfu, Lru, FrequencySketch } from './tinylfu.js';

/** A cache on a new connection (`url`) or on an existing ioredis client or Cluster (`redis`). */
export function createCache(options: CacheOptions = {}): Cache {
  return new Cache(options);
}
