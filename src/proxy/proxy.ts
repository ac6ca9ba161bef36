/*
 * nodis-proxy: every pool of one twemproxy configuration file, running in
 * this process, and their reload (twemproxy src/nc_core.c, nc_conf.c;
 * reloading follows what twemproxy forks such as Twitter's later branch do
 * on SIGHUP).
 *
 * Invariants:
 * - A configuration is parsed and checked whole before anything changes: a
 *   bad file on reload is reported and the running pools are left as they
 *   were.
 * - On reload, a pool with the same name and listen address is reconfigured
 *   in place (its clients stay connected); a pool whose listen address
 *   changed, or that is gone, is closed; new pools start listening.
 */
import { readFileSync } from 'node:fs';
import { parseConfig, type PoolConfig } from './config.js';
import { Pool } from './pool.js';

export interface ProxyOptions {
  /** path of the YAML file (reload() reads it again) */
  configFile?: string;
  /** or its text, as a latin1 string (one char per byte) */
  configText?: string;
  log?: (msg: string) => void;
}

export class Proxy {
  readonly pools = new Map<string, Pool>();
  private readonly log: (msg: string) => void;

  constructor(readonly opts: ProxyOptions) {
    this.log = opts.log ?? (() => {});
  }

  private read(): PoolConfig[] {
    // latin1: one char per byte, so server names, hash tags and passwords reach the
    // hash and the backends as the file's bytes (nutcracker hashes a name's UTF-8 bytes)
    const text = this.opts.configText ?? readFileSync(this.opts.configFile!, 'latin1');
    try {
      return parseConfig(text);
    } catch (e) {
      const where = this.opts.configFile ?? 'configuration';
      throw new Error(`${where}: ${(e as Error).message}`);
    }
  }

  async start(): Promise<void> {
    const cfgs = this.read();
    try {
      for (const c of cfgs) {
        const p = new Pool(c, this.log);
        await p.listen();
        this.pools.set(c.name, p);
        this.log(`pool '${c.name}' listening on ${c.listen.path ?? `${c.listen.host}:${p.port}`} with ${c.servers.length} server(s)`);
      }
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** re-read the configuration file and apply it */
  async reload(): Promise<void> {
    const cfgs = this.read();
    const seen = new Set<string>();
    for (const c of cfgs) {
      seen.add(c.name);
      const p = this.pools.get(c.name);
      if (p !== undefined && p.cfg.listen.spec === c.listen.spec) { p.reconfigure(c); continue; }
      if (p !== undefined) { await p.close(); this.pools.delete(c.name); }
      const np = new Pool(c, this.log);
      await np.listen();
      this.pools.set(c.name, np);
      this.log(`pool '${c.name}' listening on ${c.listen.spec}`);
    }
    for (const [name, p] of this.pools) {
      if (seen.has(name)) continue;
      await p.close();
      this.pools.delete(name);
      this.log(`pool '${name}' removed`);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pools.values()) await p.close();
    this.pools.clear();
  }
}
