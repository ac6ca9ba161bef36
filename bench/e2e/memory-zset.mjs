// Memory of sorted sets, Nodis vs redis-server: loads N sorted sets of M members each
// (ZADD in batches of 10 pairs: short members, integer and fractional scores) through
// `redis-cli --pipe` into both, then reports RSS growth (total and per zset) and the ratio,
// plus Nodis's heap-after-GC growth (run with node --expose-gc). M <= 128 keeps Redis's
// default listpack encoding; the encoding of one key is printed for both.
// Usage: npm run build && node --expose-gc bench/e2e/memory-zset.mjs [N=100000] [M=100]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { startServer } from '../../dist/src/index.js';

const N = Number(process.argv[2] ?? 100_000);
const M = Number(process.argv[3] ?? 100);
const file = `/tmp/nodis-memzset-${N}-${M}.resp`;
(() => {
  const chunks = [];
  let proto = '';
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
  const bulk = (s) => `$${s.length}\r\n${s}\r\n`;
  for (let i = 0; i < N; i++) {
    const k = `zset:${String(i).padStart(8, '0')}`;
    for (let j = 0; j < M; j += 10) {
      const n = Math.min(10, M - j);
      let cmd = `*${2 + 2 * n}\r\n$4\r\nZADD\r\n${bulk(k)}`;
      for (let t = j; t < j + n; t++) {
        const r = rnd();
        const score = t % 4 === 0 ? String((r % 100000) / 100) : String(r % 1000000);
        cmd += bulk(score) + bulk(`member:${t}`);
      }
      proto += cmd;
    }
    if (proto.length > 1 << 20) { chunks.push(proto); proto = ''; }
  }
  chunks.push(proto);
  writeFileSync(file, chunks.join(''));
})();

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const cli = (port, ...a) => spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'utf8' }).stdout.trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sample = `zset:${String(0).padStart(8, '0')}`;

// Redis
const rport = Number(process.env.REDIS_PORT ?? 7798);
const redis = spawn('redis-server', ['--port', String(rport), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
for (let i = 0; i < 100 && cli(rport, 'ping') !== 'PONG'; i++) await sleep(50);
const r0 = rssOf(redis.pid);
spawnSync('sh', ['-c', `redis-cli -p ${rport} --pipe < ${file}`], { encoding: 'utf8' });
await sleep(500);
const r1 = rssOf(redis.pid);
const rKeys = Number(cli(rport, 'dbsize'));
const rEnc = cli(rport, 'object', 'encoding', sample);
const rCard = cli(rport, 'zcard', sample);
redis.kill('SIGKILL');

// Nodis, in this process
const s = await startServer({ port: Number(process.env.NODIS_PORT ?? 0), loglevel: 'warning', save: '' });
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
const v = s.server.dbs[0].peek(sample);
const nEnc = v?.encoding?.();
const nCard = v?.size;
await s.close();

const mb = (b) => (b / 1048576).toFixed(1);
console.log(`sorted sets: redis ${rKeys} (${rEnc}, ${rCard} members), nodis ${nKeys} (${nEnc}, ${nCard} members)`);
console.log(`redis RSS growth: ${mb(r1 - r0)} MB, ${((r1 - r0) / rKeys).toFixed(0)} B per zset`);
console.log(`nodis RSS growth: ${mb(n1 - n0)} MB, ${((n1 - n0) / nKeys).toFixed(0)} B per zset  (ratio ${((n1 - n0) / nKeys / ((r1 - r0) / rKeys)).toFixed(2)}x)`);
console.log(`nodis heap-after-GC growth: ${globalThis.gc ? `${mb(h1 - h0)} MB, ${((h1 - h0) / nKeys).toFixed(0)} B per zset` : 'n/a (run with --expose-gc)'}`);
