/*
 * A server pool: one listen address, its backends and the ring that places
 * keys on them (twemproxy src/nc_server.c server_pool_*, nc_proxy.c).
 *
 * Invariants:
 * - The ring is a TwemproxyRing over the pool's servers (names, weights,
 *   hash, hash_tag, distribution): keys land exactly where nutcracker puts
 *   them. Ejected servers are taken out of the ring and put back when a
 *   probe answers (auto_eject_hosts), as twemproxy rebuilds its continuum.
 * - reconfigure() swaps servers and ring atomically for new requests;
 *   requests already sent finish on their old connections, which close when
 *   drained. Servers whose address, weight and name are unchanged are kept.
 * - Clients never outlive their pool: close() ends them.
 * - redis_cluster pools place keys by Redis Cluster slot instead: a table of
 *   16384 owners from CLUSTER SLOTS (asked of any known node), servers being
 *   the masters in address order. A MOVED reply updates one slot at once and
 *   triggers a full refresh (one at a time); until the first refresh answers,
 *   keys go to a seed and its MOVED replies teach the table.
 */
import net from 'node:net';
import { TwemproxyRing } from '../ring/twemproxy.js';
import { CLUSTER_SLOTS, keyHashSlot } from '../ring/slots.js';
import { Server, encodeCommand, type PoolLike } from './backend.js';
import { hashName, serverAddr, type PoolConfig, type ServerConfig } from './config.js';
import { ProxyClient } from './client.js';
import { elementsOf, intOf, isError, stringOf } from './reply-reader.js';
import { Rebalance, dryRun, type DryRunResult } from './rebalance.js';

export class Pool implements PoolLike {
  cfg: PoolConfig;
  servers: Server[] = [];
  ring!: TwemproxyRing;
  readonly clients = new Set<ProxyClient>();
  private listener: net.Server | null = null;
  readonly startedAt = Date.now();
  private nextClientId = 1;
  stats = { connectionsReceived: 0, commands: 0, rejectedClients: 0, fragments: 0, forwardErrors: 0, clientErrors: 0, clientEof: 0 };
  private logger: (msg: string) => void;
  /** redis_cluster: slot -> master, every node seen by address, the refresh in flight */
  private slotOwner: (Server | null)[] = [];
  private byAddr = new Map<string, Server>();
  private refreshing: Promise<void> | null = null;
  /** the online rebalance in progress (rebalance: true), if any */
  rebalance: Rebalance | null = null;
  /** keys moved by the rebalances that ended (INFO rebalance_keys_moved adds the current one's) */
  rebalanceMovedBefore = 0;

  constructor(cfg: PoolConfig, logger: (msg: string) => void = () => {}) {
    this.cfg = cfg;
    this.logger = logger;
    this.build(cfg, []);
  }

  get name(): string { return this.cfg.name; }

  get cluster(): boolean { return this.cfg.redisCluster; }

  log(msg: string): void { this.logger(`pool '${this.cfg.name}': ${msg}`); }

  /** servers and ring from cfg, reusing unchanged servers of old; returns the servers dropped (retired unless keep) */
  private build(cfg: PoolConfig, old: Server[], keepDropped = false): Server[] {
    const keep = new Map(old.map((s) => [`${s.cfg.spec}`, s]));
    this.servers = cfg.servers.map((sc, i) => {
      const prev = keep.get(sc.spec);
      if (prev !== undefined && !prev.retired) {
        // unchanged server: keep its connections and ejection state
        keep.delete(sc.spec);
        prev.index = i;
        return prev;
      }
      return new Server(sc, i, hashName(sc), this);
    });
    if (!keepDropped) for (const s of keep.values()) s.retire();
    this.ring = ringOf(cfg);
    this.refreshLive();
    return [...keep.values()];
  }

  private refreshLive(): void {
    if (this.cfg.autoEjectHosts) this.ring.setLive(this.servers.map((s) => !s.ejected));
  }

