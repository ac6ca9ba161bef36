/*
 * A Map that holds more than V8's 2^24-entry limit by chaining Maps.
 *
 * The first Map takes every entry until it is nearly full; later Maps take the
 * overflow. The common case (one Map) costs one extra field read per call.
 * Iteration visits the Maps in order; a live iterator sees entries added to a
 * later Map during iteration, like a plain Map does.
 */
const PART_LIMIT = (1 << 24) - 1024;

export class BigMap<K, V> {
  private first = new Map<K, V>();
  private rest: Map<K, V>[] | null = null;

  /** partLimit: entries per Map before chaining (injectable so tests can chain small Maps) */
  constructor(private readonly partLimit = PART_LIMIT) {}

  /** changes identity when clear() drops the contents (live iterators of the old contents are stale) */
  get generation(): object { return this.first; }

  get size(): number {
    if (this.rest === null) return this.first.size;
    let n = this.first.size;
    for (const m of this.rest) n += m.size;
    return n;
  }

  get(k: K): V | undefined {
    const v = this.first.get(k);
    if (v !== undefined || this.rest === null) return v;
    for (const m of this.rest) {
      const w = m.get(k);
      if (w !== undefined) return w;
    }
    return undefined;
  }

  has(k: K): boolean {
    if (this.first.has(k)) return true;
    if (this.rest === null) return false;
    for (const m of this.rest) if (m.has(k)) return true;
    return false;
  }

  set(k: K, v: V): this {
    if (this.rest === null) {
      if (this.first.size < this.partLimit || this.first.has(k)) { this.first.set(k, v); return this; }
      this.rest = [];
    } else if (this.first.has(k)) {
      this.first.set(k, v);
      return this;
    }
    for (const m of this.rest) if (m.has(k)) { m.set(k, v); return this; }
    if (this.first.size < this.partLimit) { this.first.set(k, v); return this; }
    for (const m of this.rest) if (m.size < this.partLimit) { m.set(k, v); return this; }
    const m = new Map<K, V>();
    m.set(k, v);
    this.rest.push(m);
    return this;
  }

  delete(k: K): boolean {
    if (this.first.delete(k)) return true;
    if (this.rest === null) return false;
    for (const m of this.rest) if (m.delete(k)) return true;
    return false;
  }

  clear(): void {
    this.first = new Map();
    this.rest = null;
  }

  *entries(): Generator<[K, V]> {
    yield* this.first.entries();
    if (this.rest !== null) for (const m of this.rest) yield* m.entries();
  }

  *keys(): Generator<K> {
    yield* this.first.keys();
    if (this.rest !== null) for (const m of this.rest) yield* m.keys();
  }

  [Symbol.iterator](): Generator<[K, V]> { return this.entries(); }
}
