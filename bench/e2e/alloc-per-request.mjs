/*
 * Bytes a request allocates on the server's heap, and where: an embedded server (this process) serves
 * redis-benchmark while V8's sampling heap profiler records allocations, including the objects a scavenge
 * or a mark-compact collected since (without those flags it only reports what is still alive, which for a
 * request is nearly nothing). The garbage per request sets how often the young generation is scavenged, and
 * at P1 each scavenge is a pause that every in-flight request waits out: the p99 rows (bench/README.md, "P1
 * tails").
 *
 * Usage: node bench/e2e/alloc-per-request.mjs [test=get] [pipeline=1] [requests=200000]
 *   env DEPTH (frames per row, 3), TOP (rows, 15), INTERVAL (sampling bytes, 256).
 * Needs a build (npm run build) and redis-benchmark. Numbers are estimates (sampled); compare builds with
 * the same arguments.
 */
import { Session } from 'node:inspector/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, env } from './lib.mjs';

const run = promisify(execFile);
const [test = 'get', P = '1', N = '200000'] = process.argv.slice(2);
const depth = Number(env('DEPTH', 3));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-alloc-'));
const { startServer } = await import(path.join(ROOT, 'dist/src/index.js'));
const s = await startServer({ port: 0, save: '', appendonly: 'no', dir, loglevel: 'warning' });
const bench = (n, t = test, p = P) => run('redis-benchmark', ['-p', String(s.port), '-t', t, '-n', String(n), '-c', '50', '-r', '100000', '-P', p, '-q']);
try {
  await bench(100000, 'set', '1'); // keys for the reads
  await bench(50000); // warm-up: compiled code, grown buffers
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: Number(env('INTERVAL', 256)), includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true,
  });
  const { stdout } = await bench(N);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  let total = 0;
  const by = new Map();
  const walk = (node, stack) => {
    const f = node.callFrame;
    const here = [...stack, `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const k = here.slice(-depth).reverse().join(' < ');
      by.set(k, (by.get(k) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, here);
  };
  walk(profile.head, []);
  const per = (b) => (b / Number(N)).toFixed(1).padStart(8);
  console.log(`${stdout.trim().split('\r').pop()}\n${test.toUpperCase()} P${P}: ${per(total).trim()} bytes allocated per request; by allocation site (innermost first):`);
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, Number(env('TOP', 15)))) console.log(per(v), k);
} finally {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
