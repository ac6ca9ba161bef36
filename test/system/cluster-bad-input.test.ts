/*
 * Bad input to a cluster node, each against a redis-server cluster node in
 * the same situation:
 *
 * - nodes.conf locked by another process (a redis-server, or a Nodis node):
 *   the start is refused with Redis's "Sorry, the cluster configuration
 *   file ... is already used" line and exit code 1, both ways;
 * - a damaged nodes.conf: "Unrecoverable error: corrupted cluster config
 *   file." and exit 1;
 * - the bus fed garbage: the link is dropped with "Bad message length or
 *   signature received from Cluster bus."; a message whose length does not
 *   match its gossip count is refused with Redis's line; a message of
 *   another protocol version is ignored; the node keeps serving;
 * - CLUSTER SETSLOT naming an unknown node, CLUSTER MEET to a bad address,
 *   CLUSTER FORGET of an unknown node: Redis's error replies.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildPing, type Self } from '../../src/cluster/msg.js';
import { REDIS_SERVER, clusterFreePort, skipWithoutRedis } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { poll } from '../helpers/topology.js';

const BIN = path.resolve('bin/nodis-server');

type Kind = 'nodis' | 'redis';
const argv0 = (k: Kind): string[] => (k === 'redis' ? [REDIS_SERVER] : [process.execPath, BIN]);

function confArgs(port: number, dir: string): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--dir', dir, '--save', '', '--logfile', 'log.txt'];
}

/** a server that should refuse to start: its exit code and log */
function failedStart(kind: Kind, port: number, dir: string): { code: number | null; log: string } {
  const [cmd, ...pre] = argv0(kind);
  const r = spawnSync(cmd!, [...pre, ...confArgs(port, dir)], { timeout: 20000, encoding: 'latin1' });
  let log = '';
  try { log = fs.readFileSync(path.join(dir, 'log.txt'), 'latin1'); } catch { /* none */ }
  return { code: r.status, log: log + r.stdout };
}

async function running(t: { after(fn: () => unknown): void }, kind: Kind, dir: string): Promise<number> {
  const port = await clusterFreePort();
  const [cmd, ...pre] = argv0(kind);
  const p = spawn(cmd!, [...pre, ...confArgs(port, dir)], { stdio: 'ignore' });
  t.after(() => new Promise<void>((r) => { if (p.exitCode !== null) r(); else { p.once('exit', () => r()); p.kill('SIGKILL'); } }));
  await poll(`${kind} up`, async () => { const c = await RawClient.connect(port); try { return (await c.call('PING')) === '+PONG\r\n'; } finally { c.close(); } }, 15000);
  return port;
}

function tmp(t: { after(fn: () => unknown): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-clbad-'));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

const SELF: Self = {
  port: 1, pport: 0, cport: 10001, currentEpoch: 0, configEpoch: 0, offset: 0, name: 'f'.repeat(40), slots: new Uint8Array(2048),
  slaveof: '', announceIp: '', flags: 1, state: 1, mflags0: 0,
};

/** send bytes to a bus port; resolves when the peer closes or after 1 s */
function busSend(port: number, data: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let closed = false;
    let connected = false;
    s.on('error', (e) => { if (!connected) { closed = true; reject(e); } });
    s.on('close', () => { closed = true; resolve(true); });
    s.on('connect', () => { connected = true; s.write(data); });
    setTimeout(() => { if (!closed) { s.destroy(); resolve(false); } }, 1000).unref();
  });
}

