// Memory of small hashes, Nodis vs redis-server: loads N hashes of F fields (short field
// names, V-byte values) with one HSET each through `redis-cli --pipe` into each server and
// reports RSS growth per hash and the ratio (target <= 1.3x Redis), and for Nodis the
// heap-after-GC growth per hash (run with node --expose-gc).
// Usage: node --expose-gc bench/e2e/memory-hash.mjs [N=100000] [F=10] [V=8]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { startServer } from '../../dist/src/index.js';

const N = Number(process.argv[2] ?? 100_000);
const F = Number(process.argv[3] ?? 10);
const V = Number(process.argv[4] ?? 8);
const file = `/tmp/nodis-memhash-${N}-${F}-${V}.resp`;
const bulk = (s) => `$${s.length}\r\n${s}\r\n`;
(() => {
  const chunks = [];
  let proto = '';
  for (let i = 0; i < N; i++) {
    const k = `hash:${String(i).padStart(10, '0')}`;
    proto += `*${2 + 2 * F}\r\n$4\r\nHSET\r\n` + bulk(k);
    for (let j = 0; j < F; j++) proto += bulk(`field${j}`) + bulk(String(i * F + j).padStart(V, 'v').slice(-V));
    if (proto.length > 1 << 20) { chunks.push(proto); proto = ''; }
  }
  chunks.push(proto);
  writeFileSync(file, chunks.join(''));
})();

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const cli = (port, ...a) => spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'utf8' }).stdout.trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pipeInto = (port) => new Promise((resolve) => {
  const p = spawn('sh', ['-c', `redis-cli -p ${port} --pipe < ${file}`], { stdio: 'ignore' });
  p.on('exit', resolve);
});

// Redis
const rport = Number(process.env.REDIS_PORT ?? 7697);
const redis = spawn('redis-server', ['--port', String(rport), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
for (let i = 0; i < 100 && cli(rport, 'ping') !== 'PONG'; i++) await sleep(50);
const r0 = rssOf(redis.pid);
await pipeInto(rport);
await sleep(500);
const r1 = rssOf(redis.pid);
const rKeys = Number(cli(rport, 'dbsize'));
const rEnc = cli(rport, 'object', 'encoding', 'hash:0000000000');
redis.kill('SIGKILL');

// Nodis, in this process
const s = await startServer({ port: 0, loglevel: 'warning', save: '' });
globalThis.gc?.();
await sleep(200);
globalThis.gc?.();
const n0 = rssOf(process.pid);
const h0 = process.memoryUsage().heapUsed;
await pipeInto(s.port);
await sleep(500);
globalThis.gc?.();
await sleep(200);
globalThis.gc?.();
const n1 = rssOf(process.pid);
const h1 = process.memoryUsage().heapUsed;
const nKeys = s.server.dbs[0].size;
const nEnc = s.server.dbs[0].peek('hash:0000000000')?.encoding?.();
await s.close();

const per = (d, k) => (d / k).toFixed(1);
console.log(`hashes: redis ${rKeys} (${rEnc}), nodis ${nKeys} (${nEnc}); ${F} fields, values ${V} bytes`);
console.log(`redis RSS growth per hash:  ${per(r1 - r0, rKeys)} B`);
console.log(`nodis RSS growth per hash:  ${per(n1 - n0, nKeys)} B  (ratio ${((n1 - n0) / nKeys / ((r1 - r0) / rKeys)).toFixed(2)}x, target <= 1.3x)`);
console.log(`nodis heap-after-GC growth per hash: ${globalThis.gc ? per(h1 - h0, nKeys) + ' B' : 'n/a (run with --expose-gc)'}`);
