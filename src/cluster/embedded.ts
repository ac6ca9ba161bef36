/*
 * An N-node Redis Cluster in this process (the embedded API, for tests and
 * local development): every node is a full Nodis server on its own free
 * port, with its bus on another free port (cluster-port) and its nodes.conf
 * in its own directory. The cluster is put together the way
 * `redis-cli --cluster create` does it: slots split evenly over the masters
 * (ADDSLOTSRANGE), distinct config epochs (SET-CONFIG-EPOCH), MEET, then
 * CLUSTER REPLICATE for the replicas, and it resolves once every node says
 * cluster_state:ok and knows every other node.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Server } from '../server/server.js';
import { clusterOf } from './index.js';

export interface ClusterOptions {
  /** masters (default 3) */
  masters?: number;
  /** replicas per master (default 0) */
  replicas?: number;
  /** where the nodes' directories go (default: a new temporary directory, removed on close) */
  dir?: string;
  /** cluster-node-timeout in ms (default 5000) */
  nodeTimeout?: number;
  /** more redis.conf directives for every node */
  options?: Record<string, string | number | boolean>;
  /** give up forming the cluster after this many ms (default 30000) */
  timeoutMs?: number;
}

export interface RunningCluster {
  /** every node: the masters first, then the replicas */
  readonly nodes: { port: number; server: Server }[];
  /** the client ports of the masters */
  readonly masterPorts: number[];
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

/** Send one command over TCP, as redis-cli would, and read its one-line reply (+OK or an error). */
function run(server: Server, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: server.port });
    let got = '';
    sock.on('error', reject);
    sock.on('data', (d) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n');
      if (end >= 0) { sock.destroy(); resolve(got.slice(0, end + 2)); }
    });
    sock.write(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
  });
}

export async function startCluster(opts: ClusterOptions = {}): Promise<RunningCluster> {
  const masters = opts.masters ?? 3;
  const replicas = opts.replicas ?? 0;
  if (masters < 1 || replicas < 0) throw new Error('startCluster: at least one master');
  const ownDir = opts.dir === undefined;
  const base = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-cluster-'));
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
    if (ownDir) fs.rmSync(base, { recursive: true, force: true });
  };
  try {
    const total = masters * (1 + replicas);
    for (let i = 0; i < total; i++) {
      const dir = path.join(base, `node-${i}`);
      fs.mkdirSync(dir, { recursive: true });
      const s = new Server({
        bind: '127.0.0.1', save: '', port: 0, dir, 'cluster-enabled': 'yes', 'cluster-port': await freePort(),
        'cluster-node-timeout': opts.nodeTimeout ?? 5000, loglevel: 'warning', ...opts.options,
      });
      s.anyPort = true;
      servers.push(s);
      await s.start();
    }
    // slots split as redis-cli does: masters get consecutive ranges
    const per = 16384 / masters;
    for (let m = 0; m < masters; m++) {
      const first = Math.round(m * per);
      const last = m === masters - 1 ? 16383 : Math.round((m + 1) * per) - 1;
      expectOk(await run(servers[m]!, ['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)]));
    }
    for (let i = 0; i < total; i++) expectOk(await run(servers[i]!, ['CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1)]));
    for (let i = 1; i < total; i++) expectOk(await run(servers[i]!, ['CLUSTER', 'MEET', '127.0.0.1', String(servers[0]!.port), String(busPort(servers[0]!))]));
    await until(() => servers.every((s) => clusterOf(s)!.nodes.size === total && [...clusterOf(s)!.nodes.values()].every((n) => !n.inHandshake)), opts.timeoutMs ?? 30000, 'the nodes to meet');
    for (let r = 0; r < masters * replicas; r++) {
      const replica = servers[masters + r]!;
      const master = servers[r % masters]!;
      expectOk(await run(replica, ['CLUSTER', 'REPLICATE', clusterOf(master)!.myself.name]));
    }
    await until(() => servers.every((s) => {
      const cl = clusterOf(s)!;
      const known = [...cl.nodes.values()];
      return cl.state === 0 && known.length === total && known.filter((n) => n.isSlave).length === masters * replicas;
    }), opts.timeoutMs ?? 30000, 'cluster_state:ok on every node');
    return { nodes: servers.map((s) => ({ port: s.port, server: s })), masterPorts: servers.slice(0, masters).map((s) => s.port), close };
  } catch (e) {
    await close();
    throw e;
  }
}

function busPort(s: Server): number { return clusterOf(s)!.listeningPort; }

function expectOk(reply: string): void {
  if (reply !== '+OK\r\n') throw new Error(`startCluster: ${reply.trim()}`);
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`startCluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
