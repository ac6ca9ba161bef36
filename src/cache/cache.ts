/*
 * The two-tier cache: L1 in this process (W-TinyLFU, tinylfu.ts), L2 in Redis
 * (JSON envelopes, envelope.ts), loads guarded by a lease. The design and its
 * sources are described in index.ts; the invariants kept here:
 *
 * - L1 serves an entry only if it was filled while invalidations were flowing
 *   (entry.epoch === this.epoch). Every connection drop or re-subscription
 *   bumps the epoch, which is the flush: older entries are never served as
 *   fresh again, only as last-resort fail-open values while Redis is unreachable.
 * - A read or write takes a ticket (the invalidation sequence number) before
 *   the command is sent; every invalidation (and our own writes) is logged in
 *   a ring with its sequence number, and a reply whose key was invalidated
 *   since its ticket (or when the ring overflowed since) is
 *   not put into L1 (the placeholder of Redis's client-side caching docs).
 * - One load per key per process at a time (inflight), and across processes one
 *   lease holder: SET lease NX PX, then GET of the value in that order on one
 *   connection, so a lease acquired after another holder's release sees its value.
 * - A lease is released by compare-and-delete (only its token's owner deletes it).
 * - getOrSet/get never surface a Redis error: they fall back to L1/grace values
 *   or to the loader. Loader errors and serialization errors always surface.
 */
import { EventEmitter } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { WTinyLfu, hashString } from './tinylfu.js';
import { Breaker, type BreakerState } from './breaker.js';
import {
  type Envelope, CacheError, CacheSerializationError, CacheTimeoutError,
  checkKey, decode, encode, isNegative, jittered, xfetch,
} from './envelope.js';
import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------- options

export type RedisLike = Redis | Cluster;

export interface LoaderTimeouts {
  /** With a stale (grace) value at hand: wait this long for the refresh, then serve the stale value. Default 0. */
  soft?: number;
  /** Without one: give up on the loader after this long (CacheTimeoutError); it still completes and is stored. */
  hard?: number;
}

export interface CacheOptions {
  /** redis:// URL for a connection the cache owns (closed by close()). */
  url?: string;
  /** Or an existing ioredis client or Cluster (left open by close()). */
  redis?: RedisLike;
  /** Extra ioredis options when `url` is used. */
  redisOptions?: RedisOptions;
  /** Prefix of every key: `<namespace>:<key>`. Default 'cache'. */
  namespace?: string;
  /** L1: maxEntries (default 10,000) and maxTtl (ms an entry may live in L1, default 60,000); false: no L1. */
  l1?: { maxEntries?: number; maxTtl?: number } | false;
  /** Bound on every Redis operation, ms. Default 50. */
  timeout?: number;
  /** Default TTL of values, ms. Default 60,000. */
  ttl?: number;
  /** Default grace period after the TTL, ms: stale values served while refreshing or while Redis is down. Default 0. */
  grace?: number;
  /** TTL jitter, a fraction: each TTL is scaled by a random factor in [1 − jitter, 1 + jitter]. Default 0.1. */
  jitter?: number;
  /** TTL of the not-found marker (loader returned undefined), ms; 0 disables negative caching. Default 10,000. */
  negativeTtl?: number;
  /** XFetch β (> 1 favours earlier refresh; 0 disables early refresh). Default 1. */
  beta?: number;
  /** Lease: ttl (ms, how long a holder may load before another process takes over; default 10,000), pollInterval (ms, default 100). */
  lease?: { ttl?: number; pollInterval?: number };
  /** Loader timeouts (defaults for every call). */
  timeouts?: LoaderTimeouts;
  /** Circuit breaker: open after `threshold` consecutive failures (default 5), half-open after `coolDown` ms (default 1,000). */
  breaker?: { threshold?: number; coolDown?: number };
  /** Bloom filter of existing ids kept in Redis as a bitmap. */
  bloom?: { key: string; bits: number; hashes: number };
  /** Bound on Redis calls made before the cache is first ready (connecting), ms. Default 2,000. */
  startTimeout?: number;
  /** How L1 is kept coherent: 'auto' (tracking, else the bus), 'tracking', 'bus', or 'none' (maxTtl only). Default 'auto'. */
  coherence?: 'auto' | 'tracking' | 'bus' | 'none';
}

export interface EntryOptions {
  ttl?: number;
  grace?: number;
  tags?: string[];
  negativeTtl?: number;
  timeouts?: LoaderTimeouts;
  /** Consult the Bloom filter before loading: true checks the key itself, a string checks that id. */
  bloom?: boolean | string;
}

export interface CacheStats {
  l1Hits: number;
  l2Hits: number;
  misses: number;
  staleServed: number;
  loaderCalls: number;
  leaseWaits: number;
  invalidations: number;
  l1Flushes: number;
  errors: number;
  breaker: BreakerState;
  l1Size: number;
  coherence: 'tracking' | 'bus' | 'none' | 'connecting';
  /** ms from a write to the arrival of its invalidation here, for keys L1 held (measured when their next value is read) */
  invalidationLag: { count: number; mean: number; p99: number; max: number };
}

export type Loader<T> = () => T | Promise<T>;
export type BatchLoader<T> = (keys: string[]) => Promise<Map<string, T> | Record<string, T> | Array<T | undefined>>;

/** A batched loader's value for `key`, the j-th key it was given (an array answers by position, a Map or object by key). */
function pickOf<T>(res: Map<string, T> | Record<string, T> | Array<T | undefined>, key: string, j: number): T | undefined {
  return Array.isArray(res) ? res[j] : res instanceof Map ? res.get(key) : (res as Record<string, T>)[key];
}

interface L1Entry { env: Envelope; epoch: number; until: number }
/** An invalidation sequence number taken before a command was sent. */
type Ticket = number;
const RING = 1024; // power of two

const INVALIDATE = '__redis__:invalidate';
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
const RELEASE_SHA = createHash('sha1').update(RELEASE).digest('hex');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the cache

export class Cache extends EventEmitter {
  readonly redis: RedisLike;
  private readonly sub: RedisLike;
  private readonly owned: boolean;
  private readonly isCluster: boolean;
  private readonly prefix: string;
  private readonly tagPrefix: string;
  private readonly leasePrefix: string;
  private readonly busChannel: string;
  private readonly id = randomBytes(8).toString('hex');

