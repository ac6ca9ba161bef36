#!/usr/bin/env node
/*
 * Connection handling: accepting, answering and closing many connections, Nodis vs redis-server.
 *
 * Probes (one client process, this one; the servers run alternately, ROUNDS times, medians reported):
 *   concurrent  CONC sockets (default 10,000) are opened at once (net.connect in one loop). Each writes
 *               PING (*1\r\n$4\r\nPING\r\n) as soon as it is connected and waits for +PONG\r\n. When every
 *               socket has its PONG, every socket is ended (FIN) and the probe waits until each is fully
 *               closed (the server closed its side too). Time: first connect() to the last 'close'.
 *   cycles      CYCLES (default 20,000) strictly sequential cycles, one socket at a time: connect, write
 *               PING, wait for +PONG, end (FIN), wait for the server's FIN ('close'), next. With
 *               CYCLE_PING=0 the cycle is connect, end, wait for 'close' (no command).
 * Before measuring, each server gets a warm-up (WARM concurrent sockets, WARM cycles) so the JIT has run.
 * For each probe: wall time and the server's CPU time (utime + stime from /proc/<pid>/stat, pid from
 * INFO server), and the Nodis/Redis ratio of both. The client's own cost is in both wall times, so the
 * wall ratio understates the server difference; the CPU ratio does not. `overflows` is the growth of
 * the kernel's ListenOverflows counter (/proc/net/netstat, machine-wide) during the run: connections
 * whose handshake was dropped because the accept queue was full; each costs its client a SYN retry
 * (1 s, then 3 s, ...), which is what dominates a slow concurrent run.
 *
 * Servers: started here on free ports, both with maxclients 20000, --save '' --appendonly no, under
 * `ulimit -n` raised as far as the hard limit allows (Redis lowers maxclients to fit and logs it;
 * so does Nodis). PORT_A (Nodis) / PORT_B (Redis) take servers already running instead (local only
 * for the CPU figures). This process also needs CONC + a few file descriptors (ulimit -n).
 *
 * Usage: node bench/e2e/connections.mjs
 *   env: CONC, CYCLES, CYCLE_PING, ROUNDS, WARM, PROBES ("concurrent cycles"), PORT_A, PORT_B,
 *        NODIS_ARGS / REDIS_ARGS (more directives for the servers started here)
 * Needs a build (npm run build) and redis-server on PATH. Run it on an otherwise idle machine.
 */
import net from 'node:net';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '../..');
const env = (k, d) => process.env[k] ?? d;
const CONC = Number(env('CONC', 10000));
const CYCLES = Number(env('CYCLES', 20000));
const CYCLE_PING = env('CYCLE_PING', '1') !== '0';
const ROUNDS = Number(env('ROUNDS', 3));
const WARM = Number(env('WARM', 1000));
const PROBES = env('PROBES', 'concurrent cycles').split(/\s+/).filter(Boolean);
const PING = '*1\r\n$4\r\nPING\r\n';
const PONG = '+PONG\r\n';
const HOST = '127.0.0.1';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- servers ----------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** One request on a fresh connection; the raw reply once it has `until` (or 2 s went by). */
function request(port, text, until = '\r\n') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: HOST });
    let buf = '';
    const t = setTimeout(() => { s.destroy(); resolve(buf); }, 2000);
    s.once('error', (e) => { clearTimeout(t); reject(e); });
    s.on('connect', () => s.write(text));
    s.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes(until)) { clearTimeout(t); s.destroy(); resolve(buf); }
    });
  });
}

