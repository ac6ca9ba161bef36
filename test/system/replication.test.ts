/*
 * Master–replica replication (PSYNC2) between Nodis and a real redis-server 7.0,
 * seen from outside: every check is on what a client observes (INFO
 * replication / stats, ROLE, DEBUG DIGEST, PEXPIRETIME, XINFO GROUPS, error
 * replies, the replica's log).
 *
 * 1. Interop matrix: Nodis→Nodis, redis→Nodis, Nodis→redis, and the chains
 *    redis→Nodis→redis and Nodis→redis→Nodis, each with a disk-based and a
 *    diskless full sync. The top master holds every type and encoding before
 *    the link (full sync), random seeded writes go on while the links come up
 *    and after (the stream), including commands a master rewrites before
 *    propagating (INCRBYFLOAT, SPOP, EXPIRE, XADD *, XADD/XTRIM with ~,
 *    XREADGROUP, XAUTOCLAIM, GETEX, EVAL, MULTI/EXEC, SWAPDB, a lazy expire).
 *    Then every node's applied offset equals the top's master_repl_offset, and
 *    DEBUG DIGEST, every key's PEXPIRETIME and the consumer groups agree.
 * 2. Partial resync after CLIENT KILL TYPE master (replica side) and TYPE
 *    replica (master side): sync_partial_ok grows, sync_full does not.
 * 3. A backlog overrun (16 kB backlog, the link held down by a relay) ends in
 *    a full resync.
 * 4. A replica process restarted after SHUTDOWN SAVE continues with PSYNC.
 * 5. Promotion: REPLICAOF NO ONE on A, B and the old master follow A with a
 *    partial resync (PSYNC on replid2); a chained replica promoted under its
 *    own replica (+CONTINUE <new id>); a master restarted after SHUTDOWN SAVE
 *    (its saved history becomes replid2); one diskless transfer for two
 *    replicas (repl-diskless-sync-max-replicas); requirepass / masterauth /
 *    masteruser; keys whose TTL passed on a replica (reads equal a
 *    redis-server replica's until the master's DEL).
 * 6. WAIT, min-replicas-to-write, replica-read-only, replica-serve-stale-data,
 *    ROLE, INFO replication fields (names and order equal to redis-server's).
 * 7. A scripted fake master: an error to PING, -ERR to PSYNC (SYNC follows),
 *    a truncated payload held open and then closed, a diskless payload cut
 *    mid-way, a corrupt payload: the replica serves its old data meanwhile,
 *    never a half-loaded dataset, logs and retries; then a good payload and
 *    stream are applied and ACKed at the right offset. PSYNC with an unknown
 *    replid gets +FULLRESYNC, as from redis-server.
 *
 * Random data comes from a seeded generator; each test prints its seed
 * (REPL_SEED=<n> replays a run). Every wait is a bounded poll on observable
 * state; every server is torn down by the topology's t.after even on failure.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import {
  LinkCutter, Node, Topology, poll, sameDigest, stat, topology, waitSynced, type Conf, type Kind,
} from '../helpers/topology.js';

const SEED = Number(process.env['REPL_SEED'] ?? (Date.now() % 1_000_000_007));
let seedCounter = 0;
const skip = skipWithoutRedis();

// ---- seeded data ----------------------------------------------------------------------

/** mulberry32 */
class Rand {
  private s: number;
  constructor(readonly seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6D2B79F5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]!; }
  /** binary string (latin1), any byte */
  bytes(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(256)); return s; }
  word(n = 8): string { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(97 + this.int(26)); return s; }
}

/** a seed for one test, printed */
function seeded(t: { diagnostic(m: string): void; name: string }): Rand {
  const seed = (SEED + 7919 * ++seedCounter) % 2_147_483_647;
  t.diagnostic(`seed ${seed} (REPL_SEED=${SEED})`);
  return new Rand(seed);
}

type Cmd = (string | number)[];

