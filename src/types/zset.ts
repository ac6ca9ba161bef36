/*
 * The sorted set value (Redis's t_zset.c data side), in two encodings:
 *
 * "listpack" (small sets, up to zset-max-listpack-entries elements of at most
 * zset-max-listpack-value bytes): the members packed back to back in ONE
 * latin1 string (src/types/listpack.ts entry format), in (score, member)
 * order, and their scores in a plain JS number array aligned with it (V8
 * keeps it unboxed: 8 bytes a score, exact, nothing to parse). As in Redis's
 * listpack (where -0 is stored as the integer 0) -0 becomes 0 there; the
 * skiplist keeps -0.
 * Every change builds a new flat string and a new exactly-sized array.
 *
 * "skiplist" (everything else): ZBig (src/types/zset-big.ts), a member ->
 * slot index and an order-statistic B+tree, O(log n) rank and range operations.
 *
 * Conversion only goes up (listpack -> skiplist), when an insertion would
 * exceed the limits; the store commands build their result and then pick the
 * encoding like zsetConvertToListpackIfNeeded.
 *
 * Ranks are 0-based in ascending order. Members compare as byte strings
 * (JS code-unit order on latin1 strings), scores as C doubles (-0 == 0).
 */
import type { TypedValue } from './value.js';
import { ZBig, type Before } from './zset-big.js';
import { lpEntry } from './listpack.js';

/** A lex range bound: '-' / '+' as -inf / +inf, else a member with exclusivity. */
export interface LexBound { s: string; ex: boolean; inf: -1 | 0 | 1 }

/** The encoding limits (zset-max-listpack-entries / -value). */
export interface ZLimits { maxEntries: number; maxValue: number }

type Spliceable<T> = T[] & { toSpliced(start: number, del: number, ...items: T[]): T[] };
const spliced = <T>(a: T[], start: number, del: number, ...items: T[]): T[] =>
  (a as Spliceable<T>).toSpliced(start, del, ...items);

/** Force a flat (sequential) string so no cons/slice keeps old strings alive. */
function flat(s: string): string {
  // Number() on a string flattens a cons string in place (V8 String::Flatten)
  void Number(s);
  return s;
}

// ---- packed member scanning (module scratch: offsets of the last entry) ----
let eStart = 0;
let eData = 0;
let eEnd = 0;

/** Parse the entry at pos into eStart/eData/eEnd. */
function entryAt(lp: string, pos: number): void {
  eStart = pos;
  let c = lp.charCodeAt(pos++);
  let n = c & 127;
  let mul = 128;
  while (c & 128) {
    c = lp.charCodeAt(pos++);
    n += (c & 127) * mul;
    mul *= 128;
  }
  eData = pos;
  eEnd = pos + n;
}

/** The packed member list of an ordered member array. */
function packMembers(members: readonly string[], from = 0, to = members.length): string {
  const parts: string[] = new Array(to - from);
  for (let i = from; i < to; i++) parts[i - from] = lpEntry(members[i]!);
  return parts.join('');
}

export class ZSet implements TypedValue {
  /** listpack form: packed members ('' when big) */
  lp = '';
  /** listpack form: scores aligned with lp (null when big) */
  sc: number[] | null = [];
  /** skiplist form */
  big: ZBig | null = null;

  memberTable(): ZBig | null { return this.big; }

  get type(): 'zset' { return 'zset'; }

  encoding(): string { return this.big ? 'skiplist' : 'listpack'; }

  get size(): number { return this.big ? this.big.size : this.sc!.length; }

  /** An empty set in the encoding Redis's createZsetObject / createZsetListpackObject would give. */
  static create(listpack: boolean): ZSet {
    const z = new ZSet();
    if (!listpack) z.toBig();
    return z;
  }

  /** A set from elements in (score, member) order, members unique, encoded as zsetConvertToListpackIfNeeded would. */
  static fromSorted(members: string[], scores: number[], lim: ZLimits): ZSet {
    const z = new ZSet();
    let maxLen = 0;
    for (let i = 0; i < members.length; i++) if (members[i]!.length > maxLen) maxLen = members[i]!.length;
    if (members.length <= lim.maxEntries && maxLen <= lim.maxValue) {
      z.lp = flat(packMembers(members));
      z.sc = scores.map((s) => (s === 0 ? 0 : s)); // a listpack stores -0 as the integer 0
    } else {
      z.sc = null;
      z.big = ZBig.fromSorted(members, scores);
    }
    return z;
  }

