/*
 * Online rebalancing (a directive of nodis-proxy's own, `rebalance: true`):
 * when a reload changes a pool's placement, keys whose server changed are
 * moved to their new server with Redis's MIGRATE while the pool keeps
 * serving. twemproxy has no such thing (a reload simply remaps keys, fine for
 * a cache); the approach is codis's: move a key before touching it.
 *
 * Invariants:
 * - While a rebalance runs, the old placement (ring and servers) is kept.
 *   Before a request touches a key whose old and new servers differ, the
 *   client migrates that key (MIGRATE old -> new, replies NOKEY if it is not
 *   there) and only then sends the request to the new server, so a request
 *   never reads or writes a stale copy.
 * - A background pass SCANs every old server and migrates each key whose
 *   server changed, in batches (MIGRATE ... KEYS). When every pass reaches
 *   cursor 0 the rebalance ends and servers no longer configured are retired.
 * - MIGRATE moves a key with its TTL and never overwrites: a key already on
 *   the target (BUSYKEY) is left where it is and logged.
 * - Keys already migrated in this rebalance are remembered (up to 1M) so hot
 *   keys cost one MIGRATE, not one per request.
 * - Blocking commands, WATCH and EXEC (all the transaction's keys) migrate
 *   their keys the same way before they are sent.
 * - Known gaps: a SCAN or DBSIZE during a rebalance may see a key twice or miss
 *   one; a request already sent to the old server when the reload happened may
 *   land there after the background pass went by (the next request touching
 *   that key moves it).
 */
import type { TwemproxyRing } from '../ring/twemproxy.js';
import { encodeCommand, type Server } from './backend.js';
import { elementsOf, errorOf, isError, stringOf } from './reply-reader.js';

export interface RebalanceHost {
  readonly ring: TwemproxyRing;
  readonly servers: Server[];
  readonly cfg: { redisAuth?: string | undefined; redisDb: number; timeout: number; rebalanceRate: number };
  log(msg: string): void;
}

const MIGRATE_TIMEOUT_MS = 5000;
const BATCH = 100;
const MEMO_MAX = 1_000_000;

function request(s: Server, argv: string[]): Promise<Buffer> {
  return new Promise((resolve) => {
    s.stats.requests++;
    s.conn(2, 0).send(encodeCommand(argv), 1, (r, e) => resolve(r ? r[0]! : Buffer.from(`-${e}\r\n`, 'latin1')));
  });
}

/** One SCAN page of a server: the next cursor and the keys, or the error text. */
async function scanPage(src: Server, cursor: string, count: number): Promise<{ cursor: string; keys: string[] } | string> {
  const r = await request(src, ['SCAN', cursor, 'COUNT', String(count)]);
  const els = isError(r) ? null : elementsOf(r);
  if (els === null || els.length !== 2) return isError(r) ? errorOf(r) : 'bad reply';
  return { cursor: stringOf(els[0]!) ?? '0', keys: (elementsOf(els[1]!) ?? []).map((e) => stringOf(e) ?? '') };
}

export class Rebalance {
  private done = new Set<string>();
  private finished = false;
  moved = 0;
  scanned = 0;
  /** requests that migrated their keys before running */
  premigrations = 0;
  readonly startedAt = Date.now();

  constructor(
    private readonly host: RebalanceHost,
    readonly oldRing: TwemproxyRing,
    readonly oldServers: Server[],
    private readonly onFinish: () => void,
  ) {}

  get active(): boolean { return !this.finished; }

  /** the server holding key before the rebalance, when it differs from its new one */
  sourceOf(key: string, now: Server | null): Server | null {
    if (this.finished || this.done.has(key)) return null;
    const i = this.oldRing.lookup(key);
    const s = i < 0 ? null : this.oldServers[i]!;
    return s === now ? null : s;
  }

  private migrateArgs(target: Server, keys: string[]): string[] {
    const c = this.host.cfg;
    const argv = ['MIGRATE', target.cfg.host, String(target.cfg.port), '', String(c.redisDb), String(MIGRATE_TIMEOUT_MS)];
    if (c.redisAuth !== undefined) argv.push('AUTH', c.redisAuth);
    argv.push('KEYS', ...keys);
    return argv;
  }

