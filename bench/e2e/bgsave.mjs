// Forkless BGSAVE under load, and RDB load time, Nodis vs Redis.
//   node --expose-gc bench/e2e/bgsave.mjs [keys=1000000] [--runs=3] [--loop] [--no-redis] [--no-load]
//   node bench/e2e/bgsave.mjs --load-only [keys=1000000] [--runs=5]: only the load time of the same file
//   (DEBUG POPULATE + SAVE), as bin/nodis-server and redis-server report it at start-up ("DB loaded
//   from disk"), --runs times each, median ratio.
// Nodis runs in this process (so the event-loop delay and the heap can be
// measured); redis-benchmark (GET, then SET, 50 clients, random keys) runs
// as a child without stopping. For each of GET and SET, after a warm-up:
//   - a baseline window without any save (as long as one save takes),
//   - one BGSAVE (--runs times, each followed by its baseline window; the
//     median is reported; one idle save before warms the code): throughput = commands served during the save / its
//     duration (target >= 0.7x of the baseline), the longest event-loop stall
//     and the p99 (perf_hooks monitorEventLoopDelay, target <= 10 ms), the
//     memory growth during the save (target < 10%): the peak RSS of the
//     process over its RSS at the start (what a fork would double), and the
//     heap + external peak, with and without the young generation (the
//     young generation is short-lived garbage of serving, bounded by the
//     semi-space size: the baseline window without a save shows as much),
//   - with --loop, also BGSAVEs back to back for a few seconds.
// Then an idle BGSAVE time vs redis-server's BGSAVE of the same keys, and the
// load time of the 1M-key RDB vs redis-server's start-up load (target <= 2x).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { startServer } from '../../dist/src/index.js';
import { bgsave, snapshotState } from '../../dist/src/persistence/snapshot.js';
import { loadRdbSync } from '../../dist/src/persistence/loading.js';
import { Server } from '../../dist/src/server/server.js';

const args = process.argv.slice(2);
const KEYS = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const LOOP = args.includes('--loop');
const REDIS = !args.includes('--no-redis');
const LOAD = !args.includes('--no-load');
const RUNS = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-bgsave-'));
const rdir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-bgsave-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** redis-benchmark running one test until killed */
function loadGen(port, test) {
  return spawn('redis-benchmark', ['-p', String(port), '-t', test, '-n', '1000000000', '-r', String(KEYS), '-c', '50', '-q'], { stdio: 'ignore' });
}

function cli(port, ...a) {
  return spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'latin1' }).stdout.trim();
}

