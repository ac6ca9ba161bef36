/*
 * The sentinel's state machine without sockets (sentinel.ts): config lines
 * (Redis's error texts, the three load passes), the rewritten state lines,
 * one vote per epoch, hello processing (discovery, epochs, +switch-master on
 * a newer config epoch), replica selection order, and the reduced command
 * table of sentinel mode. A server in sentinel mode is built but never
 * started; flushes go to a temporary file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '../server/server.js';
import { loadConfigText } from '../server/config-file.js';
import { subscribeForTest } from './test-util.js';
import { enableSentinelMode } from './index.js';
import { SRI_MASTER, SRI_SLAVE, SRI_S_DOWN, type Instance } from './instance.js';

function setup(t: { after(f: () => void): void }, conf = ''): { server: Server; s: ReturnType<typeof enableSentinelMode>; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-sentinel-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sentinel.conf');
  writeFileSync(file, conf);
  const server = new Server();
  server.log.level = 'nothing';
  const s = enableSentinelMode(server);
  server.configFile = file;
  loadConfigText(server, conf);
  const bad = s.loadQueuedConfig();
  if (bad !== null) throw new Error(`${bad.lineNo}: ${bad.error}`);
  return { server, s, file };
}

const ID_A = 'a'.repeat(40);
const ID_B = 'b'.repeat(40);

test('config lines: Redis error texts; monitor applied before the lines naming it', (t) => {
  const { s } = setup(t, 'sentinel down-after-milliseconds m 1500\nsentinel monitor m 127.0.0.1 6379 2\nsentinel myid ' + ID_A + '\n');
  assert.equal(s.masters.get('m')!.downAfterPeriod, 1500);
  assert.equal(s.myid, ID_A);
  const errs: [string[], string][] = [
    [['monitor', 'x', '127.0.0.1', '1', '0'], 'Quorum must be 1 or greater.'],
    [['monitor', 'm', '127.0.0.1', '1', '1'], 'Duplicate master name.'],
    [['monitor', 'y', 'not-an-ip', '1', '1'], "Can't resolve instance hostname."],
    [['monitor', 'y', '127.0.0.1', '70000', '1'], 'Invalid port number.'],
    [['down-after-milliseconds', 'nosuch', '1'], 'No such master with specified name.'],
    [['down-after-milliseconds', 'm', '0'], 'negative or zero time parameter.'],
    [['myid', 'abc'], 'Malformed Sentinel id in myid option.'],
    [['deny-scripts-reconfig', 'maybe'], 'Please specify yes or no for the deny-scripts-reconfig options.'],
    [['notification-script', 'm', '/nonexistent/script'], 'Notification script seems non existing or non executable.'],
    [['known-replica', 'm', '127.0.0.1', '7000'], ''],
    [['known-replica', 'm', '127.0.0.1', '7000'], 'Duplicate hostname and port for replica.'],
    [['bogus'], 'Unrecognized sentinel configuration statement.'],
  ];
  for (const [argv, want] of errs) assert.equal(s.handleConfiguration(argv), want === '' ? null : want, argv.join(' '));
});

test('the rewritten config holds the state a restart resumes from', (t) => {
  const { server, s, file } = setup(t, 'port 26380\nsentinel monitor m 127.0.0.1 6379 2\nsentinel myid ' + ID_A + '\n');
  const m = s.masters.get('m')!;
  s.handleConfiguration(['known-replica', 'm', '127.0.0.1', '6380']);
  s.handleConfiguration(['known-sentinel', 'm', '127.0.0.1', '26381', ID_B]);
  s.currentEpoch = 7;
  m.configEpoch = 5;
  m.leaderEpoch = 6;
  assert.equal(s.flushConfig(), true);
  const text = readFileSync(file, 'latin1');
  for (const line of ['sentinel myid ' + ID_A, 'sentinel monitor m 127.0.0.1 6379 2', 'sentinel config-epoch m 5', 'sentinel leader-epoch m 6',
    'sentinel known-replica m 127.0.0.1 6380', 'sentinel known-sentinel m 127.0.0.1 26381 ' + ID_B, 'sentinel current-epoch 7', 'port 26380']) {
    assert.ok(text.split('\n').includes(line), `missing '${line}' in:\n${text}`);
  }
  assert.ok(!/^save /m.test(text), 'a sentinel writes no save lines');
  // a restart from this file resumes
  const again = setup(t, text);
  assert.equal(again.s.myid, ID_A);
  assert.equal(again.s.currentEpoch, 7);
  const m2 = again.s.masters.get('m')!;
  assert.equal(m2.configEpoch, 5);
  assert.equal(m2.leaderEpoch, 6);
  assert.deepEqual([...m2.slaves.keys()], ['127.0.0.1:6380']);
  assert.deepEqual([...m2.sentinels.values()].map((x) => x.runid), [ID_B]);
  // rewriting again changes nothing (stable)
  s.flushConfig();
  assert.equal(readFileSync(file, 'latin1'), text);
  server.configFile = '';
});

test('one vote per epoch', (t) => {
  const { s } = setup(t, 'sentinel monitor m 127.0.0.1 6379 2\nsentinel myid ' + ID_A + '\n');
  const m = s.masters.get('m')!;
  assert.deepEqual(s.voteLeader(m, 3, ID_B), [ID_B, 3]);
  assert.equal(s.currentEpoch, 3);
  // a second candidate in the same epoch gets the first vote back
  assert.deepEqual(s.voteLeader(m, 3, 'c'.repeat(40)), [ID_B, 3]);
  // an older epoch does not change it either
  assert.deepEqual(s.voteLeader(m, 2, 'c'.repeat(40)), [ID_B, 3]);
  // a newer epoch gets a new vote
  assert.deepEqual(s.voteLeader(m, 4, 'c'.repeat(40)), ['c'.repeat(40), 4]);
});

test('hello: discovery, epochs, +switch-master on a newer config epoch', (t) => {
  const { server, s } = setup(t, 'sentinel monitor m 127.0.0.1 6379 2\nsentinel myid ' + ID_A + '\n');
  const events = subscribeForTest(server, ['+sentinel', '+new-epoch', '+switch-master', '+config-update-from']);
  const m = s.masters.get('m')!;
  s.processHelloMessage(`127.0.0.1,26390,${ID_B},4,m,127.0.0.1,6379,0`);
  assert.equal(m.sentinels.size, 1);
  assert.equal(s.currentEpoch, 4);
  // a hello about an unknown master, or malformed, is ignored
  s.processHelloMessage(`127.0.0.1,26391,${'d'.repeat(40)},9,other,127.0.0.1,6379,0`);
  s.processHelloMessage('garbage');
  assert.equal(m.sentinels.size, 1);
  assert.equal(s.currentEpoch, 4);
  s.processHelloMessage(`127.0.0.1,26390,${ID_B},4,m,127.0.0.1,6380,4`);
  assert.equal(m.addr.port, 6380);
  assert.equal(m.configEpoch, 4);
  // the old master is now a replica to reconfigure
  assert.deepEqual([...m.slaves.keys()], ['127.0.0.1:6379']);
  assert.deepEqual(events(), [
    ['+sentinel', `sentinel ${ID_B} 127.0.0.1 26390 @ m 127.0.0.1 6379`],
    ['+new-epoch', '4'],
    ['+config-update-from', `sentinel ${ID_B} 127.0.0.1 26390 @ m 127.0.0.1 6379`],
    ['+switch-master', 'm 127.0.0.1 6379 127.0.0.1 6380'],
  ]);
});

test('replica selection: priority, then offset, then runid; priority 0 and down replicas never', (t) => {
  const { s } = setup(t, 'sentinel monitor m 127.0.0.1 6379 2\n');
  const m = s.masters.get('m')!;
  const mk = (port: number, prio: number, offset: number, runid: string): Instance => {
    const r = s.createInstance(null, SRI_SLAVE, '127.0.0.1', port, 2, m) as Instance;
    r.slavePriority = prio;
    r.slaveReplOffset = offset;
    r.runid = runid;
    r.link.disconnected = false;
    r.infoRefresh = Date.now();
    return r;
  };
  mk(7001, 100, 10, 'b'.repeat(40));
  const best = mk(7002, 100, 20, 'c'.repeat(40));
  mk(7003, 100, 20, 'd'.repeat(40));
  mk(7004, 0, 99, 'a'.repeat(40));
  const down = mk(7005, 1, 99, 'a'.repeat(40));
  down.flags |= SRI_S_DOWN;
  assert.equal(s.selectSlave(m), best);
  const prio = mk(7006, 50, 0, 'e'.repeat(40));
  assert.equal(s.selectSlave(m), prio);
  assert.ok(m.flags & SRI_MASTER);
});

test('sentinel mode: the command table is Redis 7.0 sentinel\'s', (t) => {
  const { server } = setup(t);
  const top = [...server.table.commands.keys()].sort();
  assert.deepEqual(top, ['acl', 'auth', 'client', 'command', 'hello', 'info', 'ping', 'psubscribe', 'publish', 'punsubscribe',
    'role', 'sentinel', 'shutdown', 'subscribe', 'unsubscribe']);
  let all = 0;
  for (const c of server.table.all()) { void c; all++; }
  assert.equal(all, 72);
  assert.equal(server.config.num('port'), 26379);
  assert.equal(server.config.bool('protected-mode'), false);
});

test('TILT: a timer run late enters TILT (nothing acted upon), left after tilt-period', (t) => {
  const { server, s } = setup(t, 'sentinel monitor m 127.0.0.1 1 2\n');
  const events = subscribeForTest(server, ['+tilt', '-tilt', '+sdown']);
  t.after(() => s.stop());
  const m = s.masters.get('m')!;
  m.downAfterPeriod = 1;
  m.link.actPingTime = Date.now() - 1000;
  s.previousTime = Date.now() - 5000; // the last run was 5 s ago: past tilt-trigger (2 s)
  s.tick();
  assert.equal(s.tilt, true);
  assert.equal(m.flags & SRI_S_DOWN, 0, 'no SDOWN decided in TILT');
  s.timing.tiltPeriod = 1;
  s.tiltStartTime = Date.now() - 10;
  s.tick();
  assert.equal(s.tilt, false);
  assert.deepEqual(events().map(([type, msg]) => `${type} ${msg}`), ['+tilt #tilt mode entered', '-tilt #tilt mode exited', '+sdown master m 127.0.0.1 1']);
});