  /** move keys from source to target; resolves with an error text or null */
  async migrate(source: Server, target: Server, keys: string[]): Promise<string | null> {
    const r = await request(source, this.migrateArgs(target, keys));
    if (isError(r)) {
      const e = errorOf(r);
      this.host.log(`rebalance: MIGRATE of ${keys.length} key(s) ${source.addr} -> ${target.addr} failed: ${e}`);
      return e;
    }
    if (stringOf(r) === 'OK') this.moved += keys.length;
    if (this.done.size + keys.length > MEMO_MAX) this.done.clear();
    for (const k of keys) this.done.add(k);
    return null;
  }

  /** migrate, before a request, every key of the request that is still on its old server */
  async before(keys: readonly string[], route: (k: string) => Server | null): Promise<void> {
    this.premigrations++;
    const groups = new Map<string, { src: Server; dst: Server; keys: string[] }>();
    for (const k of keys) {
      const dst = route(k);
      const src = dst === null ? null : this.sourceOf(k, dst);
      if (src === null || dst === null) continue;
      const id = `${src.addr}>${dst.addr}`;
      let g = groups.get(id);
      if (g === undefined) groups.set(id, (g = { src, dst, keys: [] }));
      if (!g.keys.includes(k)) g.keys.push(k);
    }
    await Promise.all([...groups.values()].map((g) => this.migrate(g.src, g.dst, g.keys)));
  }

  /** the background pass over every old server */
  async run(route: (k: string) => Server | null): Promise<void> {
    try {
      for (const src of this.oldServers) {
        let cursor = '0';
        do {
          if (this.finished) return;
          const page = await scanPage(src, cursor, BATCH);
          if (typeof page === 'string') {
            this.host.log(`rebalance: SCAN on ${src.addr} failed (${page}); retrying in 1 s`);
            await new Promise((res) => setTimeout(res, 1000));
            continue;
          }
          cursor = page.cursor;
          const keys = page.keys;
          this.scanned += keys.length;
          const byDst = new Map<Server, string[]>();
          for (const k of keys) {
            const dst = route(k);
            if (dst === null || dst === src) continue;
            let l = byDst.get(dst);
            if (l === undefined) byDst.set(dst, (l = []));
            l.push(k);
          }
          for (const [dst, ks] of byDst) {
            await this.migrate(src, dst, ks);
            await this.pace(ks.length);
          }
        } while (cursor !== '0');
      }
      this.host.log(`rebalance: done, ${this.moved} key(s) moved after scanning ${this.scanned}`);
    } finally {
      this.finish();
    }
  }

  private paced = 0;

  /** rebalance_rate: after moving n more keys, wait until the pass is back under its keys per second */
  private async pace(n: number): Promise<void> {
    const rate = this.host.cfg.rebalanceRate;
    if (rate <= 0) return;
    this.paced += n;
    const due = this.startedAt + (this.paced / rate) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.done.clear();
    this.onFinish();
  }
}

export interface DryRunResult {
  /** keys found on the current servers */
  scanned: number;
  /** of them, the keys whose server would change */
  moving: number;
  /** per current server (address): keys scanned and keys that would leave it */
  byServer: { addr: string; scanned: number; moving: number }[];
}

/**
 * What a new placement would move, without moving anything: SCAN every
 * server of the pool as it is now and place each key with `next` (the new
 * configuration's ring; its servers named as the new configuration names
 * them, so a server kept under the same name keeps its keys).
 */
export async function dryRun(servers: readonly Server[], next: TwemproxyRing, nextAddrs: readonly string[]): Promise<DryRunResult> {
  const res: DryRunResult = { scanned: 0, moving: 0, byServer: [] };
  for (const src of servers) {
    const row = { addr: src.addr, scanned: 0, moving: 0 };
    let cursor = '0';
    do {
      const page = await scanPage(src, cursor, BATCH * 10);
      if (typeof page === 'string') throw new Error(`SCAN on ${src.addr} failed: ${page}`);
      cursor = page.cursor;
      for (const k of page.keys) {
        row.scanned++;
        if (nextAddrs[next.lookup(k)] !== src.addr) row.moving++;
      }
    } while (cursor !== '0');
    res.scanned += row.scanned;
    res.moving += row.moving;
    res.byServer.push(row);
  }
  return res;
}