  onEject(_s: Server): void { this.refreshLive(); }
  onRestore(_s: Server): void { this.refreshLive(); }

  /** the server for a key, or null when none is live */
  route(key: string): Server | null {
    if (this.cfg.redisCluster) return this.slotOwner[keyHashSlot(key)] ?? this.anyServer();
    const i = this.ring.lookup(key);
    return i < 0 ? null : this.servers[i]!;
  }

  /** the Redis Cluster slot of a key */
  slotOf(key: string): number {
    return keyHashSlot(key);
  }

  // -------------------------------------------------------------------------
  // redis_cluster

  /** the server object for a node address ("host:port"), made on first sight */
  serverAt(addr: string): Server {
    let s = this.byAddr.get(addr);
    if (s === undefined) {
      const c = addr.lastIndexOf(':');
      const cfg: ServerConfig = { spec: `${addr}:1`, host: addr.slice(0, c), port: Number(addr.slice(c + 1)), weight: 1, line: 0 };
      s = new Server(cfg, -1, addr, this);
      this.byAddr.set(addr, s);
    }
    return s;
  }

  /** a MOVED reply: the slot's owner now, and a refresh of the whole table */
  noteMoved(slot: number, addr: string): Server {
    const s = this.serverAt(addr);
    this.slotOwner[slot] = s;
    void this.refreshSlots();
    return s;
  }

