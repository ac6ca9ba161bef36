// Memory per key, Nodis vs redis-server: loads N distinct keys with V-byte values through
// `redis-cli --pipe` into each server and reports RSS growth per key (and, for Nodis,
// heap-after-GC growth per key; run with node --expose-gc).
// Usage: node --expose-gc bench/e2e/memory.mjs [N=1000000] [V=16]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { startServer } from '../../dist/src/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const V = Number(process.argv[3] ?? 16);
const file = `/tmp/nodis-mem-${N}-${V}.resp`;
(() => {
  let proto = '';
  const chunks = [];
  const value = 'v'.repeat(V);
  for (let i = 0; i < N; i++) {
    const k = `key:${String(i).padStart(12, '0')}`;
    proto += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${V}\r\n${value}\r\n`;
    if (proto.length > 1 << 20) { chunks.push(proto); proto = ''; }
  }
  chunks.push(proto);
  writeFileSync(file, chunks.join(''));
})();

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const pipe = (port) => spawnSync('sh', ['-c', `redis-cli -p ${port} --pipe < ${file}`], { encoding: 'utf8' });
const cli = (port, ...a) => spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'utf8' }).stdout.trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Redis
const rport = Number(process.env.REDIS_PORT ?? 7098);
const redis = spawn('redis-server', ['--port', String(rport), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
for (let i = 0; i < 100 && cli(rport, 'ping') !== 'PONG'; i++) await sleep(50);
const r0 = rssOf(redis.pid);
pipe(rport);
await sleep(500);
const r1 = rssOf(redis.pid);
const rKeys = Number(cli(rport, 'dbsize'));
redis.kill('SIGKILL');

// Nodis, in this process
const s = await startServer({ port: 0, loglevel: 'warning', save: '' });
globalThis.gc?.();
await sleep(200);
globalThis.gc?.();
const n0 = rssOf(process.pid);
const h0 = process.memoryUsage().heapUsed;
await new Promise((resolve) => {
  const p = spawn('sh', ['-c', `redis-cli -p ${s.port} --pipe < ${file}`], { stdio: 'ignore' });
  p.on('exit', resolve);
});
await sleep(500);
globalThis.gc?.();
await sleep(200);
globalThis.gc?.();
const n1 = rssOf(process.pid);
const h1 = process.memoryUsage().heapUsed;
const nKeys = s.server.dbs[0].size;
await s.close();

const per = (d, k) => (d / k).toFixed(1);
console.log(`keys: redis ${rKeys}, nodis ${nKeys}; value ${V} bytes`);
console.log(`redis RSS growth per key:  ${per(r1 - r0, rKeys)} B`);
console.log(`nodis RSS growth per key:  ${per(n1 - n0, nKeys)} B  (ratio ${((n1 - n0) / nKeys / ((r1 - r0) / rKeys)).toFixed(2)}x)`);
console.log(`nodis heap-after-GC growth per key: ${globalThis.gc ? per(h1 - h0, nKeys) + ' B' : 'n/a (run with --expose-gc)'}`);
