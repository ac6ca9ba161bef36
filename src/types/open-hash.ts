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