async function waitUp(port) {
  for (let i = 0; i < 100; i++) {
    try { if ((await request(port, PING)).startsWith(PONG)) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`server on ${port} did not start`);
}

/** Start a server under a raised `ulimit -n` (exec: the pid is the server's). */
async function start(kind) {
  const port = await freePort();
  const extra = process.env[kind === 'nodis' ? 'NODIS_ARGS' : 'REDIS_ARGS'] ?? '';
  const args = `--port ${port} --save '' --appendonly no --maxclients 20000 ${extra}`;
  const bin = kind === 'nodis' ? `node ${path.join(ROOT, 'bin/nodis-server')}` : 'redis-server';
  const sh = `ulimit -n 20032 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${bin} ${args}`;
  const proc = spawn('sh', ['-c', sh], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitUp(port);
  return { port, proc };
}

async function serverPid(port) {
  const info = await request(port, '*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n', 'run_id:'); // comes after process_id
  const m = /process_id:(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}

/** The kernel's ListenOverflows counter (machine-wide), or NaN. */
function listenOverflows() {
  try {
    const lines = readFileSync('/proc/net/netstat', 'latin1').split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0].split(' ');
    const values = lines[1].split(' ');
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch { return NaN; }
}

const CLK_TCK = 100;
/** CPU seconds (user + system) used so far by pid, or NaN when it cannot be read. */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15 of stat
  } catch { return NaN; }
}

// ---- probes -----------------------------------------------------------------------------------

/** CONC (or n) sockets at once, each PING -> +PONG, then all closed. Resolves the elapsed ms. */
function concurrent(port, n = CONC) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socks = new Array(n);
    let ponged = 0;
    let closed = 0;
    let failed = null;
    const allPonged = () => { for (const s of socks) s.end(); };
    for (let i = 0; i < n; i++) {
      const s = net.connect({ port, host: HOST });
      socks[i] = s;
      let got = '';
      s.on('connect', () => s.write(PING));
      s.on('data', (d) => {
        got += d.toString('latin1');
        if (got.length >= PONG.length) {
          if (got !== PONG) { failed ??= new Error(`socket ${i}: ${JSON.stringify(got)}`); }
          if (++ponged === n) allPonged();
        }
      });
      s.on('error', (e) => { failed ??= e; });
      s.on('close', () => {
        if (++closed === n) {
          if (failed) reject(failed);
          else if (ponged !== n) reject(new Error(`only ${ponged}/${n} PONGs`));
          else resolve(performance.now() - t0);
        }
      });
    }
  });
}

/** CYCLES (or n) sequential connect / PING / +PONG / close cycles. Resolves the elapsed ms. */
async function cycles(port, n = CYCLES) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await new Promise((resolve, reject) => {
      const s = net.connect({ port, host: HOST });
      let got = '';
      s.on('connect', () => { if (CYCLE_PING) s.write(PING); else s.end(); });
      s.on('data', (d) => {
        got += d.toString('latin1');
        if (got.length >= PONG.length) {
          if (got !== PONG) reject(new Error(`cycle ${i}: ${JSON.stringify(got)}`));
          s.end();
        }
      });
      s.on('error', reject);
      s.on('close', resolve);
    });
  }
  return performance.now() - t0;
}

const PROBE_FNS = { concurrent, cycles };

// ---- driver -----------------------------------------------------------------------------------

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  const started = [];
  const servers = {};
  for (const [kind, envPort] of [['nodis', 'PORT_A'], ['redis', 'PORT_B']]) {
    if (process.env[envPort]) servers[kind] = { port: Number(process.env[envPort]) };
    else { servers[kind] = await start(kind); started.push(servers[kind].proc); }
    servers[kind].pid = await serverPid(servers[kind].port);
  }
  const stop = () => { for (const p of started) p.kill('SIGKILL'); };
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));
  console.log(`connections: CONC=${CONC} CYCLES=${CYCLES} CYCLE_PING=${CYCLE_PING ? 1 : 0} ROUNDS=${ROUNDS} WARM=${WARM}`);
  for (const { port } of Object.values(servers)) { await concurrent(port, WARM); await cycles(port, WARM); }
  const results = {};
  for (const probe of PROBES) {
    const fn = PROBE_FNS[probe];
    if (!fn) throw new Error(`unknown probe ${probe}`);
    results[probe] = { nodis: { ms: [], cpu: [] }, redis: { ms: [], cpu: [] } };
    for (let r = 0; r < ROUNDS; r++) {
      for (const kind of ['nodis', 'redis']) {
        const { port, pid } = servers[kind];
        const [c0, o0] = [cpuOf(pid), listenOverflows()];
        const ms = await fn(port);
        await sleep(200); // let the server finish closing before reading its CPU
        const cpu = cpuOf(pid) - c0;
        const overflows = listenOverflows() - o0;
        results[probe][kind].ms.push(ms);
        results[probe][kind].cpu.push(cpu);
        console.log(`  ${probe.padEnd(10)} round ${r + 1} ${kind.padEnd(5)} ${(ms / 1000).toFixed(2)} s wall, ${cpu.toFixed(2)} s server CPU, ${overflows} overflows`);
        await sleep(300);
      }
    }
  }
  console.log('\nprobe        nodis wall  redis wall  ratio | nodis cpu  redis cpu  ratio   (medians)');
  for (const [probe, r] of Object.entries(results)) {
    const [nw, rw, nc, rc] = [median(r.nodis.ms) / 1000, median(r.redis.ms) / 1000, median(r.nodis.cpu), median(r.redis.cpu)];
    console.log(`${probe.padEnd(12)} ${nw.toFixed(2).padStart(8)} s  ${rw.toFixed(2).padStart(8)} s  ${(nw / rw).toFixed(2).padStart(5)} | ` +
      `${nc.toFixed(2).padStart(7)} s  ${rc.toFixed(2).padStart(7)} s  ${(nc / rc).toFixed(2).padStart(5)}`);
  }
  stop();
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
