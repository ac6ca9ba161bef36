/*
 * What the Node benchmark scripts of bench/e2e share: the repository root, env
 * parameters, statistics, free ports, and a nodis-server started for the run
 * (a child process killed when the script exits).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** process.env[k] or the default */
export const env = (k, d) => process.env[k] ?? d;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** a port nothing listens on now (on 127.0.0.1) */
export function freePort() {
  return new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
}

/** Resolves once something accepts connections on the port; throws after `ms`. */
export async function waitListening(port, ms = 10_000) {
  const up = () => new Promise((resolve) => { const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); }); s.on('error', () => resolve(false)); });
  for (const end = Date.now() + ms; !(await up());) {
    if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
    await sleep(50);
  }
}

/**
 * The port of the server to measure: env PORT when given (a server already
 * running), else a nodis-server started on a free port with no persistence,
 * killed when this process exits.
 */
export async function nodisForRun(extraArgs = []) {
  const given = Number(env('PORT', 0));
  if (given) return given;
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(ROOT, 'bin/nodis-server'), '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs], { stdio: 'ignore' });
  server.unref(); // the script ends when its work does; the server goes with it
  process.on('exit', () => server.kill('SIGKILL'));
  await waitListening(port);
  return port;
}

/**
 * The cache benchmarks' set-up (cache.mjs, cache-vs-bentocache.mjs): nodis/cache's createCache from the build, their
 * parameters (env SECS, ROUNDS, KEYS, CONC) and the port of the server they measure.
 */
export async function cacheBench() {
  const { createCache } = await import(path.join(ROOT, 'dist/src/cache/index.js'));
  return {
    createCache,
    SECS: Number(env('SECS', 2)), ROUNDS: Number(env('ROUNDS', 3)), KEYS: Number(env('KEYS', 1000)), CONC: Number(env('CONC', 32)),
    port: await nodisForRun(),
  };
}
