/*
 * ClusterNode.slotRanges (clusterGenNodesSlotsInfo's ranges, read a byte of
 * the bitmap at a time) against the slot-by-slot walk it replaced, on
 * seeded random bitmaps: dense, sparse, long runs, and the edges (slot 0,
 * slot 16383, all, none).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterNode } from './node.js';
import { CLUSTER_SLOTS } from '../keyspace/hashslot.js';

function walk(n: ClusterNode): number[] {
  const out: number[] = [];
  let start = -1;
  for (let j = 0; j <= CLUSTER_SLOTS; j++) {
    const bit = j < CLUSTER_SLOTS && n.hasSlot(j);
    if (bit && start === -1) start = j;
    if (!bit && start !== -1) { out.push(start, j - 1); start = -1; }
  }
  return out;
}

test('slotRanges equals the slot-by-slot walk', () => {
  let seed = 12345;
  const rand = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  const set = (n: ClusterNode, j: number): void => { n.slots[j >> 3]! |= 1 << (j & 7); };
  const cases: ClusterNode[] = [];
  const fresh = (): ClusterNode => { const n = new ClusterNode('a'.repeat(40), 0); cases.push(n); return n; };
  fresh();
  fresh().slots.fill(0xff);
  set(fresh(), 0);
  set(fresh(), 16383);
  const edges = fresh(); set(edges, 0); set(edges, 7); set(edges, 8); set(edges, 16376); set(edges, 16383);
  for (let t = 0; t < 300; t++) {
    const n = fresh();
    const density = rand();
    const runs = t % 2 === 0;
    let on = rand() < 0.5;
    for (let j = 0; j < CLUSTER_SLOTS; j++) {
      if (runs) { if (rand() < 0.002) on = !on; } else on = rand() < density;
      if (on) set(n, j);
    }
  }
  for (const n of cases) assert.deepEqual(n.slotRanges(), walk(n));
});
