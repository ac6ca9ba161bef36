/*
 * The pieces of an open-addressing hash index shared by the keyspace's
 * KeyTable and the SlotTable of big sets and hashes: a seeded 32-bit string
 * hash, and linear probing over one Int32Array of (hash, slot + 1) pairs
 * (slot + 1 === 0: empty bucket). Each user probes with its own key store
 * (the comparison reads the key of a slot); these functions never do.
 *
 * Why typed arrays instead of a Map: a lookup reads one 8-byte pair and
 * touches the key only when the 32-bit hash matches, nothing is allocated per
 * entry, and the loads of many lookups can be issued together (warm-up
 * stages: see KeyTable.warm), which a Map's opaque call does not allow.
 */

const SEED = (Math.random() * 0x100000000) | 0;

function mixBlock(b: number): number {
  b = Math.imul(b, 0xcc9e2d51);
  b = (b << 15) | (b >>> 17);
  return Math.imul(b, 0x1b873593);
}

/** 32-bit hash of a string's char codes (murmur3's mixing; seeded per process so colliding keys cannot be prepared offline). */
export function hashKey(k: string): number {
  const n = k.length;
  let h = SEED ^ n;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    h ^= mixBlock(k.charCodeAt(i) | (k.charCodeAt(i + 1) << 8) | (k.charCodeAt(i + 2) << 16) | (k.charCodeAt(i + 3) << 24));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let b = k.charCodeAt(i);
    if (i + 1 < n) b |= k.charCodeAt(i + 1) << 8;
    if (i + 2 < n) b |= k.charCodeAt(i + 2) << 16;
    h ^= mixBlock(b);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Put (h, s1) in the first free bucket of h's probe run (the array must have one). */
export function placeEntry(tab: Int32Array, mask: number, h: number, s1: number): void {
  let b = h & mask;
  while (tab[(b << 1) + 1] !== 0) b = (b + 1) & mask;
  tab[b << 1] = h;
  tab[(b << 1) + 1] = s1;
}

/** Empty bucket i and shift back the entries after it whose probe run passes through i (no tombstones). */
export function unplaceEntry(tab: Int32Array, mask: number, i: number): void {
  let j = i;
  for (;;) {
    j = (j + 1) & mask;
    const s = tab[(j << 1) + 1]!;
    if (s === 0) break;
    const ideal = tab[j << 1]! & mask;
    // the entry at j may move to i when its ideal bucket is not cyclically in (i, j]
    const movable = i <= j ? (ideal <= i || ideal > j) : (ideal <= i && ideal > j);
    if (movable) {
      tab[i << 1] = tab[j << 1]!;
      tab[(i << 1) + 1] = s;
      i = j;
    }
  }
  tab[i << 1] = 0;
  tab[(i << 1) + 1] = 0;
}

/** The slot of the first entry with hash h in its probe run (a candidate: the caller compares keys), or -1. */
export function firstWithHash(tab: Int32Array, mask: number, h: number): number {
  let b = h & mask;
  for (;;) {
    const s = tab[(b << 1) + 1]!;
    if (s === 0) return -1;
    if (tab[b << 1] === h) return s - 1;
    b = (b + 1) & mask;
  }
}

const MIN_CAP = 8;

/**
 * A member -> slot index for the collections that keep their members in an
 * array by slot (SlotTable of big sets and hashes, ZBig of big sorted sets):
 * the owner passes that array to lookups, which compare members only on a
 * hash match. Doubles when half full, halves below one eighth (entries keep
 * their hashes, so resizing reads no member).
 */
export class MemberIndex {
  private tab = new Int32Array(MIN_CAP * 2);
  private mask = MIN_CAP - 1;
  /** members in the index */
  size = 0;

  /** The bucket of member k (hash h) given the members by slot, or -1. */
  bucketOf(k: string, h: number, members: ArrayLike<string | null | undefined>): number {
    const tab = this.tab;
    const mask = this.mask;
    let b = h & mask;
    for (;;) {
      const s = tab[(b << 1) + 1]!;
      if (s === 0) return -1;
      if (tab[b << 1] === h && members[s - 1] === k) return b;
      b = (b + 1) & mask;
    }
  }

  /** The slot of member k, or -1. */
  slotOf(k: string, members: ArrayLike<string | null | undefined>): number {
    const b = this.bucketOf(k, hashKey(k), members);
    return b < 0 ? -1 : this.tab[(b << 1) + 1]! - 1;
  }

  /** The slot in a bucket found by bucketOf. */
  slotAt(b: number): number { return this.tab[(b << 1) + 1]! - 1; }

  /** Enter a new member (hash h) at `slot`. */
  insert(h: number, slot: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    placeEntry(this.tab, this.mask, h, slot + 1);
    this.size++;
  }

  /** Remove the entry in bucket b (from bucketOf). */
  removeAt(b: number): void {
    unplaceEntry(this.tab, this.mask, b);
    this.size--;
    const cap = this.mask + 1;
    if (cap > MIN_CAP && this.size * 8 < cap) this.resize(cap >>> 1);
  }

  /** Rebuild from members by slot (after the owner moved them), sized for them. */
  rebuild(members: ArrayLike<string | null | undefined>, top: number): void {
    let n = 0;
    for (let s = 0; s < top; s++) if (members[s] != null) n++;
    let cap = MIN_CAP;
    while (n * 2 > cap) cap *= 2;
    this.tab = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.size = 0;
    for (let s = 0; s < top; s++) {
      const k = members[s];
      if (k != null) { placeEntry(this.tab, this.mask, hashKey(k), s + 1); this.size++; }
    }
  }

  /** Warm-up hint: the slot of the first entry with hash h (loading its bucket), -1 when none. */
  candidate(h: number): number { return firstWithHash(this.tab, this.mask, h); }

  private resize(cap: number): void {
    const old = this.tab;
    this.tab = new Int32Array(cap * 2);
    this.mask = cap - 1;
    for (let b = 0; b < old.length; b += 2) {
      const s = old[b + 1]!;
      if (s !== 0) placeEntry(this.tab, this.mask, old[b]!, s);
    }
  }
}