  clone(): ZSet {
    const z = new ZSet();
    if (this.big) {
      const ms: string[] = [];
      const ss: number[] = [];
      this.big.each(0, this.big.size, false, (m, s) => { ms.push(m); ss.push(s); });
      z.sc = null;
      z.big = ZBig.fromSorted(ms, ss);
    } else {
      z.lp = this.lp;
      z.sc = this.sc!.slice();
    }
    return z;
  }

  /** Take over the contents of o (o must not be used afterwards). */
  adopt(o: ZSet): void {
    this.lp = o.lp;
    this.sc = o.sc;
    this.big = o.big;
  }

  /** Convert to the skiplist encoding. */
  toBig(): void {
    if (this.big) return;
    this.big = ZBig.fromSorted(this.members(), this.sc!);
    this.lp = '';
    this.sc = null;
  }

  /** All members in order (listpack form). */
  private members(): string[] {
    const lp = this.lp;
    const out: string[] = new Array(this.sc!.length);
    let pos = 0;
    for (let i = 0; i < out.length; i++) {
      entryAt(lp, pos);
      out[i] = lp.slice(eData, eEnd);
      pos = eEnd;
    }
    return out;
  }

  /** Index of member in the listpack form (-1 if absent); eStart/eEnd hold its entry. */
  private lpFind(m: string): number {
    const lp = this.lp;
    const len = m.length;
    const n = this.sc!.length;
    let pos = 0;
    for (let i = 0; i < n; i++) {
      entryAt(lp, pos);
      if (eEnd - eData === len && lp.startsWith(m, eData)) return i;
      pos = eEnd;
    }
    return -1;
  }

  // ---- reads --------------------------------------------------------------

  /** The score of member, or undefined. */
  score(m: string): number | undefined {
    if (this.big) return this.big.score(m);
    const i = this.lpFind(m);
    return i < 0 ? undefined : this.sc![i];
  }

  /** 0-based rank (descending when rev), -1 if absent. */
  rank(m: string, rev = false): number {
    let r: number;
    if (this.big) r = this.big.rank(m);
    else r = this.lpFind(m);
    if (r < 0) return -1;
    return rev ? this.size - 1 - r : r;
  }

  /** Number of elements before the first one with score >= min (> min when ex). */
  scoreLow(min: number, ex: boolean): number {
    if (this.big) return this.big.countScoreBelow(min, ex);
    return lowerScore(this.sc!, min, ex);
  }

  /** Number of elements with score <= max (< max when ex). */
  scoreHigh(max: number, ex: boolean): number {
    if (this.big) return this.big.countScoreBelow(max, !ex);
    return lowerScore(this.sc!, max, !ex);
  }

  /** Number of elements below the lex bound used as a minimum. */
  lexLow(b: LexBound): number {
    if (b.inf < 0) return 0;
    if (b.inf > 0) return this.size;
    const v = b.s;
    return this.countBefore(b.ex ? (_s, m) => m <= v : (_s, m) => m < v);
  }

  /** Number of elements up to the lex bound used as a maximum. */
  lexHigh(b: LexBound): number {
    if (b.inf < 0) return 0;
    if (b.inf > 0) return this.size;
    const v = b.s;
    return this.countBefore(b.ex ? (_s, m) => m < v : (_s, m) => m <= v);
  }

  private countBefore(before: Before): number {
    if (this.big) return this.big.countBefore(before);
    const lp = this.lp;
    const sc = this.sc!;
    let pos = 0;
    for (let i = 0; i < sc.length; i++) {
      entryAt(lp, pos);
      if (!before(sc[i]!, lp.slice(eData, eEnd))) return i;
      pos = eEnd;
    }
    return sc.length;
  }

  /** The entries at ranks [from, from + n), in order, into scores[0 ...] and members[0 ...] (room for n each); the number copied. */
  rangeInto(from: number, n: number, scores: Float64Array, members: string[]): number {
    if (this.big) return this.big.rangeInto(from, n, scores, members);
    let k = 0;
    this.each(from, n, false, (m, sc) => { scores[k] = sc; members[k++] = m; });
    return k;
  }

