/*
 * Resharding a live mixed cluster with redis-cli --cluster while a cluster
 * client (node-redis) keeps writing: add-node, reshard, rebalance, emptying a
 * Nodis master into a redis-server one, del-node, then fix of an open slot.
 *
 * The workload: W workers, each a sequential chain (so each key has one
 * writer and a known last value) of SETs of new keys k:<w>:<n> and INCRs of
 * its own counter c:<w>. A write that got an error reply counts as "unknown"
 * (it may or may not have happened). At the end, with the cluster checked:
 *   - every acknowledged SET reads back its value (nothing lost);
 *   - each counter is between its acknowledged INCRs and acknowledged +
 *     unknown (nothing lost, nothing applied twice);
 *   - each master holds exactly the keys of its own slots (DBSIZE = the sum of
 *     COUNTKEYSINSLOT over its slots: no key left behind on a node that gave its
 *     slot away, none duplicated), and the masters' keys add up to the writes.
 *
 * Waits are bounded polls; every process is killed and every dir removed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DisconnectsClientError } from 'redis';
import { skipWithoutRedis } from '../helpers/servers.js';
import { poll, type Node } from '../helpers/topology.js';
import { CONF, cliAsync, keysMatchSlots, makeCluster, masterOf, nodesOf, settled, withClient } from '../helpers/cluster.js';

const skip = skipWithoutRedis();
const W = 8;
/** ms between a worker's writes: a steady load (~2000 writes/s) that keeps the dataset small enough for CI */
const PACE = 3;

function slotCount(ranges: string[]): number {
  let n = 0;
  for (const r of ranges) {
    if (r.startsWith('[')) continue; // open slot markers
    const [a, b] = r.includes('-') ? r.split('-').map(Number) as [number, number] : [Number(r), Number(r)];
    n += b - a + 1;
  }
  return n;
}

