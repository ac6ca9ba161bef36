/*
 * Redis Cluster over TLS (tls-cluster yes, tls-replication yes): two Nodis
 * nodes and a redis-server node, each with a TLS port and a plaintext port,
 * made into one cluster by `redis-cli --tls --cluster create` on the TLS
 * ports; the bus runs over TLS on tls-port + 10000 between both kinds.
 *
 * - every node says cluster_state:ok and all agree on the three masters;
 * - redis-cli -c --tls writes and reads keys over every slot (redirects name
 *   TLS ports to a TLS client);
 * - a plaintext client sees plaintext ports in CLUSTER NODES and is redirected
 *   to the owner's plaintext port, by a Nodis and by a redis-server node alike
 *   (Redis reports non-TLS ports to non-TLS clients).
 *
 * Waits are bounded polls; every process is killed and every dir removed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { clusterFreePort, skipWithoutRedis } from '../helpers/servers.js';
import { poll, topology, type Kind, type Node } from '../helpers/topology.js';
import { makeTlsCerts, tlsConf } from '../helpers/tls-certs.js';
import { nodesOf, settled } from '../helpers/cluster.js';

const skip = skipWithoutRedis();

test('a TLS cluster of Nodis and redis-server nodes forms and routes; plaintext clients get plaintext ports', { skip, timeout: 120000 }, async (t) => {
  const certs = makeTlsCerts();
  t.after(() => certs.remove());
  const tlsPorts: number[] = [];
  const kinds: Kind[] = ['nodis-proc', 'redis', 'nodis-proc'];
  const specs: [string, Kind, Record<string, string | number>][] = [];
  for (let i = 0; i < kinds.length; i++) {
    const tp = await clusterFreePort();
    tlsPorts.push(tp);
    specs.push([`n${i}`, kinds[i]!, {
      'cluster-enabled': 'yes', 'cluster-node-timeout': 1000, 'tls-port': tp, 'tls-cluster': 'yes', 'tls-replication': 'yes',
      ...tlsConf(certs),
    }]);
  }
  const [topo, ...nodes] = await topology(t, specs);
  await topo.run(async () => {
    const tlsArgs = ['--tls', '--cacert', certs.ca, '--cert', certs.cert('redis'), '--key', certs.key('redis')];
    const cli = (args: string[]): { code: number | null; out: string } => {
      const r = spawnSync('redis-cli', [...tlsArgs, ...args], { encoding: 'latin1', timeout: 60000 });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    const create = cli(['--cluster', 'create', ...tlsPorts.map((p) => `127.0.0.1:${p}`), '--cluster-yes']);
    assert.equal(create.code, 0, create.out);
    await settled(nodes as Node[], 30000);
    // the bus is TLS, on each TLS port + 10000; a plaintext client's CLUSTER NODES lists plaintext ports
    const tlsOf = new Map(nodes.map((n, i) => [n!.port, tlsPorts[i]!]));
    const lines = await nodesOf(nodes[0]!);
    const portOf = (l: { addr: string }): number => Number(l.addr.split(':')[1]!.split('@')[0]);
    assert.deepEqual(lines.map(portOf).sort(), nodes.map((n) => n!.port).sort());
    for (const l of lines) assert.equal(Number(l.addr.split('@')[1]), tlsOf.get(portOf(l))! + 10000);
    // a TLS cluster client over every slot
    for (let i = 0; i < 30; i++) {
      const set = cli(['-c', '-p', String(tlsPorts[i % 3]), 'SET', `tls:${i}`, `v${i}`]);
      assert.equal(set.out.trim(), 'OK', set.out);
    }
    for (let i = 0; i < 30; i++) {
      const get = cli(['-c', '-p', String(tlsPorts[(i + 1) % 3]), 'GET', `tls:${i}`]);
      assert.equal(get.out.trim(), `v${i}`, get.out);
    }
    // plaintext clients are sent to plaintext ports, by both kinds
    for (const n of nodes) {
      const mine = (await nodesOf(n!)).find((l) => l.flags.includes('myself'))!;
      const other = lines.find((l) => l.id !== mine.id && l.slots.length > 0)!;
      const slot = Number(other.slots[0]!.split('-')[0]);
      let key = '';
      for (let i = 0; key === ''; i++) if (Number(await n!.call('CLUSTER', 'KEYSLOT', `p${i}`)) === slot) key = `p${i}`;
      assert.equal(await n!.raw('GET', key), `-MOVED ${slot} 127.0.0.1:${portOf(other)}\r\n`, `${n!.name} (${n!.kind})`);
    }
    await poll('cluster still ok', async () => String(await nodes[1]!.call('CLUSTER', 'INFO')).includes('cluster_state:ok'), 5000);
  });
});
