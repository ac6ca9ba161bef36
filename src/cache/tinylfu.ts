/*
 * The L1 store: a size-bounded map with W-TinyLFU admission, after Caffeine
 * (ben-manes/caffeine, "TinyLFU: A Highly Efficient Cache Admission Policy",
 * Einziger, Friedman, Manes) — read, not copied.
 *
 *   window LRU (1%) --evicts candidate--> admission: freq(candidate) > freq(victim)?
 *                                          |yes                      |no
 *                     main SLRU: probation (20%) <-> protected (80%)   candidate dropped
 *
 * Frequencies come from a count-min sketch of 4 rows of saturating 4-bit
 * counters (one byte each here, capped at 15), aged by halving every counter
 * once 10 × capacity accesses were recorded, so yesterday's hot keys fade.
 *
 * Invariants:
 * - size() ≤ capacity after every set(); each key is in exactly one of the three lists.
 * - A node keeps the key's hash, so a hit never rehashes the key.
 * - Accesses are recorded for misses too (get() of an absent key), so a key
 *   that is asked for often earns admission.
 *
 * Also here: a plain LRU of the same interface, the baseline of the hit-ratio test.
 */

// ---------------------------------------------------------------- hashing

/** 32-bit FNV-1a of a string's UTF-16 code units, then a murmur3 finaliser. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------- count-min sketch

export class FrequencySketch {
  private readonly table: Uint8Array;
  private readonly mask: number;
  private additions = 0;
  private readonly sampleSize: number;

  constructor(capacity: number) {
    let width = 16;
    while (width < capacity) width *= 2;
    this.mask = width - 1;
    this.table = new Uint8Array(width * 4);
    this.sampleSize = Math.max(10 * capacity, 160);
  }

  private index(h: number, row: number): number {
    // Each row re-mixes the hash with its own odd constant.
    let x = Math.imul(h ^ (row * 0x9e3779b9), 0x85ebca6b);
    x ^= x >>> 15;
    return row * (this.mask + 1) + (x & this.mask);
  }

  frequency(h: number): number {
    let f = 15;
    for (let r = 0; r < 4; r++) { const c = this.table[this.index(h, r)]!; if (c < f) f = c; }
    return f;
  }

  increment(h: number): void {
    let added = false;
    for (let r = 0; r < 4; r++) {
      const i = this.index(h, r);
      if (this.table[i]! < 15) { this.table[i]!++; added = true; }
    }
    if (added && ++this.additions >= this.sampleSize) this.reset();
  }

  /** Aging: halve every counter. */
  private reset(): void {
    const t = this.table;
    for (let i = 0; i < t.length; i++) t[i] = t[i]! >>> 1;
    this.additions = this.additions >>> 1;
  }
}

// ---------------------------------------------------------------- intrusive lists

const WINDOW = 0, PROBATION = 1, PROTECTED = 2;

interface Node<V> {
  key: string;
  value: V;
  hash: number;
  where: number;
  prev: Node<V> | null;
  next: Node<V> | null;
}

/** A doubly linked list, head = least recently used. */
class List<V> {
  head: Node<V> | null = null;
  tail: Node<V> | null = null;
  size = 0;
  push(n: Node<V>): void {
    n.prev = this.tail; n.next = null;
    if (this.tail) this.tail.next = n; else this.head = n;
    this.tail = n; this.size++;
  }
  remove(n: Node<V>): void {
    if (n.prev) n.prev.next = n.next; else this.head = n.next;
    if (n.next) n.next.prev = n.prev; else this.tail = n.prev;
    n.prev = n.next = null; this.size--;
  }
  touch(n: Node<V>): void {
    if (this.tail === n) return;
    this.remove(n); this.push(n);
  }
}

export interface BoundedStore<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): boolean;
  clear(): void;
  size(): number;
}

// ---------------------------------------------------------------- W-TinyLFU

export class WTinyLfu<V> implements BoundedStore<V> {
  private readonly map = new Map<string, Node<V>>();
  private readonly lists = [new List<V>(), new List<V>(), new List<V>()] as const;
  private readonly windowMax: number;
  private readonly protectedMax: number;
  private readonly mainMax: number;
  readonly sketch: FrequencySketch;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('L1 capacity must be at least 1');
    this.windowMax = Math.max(1, Math.round(capacity * 0.01));
    this.mainMax = Math.max(1, capacity - this.windowMax);
    this.protectedMax = Math.max(1, Math.floor(this.mainMax * 0.8));
    this.sketch = new FrequencySketch(capacity);
  }

  size(): number { return this.map.size; }

  /** The value without recording an access. */
  peek(key: string): V | undefined { return this.map.get(key)?.value; }

  get(key: string): V | undefined {
    const n = this.map.get(key);
    if (n === undefined) { this.sketch.increment(hashString(key)); return undefined; }
    this.sketch.increment(n.hash);
    this.onHit(n);
    return n.value;
  }

  private onHit(n: Node<V>): void {
    const [window, probation, prot] = this.lists;
    if (n.where === WINDOW) window.touch(n);
    else if (n.where === PROTECTED) prot.touch(n);
    else {
      probation.remove(n); n.where = PROTECTED; prot.push(n);
      if (prot.size > this.protectedMax) {
        const d = prot.head!; prot.remove(d); d.where = PROBATION; probation.push(d);
      }
    }
  }

  set(key: string, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) { old.value = value; this.onHit(old); return; }
    const n: Node<V> = { key, value, hash: hashString(key), where: WINDOW, prev: null, next: null };
    this.map.set(key, n);
    const [window, probation, prot] = this.lists;
    window.push(n);
    if (window.size <= this.windowMax) return;
    const cand = window.head!;
    window.remove(cand);
    cand.where = PROBATION;
    if (probation.size + prot.size < this.mainMax) { probation.push(cand); return; }
    const victim = probation.head ?? prot.head!;
    const fc = this.sketch.frequency(cand.hash), fv = this.sketch.frequency(victim.hash);
    // Caffeine admits a warm candidate against a stronger victim now and then
    // (about 1 in 128), so an attacker cannot pin the victim with hash collisions.
    if (fc > fv || (fc >= 6 && (Math.random() * 128) < 1)) {
      this.evict(victim);
      probation.push(cand);
    } else {
      this.map.delete(cand.key);
    }
  }

  private evict(n: Node<V>): void {
    this.lists[n.where].remove(n);
    this.map.delete(n.key);
  }

  delete(key: string): boolean {
    const n = this.map.get(key);
    if (n === undefined) return false;
    this.evict(n);
    return true;
  }

  clear(): void {
    this.map.clear();
    for (const l of this.lists) { l.head = l.tail = null; l.size = 0; }
  }

  keys(): IterableIterator<string> { return this.map.keys(); }

  entries(): Array<[string, V]> { return [...this.map.values()].map((n) => [n.key, n.value]); }

  /** The n resident keys with the highest sketch frequency, hottest first. */
  hottest(count: number): string[] {
    const all = [...this.map.values()].map((n) => ({ k: n.key, f: this.sketch.frequency(n.hash), p: n.where }));
    all.sort((a, b) => b.f - a.f || b.p - a.p);
    return all.slice(0, count).map((x) => x.k);
  }
}

// ---------------------------------------------------------------- plain LRU (baseline)

export class Lru<V> implements BoundedStore<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly capacity: number) {}
  size(): number { return this.map.size; }
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) { this.map.delete(key); this.map.set(key, v); }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): boolean { return this.map.delete(key); }
  clear(): void { this.map.clear(); }
}
