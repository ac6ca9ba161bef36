/*
 * Backend reply framing: every RESP2 / RESP3 reply type, nested aggregates,
 * attributes and pushes, fed whole and byte by byte (the same frames either
 * way); malformed input sets `error`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyReader, elementsOf, errorOf, intOf, isError, stringOf } from './reply-reader.js';

const FRAMES = [
  '+OK\r\n', '-ERR bad\r\n', ':42\r\n', ':-1\r\n', '$5\r\nhello\r\n', '$0\r\n\r\n', '$-1\r\n', '*-1\r\n', '*0\r\n',
  '*3\r\n$1\r\na\r\n$-1\r\n:7\r\n', '*2\r\n*1\r\n+x\r\n*0\r\n', '_\r\n', ',3.14\r\n', '#t\r\n', '(123456789012345678901\r\n',
  '=8\r\ntxt:abcd\r\n', '!9\r\nERR oops!\r\n', '%2\r\n$1\r\nk\r\n:1\r\n$1\r\nm\r\n*1\r\n_\r\n', '~2\r\n:1\r\n:2\r\n',
  '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', '|1\r\n$3\r\nttl\r\n:3\r\n$1\r\nv\r\n', '$4\r\na\r\nb\r\n',
];

test('frames every reply type, whole and byte by byte', () => {
  const all = Buffer.from(FRAMES.join(''), 'latin1');
  for (const chunk of [all.length, 1, 3]) {
    const r = new ReplyReader();
    const got: string[] = [];
    for (let i = 0; i < all.length; i += chunk) {
      r.push(all.subarray(i, i + chunk));
      for (let f = r.next(); f !== null; f = r.next()) got.push(f.toString('latin1'));
    }
    assert.equal(r.error, null);
    assert.deepEqual(got, FRAMES, `chunk ${chunk}`);
  }
});

test('decoders', () => {
  const B = (s: string): Buffer => Buffer.from(s, 'latin1');
  assert.equal(intOf(B(':-12\r\n')), -12);
  assert.equal(stringOf(B('$3\r\nabc\r\n')), 'abc');
  assert.equal(stringOf(B('$-1\r\n')), null);
  assert.equal(stringOf(B('=7\r\ntxt:abc\r\n')), 'abc');
  assert.equal(isError(B('-ERR x\r\n')), true);
  assert.equal(errorOf(B('!5\r\nERR x\r\n')), 'ERR x');
  assert.deepEqual(elementsOf(B('*2\r\n$1\r\na\r\n*1\r\n:1\r\n'))!.map((e) => e.toString()), ['$1\r\na\r\n', '*1\r\n:1\r\n']);
});

test('malformed replies set error', () => {
  for (const bad of ['?x\r\n', '$abc\r\n', '+OK\n']) {
    const r = new ReplyReader();
    r.push(Buffer.from(bad, 'latin1'));
    assert.equal(r.next(), null);
    assert.notEqual(r.error, null, bad);
  }
});
