/*
 * Sentinel under bad input and failure, with what a client or the operator
 * observes (replies, events in the log, exit status, stderr):
 *
 * 1. No quorum, no failover: one sentinel whose quorum is 2 sees its master
 *    die: SDOWN, never ODOWN, no failover attempt, the address unchanged.
 * 2. Start-up refusals: a bad `sentinel` line gives the same FATAL CONFIG
 *    FILE ERROR report as redis-sentinel's (stderr, exit 1); no config file
 *    is refused with Redis's log line.
 * 3. Masters that misbehave (embedded startSentinel): one answering garbage,
 *    one accepting connections and never answering: both go SDOWN, the
 *    sentinel keeps answering, and with no replica the failover it starts
 *    aborts (-failover-abort-no-good-slave): nothing is promoted.
 * 4. Scripts: the notification script runs with Redis's arguments
 *    (<event type> <event message>); one that hangs is killed after
 *    script-max-runtime (-script-timeout) and rescheduled.
 * 5. tls-replication: the links to a redis-server TLS port use TLS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Topology, poll } from '../helpers/topology.js';
import { SentinelProc, REDIS_SENTINEL, redisSentinelAvailable } from '../helpers/sentinel.js';
import { startSentinel, startServer } from '../../src/index.js';
import { freePort, skipWithoutRedis } from '../helpers/servers.js';
import { makeTlsCerts, tlsConf } from '../helpers/tls-certs.js';

test('no quorum: SDOWN but no ODOWN, no failover', { timeout: 40000 }, async (t) => {
  const top = new Topology(t);
  const s = new SentinelProc('s', 'nodis', '');
  t.after(() => s.destroy());
  await top.run(async () => {
    const [m, r] = await Promise.all([top.add('m', 'nodis-proc'), top.add('r', 'nodis-proc')]);
    await r!.replicaOf(m!);
    fs.appendFileSync(s.confFile, '');
    await s.start();
    assert.equal(await s.call('SENTINEL', 'MONITOR', 'mymaster', '127.0.0.1', m!.port, 2), 'OK');
    assert.equal(await s.call('SENTINEL', 'SET', 'mymaster', 'down-after-milliseconds', 500), 'OK');
    await poll('the replica is discovered', async () => (await s.master())['num-slaves'] === '1', 15000, 100);
    assert.match(String(await s.raw('SENTINEL', 'CKQUORUM', 'mymaster')), /^-NOQUORUM 1 usable Sentinels\. Not enough available Sentinels to reach the specified quorum for this master\r\n$/);
    await m!.stop('kill');
    await poll('SDOWN', async () => (await s.info())['master0']!.includes('status=sdown'), 10000, 100);
    // a negative check needs some time to pass: 3 s, six times down-after, the master still not ODOWN
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      assert.match((await s.info())['master0']!, /status=sdown/);
      await new Promise((r2) => setTimeout(r2, 200));
    }
    assert.equal(await s.masterAddr(), `127.0.0.1:${m!.port}`);
    assert.doesNotMatch(s.logText(), /\+odown|\+try-failover|\+elected-leader|\+promoted-slave/);
    assert.equal((await r!.info())['role'], 'slave');
  });
});

test('start-up refusals: bad sentinel line (same report as redis-sentinel), no config file', { timeout: 30000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-sentinel-bad-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bin = path.resolve('bin/nodis-sentinel');
  const cases = [
    'port 0\nsentinel monitor m 127.0.0.1 6379 0\n',
    'port 0\nsentinel down-after-milliseconds nosuch 100\nsentinel monitor m 127.0.0.1 6379 1\n',
    'port 0\nsentinel monitor m 127.0.0.1 6379 1\nsentinel myid tooshort\n',
    'port 0\nsentinel bogus-directive 1\n',
  ];
  for (const [i, text] of cases.entries()) {
    const file = path.join(dir, `bad${i}.conf`);
    fs.writeFileSync(file, text);
    const ours = spawnSync(process.execPath, [bin, file], { encoding: 'latin1', timeout: 10000 });
    assert.equal(ours.status, 1, `exit status for ${JSON.stringify(text)}: ${ours.stderr}`);
    assert.match(ours.stderr, /\*\*\* FATAL CONFIG FILE ERROR \(Redis 7\.0\.15\) \*\*\*/);
    if (redisSentinelAvailable) {
      const theirs = spawnSync(REDIS_SENTINEL, [file], { encoding: 'latin1', timeout: 10000 });
      assert.equal(ours.stderr, theirs.stderr, `report for ${JSON.stringify(text)}`);
      assert.equal(ours.status, theirs.status);
    }
  }
  // no config file: Redis's warning, exit 1
  const none = spawnSync(process.execPath, [path.resolve('bin/nodis-server'), '--sentinel', '--port', '0', '--logfile', path.join(dir, 'none.log')], { encoding: 'latin1', timeout: 10000 });
  assert.equal(none.status, 1);
  assert.match(fs.readFileSync(path.join(dir, 'none.log'), 'latin1'), /Sentinel needs config file on disk to save state\. Exiting\.\.\./);
});

