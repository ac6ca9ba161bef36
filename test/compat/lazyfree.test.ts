/*
 * INFO lazyfreed_objects against real Redis (keyspace/lazyfree.ts): UNLINK of
 * values above and below the free-effort threshold (a big hashtable set, a
 * small one, a stream of many nodes with a consumer group, a long list),
 * DEL under lazyfree-lazy-user-del, FLUSHDB ASYNC, CONFIG RESETSTAT. Redis
 * frees in a background thread: its figure is read once nothing is pending.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply } from '../helpers/resp-client.js';

const field = (info: string, k: string): number => Number(new RegExp(`(?:^|\\r\\n)${k}:([^\\r]*)`).exec(info)?.[1]);

/** lazyfreed_objects on both sides, once neither has lazyfree_pending_objects */
async function freed(c: PairClient): Promise<[number, number]> {
  for (let i = 0; ; i++) {
    const [a, b] = await c.both('INFO', 'memory');
    const [x, y] = [parseReply(a) as string, parseReply(b) as string];
    if ((field(x, 'lazyfree_pending_objects') === 0 && field(y, 'lazyfree_pending_objects') === 0) || i >= 100) {
      return [field(x, 'lazyfreed_objects'), field(y, 'lazyfreed_objects')];
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('lazy freeing', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('UNLINK, DEL with lazyfree-lazy-user-del, FLUSHDB ASYNC: lazyfreed_objects as Redis counts it', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '5');
    await c.do('CONFIG', 'RESETSTAT');
    const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await c.do('SADD', 'bigset', ...members);
    await c.do('SADD', 'smallset', 'a', 'b', 'c');
    await c.do('UNLINK', 'bigset', 'smallset', 'nosuchkey');
    assert.deepEqual(await freed(c), [1, 1], 'a 200-member hashtable set is freed lazily, a 3-member one is not');

    for (let i = 0; i < 400; i++) await c.do('XADD', 'stream', `${i + 1}-1`, 'f', String(i));
    await c.do('XGROUP', 'CREATE', 'stream', 'g', '0');
    await c.do('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>');
    await c.do('XADD', 'tiny', '1-1', 'a', 'b');
    await c.do('XGROUP', 'CREATE', 'tiny', 'gone', '$');
    await c.do('XGROUP', 'DESTROY', 'tiny', 'gone');
    await c.do('UNLINK', 'stream', 'tiny');
    assert.deepEqual(await freed(c), [2, 2], 'a stream of 80 nodes is freed lazily, a one-node stream is not');

    // a list of 2000 elements of 100 bytes: about 25 quicklist nodes (under the threshold); of 20000: about 250
    await c.do('RPUSH', 'shortlist', ...Array.from({ length: 2000 }, () => 'x'.repeat(100)));
    await c.do('UNLINK', 'shortlist');
    const long = Array.from({ length: 2000 }, () => 'y'.repeat(100));
    for (let i = 0; i < 10; i++) await c.do('RPUSH', 'longlist', ...long);
    await c.do('UNLINK', 'longlist');
    assert.deepEqual(await freed(c), [3, 3], 'the long list only');

    await c.do('SADD', 'bigset', ...members);
    await c.do('DEL', 'bigset');
    assert.deepEqual(await freed(c), [3, 3], 'DEL frees at once by default');
    await c.do('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes');
    await c.do('SADD', 'bigset', ...members);
    await c.do('DEL', 'bigset');
    await c.do('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no');
    assert.deepEqual(await freed(c), [4, 4], 'DEL under lazyfree-lazy-user-del');

    for (let i = 0; i < 10; i++) await c.do('SET', `k${i}`, 'v');
    await c.do('FLUSHDB', 'ASYNC');
    assert.deepEqual(await freed(c), [14, 14], 'FLUSHDB ASYNC counts its keys');
    await c.do('SET', 'k', 'v');
    await c.do('FLUSHDB', 'SYNC');
    assert.deepEqual(await freed(c), [14, 14], 'FLUSHDB SYNC does not');

    await c.do('CONFIG', 'RESETSTAT');
    assert.deepEqual(await freed(c), [0, 0]);
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '100');
  });
});
