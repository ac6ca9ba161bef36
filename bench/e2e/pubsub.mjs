#!/usr/bin/env node
/*
 * Pub/Sub fan-out: messages delivered per second, Nodis vs redis-server side by side.
 *
 * Scenarios (SUBS subscribers, default 1000, RESP2):
 *   channel    every subscriber SUBSCRIBEs the same channel
 *   pattern    every subscriber PSUBSCRIBEs the same pattern (bench.*)
 *   patterns   every subscriber PSUBSCRIBEs its own pattern (bench.[t<i>]opic), all matching
 * One publisher connection PUBLISHes bench.topic for SECS seconds with PIPELINE
 * commands in flight; subscriber sockets live in a child process that only
 * counts bytes (frames have a known size per socket). Delivered/s = published x
 * receivers / (time until the last subscriber has every frame). Servers run
 * alternately, ROUNDS times; the median is reported with the ratio Nodis/Redis.
 *
 * Usage: node bench/e2e/pubsub.mjs   (env: SUBS, SECS, PIPELINE, ROUNDS, SCENARIOS, PORT_A, PORT_B, MSG)
 * Needs a build (npm run build) and redis-server on PATH. Run it on an otherwise idle machine.
 */
import net from 'node:net';
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '../..');
const env = (k, d) => process.env[k] ?? d;
const SUBS = Number(env('SUBS', 1000));
const SECS = Number(env('SECS', 3));
const PIPELINE = Number(env('PIPELINE', 16));
const ROUNDS = Number(env('ROUNDS', 3));
const SCENARIOS = env('SCENARIOS', 'channel pattern patterns').split(/\s+/).filter(Boolean);
const MSG = 'x'.repeat(Number(env('MSG', 32)));
const CHANNEL = 'bench.topic';

const cmd = (...args) => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
const bulk = (s) => `$${s.length}\r\n${s}\r\n`;
const patternOf = (scenario, i) => (scenario === 'pattern' ? 'bench.*' : `bench.[t${i}]opic`);
const frameLen = (scenario, i) => (scenario === 'channel'
  ? `*3\r\n${bulk('message')}${bulk(CHANNEL)}${bulk(MSG)}`.length
  : `*4\r\n${bulk('pmessage')}${bulk(patternOf(scenario, i))}${bulk(CHANNEL)}${bulk(MSG)}`.length);

// ---- subscriber child: opens the sockets, counts bytes -------------------------------------
if (process.argv[2] === 'sub') {
  const [port, scenario] = [Number(process.argv[3]), process.argv[4]];
  const socks = [];
  let confirmed = 0;
  let expectFrames = -1;
  let doneSocks = 0;
  const check = (s) => {
    if (expectFrames >= 0 && !s.done && s.got >= s.confirmLen + expectFrames * s.frame) {
      s.done = true;
      if (++doneSocks === socks.length) process.send({ done: Date.now() });
    }
  };
  for (let i = 0; i < SUBS; i++) {
    const s = net.connect({ port, host: '127.0.0.1' });
    const st = { sock: s, got: 0, frame: frameLen(scenario, i), confirmLen: 0, done: false, confirmed: false };
    const name = scenario === 'channel' ? CHANNEL : patternOf(scenario, i);
    st.confirmLen = `*3\r\n${bulk(scenario === 'channel' ? 'subscribe' : 'psubscribe')}${bulk(name)}:1\r\n`.length;
    s.setNoDelay(true);
    s.on('data', (d) => {
      st.got += d.length;
      if (!st.confirmed && st.got >= st.confirmLen) { st.confirmed = true; if (++confirmed === SUBS) process.send({ ready: true }); }
      check(st);
    });
    s.on('error', (e) => { process.send({ error: String(e) }); });
    s.write(scenario === 'channel' ? cmd('SUBSCRIBE', CHANNEL) : cmd('PSUBSCRIBE', name));
    socks.push(st);
  }
  process.on('message', (m) => {
    if (m.expect !== undefined) { expectFrames = m.expect; for (const s of socks) check(s); }
    if (m.exit) { for (const s of socks) s.sock.destroy(); process.exit(0); }
  });
} else {
  main().catch((e) => { console.error(e); process.exit(1); });
}

