/*
 * Nodis sentinels and real redis-sentinel 7.0 processes in one quorum,
 * watching real redis-server nodes, and the replies of both compared.
 *
 * 1. Mixed quorum, both ways: three sentinels (Nodis and redis-sentinel)
 *    watch a redis-server master with two redis-server replicas; they
 *    discover each other through hello messages both ways (each lists the
 *    other two with the right run id), then a SIGKILL of the master ends with
 *    all three on the same new master, the remaining replica following it.
 *    Only one sentinel's quorum can be reached, so the leader is known: once
 *    redis-sentinel elected by Nodis votes, once Nodis elected by
 *    redis-sentinel votes; the others learn the new master from the leader's
 *    hello (an all-Nodis election is sentinel.test.ts's).
 * 2. Differential replies (deterministic ones) of a Nodis sentinel and a
 *    redis-sentinel monitoring the same master: SENTINEL HELP, error strings
 *    (unknown master, unknown subcommand, arity, bad SET / DEBUG / CONFIG
 *    arguments, commands a sentinel does not have), the field names and order
 *    of SENTINEL MASTER / REPLICAS / SENTINELS, SENTINEL DEBUG, ROLE, the
 *    field names of INFO's sections.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Topology, poll, parseInfo } from '../helpers/topology.js';
import { SentinelProc, pairs, redisSentinelAvailable } from '../helpers/sentinel.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const NAME = 'mymaster';
const skip = skipWithoutRedis() || (redisSentinelAvailable ? false : 'no redis-sentinel binary');

const conf = (port: number, quorum: number, downAfter = 1000): string =>
  `sentinel monitor ${NAME} 127.0.0.1 ${port} ${quorum}\nsentinel down-after-milliseconds ${NAME} ${downAfter}\nsentinel failover-timeout ${NAME} 6000\n`;

/**
 * One mixed failover: `leader` names the only sentinel whose quorum (2) can be reached; the others have quorum 4,
 * so they never start a failover themselves but report SDOWN and vote when asked, and learn the new master from
 * the leader's hello.
 */
async function mixedFailover(t: TestContext, kinds: ('nodis' | 'redis')[], leader: number): Promise<void> {
  const top = new Topology(t);
  const sentinels: SentinelProc[] = [];
  t.after(async () => { await Promise.all(sentinels.map((s) => s.destroy().catch(() => undefined))); });
  await top.run(async () => {
    const [m, r1, r2] = await Promise.all([top.add('m', 'redis'), top.add('r1', 'redis'), top.add('r2', 'redis')]);
    await r1!.replicaOf(m!);
    await r2!.replicaOf(m!);
    for (const [i, kind] of kinds.entries()) sentinels.push(new SentinelProc(`${kind}${i}`, kind, conf(m!.port, i === leader ? 2 : 4)));
    await Promise.all(sentinels.map((s) => s.start()));
    const ids = await Promise.all(sentinels.map((s) => s.call('SENTINEL', 'MYID'))) as string[];
    for (const [i, s] of sentinels.entries()) {
      await poll(`${s.name} discovers the others and the replicas`, async () => {
        const f = await s.master();
        return f['num-slaves'] === '2' && f['num-other-sentinels'] === '2';
      }, 20000, 100);
      const others = (await s.call('SENTINEL', 'SENTINELS', NAME) as unknown[]).map((x) => pairs(x));
      assert.deepEqual(others.map((o) => o['runid']).sort(), ids.filter((_, j) => j !== i).sort(), s.name);
      assert.deepEqual(others.map((o) => o['port']).sort(), sentinels.filter((_, j) => j !== i).map((x) => String(x.port)).sort());
    }
    await m!.stop('kill');
    let agreed = '';
    await poll('all sentinels agree on a new master', async () => {
      const addrs = await Promise.all(sentinels.map((s) => s.masterAddr()));
      if (addrs.every((a) => a === addrs[0]) && addrs[0] !== `127.0.0.1:${m!.port}`) { agreed = addrs[0]!; return true; }
      return false;
    }, 40000, 200);
    const newPort = Number(agreed.split(':')[1]);
    const promoted = newPort === r1!.port ? r1! : r2!;
    const other = promoted === r1 ? r2! : r1!;
    assert.equal((await promoted.info())['role'], 'master');
    await poll('the other replica follows the new master', async () => (await other.info())['master_port'] === String(newPort), 20000, 100);
    const events = (): string => sentinels.map((s) => s.name + ':\n' + s.logText().split('\n')
      .filter((l) => /[+-](sdown|odown|vote|elected|try-failover|new-epoch|failover-abort|switch)/.test(l)).join('\n')).join('\n');
    const leaders = sentinels.filter((s) => /\+elected-leader/.test(s.logText())).map((s) => s.name);
    assert.deepEqual(leaders, [sentinels[leader]!.name], `the failover leader:\n${events()}`);
    // a majority (2 of 3) voted for the leader, at least one of them another sentinel of the other kind
    const voters = sentinels.filter((s, i) => i !== leader && new RegExp(`\\+vote-for-leader ${ids[leader]} \\d+`).test(s.logText()));
    assert.ok(voters.length >= 1, `votes for the leader:\n${events()}`);
    assert.ok(voters.some((v) => v.kind !== sentinels[leader]!.kind), `a vote across kinds:\n${events()}`);
  });
}

test('mixed quorum: redis-sentinel leads, elected by Nodis votes', { skip, timeout: 60000 }, (t) => mixedFailover(t, ['nodis', 'nodis', 'redis'], 2));

test('mixed quorum: Nodis leads, elected by redis-sentinel votes', { skip, timeout: 60000 }, (t) => mixedFailover(t, ['nodis', 'redis', 'redis'], 0));

