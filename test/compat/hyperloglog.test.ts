/*
 * Differential tests of the HyperLogLog commands against a real
 * redis-server: PFADD / PFCOUNT / PFMERGE on small and large sets (sparse,
 * promotion, dense) with GET of the raw bytes compared after every step, the
 * cached cardinality (and WATCH seeing its update), hll-sparse-max-bytes,
 * PFDEBUG, errors (wrong types, strings that are not HLLs, corrupted sparse
 * codes), crafted headers, and DUMP payloads moved both ways.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply } from '../helpers/resp-client.js';

const elems = (prefix: string, from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${prefix}${i}`);
  return out;
};

/** A HLL header: magic, encoding, unused, 8-byte card (the top bit of the last one = stale). */
const header = (enc: number, card: bigint | null = null): Buffer => {
  const b = Buffer.alloc(16);
  b.write('HYLL', 0, 'latin1');
  b[4] = enc;
  if (card === null) b[15] = 0x80; else b.writeBigUInt64LE(card, 8);
  return b;
};

async function sameValue(c: PairClient, key: string): Promise<void> {
  await c.do('GET', key);
}

describe('hyperloglog', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('PFADD / PFCOUNT on small sets, the cached cardinality', async () => {
    const c = await p.client();
    await c.do('PFADD', 'h', 'a', 'b', 'c');
    await sameValue(c, 'h');
    await c.do('PFCOUNT', 'h');
    await sameValue(c, 'h'); // cache written
    await c.do('PFCOUNT', 'h');
    await c.do('PFADD', 'h', 'a');
    await c.do('PFADD', 'h');
    await sameValue(c, 'h');
    await c.do('PFADD', 'e');
    await sameValue(c, 'e');
    await c.do('PFCOUNT', 'e');
    await c.do('PFCOUNT', 'missing');
    await c.do('PFCOUNT', 'h', 'missing', 'e');
    await c.do('OBJECT', 'ENCODING', 'h');
    await c.do('PFDEBUG', 'ENCODING', 'h');
    await c.do('PFDEBUG', 'DECODE', 'h');
    await c.do('PFDEBUG', 'DECODE', 'e');
    await c.do('PFADD', 'bin', Buffer.from([0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8]), '', 'x'.repeat(1000), 'é€');
    await sameValue(c, 'bin');
    await c.do('PFCOUNT', 'bin');
    await c.do('TYPE', 'h');
    await c.do('STRLEN', 'h');
  });

  test('growing sets: sparse, promotion, dense, exact estimates', async () => {
    const c = await p.client();
    let n = 0;
    for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 30000, 50000]) {
      for (let i = 0; i < step; i += 10000) await c.do('PFADD', 'h', ...elems('e', n + i, n + Math.min(step, i + 10000)));
      n += step;
      await sameValue(c, 'h');
      await c.do('PFCOUNT', 'h');
      await c.do('PFDEBUG', 'ENCODING', 'h');
    }
    // re-adding seen elements changes nothing
    await c.do('PFADD', 'h', ...elems('e', 0, 100));
    // many small HLLs of different cardinalities: every estimate, and the union's
    for (let k = 0; k < 40; k++) await c.do('PFADD', `s${k}`, ...elems(`x${k}-`, 0, k * 37 + 1));
    for (let k = 0; k < 40; k++) await c.do('PFCOUNT', `s${k}`);
    await c.do('PFCOUNT', ...Array.from({ length: 40 }, (_, k) => `s${k}`));
    await c.do('PFCOUNT', 'h', 's1', 's39');
  });

  test('every single add compared, through the whole sparse life (seeded random binary elements)', async () => {
    const c = await p.client();
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    await c.do('CONFIG', 'SET', 'hll-sparse-max-bytes', '1200');
    for (let i = 0; i < 700; i++) {
      const e = Buffer.from(Array.from({ length: rnd(12) }, () => rnd(256)));
      await c.do('PFADD', 'r', e);
      await sameValue(c, 'r');
      if (i % 50 === 0) await c.do('PFCOUNT', 'r');
    }
    await c.do('PFDEBUG', 'ENCODING', 'r');
    await c.do('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
  });

  test('hll-sparse-max-bytes', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'hll-sparse-max-bytes', '40');
    for (let i = 0; i < 12; i++) {
      await c.do('PFADD', 'h', `a${i}`);
      await c.do('PFDEBUG', 'ENCODING', 'h');
    }
    await sameValue(c, 'h');
    await c.do('CONFIG', 'SET', 'hll-sparse-max-bytes', '0');
    await c.do('PFADD', 'z', 'a');
    await c.do('PFADD', 'z', 'b');
    await c.do('PFDEBUG', 'ENCODING', 'z');
    await sameValue(c, 'z');
    await c.do('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
  });

  test('PFMERGE', async () => {
    const c = await p.client();
    await c.do('PFADD', 'a', ...elems('a', 0, 50));
    await c.do('PFADD', 'b', ...elems('b', 0, 80));
    await c.do('PFADD', 'big', ...elems('c', 0, 5000));
    await c.do('PFMERGE', 'd', 'a', 'b');
    await sameValue(c, 'd');
    await c.do('PFDEBUG', 'ENCODING', 'd');
    await c.do('PFCOUNT', 'd');
    await c.do('PFMERGE', 'a', 'b', 'missing'); // into an existing sparse one
    await sameValue(c, 'a');
    await c.do('PFMERGE', 'd2', 'a', 'big'); // one dense input: dense target
    await sameValue(c, 'd2');
    await c.do('PFCOUNT', 'd2');
    await c.do('PFMERGE', 'new');
    await sameValue(c, 'new');
    await c.do('PFMERGE', 'd2');
    await sameValue(c, 'd2');
    await c.do('PFCOUNT', 'a', 'b', 'big', 'd');
    // many sparse inputs: the sparse target promotes on the way
    for (let k = 0; k < 10; k++) await c.do('PFADD', `p${k}`, ...elems(`p${k}-`, 0, 150));
    await c.do('PFMERGE', 'm', ...Array.from({ length: 10 }, (_, k) => `p${k}`));
    await sameValue(c, 'm');
    await c.do('PFDEBUG', 'ENCODING', 'm');
    await c.do('PFCOUNT', 'm');
  });

  test('PFDEBUG', async () => {
    const c = await p.client();
    await c.do('PFADD', 'h', ...elems('e', 0, 30));
    await c.do('PFDEBUG', 'DECODE', 'h');
    await c.do('PFDEBUG', 'ENCODING', 'h');
    await c.do('PFDEBUG', 'GETREG', 'h'); // converts to dense
    await c.do('PFDEBUG', 'ENCODING', 'h');
    await sameValue(c, 'h');
    await c.error('ERR HLL encoding is not sparse', 'PFDEBUG', 'DECODE', 'h');
    await c.do('PFDEBUG', 'TODENSE', 'h');
    await c.do('PFADD', 's', 'x');
    await c.do('pfdebug', 'todense', 's');
    await sameValue(c, 's');
    await c.error('ERR The specified key does not exist', 'PFDEBUG', 'GETREG', 'missing');
    await c.error('ERR The specified key does not exist', 'PFDEBUG', 'nosuch', 'missing');
    await c.error('ERR Unknown PFDEBUG subcommand', 'PFDEBUG', 'nosuch', 'h');
    await c.error('ERR wrong number', 'PFDEBUG', 'GETREG');
    await c.error('ERR wrong number', 'PFDEBUG', 'GETREG', 'h', 'x');
    await c.do('SET', 'str', 'hello');
    await c.error('WRONGTYPE Key is not a valid HyperLogLog string value.', 'PFDEBUG', 'ENCODING', 'str');
    await c.error('ERR wrong number', 'PFSELFTEST', 'x');
  });

  test('errors: wrong types, not a HLL, corrupted values', async () => {
    const c = await p.client();
    await c.do('RPUSH', 'l', 'x');
    await c.error('WRONGTYPE Operation against', 'PFADD', 'l', 'a');
    await c.error('WRONGTYPE Operation against', 'PFCOUNT', 'l');
    await c.error('WRONGTYPE Operation against', 'PFCOUNT', 'missing', 'l');
    await c.error('WRONGTYPE Operation against', 'PFMERGE', 'l', 'missing');
    await c.error('WRONGTYPE Operation against', 'PFMERGE', 'd', 'l');
    await c.do('EXISTS', 'd');
    await c.do('SET', 's', 'not a hll but long enough');
    await c.do('SET', 'i', '12345');
    for (const k of ['s', 'i']) {
      await c.error('WRONGTYPE Key is not a valid HyperLogLog string value.', 'PFADD', k, 'a');
      await c.error('WRONGTYPE Key is not a valid HyperLogLog string value.', 'PFCOUNT', k);
      await c.error('WRONGTYPE Key is not a valid HyperLogLog string value.', 'PFCOUNT', k, 'missing');
      await c.error('WRONGTYPE Key is not a valid HyperLogLog string value.', 'PFMERGE', 'd', k);
    }
    await c.error('ERR wrong number', 'PFADD');
    await c.error('ERR wrong number', 'PFCOUNT');
    await c.error('ERR wrong number', 'PFMERGE');
    // a dense value of the wrong size, an unknown encoding, a short header: not HLLs
    await c.do('SET', 'd1', Buffer.concat([header(0), Buffer.alloc(100)]));
    await c.do('SET', 'd2', Buffer.concat([header(2), Buffer.from([0x7f, 0xff])]));
    await c.do('SET', 'd3', 'HYLL');
    for (const k of ['d1', 'd2', 'd3']) await c.error('WRONGTYPE Key is not a valid HyperLogLog', 'PFCOUNT', k);
    // corrupted sparse codes: too few registers, a VAL past the last one, none at all, a truncated XZERO at the
    // end (its missing byte reads as the NUL after the string: 16383 + 1 registers, valid), a VAL overrun
    const bad = [
      Buffer.concat([header(1), Buffer.from([0x7f, 0xfe])]),
      Buffer.concat([header(1), Buffer.from([0x7f, 0xff, 0x80])]),
      header(1),
      Buffer.concat([header(1), Buffer.from([0x7f, 0xfe, 0x40])]),
      Buffer.concat([header(1), Buffer.from([0x80, 0x7f, 0xfe, 0x83])]),
    ];
    for (let i = 0; i < bad.length; i++) {
      const k = `bad${i}`;
      await c.do('SET', k, bad[i]!);
      if (i !== 3) {
        await c.error('INVALIDOBJ Corrupted HLL object detected', 'PFCOUNT', k);
        await c.error('INVALIDOBJ Corrupted HLL object detected', 'PFCOUNT', k, 'missing');
        await c.error('INVALIDOBJ Corrupted HLL object detected', 'PFMERGE', 'dst', k);
      }
      await c.do('PFDEBUG', 'DECODE', k);
      const dup = `dup${i}`;
      await c.do('SET', dup, bad[i]!);
      for (const args of [['PFCOUNT', k], ['PFCOUNT', k, 'missing'], ['PFMERGE', `dst${i}`, k], ['PFDEBUG', 'GETREG', dup], ['PFDEBUG', 'TODENSE', dup], ['PFADD', k, ...elems('q', 0, 20)]]) {
        const [a, b] = await c.both(...args);
        assert.equal(a, b, args.join(' '));
      }
      await sameValue(c, k);
      await sameValue(c, dup);
      await c.do('EXISTS', `dst${i}`);
    }
    await c.do('EXISTS', 'dst');
  });

  test('crafted headers: cached values, out-of-range estimates, unused bytes', async () => {
    const c = await p.client();
    await c.do('SET', 'h', Buffer.concat([header(1, 12345n), Buffer.from([0x7f, 0xff])]));
    await c.do('PFCOUNT', 'h'); // the cache, as is
    await c.do('SET', 'h', Buffer.concat([header(1, (1n << 62n) + 7n), Buffer.from([0x7f, 0xff])]));
    await c.do('PFCOUNT', 'h');
    await c.do('PFADD', 'h', 'x');
    await c.do('PFCOUNT', 'h');
    await sameValue(c, 'h');
    // every register at 63 (or 50): the estimate overflows
    await c.do('SET', 'full', Buffer.concat([header(0), Buffer.alloc(12288, 0xff)]));
    await c.do('PFCOUNT', 'full');
    await sameValue(c, 'full');
    await c.do('PFCOUNT', 'full');
    const fifty = Buffer.alloc(12288);
    for (let i = 0; i < 12288; i += 3) { fifty[i] = 50 | (50 << 6) & 0xff; fifty[i + 1] = (50 >> 2) | ((50 << 4) & 0xff); fifty[i + 2] = (50 >> 4) | (50 << 2); }
    await c.do('SET', 'fifty', Buffer.concat([header(0), fifty]));
    await c.do('PFCOUNT', 'fifty');
    await c.do('PFCOUNT', 'fifty', 'missing');
    await c.do('PFCOUNT', 'full', 'missing');
    // unused bytes and a stale cache survive PFADD/PFMERGE as they are
    const odd = Buffer.concat([header(1), Buffer.from([0x7f, 0xff])]);
    odd[5] = 7; odd[9] = 3;
    await c.do('SET', 'odd', odd);
    await c.do('PFADD', 'odd', 'a', 'b');
    await sameValue(c, 'odd');
    await c.do('PFMERGE', 'odd', 'h');
    await sameValue(c, 'odd');
    await c.do('PFDEBUG', 'TODENSE', 'odd');
    await sameValue(c, 'odd');
    // a small HLL set by SET is embstr until PFCOUNT unshares it
    await c.do('SET', 'e', Buffer.concat([header(1, 0n), Buffer.from([0x7f, 0xff])]));
    await c.do('OBJECT', 'ENCODING', 'e');
    await c.do('PFCOUNT', 'e');
    await c.do('OBJECT', 'ENCODING', 'e');
  });

  test('PFCOUNT updating the cache touches WATCHed keys; a valid cache does not', async () => {
    const c = await p.client();
    await c.do('PFADD', 'h', 'a', 'b');
    await c.do('WATCH', 'h');
    await c.do('PFCOUNT', 'h');
    await c.do('MULTI');
    await c.do('PING');
    await c.do('EXEC'); // aborted: PFCOUNT wrote the cache
    await c.do('WATCH', 'h');
    await c.do('PFCOUNT', 'h');
    await c.do('MULTI');
    await c.do('PING');
    await c.do('EXEC');
    await c.do('WATCH', 'h');
    await c.do('PFADD', 'h', 'a');
    await c.do('MULTI');
    await c.do('PFCOUNT', 'h');
    await c.do('EXEC');
  });

  test('DUMP / RESTORE across servers', async () => {
    const c = await p.client();
    await c.do('PFADD', 'sparse', ...elems('s', 0, 200));
    await c.do('PFADD', 'dense', ...elems('d', 0, 20000));
    await c.do('PFCOUNT', 'dense');
    for (const k of ['sparse', 'dense']) {
      const ours = await c.ours.call('DUMP', k);
      const theirs = await c.theirs.call('DUMP', k);
      const ourPayload = Buffer.from(parseReply(ours) as string, 'latin1');
      const theirPayload = Buffer.from(parseReply(theirs) as string, 'latin1');
      // each server restores the other's payload
      assert.equal(await c.ours.call('RESTORE', `${k}2`, '0', theirPayload), '+OK\r\n');
      assert.equal(await c.theirs.call('RESTORE', `${k}2`, '0', ourPayload), '+OK\r\n');
      await sameValue(c, `${k}2`);
      await c.do('PFCOUNT', `${k}2`);
      await c.do('PFADD', `${k}2`, 'more', 'elements');
      await sameValue(c, `${k}2`);
      await c.do('PFCOUNT', `${k}2`, k);
    }
  });

  test('PFSELFTEST', async () => {
    const c = await p.client();
    // 10M elements: about a second here, more on a loaded machine
    c.ours.send('PFSELFTEST');
    c.theirs.send('PFSELFTEST');
    const [a, b] = await Promise.all([c.ours.read(60000), c.theirs.read(60000)]);
    assert.equal(a, '+OK\r\n');
    assert.equal(b, '+OK\r\n');
  });
});

