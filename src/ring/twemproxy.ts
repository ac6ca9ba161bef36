/*
 * twemproxy's server selection (twitter/twemproxy src/nc_server.c
 * server_pool_idx, src/hashkit/nc_ketama.c, nc_modula.c, nc_random.c,
 * src/nc_conf.c conf_add_server / conf_validate_server), re-implemented.
 *
 * Invariants (each checked against nutcracker 0.5.0 by the golden vectors in
 * test/fixtures/ring/):
 * - A server's name is its `name` when configured, else "host:port" (just
 *   "host" when the port is 11211, libmemcached's habit). Servers are ordered
 *   by name, shorter names first, then bytewise (nutcracker sorts its server
 *   array that way while checking for duplicates): placement depends on the
 *   set of names and weights, not on the order they are listed in. lookup()
 *   still answers with the caller's index.
 * - hash_tag "ab": the key becomes the bytes between the first 'a' and the
 *   first 'b' after it, when that part is not empty.
 * - One server: always index 0. Empty key: hash 0.
 * - ketama: each live server gets floor(pct*160/4*nlive + 1e-10)*4 points,
 *   computed in single precision as the C code does (pct = weight/total as
 *   float), named "<name>-<i>" and hashed with MD5, 4 points per digest. The
 *   key's hash is the first point >= it, wrapping to the first. Ties between
 *   equal points keep build order.
 * - modula: server i occupies weight_i consecutive slots; slot = hash % slots.
 * - random: a uniformly random live slot (one per live server).
 * - Ejected servers (live[i] false) take no points; as in twemproxy the ring
 *   is rebuilt without them and the others' shares change accordingly.
 * - lookup allocates nothing for string keys: the hash reads the key in place
 *   and the ring is typed arrays.
 */
import { HASHES, type HashFn, type HashName, isHashName, md5Into, md5Words } from './hash.js';

export type Distribution = 'ketama' | 'modula' | 'random';

export interface RingServer {
  /** the consistent-hashing name; when absent, host:port (host alone for port 11211) */
  name?: string;
  host?: string;
  port?: number;
  /** positive integer, default 1 */
  weight?: number;
}

export interface TwemproxyRingOptions {
  hash?: HashName;
  distribution?: Distribution;
  /** two characters, e.g. "{}" */
  hashTag?: string;
}

const POINTS_PER_SERVER = 160;
const POINTS_PER_HASH = 4;

/** the name twemproxy hashes for a server */
export function serverName(s: RingServer): string {
  if (s.name !== undefined && s.name !== '') return s.name;
  if (s.host === undefined) throw new Error('ring: a server needs a name or a host');
  return s.port === undefined || s.port === 11211 ? s.host : `${s.host}:${s.port}`;
}

/** twemproxy's string_compare: shorter first, then bytewise */
export function compareNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** twemproxy's ketama point count for one server (single-precision arithmetic) */
export function ketamaPoints(weight: number, totalWeight: number, nlive: number): number {
  const f = Math.fround;
  const pct = f(f(weight) / f(totalWeight));
  const x = f(f(f(pct * POINTS_PER_SERVER) / 4) * f(nlive));
  return Math.floor(f(x + 0.0000000001)) * 4;
}

/** the part of key a hash tag selects, as [from, to) */
export function tagRange(key: string, tag: string | undefined): [number, number] {
  if (tag !== undefined && tag.length === 2) {
    const s = key.indexOf(tag[0]!);
    if (s >= 0) {
      const e = key.indexOf(tag[1]!, s + 1);
      if (e > s + 1) return [s + 1, e];
    }
  }
  return [0, key.length];
}

export class TwemproxyRing {
  readonly hashName: HashName;
  readonly distribution: Distribution;
  readonly hashTag: string | undefined;
  readonly names: readonly string[];
  readonly weights: readonly number[];
  private readonly hash: HashFn;
  /** caller indices in twemproxy's (sorted) server order */
  private readonly order: number[];
  private live: boolean[];
  /** ketama: sorted point values and their server; modula/random: the slots */
  private points = new Uint32Array(0);
  private owner = new Uint32Array(0);
  private npoints = 0;

