import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplStream } from './stream.js';
import { registerBigArg, releaseBigArg } from '../protocol/big-args.js';

const join = (chunks: (string | Buffer)[]): string => chunks.map((c) => (typeof c === 'string' ? c : c.toString('latin1'))).join('');

test('offsets are Redis\'s: the backlog starts after the current offset, byte k has offset k', () => {
  const t = new ReplStream();
  t.create();
  assert.equal(t.backlogStart, 1);
  const n = t.feedCommand(0, ['SET', 'a', '1']);
  const sel = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n';
  const set = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
  assert.equal(n, sel.length + set.length);
  assert.equal(t.offset, n);
  assert.equal(t.histlen, n);
  assert.equal(join(t.readFrom(1)), sel + set);
  assert.equal(join(t.readFrom(sel.length + 1)), set);
  // same db: no SELECT
  t.feedCommand(0, ['PING']);
  assert.equal(join(t.readFrom(n + 1)), '*1\r\n$4\r\nPING\r\n');
  assert.deepEqual(t.readFrom(t.offset + 1), []);
});

test('readRange and reads across many blocks', () => {
  const s = new ReplStream();
  s.create();
  let all = '';
  for (let i = 0; i < 2000; i++) {
    const before = s.offset;
    s.feedCommand(i % 3, ['SET', `k${i}`, 'x'.repeat(i % 50)]);
    all += join(s.readFrom(before + 1));
  }
  assert.equal(all.length, s.offset);
  for (const from of [1, 2, 100, 16384, 16385, 40000, s.offset]) assert.equal(join(s.readFrom(from)), all.slice(from - 1));
  assert.equal(join(s.readRange(10, 20000)), all.slice(9, 20000));
});

test('trim keeps repl-backlog-size bytes in whole blocks, and whatever a replica cursor still needs', () => {
  const s = new ReplStream();
  s.backlogSize = 100;
  s.create();
  const big = 'v'.repeat(20000);
  for (let i = 0; i < 10; i++) s.feedCommand(0, ['SET', 'k', big]);
  const end = s.offset;
  // a replica still needs everything from offset 5
  s.trim(5);
  assert.equal(s.backlogStart, 1);
  assert.equal(s.histlen, end);
  // nobody: only what covers the last 100 bytes stays (a whole block)
  s.trim(Infinity);
  assert.ok(s.backlogStart > 1 && s.backlogStart <= end - 99, `first byte ${s.backlogStart}`);
  assert.ok(s.histlen >= 100);
  assert.equal(join(s.readFrom(s.backlogStart)).length, s.histlen);
  assert.equal(s.heldBytes, s.histlen);
});

test('rebase moves the history (a master restarted at its saved offset)', () => {
  const s = new ReplStream();
  s.create();
  s.feedCommand(0, ['DEL', 'gone']);
  const len = s.offset;
  s.rebase(1000);
  assert.equal(s.offset, 1000 + len);
  assert.equal(s.backlogStart, 1001);
  assert.equal(join(s.readFrom(1001)), '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$3\r\nDEL\r\n$4\r\ngone\r\n');
});

test('a big argument goes into the stream as its bytes', () => {
  const s = new ReplStream();
  s.create();
  const bytes = Buffer.from('0123456789');
  const tok = registerBigArg(bytes);
  try {
    s.feedCommand(0, ['SET', 'k', tok]);
  } finally {
    releaseBigArg(tok);
  }
  assert.match(join(s.readFrom(1)), /\$3\r\nSET\r\n\$1\r\nk\r\n\$10\r\n0123456789\r\n$/);
});

test('ids: shift keeps the old history as replid2 up to offset+1', () => {
  const s = new ReplStream();
  s.create();
  s.feedCommand(0, ['PING']);
  const old = s.replid;
  s.shiftId();
  assert.equal(s.replid2, old);
  assert.equal(s.secondOffset, s.offset + 1);
  assert.notEqual(s.replid, old);
  assert.match(s.replid, /^[0-9a-f]{40}$/);
  s.clearId2();
  assert.equal(s.replid2, '0'.repeat(40));
  assert.equal(s.secondOffset, -1);
});

test('trimmed blocks are reused only when no view of them was handed out', () => {
  const s = new ReplStream();
  s.backlogSize = 20000;
  s.create();
  const cmd = (i: number): string[] => ['SET', `key:${i}`, 'v'.repeat(1 + (i % 40)), 'PX', String(i * 7)];
  let all = '';
  const encode = (argv: string[]): string => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
  // a view of the first blocks, as a replica's socket would hold one while its write is queued
  for (let i = 0; i < 300; i++) { const a = cmd(i); s.feedCommand(0, a); all += (i === 0 ? '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n' : '') + encode(a); }
  const held = s.readFrom(1);
  const heldText = join(held);
  assert.equal(heldText, all);
  const heldEnd = s.offset;
  // many more blocks go through the backlog and are trimmed (and reused): the held views keep their bytes
  for (let i = 300; i < 20000; i++) { const a = cmd(i); s.feedCommand(0, a); all += encode(a); s.trim(Infinity); }
  assert.equal(join(held), heldText);
  // what the backlog holds is still exactly the stream's tail, across reused blocks
  const from = s.backlogStart;
  assert.ok(from > heldEnd);
  assert.equal(join(s.readFrom(from)), all.slice(from - 1));
  assert.equal(s.offset, all.length);
});
