// The measurement the memory benchmarks share (memory.mjs, memory-hash.mjs, memory-zset.mjs):
// write a RESP stream to a file, load it with `redis-cli --pipe` into a fresh redis-server and
// into a Nodis server in this process, and return each side's RSS growth (and Nodis's
// heap-after-GC growth: run node with --expose-gc), key count and the sample key's encoding.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { startServer } from '../../dist/src/index.js';

export const bulk = (s) => `$${s.length}\r\n${s}\r\n`;

/** Write the commands gen(emit) emits (RESP strings) to `file`, in 1 MB chunks. */
export function writeProto(file, gen) {
  const chunks = [];
  let proto = '';
  gen((cmd) => {
    proto += cmd;
    if (proto.length > 1 << 20) { chunks.push(proto); proto = ''; }
  });
  chunks.push(proto);
  writeFileSync(file, chunks.join(''));
}

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const cli = (port, ...a) => spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'utf8' }).stdout.trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pipeInto = (port, file) => new Promise((resolve) => {
  const p = spawn('sh', ['-c', `redis-cli -p ${port} --pipe < ${file}`], { stdio: 'ignore' });
  p.on('exit', resolve);
});
const gc = async () => { globalThis.gc?.(); await sleep(200); globalThis.gc?.(); };

/**
 * Load `file` into both servers. Returns { redis: { rss, keys, enc, card }, nodis: { rss, heap, keys, enc, value } }
 * where rss/heap are growths in bytes, enc the OBJECT ENCODING of `sample` (when given) and card its ZCARD
 * (when `card` is set), value the Nodis value of `sample`.
 */
export async function measure({ file, redisPort, nodisPort = 0, sample = null, card = false }) {
  const redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && cli(redisPort, 'ping') !== 'PONG'; i++) await sleep(50);
  const r0 = rssOf(redis.pid);
  await pipeInto(redisPort, file);
  await sleep(500);
  const r1 = rssOf(redis.pid);
  const rKeys = Number(cli(redisPort, 'dbsize'));
  const rEnc = sample === null ? undefined : cli(redisPort, 'object', 'encoding', sample);
  const rCard = card ? cli(redisPort, 'zcard', sample) : undefined;
  redis.kill('SIGKILL');

  const s = await startServer({ port: nodisPort, loglevel: 'warning', save: '' });
  await gc();
  const n0 = rssOf(process.pid);
  const h0 = process.memoryUsage().heapUsed;
  await pipeInto(s.port, file);
  await sleep(500);
  await gc();
  const n1 = rssOf(process.pid);
  const h1 = process.memoryUsage().heapUsed;
  const nKeys = s.server.dbs[0].size;
  const value = sample === null ? undefined : s.server.dbs[0].peek(sample);
  await s.close();
  return {
    redis: { rss: r1 - r0, keys: rKeys, enc: rEnc, card: rCard },
    nodis: { rss: n1 - n0, heap: h1 - h0, keys: nKeys, enc: value?.encoding?.(), value },
  };
}
