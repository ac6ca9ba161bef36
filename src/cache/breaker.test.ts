/*
 * The breaker: timeouts reject at their deadline and count as failures; the
 * breaker opens after N consecutive failures, refuses calls while open, lets
 * exactly one probe through after the cool-down, and closes on its success.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Breaker, BreakerOpenError } from './breaker.js';
import { CacheTimeoutError } from './envelope.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const never = (): Promise<never> => new Promise(() => {});
const fail = (): Promise<never> => Promise.reject(new Error('ECONNREFUSED'));
const replyError = (): Promise<never> => Promise.reject(Object.assign(new Error('WRONGTYPE'), { name: 'ReplyError' }));

test('timeouts, opening, half-open probe, closing', async () => {
  const states: string[] = [];
  const b = new Breaker(3, 100, (s) => states.push(s));
  assert.equal(await b.run(async () => 1, 50), 1);
  const t0 = performance.now();
  await assert.rejects(b.run(never, 30), CacheTimeoutError);
  const took = performance.now() - t0;
  assert.ok(took >= 29 && took < 30 + 100, `${took}`); // timers run late on a loaded machine
  await assert.rejects(b.run(replyError, 30), /WRONGTYPE/);  // Redis answered: not a failure
  await assert.rejects(b.run(fail, 30), /ECONNREFUSED/);
  assert.equal(b.state, 'closed');
  await assert.rejects(b.run(fail, 30), /ECONNREFUSED/);   // the reply error reset the count: 2 failures now
  assert.equal(b.state, 'closed');
  await assert.rejects(b.run(fail, 30), /ECONNREFUSED/);
  assert.equal(b.state, 'open');
  let called = 0;
  await assert.rejects(b.run(async () => { called++; return 1; }, 30), BreakerOpenError);
  assert.equal(called, 0);
  await sleep(110);
  // half-open: one probe; a second call meanwhile is refused
  const probe = b.run(async () => { called++; await sleep(20); return 2; }, 100);
  assert.equal(b.state, 'half-open');
  await assert.rejects(b.run(async () => 3, 100), BreakerOpenError);
  assert.equal(await probe, 2);
  assert.equal(b.state, 'closed');
  assert.equal(called, 1);
  // a failed probe opens it again
  for (let i = 0; i < 3; i++) await assert.rejects(b.run(fail, 30));
  await sleep(110);
  await assert.rejects(b.run(never, 20), CacheTimeoutError);
  assert.equal(b.state, 'open');
  assert.deepEqual(states, ['open', 'half-open', 'closed', 'open', 'half-open', 'open']);
});

test('many deadlines share one timer and each fires on time', async () => {
  const b = new Breaker(1_000_000, 100, () => {});
  const t0 = performance.now();
  const ends: number[] = [];
  const ps = [];
  for (let i = 0; i < 50; i++) {
    ps.push(b.run(never, 40).catch(() => ends.push(performance.now() - t0)));
    if (i % 10 === 9) await sleep(10);
  }
  // a call answered in time is not rejected later
  assert.equal(await b.run(async () => 'ok', 40), 'ok');
  await Promise.all(ps);
  assert.equal(ends.length, 50);
  // each at or after its deadline (issued over ~50 ms), none far past it (generous: timers run late on a loaded machine)
  assert.ok(Math.min(...ends) >= 39 && Math.max(...ends) < 40 + 50 + 100, `${Math.min(...ends)}..${Math.max(...ends)}`);
});

test('an answered call is not kept until its deadline: the queue holds what is in flight', async () => {
  const b = new Breaker(1_000_000, 100, () => {});
  // answered in order (as replies on one connection): nothing is kept
  const held: WeakRef<object>[] = [];
  await Promise.all(Array.from({ length: 1000 }, () => b.run(async () => { const v = { reply: 'x' }; held.push(new WeakRef(v)); return v; }, 60_000)));
  assert.equal(b.tracked, 0);
  // an old call still in flight keeps the answered ones behind it counted, until it is answered
  let answer!: (v: string) => void;
  const slow = b.run(() => new Promise<string>((r) => { answer = r; }), 60_000);
  await Promise.all(Array.from({ length: 10 }, () => b.run(async () => 1, 60_000)));
  assert.equal(b.tracked, 11);
  answer('late');
  assert.equal(await slow, 'late');
  assert.equal(b.tracked, 0);
  // the replies themselves went with their calls (their deadlines were a minute away)
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) { await sleep(0); gc(); assert.equal(held.filter((w) => w.deref() !== undefined).length, 0); }
});