/** Every type and encoding, in dbs 0, 1, 3, 9 (what the top master holds before any link). */
function baseData(r: Rand, scale = 1): Cmd[] {
  const c: Cmd[] = [['SELECT', 0]];
  c.push(['SET', 'str:int', '12345'], ['SET', 'str:neg', '-9223372036854775808'], ['SET', 'str:emb', 'hello'],
    ['SET', 'str:raw', 'r'.repeat(100)], ['SET', 'str:bin', r.bytes(64)], ['SET', r.bytes(12), r.bytes(30)],
    ['INCR', 'str:counter'], ['APPEND', 'str:app', 'xyz'], ['SET', 'str:big', r.word(20000)], ['SET', 'str:empty', ''],
    ['SETRANGE', 'str:sparse', 100, 'x'], ['SETBIT', 'bits', 1000, 1]);
  c.push(['RPUSH', 'list:small', 'a', 'b', '1', '-2', '5000000000', r.bytes(20)]);
  const bl: Cmd = ['RPUSH', 'list:big'];
  for (let i = 0; i < 400 * scale; i++) bl.push(i % 3 ? String(i) : `e${i}-${r.word(30)}`);
  c.push(bl);
  c.push(['HSET', 'hash:small', 'f', 'v', 'n', '1', r.bytes(8), r.bytes(16)]);
  const bh: Cmd = ['HSET', 'hash:large'];
  for (let i = 0; i < 300 * scale; i++) bh.push(`field:${i}`, i % 2 ? String(i * 7) : r.word(12));
  c.push(bh, ['HSET', 'hash:longval', 'f', 'v'.repeat(100)]);
  c.push(['SADD', 'set:int', '1', '2', '3', '-7', '9223372036854775807']);
  const bs: Cmd = ['SADD', 'set:large'];
  for (let i = 0; i < 700 * scale; i++) bs.push(`m${i}-${r.word(4)}`);
  const bi: Cmd = ['SADD', 'set:bigint'];
  for (let i = 0; i < 600 * scale; i++) bi.push(String(i * 977 - 3000));
  c.push(bs, bi, ['SADD', 'set:str', 'a', 'b', r.bytes(10)]);
  c.push(['ZADD', 'zset:small', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '1e100', 'e', '0.1', 'f']);
  const bz: Cmd = ['ZADD', 'zset:large'];
  for (let i = 0; i < 300 * scale; i++) bz.push(i % 5 ? (i * 1.25).toString() : String(-i), `z${i}`);
  c.push(bz);
  for (let i = 1; i <= 60; i++) c.push(['XADD', 'stream', `${1000 + i}-${i % 3}`, 'f', String(i), 'g', r.word(5)]);
  c.push(['XADD', 'stream', '*', 'now', '1'], ['XDEL', 'stream', '1005-2'], ['XGROUP', 'CREATE', 'stream', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', 20, 'STREAMS', 'stream', '>'], ['XACK', 'stream', 'g', '1001-1', '1002-2'],
    ['XGROUP', 'CREATE', 'stream', 'g2', '$'], ['XADD', 'stream:empty', '1-1', 'a', 'b'], ['XDEL', 'stream:empty', '1-1']);
  c.push(['SET', 'ttl:str', 'v', 'PX', 3_600_000], ['HSET', 'ttl:hash', 'a', '1'], ['PEXPIRE', 'ttl:hash', 7_200_000],
    ['RPUSH', 'ttl:list', 'x'], ['EXPIREAT', 'ttl:list', Math.floor(Date.now() / 1000) + 86400],
    ['SET', 'ttl:ex', 'v', 'EX', 5000]);
  for (let i = 0; i < 1000 * scale; i++) c.push(['SET', `k:${i}`, r.int(4) === 0 ? r.bytes(r.int(60)) : String(r.int(1e6))]);
  c.push(['SELECT', 1], ['SET', 'one', '1'], ['RPUSH', 'l', 'x', 'y'], ['SET', 'e', 'v', 'PX', 5_000_000], ['SADD', 's', 'a']);
  c.push(['SELECT', 3], ['ZADD', 'z', '1', 'a'], ['SADD', 's', '1', '2'], ['HSET', 'h', 'a', 'b'], ['XADD', 'x', '5-5', 'a', 'b']);
  c.push(['SELECT', 9], ['SET', 'ttl:nine', '9', 'PX', 9_000_000], ['SET', 'plain', 'p']);
  return c;
}

const DBS = [0, 1, 3, 9];

/**
 * Random writes valid on any master (keys of each pool hold one type, so no WRONGTYPE), with
 * the commands whose propagated form differs from the command (SPOP, INCRBYFLOAT, EXPIRE,
 * GETEX, XADD *, approximate trims, XREADGROUP, XAUTOCLAIM, EVAL, MULTI/EXEC, COPY, MOVE).
 */
function randomWrites(r: Rand, n: number): Cmd[] {
  const out: Cmd[] = [];
  const k = (pool: string, m = 8): string => `w:${pool}:${r.int(m)}`;
  const v = (): string => (r.int(5) === 0 ? r.bytes(1 + r.int(40)) : r.word(1 + r.int(20)));
  const one = (): Cmd[] => {
    switch (r.int(36)) {
      case 0: return [['SET', k('str'), v()]];
      case 1: return [['SET', k('str'), v(), 'PX', 3_600_000 + r.int(1000)]];
      case 2: return [['APPEND', k('str'), v()]];
      case 3: return [['SETRANGE', k('str'), r.int(20), v()]];
      case 4: return [['GETEX', k('str'), 'PX', 4_000_000]];
      case 5: return [['INCRBY', k('int'), r.int(100) - 50]];
      case 6: return [['INCRBYFLOAT', k('float'), (r.next() * 10).toFixed(3)]];
      case 7: return [[r.pick(['LPUSH', 'RPUSH']), k('list'), v(), v(), String(r.int(1000))]];
      case 8: return [[r.pick(['LPOP', 'RPOP']), k('list')]];
      case 9: return [['LMOVE', k('list'), k('list'), r.pick(['LEFT', 'RIGHT']), r.pick(['LEFT', 'RIGHT'])]];
      case 10: return [['LTRIM', k('list'), 0, 20 + r.int(20)]];
      case 11: { const c: Cmd = ['HSET', k('hash')]; const m = r.int(4) === 0 ? 150 : 3; for (let i = 0; i < m; i++) c.push(`f${r.int(200)}`, v()); return [c]; }
      case 12: return [['HDEL', k('hash'), `f${r.int(200)}`, `f${r.int(200)}`]];
      case 13: return [['HINCRBY', k('hash'), 'n', r.int(10)], ['HINCRBYFLOAT', k('hash'), 'fl', '1.5']];
      case 14: { const c: Cmd = ['SADD', k('set')]; const m = r.int(4) === 0 ? 600 : 3; for (let i = 0; i < m; i++) c.push(r.int(2) ? String(r.int(100000)) : v()); return [c]; }
      case 15: return [['SREM', k('set'), String(r.int(100000)), v()]];
      case 16: return [['SPOP', k('set'), 1 + r.int(3)]];
      case 17: return [['SUNIONSTORE', k('set'), k('set'), k('set')]];
      case 18: { const c: Cmd = ['ZADD', k('zset')]; const m = r.int(4) === 0 ? 150 : 3; for (let i = 0; i < m; i++) c.push((r.next() * 100 - 50).toString(), `m${r.int(300)}`); return [c]; }
      case 19: return [['ZINCRBY', k('zset'), (r.next() * 3).toString(), `m${r.int(300)}`]];
      case 20: return [['ZPOPMIN', k('zset'), 1 + r.int(2)]];
      case 21: return [['ZUNIONSTORE', k('zset'), 2, k('zset'), k('zset'), 'WEIGHTS', 1, 2]];
      case 22: return [['XADD', k('stream'), 'MAXLEN', '~', 50, '*', 'f', v()]];
      case 23: return [['XADD', k('stream'), '*', 'a', v(), 'b', String(r.int(9))], ['XTRIM', k('stream'), 'MAXLEN', '~', 20]];
      case 24: return [['SELECT', 0], ['XREADGROUP', 'GROUP', 'g', `c${r.int(3)}`, 'COUNT', 2, 'STREAMS', 'stream', '>']];
      case 25: return [['SELECT', 0], ['XAUTOCLAIM', 'stream', 'g', 'c9', 0, '0-0', 'COUNT', 2], ['XACK', 'stream', 'g', `${1000 + r.int(60)}-${r.int(3)}`]];
      case 26: return [['EXPIRE', k(r.pick(['str', 'list', 'hash', 'set', 'zset'])), 10_000 + r.int(100)]];
      case 27: return [['PERSIST', k(r.pick(['str', 'list', 'hash']))]];
      case 28: return [['DEL', k(r.pick(['str', 'list', 'hash', 'set', 'zset', 'stream', 'int']))]];
      case 29: { const p = r.pick(['str', 'list', 'hash', 'set', 'zset']); const a = r.int(8); return [['COPY', `w:${p}:${a}`, `w:${p}:${(a + 1 + r.int(7)) % 8}`, 'REPLACE']]; }
      case 30: return [['SELECT', 0], ['MOVE', k(r.pick(['str', 'hash'])), r.pick(DBS.filter((d) => d !== 0))]];
      case 31: return [['MULTI'], ['SET', k('str'), v()], ['INCRBY', k('int'), 3], ['RPUSH', k('list'), v()], ['EXEC']];
      case 32: return [['SELECT', r.pick(DBS)]];
      case 33: return r.int(4) === 0 ? [['SET', k('str'), r.word(40_000 + r.int(30_000))]] : [['SET', k('str'), v()]];
      case 34: return r.int(4) === 0 ? [['RPUSH', k('list'), r.bytes(20_000), 'small']] : [['LPUSH', k('list'), v()]];
      default: return [['SETBIT', k('bits'), r.int(500), 1], ['BITFIELD', k('bits'), 'INCRBY', 'u8', 8 * r.int(8), 3]];
    }
  };
  while (out.length < n) out.push(...one());
  return out;
}

/** Send commands to the node; every reply (and every EXEC element) must not be an error. */
async function apply(n: Node, cmds: Cmd[]): Promise<void> {
  const replies = await n.pipeline(cmds);
  for (let i = 0; i < replies.length; i++) {
    const x = replies[i];
    const errs = x instanceof Error ? [x] : Array.isArray(x) ? x.filter((y) => y instanceof Error) : [];
    if (errs.length > 0) throw new Error(`${n.name}: ${JSON.stringify(cmds[i]).slice(0, 200)} -> ${(errs[0] as Error).message}`);
  }
}

/** The writes of the "after" phase that only make sense once: a script, SWAPDB, a key that expires on the master. */
function specialWrites(): Cmd[] {
  return [
    ['SELECT', 0],
    ['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); redis.call('INCR', KEYS[2]); return 1", 2, 'w:eval', 'w:evalcount', 'v'],
    ['SET', 'w:short', 'v', 'PX', 30], ['SET', 'w:short2', 'v'], ['PEXPIRE', 'w:short2', 30],
    ['SWAPDB', 1, 3],
    ['SELECT', 9], ['FLUSHDB'], ['SET', 'after-flush', '1'],
  ];
}

/** Every key's PEXPIRETIME is the same on every node (DEBUG DIGEST only sees whether a key has one). */
async function sameExpires(nodes: Node[]): Promise<void> {
  const per = async (n: Node): Promise<string> => {
    const out: string[] = [];
    for (const db of DBS) {
      const keys = ((await n.pipeline([['SELECT', db], ['KEYS', '*']]))[1] as string[]).sort();
      const ttl = await n.pipeline([['SELECT', db], ...keys.map((k) => ['PEXPIRETIME', k])]);
      keys.forEach((k, i) => { if (ttl[i + 1] !== -1) out.push(`db${db}:${JSON.stringify(k)}=${String(ttl[i + 1])}`); });
    }
    return out.join('\n');
  };
  const all = await Promise.all(nodes.map(per));
  for (let i = 1; i < nodes.length; i++) assert.equal(all[i], all[0], `PEXPIRETIMEs differ between ${nodes[0]!.name} and ${nodes[i]!.name}`);
  assert.ok(all[0]!.length > 0, 'no key with a TTL');
}

/**
 * Consumer-group state (not part of DEBUG DIGEST) of db0's stream. entries-read and lag are
 * compared among replicas only: Redis 7.0 propagates XREADGROUP as XCLAIM ... LASTID, which
 * does not move entries_read, so a redis-server replica itself differs there from its master.
 */
async function sameGroups(nodes: Node[]): Promise<void> {
  const per = async (n: Node): Promise<[string, string]> => {
    const r = await n.pipeline([['SELECT', 0], ['XINFO', 'GROUPS', 'stream'], ['XPENDING', 'stream', 'g']]);
    const whole = JSON.stringify(r.slice(1));
    const groups = (r[1] as unknown[][]).map((g) => { const o = [...g]; for (const f of ['entries-read', 'lag']) { const i = o.indexOf(f); if (i >= 0) o.splice(i, 2); } return o; });
    return [whole, JSON.stringify([groups, r[2]])];
  };
  const all = await Promise.all(nodes.map(per));
  for (let i = 1; i < nodes.length; i++) assert.equal(all[i]![1], all[0]![1], `consumer groups differ between ${nodes[0]!.name} and ${nodes[i]!.name}`);
  for (let i = 2; i < nodes.length; i++) assert.equal(all[i]![0], all[1]![0], `consumer groups (entries-read, lag) differ between replicas ${nodes[1]!.name} and ${nodes[i]!.name}`);
}

/** A poll's condition: the replica's link is up. */
async function linkUp(n: Node): Promise<boolean> { return (await n.info())['master_link_status'] === 'up'; }

/** The whole dataset agrees: digest, TTLs, consumer groups. */
async function sameData(nodes: Node[]): Promise<void> {
  await sameDigest(nodes);
  await sameExpires(nodes);
  await sameGroups(nodes);
}

// ---- 1. interop matrix ----------------------------------------------------------------

const short = (k: Kind): string => (k === 'redis' ? 'redis' : 'nodis');

describe('replication interop matrix', { skip, concurrency: 2 }, () => {
  const chains: { kinds: Kind[]; order: 'down' | 'up' }[] = [
    { kinds: ['nodis', 'nodis'], order: 'down' },
    { kinds: ['redis', 'nodis'], order: 'down' },
    { kinds: ['nodis', 'redis'], order: 'down' },
    { kinds: ['redis', 'nodis', 'redis'], order: 'down' },
    { kinds: ['nodis', 'redis', 'nodis'], order: 'up' },
  ];
  for (const { kinds, order } of chains) {
    for (const diskless of [false, true]) {
      const label = `${kinds.map(short).join(' → ')}, ${diskless ? 'diskless' : 'disk-based'} full sync${kinds.length > 2 ? `, linked ${order === 'down' ? 'top first' : 'tail first'}` : ''}`;
      test(label, { timeout: 30000 }, async (t) => {
        const r = seeded(t);
        // diskless cases also load from the socket (swapdb) on the replicas; disk-based ones through dump.rdb
        const conf: Conf = diskless ? { 'repl-diskless-sync': 'yes', 'repl-diskless-load': 'swapdb' } : { 'repl-diskless-sync': 'no' };
        const [topo, ...nodes] = await topology(t, kinds.map((k, i) => [`${i === 0 ? 'top' : i === 1 ? 'mid' : 'tail'}-${short(k)}`, k, conf]));
        await topo.run(async () => {
          const top = nodes[0]!;
          await apply(top, baseData(r));
          for (const n of nodes.slice(1)) await apply(n, [['SET', `junk:${n.name}`, '1'], ['SELECT', 7], ['SADD', 'junk', 'x']]);
          const links: [Node, Node][] = nodes.slice(1).map((n, i) => [n, nodes[i]!]);
          if (order === 'up') links.reverse();
          let during = 0;
          for (const [replica, master] of links) {
            await replica.replicaOf(master);
            await apply(top, randomWrites(r, 40));
            during++;
          }
          // writes go on while the links come up (each batch between two looks at the links)
          await poll('links up', async () => {
            const up = (await Promise.all(nodes.slice(1).map(linkUp))).every(Boolean);
            if (!up) { await apply(top, randomWrites(r, 40)); during++; }
            return up;
          }, 15000, 10);
          t.diagnostic(`${during} write batches while linking`);
          await apply(top, randomWrites(r, 300));
          await apply(top, specialWrites());
          await apply(top, randomWrites(r, 100));
          // the master expires the short keys (lazily, on access) and propagates DEL
          await poll('short TTLs expired on the top master', async () => {
            const x = await top.pipeline([['SELECT', 0], ['PTTL', 'w:short'], ['PTTL', 'w:short2']]);
            return x[1] === -2 && x[2] === -2;
          }, 3000);
          await waitSynced(top, nodes.slice(1));
          await sameData(nodes);
          const x = await nodes[nodes.length - 1]!.pipeline([['SELECT', 0], ['EXISTS', 'w:short', 'w:short2'], ['GET', 'w:eval'], ['SELECT', 9], ['EXISTS', 'ttl:nine', 'plain', 'after-flush']]);
          assert.deepEqual(x, ['OK', 0, 'v', 'OK', 1], 'expired keys deleted, script effects and FLUSHDB replicated');
          assert.equal(await stat(top, 'sync_full'), 1, 'one full sync on the top master');
        });
      });
    }
  }
});

// ---- 2 and 3. partial resync, backlog overrun -------------------------------------------

describe('partial resynchronization', { skip, concurrency: 3 }, () => {
  const pairs: [Kind, Kind][] = [['nodis', 'nodis'], ['redis', 'nodis'], ['nodis', 'redis']];
  for (const [mk, rk] of pairs) {
    test(`${short(mk)} master → ${short(rk)} replica: CLIENT KILL TYPE master, then TYPE replica, both continue with PSYNC`, { timeout: 20000 }, async (t) => {
      const r = seeded(t);
      const [topo, m, s] = await topology(t, [['master', mk], ['replica', rk]]);
      await topo.run(async () => {
        await apply(m!, baseData(r, 0.3));
        await s!.replicaOf(m!);
        await waitSynced(m!, [s!]);
        const full0 = await stat(m!, 'sync_full');
        assert.equal(full0, 1);
        for (const [who, args] of [[s!, ['CLIENT', 'KILL', 'TYPE', 'master']], [m!, ['CLIENT', 'KILL', 'TYPE', 'replica']]] as const) {
          const ok0 = await stat(m!, 'sync_partial_ok');
          // the stream's selected db before the cut is 3, and the first write after it is in db 3 too:
          // no SELECT is sent again, so the replica must resume in db 3
          await apply(m!, [['SELECT', 3], ['SET', `sel:before:${ok0}`, '1']]);
          assert.equal(await who.call(...args), 1, `${args.join(' ')} on the ${who.name} kills one client`);
          await apply(m!, [['SELECT', 3], ['SET', `sel:after:${ok0}`, '1']]);
          await apply(m!, randomWrites(r, 200));
          await poll('the replica reconnected', async () => (await stat(m!, 'sync_partial_ok')) > ok0, 5000);
          await apply(m!, randomWrites(r, 50));
          await waitSynced(m!, [s!]);
          assert.equal(await stat(m!, 'sync_partial_ok'), ok0 + 1);
          assert.equal(await stat(m!, 'sync_full'), full0, 'no full sync');
          await sameDigest([m!, s!]);
          assert.deepEqual(await s!.pipeline([['SELECT', 3], ['EXISTS', `sel:before:${ok0}`, `sel:after:${ok0}`]]), ['OK', 2], 'resumed in the selected db');
        }
        await sameData([m!, s!]);
      });
    });
  }

  for (const [mk, rk] of pairs) {
    test(`${short(mk)} master → ${short(rk)} replica: writes past a 16 kB backlog while the link is down force a full resync`, { timeout: 20000 }, async (t) => {
      const r = seeded(t);
      const [topo, m, s] = await topology(t, [['master', mk, { 'repl-backlog-size': 16384 }], ['replica', rk]]);
      await topo.run(async () => {
        const relay = await LinkCutter.start(t, m!.port);
        await apply(m!, baseData(r, 0.3));
        await s!.ok('REPLICAOF', '127.0.0.1', relay.port);
        await waitSynced(m!, [s!]);
        assert.equal(await stat(m!, 'sync_full'), 1);
        relay.sever();
        await poll('the master saw the replica go', async () => (await m!.info())['connected_slaves'] === '0', 5000);
        const big: Cmd[] = [];
        for (let i = 0; i < 100; i++) big.push(['SET', `big:${i}`, r.word(1000)]);
        await apply(m!, big);
        const mi = await m!.info();
        assert.ok(Number(mi['repl_backlog_first_byte_offset']) > Number((await s!.info())['slave_repl_offset']) + 1, 'the backlog no longer holds what the replica needs');
        const err0 = await stat(m!, 'sync_partial_err');
        relay.restore();
        await waitSynced(m!, [s!]);
        assert.equal(await stat(m!, 'sync_full'), 2, 'a second full sync');
        assert.equal(await stat(m!, 'sync_partial_ok'), 0);
        assert.equal(await stat(m!, 'sync_partial_err'), err0 + 1, 'the PSYNC was refused');
        await sameData([m!, s!]);
      });
    });
  }
});

// ---- 4. replica restart ------------------------------------------------------------------

describe('replica restart', { skip, concurrency: 3 }, () => {
  const pairs: [Kind, Kind][] = [['nodis', 'nodis-proc'], ['redis', 'nodis-proc'], ['nodis', 'redis']];
  for (const [mk, rk] of pairs) {
    test(`${short(mk)} master, ${rk} replica: SHUTDOWN SAVE, writes, restart with replicaof: PSYNC continues`, { timeout: 25000 }, async (t) => {
      const r = seeded(t);
      const topo = new Topology(t);
      await topo.run(async () => {
        const m = await topo.add('master', mk);
        await apply(m, baseData(r, 0.3));
        const s = await topo.add('replica', rk, { replicaof: `127.0.0.1 ${m.port}` });
        await apply(m, randomWrites(r, 100));
        await apply(m, [['SELECT', 3], ['SET', 'sel:before', '1']]);
        await waitSynced(m, [s]);
        assert.equal(await stat(m, 'sync_full'), 1);
        await s.stop('save');
        await poll('the master saw the replica go', async () => (await m.info())['connected_slaves'] === '0', 5000);
        // no SELECT follows (the stream is still in db 3): the RDB's repl-stream-db must say so
        await apply(m, [['SELECT', 3], ['SET', 'sel:after', '1']]);
        await apply(m, randomWrites(r, 200));
        await s.restart();
        await apply(m, randomWrites(r, 50));
        await waitSynced(m, [s], 10000);
        assert.equal(await stat(m, 'sync_partial_ok'), 1, 'the restarted replica continued with PSYNC');
        assert.equal(await stat(m, 'sync_full'), 1, 'no second full sync');
        if (rk !== 'redis') assert.match(s.logText(), /Successful partial resynchronization with master/);
        assert.deepEqual(await s.pipeline([['SELECT', 3], ['EXISTS', 'sel:before', 'sel:after']]), ['OK', 2], 'resumed in the selected db');
        await sameData([m, s]);
      });
    });
  }
});

// ---- 5. promotion --------------------------------------------------------------------------

describe('promotion', { skip, concurrency: 3 }, () => {
  const sets: [Kind, Kind, Kind][] = [['nodis', 'nodis', 'nodis'], ['redis', 'nodis', 'redis'], ['nodis', 'redis', 'nodis']];
  for (const kinds of sets) {
    test(`M ${short(kinds[0])}, A ${short(kinds[1])}, B ${short(kinds[2])}: REPLICAOF NO ONE on A; B and then M follow A with a partial resync`, { timeout: 25000 }, async (t) => {
      const r = seeded(t);
      // M pings its replicas rarely: a PING after A left would put M's history past A's replid2
      const [topo, m, a, b] = await topology(t, [['M', kinds[0], { 'repl-ping-replica-period': 60 }], ['A', kinds[1]], ['B', kinds[2]]]);
      await topo.run(async () => {
        await apply(m!, baseData(r, 0.3));
        await a!.replicaOf(m!);
        await b!.replicaOf(m!);
        await apply(m!, randomWrites(r, 100));
        await waitSynced(m!, [a!, b!]);
        const oldId = (await m!.info())['master_replid'];
        await a!.replicaOf(null);
        const ai = await a!.info();
        assert.equal(ai['role'], 'master');
        assert.equal(ai['master_replid2'], oldId, 'the old history is A\'s secondary id');
        assert.equal(ai['second_repl_offset'], String(Number(ai['master_repl_offset']) + 1));
        assert.notEqual(ai['master_replid'], oldId);
        await b!.replicaOf(a!);
        await apply(a!, randomWrites(r, 100));
        await waitSynced(a!, [b!]);
        assert.equal(await stat(a!, 'sync_partial_ok'), 1, 'B continued on A with PSYNC');
        assert.equal(await stat(a!, 'sync_full'), 0, 'no full sync on A');
        // the old master, which took no write since, joins A: its history is A's replid2
        await m!.replicaOf(a!);
        await apply(a!, randomWrites(r, 50));
        await waitSynced(a!, [b!, m!]);
        assert.equal(await stat(a!, 'sync_partial_ok'), 2, 'M continued on A with PSYNC');
        assert.equal(await stat(a!, 'sync_full'), 0, 'no full sync on A');
        await sameData([a!, b!, m!]);
      });
    });
  }
});

describe('promotion of a chained replica', { skip, concurrency: 3 }, () => {
  const sets: [Kind, Kind, Kind][] = [['nodis', 'nodis', 'nodis'], ['redis', 'nodis', 'redis'], ['nodis', 'redis', 'nodis']];
  for (const kinds of sets) {
    test(`${kinds.map(short).join(' → ')}: REPLICAOF NO ONE on the middle; the tail continues (+CONTINUE <new id>) and survives another cut`, { timeout: 25000 }, async (t) => {
      const r = seeded(t);
      const [topo, top, mid, tail] = await topology(t, [['top', kinds[0]], ['mid', kinds[1]], ['tail', kinds[2]]]);
      await topo.run(async () => {
        await apply(top!, baseData(r, 0.3));
        await mid!.replicaOf(top!);
        await waitSynced(top!, [mid!]);
        await tail!.replicaOf(mid!);
        await apply(top!, randomWrites(r, 100));
        await waitSynced(top!, [mid!, tail!]);
        const full0 = await stat(mid!, 'sync_full');
        const ok0 = await stat(mid!, 'sync_partial_ok');
        await mid!.replicaOf(null);
        const newId = (await mid!.info())['master_replid'];
        await apply(mid!, randomWrites(r, 100));
        await waitSynced(mid!, [tail!]);
        assert.equal((await tail!.info())['master_replid'], newId, 'the tail took the new id');
        assert.equal(await stat(mid!, 'sync_partial_ok'), ok0 + 1, 'the tail continued with PSYNC');
        assert.equal(await stat(mid!, 'sync_full'), full0, 'no full sync');
        // the tail's history now has the new id: another cut continues again
        assert.equal(await tail!.call('CLIENT', 'KILL', 'TYPE', 'master'), 1);
        await apply(mid!, randomWrites(r, 100));
        await poll('the tail reconnected', async () => (await stat(mid!, 'sync_partial_ok')) > ok0 + 1, 5000);
        await waitSynced(mid!, [tail!]);
        assert.equal(await stat(mid!, 'sync_full'), full0, 'still no full sync');
        await sameData([mid!, tail!]);
      });
    });
  }
});

describe('diskless sync to several replicas', { skip }, () => {
  test('nodis master, a nodis and a redis replica: with repl-diskless-sync-max-replicas 2 one transfer (one fork) serves both, without waiting for the delay', { timeout: 20000 }, async (t) => {
    const r = seeded(t);
    const [topo, m, a, b] = await topology(t, [
      ['master', 'nodis', { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 5, 'repl-diskless-sync-max-replicas': 2 }],
      ['replica-nodis', 'nodis'], ['replica-redis', 'redis']]);
    await topo.run(async () => {
      await apply(m!, baseData(r));
      const forks0 = Number((await m!.info('stats'))['total_forks']);
      const t0 = Date.now();
      await a!.replicaOf(m!);
      await apply(m!, randomWrites(r, 100));
      await b!.replicaOf(m!);
      await apply(m!, randomWrites(r, 100));
      await waitSynced(m!, [a!, b!], 10000);
      assert.ok(Date.now() - t0 < 4500, `synced in ${Date.now() - t0} ms: the 5 s delay was cut short by max-replicas`);
      assert.equal(Number((await m!.info('stats'))['total_forks']) - forks0, 1, 'one snapshot for both');
      assert.equal(await stat(m!, 'sync_full'), 2);
      await sameData([m!, a!, b!]);
    });
  });
});

describe('master restart and authentication', { skip, concurrency: 3 }, () => {
  const sets: [Kind, Kind, Kind][] = [['nodis-proc', 'nodis', 'redis'], ['redis', 'nodis', 'nodis']];
  for (const kinds of sets) {
    test(`${kinds[0]} master restarted after SHUTDOWN SAVE: its replicas (${kinds.slice(1).map(short).join(', ')}) continue with PSYNC on its old id (replid2)`, { timeout: 25000 }, async (t) => {
      const r = seeded(t);
      const [topo, m, a, b] = await topology(t, [['master', kinds[0]], ['A', kinds[1]], ['B', kinds[2]]]);
      await topo.run(async () => {
        await apply(m!, baseData(r, 0.3));
        await a!.replicaOf(m!);
        await b!.replicaOf(m!);
        await apply(m!, randomWrites(r, 100));
        await waitSynced(m!, [a!, b!]);
        const oldId = (await m!.info())['master_replid'];
        await m!.stop('save');
        await poll('links down', async () => (await Promise.all([a!, b!].map(linkUp))).every((u) => !u), 5000);
        await m!.restart();
        const f = await m!.info();
        assert.equal(f['master_replid2'], oldId, 'the saved history is the restarted master\'s secondary id');
        await apply(m!, randomWrites(r, 100));
        await waitSynced(m!, [a!, b!], 10000);
        assert.equal(await stat(m!, 'sync_partial_ok'), 2, 'both continued');
        assert.equal(await stat(m!, 'sync_full'), 0, 'no full sync');
        await sameData([m!, a!, b!]);
      });
    });
  }

  test('requirepass / masterauth both ways between Nodis and redis-server; a Nodis replica logs in with masteruser to an ACL user', { timeout: 20000 }, async (t) => {
    const r = seeded(t);
    const [topo, mn, mr, sn, sr] = await topology(t, [
      ['master-nodis', 'nodis', { requirepass: 'sekret' }], ['master-redis', 'redis', { requirepass: 'sekret' }],
      ['replica-nodis', 'nodis', { masteruser: 'repl', masterauth: 'pw2' }], ['replica-redis', 'redis', { masterauth: 'sekret' }]]);
    await topo.run(async () => {
      // (Nodis has no ACL command: the ACL user is on the redis-server master only)
      await mr!.ok('ACL', 'SETUSER', 'repl', 'on', '>pw2', '+psync', '+replconf', '+ping');
      await apply(mr!, baseData(r, 0.2));
      await apply(mn!, baseData(r, 0.2));
      await sn!.replicaOf(mr!);
      await sr!.replicaOf(mn!);
      await apply(mr!, randomWrites(r, 100));
      await apply(mn!, randomWrites(r, 100));
      await waitSynced(mr!, [sn!]);
      await waitSynced(mn!, [sr!]);
      await sameDigest([mr!, sn!]);
      await sameDigest([mn!, sr!]);
    });
  });
});

describe('keys expiring on a replica', { skip }, () => {
  test('a replica keeps a key whose TTL passed until its master deletes it; reads of it match a redis-server replica\'s, byte for byte', { timeout: 15000 }, async (t) => {
    const [topo, m, sn, sr] = await topology(t, [['master', 'redis'], ['replica-nodis', 'nodis'], ['replica-redis', 'redis']]);
    await topo.run(async () => {
      await m!.ok('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await sn!.replicaOf(m!);
      await sr!.replicaOf(m!);
      await apply(m!, [['SET', 'gone', 'v', 'PX', 100], ['RPUSH', 'gonelist', 'a'], ['PEXPIRE', 'gonelist', 100], ['SET', 'stay', 'v']]);
      await waitSynced(m!, [sn!, sr!]);
      const probes: Cmd[] = [['GET', 'gone'], ['EXISTS', 'gone', 'gonelist', 'stay'], ['PTTL', 'gone'], ['TTL', 'gonelist'], ['TYPE', 'gone'], ['LRANGE', 'gonelist', 0, -1],
        ['DBSIZE'], ['KEYS', '*'], ['SCAN', 0, 'COUNT', 100], ['RANDOMKEY'], ['STRLEN', 'gone'], ['OBJECT', 'ENCODING', 'gone']];
      await poll('the TTLs passed on the replicas', async () => (await sr!.call('PTTL', 'gone')) === -2, 5000);
      const sorted = (raw: string[]): string[] => raw.map((x, i) => (i === 7 ? JSON.stringify((parseReply(x) as string[]).sort()) : x));
      const rn = sorted(await Promise.all(probes.map((p) => sn!.raw(...p))));
      const rr = sorted(await Promise.all(probes.map((p) => sr!.raw(...p))));
      for (let i = 0; i < probes.length; i++) assert.equal(rn[i], rr[i], `${probes[i]!.join(' ')}`);
      await sameDigest([m!, sn!, sr!]);
      assert.equal(await sn!.call('DBSIZE'), 3, 'still held');
      // the master's lazy expiry deletes them and propagates DEL
      await apply(m!, [['GET', 'gone'], ['LLEN', 'gonelist']]);
      await waitSynced(m!, [sn!, sr!]);
      assert.equal(await sn!.call('DBSIZE'), 1);
      await sameDigest([m!, sn!, sr!]);
    });
  });
});

// ---- 6. WAIT, min-replicas, read-only, stale data, ROLE, INFO -------------------------------

const NOREPLICAS = '-NOREPLICAS Not enough good replicas to write.\r\n';
const READONLY = '-READONLY You can\'t write against a read only replica.\r\n';
const MASTERDOWN = '-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to \'no\'.\r\n';

describe('replication commands and options', { skip, concurrency: 3 }, () => {
  test('WAIT counts replicas; times out with 0 once the replica is stopped; min-replicas-to-write refuses with NOREPLICAS', { timeout: 20000 }, async (t) => {
    const [topo, m, s] = await topology(t, [['master', 'nodis'], ['replica', 'nodis']]);
    await topo.run(async () => {
      await m!.ok('CONFIG', 'SET', 'min-replicas-to-write', '1', 'min-replicas-max-lag', '10');
      assert.equal(await m!.raw('SET', 'k', 'v'), NOREPLICAS, 'no replica yet');
      await s!.replicaOf(m!);
      await waitSynced(m!, [s!]);
      await poll('a good replica', async () => (await m!.raw('SET', 'k', 'v')) === '+OK\r\n', 5000);
      const c = await RawClient.connect(m!.port);
      t.after(() => c.close());
      assert.equal(await c.call('SET', 'a', '1'), '+OK\r\n');
      let t0 = Date.now();
      assert.equal(await c.call('WAIT', 1, 5000), ':1\r\n');
      assert.ok(Date.now() - t0 < 2000, 'WAIT 1 returns when the replica acks, not at the timeout');
      assert.equal(await c.call('WAIT', 0, 0), ':1\r\n');
      t0 = Date.now();
      assert.equal(await c.call('WAIT', 2, 300), ':1\r\n', 'one of two replicas');
      assert.ok(Date.now() - t0 >= 250, 'WAIT 2 waited for its timeout');
      assert.equal(await s!.call('GET', 'a'), '1');
      await s!.stop();
      await poll('the replica is gone', async () => (await m!.info())['connected_slaves'] === '0', 5000);
      assert.equal(await c.call('SET', 'b', '1'), NOREPLICAS);
      await m!.ok('CONFIG', 'SET', 'min-replicas-to-write', '0');
      assert.equal(await c.call('SET', 'b', '2'), '+OK\r\n');
      t0 = Date.now();
      assert.equal(await c.call('WAIT', 1, 300), ':0\r\n');
      assert.ok(Date.now() - t0 >= 250, 'WAIT timed out');
    });
  });

  for (const rk of ['nodis', 'redis'] as const) {
    test(`a ${short(rk)} replica with no replicas of its own keeps only repl-backlog-size of the stream it applied`, { timeout: 20000 }, async (t) => {
      const r = seeded(t);
      const [topo, m, s] = await topology(t, [['master', 'nodis', { 'repl-backlog-size': 16384 }], ['replica', rk, { 'repl-backlog-size': 16384 }]]);
      await topo.run(async () => {
        await s!.replicaOf(m!);
        await waitSynced(m!, [s!]);
        const big: Cmd[] = [];
        for (let i = 0; i < 1000; i++) big.push(['SET', `big:${i % 50}`, r.word(1000)]);
        await apply(m!, big);
        await waitSynced(m!, [s!]);
        const si = await s!.info();
        assert.ok(Number(si['slave_repl_offset']) > 1_000_000, 'a megabyte went through');
        // whole blocks of 16 kB are kept (as Redis's replBufBlocks), never the whole megabyte
        const held = Number(si['repl_backlog_histlen']);
        assert.ok(held >= 16384 && held <= 16384 + 16384 + 2048, `the replica's backlog holds ${held} bytes`);
      });
    });
  }

  test('min-replicas-to-write on redis-server and Nodis without replicas: the same error bytes', { timeout: 10000 }, async (t) => {
    const [topo, n, x] = await topology(t, [['nodis', 'nodis'], ['redis', 'redis']]);
    await topo.run(async () => {
      for (const node of [n!, x!]) {
        await node.ok('CONFIG', 'SET', 'min-replicas-to-write', '2');
        assert.equal(await node.raw('SET', 'k', 'v'), NOREPLICAS, node.name);
        assert.equal(await node.raw('GET', 'k'), '$-1\r\n', `${node.name}: reads pass`);
      }
    });
  });

  test('a replica: READONLY on writes; with replica-serve-stale-data no, MASTERDOWN while the link is down; same bytes as redis-server', { timeout: 20000 }, async (t) => {
    const [topo, m, sn, sr] = await topology(t, [['master', 'nodis'], ['replica-nodis', 'nodis'], ['replica-redis', 'redis']]);
    await topo.run(async () => {
      await apply(m!, [['SET', 'k', 'v'], ['RPUSH', 'l', 'a']]);
      const relay = await LinkCutter.start(t, m!.port);
      for (const s of [sn!, sr!]) await s.ok('REPLICAOF', '127.0.0.1', relay.port);
      await waitSynced(m!, [sn!, sr!]);
      const probes: Cmd[] = [['SET', 'k', 'w'], ['RPUSH', 'l', 'b'], ['GET', 'k'], ['LRANGE', 'l', 0, -1], ['PING'], ['ECHO', 'e'], ['DBSIZE'], ['DEL', 'k']];
      const run = async (s: Node): Promise<string[]> => Promise.all(probes.map((p) => s.raw(...p)));
      const [upN, upR] = [await run(sn!), await run(sr!)];
      assert.equal(upN[0], READONLY);
      assert.deepEqual(upN, upR, 'link up: same replies as redis-server');
      for (const s of [sn!, sr!]) await s.ok('CONFIG', 'SET', 'replica-serve-stale-data', 'no');
      assert.deepEqual(await run(sn!), upN, 'link up: stale-data no changes nothing');
      relay.sever();
      await poll('links down', async () => (await Promise.all([sn!, sr!].map(linkUp))).every((u) => !u), 5000);
      const [downN, downR] = [await run(sn!), await run(sr!)];
      assert.equal(downN[2], MASTERDOWN);
      assert.deepEqual(downN, downR, 'link down: same replies as redis-server');
      for (const s of [sn!, sr!]) await s.ok('CONFIG', 'SET', 'replica-serve-stale-data', 'yes');
      assert.equal(await sn!.raw('GET', 'k'), '$1\r\nv\r\n', 'stale data served again');
      relay.restore();
      await waitSynced(m!, [sn!, sr!]);
    });
  });

  test('ROLE on master and replica; INFO replication field names and order equal redis-server\'s', { timeout: 20000 }, async (t) => {
    const [topo, mn, sn, mr, sr] = await topology(t, [['master-nodis', 'nodis'], ['replica-nodis', 'nodis'], ['master-redis', 'redis'], ['replica-redis', 'redis']]);
    await topo.run(async () => {
      await sn!.replicaOf(mn!);
      await sr!.replicaOf(mr!);
      for (const m of [mn!, mr!]) await apply(m, [['SET', 'k', 'v']]);
      await waitSynced(mn!, [sn!]);
      await waitSynced(mr!, [sr!]);
      // the master's ROLE lists the replica at its acked offset (ACKs come every second)
      const role = async (m: Node, s: Node): Promise<void> => {
        let seen = '';
        await poll(`${m.name} ROLE shows the ack`, async () => {
          const off = Number((await m.info())['master_repl_offset']);
          const x = await m.call('ROLE');
          const y = await s.call('ROLE');
          seen = JSON.stringify([x, y]);
          return seen === JSON.stringify([['master', off, [['127.0.0.1', String(s.port), String(off)]]], ['slave', '127.0.0.1', m.port, 'connected', off]]);
        }, 5000).catch((e: Error) => { throw new Error(`${e.message}; last ROLE replies ${seen}`); });
      };
      await role(mn!, sn!);
      await role(mr!, sr!);
      const names = async (n: Node): Promise<string[]> => Object.keys(await n.info());
      assert.deepEqual(await names(mn!), await names(mr!), 'master INFO replication fields');
      assert.deepEqual(await names(sn!), await names(sr!), 'replica INFO replication fields');
      const f = await sn!.info();
      assert.equal(f['master_link_status'], 'up');
      assert.equal(f['master_port'], String(mn!.port));
      const mf = await mn!.info();
      assert.match(mf['slave0']!, new RegExp(`^ip=127\\.0\\.0\\.1,port=${sn!.port},state=online,offset=\\d+,lag=\\d+$`));
      assert.match(mf['master_replid']!, /^[0-9a-f]{40}$/);
      assert.equal(mf['repl_backlog_active'], '1');
    });
  });
});

// ---- 7. a scripted fake master -------------------------------------------------------------------

/** One connection of the fake master: the replica's commands come in as arrays; reply with send(). */
interface FakeConn {
  sock: net.Socket;
  /** the next command of the replica (bounded) */
  next(ms?: number): Promise<string[]>;
  send(s: string | Buffer): void;
  /** commands seen on this connection */
  seen: string[][];
}

/** A net.Server whose connections are handed to the script, one at a time, in order. */
class FakeMaster {
  readonly conns: FakeConn[] = [];
  private waiting: ((c: FakeConn) => void)[] = [];
  private constructor(readonly srv: net.Server, readonly port: number) {}

  static async start(t: { after(fn: () => unknown): void }): Promise<FakeMaster> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const fm = new FakeMaster(srv, (srv.address() as net.AddressInfo).port);
    const socks = new Set<net.Socket>();
    t.after(() => { for (const s of socks) s.destroy(); return new Promise<void>((r) => srv.close(() => r())); });
    srv.on('connection', (sock) => {
      socks.add(sock);
      sock.on('error', () => {});
      let buf = '';
      const cmds: string[][] = [];
      let wake: (() => void) | null = null;
      let closed = false;
      sock.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (;;) {
          const cmd = parseCommand(buf);
          if (cmd === null) break;
          buf = buf.slice(cmd.len);
          if (cmd.argv.length > 0) cmds.push(cmd.argv);
        }
        const w = wake; wake = null; w?.();
      });
      sock.on('close', () => { closed = true; socks.delete(sock); const w = wake; wake = null; w?.(); });
      const conn: FakeConn = {
        sock, seen: [],
        async next(ms = 5000) {
          const end = Date.now() + ms;
          while (cmds.length === 0) {
            if (closed) throw new Error('the replica closed the connection');
            if (Date.now() > end) throw new Error('no command from the replica');
            await new Promise<void>((r) => { wake = r; setTimeout(r, 50); });
          }
          const c = cmds.shift()!;
          conn.seen.push(c);
          return c;
        },
        send(s) { if (!sock.destroyed) sock.write(typeof s === 'string' ? Buffer.from(s, 'latin1') : s); },
      };
      fm.conns.push(conn);
      const w = fm.waiting.shift();
      w?.(conn);
    });
    return fm;
  }

  /** the n-th connection (0-based), waiting for it up to ms */
  conn(n: number, ms = 5000): Promise<FakeConn> {
    return poll(`connection #${n + 1} to the fake master`, async () => this.conns[n] ?? false, ms, 10);
  }
}

