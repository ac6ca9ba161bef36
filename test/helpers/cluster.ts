/*
 * Cluster helpers for system tests: a cluster of topology nodes made by
 * `redis-cli --cluster create`, CLUSTER NODES parsed, a bounded wait until
 * every node agrees, a node-redis cluster client, and the check that a
 * master holds exactly the keys of its slots.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createCluster } from 'redis';
import { poll, topology, type Kind, type Node, type Topology } from './topology.js';

export const TIMEOUT = 1000;
export const CONF = { 'cluster-enabled': 'yes', 'cluster-node-timeout': TIMEOUT, appendonly: 'no' };

export interface NodeLine { id: string; addr: string; flags: string[]; master: string; epoch: number; link: string; slots: string[] }

export function parseNodes(text: string): NodeLine[] {
  return text.trim().split('\n').map((l) => {
    const f = l.split(' ');
    return { id: f[0]!, addr: f[1]!, flags: f[2]!.split(','), master: f[3]!, epoch: Number(f[6]), link: f[7]!, slots: f.slice(8) };
  });
}

/** what every node must agree on: id, master/slave, its master, slots */
export function view(lines: NodeLine[]): string[] {
  return lines.map((n) => `${n.id} ${n.flags.includes('master') ? 'master' : 'slave'} ${n.master} ${n.slots.join(',')}`).sort();
}

export async function nodesOf(n: Node): Promise<NodeLine[]> { return parseNodes(String(await n.call('CLUSTER', 'NODES'))); }

export function cli(args: string[]): { code: number | null; out: string } {
  const r = spawnSync('redis-cli', args, { encoding: 'latin1', timeout: 60000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** a cluster of the given kinds made by redis-cli --cluster create (replicas: per master) */
/** redis-cli without blocking the event loop (clients in this process keep running), bounded in time */
export function cliAsync(args: string[], ms = 120000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    const timer = setTimeout(() => { out += `\n(killed after ${ms} ms)`; p.kill('SIGKILL'); }, ms);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

export async function makeCluster(t: Parameters<typeof topology>[0], kinds: Kind[], replicas: number): Promise<[Topology, Node[]]> {
  const [topo, ...nodes] = await topology(t, kinds.map((k, i) => [`n${i}`, k, { ...CONF }] as [string, Kind, Record<string, string | number>]));
  const r = cli(['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes']);
  if (r.code !== 0) {
    // who answered on each port (a stranger on a port we thought ours?)
    let diag = '';
    for (const n of nodes) {
      const info = String(await n.call('INFO', 'server')).match(/process_id:\d+|redis_mode:\w+|tcp_port:\d+/g)?.join(' ');
      diag += `\n${n.name} port ${n.port} spawned pid ${n.pid}: ${info}\n${String(await n.call('CLUSTER', 'NODES'))}`;
    }
    assert.fail(r.out + diag);
  }
  await settled(nodes);
  return [topo, nodes];
}

/** every live node says ok and all agree on the configuration */
export async function settled(nodes: Node[], ms = 20000): Promise<void> {
  let last = '';
  try {
    await poll('the cluster settled', async () => {
      const views: string[] = [];
      for (const n of nodes) {
        const info = String(await n.call('CLUSTER', 'INFO'));
        if (!info.includes('cluster_state:ok')) { last = `${n.name}: ${info.split('\r\n')[0]}`; return false; }
        const lines = await nodesOf(n);
        if (lines.some((l) => l.flags.some((f) => f === 'handshake' || f === 'fail?' || f === 'fail' || f === 'noaddr'))) { last = `${n.name} sees flags`; return false; }
        views.push(JSON.stringify(view(lines)));
      }
      last = views.join('\n');
      return views.every((v) => v === views[0]) && JSON.parse(views[0]!).length === nodes.length;
    }, ms, 100);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${last}`);
  }
}

export function masterOf(lines: NodeLine[], port: number): NodeLine {
  return lines.find((l) => l.addr.startsWith(`127.0.0.1:${port}@`))!;
}

export async function withClient<T>(nodes: Node[], fn: (c: ReturnType<typeof createCluster>) => Promise<T>): Promise<T> {
  const c = createCluster({ rootNodes: nodes.map((n) => ({ url: `redis://127.0.0.1:${n.port}` })), defaults: { socket: { reconnectStrategy: () => 100 } } });
  c.on('error', () => undefined);
  await c.connect();
  try { return await fn(c); } finally { c.destroy(); }
}

/** DBSIZE of a master equals the keys counted in its slots */
export async function keysMatchSlots(n: Node, slots: string[]): Promise<number> {
  let count = 0;
  for (const r of slots) {
    const [a, b] = r.includes('-') ? r.split('-').map(Number) as [number, number] : [Number(r), Number(r)];
    const cmds: (string | number)[][] = [];
    for (let s = a; s <= b; s++) cmds.push(['CLUSTER', 'COUNTKEYSINSLOT', s]);
    for (const v of await n.pipeline(cmds)) count += Number(v);
  }
  assert.equal(Number(await n.call('DBSIZE')), count, `${n.name}: DBSIZE vs its slots`);
  return count;
}

