#!/usr/bin/env node
// The long protocol / command fuzz run: the generator and driver of
// test/system/fuzz.test.ts (test/helpers/fuzz-gen.ts, fuzz-run.ts), for as
// many inputs as asked. Needs a build (npm run build).
//
//   node scripts/fuzz.mjs                          1,000,000 inputs against a Nodis it starts
//   node scripts/fuzz.mjs --inputs 200000 --seed 42 --connections 4 --minutes 25
//   node scripts/fuzz.mjs --redis                  the same inputs against redis-server (throughput only)
//   node scripts/fuzz.mjs --port 6379 [--pid N]    against a server already running (VmRSS read from pid)
//   --big-alloc   also SETRANGE/SETBIT/BITFIELD at ~512 MB (each followed by DEL on its own key; the
//                 offsets may hit other keys too; proto-max-bulk-len 4gb lets strings reach GBs).
//                 Each takes 0.5-2 s on a busy 2-core machine, in Redis 7.0.15 as in Nodis: pair it
//                 with --ping-ms 5000 --rss-mb 8192. Still reports (Dec 2026): INCR on a value past
//                 V8's string limit replies 'ERR internal error' (COPY, GETRANGE 0 -1, Lua GET too)
//   --rss-mb N    RSS bound (default 1536)
//   --ping-ms N   a fresh connection's PING unanswered this long is a hang (default 2000)
//
// The server it starts listens on a free loopback port, with --save '' --appendonly no,
// --enable-debug-command yes (the generator's DEBUG allowlist), a scratch --dir and
// client-output-buffer-limit "normal 64mb 32mb 10" (so SRANDMEMBER -2^62 and the like end at
// 64 MB of reply, as Redis does with that limit). Prints the counts; exits 1 on a crash, hang,
// RSS past the bound, a reply that is not RESP (with the seed and the last inputs of each
// connection) or an 'ERR internal error' reply (a handler threw). --redis runs redis-server with
// sanitize-dump-payload yes: without it Redis 7.0.15 dies on the generator's mutated RESTORE
// payloads within ~13,000 inputs (an assertion in its listpack/ziplist code). Its run is a
// throughput reference.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { runFuzz, formatStats, pingOnce } from '../dist/test/helpers/fuzz-run.js';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };

const inputs = Number(opt('--inputs', '1000000'));
const seed = Number(opt('--seed', String((Math.random() * 2 ** 32) >>> 0))) >>> 0;
const connections = Number(opt('--connections', '4'));
const minutes = Number(opt('--minutes', '0'));
const rssMb = Number(opt('--rss-mb', '1536'));
const pingMs = Number(opt('--ping-ms', '2000'));

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

let port = opt('--port') ? Number(opt('--port')) : 0;
let pid = opt('--pid') ? Number(opt('--pid')) : undefined;
let proc = null;
let dir = null;
let log = '';
if (!port) {
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'nodis-fuzz-'));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--client-output-buffer-limit', 'normal 64mb 32mb 10', '--enable-debug-command', 'yes'];
  proc = flag('--redis')
    // Redis 7.0.15 crashes on some mutated RESTORE payloads without deep sanitization
    ? spawn(process.env.REDIS_SERVER ?? 'redis-server', [...common, '--loglevel', 'warning', '--sanitize-dump-payload', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [resolve('bin/nodis-server'), ...common], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => { log = (log + d.toString('latin1')).slice(-500000); });
  proc.stderr.on('data', (d) => { log = (log + d.toString('latin1')).slice(-500000); });
  pid = proc.pid;
  const until = Date.now() + 20000;
  while ((await pingOnce(port, '127.0.0.1', 1000)) !== 'ok') {
    if (Date.now() > until || proc.exitCode !== null) { console.error('server did not start\n' + log); process.exit(2); }
    await new Promise((r) => setTimeout(r, 50));
  }
}

console.log(`fuzz: ${flag('--redis') ? 'redis-server' : 'nodis'} on port ${port}, pid ${pid ?? '?'}, seed ${seed}, ${inputs} inputs, ${connections} connections${minutes ? `, at most ${minutes} min` : ''}`);
const stats = await runFuzz({
  port, seed, inputs, connections, pid,
  alive: proc ? () => proc.exitCode === null && proc.signalCode === null : undefined,
  gen: { bigAlloc: flag('--big-alloc') },
  rssLimitBytes: rssMb * 2 ** 20,
  pingTimeoutMs: pingMs,
  maxMs: minutes ? minutes * 60000 : undefined,
  progressEveryMs: 30000,
  progress: (s) => console.log(`  ${(s.elapsedMs / 1000).toFixed(0)} s: ${s.inputs} inputs, ${s.connections} connections, ${s.errors} errors, peak RSS ${(s.peakRss / 2 ** 20).toFixed(0)} MB`),
});
console.log(formatStats(stats));
if (proc) {
  if (stats.failure) {
    // a crash report (Redis's bug report, Nodis's crash log) from its start, else the tail
    const at = log.search(/REDIS BUG REPORT START|crashed by signal|ASSERTION FAILED|Guru Meditation/);
    console.log('--- server log ---\n' + (at >= 0 ? log.slice(Math.max(0, at - 2000), at + 6000) : log.slice(-4000)));
  }
  proc.kill('SIGKILL');
  await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', r)));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(stats.failure || stats.internalErrors.length ? 1 : 0);
