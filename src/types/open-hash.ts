/*
 * The open-addressing hash index shared by the keyspace's KeyTable and the
 * big collections (MemberIndex, in SlotTable and ZBig): a keyed 32-bit
 * string hash, linear probing over one Int32Array of (hash, slot + 1) pairs
 * (slot + 1 === 0: empty bucket), and OpenIndex, which sizes and incrementally
 * resizes such an array. Each user probes with its own key store (the
 * comparison reads the key of a slot); the code here never does.
 *
 * Why typed arrays instead of a Map: a lookup reads one 8-byte pair and
 * touches the key only when the 32-bit hash matches, nothing is allocated per
 * entry, and the loads of many lookups can be issued together (warm-up
 * stages: see KeyTable.warm), which a Map's opaque call does not allow.
 */

/** the per-process random key of the hash (Redis seeds its SipHash the same way: dictSetHashFunctionSeed) */
const KEY = crypto.getRandomValues(new Int32Array(2));
const K0 = KEY[0]!;
const K1 = KEY[1]!;

/**
 * 32-bit hash of a string's char codes: HalfSipHash-1-3 (the keyed hash the
 * Linux kernel uses for its hash tables; Redis uses SipHash-1-2), with a
 * random per-process key, so keys that collide cannot be prepared to slow a
 * table down (murmur-style hashes have seed-independent multicollisions).
 * Measured as fast as murmur3 here (about 30 ns for a 16-byte key).
 */
export function hashKey(k: string): number {
  const n = k.length;
  let v0 = K0;
  let v1 = K1;
  let v2 = 0x6c796765 ^ K0;
  let v3 = 0x74656462 ^ K1;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const m = k.charCodeAt(i) | (k.charCodeAt(i + 1) << 8) | (k.charCodeAt(i + 2) << 16) | (k.charCodeAt(i + 3) << 24);
    v3 ^= m;
    // SIPROUND
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  let b = n << 24;
  if (i < n) {
    b |= k.charCodeAt(i);
    if (i + 1 < n) b |= k.charCodeAt(i + 1) << 8;
    if (i + 2 < n) b |= k.charCodeAt(i + 2) << 16;
  }
  v3 ^= b;
  v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
  v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
  v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= b;
  v2 ^= 0xff;
  for (let r = 0; r < 3; r++) {
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  }
  return v1 ^ v3;
}

/** Put (h, s1) in the first free bucket of h's probe run (the array must have one). */
function placeEntry(tab: Int32Array, mask: number, h: number, s1: number): void {
  let b = h & mask;
  while (tab[(b << 1) + 1] !== 0) b = (b + 1) & mask;
  tab[b << 1] = h;
  tab[(b << 1) + 1] = s1;
}

