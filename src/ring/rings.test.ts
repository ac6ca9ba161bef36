/*
 * The other rings: libketama agrees with twemproxy's md5 ketama where their
 * point counts agree; Redis Cluster slots; balance and weights of Maglev and
 * rendezvous; bytes and strings place alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KetamaRing, MaglevRing, RendezvousRing, SlotRing, TwemproxyRing, crc16, fnv1a_64, md5Digest } from './index.js';
import { createHash } from 'node:crypto';

const keys = Array.from({ length: 20000 }, (_, i) => `user:${i}:${(i * 7919) % 1000}`);

test('libketama placement equals twemproxy md5 ketama for equal weights (servers in any order)', () => {
  const names = ['10.0.1.7:11211', '10.0.1.2:11211', 'cache-a:6379', 'cache-b:6379', 'x'];
  const a = new KetamaRing(names);
  const b = new TwemproxyRing(names.map((name) => ({ name })), { hash: 'md5' });
  for (const k of keys) assert.equal(a.lookup(k), b.lookup(k));
  assert.equal(new KetamaRing(names, { precision: 'double' }).lookup('foo'), a.lookup('foo'));
});

test('md5 agrees with node:crypto on every length 0..200', () => {
  for (let n = 0; n <= 200; n++) {
    const s = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 37 + n) & 0xff)).join('');
    assert.equal(md5Digest(s).toString('hex'), createHash('md5').update(Buffer.from(s, 'latin1')).digest('hex'));
  }
});

test('cluster slots: known slots, hash tags, redis-cli ranges', () => {
  const r = new SlotRing(['a', 'b', 'c']);
  assert.equal(r.slotOf('foo'), 12182);
  assert.equal(r.slotOf('bar'), 5061);
  assert.equal(r.slotOf('{user1000}.following'), r.slotOf('{user1000}.followers'));
  assert.equal(r.table[5460], 0); assert.equal(r.table[5461], 1);
  assert.equal(r.table[10922], 1); assert.equal(r.table[10923], 2);
  assert.equal(r.lookup('foo'), 2);
  const e = new SlotRing(['a', 'b'], [[[0, 99]], [[100, 16383]]]);
  assert.equal(e.lookup(Buffer.from('foo')), 1);
  assert.throws(() => new SlotRing(['a'], [[[0, 10]]]), /slot 11 has no owner/);
  // twemproxy's crc16 keeps 32 bits; cluster's is masked to 16
  assert.notEqual(crc16('123456789', 0, 9), 0x31c3);
  assert.equal(crc16('123456789', 0, 9) & 0xffff, 0x31c3);
});

function shares(r: { lookup(k: string): number }, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const k of keys) c[r.lookup(k)]!++;
  return c.map((x) => x / keys.length);
}

test('maglev: balanced, weighted, O(1) table', () => {
  const m = new MaglevRing(['a', 'b', 'c', 'd']);
  const counts = [0, 0, 0, 0];
  for (const s of m.table) counts[s]!++;
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, String(counts));
  const w = new MaglevRing([{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }]);
  const wc = [0, 0];
  for (const s of w.table) wc[s]!++;
  assert.ok(Math.abs(wc[1]! / w.size - 0.75) < 0.001, String(wc));
  for (const s of shares(m, 4)) assert.ok(Math.abs(s - 0.25) < 0.02);
  assert.throws(() => new MaglevRing(['a'], { tableSize: 100 }), /prime/);
});

test('rendezvous: balanced and weighted', () => {
  for (const s of shares(new RendezvousRing(['a', 'b', 'c', 'd']), 4)) assert.ok(Math.abs(s - 0.25) < 0.02);
  const ws = shares(new RendezvousRing([{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }]), 2);
  assert.ok(Math.abs(ws[1]! - 0.75) < 0.02, String(ws));
});

test('every ring takes bytes like their latin1 string', () => {
  const rings = [new KetamaRing(['a', 'b', 'c']), new MaglevRing(['a', 'b', 'c']), new RendezvousRing(['a', 'b', 'c']),
    new TwemproxyRing([{ name: 'a' }, { name: 'b' }, { name: 'c' }], { distribution: 'modula', hash: 'crc32a' })];
  for (const r of rings) for (const k of keys.slice(0, 200)) {
    const b = Buffer.from(k + '\xff', 'latin1');
    assert.equal(r.lookup(b), r.lookup(k + '\xff'));
  }
  assert.equal(fnv1a_64('', 0, 0), 0x84222325);
});
