/*
 * Lazy freeing (redis/src/lazyfree.c), as far as it means anything here.
 *
 * Redis frees a big value in a background thread when it is deleted by
 * UNLINK (or DEL, expiry, eviction, overwrite under the lazyfree-lazy-*
 * options), and a whole db by FLUSHALL/FLUSHDB ASYNC; INFO counts what went
 * that way (lazyfreed_objects) and what is still waiting
 * (lazyfree_pending_objects). Nodis's memory is the garbage collector's:
 * dropping a value is O(1) and nothing waits, so pending is always 0. What is
 * kept is Redis's count: a value whose free effort (lazyfreeGetFreeEffort) is
 * above LAZYFREE_THRESHOLD counts one when deleted lazily, a flushed db counts
 * its keys. CONFIG RESETSTAT zeroes it (Stats.reset).
 */
import type { Value } from '../types/value.js';
import type { Stats } from '../server/stats.js';
import { Stream } from '../types/stream.js';
import { List } from '../types/list.js';
import { SetValue } from '../types/set.js';
import { ZSet } from '../types/zset.js';
import { HashValue } from '../types/hash.js';
import { corruptInfo } from '../types/corrupt.js';

/** values that take more allocations than this to free go to the lazyfree thread in Redis */
export const LAZYFREE_THRESHOLD = 64;

/** a quicklist node holds up to 8 kB (list-max-listpack-size -2) */
const QUICKLIST_NODE_BYTES = 8192;

/**
 * lazyfreeGetFreeEffort: the allocations freeing the value takes. A list's
 * quicklist nodes are estimated from the size of up to 16 of its elements
 * (Nodis does not keep quicklist nodes); the rest is as Redis counts it.
 */
export function freeEffort(v: Value): number {
  if (typeof v === 'string') return 1;
  // a corrupt stand-in throws on any read of its contents: one allocation, as far as anyone can tell
  if (corruptInfo(v) !== undefined) return 1;
  if (v instanceof List) {
    const n = v.length;
    if (n === 0) return 1;
    const sample = Math.min(n, 16);
    let bytes = 0;
    for (let i = 0; i < sample; i++) bytes += v.at(Math.floor((i * n) / sample))!.length + 2;
    return Math.max(1, Math.ceil(((bytes / sample) * n) / QUICKLIST_NODE_BYTES));
  }
  if (v instanceof SetValue || v instanceof HashValue) return v.encoding() === 'hashtable' ? v.size : 1;
  if (v instanceof ZSet) return v.encoding() === 'skiplist' ? v.size : 1;
  if (v instanceof Stream) {
    // every macro node is an allocation; each group and its PEL entries (the first group's PEL as the estimate)
    let effort = v.nodes.length;
    if (v.groups !== null && v.groups.size > 0) {
      // Redis takes the first group in its rax, the lowest name
      let first: { name: string; pel: { size: number } } | null = null;
      for (const g of v.groups.values()) if (first === null || g.name < first.name) first = g;
      effort += v.groups.size * (1 + first!.pel.size);
    }
    return effort;
  }
  return 1;
}

/** A value deleted lazily (freeObjAsync): counted when Redis would have freed it in the background. */
export function freedLazily(stats: Stats, v: Value): void {
  if (freeEffort(v) > LAZYFREE_THRESHOLD) stats.lazyfreedObjects++;
}