describe('cluster bad input', { skip: skipWithoutRedis(), timeout: 120000 }, () => {
  for (const [holder, starter] of [['redis', 'nodis'], ['nodis', 'redis'], ['nodis', 'nodis']] as [Kind, Kind][]) {
    test(`nodes.conf held by a running ${holder} node: a ${starter} node refuses to start`, async (t) => {
      const dir = tmp(t);
      await running(t, holder, dir);
      const r = failedStart(starter, await clusterFreePort(), dir);
      assert.equal(r.code, 1);
      assert.match(r.log, /Sorry, the cluster configuration file nodes\.conf is already used by a different Redis Cluster node\. Please make sure that different nodes use different cluster configuration files\./);
    });
  }

  test('a node whose start waits for its nodes.conf lock answers only once it knows itself', async (t) => {
    // Redis runs clusterInit before its event loop: no reply can show a node without its own identity. Here the
    // listener is bound before the lock is taken, so a client that connects at once must wait for the init.
    const dir = tmp(t);
    const conf = path.join(dir, 'nodes.conf');
    fs.writeFileSync(conf, '');
    const holder = spawn('flock', ['-x', conf, '-c', 'echo held; sleep 0.8'], { stdio: ['ignore', 'pipe', 'ignore'] });
    t.after(() => { holder.kill('SIGKILL'); });
    await new Promise<void>((r) => holder.stdout!.once('data', () => r()));
    const port = await clusterFreePort();
    const [cmd, ...pre] = argv0('nodis');
    const p = spawn(cmd!, [...pre, ...confArgs(port, dir)], { stdio: 'ignore' });
    t.after(() => new Promise<void>((r) => { if (p.exitCode !== null) r(); else { p.once('exit', () => r()); p.kill('SIGKILL'); } }));
    // the first connection that is accepted asks at once
    let answer = '';
    await poll('nodis accepts', async () => {
      try {
        const c = await RawClient.connect(port);
        try { answer = String(parseReply(await c.call('CLUSTER', 'INFO'))) + String(parseReply(await c.call('CLUSTER', 'NODES'))); } finally { c.close(); }
        return true;
      } catch { return false; }
    }, 15000);
    assert.match(answer, /cluster_known_nodes:1\r\n/);
    assert.match(answer, /myself,master/);
  });

  test('a damaged nodes.conf stops the start as in Redis', async (t) => {
    for (const kind of ['nodis', 'redis'] as Kind[]) {
      const dir = tmp(t);
      fs.writeFileSync(path.join(dir, 'nodes.conf'), 'e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 myself,master - 0 0\n');
      const r = failedStart(kind, await clusterFreePort(), dir);
      assert.equal(r.code, 1, kind);
      assert.match(r.log, /Unrecoverable error: corrupted cluster config file\./, kind);
    }
  });

  test('garbage on the bus drops the link with Redis\'s line; bad lengths and versions are refused; the node serves on', async (t) => {
    for (const kind of ['nodis', 'redis'] as Kind[]) {
      const dir = tmp(t);
      const port = await running(t, kind, dir);
      const c0 = await RawClient.connect(port);
      const myself = String(parseReply(await c0.call('CLUSTER', 'NODES')));
      c0.close();
      const bus = Number(/@(\d+) /.exec(myself)![1]);
      const log = (): string => fs.readFileSync(path.join(dir, 'log.txt'), 'latin1');
      // not "RCmb": the link is dropped at once
      assert.equal(await busSend(bus, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), true, kind);
      await poll(`${kind} logs the bad signature`, async () => log().includes('Bad message length or signature received from Cluster bus.')).catch((e: Error) => { throw new Error(e.message + '\n' + log().slice(-600)); });
      // a PING claiming 3 gossip entries it does not carry (Debian's 7.0.15 checks this before reading them)
      const ping = buildPing(0, SELF, [], '');
      ping.writeUInt16BE(3, 14);
      await busSend(bus, ping);
      await poll(`${kind} refuses the length`, async () => log().includes('Received invalid ping packet with gossip count 3 that exceeds total packet length (2256)'));
      // another protocol version: ignored (no PONG comes back, the link stays)
      const v2 = buildPing(0, SELF, [], '');
      v2.writeUInt16BE(2, 8);
      assert.equal(await busSend(bus, v2), false, kind);
      const c = await RawClient.connect(port);
      t.after(() => c.close());
      assert.equal(await c.call('PING'), '+PONG\r\n');
      assert.match(await c.call('CLUSTER', 'INFO'), /cluster_known_nodes:1\r\n/);
    }
  });

  test('CLUSTER subcommands with unknown nodes or bad arguments: Redis\'s errors', async (t) => {
    const replies: string[][] = [];
    for (const kind of ['nodis', 'redis'] as Kind[]) {
      const port = await running(t, kind, tmp(t));
      const c = await RawClient.connect(port);
      t.after(() => c.close());
      const out: string[] = [];
      for (const cmd of [
        ['CLUSTER', 'SETSLOT', '1', 'NODE', 'ffffffffffffffffffffffffffffffffffffffff'],
        ['CLUSTER', 'SETSLOT', '1', 'IMPORTING', 'nope'],
        ['CLUSTER', 'SETSLOT', '1', 'MIGRATING', 'nope'],
        ['CLUSTER', 'SETSLOT', '16384', 'STABLE'],
        ['CLUSTER', 'SETSLOT', 'x', 'STABLE'],
        ['CLUSTER', 'FORGET', 'nope'],
        ['CLUSTER', 'REPLICATE', 'nope'],
        ['CLUSTER', 'COUNT-FAILURE-REPORTS', 'nope'],
        ['CLUSTER', 'MEET', '127.0.0.1', 'x'],
        ['CLUSTER', 'MEET', '127.0.0.1', '1', 'x'],
        ['CLUSTER', 'MEET', '127.0.0.1', '70000'],
        ['CLUSTER', 'ADDSLOTS', '1', '1'],
        ['CLUSTER', 'ADDSLOTSRANGE', '5', '1'],
        ['CLUSTER', 'ADDSLOTSRANGE', '1', '2', '3'],
        ['CLUSTER', 'DELSLOTS', '7'],
        ['CLUSTER', 'SET-CONFIG-EPOCH', '-1'],
        ['CLUSTER', 'FAILOVER', 'bogus'],
        ['CLUSTER', 'FAILOVER'],
        ['CLUSTER', 'RESET', 'bogus'],
        ['CLUSTER', 'BOGUS'],
        ['CLUSTER', 'GETKEYSINSLOT', '1'],
        ['CLUSTER', 'KEYSLOT'],
        ['READONLY', 'x'],
      ]) out.push(`${cmd.join(' ')} -> ${await c.call(...cmd)}`);
      replies.push(out);
    }
    assert.deepEqual(replies[0], replies[1]);
  });
});
