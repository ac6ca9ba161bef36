/*
 * Redis Cluster with real processes: Nodis nodes and redis-server 7.0 nodes in
 * one cluster, made by `redis-cli --cluster create`, speaking Redis's bus.
 *
 * - the cluster forms: every node says cluster_state:ok and every node's
 *   CLUSTER NODES gives the same ids, roles, masters and slots;
 *   `redis-cli --cluster check` passes; a cluster client (node-redis) writes
 *   and reads keys over all slots; each master holds exactly the keys of its
 *   slots (COUNTKEYSINSLOT over its ranges = DBSIZE) and replicas follow;
 *   MOVED / CROSSSLOT / CLUSTERDOWN replies are byte-identical between kinds;
 * - failover: a SIGKILLed master of each kind is replaced by its replica
 *   (of the other kind when redis-cli paired them so), the cluster is ok
 *   again and every key is still readable; a killed Nodis node restarted from
 *   its nodes.conf keeps its id and rejoins as a replica of its successor;
 * - manual failover (CLUSTER FAILOVER) on a Nodis replica swaps the roles
 *   without losing writes acknowledged before it.
 *
 * Waits are bounded polls; every process is killed and every dir removed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import IORedis from 'ioredis';
import { skipWithoutRedis } from '../helpers/servers.js';
import { poll, type Kind, type Node } from '../helpers/topology.js';
import { TIMEOUT, cli, keysMatchSlots, makeCluster, masterOf, nodesOf, settled, withClient } from '../helpers/cluster.js';

const skip = skipWithoutRedis();
/**
 * An ioredis Cluster client SETting t:<i> over all slots, one at a time, while a master dies. finish() waits for
 * 300 more acknowledged writes once the cluster is ok again (the client recovered on its own), stops, and checks
 * that every write acknowledged after the first error (or from the start if none) reads back; writes acknowledged
 * just before the kill may be lost (asynchronous replication, as in Redis): counted, not failed.
 */
function throughFailover(nodes: Node[]): { running(): Promise<unknown>; finish(): Promise<string> } {
  // ioredis, not node-redis: node-redis v5 keeps queueing a dead master's slots on its lost connection and does
  // not look the topology up again, so it never recovers by itself; ioredis refreshes the slots when a node goes
  const c = new IORedis.Cluster(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), {
    clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 500 }, slotsRefreshTimeout: 1000,
  });
  c.on('error', () => undefined);
  const ok: number[] = [];
  let errors = 0;
  let firstErrorAt = -1;
  let stop = false;
  const run = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        if ((await c.set(`t:${i}`, `${i}`)) === 'OK') ok.push(i);
      } catch {
        errors++;
        if (firstErrorAt < 0) firstErrorAt = i;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  })();
  return {
    running: () => poll('the client writes', async () => ok.length >= 300, 10000, 20),
    async finish() {
      const target = ok.length + 300;
      await poll('the client writes again after the failover', async () => ok.length >= target, 30000, 50);
      stop = true;
      await run;
      try {
        const after = ok.filter((i) => i > firstErrorAt);
        for (let k = 0; k < after.length; k += 200) {
          const part = after.slice(k, k + 200);
          assert.deepEqual(await Promise.all(part.map((i) => c.get(`t:${i}`))), part.map(String), 'writes acknowledged after the failover began');
        }
        const before = ok.filter((i) => i < firstErrorAt);
        const got = await Promise.all(before.map((i) => c.get(`t:${i}`)));
        const lost = got.filter((v, j) => v !== String(before[j])).length;
        return `client through the failover: ${ok.length} writes acknowledged, ${errors} errors while the slot had no master, ` +
          `${lost} of ${before.length} acknowledged before the kill lost (asynchronous replication)`;
      } finally { c.disconnect(); }
    },
  };
}