describe('hyperloglog on a replica of redis-server', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  /** Poll until fn is true (bounded). */
  async function until(what: string, fn: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!(await fn())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('Nodis replicates HLL writes byte for byte; PFCOUNT works on the read-only replica, writes are refused', async () => {
    const c = await p.client();
    const master = c.theirs;
    const replica = c.ours;
    await master.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    await master.call('PFADD', 'h', ...elems('a', 0, 100));
    await master.call('PFADD', 'd', ...elems('b', 0, 3000));
    try {
      assert.equal(await replica.call('REPLICAOF', '127.0.0.1', String(p.redis.port)), '+OK\r\n');
      await until('the sync', async () => (await replica.call('INFO', 'replication')).includes('master_link_status:up')
        && (await replica.call('EXISTS', 'd')) === ':1\r\n');
      for (const k of ['h', 'd']) assert.equal(await replica.call('GET', k), await master.call('GET', k));
      // the cache is stale on both: the replica computes it (a local write of the header) and answers
      const count = await replica.call('PFCOUNT', 'h');
      assert.match(count, /^:\d+\r\n$/);
      assert.equal(count, await master.call('PFCOUNT', 'h')); // the master's PFCOUNT reaches the replica too
      assert.equal(await replica.call('PFCOUNT', 'd', 'h'), await master.call('PFCOUNT', 'd', 'h'));
      for (const args of [['PFADD', 'h', 'x'], ['PFMERGE', 'h', 'd'], ['PFDEBUG', 'TODENSE', 'h']]) {
        assert.match(await replica.call(...args), /^-READONLY /, args.join(' '));
      }
      // writes on the master arrive and leave the same bytes
      await master.call('PFADD', 'h', ...elems('c', 0, 2000));
      await master.call('PFMERGE', 'm', 'h', 'd');
      await master.call('PFDEBUG', 'GETREG', 'h');
      await master.call('SET', 'done', '1');
      await until('the writes', async () => (await replica.call('EXISTS', 'done')) === ':1\r\n');
      for (const k of ['h', 'd', 'm']) assert.equal(await replica.call('GET', k), await master.call('GET', k), k);
      assert.equal(await replica.call('STRLEN', 'h'), ':12304\r\n'); // dense now (PFDEBUG itself is a write: refused here)
    } finally {
      await replica.call('REPLICAOF', 'NO', 'ONE');
    }
  });
});
