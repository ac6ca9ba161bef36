/* Active expiry through an embedded server: expired keys are reclaimed without being touched, within the time budget. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../index.js';
import { RawClient } from '../../test/helpers/resp-client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await cond()) return true; await sleep(20); }
  return cond();
}

describe('active expiry', () => {
  test('10000 keys with a 1 s TTL disappear without being touched', async () => {
    const s = await startServer({ port: 0, loglevel: 'warning' });
    const c = await RawClient.connect(s.port);
    try {
      const db = s.server.dbs[0]!;
      // a TTL long enough that none expires before DBSIZE below, even on a loaded machine (once, 100 ms was not)
      const when = Date.now() + 1000;
      for (let i = 0; i < 10000; i++) { db.set(`k${i}`, 'v'); db.setExpire(`k${i}`, when); }
      await c.call('SET', 'keeper', 'v');
      assert.equal(await c.call('DBSIZE'), ':10001\r\n');
      assert.ok(await waitFor(async () => (await c.call('DBSIZE')) === ':1\r\n', 5000), 'expired keys reclaimed');
      assert.equal(s.server.stats.expiredKeys, 10000);
      assert.equal(db.expires.size, 0);
    } finally {
      c.close();
      await s.close();
    }
  });

  test('a big expiry wave does not stall the event loop, and other dbs are served too', async () => {
    const s = await startServer({ port: 0, loglevel: 'warning' });
    try {
      const when = Date.now() + 50;
      for (let d = 0; d < 3; d++) {
        const db = s.server.dbs[d]!;
        for (let i = 0; i < 100000; i++) { db.set(`k${i}`, 'v'); db.setExpire(`k${i}`, when); }
      }
      let last = performance.now();
      let maxGap = 0;
      const timer = setInterval(() => { const t = performance.now(); maxGap = Math.max(maxGap, t - last); last = t; }, 2);
      const ok = await waitFor(async () => s.server.dbs.slice(0, 3).every((db) => db.size === 0), 20000);
      clearInterval(timer);
      assert.ok(ok, `reclaimed: ${s.server.dbs.slice(0, 3).map((db) => db.size).join(',')}`);
      // the budget is 25 ms per 100 ms tick; allow for major GC pauses and a loaded machine
      assert.ok(maxGap < 250, `event loop stalled for ${maxGap.toFixed(1)} ms`);
      assert.ok(s.server.stats.expiredTimeCapReached > 0, 'the time cap was reached on a wave this size');
    } finally {
      await s.close();
    }
  });

  test('the cycle is off while activeExpireEnabled is false (DEBUG SET-ACTIVE-EXPIRE 0)', async () => {
    const s = await startServer({ port: 0, loglevel: 'warning' });
    const c = await RawClient.connect(s.port);
    try {
      s.server.activeExpireEnabled = false;
      const db = s.server.dbs[0]!;
      for (let i = 0; i < 100; i++) { db.set(`k${i}`, 'v'); db.setExpire(`k${i}`, Date.now() + 20); }
      await sleep(350);
      assert.equal(await c.call('DBSIZE'), ':100\r\n');
      s.server.activeExpireEnabled = true;
      assert.ok(await waitFor(async () => (await c.call('DBSIZE')) === ':0\r\n', 2000));
    } finally {
      c.close();
      await s.close();
    }
  });

  test('FLUSHALL during a sweep drops the stale iterator', async () => {
    const s = await startServer({ port: 0, loglevel: 'warning' });
    const c = await RawClient.connect(s.port);
    try {
      const db = s.server.dbs[0]!;
      for (let i = 0; i < 1000; i++) { db.set(`k${i}`, 'v'); db.setExpire(`k${i}`, Date.now() + 100000); }
      await sleep(250); // the cycle has sampled (and holds an iterator over) the volatile keys
      await c.call('FLUSHALL');
      for (let i = 0; i < 10; i++) { db.set(`n${i}`, 'v'); db.setExpire(`n${i}`, Date.now() + 50); }
      assert.ok(await waitFor(async () => (await c.call('DBSIZE')) === ':0\r\n', 2000));
      assert.equal(s.server.stats.expiredKeys, 10);
    } finally {
      c.close();
      await s.close();
    }
  });
});
