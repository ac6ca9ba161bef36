/*
 * Nodis Sentinel end to end, all processes Nodis: three nodis-sentinel
 * processes watch a Nodis master with two Nodis replicas.
 *
 * 1. Discovery: every sentinel finds both replicas (INFO) and the two other
 *    sentinels (hello messages).
 * 2. SIGKILL of the master: +switch-master is published, all three agree on
 *    the new address (GET-MASTER-ADDR-BY-NAME), each runs its
 *    client-reconfig-script with Redis's arguments (leader / observer), the
 *    new master is a master,
 *    the other replica follows it; the old master, restarted, is turned into
 *    a replica of the new one (+convert-to-slave).
 * 3. A sentinel SIGKILLed and restarted from the config it rewrote resumes:
 *    same myid, current epoch, config epoch, known replicas and sentinels.
 *
 * Timings are shortened with SENTINEL SET / SENTINEL DEBUG (down-after 1 s,
 * INFO every second, publish every 500 ms) so the file runs in ~20 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Topology, poll } from '../helpers/topology.js';
import { EventWatch, SentinelProc, pairs } from '../helpers/sentinel.js';

const NAME = 'mymaster';

test('three Nodis sentinels fail over a Nodis master and resume from their config', { timeout: 60000 }, async (t) => {
  const top = new Topology(t);
  const sentinels: SentinelProc[] = [];
  t.after(async () => { await Promise.all(sentinels.map((s) => s.destroy().catch(() => undefined))); });
  await top.run(async () => {
    const [m, r1, r2] = await Promise.all([top.add('m', 'nodis-proc'), top.add('r1', 'nodis-proc'), top.add('r2', 'nodis-proc')]);
    await r1!.replicaOf(m!);
    await r2!.replicaOf(m!);
    // a client-reconfig-script recording its arguments, one file per sentinel
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-sentinel-reconf-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const script = path.join(dir, 'reconf.sh');
    fs.writeFileSync(script, `#!/bin/sh\necho "$@" >> "$0.$PPID.out"\n`, { mode: 0o755 });
    for (let i = 0; i < 3; i++) {
      const s = new SentinelProc(`s${i}`, 'nodis',
        `sentinel monitor ${NAME} 127.0.0.1 ${m!.port} 2\nsentinel down-after-milliseconds ${NAME} 1000\nsentinel failover-timeout ${NAME} 6000\n` +
        `sentinel client-reconfig-script ${NAME} ${script}\n`);
      sentinels.push(s);
    }
    await Promise.all(sentinels.map((s) => s.start()));
    for (const s of sentinels) {
      assert.equal(await s.call('SENTINEL', 'DEBUG', 'info-period', 1000, 'publish-period', 500), 'OK');
    }
    // 1. discovery
    for (const s of sentinels) {
      await poll(`${s.name} discovers replicas and sentinels`, async () => {
        const f = await s.master();
        return f['num-slaves'] === '2' && f['num-other-sentinels'] === '2';
      }, 15000, 100);
    }
    const ids = await Promise.all(sentinels.map((s) => s.call('SENTINEL', 'MYID')));
    const seen = (await sentinels[0]!.call('SENTINEL', 'SENTINELS', NAME) as unknown[]).map((x) => pairs(x)['runid']).sort();
    assert.deepEqual(seen, [ids[1], ids[2]].sort());

    // 2. failover
    const watch = await EventWatch.open(sentinels[0]!.port, ['+switch-master']);
    t.after(() => watch.close());
    const oldPort = m!.port;
    await m!.stop('kill');
    const [channel, msg] = await watch.next(30000);
    assert.equal(channel, '+switch-master');
    const parts = msg.split(' ');
    assert.equal(parts.length, 5, msg);
    assert.deepEqual(parts.slice(0, 3), [NAME, '127.0.0.1', String(oldPort)]);
    const newPort = Number(parts[4]);
    assert.ok(newPort === r1!.port || newPort === r2!.port, msg);
    for (const s of sentinels) {
      await poll(`${s.name} agrees on the new master`, async () => (await s.masterAddr()) === `127.0.0.1:${newPort}`, 15000, 100);
    }
    const promoted = newPort === r1!.port ? r1! : r2!;
    const other = promoted === r1 ? r2! : r1!;
    assert.equal((await promoted.info())['role'], 'master');
    await poll('the other replica follows the new master', async () => {
      const i = await other.info();
      return i['master_port'] === String(newPort) && i['master_link_status'] === 'up';
    }, 20000, 100);
    // client-reconfig-script: <master-name> <role> <state> <from-ip> <from-port> <to-ip> <to-port>, "leader" from
    // the sentinel that failed over, "observer" from the others
    const leaderIdx = sentinels.findIndex((s) => s.logText().includes('+elected-leader'));
    assert.ok(leaderIdx >= 0);
    const calls = async (i: number): Promise<string> => {
      const f = path.join(dir, `reconf.sh.${sentinels[i]!.pid}.out`);
      return fs.existsSync(f) ? fs.readFileSync(f, 'latin1') : '';
    };
    for (let i = 0; i < 3; i++) {
      const role = i === leaderIdx ? 'leader' : 'observer';
      await poll(`${sentinels[i]!.name} ran its client-reconfig-script`, async () =>
        (await calls(i)).split('\n').includes(`${NAME} ${role} start 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`), 10000, 100);
    }
    // the old master comes back and is turned into a replica
    await m!.restart();
    await poll('the old master becomes a replica of the new one', async () => {
      const i = await m!.info();
      return i['role'] === 'slave' && i['master_port'] === String(newPort);
    }, 25000, 200);
    assert.ok(sentinels.some((s) => s.logText().includes('+convert-to-slave')), 'a sentinel logged +convert-to-slave');

    // 3. restart from the rewritten config
    const s2 = sentinels[2]!;
    const before = await s2.master();
    await s2.stop();
    const conf = s2.configText();
    assert.match(conf, new RegExp(`^sentinel myid ${ids[2]}$`, 'm'));
    assert.match(conf, new RegExp(`^sentinel monitor ${NAME} 127.0.0.1 ${newPort} 2$`, 'm'));
    assert.equal((conf.match(/^sentinel known-replica /gm) ?? []).length, 2, conf);
    assert.equal((conf.match(/^sentinel known-sentinel /gm) ?? []).length, 2, conf);
    assert.match(conf, new RegExp(`^sentinel config-epoch ${NAME} ${before['config-epoch']}$`, 'm'));
    const epoch = Number(/^sentinel current-epoch (\d+)$/m.exec(conf)![1]);
    assert.ok(epoch >= 1);
    await s2.start();
    assert.equal(await s2.call('SENTINEL', 'MYID'), ids[2]);
    const after = await s2.master();
    assert.equal(after['port'], String(newPort));
    assert.equal(after['config-epoch'], before['config-epoch']);
    assert.equal(after['num-slaves'], '2');
    assert.equal(after['num-other-sentinels'], '2');
    assert.match(s2.logText(), new RegExp(`Sentinel ID is ${ids[2]}`));
  });
});
