/*
 * Corrupt DUMP payloads against real Redis (payloads from Redis's own
 * tests/integration/corrupt-dump.tcl): DEBUG SET-SKIP-CHECKSUM-VALIDATION,
 * RESTORE's answers with sanitize-dump-payload yes and no, and what a
 * corrupt value accepted without deep sanitization looks like to commands
 * that do not read it (TYPE, OBJECT ENCODING, DUMP, DEL). Reading it is
 * where Redis crashes; Nodis fails the command, logs Redis's crash lines
 * once, and goes on (tested on Nodis alone).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const hex = (s: string): string => Buffer.from(s.replace(/\s+/g, ''), 'hex').toString('latin1');

/** Payloads Redis answers (it does not crash on RESTORE), with the sanitize modes to try. */
const PAYLOADS: Record<string, string> = {
  // hash ziplist, an entry's length reaching past the end
  zlHashBadLen: '0d1b1b00000016000000040000026100040262000414630004026400ff0900d910549215f55f52',
  // quicklist of a ziplist whose count is wrong
  qlWrongCount: '0e0113130000000e00000003000002610004026200ff09004de20a2f0825df91',
  // quicklist 2, a listpack whose first entry is the terminator
  qlLpEof: '1201020b0b0000000100816102ffff0a007ed8de5b0dd770b8',
  // hash listpack with a duplicate field
  lpHashDup: '101717000000040082610003826200038261000382640003ff0a00c0cfa687e5a7c5be',
  // plain hash with a duplicate field
  hashDup: '040201610162016101640900c69cabbc086b0c06',
  // empty zipmap
  zipmapEmpty: '090200ff0900c0f1b8674c16ace3',
  // set whose length byte is an encoded-value byte (rdbLoadLen reads 0)
  setLenEncoded: '02c0c006025f39c002025f33c000025f31c004c008025f37025f350900c5d46dbaad14b7e7',
  // set with an LZF string whose lengths read into the footer
  lzfBad: '0203025f31c002c3000900e6dc7644ffeb3dfe',
  // old zset with a score that is not a number
  zsetBadDouble: '030111110000000a000000010000d0071ae902ff09001a06073241283a46',
  // zset with a NaN score
  zsetNan: '050a025f390000000000002240c0080000000000002040025f370000000000001c40c0060000000000001840025f350000000000001440c0040000000000001040025f330000000000000840c0020000000000000040025f31000000000055f07fc00000000000000000000a00ec9486d8fd5c5fd8',
  // stream with two consumers of the same name
  streamDupConsumers: '0f0000000001076d7967726f757000000002046e616d652a4caa9a7d01000000046e616d652b4caa9a7d010000000a00cced8ca762eec7c8',
  // old-format stream whose entries' lp-count is wrong (Redis asserts when reading it)
  streamLpCount: '0f011000000173dedf7d9b00000000000000004042420000001800030100010201846974656d058576616c75650600010201000100010101000156010201220100010101825f3103050102012c010001010102010501ff038100000173dedf7dc70001076d7967726f75708100000173dedf7d9b000100000173dedf7d9b0000000000000000f97ddfde73010000010105416c696365eb7ddfde730100000100000173dedf7d9b00000000000000000900b2a8a75f1b6172d5',
};

async function sanitize(c: PairClient, mode: 'yes' | 'no'): Promise<void> {
  await c.do('CONFIG', 'SET', 'sanitize-dump-payload', mode);
  await c.do('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', 1);
}

