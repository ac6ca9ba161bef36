/*
 * The large sorted-set representation (Redis's "skiplist" encoding): an
 * order-statistic B+tree over element slots, plus a member -> slot index
 * (types/open-hash.ts MemberIndex).
 *
 * Slots: every element lives in a slot (member in `mem`, score in the
 * Float64Array `sc`); freed slots are reused. An element keeps its slot for
 * as long as it exists (a score update keeps it too), so ZSCAN walks slots
 * upward and returns every element present for the whole iteration.
 *
 * Tree: leaves hold slot numbers in (score, member) order, with the scores
 * copied alongside so searches stay in the leaf's memory (members compare as
 * byte strings, i.e. JS code-unit order on latin1 strings; -0 equals 0 as in
 * C); inner nodes hold their children, each child's element count and a
 * separator key per child (index >= 1): every key in child i is >= sep[i] and
 * < sep[i+1]. Separators are copies (score, member), never slots, so they stay
 * valid lower bounds after deletions. Leaves are doubly linked for range walks.
 * Rank, lookup by rank and predicate lower bounds are O(log n); inserting and
 * deleting are O(log n) plus an array splice within one node (<= 64 entries).
 * Underfull nodes merge with a neighbour when the two fit in one node.
 */

import { MemberIndex, hashKey } from './open-hash.js';

const LEAF_MAX = 64;
const INNER_MAX = 64;
const LEAF_MIN = LEAF_MAX >> 2;
const INNER_MIN = INNER_MAX >> 2;
const BULK_FILL = 48;

/** a.splice(j, 0, v) without the array of removed elements splice returns (a ZADD made two per new member) */
function insertAt(a: number[], j: number, v: number): void {
  let i = a.length;
  a.push(v);
  for (; i > j; i--) a[i] = a[i - 1]!;
  a[j] = v;
}

/** a.splice(j, 1), allocating nothing */
function removeAt(a: number[], j: number): void {
  const n = a.length - 1;
  for (let i = j; i < n; i++) a[i] = a[i + 1]!;
  a.pop();
}

/** A leaf: slots in order and their scores alongside (searches stay within the leaf's memory). */
class Leaf {
  next: Leaf | null = null;
  prev: Leaf | null = null;
  constructor(public s: number[], public k: number[]) {}
}

class Inner {
  constructor(
    public kids: Node[],
    public cnt: number[],
    public ks: number[],
    public km: string[],
  ) {}
}

type Node = Leaf | Inner;

/** A position found by locate(): leaf and index (module scratch, read at once). */
let locLeaf: Leaf | null = null;
let locIdx = 0;
/** separator of the right node produced by the last split */
let sepS = 0;
let sepM = '';

/** A "before" predicate over keys: true on a prefix of the (score, member) order. */
export type Before = (score: number, member: string) => boolean;

export class ZBig {
  /** member -> slot */
  private readonly dict = new MemberIndex();
  /** slot -> member (null when free) */
  mem: (string | null)[] = [];
  /** slot -> score */
  sc: Float64Array = new Float64Array(16);
  private free: number[] = [];
  private root: Node = new Leaf([], []);
  private height = 0;

  get size(): number { return this.dict.size; }

  /** The score of member, or undefined. */
  score(m: string): number | undefined {
    const s = this.dict.slotOf(m, this.mem);
    return s < 0 ? undefined : this.sc[s];
  }

  /** Warm-up hint (slot-table.ts warmMembers): the candidate slot for hash h, -1 when none. */
  warmHint(h: number): number { return this.dict.candidateSlot(h); }

  /** Warm-up load: the member and score in a slot. */
  warmLoad(s: number): number {
    const m = this.mem[s];
    return (m == null ? 0 : m.length) + (this.sc[s]! > 0 ? 1 : 0);
  }

  /** Add an absent member. */
  insert(m: string, score: number): void {
    const slot = this.alloc(m, score);
    this.treeInsert(slot, score, m);
  }

  /** Remove member; false when absent. */
  remove(m: string): boolean {
    const b = this.dict.bucketOf(m, hashKey(m), this.mem);
    if (b < 0) return false;
    const slot = this.dict.slotAt(b);
    this.treeRemove(this.sc[slot]!, m);
    this.dict.removeAt(b);
    this.mem[slot] = null;
    this.free.push(slot);
    return true;
  }

