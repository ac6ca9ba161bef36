/*
 * Unit tests of the stream RDB codec: the node listpack's size matches the
 * byte model StreamNode keeps (so nodes split where Redis's do), values
 * round-trip (IDs at the 64-bit limits, tombstones, groups, PELs, unknown
 * entries_read), and damaged payloads are refused with an RdbError.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeValue } from './decode.js';
import { encodeValue } from './encode.js';
import { lpBuild } from './listpack.js';
import { RdbError } from './reader-bytes.js';
import { ByteWriter } from './writer-bytes.js';
import { nodeItems } from './stream.js';
import { ENTRIES_READ_INVALID, IdMap, Stream, makeId, type Nack } from '../../types/stream.js';

const U64 = (1n << 64n) - 1n;

function sample(): Stream {
  const s = new Stream();
  for (let i = 1; i <= 30; i++) {
    const pairs = i % 3 === 0 ? ['f', String(i * 7919), 'x', 'y'.repeat(i * 5)] : ['f', `v${i}`, 'g', String(-i)];
    s.append(makeId(BigInt(i), BigInt(i % 4)), pairs, 4096, 8);
  }
  s.append(makeId(U64, U64 - 1n), ['big', '9223372036854775807', 'neg', '-9223372036854775808'], 4096, 8);
  s.deleteEntry(makeId(3n, 3n));
  s.deleteEntry(makeId(10n, 2n));
  s.maxDeletedId = makeId(10n, 2n);
  const g = s.createGroup('grp', makeId(12n, 0n), 11)!;
  const alice = { name: 'alice', seenTime: 1700000000123, pel: new IdMap<Nack>() };
  g.consumers.set('alice', alice);
  g.consumers.set('bob', { name: 'bob', seenTime: 1700000000456, pel: new IdMap<Nack>() });
  for (const id of [makeId(1n, 1n), makeId(3n, 3n), makeId(7n, 3n)]) {
    const n: Nack = { consumer: alice, deliveryTime: 1700000000000 + Number(id >> 64n), deliveryCount: 2 };
    g.pel.set(id, n);
    alice.pel.set(id, n);
  }
  s.createGroup('other', 0n, ENTRIES_READ_INVALID);
  return s;
}

const encode = (s: Stream): Buffer => {
  const w = new ByteWriter();
  encodeValue(s, w);
  return Buffer.from(w.buf.subarray(0, w.pos));
};
const decode = (b: Buffer): Stream => decodeValue(b[0]!, { buf: b, pos: 1 }) as Stream;

describe('stream RDB codec', () => {
  test('node listpacks have the size StreamNode accounts', () => {
    const s = sample();
    assert.ok(s.nodes.length > 3);
    for (const n of s.nodes) assert.equal(lpBuild(nodeItems(n)).length, n.lpBytes());
  });

  test('round trip', () => {
    const s = sample();
    const t = decode(encode(s));
    assert.deepEqual(t.digestParts(), s.digestParts());
    assert.deepEqual([t.length, t.lastId, t.firstId, t.maxDeletedId, t.entriesAdded], [s.length, s.lastId, s.firstId, s.maxDeletedId, s.entriesAdded]);
    assert.deepEqual(t.nodes.map((n) => [n.master, n.count, n.deleted, n.bytes]), s.nodes.map((n) => [n.master, n.count, n.deleted, n.bytes]));
    const g = t.group('grp')!;
    assert.equal(g.entriesRead, 11);
    assert.deepEqual(g.pel.keys, s.group('grp')!.pel.keys);
    assert.equal(g.pel.vals[1]!.consumer, g.consumers.get('alice'));
    assert.equal(g.pel.vals[1]!.deliveryTime, 1700000000003);
    assert.equal(g.consumers.get('bob')!.seenTime, 1700000000456);
    assert.equal(t.group('other')!.entriesRead, ENTRIES_READ_INVALID);
    assert.deepEqual(encode(t), encode(s));
    const empty = new Stream();
    assert.equal(decode(encode(empty)).length, 0);
  });

  test('damaged payloads are refused', () => {
    const bad: ((s: Stream) => void)[] = [
      (s) => { s.nodes[1]!.count++; },
      (s) => { s.nodes[0]!.flags[1]! |= 1; },
      (s) => { s.length++; },
      (s) => { [s.nodes[0], s.nodes[1]] = [s.nodes[1]!, s.nodes[0]!]; },
      (s) => { s.nodes[2]!.ids[1] = s.nodes[2]!.ids[0]!; },
      (s) => { s.group('grp')!.consumers.get('alice')!.pel.keys[0] = 99n; },
      (s) => { s.group('grp')!.pel.vals[0]!.consumer = null; s.group('grp')!.consumers.get('alice')!.pel.delete(makeId(1n, 1n)); },
    ];
    for (const [i, f] of bad.entries()) {
      const s = sample();
      f(s);
      assert.throws(() => decode(encode(s)), RdbError, `case ${i}`);
    }
    const b = encode(sample());
    assert.throws(() => decode(b.subarray(0, b.length - 3)), RdbError);
  });
});