  /** Visit n elements from rank `from`, ascending (descending ranks from, from-1 ... when rev). */
  each(from: number, n: number, rev: boolean, cb: (member: string, score: number) => void): void {
    if (this.big) { this.big.each(from, n, rev, cb); return; }
    const sc = this.sc!;
    if (from < 0 || from >= sc.length || n <= 0) return;
    const lp = this.lp;
    if (rev) {
      const ms = this.members();
      for (let i = from; i >= 0 && n > 0; i--, n--) cb(ms[i]!, sc[i]!);
      return;
    }
    let pos = 0;
    for (let i = 0; i < sc.length && n > 0; i++) {
      entryAt(lp, pos);
      pos = eEnd;
      if (i >= from) { cb(lp.slice(eData, eEnd), sc[i]!); n--; }
    }
  }

  /** Member at rank (in range). */
  memberAt(rank: number): string {
    if (this.big) return this.big.memberAt(rank);
    let pos = 0;
    for (let i = 0; ; i++) {
      entryAt(this.lp, pos);
      if (i === rank) return this.lp.slice(eData, eEnd);
      pos = eEnd;
    }
  }

  /** Score at rank (in range). */
  scoreAt(rank: number): number {
    if (!this.big) return this.sc![rank]!;
    let out = 0;
    this.big.each(rank, 1, false, (_m, s) => { out = s; });
    return out;
  }

  /** One ZSCAN step over the skiplist form (the listpack form is returned whole by the command). */
  scan(cursor: number, count: number, cb: (member: string, score: number) => void): number {
    if (this.big) return this.big.scan(cursor, count, cb);
    this.each(0, this.size, false, cb);
    return 0;
  }

  // ---- writes -------------------------------------------------------------

  /**
   * Insert an absent member (zsetAdd's insertion branch): converts to the
   * skiplist first when the listpack would exceed the limits.
   */
  insert(m: string, score: number, lim: ZLimits): void {
    if (!this.big) {
      const sc = this.sc!;
      if (sc.length + 1 > lim.maxEntries || m.length > lim.maxValue) this.toBig();
      else {
        const lp = this.lp;
        // position: first element with (score, member) > (score, m)
        let lo = 0;
        let hi = sc.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (sc[mid]! < score) lo = mid + 1; else hi = mid; }
        let pos = 0;
        let i = 0;
        for (; i < lo; i++) { entryAt(lp, pos); pos = eEnd; }
        for (; i < sc.length && sc[i] === score; i++) {
          entryAt(lp, pos);
          if (lp.slice(eData, eEnd) > m) break;
          pos = eEnd;
        }
        this.lp = flat(lp.slice(0, pos) + lpEntry(m) + lp.slice(pos));
        this.sc = spliced(sc, i, 0, score === 0 ? 0 : score); // a listpack stores -0 as the integer 0
        return;
      }
    }
    this.big!.insert(m, score);
  }

  /** Change the score of an existing member. */
  update(m: string, score: number): void {
    if (this.big) { this.big.setScore(m, score); return; }
    const i = this.lpFind(m);
    const lp = this.lp;
    this.lp = lp.slice(0, eStart) + lp.slice(eEnd);
    this.sc = spliced(this.sc!, i, 1);
    this.insert(m, score, { maxEntries: Infinity, maxValue: Infinity });
  }

  /** Remove member; false when absent. */
  remove(m: string): boolean {
    if (this.big) return this.big.remove(m);
    const i = this.lpFind(m);
    if (i < 0) return false;
    const lp = this.lp;
    this.lp = flat(lp.slice(0, eStart) + lp.slice(eEnd));
    this.sc = spliced(this.sc!, i, 1);
    return true;
  }

  /** Remove ranks [a, b] (inclusive, in range); returns how many. */
  removeRanks(a: number, b: number): number {
    const n = b - a + 1;
    if (n <= 0) return 0;
    if (this.big) { this.big.removeRanks(a, b); return n; }
    const lp = this.lp;
    let pos = 0;
    let start = 0;
    for (let i = 0; i <= b; i++) {
      if (i === a) start = pos;
      entryAt(lp, pos);
      pos = eEnd;
    }
    this.lp = flat(lp.slice(0, start) + lp.slice(pos));
    this.sc = spliced(this.sc!, a, n);
    return n;
  }
}

/** Index of the first score >= min (> min when ex) in an ascending array. */
function lowerScore(sc: number[], v: number, ex: boolean): number {
  let lo = 0;
  let hi = sc.length;
  if (ex) {
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sc[mid]! <= v) lo = mid + 1; else hi = mid; }
  } else {
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sc[mid]! < v) lo = mid + 1; else hi = mid; }
  }
  return lo;
}
