/*
 * Eviction internals on a server that is not listening: the tenacity time
 * budget, the meter, the side effects of one eviction (stats, keyspace event,
 * propagated DEL/UNLINK, key-modified signal), the exceeded-time metrics and
 * the time proc that keeps evicting after the budget ran out.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../server/server.js';
import { infoString } from '../server/info.js';
import { EVICT_FAIL, EVICT_OK, EVICT_RUNNING, evictionTimeLimitUs, performEvictions, startTimeProc, usedMemoryCached, usedMemoryNow } from './evict.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function filled(n: number, options: Record<string, string | number> = {}): Server {
  const s = new Server({ save: '', loglevel: 'warning', ...options });
  s.setClock(Date.now());
  for (let i = 0; i < n; i++) s.dbs[0]!.set(`key:${i}`, `value:${i}`);
  return s;
}

describe('eviction internals', () => {
  test('tenacity to time budget (evictionTimeLimitUs)', () => {
    assert.equal(evictionTimeLimitUs(0), 0);
    assert.equal(evictionTimeLimitUs(10), 500);
    assert.equal(evictionTimeLimitUs(11), 575);
    assert.equal(evictionTimeLimitUs(99), Math.floor(500 * 1.15 ** 89));
    assert.equal(evictionTimeLimitUs(100), Infinity);
  });

  test('meter: fresh and cached readings agree closely', () => {
    const a = usedMemoryNow();
    const b = usedMemoryCached();
    assert.ok(a > 1e6, `used ${a}`);
    assert.ok(Math.abs(a - b) < 1e6);
  });

  test('maxmemory 0 or under the limit: nothing evicted', () => {
    const s = filled(100);
    assert.equal(performEvictions(s), EVICT_OK);
    s.config.set('maxmemory', String(usedMemoryNow() + 100e6));
    s.config.set('maxmemory-policy', 'allkeys-random');
    assert.equal(performEvictions(s), EVICT_OK);
    assert.equal(s.dbs[0]!.size, 100);
  });

  test('each eviction: stats, event, propagation, key-modified; FAIL once empty', () => {
    const s = filled(50, { 'maxmemory-policy': 'allkeys-lru', 'maxmemory-eviction-tenacity': 100, 'notify-keyspace-events': 'Ee' });
    const events: string[] = [];
    const propagated: string[] = [];
    const modified: string[] = [];
    s.recorder.publish = (ch, msg) => { events.push(`${ch} ${msg}`); };
    s.recorder.listen((_db, argv) => { propagated.push(argv.join(' ')); });
    s.recorder.keyModifiedHooks.push((_db, key) => { if (key !== null) modified.push(key); });
    s.config.set('maxmemory', '1');
    assert.equal(performEvictions(s), EVICT_FAIL);
    assert.equal(s.dbs[0]!.size, 0);
    assert.equal(s.stats.evictedKeys, 50);
    assert.equal(events.length, 50);
    assert.ok(events.every((e) => /^__keyevent@0__:evicted key:\d+$/.test(e)));
    assert.equal(propagated.length, 50);
    assert.ok(propagated.every((p) => p.startsWith('DEL key:')));
    assert.equal(new Set(modified).size, 50);
    const stats = infoString(s, ['stats']);
    assert.match(stats, /evicted_keys:50\r\n/);
    assert.match(stats, /current_eviction_exceeded_time:\d+\r\n/);
    s.config.set('lazyfree-lazy-eviction', 'yes');
    s.dbs[0]!.set('x', 'y');
    performEvictions(s);
    assert.equal(propagated.at(-1), 'UNLINK x');
    s.config.set('maxmemory', '0');
    assert.equal(performEvictions(s), EVICT_OK);
  });

  test('budget exceeded: RUNNING, and the time proc finishes the job', async () => {
    const s = filled(20000, { 'maxmemory-policy': 'allkeys-random', 'maxmemory-eviction-tenacity': 0 });
    s.config.set('maxmemory', '1');
    assert.equal(performEvictions(s), EVICT_RUNNING);
    assert.ok(s.dbs[0]!.size < 20000 && s.dbs[0]!.size > 0);
    startTimeProc(s);
    for (let i = 0; i < 200 && s.dbs[0]!.size > 0; i++) await sleep(10);
    assert.equal(s.dbs[0]!.size, 0);
    assert.equal(performEvictions(s), EVICT_FAIL);
    s.config.set('maxmemory', '0');
    assert.equal(performEvictions(s), EVICT_OK);
  });
});
