/*
 * Helpers of the persistence system tests (snapshot, AOF loading): temp dirs
 * removed after the test, INFO persistence fields, polling, and a server
 * started on a data dir that is checked while it loads.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server } from '../../src/server/server.js';
import { RawClient, parseReply } from './resp-client.js';
import { freePort } from './servers.js';

type After = { after(fn: () => void): void };

/** A temp dir removed after the test. */
export function tmpDir(t: After, prefix = 'nodis-persist-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** One field of INFO persistence ('' when absent). */
export async function info(c: RawClient, field: string): Promise<string> {
  const txt = parseReply(await c.call('INFO', 'persistence')) as string;
  const m = new RegExp(`^${field}:(.*)\r$`, 'm').exec(txt);
  return m ? m[1]! : '';
}

/** Poll cond (every 5 ms) until it holds; throws after ms. */
export async function until(cond: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Start a server with these options (its data loads in slices even when
 * small), connect while it loads and check that `key` answers -LOADING and
 * INFO shows loading:1 with a progress figure; then wait for the load to end.
 * Returns the connection.
 */
export async function startCheckingLoad(t: After, options: Record<string, string | number>, key: string): Promise<RawClient> {
  const port = await freePort();
  const b = new Server({ port, bind: '127.0.0.1', save: '', loglevel: 'warning', ...options });
  b.ext.set('async-load-min-bytes', 0);
  t.after(() => b.close());
  const started = b.start();
  await until(() => b.listening, 5000);
  const d = await RawClient.connect(port);
  t.after(() => d.close());
  assert.equal(await d.call('GET', key), '-LOADING Redis is loading the dataset in memory\r\n');
  assert.equal(await info(d, 'loading'), '1');
  assert.match(await info(d, 'loading_loaded_perc'), /^\d+\.\d\d$/);
  await started;
  return d;
}