/** A command of the replica: multibulk, or an inline line (a bare newline is skipped). */
function parseCommand(buf: string): { argv: string[]; len: number } | null {
  if (buf.length === 0) return null;
  if (buf[0] !== '*') {
    const nl = buf.indexOf('\n');
    if (nl < 0) return null;
    return { argv: buf.slice(0, nl).replace(/\r$/, '').split(' ').filter((x) => x !== ''), len: nl + 1 };
  }
  let p = buf.indexOf('\r\n');
  if (p < 0) return null;
  const n = Number(buf.slice(1, p));
  p += 2;
  const argv: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = buf.indexOf('\r\n', p);
    if (e < 0) return null;
    const len = Number(buf.slice(p + 1, e));
    if (buf.length < e + 2 + len + 2) return null;
    argv.push(buf.slice(e + 2, e + 2 + len));
    p = e + 2 + len + 2;
  }
  return { argv, len: p };
}

/** Play a master's handshake up to PSYNC (replying +PONG / +OK); returns the PSYNC (or SYNC) argv. */
async function handshake(c: FakeConn, pingReply = '+PONG\r\n'): Promise<string[]> {
  for (;;) {
    const cmd = await c.next();
    const name = cmd[0]!.toUpperCase();
    if (name === 'PING') c.send(pingReply);
    else if (name === 'REPLCONF') c.send('+OK\r\n');
    else if (name === 'PSYNC' || name === 'SYNC') return cmd;
    else c.send('-ERR unexpected\r\n');
  }
}