  /** Change the score of an existing member (keeps its slot). */
  setScore(m: string, score: number): void {
    const slot = this.dict.slotOf(m, this.mem);
    const old = this.sc[slot]!;
    if (old === score) { this.sc[slot] = score; return; }
    this.treeRemove(old, m);
    this.sc[slot] = score;
    this.treeInsert(slot, score, m);
  }

  /** 0-based rank of member in ascending order, -1 when absent. */
  rank(m: string): number {
    const slot = this.dict.slotOf(m, this.mem);
    if (slot < 0) return -1;
    const s = this.sc[slot]!;
    let node = this.root;
    let rank = 0;
    for (let h = this.height; h > 0; h--) {
      const n = node as Inner;
      const idx = childLE(n, s, m);
      const cnt = n.cnt;
      for (let i = 0; i < idx; i++) rank += cnt[i]!;
      node = n.kids[idx]!;
    }
    return rank + this.leafLower(node as Leaf, s, m);
  }

  /** Number of elements for which before(score, member) holds (they form a prefix). */
  countBefore(before: Before): number {
    let node = this.root;
    let rank = 0;
    for (let h = this.height; h > 0; h--) {
      const n = node as Inner;
      let lo = 1;
      let hi = n.kids.length - 1;
      let idx = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (before(n.ks[mid]!, n.km[mid]!)) { idx = mid; lo = mid + 1; } else hi = mid - 1;
      }
      const cnt = n.cnt;
      for (let i = 0; i < idx; i++) rank += cnt[i]!;
      node = n.kids[idx]!;
    }
    const s = (node as Leaf).s;
    const k = (node as Leaf).k;
    const mem = this.mem;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(k[mid]!, mem[s[mid]!]!)) lo = mid + 1; else hi = mid;
    }
    return rank + lo;
  }

  /** Number of elements with score < v (or <= v when ex): countBefore on scores alone. */
  countScoreBelow(v: number, ex: boolean): number {
    let node = this.root;
    let rank = 0;
    for (let h = this.height; h > 0; h--) {
      const n = node as Inner;
      const ks = n.ks;
      let lo = 1;
      let hi = n.kids.length - 1;
      let idx = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const x = ks[mid]!;
        if (x < v || (ex && x === v)) { idx = mid; lo = mid + 1; } else hi = mid - 1;
      }
      const cnt = n.cnt;
      for (let i = 0; i < idx; i++) rank += cnt[i]!;
      node = n.kids[idx]!;
    }
    const k = (node as Leaf).k;
    let lo = 0;
    let hi = k.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = k[mid]!;
      if (x < v || (ex && x === v)) lo = mid + 1; else hi = mid;
    }
    return rank + lo;
  }

  /**
   * Visit n elements from rank `from` (0-based), ascending, or descending when
   * rev (from, from-1, ...). The callback must not modify the set.
   */
  each(from: number, n: number, rev: boolean, cb: (member: string, score: number) => void): void {
    if (n <= 0 || from < 0 || from >= this.size) return;
    this.locate(from);
    let leaf = locLeaf!;
    let i = locIdx;
    const mem = this.mem;
    while (n-- > 0) {
      cb(mem[leaf.s[i]!]!, leaf.k[i]!);
      if (rev) {
        while (--i < 0) { const p = leaf.prev; if (!p) return; leaf = p; i = leaf.s.length; }
      } else {
        while (++i >= leaf.s.length) { const nx = leaf.next; if (!nx) return; leaf = nx; i = -1; }
      }
    }
  }

  /**
   * The entries at ranks [from, from + n) in order, copied into scores[0 ...] and members[0 ...] (each with room
   * for n); the number copied. For loops over many entries (GEOSEARCH's cells): no call per entry, and so no score
   * boxed to cross one.
   */
  rangeInto(from: number, n: number, scores: Float64Array, members: string[]): number {
    if (n <= 0 || from < 0 || from >= this.size) return 0;
    this.locate(from);
    let leaf = locLeaf!;
    let i = locIdx;
    const mem = this.mem;
    let k = 0;
    while (k < n) {
      scores[k] = leaf.k[i]!;
      members[k] = mem[leaf.s[i]!]!;
      k++;
      while (++i >= leaf.s.length) { const nx = leaf.next; if (!nx) return k; leaf = nx; i = -1; }
    }
    return k;
  }

  /** Member at rank (0-based, must be in range). */
  memberAt(rank: number): string {
    this.locate(rank);
    return this.mem[locLeaf!.s[locIdx]!]!;
  }

  /** Remove ranks [a, b] (0-based, inclusive, in range); returns the removed members in order. */
  removeRanks(a: number, b: number): string[] {
    const out: string[] = [];
    this.each(a, b - a + 1, false, (m) => { out.push(m); });
    for (let i = 0; i < out.length; i++) this.remove(out[i]!);
    return out;
  }

  /**
   * One ZSCAN step: visit live slots from cursor until `count` were seen (or
   * 10 * count slots were looked at); returns the next cursor, 0 at the end.
   */
  scan(cursor: number, count: number, cb: (member: string, score: number) => void): number {
    const mem = this.mem;
    const top = mem.length;
    let seen = 0;
    let looked = 0;
    let i = cursor;
    for (; i < top && seen < count && looked < count * 10; i++, looked++) {
      const m = mem[i];
      if (m === null || m === undefined) continue;
      cb(m, this.sc[i]!);
      seen++;
    }
    return i >= top ? 0 : i;
  }

  /** Build from elements already in (score, member) order, members unique. */
  static fromSorted(members: readonly string[], scores: ArrayLike<number>): ZBig {
    const z = new ZBig();
    const n = members.length;
    let cap = 16;
    while (cap < n) cap *= 2;
    z.sc = new Float64Array(cap);
    const mem: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const m = members[i]!;
      mem[i] = m;
      z.sc[i] = scores[i]!;
    }
    z.mem = mem;
    z.dict.rebuild(mem, n);
    if (n === 0) return z;
    // leaves
    let level: Node[] = [];
    let prev: Leaf | null = null;
    for (let i = 0; i < n; i += BULK_FILL) {
      const s: number[] = [];
      const k: number[] = [];
      for (let j = i; j < n && j < i + BULK_FILL; j++) { s.push(j); k.push(z.sc[j]!); }
      const leaf = new Leaf(s, k);
      leaf.prev = prev;
      if (prev) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
    }
    let h = 0;
    const firstKey = (node: Node): [number, string] => {
      while (!(node instanceof Leaf)) node = node.kids[0]!;
      const x = node.s[0]!;
      return [z.sc[x]!, mem[x]!];
    };
    while (level.length > 1) {
      const up: Node[] = [];
      for (let i = 0; i < level.length; i += BULK_FILL) {
        const kids = level.slice(i, i + BULK_FILL);
        const cnt = kids.map(countOf);
        const ks: number[] = [];
        const km: string[] = [];
        for (const k of kids) { const [s, m] = firstKey(k); ks.push(s); km.push(m); }
        up.push(new Inner(kids, cnt, ks, km));
      }
      level = up;
      h++;
    }
    z.root = level[0]!;
    z.height = h;
    return z;
  }

  /** Internal consistency check (tests): counts, order, links, separators. */
  check(): void {
    const keys: number[] = [];
    const walk = (node: Node, h: number, lo: [number, string] | null, hi: [number, string] | null): number => {
      if (h === 0) {
        const leaf = node as Leaf;
        if (leaf.k.length !== leaf.s.length) throw new Error('leaf arrays');
        for (let i = 0; i < leaf.s.length; i++) {
          const x = leaf.s[i]!;
          if (!Object.is(leaf.k[i], this.sc[x])) throw new Error('leaf score');
          const key: [number, string] = [this.sc[x]!, this.mem[x]!];
          if (lo && keyLess(key[0], key[1], lo[0], lo[1])) throw new Error('key below separator');
          if (hi && !keyLess(key[0], key[1], hi[0], hi[1])) throw new Error('key above separator');
          keys.push(x);
        }
        return leaf.s.length;
      }
      const n = node as Inner;
      if (n.kids.length === 0) throw new Error('empty inner');
      let total = 0;
      for (let i = 0; i < n.kids.length; i++) {
        const klo: [number, string] | null = i === 0 ? lo : [n.ks[i]!, n.km[i]!];
        const khi: [number, string] | null = i + 1 < n.kids.length ? [n.ks[i + 1]!, n.km[i + 1]!] : hi;
        const c = walk(n.kids[i]!, h - 1, klo, khi);
        if (c !== n.cnt[i]) throw new Error(`count mismatch ${c} vs ${n.cnt[i]}`);
        total += c;
      }
      return total;
    };
    const total = walk(this.root, this.height, null, null);
    if (total !== this.size) throw new Error(`size mismatch ${total} vs ${this.size}`);
    for (let i = 1; i < keys.length; i++) {
      const a = keys[i - 1]!;
      const b = keys[i]!;
      if (!keyLess(this.sc[a]!, this.mem[a]!, this.sc[b]!, this.mem[b]!)) throw new Error('order');
    }
    // leaf links: walk forward from rank 0 must give the same sequence
    if (this.size > 0) {
      this.locate(0);
      let leaf: Leaf | null = locLeaf;
      let k = 0;
      let last: Leaf | null = null;
      while (leaf) { for (const x of leaf.s) if (keys[k++] !== x) throw new Error('link order'); last = leaf; leaf = leaf.next; }
      if (k !== keys.length) throw new Error('link count');
      let back = 0;
      for (let l: Leaf | null = last; l; l = l.prev) back += l.s.length;
      if (back !== keys.length) throw new Error('back links');
    }
    let live = 0;
    for (let slot = 0; slot < this.mem.length; slot++) {
      const m = this.mem[slot];
      if (m == null) continue;
      live++;
      if (this.dict.slotOf(m, this.mem) !== slot) throw new Error('dict slot');
    }
    if (live !== this.dict.size) throw new Error('dict size');
  }

  // ---- internals -------------------------------------------------------------

  private alloc(m: string, score: number): number {
    let slot: number;
    if (this.free.length > 0) slot = this.free.pop()!;
    else {
      slot = this.mem.length;
      this.mem.push(null);
      if (slot >= this.sc.length) {
        const bigger = new Float64Array(this.sc.length * 2);
        bigger.set(this.sc);
        this.sc = bigger;
      }
    }
    this.mem[slot] = m;
    this.sc[slot] = score;
    this.dict.insert(hashKey(m), slot);
    return slot;
  }

  /** Index of the first element of the leaf whose key is >= (score, m). */
  private leafLower(leaf: Leaf, score: number, m: string): number {
    const k = leaf.k;
    let lo = 0;
    let hi = k.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const xs = k[mid]!;
      if (xs < score || (xs === score && this.mem[leaf.s[mid]!]! < m)) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Leaf and index of rank (in range) into locLeaf / locIdx. */
  private locate(rank: number): void {
    let node = this.root;
    for (let h = this.height; h > 0; h--) {
      const n = node as Inner;
      const cnt = n.cnt;
      let i = 0;
      while (i < cnt.length - 1 && rank >= cnt[i]!) { rank -= cnt[i]!; i++; }
      node = n.kids[i]!;
    }
    locLeaf = node as Leaf;
    locIdx = rank;
  }

  private treeInsert(slot: number, score: number, m: string): void {
    const split = this.ins(this.root, this.height, slot, score, m);
    if (split) {
      const old = this.root;
      this.root = new Inner([old, split], [countOf(old), countOf(split)], [0, sepS], ['', sepM]);
      this.height++;
    }
  }

  private ins(node: Node, h: number, slot: number, score: number, m: string): Node | null {
    if (h === 0) {
      const leaf = node as Leaf;
      const j = this.leafLower(leaf, score, m);
      insertAt(leaf.s, j, slot);
      insertAt(leaf.k, j, score);
      if (leaf.s.length <= LEAF_MAX) return null;
      const half = leaf.s.length >> 1;
      const right = new Leaf(leaf.s.slice(half), leaf.k.slice(half));
      leaf.s = leaf.s.slice(0, half);
      leaf.k = leaf.k.slice(0, half);
      right.next = leaf.next;
      if (right.next) right.next.prev = right;
      right.prev = leaf;
      leaf.next = right;
      sepS = right.k[0]!;
      sepM = this.mem[right.s[0]!]!;
      return right;
    }
    const n = node as Inner;
    const idx = childLE(n, score, m);
    n.cnt[idx]!++;
    const split = this.ins(n.kids[idx]!, h - 1, slot, score, m);
    if (!split) return null;
    n.cnt[idx] = countOf(n.kids[idx]!);
    n.kids.splice(idx + 1, 0, split);
    n.cnt.splice(idx + 1, 0, countOf(split));
    n.ks.splice(idx + 1, 0, sepS);
    n.km.splice(idx + 1, 0, sepM);
    if (n.kids.length <= INNER_MAX) return null;
    const half = n.kids.length >> 1;
    const right = new Inner(n.kids.slice(half), n.cnt.slice(half), n.ks.slice(half), n.km.slice(half));
    n.kids = n.kids.slice(0, half);
    n.cnt = n.cnt.slice(0, half);
    n.ks = n.ks.slice(0, half);
    n.km = n.km.slice(0, half);
    sepS = right.ks[0]!;
    sepM = right.km[0]!;
    return right;
  }

  private treeRemove(score: number, m: string): void {
    this.rem(this.root, this.height, score, m);
    while (this.height > 0 && (this.root as Inner).kids.length === 1) {
      this.root = (this.root as Inner).kids[0]!;
      this.height--;
    }
  }

  private rem(node: Node, h: number, score: number, m: string): void {
    if (h === 0) {
      const leaf = node as Leaf;
      const j = this.leafLower(leaf, score, m);
      removeAt(leaf.s, j);
      removeAt(leaf.k, j);
      return;
    }
    const n = node as Inner;
    const idx = childLE(n, score, m);
    n.cnt[idx]!--;
    const kid = n.kids[idx]!;
    this.rem(kid, h - 1, score, m);
    if (h === 1) {
      const leaf = kid as Leaf;
      const len = leaf.s.length;
      if (len === 0 && n.kids.length > 1) {
        if (leaf.prev) leaf.prev.next = leaf.next;
        if (leaf.next) leaf.next.prev = leaf.prev;
        dropKid(n, idx);
        return;
      }
      if (len >= LEAF_MIN || n.kids.length === 1) return;
      const li = idx + 1 < n.kids.length ? idx : idx - 1;
      const left = n.kids[li] as Leaf;
      const right = n.kids[li + 1] as Leaf;
      if (left.s.length + right.s.length > LEAF_MAX) return;
      left.s = left.s.concat(right.s);
      left.k = left.k.concat(right.k);
      left.next = right.next;
      if (right.next) right.next.prev = left;
      n.cnt[li] = left.s.length;
      dropKid(n, li + 1);
      return;
    }
    const inner = kid as Inner;
    if (inner.kids.length >= INNER_MIN || n.kids.length === 1) return;
    const li = idx + 1 < n.kids.length ? idx : idx - 1;
    const left = n.kids[li] as Inner;
    const right = n.kids[li + 1] as Inner;
    if (left.kids.length + right.kids.length > INNER_MAX) return;
    left.kids = left.kids.concat(right.kids);
    left.cnt = left.cnt.concat(right.cnt);
    right.ks[0] = n.ks[li + 1]!;
    right.km[0] = n.km[li + 1]!;
    left.ks = left.ks.concat(right.ks);
    left.km = left.km.concat(right.km);
    n.cnt[li] = n.cnt[li]! + n.cnt[li + 1]!;
    dropKid(n, li + 1);
  }
}

function keyLess(as: number, am: string, bs: number, bm: string): boolean {
  return as < bs || (as === bs && am < bm);
}

/** Index of the child whose range holds key (score, m): the last i >= 1 with sep[i] <= key, else 0. */
function childLE(n: Inner, score: number, m: string): number {
  const ks = n.ks;
  const km = n.km;
  let lo = 1;
  let hi = n.kids.length - 1;
  let idx = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = ks[mid]!;
    if (s < score || (s === score && km[mid]! <= m)) { idx = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return idx;
}

function dropKid(n: Inner, i: number): void {
  n.kids.splice(i, 1);
  n.cnt.splice(i, 1);
  n.ks.splice(i, 1);
  n.km.splice(i, 1);
}

function countOf(node: Node): number {
  if (node instanceof Leaf) return node.s.length;
  let t = 0;
  const c = node.cnt;
  for (let i = 0; i < c.length; i++) t += c[i]!;
  return t;
}
