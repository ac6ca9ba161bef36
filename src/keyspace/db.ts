/*
 * One logical database: key -> value, with expiries kept apart.
 *
 * Layout: `table` (keytable.ts) gives each key a slot number and keeps the
 * keys by slot; values and access clocks sit side by side in paged arrays
 * indexed by the same slot (entry 2*i is the value, 2*i+1 its clock as a small
 * integer), so a lookup that reads the value and touches its clock loads one
 * cache line, not two. Slots of deleted keys are reused. This gives:
 *   - SCAN's guarantee: a key keeps its slot while it exists, so a cursor that
 *     walks slots upward returns every key present for the whole iteration
 *     (exactly once, even);
 *   - O(1) RANDOMKEY and eviction sampling (pick a random slot);
 *   - room beyond V8's 2^24 Map limit (the table is typed arrays; pages are small);
 *   - warm(): a pipeline's keys and values loaded together before its commands run.
 * Keys without a TTL pay nothing for expiry: `expires` holds only keys with one.
 *
 * Forkless snapshots (persistence/snapshot.ts) attach a SnapTracker to the
 * contents (`snap`): every lookup or change of a key the snapshot still has to
 * write first hands its current value to the tracker (see snapshot.ts for the
 * correctness argument). The tracker travels with the contents on SWAPDB, and
 * clear() during a snapshot moves the old contents to a detached Db the
 * snapshot keeps reading, so FLUSHALL stays O(1).
 *
 * Expiry is lazy here (lookup deletes an expired key and calls hooks.expired);
 * the active cycle lives in expire.ts. All time comes from hooks.now(), the
 * server's per-command clock, so one command sees one time.
 */
import { BigMap } from './bigmap.js';
import { KeyTable, PAGE_BITS, newPage } from './keytable.js';
import type { Value } from '../types/value.js';
import { MutableString } from '../types/string.js';
import { SlotIndex } from './slot-index.js';

const PAGE_MASK = (1 << PAGE_BITS) - 1;
/** warm() takes at most this many keys at a time */
export const WARM_MAX = 64;
const warmSlots = new Int32Array(WARM_MAX);
const warmCands: (string | undefined)[] = new Array<string | undefined>(WARM_MAX).fill(undefined);
const warmVals: unknown[] = new Array<unknown>(WARM_MAX).fill(undefined);
const warmBufs: (Buffer | undefined)[] = new Array<Buffer | undefined>(WARM_MAX).fill(undefined);
const warmEnds = new Int32Array(WARM_MAX);
/** byte strings shorter than this have every cache line loaded by warm() */
const WARM_LINES_MAX = 1024;

export interface DbHooks {
  /** the current command's time in ms */
  now(): number;
  /** a key was found expired and deleted: count it, fire the event, propagate the DEL */
  expired(db: Db, key: string): void;
  /** true when keys must not be deleted on expiry here (a replica: the master decides) */
  readonly expiryIsRemote: boolean;
  /**
   * true while nothing may expire: the dataset loads (AOF replay; expiry is done after the load, as
   * keyIsExpired), or a replica applies its master's stream (the master's DEL ends a key there)
   */
  readonly loading?: boolean;
  /** a TTL was set (a writable replica remembers the keys its own clients gave one) */
  expireSet?(db: Db, key: string): void;
  /**
   * true while the clock of keys should not be touched (CLIENT NO-TOUCH, OBJECT ...): a plain property the
   * server sets, read on every lookup (a getter here was a LoadIC call per GET: TurboFan did not inline it)
   */
  noTouch: boolean;
  /** the access clock to store for a touched key (LRU seconds or LFU counter) */
  accessClock(old: number): number;
  /** a cluster node: db 0 keeps its keys by hash slot (slot-index.ts) */
  readonly slotIndexed?: boolean;
}

/**
 * A snapshot in progress over a Db's contents (persistence/snapshot.ts).
 * Slots below `end` held the keys of the snapshot; `marks` (one byte per slot,
 * per page) is 1 for a slot whose key is not part of the snapshot or was
 * already captured; the slicer has written every slot below `cursor`.
 */