test('SENTINEL replies: Nodis equals redis-sentinel', { skip, timeout: 40000 }, async (t) => {
  const top = new Topology(t);
  const sentinels: SentinelProc[] = [];
  t.after(async () => { await Promise.all(sentinels.map((s) => s.destroy().catch(() => undefined))); });
  await top.run(async () => {
    const [m, r] = await Promise.all([top.add('m', 'redis'), top.add('r', 'redis')]);
    await r!.replicaOf(m!);
    const nodis = new SentinelProc('nodis', 'nodis', conf(m!.port, 2));
    const redis = new SentinelProc('redis', 'redis', conf(m!.port, 2));
    sentinels.push(nodis, redis);
    await Promise.all(sentinels.map((s) => s.start()));
    for (const s of sentinels) {
      await poll(`${s.name} sees the replica and the other sentinel`, async () => {
        const f = await s.master();
        return f['num-slaves'] === '1' && f['num-other-sentinels'] === '1' && f['role-reported'] === 'master';
      }, 20000, 100);
    }
    const same = async (...args: (string | number)[]): Promise<void> => {
      const [a, b] = await Promise.all([nodis.raw(...args), redis.raw(...args)]);
      assert.equal(a, b, `reply to ${args.join(' ')}`);
    };
    await same('SENTINEL', 'HELP');
    await same('SENTINEL', 'MASTER', 'nosuch');
    await same('SENTINEL', 'REPLICAS', 'nosuch');
    await same('SENTINEL', 'SENTINELS', 'nosuch');
    await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'nosuch');
    await same('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME);
    await same('SENTINEL', 'NOSUCH');
    await same('SENTINEL');
    await same('SENTINEL', 'MASTER');
    await same('SENTINEL', 'MASTERS', 'x');
    await same('SENTINEL', 'SET', NAME, 'nosuch', '1');
    await same('SENTINEL', 'SET', NAME, 'quorum', 'x');
    await same('SENTINEL', 'SET', NAME, 'down-after-milliseconds', '-1');
    await same('SENTINEL', 'SET', NAME, 'notification-script', '/bin/true');
    await same('SENTINEL', 'SET', 'nosuch', 'quorum', '1');
    await same('SENTINEL', 'CONFIG', 'GET', '*');
    await same('SENTINEL', 'CONFIG', 'SET', 'nosuch', 'x');
    await same('SENTINEL', 'CONFIG', 'SET', 'announce-port', 'x');
    await same('SENTINEL', 'CONFIG', 'FOO', 'x');
    await same('SENTINEL', 'DEBUG');
    await same('SENTINEL', 'DEBUG', 'nosuch', '1');
    await same('SENTINEL', 'DEBUG', 'info-period', '0');
    await same('SENTINEL', 'MONITOR', NAME, '127.0.0.1', m!.port, 2);
    await same('SENTINEL', 'MONITOR', 'other', '127.0.0.1', m!.port, 0);
    await same('SENTINEL', 'MONITOR', 'other', '127.0.0.1', 'x', 1);
    await same('SENTINEL', 'MONITOR', 'other', 'not-an-address', 1, 1);
    await same('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', 'x', 0, '*');
    await same('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', m!.port, 0, '*');
    await same('SENTINEL', 'SIMULATE-FAILURE', 'HELP');
    await same('SENTINEL', 'SIMULATE-FAILURE', 'nosuch');
    await same('SENTINEL', 'FAILOVER', 'nosuch');
    await same('SENTINEL', 'CKQUORUM', NAME);
    await same('SENTINEL', 'CKQUORUM', 'nosuch');
    await same('SENTINEL', 'PENDING-SCRIPTS');
    await same('SENTINEL', 'RESET', 'nosuch*');
    await same('SENTINEL', 'INFO-CACHE', 'nosuch');
    await same('SENTINEL', 'REMOVE', 'nosuch');
    await same('ROLE');
    await same('PING');
    await same('GET', 'k');
    await same('CONFIG', 'GET', 'port');
    await same('PUBLISH', 'ch', 'x');
    await same('COMMAND', 'COUNT');
    // field names and their order
    const names = async (s: SentinelProc, ...args: string[]): Promise<string[]> => {
      const r = await s.call(...args) as unknown[];
      const one = Array.isArray(r[0]) ? r[0] as unknown[] : r;
      return one.filter((_, i) => i % 2 === 0).map(String);
    };
    for (const args of [['SENTINEL', 'MASTER', NAME], ['SENTINEL', 'MASTERS'], ['SENTINEL', 'REPLICAS', NAME], ['SENTINEL', 'SENTINELS', NAME]]) {
      assert.deepEqual(await names(nodis, ...args), await names(redis, ...args), args.join(' '));
    }
    // INFO: sections and field names (Nodis adds nodis_version to the server section)
    const fields = async (s: SentinelProc): Promise<string[]> => {
      const txt = String(await s.call('INFO'));
      return txt.split('\r\n').filter((l) => l !== '').map((l) => (l.startsWith('#') ? l : l.split(':')[0]!)).filter((k) => k !== 'nodis_version');
    };
    const [fa, fb] = await Promise.all([fields(nodis), fields(redis)]);
    assert.deepEqual(fa.filter((l) => l.startsWith('#')), fb.filter((l) => l.startsWith('#')));
    const sentinelSection = (f: string[]): string[] => f.slice(f.indexOf('# Sentinel'));
    assert.deepEqual(sentinelSection(fa), sentinelSection(fb));
    const sa = parseInfo(String(await nodis.call('INFO', 'sentinel')));
    assert.equal(sa['master0'], `name=${NAME},status=ok,address=127.0.0.1:${m!.port},slaves=1,sentinels=2`);
    assert.equal(parseInfo(String(await nodis.call('INFO', 'server')))['redis_mode'], 'sentinel');
  });
});
