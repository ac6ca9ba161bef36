/*
 * The placeholder rule of Redis's client-side caching docs, with a scripted
 * fake client: a read whose key is invalidated while its reply is in flight
 * must not fill L1 (the reply may predate the write); one that is not
 * invalidated does. A connection drop flushes L1 for serving.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventEmitter } from 'node:events';
import { Cache, type RedisLike } from './cache.js';

const env = (v: unknown): string => JSON.stringify({ v, e: Date.now() + 60_000, g: Date.now() + 60_000 });

class FakeRedis extends EventEmitter {
  status = 'ready';
  isCluster = false;
  gets = 0;
  pending: Array<(v: string | null) => void> = [];
  subscriber: FakeRedis | undefined;
  get(): Promise<string | null> { this.gets++; return new Promise((r) => this.pending.push(r)); }
  duplicate(): FakeRedis { this.subscriber = new FakeRedis(); return this.subscriber; }
  call(): Promise<unknown> { return Promise.resolve('OK'); }
  subscribe(): Promise<number> { return Promise.resolve(1); }
  disconnect(): void {}
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('a reply overtaken by its invalidation does not fill L1; an untouched one does', async () => {
  const fake = new FakeRedis();
  const c = new Cache({ redis: fake as unknown as RedisLike, namespace: 'n', jitter: 0 });
  assert.equal(await c.ready(1000), true);
  const sub = fake.subscriber!;
  const inval = (k: string): void => { sub.emit('messageBuffer', Buffer.from('__redis__:invalidate'), [Buffer.from(k)]); };

  // 1. invalidated while in flight: served to the caller, not kept
  const p1 = c.get('k');
  await tick();
  inval('n:k');
  fake.pending.shift()!(env('old'));
  assert.equal(await p1, 'old');
  const p2 = c.get('k');
  await tick();
  assert.equal(fake.gets, 2, 'L1 was not filled: the second read went to Redis');
  // 2. another key's invalidation does not matter
  inval('n:other');
  fake.pending.shift()!(env('new'));
  assert.equal(await p2, 'new');
  assert.equal(await c.get('k'), 'new');
  assert.equal(fake.gets, 2, 'this time L1 serves');
  assert.equal(c.stats().l1Hits, 1);
  // 3. an invalidation drops it
  inval('n:k');
  const p3 = c.get('k');
  await tick();
  assert.equal(fake.gets, 3);
  fake.pending.shift()!(env('newer'));
  assert.equal(await p3, 'newer');
  // 4. the connection drops: L1 no longer serves (it is flushed), even once reconnected
  fake.emit('close');
  assert.equal(c.isCoherent, false);
  assert.equal(c.stats().l1Flushes, 1);
  const p4 = c.get('k');
  await tick();
  assert.equal(fake.gets, 4);
  fake.pending.shift()!(env('after'));
  assert.equal(await p4, 'after');
  await c.close();
});

test('a null invalidation (FLUSHALL) clears L1', async () => {
  const fake = new FakeRedis();
  const c = new Cache({ redis: fake as unknown as RedisLike, namespace: 'n' });
  assert.equal(await c.ready(1000), true);
  const p = c.get('a');
  await tick();
  fake.pending.shift()!(env(1));
  assert.equal(await p, 1);
  assert.equal(c.stats().l1Size, 1);
  fake.subscriber!.emit('messageBuffer', Buffer.from('__redis__:invalidate'), null);
  assert.equal(c.stats().l1Size, 0);
  assert.equal(c.stats().l1Flushes, 1);
  await c.close();
});
