/*
 * Differential protocol tests: raw bytes to Nodis and redis-server, replies
 * compared byte for byte (PairClient.raw), covering inline and multibulk
 * requests, deep pipelines, reads split at every byte, Redis's protocol
 * errors (the connection closes after the error; commands earlier in the
 * same read still run) and the RESP3 shapes after HELLO 3.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const mb = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

/** Send raw bytes, compare the error reply, and check both servers close the connection. */
async function protoError(c: PairClient, data: string, expect: string): Promise<void> {
  const r = await c.raw(data);
  assert.equal(r, `-ERR Protocol error: ${expect}\r\n`);
  await Promise.all([c.ours.waitClose(), c.theirs.waitClose()]);
}

/** Write data to both sides one byte at a time, yielding between bytes. */
async function trickle(c: PairClient, data: string): Promise<void> {
  for (const ch of data) {
    c.ours.write(ch);
    c.theirs.write(ch);
    await new Promise((r) => setImmediate(r));
  }
}

describe('protocol: requests', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('empty query, negative and zero multibulk counts are ignored', async () => {
    const c = await p.client();
    await c.raw('\r\n\n*-10\r\n*0\r\n*-1\r\nPING\r\n');
  });
  test('inline commands with quotes and escapes', async () => {
    const c = await p.client();
    await c.raw('SET "a key" "x\\ty\\x41"\r\n');
    await c.raw("GET 'a key'\r\n");
    await c.raw('  ECHO   spaced  \n');
    await c.raw('ECHO ""\r\n');
  });
  test('deep pipeline in one write, mixed inline and multibulk', async () => {
    const c = await p.client();
    let data = '';
    for (let i = 0; i < 2000; i++) data += i % 2 ? mb('INCR', 'ctr') : 'INCR ctr\r\n';
    data += mb('GET', 'ctr');
    c.ours.write(data);
    c.theirs.write(data);
    for (let i = 0; i < 2000; i++) {
      const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
      assert.equal(a, b);
    }
    const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
    assert.equal(a, '$4\r\n2000\r\n');
    assert.equal(a, b);
  });
  test('reads split at every byte', async () => {
    const c = await p.client();
    await trickle(c, mb('SET', 'k', 'v\r\nw') + 'GET k\r\n' + mb('APPEND', 'k', '!'));
    for (let i = 0; i < 3; i++) {
      const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
      assert.equal(a, b);
    }
  });
  test('large argument and many arguments', async () => {
    const c = await p.client();
    const big = 'x'.repeat(1_000_000);
    await c.raw(mb('SET', 'big', big));
    await c.raw(mb('STRLEN', 'big'));
    const args: string[] = ['MSET'];
    for (let i = 0; i < 10000; i++) args.push(`k${i}`, 'v');
    await c.raw(mb(...args));
    await c.raw(mb('GET', 'k9999'));
  });
  test('wrong arity through the raw protocol', async () => {
    const c = await p.client();
    await c.raw('ping x y z\r\n');
    await c.raw('*1\r\n$3\r\nGET\r\n');
  });
});

