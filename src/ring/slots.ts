/*
 * Redis Cluster placement: a key's hash slot (CRC16-XMODEM of the key or of
 * its {hash tag}, mod 16384: keyspace/hashslot.ts) mapped to a server by a
 * slot table.
 *
 * Invariants:
 * - Every one of the 16384 slots has exactly one owner.
 * - Without explicit ranges, slots are split in contiguous ranges the way
 *   redis-cli --cluster create does (redis/src/redis-cli.c
 *   clusterManagerCommandCreate): slotsPerNode = 16384 / n as a double, each
 *   range ends at round(cursor + slotsPerNode - 1), the last at 16383.
 */
import { CLUSTER_SLOTS, keyHashSlot } from '../keyspace/hashslot.js';

export { CLUSTER_SLOTS, keyHashSlot };

export class SlotRing {
  readonly names: readonly string[];
  /** slot -> server index */
  readonly table: Uint16Array;

  /** ranges[i]: [first, last] slot pairs owned by server i (inclusive) */
  constructor(names: readonly string[], ranges?: readonly (readonly [number, number])[][]) {
    if (names.length === 0) throw new Error('ring: no servers');
    this.names = names;
    this.table = new Uint16Array(CLUSTER_SLOTS);
    if (ranges) {
      const seen = new Uint8Array(CLUSTER_SLOTS);
      ranges.forEach((rs, i) => {
        for (const [a, b] of rs) {
          if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b < CLUSTER_SLOTS && a <= b)) throw new Error(`ring: bad slot range ${a}-${b}`);
          for (let s = a; s <= b; s++) { if (seen[s]) throw new Error(`ring: slot ${s} assigned twice`); seen[s] = 1; this.table[s] = i; }
        }
      });
      const missing = seen.indexOf(0);
      if (missing >= 0) throw new Error(`ring: slot ${missing} has no owner`);
    } else {
      const per = CLUSTER_SLOTS / names.length;
      let first = 0, cursor = 0;
      for (let i = 0; i < names.length; i++) {
        let last = Math.round(cursor + per - 1);
        if (last > CLUSTER_SLOTS - 1 || i === names.length - 1) last = CLUSTER_SLOTS - 1;
        if (last < first) last = first;
        for (let s = first; s <= last; s++) this.table[s] = i;
        first = last + 1;
        cursor += per;
      }
    }
  }

  lookup(key: string | Uint8Array): number {
    if (typeof key !== 'string') key = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    return this.table[keyHashSlot(key)]!;
  }

  slotOf(key: string): number {
    return keyHashSlot(key);
  }
}
