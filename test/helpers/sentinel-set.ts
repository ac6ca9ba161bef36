/*
 * A watched set for failover tests: a Nodis master and two replicas run as
 * processes (in a Topology), and three Nodis sentinels embedded in this
 * process (startSentinel) with down-after 1000 ms, failover-timeout 6000 ms
 * and fast INFO/hello periods, already aware of each other and the replicas.
 * promoted() waits until every sentinel names another master and returns the
 * replica they agreed on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { poll, type Node, type Topology } from './topology.js';
import { startSentinel, type RunningSentinel } from '../../src/index.js';

export interface SentinelSet { master: Node; replicas: [Node, Node]; sentinels: RunningSentinel[] }

/** Start the set inside `top.run`; the sentinels close and their log dir goes at the end of the test. */
export async function startSentinelSet(t: TestContext, top: Topology, name: string): Promise<SentinelSet> {
  const sentinels: RunningSentinel[] = [];
  t.after(async () => { await Promise.all(sentinels.map((s) => s.close())); });
  const [m, r1, r2] = await Promise.all([top.add('m', 'nodis-proc'), top.add('r1', 'nodis-proc'), top.add('r2', 'nodis-proc')]);
  await r1!.replicaOf(m!);
  await r2!.replicaOf(m!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-sentinel-set-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 3; i++) {
    sentinels.push(await startSentinel({
      logfile: path.join(dir, `s${i}.log`),
      monitor: [{ name, host: '127.0.0.1', port: m!.port, quorum: 2 }],
      config: `sentinel down-after-milliseconds ${name} 1000\nsentinel failover-timeout ${name} 6000\n`,
    }));
  }
  for (const s of sentinels) Object.assign(s.sentinel.timing, { infoPeriod: 1000, publishPeriod: 500 });
  await poll('sentinels discover each other and the replicas', async () => sentinels.every((s) => {
    const ri = s.sentinel.masters.get(name)!;
    return ri.slaves.size === 2 && ri.sentinels.size === 2;
  }), 15000, 100);
  return { master: m!, replicas: [r1!, r2!], sentinels };
}

/**
 * After the master died: every sentinel names another master; the replica they agreed on (currentMasterAddress: the
 * promoted replica while the failover is still in progress, where the entry's `addr` may still name the old master).
 */
export async function promoted(set: SentinelSet, name: string): Promise<Node> {
  const addr = (s: RunningSentinel): { port: number } => s.sentinel.currentMasterAddress(s.sentinel.masters.get(name)!);
  await poll('the sentinels agree on a new master', async () => set.sentinels.every((s) => addr(s).port !== set.master.port), 30000, 100);
  const port = addr(set.sentinels[0]!).port;
  return port === set.replicas[0].port ? set.replicas[0] : set.replicas[1];
}
