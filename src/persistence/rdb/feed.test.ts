/*
 * RdbFeed: an RDB arriving in pieces (a replica's diskless load) parses to
 * exactly what the whole file does, whatever the cuts; a cut record is parsed
 * again only once the bytes it lacks are here; the bytes after the RDB's end
 * are handed back; a payload cut short fails at end().
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RdbFeed, RdbLoader, RdbWriter, loadRdb, standardAux, type OnKey } from './file.js';
import { dumpPayload } from './dump.js';
import { RdbError } from './reader-bytes.js';
import { List } from '../../types/list.js';
import type { Value } from '../../types/value.js';

function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

function file(): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((b) => { chunks.push(Buffer.from(b)); }, { checksum: true, compression: true });
  w.header(standardAux({ nowMs: 1_700_000_000_000, usedMem: 1 }));
  const rnd = prng(7);
  w.selectDb(0, 200, 10);
  for (let i = 0; i < 200; i++) {
    const n = Math.floor(rnd() ** 4 * 300_000);
    // some compressible (LZF), some not
    const v = i % 3 === 0 ? 'a'.repeat(n) : Array.from({ length: n }, () => String.fromCharCode(Math.floor(rnd() * 256))).join('');
    w.key(`s${i}`, v, i % 20 === 0 ? 1_800_000_000_000 + i : -1, i % 7 === 0 ? i : undefined, i % 11 === 0 ? i % 255 : undefined);
  }
  w.selectDb(2, 3, 0);
  for (let i = 0; i < 3; i++) w.key(`list${i}`, List.from(Array.from({ length: 5000 * (i + 1) }, (_, j) => `e${j}-${'x'.repeat(j % 50)}`)), -1);
  w.end();
  return Buffer.concat(chunks);
}

type Seen = [number, string, string, number, number, number];
const collect = (out: Seen[]): OnKey => (db, key, v, exp, idle, freq) => {
  out.push([db, key, dumpPayload(v as Value).toString('hex'), exp, idle, freq]);
};

describe('RdbFeed', () => {
  const data = file();
  const whole: Seen[] = [];
  loadRdb(data, collect(whole));

  test('any cuts parse to what the whole file does; the bytes after the end come back', () => {
    assert.equal(whole.length, 203);
    for (const seed of [1, 2, 3]) {
      const rnd = prng(seed);
      const got: Seen[] = [];
      const feed = new RdbFeed((head) => new RdbLoader(head, collect(got), { verifyChecksum: true }));
      const tail = Buffer.from('after the end');
      const all = Buffer.concat([data, tail]);
      let done = false;
      let pieces = 0;
      for (let i = 0; i < all.length;) {
        const n = 1 + Math.floor(rnd() ** 3 * (seed === 1 ? 70_000 : 5_000));
        done = feed.push(all.subarray(i, i + n));
        pieces++;
        i += n;
        if (i < data.length - 100) assert.equal(done, false);
      }
      if (!done) done = feed.poke();
      assert.equal(done, true, `seed ${seed}: not finished after ${pieces} pieces`);
      assert.equal(feed.offset, data.length);
      assert.deepEqual(got, whole);
      assert.equal(feed.rest().toString(), tail.toString());
    }
  });

  test('a cut record waits for the bytes it lacks; a pause parses it once they are here', () => {
    const got: Seen[] = [];
    const feed = new RdbFeed((head) => new RdbLoader(head, collect(got)));
    let parses = 0;
    const orig = RdbLoader.prototype.step;
    RdbLoader.prototype.step = function (this: RdbLoader, b?: number) { parses++; return orig.call(this, b); };
    try {
      // in 100-byte pieces: far fewer parses than pieces (a retry waits for the cut record's size again)
      for (let i = 0; i < data.length; i += 100) feed.push(data.subarray(i, i + 100));
      feed.poke(); // the sender paused: what is left parses
      assert.ok(feed.finished);
      assert.ok(parses < data.length / 100 / 10, `${parses} parses for ${data.length / 100} pieces`);
      assert.deepEqual(got, whole);
      // a pause with less than the cut record lacks does not parse
      const g2: Seen[] = [];
      const f2 = new RdbFeed((head) => new RdbLoader(head, collect(g2)));
      const big = data.indexOf('s1', 0, 'latin1');
      f2.push(data.subarray(0, big + 100));
      parses = 0;
      f2.poke();
      const before = parses;
      f2.push(data.subarray(big + 100, big + 101));
      f2.poke();
      assert.ok(parses - before <= 1);
    } finally {
      RdbLoader.prototype.step = orig;
    }
  });

  test('cut short: end() fails with a short read; a bad checksum fails', () => {
    for (const cut of [3, 9, 5000, data.length - 1]) {
      const feed = new RdbFeed((head) => new RdbLoader(head, () => {}));
      feed.push(data.subarray(0, cut));
      assert.throws(() => feed.end(), (e: unknown) => e instanceof RdbError && e.eof);
    }
    const bad = Buffer.from(data);
    bad[bad.length - 1]! ^= 1;
    const feed = new RdbFeed((head) => new RdbLoader(head, () => {}, { verifyChecksum: true }));
    assert.throws(() => { for (let i = 0; i < bad.length; i += 4096) feed.push(bad.subarray(i, i + 4096)); feed.end(); }, /Wrong RDB checksum/);
  });
});
