#!/usr/bin/env node
/*
 * Full sync, Nodis vs redis-server: time from REPLICAOF to master_link_status:up for a master holding KEYS keys
 * (DEBUG POPULATE: "key:N" -> "value:N"), and how long the master's event loop stalls meanwhile.
 *
 * For each server kind (nodis, redis), ROUNDS times, alternating: start a master and a replica process of that
 * kind on free ports (--save '' --appendonly no, repl-diskless-sync as DISKLESS says, delay 0), populate the
 * master, then send REPLICAOF to the replica and poll INFO replication (every 5 ms) until the link is up and
 * the offsets match. Meanwhile a probe connection sends PING to the master back to back and records the
 * longest wait for a PONG: the master's worst stall during the sync (Redis forks; Nodis serializes in slices).
 * Prints the medians and the Nodis/Redis ratio of the sync time.
 *
 * Usage: node bench/e2e/full-sync.mjs   env: KEYS (1000000), ROUNDS (3), DISKLESS (yes|no, default yes),
 * NODE_ARGS (node flags for the Nodis servers, e.g. --max-semi-space-size=4)
 * Needs a build (npm run build) and redis-server on PATH. Run it on an otherwise idle machine.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT as root, env, sleep, median, freePort } from './lib.mjs';

const KEYS = Number(env('KEYS', 1_000_000));
const ROUNDS = Number(env('ROUNDS', 3));
const DISKLESS = env('DISKLESS', 'yes');
const NODE_ARGS = env('NODE_ARGS', '').split(' ').filter((a) => a !== '');

/** a minimal RESP client: one command at a time */
function client(port) {
  const sock = net.connect(port, '127.0.0.1');
  let buf = '';
  let waiter = null;
  sock.setEncoding('latin1');
  sock.on('data', (d) => { buf += d; waiter?.(); });
  const readReply = async () => {
    for (;;) {
      const r = parse(buf, 0);
      if (r) { buf = buf.slice(r[1]); return r[0]; }
      await new Promise((res) => { waiter = res; });
      waiter = null;
    }
  };
  return {
    ready: new Promise((res, rej) => { sock.once('connect', res); sock.once('error', rej); }),
    async cmd(...argv) { sock.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`); return readReply(); },
    close() { sock.destroy(); },
  };
}

function parse(s, i) {
  const e = s.indexOf('\r\n', i);
  if (e < 0) return null;
  const t = s[i];
  const line = s.slice(i + 1, e);
  if (t === '+' || t === '-' || t === ':') return [line, e + 2];
  if (t === '$') { const n = Number(line); if (n < 0) return [null, e + 2]; if (s.length < e + 2 + n + 2) return null; return [s.slice(e + 2, e + 2 + n), e + 4 + n]; }
  if (t === '*') { const n = Number(line); const out = []; let p = e + 2; for (let k = 0; k < n; k++) { const r = parse(s, p); if (!r) return null; out.push(r[0]); p = r[1]; } return [out, p]; }
  throw new Error(`bad reply ${JSON.stringify(s.slice(i, i + 40))}`);
}

async function start(kind, port, dir) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--repl-diskless-sync', DISKLESS, '--repl-diskless-sync-delay', '0', '--enable-debug-command', 'yes'];
  const p = kind === 'redis' ? spawn('redis-server', args, { stdio: 'ignore' }) : spawn(process.execPath, [...NODE_ARGS, path.join(root, 'bin/nodis-server'), ...args], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try { const c = client(port); await c.ready; const r = await c.cmd('PING'); c.close(); if (r === 'PONG') return p; } catch { /* not yet */ }
    await sleep(50);
  }
  throw new Error(`${kind} did not start`);
}

const field = (info, name) => (new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info) ?? [])[1];

async function round(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fullsync-${kind}-`));
  const [pm, pr] = [await freePort(), await freePort()];
  fs.mkdirSync(path.join(dir, 'm')); fs.mkdirSync(path.join(dir, 'r'));
  const m = await start(kind, pm, path.join(dir, 'm'));
  const r = await start(kind, pr, path.join(dir, 'r'));
  try {
    const cm = client(pm); await cm.ready;
    const cr = client(pr); await cr.ready;
    await cm.cmd('DEBUG', 'POPULATE', KEYS);
    const probe = client(pm); await probe.ready;
    let stop = false;
    let worst = 0;
    const probing = (async () => { while (!stop) { const t = performance.now(); await probe.cmd('PING'); worst = Math.max(worst, performance.now() - t); } })();
    await sleep(50);
    worst = 0;
    const t0 = performance.now();
    await cr.cmd('REPLICAOF', '127.0.0.1', pm);
    let t1 = 0;
    for (;;) {
      const ri = await cr.cmd('INFO', 'replication');
      if (field(ri, 'master_link_status') === 'up') {
        const mi = await cm.cmd('INFO', 'replication');
        if (field(mi, 'master_repl_offset') === field(ri, 'slave_repl_offset')) { t1 = performance.now(); break; }
      }
      await sleep(5);
    }
    stop = true;
    await probing;
    const keys = await cr.cmd('DBSIZE');
    if (Number(keys) !== KEYS) throw new Error(`${kind} replica has ${keys} keys`);
    for (const c of [cm, cr, probe]) c.close();
    return { ms: t1 - t0, stall: worst };
  } finally {
    m.kill('SIGKILL'); r.kill('SIGKILL');
    await sleep(100);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const res = { nodis: [], redis: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const kind of ['nodis', 'redis']) {
    const r = await round(kind);
    res[kind].push(r);
    console.error(`round ${i + 1} ${kind}: sync ${r.ms.toFixed(0)} ms, worst PING wait ${r.stall.toFixed(1)} ms`);
  }
}
const sum = (k) => ({ ms: median(res[k].map((r) => r.ms)), stall: median(res[k].map((r) => r.stall)), stallMax: Math.max(...res[k].map((r) => r.stall)) });
const n = sum('nodis'); const rd = sum('redis');
console.log(`keys=${KEYS} diskless=${DISKLESS} rounds=${ROUNDS}`);
console.log(`nodis: sync ${n.ms.toFixed(0)} ms (median), worst master stall ${n.stall.toFixed(1)} ms median / ${n.stallMax.toFixed(1)} ms max`);
console.log(`redis: sync ${rd.ms.toFixed(0)} ms (median), worst master stall ${rd.stall.toFixed(1)} ms median / ${rd.stallMax.toFixed(1)} ms max`);
console.log(`sync time nodis/redis = ${(n.ms / rd.ms).toFixed(2)}`);