describe('Redis Cluster', { skip, timeout: 240000 }, () => {
  test('a cluster of Nodis and redis-server nodes forms, routes, replicates; replies equal between kinds', async (t) => {
    const [topo, nodes] = await makeCluster(t, ['nodis-proc', 'redis', 'nodis-proc', 'redis', 'nodis-proc', 'nodis-proc'], 1);
    await topo.run(async () => {
      const check = cli(['--cluster', 'check', `127.0.0.1:${nodes[0]!.port}`]);
      assert.equal(check.code, 0, check.out);
      assert.match(check.out, /\[OK\] All 16384 slots covered\./);
      const N = 1500;
      await withClient(nodes, async (c) => {
        for (let i = 0; i < N; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => c.set(`key:${i + j}`, `v${i + j}`)));
        for (let i = 0; i < N; i += 250) {
          const got = await Promise.all(Array.from({ length: 250 }, (_, j) => c.get(`key:${i + j}`)));
          assert.deepEqual(got, Array.from({ length: 250 }, (_, j) => `v${i + j}`));
        }
      });
      const lines = await nodesOf(nodes[0]!);
      let total = 0;
      for (const n of nodes) {
        const me = masterOf(lines, n.port);
        if (me.flags.includes('master')) total += await keysMatchSlots(n, me.slots);
      }
      assert.equal(total, N);
      // replicas hold their master's keys
      for (const n of nodes) {
        const me = masterOf(lines, n.port);
        if (!me.flags.includes('slave')) continue;
        const m = nodes.find((x) => masterOf(lines, x.port).id === me.master)!;
        await poll(`${n.name} follows ${m.name}`, async () => (await n.call('DBSIZE')) === (await m.call('DBSIZE')), 10000);
      }
      // the same redirect / error bytes from a Nodis and a redis-server master
      const byKind = (k: Kind): Node => nodes.find((n) => n.kind === k && masterOf(lines, n.port).flags.includes('master'))!;
      for (const kind of ['nodis-proc', 'redis'] as Kind[]) {
        const n = byKind(kind);
        const mine = masterOf(lines, n.port);
        const other = lines.find((l) => l.flags.includes('master') && l.id !== mine.id)!;
        const otherPort = Number(other.addr.split(':')[1]!.split('@')[0]);
        // a key of one of the other master's slots
        const slot = Number(other.slots[0]!.split('-')[0]);
        let key = '';
        for (let i = 0; key === ''; i++) if (Number(await n.call('CLUSTER', 'KEYSLOT', `k${i}`)) === slot) key = `k${i}`;
        assert.equal(await n.raw('GET', key), `-MOVED ${slot} 127.0.0.1:${otherPort}\r\n`, kind);
        assert.equal(await n.raw('MSET', 'a', '1', 'b', '2'), '-CROSSSLOT Keys in request don\'t hash to the same slot\r\n', kind);
        assert.equal(await n.raw('SELECT', '1'), '-ERR SELECT is not allowed in cluster mode\r\n', kind);
        assert.equal(await n.raw('CLUSTER', 'KEYSLOT', '{user1000}.following'), ':3443\r\n');
        assert.equal(await n.raw('CLUSTER', 'COUNTKEYSINSLOT', '16384'), '-ERR Invalid slot\r\n');
        assert.equal(await n.raw('CLUSTER', 'GETKEYSINSLOT', '1', '-1'), '-ERR Invalid slot or number of keys\r\n');
        assert.equal(await n.raw('CLUSTER', 'ADDSLOTS', '0'), '-ERR Slot 0 is already busy\r\n');
        assert.equal(await n.raw('CLUSTER', 'FORGET', mine.id), '-ERR I tried hard but I can\'t forget myself...\r\n');
        assert.equal(await n.raw('CLUSTER', 'SETSLOT', '0', 'BOGUS'), '-ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP\r\n');
        assert.equal(await n.raw('CLUSTER', 'MEET', '1.2.3.4.5', '1'), '-ERR Invalid node address specified: 1.2.3.4.5:1\r\n');
        const info = String(await n.call('CLUSTER', 'INFO'));
        assert.match(info, /^cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:6\r\ncluster_size:3\r\n/);
        // the bus links' memory: 5 peers, a link each way, each at least its own state (getClusterLinkMemUsage)
        const links = (await n.call('CLUSTER', 'LINKS')) as unknown[];
        assert.equal(links.length, 10, kind);
        const linkMem = Number(/mem_cluster_links:(\d+)/.exec(String(await n.call('INFO', 'memory')))![1]);
        assert.ok(linkMem >= 10 * 1024, `${kind}: mem_cluster_links ${linkMem}`);
        // GETKEYSINSLOT returns keys of that slot only, as many as asked
        const s0 = Number(mine.slots[0]!.split('-')[0]);
        let slotWithKeys = -1;
        for (let s = s0; slotWithKeys < 0; s++) if (Number(await n.call('CLUSTER', 'COUNTKEYSINSLOT', s)) > 0) slotWithKeys = s;
        const keys = await n.call('CLUSTER', 'GETKEYSINSLOT', slotWithKeys, 10) as string[];
        assert.ok(keys.length > 0);
        for (const k of keys) assert.equal(Number(await n.call('CLUSTER', 'KEYSLOT', k)), slotWithKeys);
      }
    });
  });

  test('failover: a killed master of each kind is replaced by its replica; a Nodis node restarted from nodes.conf rejoins', async (t) => {
    const [topo, nodes] = await makeCluster(t, ['nodis-proc', 'redis', 'nodis-proc', 'nodis-proc', 'redis', 'nodis-proc'], 1);
    await topo.run(async () => {
      const N = 600;
      await withClient(nodes, async (c) => {
        for (let i = 0; i < N; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => c.set(`f:${i + j}`, `v${i + j}`)));
      });
      // wait until replicas have the keys (the failover must not lose acknowledged writes to this test's eyes)
      let lines = await nodesOf(nodes[0]!);
      for (const n of nodes) {
        const me = masterOf(lines, n.port);
        if (!me.flags.includes('slave')) continue;
        const m = nodes.find((x) => masterOf(lines, x.port).id === me.master)!;
        await poll(`${n.name} follows ${m.name}`, async () => (await n.call('DBSIZE')) === (await m.call('DBSIZE')), 10000);
      }
      const alive = new Set(nodes);
      for (const kind of ['nodis-proc', 'redis'] as Kind[]) {
        lines = await nodesOf([...alive][0]!);
        const victim = [...alive].find((n) => n.kind === kind && masterOf(lines, n.port).flags.includes('master'))!;
        const vid = masterOf(lines, victim.port).id;
        const replica = [...alive].find((n) => masterOf(lines, n.port).master === vid)!;
        // a cluster client writing over all slots through the failover (the Nodis one): it must carry on by itself
        const writer = kind === 'nodis-proc' ? throughFailover([...alive]) : null;
        await writer?.running();
        const t0 = Date.now();
        await victim.stop('kill');
        alive.delete(victim);
        await poll(`${replica.name} (${replica.kind}) promoted`, async () => String((await replica.call('ROLE') as unknown[])[0]) === 'master', 30000, 50);
        const ms = Date.now() - t0;
        t.diagnostic(`failover of a ${kind} master to a ${replica.kind} replica: ${ms} ms (node timeout ${TIMEOUT} ms)`);
        await poll('cluster ok again', async () => {
          for (const n of alive) if (!String(await n.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
          return true;
        }, 20000, 100);
        if (writer !== null) t.diagnostic(await writer.finish());
        await withClient([...alive], async (c) => {
          for (let i = 0; i < N; i += 200) {
            const got = await Promise.all(Array.from({ length: 200 }, (_, j) => c.get(`f:${i + j}`)));
            assert.deepEqual(got, Array.from({ length: 200 }, (_, j) => `v${i + j}`));
          }
        });
        if (kind === 'nodis-proc') {
          // restarted from its nodes.conf: same id, now a replica of the node that took its slots
          await victim.restart();
          alive.add(victim);
          await poll('the old master rejoined as a replica', async () => {
            const l = await nodesOf(victim);
            const me = l.find((x) => x.flags.includes('myself'))!;
            return me.id === vid && me.flags.includes('slave') && masterOf(l, replica.port).id === me.master;
          }, 20000, 100);
          assert.match(victim.logText(), /Node configuration loaded, I'm [0-9a-f]{40}/);
        }
      }
      await settled([...alive].filter((n) => n.alive || n.kind === 'nodis'), 30000).catch(() => undefined);
    });
  });

  test('manual failover: CLUSTER FAILOVER on a Nodis replica swaps the roles with no write lost', async (t) => {
    const [topo, nodes] = await makeCluster(t, ['redis', 'nodis-proc', 'redis', 'nodis-proc', 'nodis-proc', 'redis'], 1);
    await topo.run(async () => {
      const lines = await nodesOf(nodes[0]!);
      const replica = nodes.find((n) => n.kind === 'nodis-proc' && masterOf(lines, n.port).flags.includes('slave'))!;
      const masterId = masterOf(lines, replica.port).master;
      const master = nodes.find((n) => masterOf(lines, n.port).id === masterId)!;
      await withClient(nodes, async (c) => {
        const writes: Promise<unknown>[] = [];
        let i = 0;
        const writer = setInterval(() => { for (let j = 0; j < 20; j++, i++) writes.push(c.set(`m:${i}`, `${i}`).catch(() => null)); }, 5);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(await replica.raw('CLUSTER', 'FAILOVER'), '+OK\r\n');
        await poll('roles swapped', async () => String((await replica.call('ROLE') as unknown[])[0]) === 'master' &&
          String((await master.call('ROLE') as unknown[])[0]) === 'slave', 15000, 50);
        await new Promise((r) => setTimeout(r, 200));
        clearInterval(writer);
        const acked = (await Promise.all(writes)).map((v, k) => (v === 'OK' ? k : -1)).filter((k) => k >= 0);
        await settled(nodes);
        for (let k = 0; k < acked.length; k += 200) {
          const part = acked.slice(k, k + 200);
          assert.deepEqual(await Promise.all(part.map((x) => c.get(`m:${x}`))), part.map(String));
        }
        t.diagnostic(`${acked.length} writes acknowledged across the manual failover, all readable`);
      });
      assert.match(replica.logText(), /Manual failover user request accepted\./);
      assert.match(replica.logText(), /Failover election won: I'm the new master\./);
    });
  });
});
