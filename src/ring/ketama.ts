/*
 * libketama-compatible placement (last.fm libketama ketama.c, and the node
 * "hashring" package (3rd-Eden/node-hashring) that follows it), re-implemented.
 *
 * Invariants:
 * - Servers keep the order they are given in (libketama reads its server
 *   file top to bottom; hashring keeps insertion order); a server's name is
 *   what is hashed, usually "host:port".
 * - Each server gets floor(pct * 40 * n) MD5 digests of "<name>-<i>", 4
 *   points per digest (little-endian words of the digest). libketama computes
 *   pct in single precision (`precision: 'float'`, the default); hashring in
 *   double (`precision: 'double'`). They differ only when pct*40*n sits within
 *   float rounding of an integer.
 * - A key's point is the first word of MD5(key); it belongs to the first
 *   point >= it, wrapping to the first point.
 * - Keys are latin1 strings (bytes). hashring hashes JS strings as UTF-8, so
 *   pass UTF-8 bytes as a latin1 string (or a Buffer) to match it for text keys.
 *   Modern node-hashring decodes its server digests as UTF-8 text by accident
 *   (Buffer#toString on Node >= 4), which libketama does not; we follow libketama.
 */
import { md5, md5Into, md5Words } from './hash.js';

export interface KetamaServer { name: string; weight?: number }

export class KetamaRing {
  readonly names: readonly string[];
  private points: Uint32Array;
  private owner: Uint32Array;

  constructor(servers: readonly (KetamaServer | string)[], opts: { precision?: 'float' | 'double'; vnodes?: number; pointsPerHash?: number } = {}) {
    if (servers.length === 0) throw new Error('ring: no servers');
    const list = servers.map((s) => (typeof s === 'string' ? { name: s, weight: 1 } : { name: s.name, weight: s.weight ?? 1 }));
    for (const s of list) if (!(s.weight > 0)) throw new Error(`ring: weight of '${s.name}' must be positive`);
    this.names = list.map((s) => s.name);
    const vnodes = opts.vnodes ?? 40;
    const per = opts.pointsPerHash ?? 4;
    const total = list.reduce((a, s) => a + s.weight, 0);
    const vals: number[] = [], owners: number[] = [];
    list.forEach((s, i) => {
      const pct = opts.precision === 'double' ? s.weight / total : Math.fround(Math.fround(s.weight) / Math.fround(total));
      const ks = opts.precision === 'double' ? Math.floor(pct * vnodes * list.length) : Math.floor(Math.fround(pct * vnodes * list.length));
      for (let k = 0; k < ks; k++) {
        const h = `${s.name}-${k}`;
        md5Into(h, 0, h.length);
        for (let x = 0; x < per; x++) { vals.push(md5Words[x]! >>> 0); owners.push(i); }
      }
    });
    const idx = vals.map((_, k) => k).sort((a, b) => vals[a]! - vals[b]! || a - b);
    this.points = Uint32Array.from(idx, (k) => vals[k]!);
    this.owner = Uint32Array.from(idx, (k) => owners[k]!);
  }

  /** index of the server owning key (latin1 string or bytes) */
  lookup(key: string | Uint8Array): number {
    if (typeof key !== 'string') key = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    const h = md5(key, 0, key.length);
    const pts = this.points, n = pts.length;
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owner[lo === n ? 0 : lo]!;
  }

  lookupName(key: string | Uint8Array): string {
    return this.names[this.lookup(key)]!;
  }
}