export interface SnapTracker {
  cursor: number;
  end: number;
  /** a page's array is created on its first mark (a save of a big db starts without zeroing one byte per slot) */
  marks: (Uint8Array | undefined)[];
  /** take the pre-image of a key about to be read or changed (owned: the value is being dropped, no copy needed), with its access clock */
  capture(key: string, v: Value, expireMs: number, owned: boolean, clock: number): void;
  /** the contents moved to another Db object (SWAPDB, clear during a snapshot) */
  moved(db: Db): void;
}

export class Db {
  private table = new KeyTable();
  /** the key the last get() found and its slot (a hint: set() checks that the slot still holds that key) */
  private lastKey = '';
  private lastSlot = 0;
  /** per page of slots: value of slot i at 2*i, its access clock at 2*i+1 */
  private valPages: (Value | number | undefined)[][] = [];
  /** key -> absolute expiry time in ms (only keys that have one) */
  expires: BigMap<string, number>;
  /** estimated average TTL of volatile keys in ms (INFO keyspace avg_ttl), kept by the active expire cycle */
  avgTtl = 0;
  /** the snapshot in progress over these contents, or null */
  snap: SnapTracker | null = null;
  /** the keys by cluster hash slot (db 0 of a cluster node), or null */
  slotIndex: SlotIndex | null = null;

  /** partLimit: entries per chained Map (tests inject a small one to exercise chaining) */
  constructor(public id: number, readonly hooks: DbHooks, partLimit?: number) {
    this.expires = new BigMap<string, number>(partLimit);
    if (id === 0 && hooks.slotIndexed === true) this.slotIndex = new SlotIndex();
  }

  /** Keep the keys by cluster hash slot from now on (a cluster node's db 0). */
  indexSlots(): void {
    if (this.slotIndex !== null) return;
    const idx = new SlotIndex();
    for (let t = 0; t < this.table.top; t++) {
      const k = this.table.keyAt(t);
      if (k !== undefined) idx.add(t, k);
    }
    this.slotIndex = idx;
  }

  /** keys in a cluster hash slot (countKeysInSlot) */
  countInSlot(h: number): number { return this.slotIndex === null ? 0 : this.slotIndex.count(h); }

  /** up to `max` keys of a cluster hash slot */
  keysInSlot(h: number, max: number): string[] {
    if (this.slotIndex === null) return [];
    return this.slotIndex.tableSlots(h, max).map((t) => this.table.keyAt(t)!);
  }

  get size(): number { return this.table.size; }

  // ---- lookup --------------------------------------------------------------

  /** The value of a live key (deleting it first if expired), touching its access clock. */
  get(key: string): Value | undefined {
    const slot = this.table.find(key);
    if (slot < 0) return undefined;
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return undefined;
    if (this.snap !== null) this.snapTouch(slot, key);
    this.lastKey = key;
    this.lastSlot = slot;
    const page = this.valPages[slot >>> PAGE_BITS]!;
    const j = (slot & PAGE_MASK) << 1;
    const hooks = this.hooks;
    if (!hooks.noTouch) {
      const old = page[j + 1] as number;
      const clock = hooks.accessClock(old);
      if (clock !== old) page[j + 1] = clock; // unchanged within the LRU clock's second: no store
    }
    // (the same clock update is written out in set(): as a shared method it measured 7% slower on SET/P16)
    return page[j] as Value;
  }

  /** The value stored under a key, for reads that must not act (warm-ups, DEBUG DIGEST): no expiry check, no clock, no snapshot capture. */
  hint(key: string): Value | undefined {
    const slot = this.table.find(key);
    return slot < 0 ? undefined : this.valPages[slot >>> PAGE_BITS]![(slot & PAGE_MASK) << 1] as Value;
  }

  /** The value of a live key without touching its access clock. */
  peek(key: string): Value | undefined {
    const slot = this.table.find(key);
    if (slot < 0) return undefined;
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return undefined;
    if (this.snap !== null) this.snapTouch(slot, key);
    return this.valPages[slot >>> PAGE_BITS]![(slot & PAGE_MASK) << 1] as Value;
  }

