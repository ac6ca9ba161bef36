/*
 * The embedded cluster (startCluster: every node in this process) and the
 * slot-migration replies, compared with a cluster of redis-server processes
 * doing the same steps:
 *
 * - startCluster forms 3 masters with a replica each; a cluster client
 *   (node-redis) reads its writes; CLUSTER SLOTS lists the replicas;
 * - during a manual slot move (SETSLOT MIGRATING / IMPORTING) the replies
 *   are Redis's, byte for byte: ASK for a missing key on the source, the
 *   key served while it is still there, TRYAGAIN for a multi-key command
 *   with some keys missing, MOVED on the target without ASKING, served after
 *   ASKING (for one command only), and after SETSLOT NODE the slot is
 *   served by the target and the source redirects with MOVED;
 * - READONLY on a replica serves reads of its master's slots, still
 *   redirecting writes.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createCluster } from 'redis';
import { startCluster } from '../../src/index.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { REDIS_SERVER, clusterFreePort, skipWithoutRedis } from '../helpers/servers.js';
import { poll } from '../helpers/topology.js';

interface Handle { ports: number[]; close(): Promise<void> }

async function nodisCluster(): Promise<Handle> {
  const c = await startCluster({ masters: 3, replicas: 1, nodeTimeout: 2000 });
  return { ports: c.nodes.map((n) => n.port), close: () => c.close() };
}

async function redisCluster(): Promise<Handle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-rc-'));
  const procs: ChildProcess[] = [];
  const ports: number[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(procs.map((p) => new Promise<void>((r) => { if (p.exitCode !== null) r(); else { p.once('exit', () => r()); p.kill('SIGKILL'); } })));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = await clusterFreePort();
      const d = path.join(dir, String(i));
      fs.mkdirSync(d);
      procs.push(spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-node-timeout', '2000', '--save', '', '--dir', d], { stdio: 'ignore' }));
      ports.push(port);
    }
    for (const p of ports) {
      await poll(`redis ${p} up`, async () => { const c = await RawClient.connect(p); try { return (await c.call('PING')) === '+PONG\r\n'; } finally { c.close(); } }, 10000);
    }
    const r = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'latin1', timeout: 60000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    await poll('redis cluster ok', async () => {
      for (const p of ports) {
        const c = await RawClient.connect(p);
        try { if (!String(parseReply(await c.call('CLUSTER', 'INFO'))).includes('cluster_state:ok')) return false; } finally { c.close(); }
      }
      return true;
    }, 20000, 100);
    return { ports, close };
  } catch (e) {
    await close();
    throw e;
  }
}

interface Info { id: string; port: number; master: boolean; masterId: string; slots: string[] }

async function layout(port: number): Promise<Info[]> {
  const c = await RawClient.connect(port);
  try {
    const text = String(parseReply(await c.call('CLUSTER', 'NODES')));
    return text.trim().split('\n').map((l) => {
      const f = l.split(' ');
      return { id: f[0]!, port: Number(f[1]!.split(':')[1]!.split('@')[0]), master: f[2]!.includes('master'), masterId: f[3]!, slots: f.slice(8) };
    });
  } finally { c.close(); }
}

/** The slot-migration dialogue; replies with the ports replaced by names, so both clusters compare. */
async function migrationDialogue(ports: number[]): Promise<string[]> {
  const nodes = await layout(ports[0]!);
  const masters = nodes.filter((n) => n.master).sort((a, b) => Number(a.slots[0]!.split('-')[0]) - Number(b.slots[0]!.split('-')[0]));
  const [src, dst] = [masters[0]!, masters[1]!];
  const name = (s: string): string => s.replaceAll(`:${src.port}`, ':SRC').replaceAll(`:${dst.port}`, ':DST').replaceAll(src.id, 'SRCID').replaceAll(dst.id, 'DSTID');
  const a = await RawClient.connect(src.port);
  const b = await RawClient.connect(dst.port);
  const out: string[] = [];
  const both = async (c: RawClient, ...args: (string | number)[]): Promise<void> => { out.push(name(`${c === a ? 'src' : 'dst'} ${args.join(' ')} -> ${await c.call(...args)}`)); };
  try {
    // keys with a hash tag in one slot of the source's range
    const slot = Number(src.slots[0]!.split('-')[0]) + 5;
    let tag = '';
    for (let i = 0; tag === ''; i++) if (parseReply(await a.call('CLUSTER', 'KEYSLOT', `t${i}`)) === slot) tag = `t${i}`;
    const k1 = `{${tag}}1`;
    const k2 = `{${tag}}2`;
    await both(a, 'SET', k1, 'v1');
    await both(b, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', src.id);
    // two open slots, opened in descending order: CLUSTER NODES lists them ascending
    await both(a, 'CLUSTER', 'SETSLOT', slot + 3, 'MIGRATING', dst.id);
    await both(a, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', dst.id);
    const mine = String(parseReply(await a.call('CLUSTER', 'NODES'))).split('\n').find((l) => l.includes('myself'))!;
    out.push(name(`src open slots: ${mine.split(' ').filter((f) => f.startsWith('[')).join(' ')}`));
    await both(a, 'CLUSTER', 'SETSLOT', slot + 3, 'STABLE');
    await both(a, 'GET', k1);
    await both(a, 'GET', k2);
    await both(a, 'MGET', k1, k2);
    await both(a, 'SET', k2, 'x');
    await both(b, 'GET', k2);
    await both(b, 'ASKING');
    await both(b, 'GET', k2);
    await both(b, 'GET', k2);
    await both(b, 'ASKING');
    await both(b, 'MGET', k1, k2);
    await both(b, 'ASKING');
    await both(b, 'SET', k2, 'moved');
    // a resharding's transfer: RESTORE-ASKING needs no ASKING; RESTORE does
    const k3 = `{${tag}}3`;
    await a.call('SET', k3, 'v3');
    const payload = String(parseReply(await a.call('DUMP', k3)));
    await a.call('DEL', k3);
    await both(b, 'RESTORE', k3, 0, payload);
    await both(b, 'RESTORE-ASKING', k3, 0, payload);
    await both(b, 'ASKING');
    await both(b, 'GET', k3);
    await both(b, 'ASKING');
    await both(b, 'DEL', k3);
    // move k1 by hand (MIGRATE's effect): delete on the source, set on the target
    await both(a, 'DEL', k1);
    await both(b, 'ASKING');
    await both(b, 'SET', k1, 'v1');
    await both(a, 'GET', k1);
    await both(a, 'CLUSTER', 'COUNTKEYSINSLOT', slot);
    await both(b, 'CLUSTER', 'COUNTKEYSINSLOT', slot);
    await both(b, 'CLUSTER', 'SETSLOT', slot, 'NODE', dst.id);
    await both(a, 'CLUSTER', 'SETSLOT', slot, 'NODE', dst.id);
    await both(a, 'GET', k1);
    await both(b, 'GET', k1);
    await both(b, 'MGET', k1, k2);
    return out;
  } finally { a.close(); b.close(); }
}

describe('embedded cluster and slot migration replies', { skip: skipWithoutRedis(), timeout: 120000 }, () => {
  test('startCluster: 3 masters with a replica each serve a cluster client; CLUSTER SLOTS lists replicas', async (t) => {
    const c = await startCluster({ masters: 3, replicas: 1, nodeTimeout: 2000 });
    t.after(() => c.close());
    assert.equal(c.nodes.length, 6);
    const client = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${c.masterPorts[0]}` }] });
    client.on('error', () => undefined);
    await client.connect();
    try {
      for (let i = 0; i < 300; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => client.set(`e:${i + j}`, String(i + j))));
      const got = await Promise.all(Array.from({ length: 300 }, (_, i) => client.get(`e:${i}`)));
      assert.deepEqual(got, Array.from({ length: 300 }, (_, i) => String(i)));
    } finally { client.destroy(); }
    const r = await RawClient.connect(c.masterPorts[0]!);
    t.after(() => r.close());
    await poll('replicas listed', async () => {
      const slots = parseReply(await r.call('CLUSTER', 'SLOTS')) as unknown[][];
      return slots.length === 3 && slots.every((s) => s.length === 4) ? slots : false;
    }, 10000);
    // READONLY on a replica: reads of its master's slots served, writes redirected
    const nodes = await layout(c.masterPorts[0]!);
    const replica = nodes.find((n) => !n.master)!;
    const master = nodes.find((n) => n.id === replica.masterId)!;
    const s = Number(master.slots[0]!.split('-')[0]);
    let key = '';
    for (let i = 0; key === ''; i++) if (parseReply(await r.call('CLUSTER', 'KEYSLOT', `r${i}`)) === s) key = `r${i}`;
    const m = await RawClient.connect(master.port);
    t.after(() => m.close());
    assert.equal(await m.call('SET', key, 'val'), '+OK\r\n');
    const rc = await RawClient.connect(replica.port);
    t.after(() => rc.close());
    assert.equal(await rc.call('GET', key), `-MOVED ${s} 127.0.0.1:${master.port}\r\n`);
    assert.equal(await rc.call('READONLY'), '+OK\r\n');
    await poll('replicated', async () => (await rc.call('GET', key)) === '$3\r\nval\r\n', 5000);
    assert.equal(await rc.call('SET', key, 'x'), `-MOVED ${s} 127.0.0.1:${master.port}\r\n`);
    assert.match(String(parseReply(await rc.call('CLIENT', 'INFO'))), / flags=r /);
    assert.equal(await rc.call('READWRITE'), '+OK\r\n');
    assert.equal(await rc.call('GET', key), `-MOVED ${s} 127.0.0.1:${master.port}\r\n`);
  });

  test('slot migration replies (ASK, TRYAGAIN, ASKING, SETSLOT NODE) equal a redis-server cluster', async (t) => {
    const n = await nodisCluster();
    t.after(() => n.close());
    const r = await redisCluster();
    t.after(() => r.close());
    const ours = await migrationDialogue(n.ports);
    const theirs = await migrationDialogue(r.ports);
    assert.deepEqual(ours, theirs);
  });
});
