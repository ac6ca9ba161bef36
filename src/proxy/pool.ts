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
 */
import net from 'node:net';
import { TwemproxyRing } from '../ring/twemproxy.js';
import { Server, type PoolLike } from './backend.js';
import { hashName, type PoolConfig } from './config.js';
import { ProxyClient } from './client.js';

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

  constructor(cfg: PoolConfig, logger: (msg: string) => void = () => {}) {
    this.cfg = cfg;
    this.logger = logger;
    this.build(cfg, []);
  }

  get name(): string { return this.cfg.name; }

  log(msg: string): void { this.logger(`pool '${this.cfg.name}': ${msg}`); }

  private build(cfg: PoolConfig, old: Server[]): void {
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
    for (const s of keep.values()) s.retire();
    this.ring = new TwemproxyRing(this.servers.map((s) => ({ name: s.name, weight: s.cfg.weight })), {
      hash: cfg.hash, distribution: cfg.distribution, ...(cfg.hashTag !== undefined ? { hashTag: cfg.hashTag } : {}),
    });
    this.refreshLive();
  }

  private refreshLive(): void {
    if (this.cfg.autoEjectHosts) this.ring.setLive(this.servers.map((s) => !s.ejected));
  }

  onEject(_s: Server): void { this.refreshLive(); }
  onRestore(_s: Server): void { this.refreshLive(); }

  /** the server for a key, or null when none is live */
  route(key: string): Server | null {
    const i = this.ring.lookup(key);
    return i < 0 ? null : this.servers[i]!;
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
    this.cfg = cfg;
    this.build(cfg, old);
    this.log(`reconfigured: ${this.servers.length} server(s), hash ${cfg.hash}, distribution ${cfg.distribution}`);
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    for (const s of this.servers) s.destroy();
    const l = this.listener;
    this.listener = null;
    if (l) await new Promise<void>((r) => l.close(() => r()));
  }
}
