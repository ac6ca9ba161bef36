/*
 * Sentinel failover under a WAIT writer: a Nodis master with two Nodis replicas
 * (min-replicas-to-write 1) watched by three Nodis sentinels; a client SETs
 * w:<i> on the master the sentinels name, each followed by WAIT 1 1000, and a
 * write counts as acknowledged only when WAIT says a replica has it. The master
 * is SIGKILLed mid-stream: once every sentinel names the same new master and the
 * writer has carried on there, every acknowledged write must be on it — none
 * lost — and the writes acknowledged after the failover too.
 *
 * Waits are bounded polls; every process is killed and every dir removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Topology, poll, type Node } from '../helpers/topology.js';
import { RawClient } from '../helpers/resp-client.js';
import { SentinelProc } from '../helpers/sentinel.js';

const NAME = 'mymaster';

test('SIGKILL of the master under a SET + WAIT writer: no acknowledged write lost', { timeout: 90000 }, async (t) => {
  const top = new Topology(t);
  const sentinels: SentinelProc[] = [];
  t.after(async () => { await Promise.all(sentinels.map((s) => s.destroy().catch(() => undefined))); });
  await top.run(async () => {
    const conf = { 'min-replicas-to-write': 1 };
    const nodes = await Promise.all([top.add('m', 'nodis-proc', conf), top.add('r1', 'nodis-proc', conf), top.add('r2', 'nodis-proc', conf)]);
    const [m, r1, r2] = nodes as [Node, Node, Node];
    await r1.replicaOf(m);
    await r2.replicaOf(m);
    for (let i = 0; i < 3; i++) {
      sentinels.push(new SentinelProc(`s${i}`, 'nodis',
        `sentinel monitor ${NAME} 127.0.0.1 ${m.port} 2\nsentinel down-after-milliseconds ${NAME} 1000\nsentinel failover-timeout ${NAME} 6000\n`));
    }
    await Promise.all(sentinels.map((s) => s.start()));
    for (const s of sentinels) assert.equal(await s.call('SENTINEL', 'DEBUG', 'info-period', 1000, 'publish-period', 500), 'OK');
    for (const s of sentinels) {
      await poll(`${s.name} discovers replicas and sentinels`, async () => {
        const f = await s.master();
        return f['num-slaves'] === '2' && f['num-other-sentinels'] === '2';
      }, 15000, 100);
    }
    const named = async (s: SentinelProc): Promise<number> => Number((await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME) as string[])[1]);
    // the writer
    let stop = false;
    let target = m.port;
    const acked: number[] = [];
    let errors = 0;
    const writer = (async () => {
      let c: RawClient | null = null;
      let at = 0;
      for (let i = 0; !stop; i++) {
        try {
          if (c === null || at !== target) { c?.close(); at = target; c = await RawClient.connect(at); }
          if (await c.call('SET', `w:${i}`, String(i)) !== '+OK\r\n') { errors++; await new Promise((r) => setTimeout(r, 20)); continue; }
          if (/^:[1-9]/.test(await c.call('WAIT', 1, 1000))) acked.push(i);
        } catch {
          errors++;
          c?.close();
          c = null;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      c?.close();
    })();
    try {
      await poll('writes acknowledged', async () => acked.length >= 500, 15000, 20);
      const before = acked.length;
      await m.stop('kill');
      let next = 0;
      await poll('every sentinel names the same new master', async () => {
        const ports = await Promise.all(sentinels.map(named));
        if (ports.every((p) => p !== m.port && p === ports[0])) { next = ports[0]!; return true; }
        return false;
      }, 30000, 50);
      target = next;
      const after = acked.length;
      await poll('the writer carries on on the new master', async () => acked.length >= after + 500, 20000, 20);
      t.diagnostic(`${before} writes acknowledged before the kill, ${acked.length} in all, ${errors} errors while there was no master`);
    } finally {
      stop = true;
      await writer;
    }
    const c = await RawClient.connect(target);
    t.after(() => c.close());
    let lost = 0;
    for (let k = 0; k < acked.length; k += 500) {
      const part = acked.slice(k, k + 500);
      const r = await c.call('MGET', ...part.map((i) => `w:${i}`));
      lost += (r.match(/\$-1\r\n/g) ?? []).length;
    }
    assert.equal(lost, 0, `acknowledged writes missing on the new master (of ${acked.length})`);
  });
});
