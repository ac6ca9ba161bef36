// Sentinel failover: Nodis (nodis-server data nodes + nodis-sentinel) vs Redis (redis-server + redis-sentinel),
// the same setup: a master and 2 replicas (min-replicas-to-write 1), 3 sentinels, quorum 2, down-after 1000 ms.
//   node bench/e2e/sentinel-failover.mjs [failovers=5] [kinds=nodis,redis]
// Each failover: SIGKILL the current master; measured until every sentinel's GET-MASTER-ADDR-BY-NAME names the same
// new master; then the killed node is restarted (the sentinels turn it into a replica) and the next one starts once
// it replicates. Throughout, a writer SETs w:<i> on the master the sentinels name, each followed by WAIT 1 1000: a
// write counts as acknowledged only when WAIT says a replica has it. After the last failover every acknowledged write
// must be on the final master: "lost" is printed, and the exit code is 1 if any is. Needs a build, redis-server,
// redis-sentinel, redis-cli.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { RawClient } from '../../dist/test/helpers/resp-client.js';

const FAILOVERS = Number(process.argv[2] ?? 5);
const KINDS = (process.argv[3] ?? 'nodis,redis').split(',');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = (port, ...args) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'latin1', timeout: 5000 }).stdout?.trim() ?? '';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function until(what, cond, ms) {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

let failedDir = '';

async function run(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nodis-sentinel-bench-${kind}-`));
  const procs = new Map();
  const dataPorts = [await freePort(), await freePort(), await freePort()];
  const sentPorts = [await freePort(), await freePort(), await freePort()];
  const startData = (port, replicaOf) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--logfile', path.join(dir, `d${port}.log`), '--dbfilename', `d${port}.rdb`, '--repl-diskless-sync-delay', '0', '--min-replicas-to-write', '1'];
    if (replicaOf) args.push('--replicaof', '127.0.0.1', String(replicaOf));
    const p = kind === 'nodis' ? spawn(process.execPath, [path.resolve('bin/nodis-server'), ...args], { stdio: 'ignore' })
      : spawn('redis-server', args, { stdio: 'ignore' });
    procs.set(port, p);
  };
  try {
    startData(dataPorts[0], null);
    startData(dataPorts[1], dataPorts[0]);
    startData(dataPorts[2], dataPorts[0]);
    for (const p of dataPorts) await until(`${p} up`, () => cli(p, 'ping') === 'PONG', 10000);
    for (const sp of sentPorts) {
      const conf = path.join(dir, `s${sp}.conf`);
      fs.writeFileSync(conf, `port ${sp}\nbind 127.0.0.1\ndir ${dir}\nlogfile ${path.join(dir, `s${sp}.log`)}\n` +
        `sentinel monitor m 127.0.0.1 ${dataPorts[0]} 2\nsentinel down-after-milliseconds m 1000\n` +
        'sentinel failover-timeout m 10000\nsentinel parallel-syncs m 2\n');
      const p = kind === 'nodis' ? spawn(process.execPath, [path.resolve('bin/nodis-sentinel'), conf], { stdio: 'ignore' })
        : spawn('redis-sentinel', [conf], { stdio: 'ignore' });
      procs.set(sp, p);
    }
    const masterAddr = (sp) => cli(sp, 'sentinel', 'get-master-addr-by-name', 'm').split('\n')[1];
    await until('sentinels discovered everything', () => sentPorts.every((sp) =>
      cli(sp, 'sentinel', 'replicas', 'm').split('\n').filter((l) => l === 'name').length === 2 &&
      cli(sp, 'sentinel', 'sentinels', 'm').split('\n').filter((l) => l === 'name').length === 2), 30000);
    // the writer
    let stop = false;
    const acked = [];
    let master = dataPorts[0];
    let writes = 0;
    const writer = (async () => {
      let c = null;
      let at = 0;
      for (let i = 0; !stop; i++) {
        try {
          if (c === null || at !== master) { c?.close(); at = master; c = await RawClient.connect(at); }
          const r = await Promise.race([c.call('SET', `w:${i}`, String(i)), sleep(1500).then(() => 'timeout')]);
          writes++;
          if (r !== '+OK\r\n') { c.close(); c = null; await sleep(20); continue; }
          const w = await Promise.race([c.call('WAIT', 1, 1000), sleep(2500).then(() => 'timeout')]);
          if (/^:[1-9]/.test(w)) acked.push(i);
        } catch { c?.close(); c = null; await sleep(20); }
      }
      c?.close();
    })();
    const times = [];
    for (let f = 0; f < FAILOVERS; f++) {
      const old = master;
      await sleep(500);
      const t0 = performance.now();
      procs.get(old).kill('SIGKILL');
      let next = '';
      await until('every sentinel names a new master', () => {
        const addrs = sentPorts.map(masterAddr);
        if (addrs.every((a) => a !== undefined && a !== String(old) && a === addrs[0])) { next = addrs[0]; return true; }
        return false;
      }, 60000);
      times.push(performance.now() - t0);
      master = Number(next);
      // the killed node comes back; the sentinels make it a replica of the new master
      startData(old, null);
      await until(`${old} replicates the master`, () => {
        // (the sentinels may have moved on meanwhile: follow what they say now)
        const now = masterAddr(sentPorts[0]);
        if (now !== undefined && now !== '') master = Number(now);
        const info = cli(old, 'info', 'replication');
        return info.includes(`master_port:${master}`) && info.includes('master_link_status:up');
      }, 60000);
      console.error(`${kind} failover ${f + 1}: ${times[f].toFixed(0)} ms, ${acked.length} acknowledged writes so far`);
    }
    stop = true;
    await writer;
    // every acknowledged write on the final master
    const c = await RawClient.connect(master);
    let lost = 0;
    for (let k = 0; k < acked.length; k += 500) {
      const part = acked.slice(k, k + 500);
      const r = await c.call('MGET', ...part.map((i) => `w:${i}`));
      lost += (r.match(/\$-1\r\n/g) ?? []).length;
    }
    c.close();
    const sorted = [...times].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)], times, acked: acked.length, writes, lost };
  } catch (e) {
    failedDir = dir;
    throw e;
  } finally {
    for (const p of procs.values()) p.kill('SIGKILL');
    await sleep(300);
    if (failedDir !== dir) fs.rmSync(dir, { recursive: true, force: true });
    else console.error(`logs kept in ${dir}`);
  }
}

let bad = false;
const res = {};
for (const kind of KINDS) {
  res[kind] = await run(kind);
  const r = res[kind];
  console.log(`${kind}: ${FAILOVERS} failovers, median ${r.median.toFixed(0)} ms (${r.times.map((t) => t.toFixed(0)).join(' ')}), ` +
    `${r.writes} writes, ${r.acked} acknowledged by WAIT, lost ${r.lost}`);
  if (r.lost > 0) bad = true;
}
if (res.nodis && res.redis) console.log(`nodis - redis (median failover): ${(res.nodis.median - res.redis.median).toFixed(0)} ms`);
process.exit(bad ? 1 : 0);