const resp = (...a: string[]): string => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`).join('')}`;

describe('a misbehaving master', { skip, concurrency: 3 }, () => {
  /** A valid RDB of a small dataset (written by redis-server), and the server that wrote it. */
  async function goodRdb(t: Parameters<typeof topology>[0]): Promise<{ rdb: Buffer; src: Node }> {
    const [, src] = await topology(t, [['rdb-source', 'redis']]);
    await apply(src!, [['SET', 'new:a', '1'], ['RPUSH', 'new:l', 'x', 'y'], ['HSET', 'new:h', 'f', 'v'], ['SELECT', 2], ['SADD', 'new:s', 'm'],
      ...Array.from({ length: 500 }, (_, i) => ['SET', `new:k${i}`, 'v'.repeat(i % 50)])]);
    await src!.ok('SAVE');
    return { rdb: fs.readFileSync(path.join(src!.dir, 'dump.rdb')), src: src! };
  }

  /** A replica of the fake master, holding old data; `own` is the PSYNC its history asks for (as Redis: its own replid, offset + 1). */
  async function replicaOfFake(t: Parameters<typeof topology>[0], fm: FakeMaster, kind: Kind): Promise<{ s: Node; own: string[] }> {
    const [, s] = await topology(t, [[`replica-${kind}`, kind]]);
    await apply(s!, [['SET', 'old', 'data'], ['SELECT', 4], ['RPUSH', 'old:list', 'a']]);
    const f = await s!.info();
    const own = ['PSYNC', f['master_replid']!, String(Number(f['master_repl_offset']) + 1)];
    await s!.ok('REPLICAOF', '127.0.0.1', fm.port);
    return { s: s!, own };
  }

  /** A replica of the fake master holding no keys (logging verbosely), as a new replica starts. */
  async function emptyReplicaOfFake(t: Parameters<typeof topology>[0], fm: FakeMaster, kind: Kind): Promise<Node> {
    const [, s] = await topology(t, [[`empty-${kind}`, kind, { loglevel: 'verbose' }]]);
    await s!.ok('REPLICAOF', '127.0.0.1', fm.port);
    return s!;
  }

  /** The first half of a good RDB (keys that would load), then garbage, sent as a payload of its announced length; resolves once the replica tries again. */
  async function sendCorruptPayload(fm: FakeMaster, rdb: Buffer): Promise<void> {
    const c0 = await fm.conn(0);
    await handshake(c0);
    const bad = Buffer.concat([rdb.subarray(0, rdb.length >> 1), Buffer.alloc(rdb.length - (rdb.length >> 1), 0xfe)]);
    c0.send(`+FULLRESYNC ${FAKE_ID} 0\r\n$${bad.length}\r\n`);
    c0.send(bad);
    const c1 = await fm.conn(1, 5000);
    await handshake(c1);
  }

  async function servesOld(s: Node): Promise<void> {
    const x = await s.pipeline([['GET', 'old'], ['EXISTS', 'new:a'], ['SELECT', 4], ['LRANGE', 'old:list', 0, -1]]);
    assert.deepEqual(x, ['data', 0, 'OK', ['a']], 'the old dataset, nothing of the new one');
  }

  const FAKE_ID = 'f'.repeat(40);
  /** each script runs against a redis-server replica too: the expectations hold for Redis itself */
  const KINDS: Kind[] = ['nodis', 'redis'];

  for (const kind of KINDS) {
    test(`${kind} replica: an error reply to PING: the attempt is given up, logged, and retried`, { timeout: 15000 }, async (t) => {
      const fm = await FakeMaster.start(t);
      const { s } = await replicaOfFake(t, fm, kind);
      const c0 = await fm.conn(0);
      assert.deepEqual(await c0.next(), ['PING']);
      c0.send('-BOGUS what is this\r\n');
      const c1 = await fm.conn(1, 5000);
      assert.deepEqual(await c1.next(), ['PING'], 'a new attempt starts over');
      await servesOld(s);
      assert.match(s.logText(), /Error reply to PING from master: '-BOGUS what is this'/);
      assert.equal((await s.info())['master_link_status'], 'down');
    });

    test(`${kind} replica: -ERR to PSYNC: falls back to SYNC; a close then makes it retry with PSYNC`, { timeout: 15000 }, async (t) => {
      const fm = await FakeMaster.start(t);
      const { s, own } = await replicaOfFake(t, fm, kind);
      const c0 = await fm.conn(0);
      assert.deepEqual(await handshake(c0), own, 'a former master PSYNCs with its own history');
      assert.ok(c0.seen.some((x) => x.join(' ').toLowerCase() === 'replconf capa eof capa psync2'), 'capa eof psync2 announced');
      assert.ok(c0.seen.some((x) => x[0]!.toUpperCase() === 'REPLCONF' && x[1] === 'listening-port' && x[2] === String(s.port)), 'listening-port announced');
      c0.send('-ERR unknown command \'PSYNC\'\r\n');
      assert.deepEqual(await c0.next(), ['SYNC']);
      c0.sock.destroy();
      const c1 = await fm.conn(1);
      assert.equal((await handshake(c1))[0], 'PSYNC');
      await servesOld(s);
      assert.match(s.logText(), /Master does not support PSYNC or is in error state/);
    });

    test(`${kind} replica: a payload cut short ($<len>, held open, then closed): old data served meanwhile and after; a retry with a good payload and stream is applied and ACKed`, { timeout: 20000 }, async (t) => {
      const { rdb, src } = await goodRdb(t);
      const fm = await FakeMaster.start(t);
      const { s } = await replicaOfFake(t, fm, kind);
      const c0 = await fm.conn(0);
      await handshake(c0);
      c0.send(`+FULLRESYNC ${FAKE_ID} 100\r\n$${rdb.length}\r\n`);
      c0.send(rdb.subarray(0, rdb.length >> 1));
      await poll('the transfer is under way', async () => (await s.info())['master_sync_in_progress'] === '1', 5000);
      await servesOld(s);
      c0.sock.destroy();
      const c1 = await fm.conn(1);
      assert.equal((await handshake(c1))[0], 'PSYNC');
      await servesOld(s);
      // this time the whole payload, then the stream
      c1.send(`+FULLRESYNC ${FAKE_ID} 100\r\n$${rdb.length}\r\n`);
      c1.send(rdb);
      const stream = resp('SELECT', '0') + resp('SET', 'streamed', 'yes') + resp('INCR', 'n');
      c1.send(stream);
      await poll('the stream applied', async () => (await s.call('GET', 'streamed')) === 'yes', 5000);
      await poll('an ACK at the end of the stream', async () => {
        const ack = c1.seen.find((x) => x[0]!.toUpperCase() === 'REPLCONF' && x[1]!.toUpperCase() === 'ACK' && x[2] === String(100 + stream.length));
        if (ack === undefined) await c1.next(1100).catch(() => null);
        return ack !== undefined;
      }, 5000);
      const f = await s.info();
      assert.equal(f['slave_repl_offset'], String(100 + stream.length));
      assert.equal(f['master_replid'], FAKE_ID);
      assert.deepEqual(await s.pipeline([['GET', 'old'], ['SELECT', 4], ['EXISTS', 'old:list']]), [null, 'OK', 0], 'the old data flushed');
      // the payload loaded whole, plus the stream: the source with the same writes has the same digest
      await apply(src, [['SET', 'streamed', 'yes'], ['INCR', 'n']]);
      await sameDigest([src, s]);
    });

    test(`${kind} replica: a diskless payload ($EOF:<mark>) closed mid-way: old data kept, retry`, { timeout: 15000 }, async (t) => {
      const { rdb } = await goodRdb(t);
      const fm = await FakeMaster.start(t);
      const { s } = await replicaOfFake(t, fm, kind);
      const c0 = await fm.conn(0);
      await handshake(c0);
      c0.send(`+FULLRESYNC ${FAKE_ID} 0\r\n$EOF:${'m'.repeat(40)}\r\n`);
      c0.send(rdb.subarray(0, rdb.length - 30));
      await poll('the transfer is under way', async () => (await s.info())['master_sync_in_progress'] === '1', 5000);
      await servesOld(s);
      c0.sock.destroy();
      const c1 = await fm.conn(1);
      assert.equal((await handshake(c1))[0], 'PSYNC');
      await servesOld(s);
    });

    test(`${kind} replica: after a failed full-sync transfer (and after -ERR / SYNC) the retry PSYNCs with the same history`, { timeout: 15000 }, async (t) => {
      const fm = await FakeMaster.start(t);
      const { own } = await replicaOfFake(t, fm, kind);
      const c0 = await fm.conn(0);
      assert.deepEqual(await handshake(c0), own);
      c0.send(`+FULLRESYNC ${FAKE_ID} 0\r\n$1000\r\nREDIS0009`);
      await new Promise((r) => setTimeout(r, 50)); // let the first payload bytes arrive before the close (ordering only)
      c0.sock.destroy();
      const c1 = await fm.conn(1);
      assert.deepEqual(await handshake(c1), own, 'the cached history survives a failed transfer');
      c1.send('-ERR nope\r\n');
      assert.deepEqual(await c1.next(), ['SYNC']);
      c1.sock.destroy();
      const c2 = await fm.conn(2);
      assert.deepEqual(await handshake(c2), own, 'and a -ERR to PSYNC followed by SYNC');
    });
  }

  for (const kind of KINDS) {
    for (const framing of ['$<len>', '$EOF:<mark>'] as const) {
      test(`${kind} replica without keys, disk-based load, ${framing}: nothing visible until the payload is whole; then its keys, Redis's log lines in Redis's order, the stream`, { timeout: 20000 }, async (t) => {
        const { rdb, src } = await goodRdb(t);
        const fm = await FakeMaster.start(t);
        const s = await emptyReplicaOfFake(t, fm, kind);
        const c0 = await fm.conn(0);
        await handshake(c0);
        const mark = 'k'.repeat(40);
        c0.send(`+FULLRESYNC ${FAKE_ID} 100\r\n${framing === '$<len>' ? `$${rdb.length}` : `$EOF:${mark}`}\r\n`);
        c0.send(rdb.subarray(0, rdb.length - 20));
        await poll('the transfer is under way', async () => (await s.info())['master_sync_in_progress'] === '1', 5000);
        // Nodis parsed what came into dbs of its own; as Redis, the replica serves its empty dataset, not loading
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(await s.pipeline([['DBSIZE'], ['EXISTS', 'new:a'], ['SELECT', 2], ['DBSIZE']]), [0, 0, 'OK', 0]);
        assert.equal((await s.info('persistence'))['loading'], '0');
        c0.send(framing === '$<len>' ? rdb.subarray(rdb.length - 20) : Buffer.concat([rdb.subarray(rdb.length - 20), Buffer.from(mark)]));
        // the stream once the replica ACKs, as a diskless master sends it (after the mark, it is not part of the payload's read)
        for (;;) { const cmd = await c0.next(5000); if (cmd[0]!.toUpperCase() === 'REPLCONF' && cmd[1]!.toUpperCase() === 'ACK') break; }
        const stream = resp('SELECT', '0') + resp('SET', 'streamed', 'yes');
        c0.send(stream);
        await poll('the stream applied', async () => (await s.call('GET', 'streamed')) === 'yes', 5000);
        await apply(src, [['SET', 'streamed', 'yes']]);
        await sameDigest([src, s]);
        const log = s.logText();
        const at = (re: RegExp): number => { const m = re.exec(log); assert.ok(m, `${String(re)} in the log`); return m.index; };
        const order = [/MASTER <-> REPLICA sync: Flushing old data/, /MASTER <-> REPLICA sync: Loading DB in memory/, /Loading RDB produced by version/,
          /RDB age \d+ seconds/, /Done loading RDB, keys loaded: 504, keys expired: 0\./, /MASTER <-> REPLICA sync: Finished with success/].map(at);
        assert.deepEqual(order, [...order].sort((a, b) => a - b), 'the load\'s lines in Redis\'s order');
        if (kind === 'nodis') assert.match(log, /the payload was parsed as it arrived/);
      });
    }
  }

  test('nodis replica without keys: a corrupt payload of the announced length is parsed as it arrives, then loaded as usual: the error as Redis logs it, nothing loaded, retry', { timeout: 15000 }, async (t) => {
    const { rdb } = await goodRdb(t);
    const fm = await FakeMaster.start(t);
    const s = await emptyReplicaOfFake(t, fm, 'nodis');
    await sendCorruptPayload(fm, rdb);
    assert.deepEqual(await s.pipeline([['DBSIZE'], ['EXISTS', 'new:a'], ['SELECT', 2], ['DBSIZE']]), [0, 0, 'OK', 0]);
    assert.match(s.logText(), /Failed trying to load the MASTER synchronization DB/);
    assert.doesNotMatch(s.logText(), /the payload was parsed as it arrived/);
  });

  test('nodis replica: a corrupt payload of the announced length: never a half-loaded dataset; retry (redis-server exits instead)', { timeout: 15000 }, async (t) => {
    const { rdb } = await goodRdb(t);
    const fm = await FakeMaster.start(t);
    const { s } = await replicaOfFake(t, fm, 'nodis');
    await sendCorruptPayload(fm, rdb);
    const x = await s.pipeline([['EXISTS', 'new:a', 'new:l', 'new:h', 'new:k1'], ['DBSIZE'], ['GET', 'old']]);
    assert.equal(x[0], 0, 'no key of the corrupt payload');
    assert.ok(x[1] === 0 || x[2] === 'data', `either the old dataset or none (DBSIZE ${String(x[1])}, old=${String(x[2])})`);
    assert.match(s.logText(), /Failed trying to load the MASTER synchronization DB/);
  });

  test('PSYNC with an unknown replid, or an offset past the history, gets +FULLRESYNC from Nodis as from redis-server', { timeout: 15000 }, async (t) => {
    const [topo, n, x] = await topology(t, [['nodis', 'nodis'], ['redis', 'redis']]);
    await topo.run(async () => {
      for (const m of [n!, x!]) {
        await apply(m, [['SET', 'k', 'v']]);
        const tries: [string | null, string][] = [['0123456789abcdef0123456789abcdef01234567', '1'], [null, '999999'], ['?', '-1']];
        for (const [tryId, off] of tries) {
          // null: the master's own replid (read now: the first replica changed it)
          const id = tryId ?? (await m.info())['master_replid']!;
          const c = await RawClient.connect(m.port);
          try {
            assert.equal(await c.call('REPLCONF', 'capa', 'psync2'), '+OK\r\n');
            c.send('PSYNC', id, off);
            const line = await poll('the +FULLRESYNC line', async () => { const i = c.unread.indexOf('\r\n'); return i >= 0 ? c.unread.slice(0, i) : false; }, 5000);
            assert.match(line, /^\+FULLRESYNC [0-9a-f]{40} \d+$/, `${m.name}: PSYNC ${id} ${off}`);
          } finally { c.close(); }
          await poll('the replica gone', async () => (await m.info())['connected_slaves'] === '0', 5000);
        }
        const st = await m.info('stats');
        assert.equal(st['sync_partial_err'], '2', `${m.name}: two refused PSYNCs (? is not one)`);
        assert.equal(st['sync_full'], '3', m.name);
      }
    });
  });
});