describe('corrupt DUMP payloads', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('DEBUG SET-SKIP-CHECKSUM-VALIDATION', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'value');
    const payload = parseReply(await c.theirs.call('DUMP', 'k')) as string;
    const bad = payload.slice(0, -1) + String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1);
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE', 'x', 0, bad);
    await c.do('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', 1);
    await c.do('RESTORE', 'x', 0, bad);
    await c.do('GET', 'x');
    // the version is still checked
    const newer = Buffer.from(bad, 'latin1');
    newer[newer.length - 10] = 11;
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE', 'y', 0, newer.toString('latin1'));
    await c.do('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', 0);
    await c.error('ERR DUMP payload version or checksum are wrong', 'RESTORE', 'y', 0, bad);
    await c.error('ERR unknown subcommand', 'DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION');
  });

  for (const mode of ['yes', 'no'] as const) {
    test(`RESTORE answers as Redis with sanitize-dump-payload ${mode}`, async () => {
      const c = await p.client();
      await sanitize(c, mode);
      for (const [name, h] of Object.entries(PAYLOADS)) {
        const [ours, theirs] = await c.both('RESTORE', name, 0, hex(h));
        assert.equal(ours, theirs, `${name} (sanitize ${mode})`);
        await c.do('PING');
      }
      await c.do('DBSIZE');
    });
  }

  test('an accepted corrupt value: TYPE, OBJECT ENCODING, DUMP (its bytes), EXISTS, RENAME, DEL as Redis', async () => {
    const c = await p.client();
    await sanitize(c, 'no');
    for (const name of ['qlLpEof', 'lpHashDup', 'hashDup', 'streamLpCount']) {
      const payload = hex(PAYLOADS[name]!);
      await c.do('RESTORE', name, 0, payload);
      await c.do('TYPE', name);
      await c.do('OBJECT', 'ENCODING', name);
      // Redis re-encodes a plain hash as a listpack and an old stream in the new format; Nodis keeps the bytes it got
      if (name === 'qlLpEof' || name === 'lpHashDup') await c.do('DUMP', name);
      await c.do('EXISTS', name);
      await c.do('RENAME', name, `${name}:2`);
      await c.do('RESTORE', name, 0, payload, 'REPLACE');
      await c.do('DEL', name, `${name}:2`);
    }
  });
});

describe('reading a corrupt value (Nodis only: Redis crashes)', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('the command fails, the crash lines are logged once, the server goes on', async () => {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-corrupt-')), 'log.txt');
    p.nodis.server.log.file = log;
    p.nodis.server.log.level = 'verbose';
    const c = await p.client();
    await sanitize(c, 'no');
    await c.ours.call('RESTORE', 'l', 0, hex(PAYLOADS['qlLpEof']!));
    const err = 'ERR Corrupt value (loaded without deep sanitization, see sanitize-dump-payload): delete or overwrite the key';
    assert.equal(await c.ours.call('LPOP', 'l'), `-${err}\r\n`);
    assert.equal(await c.ours.call('LRANGE', 'l', 0, -1), `-${err}\r\n`);
    assert.equal(parseReply(await c.ours.call('TYPE', 'l')), 'list');
    // moving into it fails before the source loses anything
    await c.ours.call('RPUSH', 'src', 'a', 'b');
    assert.equal(await c.ours.call('LMOVE', 'src', 'l', 'RIGHT', 'LEFT'), `-${err}\r\n`);
    assert.equal(await c.ours.call('RPOPLPUSH', 'src', 'l'), `-${err}\r\n`);
    assert.deepEqual(parseReply(await c.ours.call('LRANGE', 'src', 0, -1)), ['a', 'b']);
    // MULTI/EXEC: the failing command's reply only
    await c.ours.call('MULTI');
    await c.ours.call('LLEN', 'l');
    await c.ours.call('PING');
    const exec = await c.ours.call('EXEC');
    assert.ok(exec.startsWith(`*2\r\n-${err}\r\n+PONG\r\n`), JSON.stringify(exec));
    assert.equal(parseReply(await c.ours.call('DEL', 'l')), 1);
    const text = fs.readFileSync(log, 'latin1');
    // one line for the value, naming where redis-server would stop; no crash banner (nothing crashed)
    assert.equal(text.split('redis-server would stop here').length - 1, 1, text);
    assert.doesNotMatch(text, /ASSERTION FAILED|Guru Meditation/);
    assert.match(text, /redis-server would stop here \(assertion listpack\.c:1276 'lpValidateNext\(lp, &p, lpbytes\)'\)/);
    assert.match(text, /Corrupt list value \(Listpack integrity check failed\.\) read by 'lpop'/);
    // a payload Redis itself refuses logs its reason at verbose level, as Redis
    await c.ours.call('RESTORE', 'z', 0, hex(PAYLOADS['zlHashBadLen']!));
    assert.match(fs.readFileSync(log, 'latin1'), /- Internal error in RDB reading offset 0, function at rdb\.c:2273 -> Hash ziplist integrity check failed\./);
    p.nodis.server.log.file = '';
  });
});