  /** True if the key exists and is not expired. */
  has(key: string): boolean {
    if (this.table.find(key) < 0) return false;
    return !(this.expires.size > 0 && this.expireIfNeeded(key));
  }

  /** The raw access clock of a key (for OBJECT IDLETIME / FREQ), or undefined. */
  clockOf(key: string): number | undefined {
    const slot = this.table.find(key);
    if (slot < 0) return undefined;
    return this.valPages[slot >>> PAGE_BITS]![((slot & PAGE_MASK) << 1) + 1] as number;
  }

  setClock(key: string, clock: number): void {
    const slot = this.table.find(key);
    if (slot >= 0) this.valPages[slot >>> PAGE_BITS]![((slot & PAGE_MASK) << 1) + 1] = clock;
  }

  // ---- writes --------------------------------------------------------------

  /**
   * Store a value. Removes any TTL unless keepTtl (Redis's setKey). Returns
   * true if the key was new (an expired key is deleted first, so it counts
   * as new).
   */
  set(key: string, value: Value, keepTtl = false): boolean {
    // a read-modify-write (INCR, APPEND ...) stores to the key its get() just found: no second lookup
    let slot = key === this.lastKey && this.table.keyAt(this.lastSlot) === key ? this.lastSlot : this.table.find(key);
    // an expired key is deleted first (lookupKeyWrite in setKey): its DEL is propagated before the write
    if (slot >= 0 && this.expires.size > 0 && this.expireIfNeeded(key)) slot = this.table.find(key);
    if (slot >= 0) {
      if (this.snap !== null) this.snapTouch(slot, key, true);
      const page = this.valPages[slot >>> PAGE_BITS]!;
      const j = (slot & PAGE_MASK) << 1;
      page[j] = value;
      if (!keepTtl && this.expires.size > 0) this.expires.delete(key);
      const hooks = this.hooks;
      if (!hooks.noTouch) {
        const old = page[j + 1] as number;
        const clock = hooks.accessClock(old);
        if (clock !== old) page[j + 1] = clock;
      }
      return false;
    }
    this.insert(key, value, this.hooks.accessClock(0));
    return true;
  }

  /** Insert a key known to be absent, with a given access clock (RESTORE, MOVE, COPY). */
  insert(key: string, value: Value, clock: number): void {
    this.place(this.table.add(key), key, value, clock);
  }

  /** insert() unless the key is there (expired or not): false then, and nothing changes (dbAddRDBLoad). */
  insertIfAbsent(key: string, value: Value, clock: number): boolean {
    const slot = this.table.addIfAbsent(key);
    if (slot < 0) return false;
    this.place(slot, key, value, clock);
    return true;
  }

  private place(slot: number, key: string, value: Value, clock: number): void {
    const p = slot >>> PAGE_BITS;
    const i = slot & PAGE_MASK;
    if (this.slotIndex !== null) this.slotIndex.add(slot, key);
    if (p >= this.valPages.length) this.valPages.push(newPage(p, 2));
    const page = this.valPages[p]!;
    page[i << 1] = value;
    page[(i << 1) + 1] = clock;
    if (this.snap !== null && slot < this.snap.end) (this.snap.marks[p] ??= new Uint8Array(1 << PAGE_BITS))[i] = 1;
  }

  /**
   * Before a key of the snapshot is looked up or changed: hand its value (as
   * it was when the snapshot started: nothing changed it yet) to the tracker,
   * once.
   */
  private snapTouch(slot: number, key: string, owned = false): void {
    const s = this.snap!;
    if (slot < s.cursor || slot >= s.end) return;
    const p = slot >>> PAGE_BITS;
    const i = slot & PAGE_MASK;
    const m = s.marks[p] ??= new Uint8Array(1 << PAGE_BITS);
    if (m[i] !== 0) return;
    m[i] = 1;
    const page = this.valPages[p]!;
    s.capture(key, page[i << 1] as Value, this.getExpire(key), owned, page[(i << 1) + 1] as number);
  }