// ---- publisher and driver --------------------------------------------------------------------
function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

async function call(port, ...args) {
  const s = await connect(port);
  return new Promise((resolve) => {
    s.once('data', (d) => { s.destroy(); resolve(d.toString()); });
    s.write(cmd(...args));
  });
}

async function waitUp(port) {
  for (let i = 0; i < 100; i++) {
    try { if ((await call(port, 'PING')).startsWith('+PONG')) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on ${port} did not start`);
}

/** Publish for SECS seconds with PIPELINE in flight; returns [published, receivers per publish, start ms]. */
async function publishFor(port) {
  const s = await connect(port);
  s.setNoDelay(true);
  const one = cmd('PUBLISH', CHANNEL, MSG);
  let sent = 0;
  let replies = 0;
  let receivers = -1;
  let buf = '';
  const start = Date.now();
  const end = start + SECS * 1000;
  return new Promise((resolve) => {
    const pump = () => {
      let batch = '';
      while (sent - replies < PIPELINE && Date.now() < end) { batch += one; sent++; }
      if (batch) s.write(batch);
      else if (replies === sent) { s.destroy(); resolve([sent, receivers, start]); }
    };
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        if (receivers < 0) receivers = Number(buf.slice(1, i));
        buf = buf.slice(i + 2);
        replies++;
      }
      pump();
    });
    pump();
  });
}

async function runOnce(port, scenario) {
  const child = fork(SELF, ['sub', String(port), scenario], { env: process.env });
  const msg = (pred) => new Promise((resolve, reject) => {
    const on = (m) => {
      if (m.error) { child.off('message', on); reject(new Error(m.error)); }
      if (pred(m)) { child.off('message', on); resolve(m); }
    };
    child.on('message', on);
  });
  await msg((m) => m.ready);
  const [published, receivers, start] = await publishFor(port);
  const done = msg((m) => m.done);
  child.send({ expect: published });
  const { done: t } = await done;
  child.send({ exit: true });
  await new Promise((r) => child.once('exit', r));
  if (receivers !== SUBS) throw new Error(`PUBLISH reached ${receivers} receivers, expected ${SUBS}`);
  return (published * receivers) / ((t - start) / 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const PA = Number(env('PORT_A', 7810));
  const PB = Number(env('PORT_B', 7811));
  const a = spawn(process.execPath, [path.join(ROOT, 'bin/nodis-server'), '--port', String(PA), '--bind', '127.0.0.1', '--save', '', '--loglevel', 'warning'], { stdio: 'ignore' });
  const b = spawn('redis-server', ['--port', String(PB), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  const stop = () => { a.kill(); b.kill(); };
  process.on('exit', stop);
  await Promise.all([waitUp(PA), waitUp(PB)]);
  // the bench measures delivery, not the output-buffer guard
  for (const p of [PA, PB]) await call(p, 'CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 0 0');
  console.log(`pub/sub fan-out: ${SUBS} subscribers, ${MSG.length}-byte messages, pipeline ${PIPELINE}, ${SECS}s x ${ROUNDS} rounds`);
  console.log('scenario     nodis msg/s    redis msg/s    ratio');
  for (const sc of SCENARIOS) {
    const ra = [];
    const rb = [];
    for (let r = 0; r < ROUNDS; r++) {
      ra.push(await runOnce(PA, sc));
      rb.push(await runOnce(PB, sc));
    }
    const ma = median(ra);
    const mb = median(rb);
    console.log(`${sc.padEnd(12)} ${Math.round(ma).toString().padStart(11)}    ${Math.round(mb).toString().padStart(11)}    ${(ma / mb).toFixed(2)}x`);
  }
  stop();
}
