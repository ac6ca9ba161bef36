// Forkless BGSAVE under load, and RDB load time, Nodis vs Redis.
//   node bench/e2e/bgsave.mjs [keys=1000000] [requests=400000]
// Nodis runs in this process (so the event-loop delay and the heap can be
// measured); redis-benchmark (GET/SET, 50 clients) runs as a child.
// Reports: GET/SET throughput without and during BGSAVE (target >= 0.7x),
// the longest event-loop stall during the save (perf_hooks
// monitorEventLoopDelay, target <= 10 ms), heap growth during the save
// (target < 10%), BGSAVE time vs redis-server's, and the load time of the
// 1M-key RDB vs redis-server's start-up load (target <= 2x).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../../dist/src/index.js';
import { bgsave, snapshotState } from '../../dist/src/persistence/snapshot.js';
import { loadRdbSync } from '../../dist/src/persistence/loading.js';
import { Server } from '../../dist/src/server/server.js';

const KEYS = Number(process.argv[2] ?? 1_000_000);
const REQS = Number(process.argv[3] ?? 400_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-bgsave-'));
const rdir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-bgsave-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function benchmark(port, n) {
  return new Promise((resolve) => {
    const p = spawn('redis-benchmark', ['-p', String(port), '-t', 'get,set', '-n', String(n), '-r', String(KEYS), '-c', '50', '-q', '--csv'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('exit', () => {
      const rps = {};
      for (const line of out.split('\n')) {
        const m = /^"(\w+)","([\d.]+)"/.exec(line);
        if (m) rps[m[1]] = Number(m[2]);
      }
      resolve(rps);
    });
  });
}

function cli(port, ...args) {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'latin1' }).stdout.trim();
}

/** redis-cli without blocking this process (the in-process Nodis must keep serving) */
function cliAsync(port, ...args) {
  return new Promise((resolve) => {
    const p = spawn('redis-cli', ['-p', String(port), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('exit', () => resolve(out.trim()));
  });
}

async function main() {
  const s = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'enable-debug-command': 'yes' });
  const server = s.server;
  await cliAsync(s.port, 'DEBUG', 'POPULATE', String(KEYS));
  console.log(`populated ${KEYS} keys`);

  // baseline throughput
  const base = await benchmark(s.port, REQS);

  // throughput during BGSAVE (saves restarted while the benchmark runs)
  const h = monitorEventLoopDelay({ resolution: 1 });
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let heapMax = heap0;
  const memTimer = setInterval(() => { heapMax = Math.max(heapMax, process.memoryUsage().heapUsed); }, 20);
  let running = true;
  let saves = 0;
  let firstSaveMs = 0;
  const saver = (async () => {
    while (running) {
      const t0 = performance.now();
      bgsave(server);
      const job = snapshotState(server).job;
      h.enable();
      await job.finished;
      h.disable();
      if (saves === 0) firstSaveMs = performance.now() - t0;
      saves++;
    }
  })();
  const during = await benchmark(s.port, REQS);
  running = false;
  await saver;
  clearInterval(memTimer);

  // an idle BGSAVE for the save time
  let t0 = performance.now();
  bgsave(server);
  await snapshotState(server).job.finished;
  const idleSaveMs = performance.now() - t0;
  const rdbFile = path.join(dir, 'dump.rdb');
  const size = fs.statSync(rdbFile).size;
  await s.close();

  // load time
  const fresh = new Server({ save: '', loglevel: 'warning', dir });
  t0 = performance.now();
  loadRdbSync(fresh, rdbFile, false);
  const loadMs = performance.now() - t0;

  // Redis: BGSAVE time and load time of the same dataset
  const rport = 7945;
  const rp = spawn('redis-server', ['--port', String(rport), '--save', '', '--dir', rdir, '--appendonly', 'no'], { stdio: 'ignore' });
  await sleep(300);
  cli(rport, 'DEBUG', 'POPULATE', String(KEYS));
  const rbase = await benchmark(rport, REQS);
  t0 = performance.now();
  cli(rport, 'BGSAVE');
  while (cli(rport, 'INFO', 'persistence').includes('rdb_bgsave_in_progress:1')) await sleep(5);
  const redisSaveMs = performance.now() - t0;
  cli(rport, 'SHUTDOWN', 'NOSAVE');
  await new Promise((r) => rp.once('exit', r));
  fs.copyFileSync(rdbFile, path.join(rdir, 'dump.rdb'));
  const rp2 = spawn('redis-server', ['--port', String(rport), '--save', '', '--dir', rdir, '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let log = '';
  rp2.stdout.on('data', (d) => { log += d; });
  while (!/DB loaded from disk: ([\d.]+) seconds/.test(log)) await sleep(20);
  const redisLoadMs = Number(/DB loaded from disk: ([\d.]+) seconds/.exec(log)[1]) * 1000;
  cli(rport, 'SHUTDOWN', 'NOSAVE');

  const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
  console.log(`GET rps: without save ${base.GET}, during BGSAVE ${during.GET} (${ratio(during.GET, base.GET)}x); redis ${rbase.GET}`);
  console.log(`SET rps: without save ${base.SET}, during BGSAVE ${during.SET} (${ratio(during.SET, base.SET)}x); redis ${rbase.SET}`);
  console.log(`BGSAVEs completed during the benchmark: ${saves}; first one took ${firstSaveMs.toFixed(0)} ms under load`);
  console.log(`max event-loop delay during saves: ${(h.max / 1e6).toFixed(1)} ms (p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms)`);
  console.log(`heap growth during saves: ${(((heapMax - heap0) / heap0) * 100).toFixed(1)}% (${(heap0 / 1048576).toFixed(0)} MB -> ${(heapMax / 1048576).toFixed(0)} MB)`);
  console.log(`BGSAVE idle: nodis ${idleSaveMs.toFixed(0)} ms, redis ${redisSaveMs.toFixed(0)} ms (${ratio(idleSaveMs, redisSaveMs)}x); file ${(size / 1048576).toFixed(1)} MB`);
  console.log(`load of ${KEYS} keys: nodis ${loadMs.toFixed(0)} ms, redis ${redisLoadMs.toFixed(0)} ms (${ratio(loadMs, redisLoadMs)}x)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(rdir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
