/*
 * Stampede protection across processes: 8 forked children, each with its own
 * Cache, 500 concurrent getOrSet of one key each, against an in-process Nodis.
 * - cold key: exactly one loader call in all;
 * - after expiry within grace: exactly one reload, everyone served;
 * - the lease holder SIGKILLed mid-load: at most one more call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNodis } from '../helpers/servers.js';
import type { RunningServer } from '../../src/index.js';
import { forkWorker, killAll, sleep, type Worker } from './cache-helpers.js';

const N = 8, CALLS = 500;

describe('cache stampede across 8 processes', () => {
  let server: RunningServer;
  let ws: Worker[] = [];
  const opts = { namespace: 'st', lease: { ttl: 1500, pollInterval: 100 }, timeout: 10_000 }; // a Redis timeout would fail open to the loader: not under test here

  before(async () => {
    server = await startNodis();
    ws = Array.from({ length: N }, () => forkWorker());
    for (const w of ws) w.send({ cmd: 'init', port: server.port, opts });
    const r = await Promise.all(ws.map((w) => w.next((m) => m['ready'] === true)));
    assert.ok(r.every((m) => m['coherence'] === 'tracking'), JSON.stringify(r));
  });
  after(async () => { await killAll(ws); await server.close(); });

  const loaderCalls = async (): Promise<number[]> => {
    const live = ws.filter((w) => w.proc.exitCode === null && w.proc.signalCode === null);
    for (const w of live) w.send({ cmd: 'stats' });
    const r = await Promise.all(live.map((w) => w.next((m) => m['stats'] !== undefined && m['loads'] === undefined)));
    return r.map((m) => (m['stats'] as { loaderCalls: number }).loaderCalls);
  };

  test('a cold key: 8 × 500 concurrent getOrSet → exactly one loader call', async () => {
    const before = (await loaderCalls()).reduce((a, b) => a + b, 0);
    for (const w of ws) w.send({ cmd: 'burst', key: 'cold', n: CALLS, loadMs: 200, ttl: 60_000, grace: 60_000 });
    const r = await Promise.all(ws.map((w) => w.next((m) => m['loads'] !== undefined)));
    const loads = r.map((m) => m['loads'] as number);
    const values = new Set(r.flatMap((m) => m['values'] as string[]));
    const waits = r.map((m) => (m['stats'] as { leaseWaits: number }).leaseWaits);
    console.log(`# cold key: loader calls per child ${loads.join(',')}; lease waits ${waits.join(',')}; distinct values ${values.size}`);
    assert.equal(loads.reduce((a, b) => a + b, 0), 1);
    assert.equal(values.size, 1);
    assert.equal((await loaderCalls()).reduce((a, b) => a + b, 0) - before, 1);
  });

  test('after expiry within grace: exactly one reload, the stale value served meanwhile', async () => {
    // δ = 20 ms and ttl ≈ 1 s: XFetch's early-refresh odds, exp(−(e−now)/δ), are nil here.
    for (const w of ws) w.send({ cmd: 'burst', key: 'graced', n: 1, loadMs: 20, ttl: 1000, grace: 60_000 });
    await Promise.all(ws.map((w) => w.next((m) => m['loads'] !== undefined)));
    const base = await loaderCalls();
    assert.equal(base.reduce((a, b) => a + b, 0) >= 2, true); // 'cold' + 'graced'
    await sleep(1250); // past 1000 ms + 10% jitter
    for (const w of ws) w.send({ cmd: 'burst', key: 'graced', n: CALLS, loadMs: 20, ttl: 60_000, grace: 60_000 });
    const r = await Promise.all(ws.map((w) => w.next((m) => m['loads'] !== undefined)));
    await sleep(300); // the refresh runs in the background
    const now = await loaderCalls();
    const reloads = now.reduce((a, b) => a + b, 0) - base.reduce((a, b) => a + b, 0);
    const stale = r.map((m) => (m['stats'] as { staleServed: number }).staleServed);
    console.log(`# graced key: reloads ${reloads}; stale served per child (cumulative) ${stale.join(',')}`);
    assert.equal(reloads, 1);
  });

  test('the lease holder SIGKILLed mid-load → at most one more loader call', async () => {
    for (const w of ws) w.send({ cmd: 'burst', key: 'killed', n: CALLS, loadMs: 500, ttl: 60_000, grace: 0 });
    const holder = await Promise.race(ws.map((w) => w.next((m) => m['loading'] === 'killed', 10_000).then(() => w)));
    holder.proc.kill('SIGKILL');
    const t0 = Date.now(); console.log(`# SIGKILLed lease holder pid ${holder.proc.pid}`);
    const rest = ws.filter((w) => w !== holder);
    const r = await Promise.all(rest.map((w) => w.next((m) => m['loads'] !== undefined, 15_000)));
    const loads = r.map((m) => m['loads'] as number);
    const values = new Set(r.flatMap((m) => m['values'] as string[]));
    console.log(`# killed holder: survivors' loader calls ${loads.join(',')}, served after ${Date.now() - t0} ms; distinct values ${values.size}`);
    assert.equal(loads.reduce((a, b) => a + b, 0), 1);
    assert.equal(values.size, 1);
  });
});