  private readonly l1: WTinyLfu<L1Entry> | null;
  private readonly l1MaxTtl: number;
  private readonly tagVersions = new Map<string, { v: number; epoch: number }>();
  private epoch = 0;
  private coherent = false;
  private mode: 'tracking' | 'bus' | 'none' | 'connecting' = 'connecting';
  private setupSeq = 0;
  private closed = false;

  /** Keys invalidated (null: everything), by sequence number modulo RING. */
  private readonly ring: Array<string | null> = new Array<string | null>(RING).fill(null);
  private invalSeq = 0;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly refreshing = new Set<string>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly background = new Set<Promise<unknown>>();

  private readonly breaker: Breaker;
  private readonly o: Required<Omit<CacheOptions, 'url' | 'redis' | 'redisOptions' | 'l1' | 'bloom' | 'lease' | 'breaker' | 'timeouts' | 'startTimeout'>>;
  private readonly leaseTtl: number;
  private readonly pollInterval: number;
  private readonly timeouts: LoaderTimeouts;
  private readonly bloom: CacheOptions['bloom'];
  private hot = false; // any listener for the per-lookup events
  private started = false; // first ready (coherent, or connected without coherence)
  private readonly startTimeout: number;

  private readonly counters = { l1Hits: 0, l2Hits: 0, misses: 0, staleServed: 0, loaderCalls: 0, leaseWaits: 0, invalidations: 0, l1Flushes: 0, errors: 0 };
  /** invalidation arrival times of keys L1 held, until their next value is read (bounded: 1024) */
  private readonly invalAt = new Map<string, number>();
  /** invalidation lags measured (ms): count, sum, max, the last 256 */
  private readonly lag = { count: 0, sum: 0, max: 0, next: 0, recent: new Float64Array(256) };

  private readonly onDataClose = (): void => this.lostCoherence('data connection closed');
  private readonly onSubClose = (): void => this.lostCoherence('invalidation connection closed');
  private readonly onReady = (): void => { void this.setupCoherence(); };
  private readonly onMessage = (ch: Buffer, msg: Buffer | Buffer[] | null): void => this.onInvalidationMessage(ch, msg);

  constructor(opts: CacheOptions) {
    super();
    const ns = opts.namespace ?? 'cache';
    if (/[{}]/.test(ns)) throw new CacheError('namespace may not contain { or }');
    this.prefix = `${ns}:`;
    this.tagPrefix = `${ns}#tag:`;
    this.leasePrefix = `${ns}#lease:`;
    this.busChannel = `${ns}#bus`;
    this.o = {
      namespace: ns,
      timeout: opts.timeout ?? 50,
      ttl: opts.ttl ?? 60_000,
      grace: opts.grace ?? 0,
      jitter: opts.jitter ?? 0.1,
      negativeTtl: opts.negativeTtl ?? 10_000,
      beta: opts.beta ?? 1,
      coherence: opts.coherence ?? 'auto',
    };
    this.leaseTtl = opts.lease?.ttl ?? 10_000;
    this.startTimeout = opts.startTimeout ?? 2000;
    this.pollInterval = opts.lease?.pollInterval ?? 100;
    this.timeouts = opts.timeouts ?? {};
    this.bloom = opts.bloom;
    this.breaker = new Breaker(opts.breaker?.threshold ?? 5, opts.breaker?.coolDown ?? 1000, (s) => this.emit('breaker', s));
    this.l1 = opts.l1 === false ? null : new WTinyLfu<L1Entry>(opts.l1?.maxEntries ?? 10_000);
    this.l1MaxTtl = (opts.l1 === false ? undefined : opts.l1?.maxTtl) ?? 60_000;
    this.on('newListener', (ev: string) => { if (ev === 'hit' || ev === 'miss' || ev === 'stale') this.hot = true; });

    if (opts.redis) {
      this.redis = opts.redis;
      this.owned = false;
    } else {
      const base: RedisOptions = { maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(20 * n, 500), enableAutoPipelining: true, ...opts.redisOptions };
      this.redis = opts.url ? new Redis(opts.url, base) : new Redis(base);
      this.owned = true;
    }
    this.isCluster = (this.redis as { isCluster?: boolean }).isCluster === true;
    this.sub = this.isCluster
      ? (this.redis as Cluster).duplicate()
      : (this.redis as Redis).duplicate({ autoResubscribe: false, enableOfflineQueue: true, lazyConnect: false });
    this.sub.on('error', () => { /* reconnects; the close event flushes L1 */ });
    if (this.owned) this.redis.on('error', () => {});

    if (this.o.coherence === 'none') {
      this.mode = 'none';
      this.coherent = true;
      this.epoch = 1;
      const up = (): void => { this.started = true; };
      if (this.redis.status === 'ready') up(); else this.redis.once('ready', up);
    } else {
      this.redis.on('close', this.onDataClose);
      this.sub.on('close', this.onSubClose);
      this.redis.on('ready', this.onReady);
      this.sub.on('ready', this.onReady);
      this.sub.on('messageBuffer', this.onMessage);
      void this.setupCoherence();
    }
  }

  // ---------------------------------------------------------------- coherence

  private lostCoherence(why: string): void {
    if (this.closed) return;
    const had = this.coherent;
    this.coherent = false;
    this.setupSeq++; // a set-up still under way must not declare coherence
    this.epoch++;
    this.tagVersions.clear();
    this.noteInvalid(null);
    this.wakeAll();
    if (had) { this.counters.l1Flushes++; this.emit('flush', why); }
  }

