/*
 * What the cache stores in Redis: one JSON envelope per key.
 *
 *   {"v":<value>,"e":<expiry ms>,"g":<grace deadline ms>,"d":<load ms>,"t":{"<tag>":<version>}}
 *   {"n":1,"e":...,"g":...}                      the not-found marker (negative caching)
 *
 * - e: logical expiry (epoch ms, jitter applied); until then the value is fresh.
 * - g: grace deadline ≥ e; between e and g the value is stale but may be served
 *   (stale-while-revalidate, fail-open). The Redis key's PX is g − now.
 * - d: δ, the measured duration of the load that produced the value, for XFetch.
 * - t: tag versions the value was written under (absent when untagged).
 * - A stored null is {"v":null,...}; only "n" marks a miss, so the two are never confused.
 *
 * Errors: values must round-trip through JSON. BigInt and cycles throw
 * CacheSerializationError naming the key; undefined, functions and symbols at
 * the top level too (undefined is reserved for "not found").
 */

export interface Envelope {
  /** The value (absent for the not-found marker). */
  v?: unknown;
  /** 1 on the not-found marker. */
  n?: 1;
  e: number;
  g: number;
  d?: number;
  t?: Record<string, number>;
  /** When it was written (ms since the epoch): the invalidation lag is measured against it (stats().invalidationLag). */
  w?: number;
}

export class CacheError extends Error {
  override name = 'CacheError';
}
export class CacheSerializationError extends CacheError {
  override name = 'CacheSerializationError';
}
export class CacheKeyError extends CacheError {
  override name = 'CacheKeyError';
}
export class CacheTimeoutError extends CacheError {
  override name = 'CacheTimeoutError';
}

/** Longest accepted key, in UTF-8 bytes including the namespace prefix. */
export const MAX_KEY_BYTES = 16 * 1024;

export function checkKey(fullKey: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes: the exact count only for long keys.
  if (fullKey.length * 3 <= MAX_KEY_BYTES) return;
  const n = Buffer.byteLength(fullKey, 'utf8');
  if (n > MAX_KEY_BYTES) throw new CacheKeyError(`cache key is ${n} bytes, longer than the ${MAX_KEY_BYTES}-byte limit: ${fullKey.slice(0, 60)}...`);
}

export function encode(key: string, env: Envelope): string {
  const t = typeof env.v;
  if (env.n === undefined && (t === 'undefined' || t === 'function' || t === 'symbol')) {
    throw new CacheSerializationError(`cannot cache ${t} under "${key}": values must be JSON (return undefined from a loader to mean "not found")`);
  }
  try {
    return JSON.stringify(env);
  } catch (e) {
    const msg = (e as Error).message;
    const why = /BigInt/i.test(msg) ? 'it holds a BigInt (convert it to a string or number first)'
      : /circular|cyclic/i.test(msg) ? 'it holds a reference cycle'
      : msg;
    throw new CacheSerializationError(`cannot cache the value under "${key}" as JSON: ${why}`);
  }
}

/** The envelope, or null when s is not one of ours (then the key is treated as missing). */
export function decode(s: string | null): Envelope | null {
  if (s === null) return null;
  try {
    const env = JSON.parse(s) as Envelope;
    if (typeof env !== 'object' || env === null || typeof env.e !== 'number' || typeof env.g !== 'number') return null;
    if (env.n === undefined && !('v' in env)) return null;
    return env;
  } catch {
    return null;
  }
}

export function isNegative(env: Envelope): boolean { return env.n === 1; }

/** ttl scaled by a uniform factor in [1 − jitter, 1 + jitter]. */
export function jittered(ttl: number, jitter: number, rand: () => number = Math.random): number {
  if (jitter <= 0) return ttl;
  return Math.max(1, Math.round(ttl * (1 + jitter * (2 * rand() - 1))));
}

/**
 * XFetch (Vattani, Chierichetti, Lowenstein, "Optimal Probabilistic Cache
 * Stampede Prevention", VLDB 2015): recompute early when
 * now − δ·β·ln(rand()) ≥ expiry. ln(rand()) ≤ 0, so the left side is now plus
 * a random head start that grows with the load time δ.
 */
export function xfetch(now: number, env: Envelope, beta: number, rand: () => number = Math.random): boolean {
  const d = env.d ?? 0;
  if (d <= 0 || beta <= 0) return now >= env.e;
  return now - d * beta * Math.log(rand()) >= env.e;
}
