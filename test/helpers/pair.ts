/*
 * The differential harness (shared/STYLE.md §4): a pair client sends each
 * command to Nodis and to a real redis-server and compares the raw reply bytes.
 *
 *   const p = usePair();                    // in a describe(): servers per file
 *   test('x', async () => { const c = await p.client(); await c.do('SET', 'a', '1'); });
 *
 * c.do           identical bytes, not an error
 * c.error(pre)   Redis's error starts with pre; ours is identical
 * c.doSorted     arrays compared as multisets (unordered replies)
 * c.doLoosely    same shape (types and lengths), values may differ (random replies)
 * c.doRounded(n) numbers compared to n decimals
 * c.doApprox(t)  integers within t (TTLs)
 * c.both(...)    raw replies of both, for custom checks
 * Each client() starts with FLUSHALL and RESP2 on both sides.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { RawClient, parseReply } from './resp-client.js';
import { startNodis, startRedis, redisAvailable, type RedisProcess } from './servers.js';
import type { RunningServer, ServerOptions } from '../../src/index.js';

export type Arg = string | number | Buffer;

export class PairClient {
  /** how long both() and raw() wait for each side's reply (a few commands allocate hundreds of MB on both sides) */
  readTimeoutMs = 5000;
  constructor(readonly ours: RawClient, readonly theirs: RawClient) {}

  /** the next reply of each side; a timeout names the side that did not answer */
  private replies(): Promise<[ours: string, theirs: string]> {
    const t = this.readTimeoutMs;
    const tag = (side: string) => (e: Error) => { throw new Error(`${side}: ${e.message}`); };
    return Promise.all([this.ours.read(t).catch(tag('nodis')), this.theirs.read(t).catch(tag('redis'))]);
  }

  /** Both raw replies. */
  async both(...args: Arg[]): Promise<[ours: string, theirs: string]> {
    this.ours.send(...args);
    this.theirs.send(...args);
    return this.replies();
  }

  /** Raw bytes to both; compares the next reply. */
  async raw(data: string): Promise<string> {
    this.ours.write(data);
    this.theirs.write(data);
    const [a, b] = await this.replies();
    assert.equal(show(a), show(b), `raw ${JSON.stringify(data)}`);
    return a;
  }

  async do(...args: Arg[]): Promise<string> {
    const [a, b] = await this.both(...args);
    assert.equal(show(a), show(b), `${fmt(args)}`);
    assert.ok(!b.startsWith('-'), `${fmt(args)}: redis replied with an error ${b.trim()}`);
    return a;
  }

  async error(prefix: string, ...args: Arg[]): Promise<string> {
    const [a, b] = await this.both(...args);
    assert.ok(b.startsWith('-' + prefix), `${fmt(args)}: redis replied ${show(b)}, expected error ${prefix}`);
    assert.equal(show(a), show(b), `${fmt(args)}`);
    return a;
  }

  async doSorted(...args: Arg[]): Promise<string> {
    const [a, b] = await this.both(...args);
    assert.deepEqual(sortDeep(parseReply(a)), sortDeep(parseReply(b)), `${fmt(args)}: ${show(a)} vs ${show(b)}`);
    return a;
  }

  async doLoosely(...args: Arg[]): Promise<string> {
    const [a, b] = await this.both(...args);
    assert.deepEqual(shape(parseReply(a)), shape(parseReply(b)), `${fmt(args)}: ${show(a)} vs ${show(b)}`);
    return a;
  }

  async doRounded(decimals: number, ...args: Arg[]): Promise<string> {
    const [a, b] = await this.both(...args);
    const round = (v: unknown): unknown => roundDeep(v, decimals);
    assert.deepEqual(round(parseReply(a)), round(parseReply(b)), `${fmt(args)}: ${show(a)} vs ${show(b)}`);
    return a;
  }

  async doApprox(tolerance: number, ...args: Arg[]): Promise<string> {
    const [a, b] = await this.both(...args);
    const x = parseReply(a);
    const y = parseReply(b);
    if (typeof x === 'number' && typeof y === 'number') assert.ok(Math.abs(x - y) <= tolerance, `${fmt(args)}: ${x} vs ${y}`);
    else assert.deepEqual(x, y, `${fmt(args)}`);
    return a;
  }

  close(): void { this.ours.close(); this.theirs.close(); }
}

const show = (s: string): string => JSON.stringify(s);
const fmt = (args: Arg[]): string => args.map((a) => String(a)).join(' ');

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  if (v instanceof Map) return sortDeep([...v.entries()]);
  if (v instanceof Error) return `ERR:${v.message}`;
  return v;
}

function shape(v: unknown): unknown {
  if (Array.isArray(v)) return ['array', v.length];
  if (v instanceof Map) return ['map', v.size];
  if (v instanceof Error) return `ERR:${v.message}`;
  return typeof v;
}

function roundDeep(v: unknown, d: number): unknown {
  if (Array.isArray(v)) return v.map((x) => roundDeep(x, d));
  if (typeof v === 'number') return Number(v.toFixed(d));
  if (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v))) return Number(Number(v).toFixed(d));
  if (v instanceof Error) return `ERR:${v.message}`;
  return v;
}

export interface PairHandle {
  /** a new pair connection, both servers flushed */
  client(opts?: { flush?: boolean }): Promise<PairClient>;
  readonly nodis: RunningServer;
  readonly redis: RedisProcess;
}

/** Start Nodis and redis-server for the enclosing suite; close them after. */
export function usePair(opts: { nodis?: ServerOptions; redis?: string[] } = {}): PairHandle {
  let nodis: RunningServer | undefined;
  let redis: RedisProcess | undefined;
  const open: PairClient[] = [];
  before(async () => {
    if (!redisAvailable) return;
    [nodis, redis] = await Promise.all([startNodis(opts.nodis), startRedis(opts.redis)]);
  });
  after(async () => {
    for (const c of open) c.close();
    await Promise.all([nodis?.close(), redis?.close()]);
  });
  return {
    get nodis() { return nodis!; },
    get redis() { return redis!; },
    async client({ flush = true } = {}) {
      const [a, b] = await Promise.all([RawClient.connect(nodis!.port), RawClient.connect(redis!.port)]);
      const c = new PairClient(a, b);
      open.push(c);
      if (flush) { await c.both('FLUSHALL'); }
      return c;
    },
  };
}
