/*
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, section 3.4), with weights.
 *
 * Invariants:
 * - The lookup table has M entries, M prime (default 65537) and >= servers;
 *   every entry names one server; lookup is table[hash(key) % M]: O(1), no
 *   allocation.
 * - Server i walks its own permutation offset_i + j*skip_i (mod M), from two
 *   MD5 words of its name, so the table depends only on names, weights and
 *   their order.
 * - Weighted fill: servers take turns in order; on each round a server earns
 *   its weight in credit and claims one entry per maxWeight of credit, so
 *   entry counts are proportional to weights (equal weights: counts differ by
 *   at most one).
 * - Key hash: MurmurHash2 (hash.ts) finished with murmur3's fmix32.
 */
import { md5Into, md5Words, murmur } from './hash.js';

export interface WeightedServer { name: string; weight?: number }

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export class MaglevRing {
  readonly names: readonly string[];
  readonly size: number;
  readonly table: Uint32Array;

  constructor(servers: readonly (WeightedServer | string)[], opts: { tableSize?: number } = {}) {
    if (servers.length === 0) throw new Error('ring: no servers');
    const list = servers.map((s) => (typeof s === 'string' ? { name: s, weight: 1 } : { name: s.name, weight: s.weight ?? 1 }));
    for (const s of list) if (!(Number.isInteger(s.weight) && s.weight > 0)) throw new Error(`ring: weight of '${s.name}' must be a positive integer`);
    const M = opts.tableSize ?? 65537;
    if (!isPrime(M) || M < list.length) throw new Error('ring: Maglev table size must be a prime >= the number of servers');
    this.names = list.map((s) => s.name);
    this.size = M;
    const n = list.length;
    const offset = new Uint32Array(n), skip = new Uint32Array(n), next = new Uint32Array(n);
    const credit = new Float64Array(n);
    list.forEach((s, i) => {
      md5Into(s.name, 0, s.name.length);
      offset[i] = (md5Words[0]! >>> 0) % M;
      skip[i] = ((md5Words[1]! >>> 0) % (M - 1)) + 1;
    });
    const maxW = Math.max(...list.map((s) => s.weight));
    const table = new Int32Array(M).fill(-1);
    let filled = 0;
    while (filled < M) {
      for (let i = 0; i < n && filled < M; i++) {
        credit[i]! += list[i]!.weight;
        while (credit[i]! >= maxW && filled < M) {
          credit[i]! -= maxW;
          let c: number;
          do {
            c = (offset[i]! + next[i]! * skip[i]!) % M;
            next[i]!++;
          } while (table[c] !== -1);
          table[c] = i;
          filled++;
        }
      }
    }
    this.table = Uint32Array.from(table);
  }

  lookup(key: string | Uint8Array): number {
    if (typeof key !== 'string') key = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    return this.table[fmix32(murmur(key, 0, key.length)) % this.size]!;
  }
}
