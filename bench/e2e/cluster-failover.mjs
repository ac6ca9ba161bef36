// Cluster failover time after SIGKILL of a master: Nodis vs redis-server, the same setup.
// Each round: 3 masters + 3 replicas of one kind (redis-cli --cluster create --cluster-replicas 1),
// cluster-node-timeout NODE_TIMEOUT (default 2000 ms), 1000 keys written, then one master SIGKILLed; measured:
// until its replica says ROLE master, and until every live node says cluster_state:ok. Rounds alternate kinds.
// Usage: node bench/e2e/cluster-failover.mjs [rounds=3]   (needs a build, redis-server, redis-cli)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

const ROUNDS = Number(process.argv[2] ?? 3);
const NODE_TIMEOUT = Number(process.env.NODE_TIMEOUT ?? 2000);
const BIN = path.resolve('bin/nodis-server');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = (port, ...args) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'latin1' }).stdout.trim();

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => (p + 10000 < 65536 ? resolve(p) : resolve(freePort())));
    });
  });
}

async function round(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nodis-failover-${kind}-`));
  const procs = [];
  try {
    const ports = [];
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      ports.push(port);
      const d = path.join(dir, `n${i}`);
      fs.mkdirSync(d);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes',
        '--cluster-node-timeout', String(NODE_TIMEOUT), '--logfile', 'log.txt'];
      const p = kind === 'nodis' ? spawn(process.execPath, [BIN, ...args], { cwd: d, stdio: 'ignore' }) : spawn('redis-server', args, { cwd: d, stdio: 'ignore' });
      procs.push(p);
    }
    for (const p of ports) while (cli(p, 'ping') !== 'PONG') await sleep(50);
    const r = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'latin1' });
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
    const ok = (ps) => ps.every((p) => cli(p, 'cluster', 'info').includes('cluster_state:ok'));
    while (!ok(ports)) await sleep(100);
    // the replicas have synced
    for (const p of ports) while (cli(p, 'role').startsWith('slave') && !cli(p, 'info', 'replication').includes('master_link_status:up')) await sleep(100);
    spawnSync('redis-benchmark', ['-p', String(ports[0]), '--cluster', '-t', 'set', '-n', '1000', '-r', '1000', '-q'], { stdio: 'ignore' });
    await sleep(1000);
    const me = cli(ports[0], 'cluster', 'myid');
    const replicaLine = cli(ports[0], 'cluster', 'nodes').split('\n').find((l) => l.split(' ')[3] === me);
    const replicaPort = Number(replicaLine.split(' ')[1].split(':')[1].split('@')[0]);
    const t0 = performance.now();
    procs[0].kill('SIGKILL');
    while (!cli(replicaPort, 'role').startsWith('master')) await sleep(10);
    const promoted = performance.now() - t0;
    const live = ports.slice(1);
    while (!ok(live)) await sleep(10);
    const allOk = performance.now() - t0;
    return { promoted, allOk };
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await sleep(200);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = { nodis: [], redis: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const kind of ['nodis', 'redis']) {
    const r = await round(kind);
    results[kind].push(r);
    console.error(`${kind} round ${i + 1}: promoted ${r.promoted.toFixed(0)} ms, all ok ${r.allOk.toFixed(0)} ms`);
  }
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (const kind of ['nodis', 'redis']) {
  console.log(`${kind}: median promoted ${median(results[kind].map((r) => r.promoted)).toFixed(0)} ms, ` +
    `median all ok ${median(results[kind].map((r) => r.allOk)).toFixed(0)} ms (node timeout ${NODE_TIMEOUT} ms, ${ROUNDS} rounds)`);
}
const d = median(results.nodis.map((r) => r.promoted)) - median(results.redis.map((r) => r.promoted));
console.log(`nodis - redis (promotion): ${d.toFixed(0)} ms`);
