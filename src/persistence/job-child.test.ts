/*
 * JobChild.start(): the job's child process started by the spawner worker, off
 * the event loop. It must be the same kind of child as the one started at once:
 * a child of this process (threads share the pid), reported dead with its signal
 * when killed, gone when stopped, and stopped even when stop() came before it ran.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { JobChild } from './job-child.js';
import type { Server } from '../server/server.js';

const fakeServer = (): Server => ({ persistence: { forks: 0, latestForkUsec: 0 } }) as unknown as Server;

/** the parent pid of a process, or -1 when it is gone (or a zombie: its exit was seen) */
function ppidOf(pid: number): number {
  try {
    const rest = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
    return rest[0] === 'Z' ? -1 : Number(rest[1]);
  } catch { return -1; }
}

async function until(f: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('start(): a child of this process, its pid reported; killing it reports the signal', async () => {
  const server = fakeServer();
  const deaths: [number, number][] = [];
  let started = 0;
  const c = JobChild.start(server, (code, signal) => deaths.push([code, signal]), (pid) => { started = pid; });
  assert.equal(c.pid, 0);
  assert.equal(server.persistence.forks, 1);
  assert.equal(c.alive, true);
  await until(() => started !== 0);
  assert.equal(c.pid, started);
  assert.notEqual(started, process.pid);
  assert.equal(ppidOf(started), process.pid);
  assert.ok(server.persistence.latestForkUsec > 0);
  process.kill(started, 'SIGKILL');
  await until(() => deaths.length > 0);
  assert.deepEqual(deaths, [[0, 9]]);
  assert.equal(c.alive, false);
});

test('stop(): the child goes and no death is reported; a stop before the child ran stops it when it does', async () => {
  const deaths: [number, number][] = [];
  let pid1 = 0;
  const c1 = JobChild.start(fakeServer(), (code, signal) => deaths.push([code, signal]), (pid) => { pid1 = pid; });
  await until(() => pid1 !== 0);
  c1.stop();
  await until(() => ppidOf(pid1) === -1);
  let pid2 = 0;
  const c2 = JobChild.start(fakeServer(), (code, signal) => deaths.push([code, signal]), (pid) => { pid2 = pid; });
  c2.stop();
  await until(() => pid2 !== 0);
  await until(() => ppidOf(pid2) === -1);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(deaths, []);
});