  /**
   * Snapshot slicer: visit the not yet captured keys of slots [cursor, limit)
   * (as they are now: none of them changed since the snapshot started) and
   * advance the cursor. Returns the number of keys visited.
   */
  snapSlice(s: SnapTracker, limit: number, visit: (key: string, v: Value, expireMs: number, clock: number) => void): number {
    const end = Math.min(limit, s.end);
    let n = 0;
    for (let slot = s.cursor; slot < end; slot++) {
      const p = slot >>> PAGE_BITS;
      const i = slot & PAGE_MASK;
      const m = s.marks[p];
      if (m !== undefined && m[i] !== 0) continue;
      const k = this.table.keyAt(slot);
      if (k === undefined) continue;
      const page = this.valPages[p]!;
      visit(k, page[i << 1] as Value, this.expires.size > 0 ? this.getExpire(k) : -1, page[(i << 1) + 1] as number);
      n++;
    }
    s.cursor = Math.max(s.cursor, end);
    return n;
  }

  /** highest slot in use + 1 (snapshot range) */
  get slotTop(): number { return this.table.top; }

  /** Delete a key (and its TTL). Returns true if it existed. Does not check expiry. */
  delete(key: string): boolean {
    const table = this.table;
    const slot = table.find(key);
    if (slot < 0) return false;
    if (this.snap !== null) this.snapTouch(slot, key, true);
    const p = slot >>> PAGE_BITS;
    const i = slot & PAGE_MASK;
    const page = this.valPages[p]!;
    page[i << 1] = undefined;
    page[(i << 1) + 1] = 0;
    if (this.expires.size > 0) this.expires.delete(key);
    if (this.slotIndex !== null) this.slotIndex.remove(slot);
    table.removeFound(slot);
    // the table drops trailing empty pages of keys: drop the values' too
    while (this.valPages.length > table.keyPages.length) this.valPages.pop();
    return true;
  }

  /** Remove everything. */
  clear(): void {
    if (this.snap !== null) {
      // the snapshot keeps the old contents: move them to a detached Db
      const old = new Db(this.id, this.hooks);
      this.swapWith(old);
      return;
    }
    this.table.clear();
    this.valPages = [];
    this.expires.clear();
    this.slotIndex?.clear();
  }

  /** True while the key table is being resized incrementally. */
  get rehashing(): boolean { return this.table.resizing; }

  /** One step of an incremental resize of the key table (up to `buckets` buckets); false when none is under way. */
  rehash(buckets: number): boolean { return this.table.rehash(buckets); }

  /** Size the key index for n more keys at once (RDB load: RESIZEDB gives the count). */
  reserve(n: number): void { this.table.reserve(this.table.size + n); }

  /**
   * Load into cache what commands on keys[0..n) (n <= WARM_MAX) will read:
   * their table entries, key strings and values, in stages so the cache misses
   * of all the keys overlap (a pipeline's keys before its commands run).
   * Nothing is looked up for real: no expiry, no clock, no snapshot capture.
   */
  warm(keys: readonly string[], n: number): number {
    let sink = this.table.warm(keys, n, warmSlots, warmCands);
    const pages = this.valPages;
    for (let i = 0; i < n; i++) {
      const slot = warmSlots[i]!;
      warmVals[i] = slot < 0 ? undefined : pages[slot >>> PAGE_BITS]![(slot & PAGE_MASK) << 1];
    }
    let nb = 0;
    for (let i = 0; i < n; i++) {
      const v = warmVals[i];
      if (typeof v === 'string') sink += v.length;
      else if (v !== undefined) {
        // a string kept as bytes (MutableString: SETRANGE, APPEND, HyperLogLogs): its Buffer and bytes too, in
        // two more stages. Only by instanceof: a corrupt stand-in (types/corrupt.ts) throws on any other property read
        if (v instanceof MutableString && v.len > 0) { warmBufs[nb] = v.buf; warmEnds[nb++] = v.len - 1; } else sink++;
      }
      warmVals[i] = undefined;
    }
    for (let i = 0; i < nb; i++) sink += warmBufs[i]!.length;
    for (let i = 0; i < nb; i++) {
      const b = warmBufs[i]!;
      const end = warmEnds[i]!;
      // every line of a short one (a sparse HLL's walk reads them all, up to the register it changes), the first
      // and the last of a longer one (a dense HLL's register is anywhere)
      if (end < WARM_LINES_MAX) for (let j = 0; j <= end; j += 64) sink += b[j]!;
      else sink += b[0]! + b[end]!;
      warmBufs[i] = undefined;
    }
    return sink;
  }

