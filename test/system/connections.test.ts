/*
 * The accept path and the descriptor budget behind maxclients:
 * - a burst of connections opened at once is accepted and every one answered;
 *   the listen queue is deep enough for it (tcp-backlog x 8, capped by
 *   somaxconn: checked with `ss` when it is installed);
 * - CONFIG SET maxclients raises the number of connections served at once
 *   (the listener's own cap follows it);
 * - started with maxclients above what `ulimit -n` allows, nodis-server lowers
 *   maxclients and logs the lines redis-server logs (both run under the same
 *   lowered limit; skipped where redis-server may raise the limit itself).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNodis, redisAvailable, REDIS_SERVER, spawnOnFreePort } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { openFilesLimit, somaxconn } from '../../src/server/fd-limit.js';

const BIN = resolve('bin/nodis-server');
const PING = '*1\r\n$4\r\nPING\r\n';

/** n sockets opened in one loop, each sending PING; resolves with every socket's reply once all replied (or failed). */
function burst(port: number, n: number): Promise<string[]> {
  return new Promise((resolveAll) => {
    const replies = new Array<string>(n).fill('');
    const socks: net.Socket[] = [];
    let done = 0;
    const finish = (): void => { if (++done === n) { for (const s of socks) s.destroy(); resolveAll(replies); } };
    for (let i = 0; i < n; i++) {
      const s = net.connect({ port, host: '127.0.0.1' });
      socks.push(s);
      let finished = false;
      const end = (): void => { if (!finished) { finished = true; finish(); } };
      s.on('connect', () => s.write(PING));
      s.on('data', (d) => { replies[i] += d.toString('latin1'); if (replies[i]!.includes('\r\n')) end(); });
      s.on('error', (e) => { replies[i] += `error: ${e.message}`; end(); });
      s.on('close', end);
    }
  });
}

/** Send-Q of the listening socket on `port` as `ss` shows it (its backlog), or null without ss. */
function listenBacklog(port: number): number | null {
  const r = spawnSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'latin1' });
  if (r.status !== 0) return null;
  const f = r.stdout.trim().split(/\s+/);
  return f.length >= 3 ? Number(f[2]) : null;
}

const infoField = (raw: string, name: string): string | undefined =>
  new RegExp(`^${name}:(.*)\r$`, 'm').exec(String(parseReply(raw)))?.[1];

describe('connections: accept path', () => {
  test('a burst of connections opened at once: every one accepted and answered', async () => {
    const limit = openFilesLimit() ?? 1024;
    const n = Math.max(100, Math.min(2000, Math.floor((Math.min(limit, 1e6) - 200) / 2))); // both ends are in this process
    const s = await startNodis({ maxclients: n + 10 });
    try {
      const before = s.server.stats.totalConnections;
      const replies = await burst(s.port, n);
      const bad = replies.filter((r) => r !== '+PONG\r\n');
      assert.deepEqual(bad.slice(0, 3), [], `${bad.length} of ${n} not answered +PONG`);
      assert.equal(s.server.stats.totalConnections - before, n);
      assert.equal(s.server.stats.rejectedConnections, 0);
      for (let i = 0; i < 100 && s.server.clients.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(s.server.clients.size, 0, 'every client is gone once its socket closed');
    } finally { await s.close(); }
  });

  test('the listen queue is tcp-backlog x 8, capped by somaxconn', async (t) => {
    const cap = somaxconn();
    for (const backlog of [511, 16]) {
      const s = await startNodis({ 'tcp-backlog': backlog });
      try {
        const shown = listenBacklog(s.port);
        if (shown === null || cap === null) { t.skip('no ss, or no /proc/sys/net/core/somaxconn'); return; }
        assert.equal(shown, Math.min(backlog * 8, cap), `tcp-backlog ${backlog}`);
      } finally { await s.close(); }
    }
  });

  test('CONFIG SET maxclients up: the listener serves the new number at once', async () => {
    const s = await startNodis({ maxclients: 2 });
    const admin = await RawClient.connect(s.port);
    try {
      assert.equal(await admin.call('CONFIG', 'SET', 'maxclients', '100'), '+OK\r\n');
      // the listener's own cap was maxclients + 32 = 34 at start: 60 more must not be dropped by it
      const replies = await burst(s.port, 60);
      assert.deepEqual(replies.filter((r) => r !== '+PONG\r\n'), []);
      assert.equal(await admin.call('CONFIG', 'SET', 'maxclients', '1'), '+OK\r\n');
      const over = await RawClient.connect(s.port);
      assert.equal(await over.read(), '-ERR max number of clients reached\r\n');
      await over.waitClose();
    } finally {
      admin.close();
      await s.close();
    }
  });
});

interface Proc { proc: ChildProcess; port: number; out: () => string; stop: () => Promise<void> }

/** `cmd args...` under `ulimit -n limit` (sh, then exec: the same process), answering PING. */
async function startUnderLimit(limit: number, cmd: string, args: string[]): Promise<Proc> {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-fdlimit-'));
  let out = '';
  const { port, proc, exited } = await spawnOnFreePort((p) => {
    out = '';
    const all = [...args, '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    const child = spawn('sh', ['-c', `ulimit -n ${limit} && exec "$@"`, 'sh', cmd, ...all], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    return child;
  });
  return {
    proc, port, out: () => out,
    stop: async () => { proc.kill('SIGKILL'); await exited; rmSync(dir, { recursive: true, force: true }); },
  };
}

/** The log lines about descriptors and maxclients, without the "pid:role date time mark" prefix. */
const fdLines = (log: string): string[] =>
  log.split('\n').filter((l) => /maxclients|open files|ulimit/.test(l)).map((l) => l.replace(/^\d+:\w \d\d \w{3} \d{4} [\d:.]+ /, ''));

describe('connections: maxclients and the open-files limit', { skip: redisAvailable ? false : 'no redis-server' }, () => {
  test('start-up with maxclients above `ulimit -n`: lowered, with redis-server\'s log lines', async (t) => {
    const limit = 1024;
    const [ours, theirs] = await Promise.all([
      startUnderLimit(limit, process.execPath, [BIN, '--maxclients', '2000']),
      startUnderLimit(limit, REDIS_SERVER, ['--maxclients', '2000']),
    ]);
    try {
      if (/Increased maximum number of open files/.test(theirs.out())) {
        t.skip('redis-server could raise its limit here (CAP_SYS_RESOURCE); nodis-server cannot');
        return;
      }
      assert.deepEqual(fdLines(ours.out()), fdLines(theirs.out()));
      assert.equal(fdLines(ours.out()).length, 3, ours.out());
      for (const p of [ours, theirs]) {
        const c = await RawClient.connect(p.port);
        assert.equal(await c.call('CONFIG', 'GET', 'maxclients'), '*2\r\n$10\r\nmaxclients\r\n$3\r\n992\r\n');
        assert.equal(infoField(await c.call('INFO', 'clients'), 'maxclients'), '992');
        // and at run time too: above the limit refused, within it taken
        const refused = await c.call('CONFIG', 'SET', 'maxclients', '1000');
        assert.equal(refused, "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating system is not able to handle the specified number of clients, try with 992\r\n");
        assert.equal(await c.call('CONFIG', 'SET', 'maxclients', '500'), '+OK\r\n');
        c.close();
      }
    } finally {
      await Promise.all([ours.stop(), theirs.stop()]);
    }
  });
});