/** Empty bucket i and shift back the entries after it whose probe run passes through i (no tombstones). */
function unplaceEntry(tab: Int32Array, mask: number, i: number): void {
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

/**
 * The slot of the first live entry with hash h in its probe run (a candidate:
 * the caller compares keys), or -1. Tombstones (slot + 1 < 0, old arrays only)
 * are passed over.
 */
function firstWithHash(tab: Int32Array, mask: number, h: number): number {
  let b = h & mask;
  for (;;) {
    const s = tab[(b << 1) + 1]!;
    if (s === 0) return -1;
    if (s > 0 && tab[b << 1] === h) return s - 1;
    b = (b + 1) & mask;
  }
}

const MIN_CAP = 8;
/** index arrays of up to this many buckets resize at once */
const SYNC_RESIZE_CAP = 1 << 14;
/** old buckets moved per insert and remove during an incremental resize */
const STEP_BUCKETS = 16;
/** a moved or removed entry of the old array of an incremental resize (keeps its probe runs intact) */
const TOMB = -1;

/**
 * The (hash, slot) index and its resizing, shared by KeyTable (the keyspace)
 * and MemberIndex (big collections); each subclass probes with its own member
 * store. The array doubles when half full and halves below one eighth. Big
 * arrays resize incrementally, like Redis's rehash: entries move from the old
 * array to the new one a few buckets per insert or remove (and per rehash()
 * call from the server's cron), so no single command pays for moving millions
 * of them. Meanwhile lookups probe the new array, then the old one; inserts go
 * to the new one; a moved or removed old entry becomes a tombstone.
 */
export class OpenIndex {
  /** (hash, slot + 1) per bucket; slot + 1 === 0 marks an empty bucket */
  protected tab = new Int32Array(MIN_CAP * 2);
  protected mask = MIN_CAP - 1;
  /** the old array being emptied by an incremental resize (null when none), and the next bucket to move */
  protected old: Int32Array | null = null;
  protected oldMask = 0;
  private oldAt = 0;
  /** entries in the index */
  size = 0;

  /** syncResizeCap: arrays of up to this many buckets resize at once (tests pass a small one) */
  constructor(private readonly syncResizeCap = SYNC_RESIZE_CAP) {}

  /** True while an incremental resize is under way. */
  get resizing(): boolean { return this.old !== null; }

  /** Move up to `buckets` buckets of an incremental resize (the cron calls this); false when none is under way. */
  rehash(buckets: number): boolean {
    if (this.old === null) return false;
    this.step(buckets);
    return true;
  }

  /** Size the index for n entries at once (no doubling on the way). */
  reserve(n: number): void {
    this.finishResize();
    let cap = this.mask + 1;
    while (n * 2 > cap) cap *= 2;
    if (cap > this.mask + 1) this.resize(cap, true);
  }

  /** Enter a new entry: hash h for `slot`. */
  protected enter(h: number, slot: number): void {
    if (this.old !== null) this.step(STEP_BUCKETS);
    if ((this.size + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    placeEntry(this.tab, this.mask, h, slot + 1);
    this.size++;
  }

  /** Remove the entry in bucket b of the new array, or of the old one (inOld). */
  protected drop(b: number, inOld: boolean): void {
    if (inOld) this.old![(b << 1) + 1] = TOMB;
    else unplaceEntry(this.tab, this.mask, b);
    this.size--;
    const cap = this.mask + 1;
    if (this.old !== null) this.step(STEP_BUCKETS);
    else if (cap > MIN_CAP && this.size * 8 < cap) this.resize(cap >>> 1);
  }

  /** Empty the index. */
  protected resetIndex(): void {
    this.tab = new Int32Array(MIN_CAP * 2);
    this.mask = MIN_CAP - 1;
    this.old = null;
    this.size = 0;
  }

  /** Warm-up hint: the slot of the first live entry with hash h (new array, then old), -1 when none. */
  candidateSlot(h: number): number {
    const slot = firstWithHash(this.tab, this.mask, h);
    return slot >= 0 || this.old === null ? slot : firstWithHash(this.old, this.oldMask, h);
  }

  /** Switch to an array of `cap` buckets: small ones (or `now`) at once, big ones incrementally. */
  private resize(cap: number, now = false): void {
    this.finishResize();
    const old = this.tab;
    const oldMask = this.mask;
    this.tab = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.old = old;
    this.oldMask = oldMask;
    this.oldAt = 0;
    if (now || oldMask + 1 <= this.syncResizeCap) this.finishResize();
  }

  /** Move every remaining bucket of an incremental resize. */
  private finishResize(): void {
    if (this.old !== null) this.step(this.oldMask + 1);
  }

  /** Move the next `buckets` buckets of the old array to the new one; drop it when empty. */
  private step(buckets: number): void {
    const old = this.old!;
    const end = Math.min(this.oldMask + 1, this.oldAt + buckets);
    for (let b = this.oldAt; b < end; b++) {
      const s = old[(b << 1) + 1]!;
      if (s > 0) {
        placeEntry(this.tab, this.mask, old[b << 1]!, s);
        old[(b << 1) + 1] = TOMB;
      }
    }
    this.oldAt = end;
    if (end > this.oldMask) this.old = null;
  }
}

/**
 * A member -> slot index for the collections that keep their members in an
 * array by slot (SlotTable of big sets and hashes, ZBig of big sorted sets):
 * the owner passes that array to lookups, which compare members only on a
 * hash match. bucketOf's result (a bucket of the new array, or past it one of
 * the old array during a resize) stays valid until the next insert or remove.
 */
export class MemberIndex extends OpenIndex {
  /** The bucket of member k (hash h) given the members by slot, or -1. */
  bucketOf(k: string, h: number, members: ArrayLike<string | null | undefined>): number {
    const tab = this.tab;
    const mask = this.mask;
    let b = h & mask;
    for (;;) {
      const s = tab[(b << 1) + 1]!;
      if (s === 0) break;
      if (tab[b << 1] === h && members[s - 1] === k) return b;
      b = (b + 1) & mask;
    }
    const old = this.old;
    if (old === null) return -1;
    const omask = this.oldMask;
    b = h & omask;
    for (;;) {
      const s = old[(b << 1) + 1]!;
      if (s === 0) return -1;
      if (s > 0 && old[b << 1] === h && members[s - 1] === k) return mask + 1 + b;
      b = (b + 1) & omask;
    }
  }

  /** The slot of member k, or -1. */
  slotOf(k: string, members: ArrayLike<string | null | undefined>): number {
    const b = this.bucketOf(k, hashKey(k), members);
    return b < 0 ? -1 : this.slotAt(b);
  }

  /** The slot in a bucket found by bucketOf. */
  slotAt(b: number): number {
    const cap = this.mask + 1;
    return b < cap ? this.tab[(b << 1) + 1]! - 1 : this.old![((b - cap) << 1) + 1]! - 1;
  }

  /** Enter a new member (hash h) at `slot`. */
  insert(h: number, slot: number): void { this.enter(h, slot); }

  /** Remove the entry in bucket b (from bucketOf). */
  removeAt(b: number): void {
    const cap = this.mask + 1;
    if (b < cap) this.drop(b, false);
    else this.drop(b - cap, true);
  }

  /** Rebuild from members by slot (after the owner moved them), sized for them. */
  rebuild(members: ArrayLike<string | null | undefined>, top: number): void {
    let n = 0;
    for (let s = 0; s < top; s++) if (members[s] != null) n++;
    this.resetIndex();
    this.reserve(n);
    for (let s = 0; s < top; s++) {
      const k = members[s];
      if (k != null) this.enter(hashKey(k), s);
    }
  }
}