test('misbehaving masters (garbage, silence) go SDOWN; the embedded sentinel keeps answering', { timeout: 30000 }, async (t) => {
  const sockets: net.Socket[] = [];
  const garbage = net.createServer((s) => { sockets.push(s); s.on('data', () => s.write('?this is not RESP\r\n')); s.on('error', () => undefined); });
  const silent = net.createServer((s) => { sockets.push(s); s.on('error', () => undefined); });
  for (const srv of [garbage, silent]) await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  t.after(() => { for (const s of sockets) s.destroy(); garbage.close(); silent.close(); });
  const port = (srv: net.Server): number => (srv.address() as net.AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-sentinel-bad-masters-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'sentinel.log');
  const sentinel = await startSentinel({
    logfile: log,
    monitor: [{ name: 'garbage', host: '127.0.0.1', port: port(garbage), quorum: 1 }, { name: 'silent', host: '127.0.0.1', port: port(silent), quorum: 1 }],
    config: 'sentinel down-after-milliseconds garbage 500\nsentinel down-after-milliseconds silent 500\n',
  });
  t.after(() => sentinel.close());
  const ri = (name: string) => sentinel.sentinel.masters.get(name)!;
  await poll('both masters SDOWN', async () => ['garbage', 'silent'].every((n) => (ri(n).flags & 8) !== 0), 10000, 50);
  const { RawClient } = await import('../helpers/resp-client.js');
  const c = await RawClient.connect(sentinel.port);
  t.after(() => c.close());
  assert.equal(await c.call('PING'), '+PONG\r\n');
  assert.match(await c.call('SENTINEL', 'MASTER', 'silent'), /\r\nflags\r\n\$\d+\r\ns_down,/);
  // quorum 1 is reached alone (ODOWN) and the election is won, but there is no replica to promote: the failover aborts
  await poll('failover aborted: no good replica', async () => fs.readFileSync(log, 'latin1').includes('-failover-abort-no-good-slave master silent'), 10000, 50);
});

test('notification script arguments; a hanging script is killed after script-max-runtime', { timeout: 30000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-sentinel-scripts-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'calls.txt');
  const notify = path.join(dir, 'notify.sh');
  fs.writeFileSync(notify, `#!/bin/sh\nprintf '%s|%s\\n' "$1" "$2" >> ${out}\n`, { mode: 0o755 });
  const hang = path.join(dir, 'hang.sh');
  fs.writeFileSync(hang, '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  const master = await startServer({ port: 0, dir });
  t.after(() => master.close());
  const log = path.join(dir, 'sentinel.log');
  const sentinel = await startSentinel({
    logfile: log,
    monitor: [{ name: 'm', host: '127.0.0.1', port: master.port, quorum: 2 }],
    config: `sentinel down-after-milliseconds m 300\nsentinel notification-script m ${notify}\nsentinel client-reconfig-script m ${hang}\n`,
  });
  t.after(() => sentinel.close());
  sentinel.sentinel.timing.scriptMaxRuntime = 500;
  await master.close();
  await poll('the notification script ran for +sdown', async () => fs.existsSync(out) && fs.readFileSync(out, 'latin1').includes('+sdown|master m 127.0.0.1'), 10000, 50);
  assert.ok(fs.readFileSync(out, 'latin1').split('\n').includes(`+sdown|master m 127.0.0.1 ${master.port}`));
  // a hanging script: the client reconfig script of an observed switch (sentinelCallClientReconfScript)
  sentinel.sentinel.scheduleScript(hang, ['m', 'observer', 'start', '127.0.0.1', '1', '127.0.0.1', '2']);
  await poll('-script-timeout', async () => fs.readFileSync(log, 'latin1').includes(`-script-timeout ${hang}`), 10000, 50);
  // killed by a signal: rescheduled (retry 1 of 10) with a delay, not dropped
  await poll('rescheduled', async () => sentinel.sentinel.scriptsQueue.some((j) => j.argv[0] === hang && !j.running && j.retryNum === 1), 5000, 50);
});

test('tls-replication: the sentinel talks to a redis-server TLS port over TLS', { skip: skipWithoutRedis(), timeout: 40000 }, async (t) => {
  const certs = makeTlsCerts();
  t.after(() => certs.remove());
  const top = new Topology(t);
  const tlsPort = await freePort();
  await top.run(async () => {
    // the master's plaintext port is for the test's own checks; the sentinel is given its TLS port only
    await top.add('m', 'redis', { ...tlsConf(certs), 'tls-port': tlsPort, 'tls-replication': 'yes' });
    const conf = Object.entries(tlsConf(certs)).map(([k, v]) => `${k} ${v}`).join('\n') +
      `\ntls-replication yes\nsentinel monitor mymaster 127.0.0.1 ${tlsPort} 1\n`;
    const s = new SentinelProc('s-tls', 'nodis', conf);
    t.after(() => s.destroy());
    await s.start();
    await poll('the sentinel talks to the master over TLS', async () => {
      const f = await s.master();
      return f['flags'] === 'master' && f['role-reported'] === 'master' && f['runid'] !== '' && f['info-refresh'] !== '0';
    }, 15000, 100);
  });
});
