/*
 * The keys of each cluster hash slot (redis/src/cluster.c slotToKeyAddEntry /
 * slotToKeyDelEntry, kept there in dictEntry metadata): COUNTKEYSINSLOT in
 * O(1) and GETKEYSINSLOT in O(count), never a scan of the keyspace.
 *
 * A doubly linked list per hash slot threaded through the key table's slots
 * (keytable.ts: a key keeps its table slot while it exists), in typed arrays:
 * 10 bytes per key. Only db 0 of a cluster node keeps one (Db.slotIndex).
 */
import { CLUSTER_SLOTS, keyHashSlot } from './hashslot.js';

const NONE = -1;

export class SlotIndex {
  private head = new Int32Array(CLUSTER_SLOTS).fill(NONE);
  private counts = new Uint32Array(CLUSTER_SLOTS);
  private next = new Int32Array(1024);
  private prev = new Int32Array(1024);
  private hslot = new Uint16Array(1024);

  private grow(t: number): void {
    let n = this.next.length;
    while (n <= t) n *= 2;
    const next = new Int32Array(n); next.set(this.next); this.next = next;
    const prev = new Int32Array(n); prev.set(this.prev); this.prev = prev;
    const hs = new Uint16Array(n); hs.set(this.hslot); this.hslot = hs;
  }

  /** a key took table slot t (newest first, as Redis inserts at the head) */
  add(t: number, key: string): void {
    if (t >= this.next.length) this.grow(t);
    const h = keyHashSlot(key);
    const first = this.head[h]!;
    this.hslot[t] = h;
    this.prev[t] = NONE;
    this.next[t] = first;
    if (first !== NONE) this.prev[first] = t;
    this.head[h] = t;
    this.counts[h]!++;
  }

  /** the key in table slot t is gone */
  remove(t: number): void {
    const h = this.hslot[t]!;
    const p = this.prev[t]!;
    const n = this.next[t]!;
    if (p !== NONE) this.next[p] = n; else this.head[h] = n;
    if (n !== NONE) this.prev[n] = p;
    this.counts[h]!--;
  }

  count(h: number): number { return this.counts[h]!; }

  /** the table slots of up to `max` keys of hash slot h */
  tableSlots(h: number, max: number): number[] {
    const out: number[] = [];
    for (let t = this.head[h]!; t !== NONE && out.length < max; t = this.next[t]!) out.push(t);
    return out;
  }

  clear(): void {
    this.head.fill(NONE);
    this.counts.fill(0);
  }
}
