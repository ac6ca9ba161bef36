/*
 * Protocol / command fuzzing of a nodis-server process of its own: 20,000
 * generated inputs (test/helpers/fuzz-gen.ts) over 4 connections at a time —
 * commands of every group with hostile arguments, raw RESP mutations
 * (truncated frames, huge declared lengths, bad type bytes, odd inline
 * bytes), RESP3, mutated RESTORE payloads with good CRCs, connections closed
 * mid-frame. Fails on a crash, a hang (a fresh PING unanswered for 2 s), RSS
 * past 1.5 GB or a reply stream that is not RESP (test/helpers/fuzz-run.ts);
 * then checks that every client was freed and that the memory comes back
 * after FLUSHALL.
 *
 * Seeded: FUZZ_SEED=<n> replays a run (connections interleave by timing, but
 * each one's inputs are fixed by the seed); FUZZ_INPUTS changes the count.
 * The long run is scripts/fuzz.mjs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnOnFreePort } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { runFuzz, formatStats, readRss } from '../helpers/fuzz-run.js';

const BIN = resolve('bin/nodis-server');
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const INPUTS = Number(process.env['FUZZ_INPUTS'] ?? 20000);

test(`fuzz: ${INPUTS} inputs survive (seed ${SEED})`, { timeout: 170_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-fuzz-'));
  let log = '';
  const { port, proc, exited } = await spawnOnFreePort((p) => {
    const child = spawn(process.execPath, [BIN, '--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--client-output-buffer-limit', 'normal 64mb 32mb 10', '--enable-debug-command', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => { log = (log + d.toString('latin1')).slice(-20000); });
    child.stderr!.on('data', (d: Buffer) => { log = (log + d.toString('latin1')).slice(-20000); });
    return child;
  });
  t.after(async () => { proc.kill('SIGKILL'); await exited; rmSync(dir, { recursive: true, force: true }); });

  const stats = await runFuzz({
    port, seed: SEED, inputs: INPUTS, connections: 4, pid: proc.pid,
    alive: () => proc.exitCode === null && proc.signalCode === null,
  });
  for (const line of formatStats(stats).split('\n')) t.diagnostic(line);
  assert.equal(stats.failure, null, `${stats.failure}\nreplay with FUZZ_SEED=${SEED}\n--- server output ---\n${log.slice(-4000)}`);
  assert.equal(stats.inputs, INPUTS);
  assert.deepEqual(stats.internalErrors, [], `a handler threw (seed ${SEED}); the server log has the stack:\n${log.slice(-4000)}`);

  // every fuzz connection is gone; the keyspace and caches empty out
  const c = await RawClient.connect(port);
  try {
    await c.call('CLIENT', 'UNPAUSE');
    let clients = '';
    for (let i = 0; i < 100; i++) {
      clients = parseReply(await c.call('INFO', 'clients')) as string;
      if (/^connected_clients:1\r$/m.test(clients) && /^blocked_clients:0\r$/m.test(clients)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(clients, /^connected_clients:1\r$/m, `clients left after the run (seed ${SEED})`);
    assert.match(clients, /^blocked_clients:0\r$/m);
    assert.equal(await c.call('FLUSHALL'), '+OK\r\n');
    assert.match(await c.call('PING'), /^\+PONG\r\n$/);
    // RSS stays far from the bound once the data is gone (a leak per input would show here)
    const rss = readRss(proc.pid!);
    assert.ok(rss < 1024 * 2 ** 20, `RSS ${rss} after FLUSHALL (seed ${SEED})`);
  } finally {
    c.close();
  }
});
