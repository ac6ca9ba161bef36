/*
 * The reply reader (link.ts): every reply type, fed whole and byte by byte
 * (STYLE.md §5.3), garbage refused, and a connection against a scripted peer:
 * replies reach callbacks in order, a persistent (SUBSCRIBE) callback takes
 * every later reply, a close drops pending callbacks and calls onClose once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ReplyReader, ReplyError, RespConn, encodeCommand, type Reply } from './link.js';

function readAll(bytes: string, byteByByte: boolean): Reply[] {
  const r = new ReplyReader();
  const out: Reply[] = [];
  const chunks = byteByByte ? bytes.split('') : [bytes];
  for (const ch of chunks) {
    r.feed(Buffer.from(ch, 'latin1'));
    for (let x = r.next(); x !== undefined; x = r.next()) out.push(x);
  }
  return out;
}

const CASES: [string, Reply][] = [
  ['+PONG\r\n', 'PONG'],
  ['-NOAUTH Authentication required.\r\n', new ReplyError('NOAUTH Authentication required.')],
  [':42\r\n', 42],
  [':-1\r\n', -1],
  ['$5\r\nhe\r\no\r\n', 'he\r\no'],
  ['$0\r\n\r\n', ''],
  ['$-1\r\n', null],
  ['*-1\r\n', null],
  ['*3\r\n$7\r\nmessage\r\n$18\r\n__sentinel__:hello\r\n$3\r\na,b\r\n', ['message', '__sentinel__:hello', 'a,b']],
  ['*3\r\n:1\r\n$1\r\n*\r\n:0\r\n', [1, '*', 0]],
  ['%1\r\n+k\r\n:1\r\n', ['k', 1]],
  ['_\r\n', null],
  ['#t\r\n', 1],
  ['=7\r\ntxt:abc\r\n', 'abc'],
  ['>2\r\n+a\r\n+b\r\n', ['a', 'b']],
];

test('reply reader: every type, whole and byte by byte', () => {
  const all = CASES.map(([b]) => b).join('');
  const want = CASES.map(([, r]) => r);
  assert.deepEqual(readAll(all, false), want);
  assert.deepEqual(readAll(all, true), want);
});

test('reply reader: garbage is a protocol error', () => {
  const r = new ReplyReader();
  r.feed(Buffer.from('hello\r\n'));
  assert.throws(() => r.next());
  const r2 = new ReplyReader();
  r2.feed(Buffer.from(':12x\r\n'));
  assert.throws(() => r2.next());
});

test('encodeCommand', () => {
  assert.equal(encodeCommand(['PING']), '*1\r\n$4\r\nPING\r\n');
  assert.equal(encodeCommand(['SET', 'k', '']), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n');
});

test('connection: ordered callbacks, a persistent callback, close once', async (t) => {
  const srv = net.createServer((s) => {
    s.on('data', () => undefined);
    // two replies, then three pub/sub messages, then garbage
    s.write('+PONG\r\n:7\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n');
    setTimeout(() => s.write('?garbage\r\n'), 30);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  t.after(() => srv.close());
  const port = (srv.address() as net.AddressInfo).port;
  const got: Reply[] = [];
  let closes = 0;
  const conn = await new Promise<RespConn>((resolve) => {
    const c = new RespConn('127.0.0.1', port, () => { closes++; });
    resolve(c);
  });
  conn.send(['PING'], (r) => got.push(r));
  conn.send(['INCR', 'x'], (r) => got.push(r));
  conn.send(['SUBSCRIBE', 'c'], (r) => got.push(r), true);
  await new Promise<void>((resolve, reject) => {
    const end = Date.now() + 3000;
    const check = (): void => { if (closes > 0) resolve(); else if (Date.now() > end) reject(new Error('no close')); else setTimeout(check, 10); };
    check();
  });
  assert.deepEqual(got, ['PONG', 7, ['subscribe', 'c', 1], ['message', 'c', 'x']]);
  assert.equal(closes, 1);
  assert.match(conn.error, /Protocol error/);
  assert.equal(conn.send(['PING'], null), false);
  conn.close();
  assert.equal(closes, 1);
});
