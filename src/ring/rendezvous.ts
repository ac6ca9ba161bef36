/*
 * Weighted rendezvous (highest random weight) hashing: Thaler & Ravishankar,
 * "Using name-based mappings to increase hit rates" (1998), with the
 * logarithmic weighting of Schindelhauer & Schomaker ("Weighted distributed
 * hash tables", 2005): server i scores w_i / -ln(u_i(key)), u uniform in (0, 1).
 *
 * Invariants:
 * - The key is hashed once (MurmurHash2 + fmix32); u_i = fmix32(keyHash ^
 *   seed_i) from a per-server seed (MD5 of the name), so a server's score for
 *   a key never depends on the other servers: adding a server moves keys only
 *   to it, removing one moves only its keys.
 * - Equal weights: the highest u wins (no logarithm needed, same order).
 * - Lookup is O(servers) with no allocation; meant for tens of servers.
 */
import { md5Into, md5Words, murmur } from './hash.js';
import { fmix32, type WeightedServer } from './maglev.js';

export class RendezvousRing {
  readonly names: readonly string[];
  private readonly seeds: Int32Array;
  private readonly weights: Float64Array;
  private readonly uniform: boolean;

  constructor(servers: readonly (WeightedServer | string)[]) {
    if (servers.length === 0) throw new Error('ring: no servers');
    const list = servers.map((s) => (typeof s === 'string' ? { name: s, weight: 1 } : { name: s.name, weight: s.weight ?? 1 }));
    for (const s of list) if (!(s.weight > 0 && Number.isFinite(s.weight))) throw new Error(`ring: weight of '${s.name}' must be positive`);
    this.names = list.map((s) => s.name);
    this.seeds = Int32Array.from(list, (s) => { md5Into(s.name, 0, s.name.length); return md5Words[0]!; });
    this.weights = Float64Array.from(list, (s) => s.weight);
    this.uniform = list.every((s) => s.weight === list[0]!.weight);
  }

  lookup(key: string | Uint8Array): number {
    if (typeof key !== 'string') key = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    const h = fmix32(murmur(key, 0, key.length));
    const seeds = this.seeds, n = seeds.length;
    let best = 0;
    if (this.uniform) {
      let top = -1;
      for (let i = 0; i < n; i++) {
        const u = fmix32(h ^ seeds[i]!);
        if (u > top) { top = u; best = i; }
      }
      return best;
    }
    let top = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = (fmix32(h ^ seeds[i]!) + 0.5) / 4294967296;
      const score = this.weights[i]! / -Math.log(u);
      if (score > top) { top = score; best = i; }
    }
    return best;
  }
}