  /** Exchange all contents with another Db (SWAPDB); ids stay. */
  swapWith(other: Db): void {
    const fields = ['table', 'valPages', 'expires', 'avgTtl', 'snap', 'slotIndex'] as const;
    for (const f of fields) {
      const t = this[f];
      (this as unknown as Record<string, unknown>)[f] = other[f];
      (other as unknown as Record<string, unknown>)[f] = t;
    }
    this.snap?.moved(this);
    other.snap?.moved(other);
  }

  // ---- expiry --------------------------------------------------------------

  /** Absolute expiry in ms, or -1 when the key has none. */
  getExpire(key: string): number {
    if (this.expires.size === 0) return -1;
    const t = this.expires.get(key);
    return t === undefined ? -1 : t;
  }

  setExpire(key: string, whenMs: number): void {
    if (this.snap !== null) { const slot = this.table.find(key); if (slot >= 0) this.snapTouch(slot, key); }
    this.expires.set(key, whenMs);
    this.hooks.expireSet?.(this, key);
  }

  /** Remove the TTL; true if there was one. */
  persist(key: string): boolean {
    if (this.snap !== null) { const slot = this.table.find(key); if (slot >= 0) this.snapTouch(slot, key); }
    return this.expires.size > 0 && this.expires.delete(key);
  }

  /** True (and the key deleted, unless a replica) when the key's TTL has passed. */
  isExpired(key: string): boolean {
    const t = this.expires.get(key);
    return t !== undefined && t <= this.hooks.now() && !this.hooks.loading;
  }

  /**
   * Delete the key if its TTL has passed. Returns true if the key is logically
   * gone. On a replica the key is reported gone but kept until the master's DEL.
   */
  expireIfNeeded(key: string): boolean {
    const t = this.expires.get(key);
    if (t === undefined || t > this.hooks.now() || this.hooks.loading) return false;
    if (this.hooks.expiryIsRemote) return true;
    this.delete(key);
    this.hooks.expired(this, key);
    return true;
  }

  // ---- iteration -----------------------------------------------------------

  /** All keys (including ones whose TTL passed but are not yet deleted). */
  keys(): IterableIterator<string> { return this.table.keys(); }

  /**
   * SCAN step: calls visit(key) for the live slots from `cursor` on, until
   * `count` keys were visited or 10 * count slots looked at (Redis's
   * maxiterations: a sparse table costs bounded work per call, possibly
   * returning no keys). Returns the next cursor, 0 when done. A key present
   * for the whole iteration keeps its slot, so it is visited exactly once.
   */
  scan(cursor: number, count: number, visit: (key: string) => void): number {
    const table = this.table;
    if (table.size === 0) return 0;
    const max = Math.max(count, 1);
    const top = table.top;
    const limit = Math.min(top, cursor + max * 10);
    let slot = cursor;
    let seen = 0;
    while (slot < limit) {
      const k = table.keyAt(slot);
      slot++;
      if (k !== undefined) { visit(k); if (++seen >= max) break; }
    }
    return slot >= top ? 0 : slot;
  }

  /** A random key (possibly expired), or undefined if empty. O(1) expected. */
  randomKey(): string | undefined {
    const table = this.table;
    if (table.size === 0) return undefined;
    for (let tries = 0; tries < 64; tries++) {
      const k = table.keyAt(Math.floor(Math.random() * table.top));
      if (k !== undefined) return k;
    }
    // sparse table: pick the n-th live key
    const n = Math.floor(Math.random() * table.size);
    let i = 0;
    for (const k of table.keys()) if (i++ === n) return k;
    return undefined;
  }
}
