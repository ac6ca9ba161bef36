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
import assert from 'node:assert/strict';
import { createSentinel } from 'redis';
import { Topology, poll } from '../helpers/topology.js';
import { promoted, startSentinelSet } from '../helpers/sentinel-set.js';

const NAME = 'mymaster';

test('node-redis createSentinel writes through a failover of Nodis', { timeout: 60000 }, async (t) => {
  const top = new Topology(t);
  await top.run(async () => {
    const set = await startSentinelSet(t, top, NAME);
    const { sentinels } = set;
    const m = set.master;

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
    await m.stop('kill');
    const okAtKill = ok;
    const newMaster = await promoted(set, NAME);
    await poll('writes resume after the failover', async () => ok >= okAtKill + 100, 30000, 50);
    stop = true;
    await writer;
    const counter = Number(await newMaster.ok('GET', 'counter'));
    t.diagnostic(`writes ok ${ok}, failed ${failed}, counter on the new master ${counter}, client errors ${clientErrors.length}`);
    assert.equal((await newMaster.info())['role'], 'master');
    // every write acknowledged after the kill went to the promoted replica (it holds at least those); node-redis
    // resends a command whose connection dropped, so one applied on the old master just before it died may count twice
    assert.ok(counter >= ok - okAtKill, `counter ${counter} < writes acknowledged after the kill ${ok - okAtKill}`);
    assert.ok(counter <= ok + failed + 1, `counter ${counter} > acknowledged ${ok} (+ failed ${failed} + one resent)`);
  });
});