  constructor(servers: readonly RingServer[], opts: TwemproxyRingOptions = {}) {
    if (servers.length === 0) throw new Error('ring: no servers');
    const hash = opts.hash ?? 'fnv1a_64';
    if (!isHashName(hash)) throw new Error(`ring: unknown hash '${String(hash)}'`);
    const dist = opts.distribution ?? 'ketama';
    if (dist !== 'ketama' && dist !== 'modula' && dist !== 'random') throw new Error(`ring: unknown distribution '${String(dist)}'`);
    if (opts.hashTag !== undefined && opts.hashTag !== '' && opts.hashTag.length !== 2) throw new Error('ring: hash_tag must be two characters');
    this.hashName = hash;
    this.hash = HASHES[hash];
    this.distribution = dist;
    this.hashTag = opts.hashTag === '' ? undefined : opts.hashTag;
    this.names = servers.map(serverName);
    this.weights = servers.map((s) => {
      const w = s.weight ?? 1;
      if (!Number.isInteger(w) || w <= 0) throw new Error(`ring: weight of '${serverName(s)}' must be a positive integer`);
      return w;
    });
    this.order = servers.map((_, i) => i).sort((a, b) => compareNames(this.names[a]!, this.names[b]!));
    for (let i = 1; i < this.order.length; i++) {
      if (this.names[this.order[i]!] === this.names[this.order[i - 1]!]) throw new Error(`ring: two servers named '${this.names[this.order[i]!]}'`);
    }
    this.live = servers.map(() => true);
    this.rebuild();
  }

  /** Mark servers live or ejected (by caller index) and rebuild. */
  setLive(live: readonly boolean[]): void {
    this.live = this.names.map((_, i) => live[i] !== false);
    this.rebuild();
  }

  get liveCount(): number {
    let n = 0;
    for (const l of this.live) if (l) n++;
    return n;
  }

  private rebuild(): void {
    let nlive = 0, total = 0;
    for (const i of this.order) if (this.live[i]) { nlive++; total += this.weights[i]!; }
    if (this.distribution === 'ketama') {
      const vals: number[] = [], owners: number[] = [];
      for (const i of this.order) {
        if (!this.live[i]) continue;
        const n = ketamaPoints(this.weights[i]!, total, nlive) / POINTS_PER_HASH;
        const name = this.names[i]!;
        for (let p = 0; p < n; p++) {
          const host = `${name}-${p}`;
          md5Into(host, 0, host.length);
          for (let x = 0; x < POINTS_PER_HASH; x++) {
            vals.push(md5Words[x]! >>> 0);
            owners.push(i);
          }
        }
      }
      const idx = vals.map((_, k) => k).sort((a, b) => vals[a]! - vals[b]! || a - b);
      this.points = Uint32Array.from(idx, (k) => vals[k]!);
      this.owner = Uint32Array.from(idx, (k) => owners[k]!);
      this.npoints = idx.length;
    } else {
      const slots: number[] = [];
      for (const i of this.order) {
        if (!this.live[i]) continue;
        const n = this.distribution === 'modula' ? this.weights[i]! : 1;
        for (let w = 0; w < n; w++) slots.push(i);
      }
      this.owner = Uint32Array.from(slots);
      this.points = new Uint32Array(0);
      this.npoints = slots.length;
    }
  }

  /** the hash twemproxy feeds its distribution for this key (after the hash tag) */
  keyHash(key: string): number {
    let from = 0, to = key.length;
    const tag = this.hashTag;
    if (tag !== undefined) {
      const s = key.indexOf(tag[0]!);
      if (s >= 0) {
        const e = key.indexOf(tag[1]!, s + 1);
        if (e > s + 1) { from = s + 1; to = e; }
      }
    }
    return to === from ? 0 : this.hash(key, from, to);
  }

  /**
   * The caller's index of the server that owns key (a latin1 string, or bytes),
   * or -1 when every server is ejected.
   */
  lookup(key: string | Uint8Array): number {
    if (typeof key !== 'string') key = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    if (this.names.length === 1) return 0;
    const n = this.npoints;
    if (n === 0) return -1;
    if (this.distribution === 'random') return this.owner[Math.floor(Math.random() * n)]!;
    const h = this.keyHash(key);
    if (this.distribution === 'modula') return this.owner[h % n]!;
    const pts = this.points;
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pts[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owner[lo === n ? 0 : lo]!;
  }

  /** lookup() by name */
  lookupName(key: string | Uint8Array): string | undefined {
    const i = this.lookup(key);
    return i < 0 ? undefined : this.names[i];
  }

  /** ketama points (value, owner) in ring order, for inspection and tests */
  continuum(): { value: number; server: number }[] {
    const out: { value: number; server: number }[] = [];
    for (let i = 0; i < this.npoints; i++) out.push({ value: this.points[i] ?? 0, server: this.owner[i]! });
    return out;
  }
}