  /** ask the nodes we know for CLUSTER SLOTS until one answers; apply its table */
  refreshSlots(): Promise<void> {
    if (this.refreshing !== null) return this.refreshing;
    this.refreshing = (async () => {
      const candidates = [...new Set([...this.servers, ...this.byAddr.values()])];
      for (const s of candidates) {
        const r = await new Promise<Buffer | null>((res) => s.conn(2, 0).send(encodeCommand(['CLUSTER', 'SLOTS']), 1, (x) => res(x ? x[0]! : null)));
        if (r === null || isError(r)) continue;
        if (this.applySlots(r, s)) return;
      }
      this.log('CLUSTER SLOTS: no node answered; keeping the current slot table');
    })().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  private applySlots(reply: Buffer, from: Server): boolean {
    const ranges = elementsOf(reply);
    if (ranges === null || ranges.length === 0) return false;
    const owner: (Server | null)[] = new Array<Server | null>(CLUSTER_SLOTS).fill(null);
    const masters = new Set<Server>();
    for (const r of ranges) {
      const f = elementsOf(r);
      if (f === null || f.length < 3) return false;
      const a = intOf(f[0]!), b = intOf(f[1]!);
      const node = elementsOf(f[2]!);
      if (a === null || b === null || node === null || node.length < 2) return false;
      const host = stringOf(node[0]!) || from.cfg.host;
      const port = intOf(node[1]!);
      if (port === null) return false;
      const s = this.serverAt(`${host}:${port}`);
      masters.add(s);
      for (let i = a; i <= b && i < CLUSTER_SLOTS; i++) owner[i] = s;
    }
    this.slotOwner = owner;
    this.servers = [...masters].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    this.servers.forEach((s, i) => { s.index = i; });
    return true;
  }

  /** some live server (keyless commands) */
  anyServer(): Server | null {
    for (const s of this.servers) if (!s.ejected) return s;
    return null;
  }

  liveServers(): Server[] {
    return this.servers.filter((s) => !s.ejected);
  }

  async listen(): Promise<void> {
    if (this.cfg.redisCluster) {
      for (const sv of this.servers) this.byAddr.set(sv.addr, sv);
      await this.refreshSlots();
    }
    const srv = net.createServer((sock) => this.accept(sock));
    this.listener = srv;
    const l = this.cfg.listen;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      const done = (): void => { srv.off('error', reject); resolve(); };
      if (l.path !== undefined) srv.listen({ path: l.path, backlog: this.cfg.backlog }, done);
      else srv.listen({ host: l.host, port: l.port, backlog: this.cfg.backlog }, done);
    });
    srv.on('error', (e) => this.log(`listener error: ${e.message}`));
    if (this.cfg.preconnect) for (const s of this.servers) s.preconnect();
  }

  /** the port actually listened on (listen port 0 picks one) */
  get port(): number {
    const a = this.listener?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  private accept(sock: net.Socket): void {
    this.stats.connectionsReceived++;
    if (this.cfg.clientConnections > 0 && this.clients.size >= this.cfg.clientConnections) {
      this.stats.rejectedClients++;
      sock.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (this.cfg.tcpKeepalive) sock.setKeepAlive(true);
    sock.setNoDelay(true);
    const c = new ProxyClient(this, sock, this.nextClientId++);
    this.clients.add(c);
    sock.on('close', () => this.clients.delete(c));
  }

  /** apply a new configuration of the same pool (same listen address) */
  reconfigure(cfg: PoolConfig): void {
    const old = this.servers;
    const oldRing = this.ring;
    const prevCfg = this.cfg;
    this.cfg = cfg;
    const rebalance = cfg.rebalance && !cfg.redisCluster && cfg.distribution !== 'random';
    const dropped = this.build(cfg, old, rebalance);
    if (rebalance && placementChanged(prevCfg, cfg)) {
      if (this.rebalance !== null) {
        this.log('rebalance: a new placement arrived before the last rebalance ended; keys it had not moved yet may stay behind');
        this.rebalance.finish();
      }
      const rb = new Rebalance(this, oldRing, [...old], () => {
        for (const s of dropped) if (!this.servers.includes(s)) s.retire();
        this.rebalanceMovedBefore += rb.moved;
        if (this.rebalance === rb) this.rebalance = null;
      });
      this.rebalance = rb;
      this.log(`rebalance: moving keys from ${old.length} to ${this.servers.length} server(s)`);
      void rb.run((k) => this.route(k));
    } else if (rebalance) {
      for (const s of dropped) s.retire();
    }
    if (cfg.redisCluster) {
      for (const [a, sv] of this.byAddr) if (sv.retired) this.byAddr.delete(a);
      for (const sv of this.servers) if (!this.byAddr.has(sv.addr)) this.byAddr.set(sv.addr, sv);
      this.slotOwner = [];
      void this.refreshSlots();
    }
    this.log(`reconfigured: ${this.servers.length} server(s), hash ${cfg.hash}, distribution ${cfg.distribution}`);
  }

  /** keys moved by rebalances so far (INFO rebalance_keys_moved) */
  get rebalanceMoved(): number { return this.rebalanceMovedBefore + (this.rebalance?.moved ?? 0); }

  /** A dry run of a new configuration of this pool: the share of the keys on its servers now that would move. */
  dryRun(cfg: PoolConfig): Promise<DryRunResult> {
    return dryRun(this.servers, ringOf(cfg), cfg.servers.map(serverAddr));
  }

  async close(): Promise<void> {
    this.rebalance?.finish();
    for (const c of this.clients) c.destroy();
    for (const s of new Set([...this.servers, ...this.byAddr.values()])) s.destroy();
    const l = this.listener;
    this.listener = null;
    if (l) await new Promise<void>((r) => l.close(() => r()));
  }
}

/** The ring a configuration places keys on: its servers by name (hashName) and weight, in order. */
function ringOf(cfg: PoolConfig): TwemproxyRing {
  return new TwemproxyRing(cfg.servers.map((sc) => ({ name: hashName(sc), weight: sc.weight })), {
    hash: cfg.hash, distribution: cfg.distribution, ...(cfg.hashTag !== undefined ? { hashTag: cfg.hashTag } : {}),
  });
}

/** do two configurations of a pool place keys differently? */
function placementChanged(a: PoolConfig, b: PoolConfig): boolean {
  if (a.hash !== b.hash || a.distribution !== b.distribution || a.hashTag !== b.hashTag) return true;
  const names = (c: PoolConfig): string => c.servers.map((s) => `${hashName(s)}:${s.weight}`).sort().join('\n');
  return names(a) !== names(b);
}
