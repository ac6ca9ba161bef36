/*
 * A Sentinel-aware client keeps working through a failover: node-redis v5's
 * createSentinel, pointed at three Nodis sentinels embedded in this process
 * (startSentinel), watching a Nodis master and two replicas run as processes.
 * A writer INCRs a counter without pause; the master is SIGKILLed; the client
 * finds the new master through the sentinels and its writes succeed again,
 * landing on the promoted replica. Errors during the switch are counted, not
 * fatal: the check is that writing resumes, on the right node, within a bound.
 */
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createSentinel } from 'redis';
import { Topology, poll } from '../helpers/topology.js';
import { startSentinel, type RunningSentinel } from '../../src/index.js';

const NAME = 'mymaster';

test('node-redis createSentinel writes through a failover of Nodis', { timeout: 60000 }, async (t) => {
  const top = new Topology(t);
  const sentinels: RunningSentinel[] = [];
  t.after(async () => { await Promise.all(sentinels.map((s) => s.close())); });
  await top.run(async () => {
    const [m, r1, r2] = await Promise.all([top.add('m', 'nodis-proc'), top.add('r1', 'nodis-proc'), top.add('r2', 'nodis-proc')]);
    await r1!.replicaOf(m!);
    await r2!.replicaOf(m!);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-sentinel-client-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (let i = 0; i < 3; i++) {
      sentinels.push(await startSentinel({
        logfile: path.join(dir, `s${i}.log`),
        monitor: [{ name: NAME, host: '127.0.0.1', port: m!.port, quorum: 2 }],
        config: `sentinel down-after-milliseconds ${NAME} 1000\nsentinel failover-timeout ${NAME} 6000\n`,
      }));
    }
    for (const s of sentinels) Object.assign(s.sentinel.timing, { infoPeriod: 1000, publishPeriod: 500 });
    await poll('sentinels discover each other and the replicas', async () => sentinels.every((s) => {
      const ri = s.sentinel.masters.get(NAME)!;
      return ri.slaves.size === 2 && ri.sentinels.size === 2;
    }), 15000, 100);

    const client = createSentinel({
      name: NAME,
      sentinelRootNodes: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
      scanInterval: 500,
    });
    const clientErrors: string[] = [];
    client.on('error', (e: Error) => { clientErrors.push(e.message); });
    await client.connect();
    t.after(async () => { try { await client.close(); } catch { /* closed */ } });

    let ok = 0;
    let failed = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        try { await client.incr('counter'); ok++; } catch { failed++; await new Promise((r) => setTimeout(r, 20)); }
      }
    })();
    await poll('writes flow', async () => ok >= 50, 10000, 20);
    await m!.stop('kill');
    const okAtKill = ok;
    await poll('the sentinels agree on a new master', async () => sentinels.every((s) => {
      const a = s.sentinel.currentMasterAddress(s.sentinel.masters.get(NAME)!);
      return a.port !== m!.port;
    }), 30000, 100);
    // the address the sentinels agreed on (currentMasterAddress: the promoted replica while the failover is still
    // in progress, where `addr` may still name the old master)
    const newPort = sentinels[0]!.sentinel.currentMasterAddress(sentinels[0]!.sentinel.masters.get(NAME)!).port;
    await poll('writes resume after the failover', async () => ok >= okAtKill + 100, 30000, 50);
    stop = true;
    await writer;
    const promoted = newPort === r1!.port ? r1! : r2!;
    const counter = Number(await promoted.ok('GET', 'counter'));
    t.diagnostic(`writes ok ${ok}, failed ${failed}, counter on the new master ${counter}, client errors ${clientErrors.length}`);
    assert.equal((await promoted.info())['role'], 'master');
    // every write acknowledged after the kill went to the promoted replica (it holds at least those); node-redis
    // resends a command whose connection dropped, so one applied on the old master just before it died may count twice
    assert.ok(counter >= ok - okAtKill, `counter ${counter} < writes acknowledged after the kill ${ok - okAtKill}`);
    assert.ok(counter <= ok + failed + 1, `counter ${counter} > acknowledged ${ok} (+ failed ${failed} + one resent)`);
  });
});