/** redis-cli without blocking this process (the in-process Nodis must keep serving) */
function cliAsync(port, ...a) {
  return new Promise((resolve) => {
    const p = spawn('redis-cli', ['-p', String(port), ...a], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('exit', () => resolve(out.trim()));
  });
}

const mem = () => { const m = process.memoryUsage(); return m.heapUsed + m.external; };
/** the same without the young generation (short-lived garbage, bounded by the semi-space size, there with or without a save) */
const memOld = () => {
  let n = process.memoryUsage().external;
  for (const sp of v8.getHeapSpaceStatistics()) if (sp.space_name !== 'new_space') n += sp.space_used_size;
  return n;
};

/** Measure while `body` runs: command rate, event-loop delay, memory growth over the start (after a GC). */
async function window(server, body) {
  global.gc?.();
  await sleep(50);
  const h = monitorEventLoopDelay({ resolution: 1 });
  const m0 = mem();
  let mMax = m0;
  const o0 = memOld();
  let oMax = o0;
  const r0 = process.memoryUsage.rss();
  let rMax = r0;
  const memTimer = setInterval(() => { mMax = Math.max(mMax, mem()); oMax = Math.max(oMax, memOld()); rMax = Math.max(rMax, process.memoryUsage.rss()); }, 10);
  const c0 = server.stats.totalCommands;
  const t0 = performance.now();
  h.enable();
  const extra = await body();
  h.disable();
  const ms = performance.now() - t0;
  clearInterval(memTimer);
  mMax = Math.max(mMax, mem());
  oMax = Math.max(oMax, memOld());
  rMax = Math.max(rMax, process.memoryUsage.rss());
  return {
    rssGrowth: (rMax - r0) / r0,
    ms, rate: ((server.stats.totalCommands - c0) * 1000) / ms, max: h.max / 1e6, p99: h.percentile(99) / 1e6,
    growth: (mMax - m0) / m0, m0, mMax, oldGrowth: (oMax - o0) / o0, extra,
  };
}

async function oneSave(server) {
  bgsave(server);
  const job = snapshotState(server).job;
  await job.finished;
  return `${job.slices} slices, ${job.sliceMs.toFixed(0)} ms in them`;
}

/** start a server process on `dir`, wait for its "DB loaded from disk" line, shut it down; the load time in ms */
async function startupLoadMs(cmd, argv, port) {
  const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  p.stdout.on('data', (d) => { log += d; });
  p.stderr.on('data', (d) => { log += d; });
  const re = /DB loaded from disk: ([\d.]+) seconds/;
  let exited = false;
  p.once('exit', () => { exited = true; });
  while (!re.test(log)) {
    if (exited) throw new Error(`${cmd} exited: ${log}`);
    await sleep(10);
  }
  const ms = Math.round(Number(re.exec(log)[1]) * 1000);
  cli(port, 'SHUTDOWN', 'NOSAVE');
  if (!exited) await new Promise((r) => p.once('exit', r));
  return ms;
}

async function loadOnly() {
  const s = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'enable-debug-command': 'yes' });
  await cliAsync(s.port, 'DEBUG', 'POPULATE', String(KEYS));
  await cliAsync(s.port, 'SAVE');
  await s.close();
  const rdbFile = path.join(dir, 'dump.rdb');
  fs.copyFileSync(rdbFile, path.join(rdir, 'dump.rdb'));
  console.log(`file of ${KEYS} keys: ${(fs.statSync(rdbFile).size / 1048576).toFixed(1)} MB`);
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const nodisBin = new URL('../../bin/nodis-server', import.meta.url).pathname;
  const n = [];
  const r = [];
  for (let i = 0; i < RUNS; i++) {
    n.push(await startupLoadMs('node', [nodisBin, '--port', '7646', '--save', '', '--dir', dir], 7646));
    if (REDIS) r.push(await startupLoadMs('redis-server', ['--port', '7645', '--save', '', '--dir', rdir, '--appendonly', 'no'], 7645));
  }
  console.log(`nodis load ms: ${n.join(' ')} (median ${med(n)})`);
  if (REDIS) {
    console.log(`redis load ms: ${r.join(' ')} (median ${med(r)})`);
    console.log(`load of ${KEYS} keys: nodis ${med(n)} ms, redis ${med(r)} ms (${(med(n) / med(r)).toFixed(2)}x; per-run ratios ${n.map((x, k) => (x / r[k]).toFixed(2)).join(' ')})`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(rdir, { recursive: true, force: true });
  process.exit(0);
}

async function main() {
  if (args.includes('--load-only')) return loadOnly();
  const s = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'enable-debug-command': 'yes' });
  const server = s.server;
  await cliAsync(s.port, 'DEBUG', 'POPULATE', String(KEYS));
  console.log(`populated ${KEYS} keys`);
  const fmt = (w) => `${w.rate.toFixed(0)} cmd/s over ${w.ms.toFixed(0)} ms, stall max ${w.max.toFixed(1)} ms p99 ${w.p99.toFixed(1)} ms, ` +
    `memory +${(w.growth * 100).toFixed(1)}% (${(w.m0 / 1048576).toFixed(0)} -> ${(w.mMax / 1048576).toFixed(0)} MB; without the young generation +${(w.oldGrowth * 100).toFixed(1)}%; RSS +${(w.rssGrowth * 100).toFixed(1)}%)${w.extra ? `; ${w.extra}` : ''}`;
  // one idle save first: the save code is JIT-compiled before it is measured (a running server has saved before)
  await oneSave(server);
  const summary = [];
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const test of ['get', 'set']) {
    const T = test.toUpperCase();
    const gen = loadGen(s.port, test);
    await sleep(1500); // warm-up
    const ratios = [];
    const saves = [];
    const bases = [];
    for (let r = 0; r < RUNS; r++) {
      const save = await window(server, () => oneSave(server));
      const base = await window(server, () => sleep(save.ms));
      console.log(`${T} baseline: ${fmt(base)}`);
      console.log(`${T} 1 BGSAVE: ${fmt(save)} -> ${(save.rate / base.rate).toFixed(2)}x`);
      ratios.push(save.rate / base.rate);
      saves.push(save);
      bases.push(base);
    }
    summary.push(`${T} ${med(ratios).toFixed(2)}x (runs ${ratios.map((x) => x.toFixed(2)).join(' ')}), stall max ${Math.max(...saves.map((w) => w.max)).toFixed(1)} ms, ` +
      `p99 ${Math.max(...saves.map((w) => w.p99)).toFixed(1)} ms, memory +${(Math.max(...saves.map((w) => w.growth)) * 100).toFixed(1)}% (old generation + external +${(Math.max(...saves.map((w) => w.oldGrowth)) * 100).toFixed(1)}%; RSS +${(Math.max(...saves.map((w) => w.rssGrowth)) * 100).toFixed(1)}%; baseline +${(Math.max(...bases.map((w) => w.growth)) * 100).toFixed(1)}%), save ${med(saves.map((w) => w.ms)).toFixed(0)} ms`);
    if (LOOP) {
      let n = 0;
      const base = await window(server, () => sleep(3000));
      const loop = await window(server, async () => {
        const end = performance.now() + 5000;
        while (performance.now() < end) { await oneSave(server); n++; }
      });
      console.log(`${T} ${n} BGSAVEs back to back: ${fmt(loop)} -> ${(loop.rate / base.rate).toFixed(2)}x`);
    }
    gen.kill();
    await new Promise((r) => gen.once('exit', r));
    await sleep(200);
  }
  console.log('one BGSAVE under load (median ratio of throughput during the save / without; worst stall, p99 and memory growth over the runs):');
  for (const line of summary) console.log(`  ${line}`);

  // an idle BGSAVE for the save time
  const idle = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await oneSave(server);
    idle.push(performance.now() - t0);
  }
  const idleSaveMs = Math.min(...idle);
  const rdbFile = path.join(dir, 'dump.rdb');
  const size = fs.statSync(rdbFile).size;
  const nkeys = server.dbs[0].size;
  await s.close();
  const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
  console.log(`BGSAVE idle (${nkeys} keys): nodis ${idleSaveMs.toFixed(0)} ms (best of 3: ${idle.map((x) => x.toFixed(0)).join(' ')}); file ${(size / 1048576).toFixed(1)} MB`);

  let loadMs = 0;
  if (LOAD) {
    const fresh = new Server({ save: '', loglevel: 'warning', dir });
    const t0 = performance.now();
    loadRdbSync(fresh, rdbFile, false);
    loadMs = performance.now() - t0;
  }

  if (REDIS) {
    // Redis: BGSAVE time and load time of the same dataset
    const rport = 7645;
    fs.copyFileSync(rdbFile, path.join(rdir, 'dump.rdb'));
    const rp = spawn('redis-server', ['--port', String(rport), '--save', '', '--dir', rdir, '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let log = '';
    rp.stdout.on('data', (d) => { log += d; });
    while (!/DB loaded from disk: ([\d.]+) seconds/.test(log)) await sleep(20);
    const redisLoadMs = Number(/DB loaded from disk: ([\d.]+) seconds/.exec(log)[1]) * 1000;
    const rsaves = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      cli(rport, 'BGSAVE');
      while (cli(rport, 'INFO', 'persistence').includes('rdb_bgsave_in_progress:1')) await sleep(2);
      rsaves.push(performance.now() - t0);
    }
    const redisSaveMs = Math.min(...rsaves);
    cli(rport, 'SHUTDOWN', 'NOSAVE');
    console.log(`BGSAVE idle: nodis ${idleSaveMs.toFixed(0)} ms, redis ${redisSaveMs.toFixed(0)} ms (${ratio(idleSaveMs, redisSaveMs)}x)`);
    if (LOAD) console.log(`load of ${nkeys} keys: nodis ${loadMs.toFixed(0)} ms, redis ${redisLoadMs.toFixed(0)} ms (${ratio(loadMs, redisLoadMs)}x)`);
  } else if (LOAD) console.log(`load of ${nkeys} keys: nodis ${loadMs.toFixed(0)} ms`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(rdir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