describe('Resharding under write load', { skip, timeout: 240000 }, () => {
  test('add-node, reshard, rebalance, del-node and fix on a Nodis + redis-server cluster lose and duplicate nothing', async (t) => {
    const [topo, nodes] = await makeCluster(t, ['nodis-proc', 'redis', 'nodis-proc'], 0);
    await topo.run(async () => {
      const [n0, n1, n2] = nodes as [Node, Node, Node];
      const addr = (n: Node): string => `127.0.0.1:${n.port}`;
      const idOf = async (n: Node): Promise<string> => String(await n.call('CLUSTER', 'MYID'));
      const step = async (what: string, args: string[]): Promise<string> => {
        const r = await cliAsync(args);
        assert.equal(r.code, 0, `${what}: ${r.out}`);
        t.diagnostic(`${what}: ok`);
        return r.out;
      };
      const acked: number[] = new Array(W).fill(0); // SETs k:<w>:1..acked[w] that succeeded, in order
      const lostSet: string[] = [];
      const incrOk: number[] = new Array(W).fill(0);
      const incrUnknown: number[] = new Array(W).fill(0);
      const unknownSets: string[] = [];
      const errors: string[] = [];
      // a command in flight on a node connection the cluster client drops when it rediscovers the slots (the emptied
      // master turning replica) is cancelled by the client, not answered: its outcome is unknown (counted above), not
      // an error reply
      let cancelled = 0;
      const failed = (what: string, e: unknown): void => {
        if (e instanceof DisconnectsClientError) cancelled++;
        else errors.push(`${what}: ${(e as Error).message}`);
      };
      let n3: Node | null = null;
      const id1 = await idOf(n1);
      const id2 = await idOf(n2);
      await withClient(nodes, async (c) => {
        let stop = false;
        const worker = async (w: number): Promise<void> => {
          for (let n = 1; !stop; n++) {
            const key = `k:${w}:${n}`;
            try {
              if ((await c.set(key, `${n}`)) === 'OK') acked[w] = n; else lostSet.push(key);
            } catch (e) { unknownSets.push(key); failed(`SET ${key}`, e); }
            if (n % 4 === 0) {
              try { await c.incr(`c:${w}`); incrOk[w]!++; } catch (e) { incrUnknown[w]!++; failed(`INCR c:${w}`, e); }
            }
            await new Promise((r) => setTimeout(r, PACE));
          }
        };
        const workers = Array.from({ length: W }, (_, w) => worker(w));
        try {
          // a new Nodis master joins
          n3 = await topo.add('n3', 'nodis-proc', { ...CONF });
          await step('add-node', ['--cluster', 'add-node', addr(n3), addr(n0)]);
          const all = [n0, n1, n2, n3];
          await settled(all, 30000);
          const id3 = await idOf(n3);
          // 1200 slots from every master (redis-server and Nodis sources) to it
          await step('reshard 1200 slots to the new node', ['--cluster', 'reshard', addr(n0), '--cluster-from', 'all', '--cluster-to', id3,
            '--cluster-slots', '1200', '--cluster-yes']);
          await settled(all, 30000);
          await step('rebalance', ['--cluster', 'rebalance', addr(n0), '--cluster-threshold', '1']);
          await settled(all, 30000);
          let lines = await nodesOf(n0);
          for (const n of all) {
            const s = slotCount(masterOf(lines, n.port).slots);
            assert.ok(Math.abs(s - 4096) <= 41, `${n.name} holds ${s} slots after rebalance`);
          }
          // empty a Nodis master into the redis-server one
          const held = slotCount(masterOf(lines, n2.port).slots);
          await step(`reshard ${held} slots Nodis -> redis-server`, ['--cluster', 'reshard', addr(n0), '--cluster-from', id2, '--cluster-to', id1,
            '--cluster-slots', String(held), '--cluster-yes']);
          await settled(all, 30000);
          // as Redis 7.0 (cluster-allow-replica-migration yes): a master that gave away its last slot replicates the taker
          await poll('the emptied node replicates the node that took its slots', async () => {
            const me = (await nodesOf(n2)).find((l) => l.flags.includes('myself'))!;
            return me.flags.includes('slave') && me.master === id1;
          }, 10000);
        } finally {
          stop = true;
          await Promise.all(workers);
        }
      });
      t.diagnostic(`writes: ${acked.reduce((a, b) => a + b, 0)} SETs and ${incrOk.reduce((a, b) => a + b, 0)} INCRs acknowledged, ` +
        `${unknownSets.length + incrUnknown.reduce((a, b) => a + b, 0)} with an error reply or cancelled (${cancelled} cancelled by the client)`);
      for (const e of errors.slice(0, 5)) t.diagnostic(e);
      assert.deepEqual(lostSet, [], 'SETs that replied something other than OK');
      assert.deepEqual(errors, [], 'error replies during resharding');
      // remove the emptied node; it forgets the cluster (CLUSTER RESET SOFT) and, as an operator would, we stop it
      await step('del-node', ['--cluster', 'del-node', addr(n0), id2]);
      const left = [n0, n1, n3!];
      await settled(left, 30000);
      await poll('the removed node forgot the cluster', async () => String(await n2.call('CLUSTER', 'INFO')).includes('cluster_known_nodes:1'), 10000);
      await n2.stop('kill');
      await withClient(left, async (c) => {
        // a slot left open (migrating on its owner, importing on another) and keys in it: --cluster fix closes it
        const [a, b] = [left[0]!, left[2]!];
        let lines = await nodesOf(a);
        const slot = Number(masterOf(lines, a.port).slots[0]!.split('-')[0]);
        const fixKeys: string[] = [];
        for (let i = 0; fixKeys.length < 5; i++) if (Number(await a.call('CLUSTER', 'KEYSLOT', `fix:${i}`)) === slot) fixKeys.push(`fix:${i}`);
        for (const k of fixKeys) await a.ok('SET', k, k);
        await b.ok('CLUSTER', 'SETSLOT', slot, 'IMPORTING', await idOf(a));
        await a.ok('CLUSTER', 'SETSLOT', slot, 'MIGRATING', await idOf(b));
        const broken = await cliAsync(['--cluster', 'check', `127.0.0.1:${a.port}`]);
        assert.match(broken.out, /\[WARNING\] Node 127\.0\.0\.1:\d+ has slots in (migrating|importing) state/);
        const fixed = await cliAsync(['--cluster', 'fix', `127.0.0.1:${a.port}`]);
        assert.equal(fixed.code, 0, fixed.out);
        await settled(left, 30000);
        const check = await cliAsync(['--cluster', 'check', `127.0.0.1:${a.port}`]);
        assert.equal(check.code, 0, check.out);
        assert.match(check.out, /\[OK\] All 16384 slots covered\./);
        assert.doesNotMatch(check.out, /WARNING|ERR/);
        // the data: every acknowledged write, nothing twice, each key on its slot's master only
        for (let w = 0; w < W; w++) {
          for (let n = 1; n <= acked[w]!; n += 200) {
            const ns = Array.from({ length: Math.min(200, acked[w]! - n + 1) }, (_, j) => n + j);
            assert.deepEqual(await Promise.all(ns.map((x) => c.get(`k:${w}:${x}`))), ns.map(String), `worker ${w}'s keys`);
          }
          const v = Number(await c.get(`c:${w}`) ?? 0);
          assert.ok(v >= incrOk[w]! && v <= incrOk[w]! + incrUnknown[w]!, `c:${w} = ${v}, acknowledged ${incrOk[w]}, unknown ${incrUnknown[w]}`);
          assert.equal(await c.get(`k:${w}:${acked[w]! + 2}`), null, 'no key past the last write');
        }
        for (const k of fixKeys) assert.equal(await c.get(k), k);
        lines = await nodesOf(a);
        let total = 0;
        for (const n of left) total += await keysMatchSlots(n, masterOf(lines, n.port).slots);
        const sets = acked.reduce((x, y) => x + y, 0);
        const counters = incrOk.filter((x, w) => x + incrUnknown[w]! > 0).length;
        assert.ok(total >= sets + counters + fixKeys.length && total <= sets + counters + fixKeys.length + unknownSets.length,
          `${total} keys on the masters for ${sets} acknowledged SETs (+${unknownSets.length} unknown), ${counters} counters, ${fixKeys.length} fix keys`);
      });
    });
  });
});