  /** Subscribe, then turn tracking on (REDIRECT to the subscriber, BCAST on our prefixes, NOLOOP). */
  private async setupCoherence(): Promise<void> {
    if (this.closed || this.o.coherence === 'none') return;
    if (this.redis.status !== 'ready' || this.sub.status !== 'ready') return;
    const seq = ++this.setupSeq;
    // Load the release script first: a server's first script may be slow (Nodis starts its Lua VM),
    // better before L1 serves than on a caller's path. Unbounded on purpose; NOSCRIPT later falls back to EVAL.
    try {
      await this.redis.call('SCRIPT', 'LOAD', RELEASE).catch(() => {});
      let mode: 'tracking' | 'bus' = this.o.coherence === 'bus' || (this.o.coherence === 'auto' && this.isCluster) ? 'bus' : 'tracking';
      if (mode === 'tracking') {
        try {
          const subId = await this.sub.call('CLIENT', 'ID');
          await this.sub.subscribe(INVALIDATE);
          // Off first: after the subscriber alone reconnected, the data connection still tracks
          // with the old REDIRECT, and the same prefixes again would be refused as overlapping.
          await this.redis.call('CLIENT', 'TRACKING', 'OFF');
          await this.redis.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(subId), 'BCAST',
            'PREFIX', this.prefix, 'PREFIX', this.tagPrefix, 'NOLOOP');
        } catch (e) {
          if (this.o.coherence === 'tracking') throw e;
          mode = 'bus';
          try { await this.sub.unsubscribe(INVALIDATE); } catch { /* not subscribed */ }
        }
      }
      if (mode === 'bus') await this.sub.subscribe(this.busChannel);
      if (seq !== this.setupSeq || this.closed) return;
      this.mode = mode;
      this.epoch++;
      this.coherent = true;
      this.started = true;
      this.emit('coherent', mode);
    } catch (e) {
      this.countError(e);
    }
  }

  private onInvalidationMessage(ch: Buffer, msg: Buffer | Buffer[] | null): void {
    const channel = ch.toString('latin1');
    if (channel === INVALIDATE) {
      if (msg === null || (Array.isArray(msg) && msg.length === 0)) { this.invalidate(null); return; }
      const keys = Array.isArray(msg) ? msg.map((b) => b.toString('utf8')) : [msg.toString('utf8')];
      this.invalidate(keys);
    } else if (channel === this.busChannel && msg !== null && !Array.isArray(msg)) {
      const s = msg.toString('utf8');
      const bar = s.indexOf('|');
      if (s.slice(0, bar) === this.id) return; // our own write: NOLOOP
      const k = s.slice(bar + 1);
      this.invalidate(k === '*' ? null : [k]);
    }
  }

  private invalidate(keys: string[] | null): void {
    if (keys === null) {
      this.counters.invalidations++;
      this.l1?.clear();
      this.tagVersions.clear();
      this.noteInvalid(null);
      this.counters.l1Flushes++;
      this.emit('invalidation', null);
      this.emit('flush', 'null invalidation (FLUSHALL/FLUSHDB)');
      this.wakeAll();
      return;
    }
    this.counters.invalidations += keys.length;
    const at = Date.now();
    for (const k of keys) {
      if (this.l1 !== null && this.l1.peek(k) !== undefined) this.lagPending(k, at);
      this.l1?.delete(k);
      this.tagVersions.delete(k);
      this.noteInvalid(k);
      const w = this.waiters.get(k);
      if (w) { this.waiters.delete(k); for (const f of w) f(); }
    }
    this.emit('invalidation', keys);
  }

  private wakeAll(): void {
    const all = [...this.waiters.values()];
    this.waiters.clear();
    for (const w of all) for (const f of w) f();
  }

  /** Resolves on the key's invalidation or after ms. */
  private waitFor(k: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(k);
      if (!set) { set = new Set(); this.waiters.set(k, set); }
      const s = set;
      const done = (): void => {
        clearTimeout(timer);
        s.delete(done);
        if (s.size === 0 && this.waiters.get(k) === s) this.waiters.delete(k);
        resolve();
      };
      const timer = setTimeout(done, ms);
      s.add(done);
    });
  }

  // ---------------------------------------------------------------- invalidation lag

  /**
   * An invalidation of a key L1 held arrived at `at`; the next value of it read from Redis tells when the write
   * that caused it happened (Envelope.w), so lag = at - w (on one host; across hosts it includes their clock skew).
   */
  private lagPending(k: string, at: number): void {
    if (this.invalAt.size >= 1024) this.invalAt.delete(this.invalAt.keys().next().value!);
    this.invalAt.set(k, at);
  }

  private lagSeen(k: string, written: number): void {
    const at = this.invalAt.get(k);
    if (at === undefined) return;
    this.invalAt.delete(k);
    if (written > at) return; // a later write than the one invalidated
    const lag = at - written;
    const l = this.lag;
    l.count++;
    l.sum += lag;
    if (lag > l.max) l.max = lag;
    l.recent[l.next++ & 255] = lag;
  }

  private noteInvalid(k: string | null): void {
    this.ring[this.invalSeq & (RING - 1)] = k;
    this.invalSeq++;
  }

  private openTicket(): Ticket { return this.invalSeq; }

  /** True when k was not invalidated since the ticket was taken (false when that is unknown). */
  private clean(k: string, t: Ticket): boolean {
    const n = this.invalSeq - t;
    if (n === 0) return true;
    if (n > RING) return false;
    for (let i = t; i < this.invalSeq; i++) {
      const x = this.ring[i & (RING - 1)];
      if (x === null || x === k) return false;
    }
    return true;
  }

  /** Our own write or delete of k: replies to reads sent before it may be older. */
  private dirty(k: string): void { this.noteInvalid(k); }

  private publish(k: string): void {
    if (this.mode !== 'bus') return;
    this.redisOp(() => this.redis.publish(this.busChannel, `${this.id}|${k}`)).catch(() => {});
  }

  // ---------------------------------------------------------------- Redis, bounded

  private readonly onOpError = (e: unknown): void => this.countError(e);

  /**
   * The bound of a call: `timeout`, except before the cache is first ready
   * (connected, script loaded, tracking on), when calls may queue behind the
   * connection: then startTimeout. A refused connection still fails at once.
   */
  private get opTimeout(): number {
    return this.started ? this.o.timeout : Math.max(this.o.timeout, this.startTimeout);
  }

  private redisOp<T>(op: () => Promise<T>, timeout = this.opTimeout): Promise<T> {
    return this.breaker.run(op, timeout, this.onOpError);
  }

  private countError(e: unknown): void {
    this.counters.errors++;
    this.emit('redisError', e);
  }

  private full(key: string): string {
    const k = this.prefix + key;
    checkKey(k);
    return k;
  }

  // ---------------------------------------------------------------- L1

  private l1Fresh(k: string, now: number): Envelope | undefined {
    if (this.l1 === null) return undefined;
    const ent = this.l1.get(k);
    if (ent === undefined || ent.epoch !== this.epoch || !this.coherent || now >= ent.until) return undefined;
    return ent.env;
  }

  /** Any L1 value still within grace, whatever its epoch: the fail-open fallback. */
  private l1Fallback(k: string, now: number): Envelope | undefined {
    const ent = this.l1?.peek(k);
    if (ent === undefined || now >= ent.env.g) return undefined;
    return ent.env;
  }

  private l1Put(k: string, env: Envelope, clean: boolean, epoch: number): void {
    if (this.l1 === null) return;
    if (this.invalAt.size > 0 && env.w !== undefined) this.lagSeen(k, env.w);
    const ok = clean && this.coherent && epoch === this.epoch;
    this.l1.set(k, { env, epoch: ok ? this.epoch : -1, until: Math.min(env.e, Date.now() + this.l1MaxTtl) });
  }

  // ---------------------------------------------------------------- tags

  /** Current versions of tags (L1-cached while coherent), or null when Redis fails. */
  private async tagVersionsOf(tags: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const missing: string[] = [];
    for (const tag of tags) {
      const tk = this.tagPrefix + tag;
      const c = this.tagVersions.get(tk);
      if (c && c.epoch === this.epoch && this.coherent) out[tag] = c.v;
      else missing.push(tag);
    }
    if (missing.length === 0) return out;
    const keys = missing.map((t) => this.tagPrefix + t);
    const epoch = this.epoch;
    const t = this.openTicket();
    const vals = await this.redisOp(() => this.mget(keys));
    missing.forEach((tag, i) => {
      const v = Number(vals[i] ?? 0);
      out[tag] = v;
      if (this.clean(keys[i]!, t) && this.coherent && epoch === this.epoch) this.tagVersions.set(keys[i]!, { v, epoch });
    });
    return out;
  }

  /** True when every tag the entry was written under still has that version. Throws on Redis failure. */
  private async tagsValid(env: Envelope): Promise<boolean> {
    if (!env.t) return true;
    const tags = Object.keys(env.t);
    const cur = await this.tagVersionsOf(tags);
    return tags.every((t) => cur[t] === env.t![t]);
  }

  /** Synchronous check against L1-cached tag versions; undefined when one is not cached. */
  private tagsValidLocal(env: Envelope): boolean | undefined {
    if (!env.t) return true;
    for (const tag in env.t) {
      const c = this.tagVersions.get(this.tagPrefix + tag);
      if (!c || c.epoch !== this.epoch || !this.coherent) return undefined;
      if (c.v !== env.t[tag]) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- reads

  private mget(keys: string[]): Promise<Array<string | null>> {
    if (!this.isCluster || keys.length <= 1) return keys.length === 1 ? this.redis.get(keys[0]!).then((v) => [v]) : this.redis.mget(keys);
    return Promise.all(keys.map((k) => this.redis.get(k)));
  }

  /** GET k with a ticket; the envelope (tags checked) and whether L1 may keep it. */
  private async l2Get(k: string): Promise<{ env: Envelope | null; clean: boolean; epoch: number }> {
    const epoch = this.epoch;
    const t = this.openTicket();
    const raw = await this.redisOp(() => this.redis.get(k));
    let env = decode(raw);
    if (env !== null && env.t !== undefined && !(await this.tagsValid(env))) env = null;
    return { env, clean: this.clean(k, t), epoch };
  }

  /** The value of key, undefined when absent, expired or not found; never throws on Redis failure. */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    const k = this.full(key);
    const now = Date.now();
    const hit = this.l1Fresh(k, now);
    if (hit && this.tagsValidLocal(hit) === true) { this.hit(key, 'l1'); return isNegative(hit) ? undefined : hit.v as T; }
    try {
      const { env, clean, epoch } = await this.l2Get(k);
      if (env && Date.now() < env.e) {
        this.l1Put(k, env, clean, epoch);
        this.hit(key, 'l2');
        return isNegative(env) ? undefined : env.v as T;
      }
      this.miss(key);
      return undefined;
    } catch {
      const fb = this.l1Fallback(k, Date.now());
      if (fb) { this.stale(key); return isNegative(fb) ? undefined : fb.v as T; }
      this.miss(key);
      return undefined;
    }
  }

  private hit(key: string, tier: 'l1' | 'l2'): void {
    if (tier === 'l1') this.counters.l1Hits++; else this.counters.l2Hits++;
    if (this.hot) this.emit('hit', key, tier);
  }
  private miss(key: string): void { this.counters.misses++; if (this.hot) this.emit('miss', key); }
  private stale(key: string): void { this.counters.staleServed++; if (this.hot) this.emit('stale', key); }

  // ---------------------------------------------------------------- writes

  private envelope(key: string, value: unknown, o: EntryOptions | undefined, d: number, tagv: Record<string, number> | undefined): Envelope | null {
    const now = Date.now();
    if (value === undefined) {
      const neg = o?.negativeTtl ?? this.o.negativeTtl;
      if (neg <= 0) return null;
      const e = now + jittered(neg, this.o.jitter);
      return { n: 1, e, g: e };
    }
    const e = now + jittered(o?.ttl ?? this.o.ttl, this.o.jitter);
    const env: Envelope = { v: value, e, g: e + (o?.grace ?? this.o.grace), d: Math.round(d * 100) / 100, w: now };
    if (tagv) env.t = tagv;
    encode(key, env); // throws CacheSerializationError early, before any Redis traffic
    return env;
  }

  /** Store an envelope under k (L2 then L1) with a ticket. Throws on Redis failure. */
  private async store(key: string, k: string, env: Envelope): Promise<void> {
    const s = encode(key, env);
    const epoch = this.epoch;
    this.dirty(k);
    const t = this.openTicket();
    let ok = false;
    try {
      await this.redisOp(() => this.redis.set(k, s, 'PX', Math.max(1, env.g - Date.now())));
      ok = true;
    } finally {
      if (ok) this.l1Put(k, env, this.clean(k, t), epoch);
      else this.l1?.delete(k);
    }
    this.publish(k);
  }

  /** Write a value. Serialization errors and Redis errors reject (explicit writes are not fail-open). */
  async set(key: string, value: unknown, o?: EntryOptions): Promise<void> {
    const k = this.full(key);
    if (value === undefined) throw new CacheSerializationError(`cannot set undefined under "${key}"; use delete()`);
    const tagv = o?.tags?.length ? await this.tagVersionsOf(o.tags) : undefined;
    const env = this.envelope(key, value, o, 0, tagv)!;
    await this.store(key, k, env);
  }

  async delete(key: string): Promise<void> {
    const k = this.full(key);
    this.dirty(k);
    this.l1?.delete(k);
    await this.redisOp(() => this.redis.del(k));
    this.l1?.delete(k);
    this.publish(k);
  }

  /** Every entry written under tag becomes a miss (its version counter is bumped). */
  async deleteByTag(tag: string): Promise<void> {
    const tk = this.tagPrefix + tag;
    this.dirty(tk);
    this.tagVersions.delete(tk);
    await this.redisOp(() => this.redis.incr(tk));
    this.tagVersions.delete(tk);
    this.publish(tk);
  }

  // ---------------------------------------------------------------- getOrSet

  getOrSet<T>(key: string, loader: Loader<T>, o?: EntryOptions): Promise<T> {
    const k = this.full(key);
    const now = Date.now();
    const env = this.l1Fresh(k, now);
    if (env !== undefined && (env.t === undefined || this.tagsValidLocal(env) === true)) {
      this.counters.l1Hits++;
      if (this.hot) this.emit('hit', key, 'l1');
      // P(early) = exp(−(e − now)/(δβ)): below e^−30 the draw is skipped.
      if (env.n === undefined && env.d && env.e - now < 30 * env.d * this.o.beta && xfetch(now, env, this.o.beta)) this.refreshEarly(key, k, env, loader, o);
      return Promise.resolve((env.n === undefined ? env.v : undefined) as T);
    }
    let p = this.inflight.get(k) as Promise<T> | undefined;
    if (p === undefined) {
      const done = (): void => { if (this.inflight.get(k) === q) this.inflight.delete(k); };
      const first = o?.bloom && this.bloom ? this.bloomFirst(key, k, loader, o) : this.resolve(key, k, loader, o);
      const q: Promise<T> = first.then((v) => { done(); return v; }, (e: unknown) => { done(); throw e; });
      this.inflight.set(k, q);
      p = q;
    }
    return p;
  }

  /** The L1 miss path: one GET; the common answer (a fresh untagged value) without any further await. */
  private resolve<T>(key: string, k: string, loader: Loader<T>, o: EntryOptions | undefined): Promise<T> {
    const epoch = this.epoch;
    const t = this.openTicket();
    return this.breaker.run(() => this.redis.get(k), this.opTimeout, this.onOpError).then((raw) => {
      const clean = this.clean(k, t);
      const env = decode(raw);
      if (env !== null && env.t === undefined) return this.resolved(key, k, env, clean, epoch, loader, o);
      if (env === null) return this.resolved(key, k, null, clean, epoch, loader, o);
      return this.tagsValid(env).then(
        (ok) => this.resolved(key, k, ok ? env : null, clean, epoch, loader, o),
        () => this.failOpen(key, k, loader, o),
      );
    }, () => this.failOpen(key, k, loader, o));
  }

  private resolved<T>(key: string, k: string, env: Envelope | null, clean: boolean, epoch: number, loader: Loader<T>, o: EntryOptions | undefined): T | Promise<T> {
    const now = Date.now();
    if (env && now < env.e) {
      this.l1Put(k, env, clean, epoch);
      this.hit(key, 'l2');
      if (!isNegative(env) && xfetch(now, env, this.o.beta)) this.refreshEarly(key, k, env, loader, o);
      return (isNegative(env) ? undefined : env.v) as T;
    }
    this.miss(key);
    if (env && now < env.g && !isNegative(env)) return this.serveStale(key, k, env, loader, o);
    return this.loadWithLease(key, k, loader, o);
  }

  /** With the Bloom option: an id the filter never saw is absent, without reading the value or calling the loader. */
  private async bloomFirst<T>(key: string, k: string, loader: Loader<T>, o: EntryOptions): Promise<T> {
    let absent = false;
    try {
      absent = !(await this.mightContain(typeof o.bloom === 'string' ? o.bloom : key));
    } catch { /* fail open: go on as without the filter */ }
    if (absent) { this.miss(key); return undefined as T; }
    return this.resolve(key, k, loader, o);
  }


  /** Redis failed: an L1 value within grace, else the loader (its value kept in L1 as fallback only). */
  private async failOpen<T>(key: string, k: string, loader: Loader<T>, o: EntryOptions | undefined): Promise<T> {
    const fb = this.l1Fallback(k, Date.now());
    if (fb) { this.stale(key); return (isNegative(fb) ? undefined : fb.v) as T; }
    this.miss(key);
    const t0 = performance.now();
    const v = await this.callLoader(key, loader, o);
    const env = this.envelope(key, v, o, performance.now() - t0, undefined);
    if (env && this.l1) this.l1.set(k, { env, epoch: -1, until: 0 });
    return v;
  }

  private callLoader<T>(key: string, loader: Loader<T>, o: EntryOptions | undefined): Promise<T> {
    this.counters.loaderCalls++;
    this.emit('load', key);
    const hard = o?.timeouts?.hard ?? this.timeouts.hard;
    const p = Promise.resolve().then(loader);
    if (!hard) return p;
    return bounded(p, hard, () => new CacheTimeoutError(`loader for "${key}" did not finish within ${hard} ms`));
  }

  /** SET lease NX PX, then GET k (in that order on the wire). */
  private async tryLease(k: string, token: string): Promise<{ acquired: boolean; env: Envelope | null; clean: boolean; epoch: number }> {
    const lk = this.leasePrefix + k;
    const epoch = this.epoch;
    const t = this.openTicket();
    const [ok, raw] = await this.redisOp(async () => {
      if (this.isCluster) {
        const a = await this.redis.set(lk, token, 'PX', this.leaseTtl, 'NX');
        return [a, await this.redis.get(k)] as const;
      }
      return Promise.all([this.redis.set(lk, token, 'PX', this.leaseTtl, 'NX'), this.redis.get(k)]);
    });
    let env = decode(raw);
    if (env !== null && env.t !== undefined && !(await this.tagsValid(env))) env = null;
    return { acquired: ok === 'OK', env, clean: this.clean(k, t), epoch };
  }

  private release(k: string, token: string): void {
    // Off the caller's path, so bounded more loosely: a script's first run may be slow.
    const lk = this.leasePrefix + k;
    const p = this.redisOp(() => this.redis.evalsha(RELEASE_SHA, 1, lk, token).catch((e: Error) => {
      if (!/NOSCRIPT/.test(e.message)) throw e;
      return this.redis.eval(RELEASE, 1, lk, token);
    }), Math.max(1000, this.o.timeout)).catch(() => {});
    this.track(p);
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  /** Load under the lease; wait for another holder's value otherwise. */
  private async loadWithLease<T>(key: string, k: string, loader: Loader<T>, o: EntryOptions | undefined): Promise<T> {
    const token = randomBytes(12).toString('base64');
    let waited = false;
    for (;;) {
      let r: Awaited<ReturnType<Cache['tryLease']>>;
      try {
        r = await this.tryLease(k, token);
      } catch {
        return this.failOpen(key, k, loader, o);
      }
      const now = Date.now();
      if (r.env && now < r.env.e) {
        if (r.acquired) this.release(k, token);
        this.l1Put(k, r.env, r.clean, r.epoch);
        return (isNegative(r.env) ? undefined : r.env.v) as T;
      }
      if (r.acquired) return this.loadAndStore(key, k, loader, o, token);
      if (r.env && now < r.env.g && !isNegative(r.env)) { this.stale(key); return r.env.v as T; }
      if (!waited) { waited = true; this.counters.leaseWaits++; this.emit('leaseWait', key); }
      await this.waitFor(k, this.pollInterval);
      if (this.closed) throw new CacheError('cache closed');
    }
  }

  /** Run the loader as lease holder, store the value, release the lease. The stored value (or the loader's error). */
  private loadAndStore<T>(key: string, k: string, loader: Loader<T>, o: EntryOptions | undefined, token: string): Promise<T> {
    const t0 = performance.now();
    this.counters.loaderCalls++;
    this.emit('load', key);
    const t = this.openTicket();
    const work = (async (): Promise<T> => {
      try {
        // Tag versions before the load: a deleteByTag during the load must leave the result invalid.
        const tagv = o?.tags?.length ? await this.tagVersionsOf(o.tags).catch(() => undefined) : undefined;
        const v = await loader();
        const env = this.envelope(key, v, o, performance.now() - t0, tagv);
        // Someone wrote or deleted the key while we loaded: theirs is newer than our read of the source.
        // (Known through invalidations, so not airtight: one still in flight is missed.)
        const overtaken = !this.clean(k, t);
        if (env && !overtaken && (tagv || !o?.tags?.length)) await this.store(key, k, env).catch(() => {});
        return v;
      } finally {
        this.release(k, token);
      }
    })();
    this.track(work.catch(() => {}));
    const hard = o?.timeouts?.hard ?? this.timeouts.hard;
    if (!hard) return work;
    return bounded(work, hard, () => new CacheTimeoutError(`loader for "${key}" did not finish within ${hard} ms`));
  }

  /** Stale within grace: one refresher (the lease holder) reloads; others serve the stale value. */
  private async serveStale<T>(key: string, k: string, stale: Envelope, loader: Loader<T>, o: EntryOptions | undefined): Promise<T> {
    const token = randomBytes(12).toString('base64');
    let r: Awaited<ReturnType<Cache['tryLease']>>;
    try {
      r = await this.tryLease(k, token);
    } catch {
      this.stale(key);
      return stale.v as T;
    }
    if (r.env && Date.now() < r.env.e) {
      if (r.acquired) this.release(k, token);
      this.l1Put(k, r.env, r.clean, r.epoch);
      return (isNegative(r.env) ? undefined : r.env.v) as T;
    }
    if (r.acquired) {
      const p = this.loadAndStore(key, k, loader, { ...o, timeouts: { hard: 0 } }, token);
      p.catch((e: unknown) => this.emit('refreshError', key, e));
      const soft = o?.timeouts?.soft ?? this.timeouts.soft ?? 0;
      if (soft > 0) {
        const fresh = await Promise.race([p.then((v) => ({ v }), () => null), sleep(soft).then(() => null)]);
        if (fresh) return fresh.v;
      }
    }
    this.stale(key);
    return stale.v as T;
  }

  /** XFetch: refresh a still-fresh value in the background, one process at a time. */
  private refreshEarly<T>(key: string, k: string, seen: Envelope, loader: Loader<T>, o: EntryOptions | undefined): void {
    if (this.refreshing.has(k) || this.inflight.has(k) || this.closed) return;
    this.refreshing.add(k);
    const token = randomBytes(12).toString('base64');
    const p = (async (): Promise<void> => {
      const r = await this.tryLease(k, token);
      if (!r.acquired) return;
      if (r.env && r.env.e !== seen.e) { this.release(k, token); return; } // someone refreshed already
      await this.loadAndStore(key, k, loader, { ...o, timeouts: { hard: 0 } }, token);
    })().catch((e: unknown) => this.emit('refreshError', key, e)).finally(() => this.refreshing.delete(k));
    this.track(p);
  }

  // ---------------------------------------------------------------- batches

  /** Values of many keys: L1, then one MGET (pipelined GETs on a Cluster). */
  async getMany<T = unknown>(keys: string[]): Promise<Array<T | undefined>> {
    const out = new Array<T | undefined>(keys.length).fill(undefined);
    const ks = keys.map((key) => this.full(key));
    const now = Date.now();
    const rest: number[] = [];
    ks.forEach((k, i) => {
      const env = this.l1Fresh(k, now);
      if (env && this.tagsValidLocal(env) === true) { this.hit(keys[i]!, 'l1'); out[i] = isNegative(env) ? undefined : env.v as T; } else rest.push(i);
    });
    if (rest.length === 0) return out;
    const epoch = this.epoch;
    const t = this.openTicket();
    try {
      const raws = await this.redisOp(() => this.mget(rest.map((i) => ks[i]!)));
      for (let j = 0; j < rest.length; j++) {
        const i = rest[j]!;
        let env = decode(raws[j] ?? null);
        if (env !== null && env.t !== undefined && !(await this.tagsValid(env))) env = null;
        if (env && Date.now() < env.e) {
          this.l1Put(ks[i]!, env, this.clean(ks[i]!, t), epoch);
          this.hit(keys[i]!, 'l2');
          out[i] = isNegative(env) ? undefined : env.v as T;
        } else this.miss(keys[i]!);
      }
    } catch {
      for (const i of rest) {
        const fb = this.l1Fallback(ks[i]!, Date.now());
        if (fb) { this.stale(keys[i]!); out[i] = isNegative(fb) ? undefined : fb.v as T; } else this.miss(keys[i]!);
      }
    }
    return out;
  }

  /**
   * getOrSet for many keys: L1, one MGET, then a lease per missing key (as
   * getOrSet's) and one call of the batched loader with the keys whose lease
   * this call got. Keys already loading in this process are awaited, keys
   * another process holds the lease of are waited for as getOrSet waits (and
   * loaded alone, by the same loader, if that holder dies).
   */
  async getOrSetMany<T>(keys: string[], loader: BatchLoader<T>, o?: EntryOptions): Promise<Array<T | undefined>> {
    const out = new Array<T | undefined>(keys.length).fill(undefined);
    const waits: Array<Promise<void>> = [];
    const mine = new Map<string, { resolve: (v: T | undefined) => void; reject: (e: unknown) => void; idx: number[] }>();
    const now = Date.now();
    keys.forEach((key, i) => {
      const k = this.full(key);
      const env = this.l1Fresh(k, now);
      if (env && this.tagsValidLocal(env) === true) { this.hit(key, 'l1'); out[i] = isNegative(env) ? undefined : env.v as T; return; }
      const m = mine.get(key);
      if (m) { m.idx.push(i); return; }
      const p = this.inflight.get(k) as Promise<T | undefined> | undefined;
      if (p) { const w = p.then((v) => { out[i] = v; }); w.catch(() => {}); waits.push(w); return; }
      let resolve!: (v: T | undefined) => void, reject!: (e: unknown) => void;
      const q = new Promise<T | undefined>((a, b) => { resolve = a; reject = b; });
      q.catch(() => {});
      this.inflight.set(k, q);
      void q.finally(() => { if (this.inflight.get(k) === q) this.inflight.delete(k); }).catch(() => {});
      mine.set(key, { resolve, reject, idx: [i] });
    });
    if (mine.size > 0) {
      const todo = [...mine.keys()];
      try {
        const found = await this.getMany<T>(todo);
        const missing: string[] = [];
        // getMany counted hits/misses; a miss there has no value, so undefined means load.
        todo.forEach((key, j) => {
          if (found[j] !== undefined) this.settle(mine.get(key)!, found[j], out);
          else missing.push(key);
        });
        if (missing.length > 0) {
          // a lease per key, as getOrSet: keys another process is loading are waited for, not loaded again
          const token = randomBytes(12).toString('base64');
          const leases = await Promise.all(missing.map((key) => this.tryLease(this.prefix + key, token).catch(() => null)));
          const batch: string[] = [];
          const held: string[] = [];
          missing.forEach((key, j) => {
            const r = leases[j]!;
            const k = this.prefix + key;
            if (r === null) { batch.push(key); return; } // Redis unreachable: load it here (fail open)
            if (r.env && Date.now() < r.env.e) {
              // stored meanwhile by another process
              if (r.acquired) this.release(k, token);
              this.l1Put(k, r.env, r.clean, r.epoch);
              this.settle(mine.get(key)!, isNegative(r.env) ? undefined : r.env.v as T, out);
              return;
            }
            if (r.acquired) { batch.push(key); held.push(k); return; }
            // another process holds the lease: wait for its value as getOrSet does; should the holder die, this key
            // alone is loaded once its lease expires
            const m = mine.get(key)!;
            const one = async (): Promise<T | undefined> => pickOf(await loader([key]), key, 0);
            const w = this.loadWithLease(key, k, one, o).then((v) => this.settle(m, v, out), (e: unknown) => { m.reject(e); throw e; });
            w.catch(() => {}); // handled by the Promise.all below; not an unhandled rejection meanwhile
            waits.push(w);
          });
          try {
            if (batch.length > 0) {
              this.counters.loaderCalls++;
              this.emit('load', batch);
              const tagv = o?.tags?.length ? await this.tagVersionsOf(o.tags).catch(() => undefined) : undefined; // before the load
              const t0 = performance.now();
              const res = await loader(batch);
              const d = (performance.now() - t0) / batch.length;
              const stores: Array<Promise<void>> = [];
              batch.forEach((key, j) => {
                const v = pickOf(res, key, j);
                const env = this.envelope(key, v, o, d, tagv);
                if (env && (tagv || !o?.tags?.length)) stores.push(this.store(key, this.prefix + key, env).catch(() => {}));
                this.settle(mine.get(key)!, v, out);
              });
              await Promise.all(stores);
            }
          } finally {
            for (const k of held) this.release(k, token);
          }
        }
      } catch (e) {
        for (const m of mine.values()) m.reject(e);
        throw e;
      }
    }
    await Promise.all(waits);
    return out;
  }

  private settle<T>(m: { resolve: (v: T | undefined) => void; idx: number[] }, v: T | undefined, out: Array<T | undefined>): void {
    for (const i of m.idx) out[i] = v;
    m.resolve(v);
  }

  // ---------------------------------------------------------------- warm-up

  /** getOrSet every key, at most `concurrency` at a time. */
  async preload<T>(keys: string[], loader: (key: string) => T | Promise<T>, o?: EntryOptions & { concurrency?: number }): Promise<void> {
    const limit = Math.max(1, o?.concurrency ?? 8);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await this.getOrSet(key, () => loader(key), o);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, keys.length) }, worker));
  }

  /** The n keys L1 saw most often (by its frequency sketch), hottest first, without the namespace. */
  hotKeys(n = 100): string[] {
    if (!this.l1) return [];
    return this.l1.hottest(n).filter((k) => k.startsWith(this.prefix)).map((k) => k.slice(this.prefix.length));
  }

  /** Save hotKeys(n) in Redis (`<namespace>#hot`) for a later cold start. */
  async persistHotKeys(n = 1000): Promise<string[]> {
    const keys = this.hotKeys(n);
    await this.redisOp(() => this.redis.set(`${this.o.namespace}#hot`, JSON.stringify(keys)));
    return keys;
  }

  /** The keys saved by persistHotKeys (empty when none). */
  async loadHotKeys(): Promise<string[]> {
    const s = await this.redisOp(() => this.redis.get(`${this.o.namespace}#hot`));
    return s ? JSON.parse(s) as string[] : [];
  }

  // ---------------------------------------------------------------- Bloom filter

  private positions(id: string): number[] {
    const b = this.bloom!;
    const h1 = hashString(id), h2 = hashString(id, 0x9747b28c) | 1;
    const out: number[] = [];
    for (let i = 0; i < b.hashes; i++) out.push(((h1 + Math.imul(i, h2)) >>> 0) % b.bits);
    return out;
  }

  /** Add ids to the Bloom filter (one BITFIELD per 256 ids). */
  async addToBloom(ids: Iterable<string>): Promise<void> {
    if (!this.bloom) throw new CacheError('no bloom option was given');
    const key = this.bloom.key;
    let args: Array<string | number> = [];
    const flush = async (): Promise<void> => {
      if (args.length === 0) return;
      const a = args; args = [];
      await this.redis.call('BITFIELD', key, ...a);
    };
    let n = 0;
    for (const id of ids) {
      for (const p of this.positions(id)) args.push('SET', 'u1', p, 1);
      if (++n % 256 === 0) await flush();
    }
    await flush();
  }

  /** False when the id was certainly never added. Throws on Redis failure. */
  async mightContain(id: string): Promise<boolean> {
    if (!this.bloom) throw new CacheError('no bloom option was given');
    const args: Array<string | number> = [];
    for (const p of this.positions(id)) args.push('GET', 'u1', p);
    const bits = await this.redisOp(() => this.redis.call('BITFIELD_RO', this.bloom!.key, ...args) as Promise<number[]>);
    return bits.every((b) => b === 1);
  }

  // ---------------------------------------------------------------- stats, close

  stats(): CacheStats {
    const l = this.lag;
    const n = Math.min(l.count, 256);
    const recent = Array.from(l.recent.subarray(0, n)).sort((a, b) => a - b);
    const invalidationLag = { count: l.count, mean: l.count ? l.sum / l.count : 0, p99: n ? recent[Math.min(n - 1, Math.floor(n * 0.99))]! : 0, max: l.max };
    return { ...this.counters, breaker: this.breaker.state, l1Size: this.l1?.size() ?? 0, coherence: this.mode, invalidationLag };
  }

  /**
   * stats() in Prometheus's text exposition format (version 0.0.4), for a /metrics endpoint:
   * counters `nodis_cache_<name>_total`, gauges for L1's size, the breaker (0 closed, 1 half-open, 2 open) and
   * coherence (1 when L1 serves), and the invalidation lag (ms) as a summary over the last 256 measured.
   * `labels` are added to every sample (e.g. { instance: 'api-1' }).
   */
  metrics(labels: Record<string, string> = {}): string {
    const st = this.stats();
    const lab = (extra: Record<string, string> = {}): string => {
      const all = { namespace: this.o.namespace, ...labels, ...extra };
      return '{' + Object.entries(all).map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',') + '}';
    };
    const out: string[] = [];
    const counter = (name: string, help: string, v: number): void => {
      out.push(`# HELP nodis_cache_${name}_total ${help}`, `# TYPE nodis_cache_${name}_total counter`, `nodis_cache_${name}_total${lab()} ${v}`);
    };
    const gauge = (name: string, help: string, v: number): void => {
      out.push(`# HELP nodis_cache_${name} ${help}`, `# TYPE nodis_cache_${name} gauge`, `nodis_cache_${name}${lab()} ${v}`);
    };
    counter('l1_hits', 'getOrSet/get answered from the in-process tier.', st.l1Hits);
    counter('l2_hits', 'getOrSet/get answered from Redis.', st.l2Hits);
    counter('misses', 'Lookups that found no fresh value.', st.misses);
    counter('stale_served', 'Stale values served within grace.', st.staleServed);
    counter('loader_calls', 'Loader calls (a batched call counts once).', st.loaderCalls);
    counter('lease_waits', 'Calls that waited for another holder of the lease.', st.leaseWaits);
    counter('invalidations', 'Keys invalidated by the server.', st.invalidations);
    counter('l1_flushes', 'Whole-L1 flushes (connection lost, FLUSHALL).', st.l1Flushes);
    counter('errors', 'Redis operations that failed or timed out.', st.errors);
    gauge('l1_size', 'Entries in the in-process tier.', st.l1Size);
    gauge('breaker_state', 'Circuit breaker: 0 closed, 1 half-open, 2 open.', st.breaker === 'closed' ? 0 : st.breaker === 'half-open' ? 1 : 2);
    gauge('coherent', '1 while invalidations flow and L1 serves.', this.coherent ? 1 : 0);
    const lg = st.invalidationLag;
    out.push('# HELP nodis_cache_invalidation_lag_ms Write to invalidation arrival, in ms (the last 256 measured).', '# TYPE nodis_cache_invalidation_lag_ms summary',
      `nodis_cache_invalidation_lag_ms${lab({ quantile: '0.99' })} ${lg.p99}`,
      `nodis_cache_invalidation_lag_ms_sum${lab()} ${this.lag.sum}`, `nodis_cache_invalidation_lag_ms_count${lab()} ${lg.count}`);
    return out.join('\n') + '\n';
  }

  /** True once invalidations flow (L1 serves). */
  get isCoherent(): boolean { return this.coherent; }

  /**
   * Resolves true once the cache is connected and coherent (L1 serving), false
   * after timeoutMs without that. Optional: calls made earlier wait for the
   * connection (startTimeout) or fail open.
   */
  async ready(timeoutMs = 5000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!(this.started && this.coherent)) {
      if (Date.now() >= until || this.closed) return false;
      await sleep(5);
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeAll();
    await Promise.allSettled([...this.background]);
    this.redis.off('close', this.onDataClose);
    this.redis.off('ready', this.onReady);
    this.sub.off('close', this.onSubClose);
    this.sub.off('ready', this.onReady);
    this.sub.off('messageBuffer', this.onMessage);
    this.sub.disconnect();
    if (this.owned) this.redis.disconnect();
    else if (this.mode === 'tracking' && this.redis.status === 'ready') {
      await this.redis.call('CLIENT', 'TRACKING', 'OFF').catch(() => {});
    }
    this.l1?.clear();
  }
}

function bounded<T>(p: Promise<T>, ms: number, err: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(err()), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