describe('protocol: errors close the connection', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  const cases: [string, string, string][] = [
    ['out of range multibulk length', '*3000000000\r\n', 'invalid multibulk length'],
    ['non-numeric multibulk length', '*x\r\n', 'invalid multibulk length'],
    ['wrong multibulk payload header', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n', "expected '$', got 'f'"],
    ['negative bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n', 'invalid bulk length'],
    ['out of range bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n', 'invalid bulk length'],
    ['non-numeric bulk length', '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n', 'invalid bulk length'],
    ['multibulk not followed by bulk', '*1\r\nfoo\r\n', "expected '$', got 'f'"],
    ['unbalanced quotes', 'set """test-key""" test-value\r\nping\r\n', 'unbalanced quotes in request'],
    ['too big inline request', 'x'.repeat(70000), 'too big inline request'],
    ['too big mbulk count string', '*' + '1'.repeat(70000), 'too big mbulk count string'],
    ['too big bulk count string', '*1\r\n$' + '1'.repeat(70000), 'too big bulk count string'],
    ['NUL hides the newline (desync regression)', '\x00' + 'payload'.repeat(10000), 'too big inline request'],
    ['NUL after * (desync regression)', '*\x00' + 'payload'.repeat(10000), 'too big mbulk count string'],
  ];
  for (const [name, data, err] of cases) {
    test(name, async () => { await protoError(await p.client(), data, err); });
  }
  test('error framing: CR/LF in errors become spaces, C-string fields stop at NUL, inline tokens keep \\v and \\f', async () => {
    const c = await p.client();
    // a bulk of 1 followed by more bytes: the CR where the next '$' should be is reported as a space
    await protoError(c, '*2\r\n$1\r\nabc\r\n', "expected '$', got ' '");
    const d = await p.client();
    await d.raw('*1\r\n$9\r\nr\x00eadonly\r\n');
    await d.raw('*2\r\n$9\r\nr\x00eadonly\r\n$3\r\na\x00b\r\n');
    await d.raw('*2\r\n$6\r\nCLIENT\r\n$3\r\na\x00b\r\n');
    await d.raw('*2\r\n$6\r\nCONFIG\r\n$3\r\n\nab\r\n');
    await d.raw('*1\r\n$4\r\nabc\r\r\n');
    await d.raw('*2\r\n$3\r\nfoo\r\n$3\r\nx\r\ny\r\n');
    await d.raw('*3\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$4\r\nTY\x00P\r\n');
    await d.raw('*3\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$5\r\nx\r\n\x00y\r\n');
    await d.raw('ECHO a\x0bb\r\n');
    await d.raw('ECHO a\x0cb\r\n');
    await d.raw('\x0bPING\r\n');
    await d.raw('PING\x0b\r\n');
    await d.raw('ECHO "a"\x0b\r\n');
    await d.raw('ECHO "a"\x0cb\r\n');
  });
  test('commands before the error in the same read still run', async () => {
    const c = await p.client();
    assert.equal(await c.raw(mb('SET', 'before', '1') + 'INCR before\r\n*1\r\nfoo\r\n' + mb('SET', 'after', '1')), '+OK\r\n');
    assert.equal(await c.raw(''), ':2\r\n');
    await protoError(c, '', "expected '$', got 'f'");
    const d = await p.client({ flush: false });
    await d.do('GET', 'before');
    await d.do('EXISTS', 'after');
  });
  test('proto-max-bulk-len', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'proto-max-bulk-len', '1048576');
    const e = await p.client({ flush: false });
    await protoError(e, '*2\r\n$4\r\nECHO\r\n$1048577\r\n', 'invalid bulk length');
    const d = await p.client({ flush: false });
    await d.raw(mb('STRLEN', 'x'.repeat(1048576)));
    await d.do('CONFIG', 'SET', 'proto-max-bulk-len', '536870912');
  });
  test('client-query-buffer-limit closes without a reply', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'client-query-buffer-limit', '1048576');
    const d = await p.client({ flush: false });
    const data = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n' + 'x'.repeat(1_500_000);
    d.ours.write(data);
    d.theirs.write(data);
    await Promise.all([d.ours.waitClose(), d.theirs.waitClose()]);
    assert.equal(d.ours.unread, '');
    assert.equal(d.theirs.unread, '');
    await c.do('CONFIG', 'SET', 'client-query-buffer-limit', '1073741824');
    await c.do('EXISTS', 'k');
  });
});

describe('protocol: RESP3 reply shapes', { skip: skipWithoutRedis() }, () => {
  const p = usePair();
  test('HELLO 3 map and RESP3 forms of common replies', async () => {
    const c = await p.client();
    const [a, b] = await c.both('HELLO', '3');
    const noId = (s: string): string => s.replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1:ID\r\n');
    assert.equal(noId(a), noId(b));
    assert.ok(a.startsWith('%7\r\n'));
    await c.raw('GET nokey\r\n');
    await c.raw('SET k v\r\n');
    await c.raw('CLIENT GETNAME\r\n');
    await c.raw('PING\r\n');
    await c.raw('ECHO x\r\n');
    await c.raw('HELLO 2 foo\r\n');
    const [a2, b2] = await c.both('HELLO', '2');
    assert.equal(noId(a2), noId(b2));
    await c.raw('GET nokey\r\n');
  });
});
