/*
 * Streams through persistence, against real Redis 7.0:
 *  - DUMP payloads byte-identical to Redis's for streams built the same way
 *    (node splits, SAMEFIELDS and not, deleted entries, trims, XSETID,
 *    groups without consumers), and still identical after more XADDs on a
 *    restored copy (the node sizes survive loading);
 *  - RESTORE both ways (Redis payload into Nodis, Nodis payload into Redis
 *    with sanitize-dump-payload yes) with consumers and PELs: XINFO STREAM
 *    FULL and DEBUG DIGEST-VALUE identical;
 *  - DEBUG RELOAD, SAVE files read by redis-check-rdb and redis-server,
 *    Redis's dump.rdb loaded by Nodis at start-up, BGSAVE while streams are
 *    being changed (the file holds the values at BGSAVE time);
 *  - AOF rewrite (no RDB preamble): the rewritten base, reloaded with DEBUG
 *    LOADAOF, rebuilds what Redis's rebuilds (times masked).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { usePair, type PairClient } from '../helpers/pair.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { skipWithoutRedis, startNodis, startRedis } from '../helpers/servers.js';

type Cmd = (string | number)[];

const val = (i: number): string => (i % 5 === 0 ? String(i * 1000003) : i % 7 === 0 ? 'v'.repeat(70 + i) : `v${i}`);

/** Commands building deterministic streams (explicit IDs, no consumers). */
function builds(): Cmd[] {
  const out: Cmd[] = [];
  for (let i = 1; i <= 40; i++) out.push(['XADD', 'a', `${i}-${i % 3}`, 'f', val(i), ...(i % 4 === 0 ? ['extra', String(-i)] : ['g', 'x'])]);
  out.push(['XDEL', 'a', '1-1', '5-2', '6-0', '20-2', '21-0']);
  out.push(['XADD', 'b', '18446744073709551614-18446744073709551615', 'k', 'v']);
  out.push(['XADD', 'b', '18446744073709551615-0', 'k', 'w']);
  out.push(['XADD', 'b', '18446744073709551615-3', 'other', '-9223372036854775808', 'n', '9223372036854775807']);
  for (let i = 1; i <= 30; i++) out.push(['XADD', 't', `${i * 1000}-0`, 'f', val(i)]);
  out.push(['XTRIM', 't', 'MAXLEN', '~', '17']);
  out.push(['XTRIM', 't', 'MINID', '19000']);
  out.push(['XADD', 'e', '5-5', 'a', 'b']);
  out.push(['XDEL', 'e', '5-5']);
  out.push(['XSETID', 'e', '9-9', 'ENTRIESADDED', '12', 'MAXDELETEDID', '7-0']);
  out.push(['XGROUP', 'CREATE', 'a', 'g2', '10-1', 'ENTRIESREAD', '9']);
  out.push(['XGROUP', 'CREATE', 'a', 'g1', '$']);
  out.push(['XGROUP', 'CREATE', 'e', 'z', '0']);
  out.push(['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM']);
  out.push(['XADD', 'big', '1-1', 'f', 'x'.repeat(5000)]);
  out.push(['XADD', 'big', '2-1', 'f', 'y'.repeat(300)]);
  return out;
}

/** Consumers and PELs (times differ between the servers). */
function groupWork(): Cmd[] {
  return [
    ['XGROUP', 'CREATE', 'a', 'cg', '0'],
    ['XREADGROUP', 'GROUP', 'cg', 'alice', 'COUNT', '4', 'STREAMS', 'a', '>'],
    ['XREADGROUP', 'GROUP', 'cg', 'bob', 'COUNT', '3', 'STREAMS', 'a', '>'],
    ['XGROUP', 'CREATECONSUMER', 'a', 'cg', 'carol'],
    ['XCLAIM', 'a', 'cg', 'dave', '0', '30-0', 'FORCE', 'TIME', '1700000000000', 'RETRYCOUNT', '4'],
    ['XACK', 'a', 'cg', '2-2'],
    ['XDEL', 'a', '3-0'],
  ];
}

const KEYS = ['a', 'b', 't', 'e', 'm', 'big'];

async function run(c: PairClient, cmds: Cmd[]): Promise<void> {
  for (const cmd of cmds) await c.do(...cmd);
}

/** A side's raw reply. */
const on = (cl: RawClient, ...args: (string | number | Buffer)[]): Promise<string> => cl.call(...args);

/** Everything observable about a stream, as raw bytes (times included). */
async function state(cl: RawClient, key: string): Promise<string> {
  return (await on(cl, 'XINFO', 'STREAM', key, 'FULL')) + (await on(cl, 'DEBUG', 'DIGEST-VALUE', key)) + (await on(cl, 'XLEN', key));
}

const payload = async (cl: RawClient, key: string): Promise<Buffer> => Buffer.from(parseReply(await on(cl, 'DUMP', key)) as string, 'latin1');

function mkTemp(): string { return fs.mkdtempSync(path.join(os.tmpdir(), 'nodis-stream-')); }

async function waitFor(cl: RawClient, field: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = parseReply(await on(cl, 'INFO', 'persistence')) as string;
    if (info.includes(`${field}:0`)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${field} never went to 0`);
}

describe('streams: DUMP / RESTORE / RDB / AOF', { skip: skipWithoutRedis() }, () => {
  const p = usePair({ redis: ['sanitize-dump-payload yes'] });

  test('DUMP is byte-identical to Redis, also after XADDs on restored copies', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '7');
    await run(c, builds());
    for (const k of KEYS) await c.do('DUMP', k);
    await c.do('CONFIG', 'SET', 'rdbcompression', 'no');
    for (const k of KEYS) await c.do('DUMP', k);
    await c.do('CONFIG', 'SET', 'rdbcompression', 'yes');
    // swap payloads: each side restores the other's, then both grow the copies alike
    for (const k of KEYS) {
      const [po, pt] = await Promise.all([payload(c.ours, k), payload(c.theirs, k)]);
      assert.equal(await on(c.ours, 'RESTORE', `${k}:x`, 0, pt), '+OK\r\n');
      assert.equal(await on(c.theirs, 'RESTORE', `${k}:x`, 0, po), '+OK\r\n');
    }
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '5');
    for (const k of KEYS) {
      if (k === 'b') continue; // its last ID is the greatest
      for (let i = 1; i <= 12; i++) await c.do('XADD', `${k}:x`, `${1000000 + i}-0`, 'f', val(i), 'g', 'x');
      await c.do('DUMP', `${k}:x`);
    }
  });

  test('RESTORE both ways keeps groups, consumers and PELs', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '6');
    await run(c, builds());
    await run(c, groupWork());
    for (const k of KEYS) {
      const [po, pt] = await Promise.all([payload(c.ours, k), payload(c.theirs, k)]);
      assert.equal(await on(c.ours, 'RESTORE', `${k}:r`, 0, pt), '+OK\r\n');
      assert.equal(await on(c.theirs, 'RESTORE', `${k}:r`, 0, po), '+OK\r\n');
      assert.equal(await state(c.ours, `${k}:r`), await state(c.theirs, k), `Redis's ${k} restored into Nodis`);
      assert.equal(await state(c.theirs, `${k}:r`), await state(c.ours, k), `Nodis's ${k} restored into Redis`);
    }
    // the restored copies behave alike
    await c.do('XREADGROUP', 'GROUP', 'cg', 'erin', 'COUNT', '3', 'STREAMS', 'a:r', '>');
    await c.do('XACK', 'a:r', 'cg', '4-1', '7-1');
    await c.do('XRANGE', 'a:r', '-', '+');
  });

  test('DEBUG RELOAD, SAVE read by redis-check-rdb and redis-server, and back', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '4');
    await run(c, builds());
    await run(c, groupWork());
    const before = await Promise.all(KEYS.map((k) => state(c.ours, k)));
    assert.equal(await on(c.ours, 'DEBUG', 'RELOAD'), '+OK\r\n');
    assert.deepEqual(await Promise.all(KEYS.map((k) => state(c.ours, k))), before);

    // Nodis's file into redis-check-rdb and redis-server
    assert.equal(await on(c.ours, 'SAVE'), '+OK\r\n');
    const tmp = mkTemp();
    try {
      fs.copyFileSync(path.join(p.nodis.server.config.str('dir'), 'dump.rdb'), path.join(tmp, 'dump.rdb'));
      const check = spawnSync('redis-check-rdb', [path.join(tmp, 'dump.rdb')], { encoding: 'utf8' });
      if (check.error === undefined) assert.match(check.stdout, /RDB looks OK/, check.stdout);
      const r = await startRedis([`dir ${tmp}`, 'sanitize-dump-payload yes']);
      const rc = await RawClient.connect(r.port);
      try {
        for (let i = 0; i < KEYS.length; i++) assert.equal(await state(rc, KEYS[i]!), before[i], `${KEYS[i]} in redis-server`);
      } finally { rc.close(); await r.close(); }
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }

    // Redis's file loaded by Nodis at start-up
    assert.equal(await on(c.theirs, 'SAVE'), '+OK\r\n');
    const rdir = (parseReply(await on(c.theirs, 'CONFIG', 'GET', 'dir')) as string[])[1]!;
    const theirs = await Promise.all(KEYS.map((k) => state(c.theirs, k)));
    const tmp2 = mkTemp();
    fs.copyFileSync(path.join(rdir, 'dump.rdb'), path.join(tmp2, 'dump.rdb'));
    const n = await startNodis({ dir: tmp2 });
    const nc = await RawClient.connect(n.port);
    try {
      for (let i = 0; i < KEYS.length; i++) assert.equal(await state(nc, KEYS[i]!), theirs[i], `${KEYS[i]} loaded by Nodis`);
    } finally { nc.close(); await n.close(); }
  });

  test('BGSAVE writes streams as they were when it started', async () => {
    const c = await p.client();
    const cmds: Cmd[] = [];
    for (let k = 0; k < 400; k++) {
      for (let i = 1; i <= 5; i++) cmds.push(['XADD', `s${k}`, `${i}-0`, 'f', val(i + k)]);
      cmds.push(['XGROUP', 'CREATE', `s${k}`, 'g', '0']);
      cmds.push(['XCLAIM', `s${k}`, 'g', 'c', '0', '2-0', 'FORCE', 'TIME', '1700000000000']);
    }
    for (const cmd of cmds) c.ours.send(...cmd);
    for (let i = 0; i < cmds.length; i++) await c.ours.read();
    const probe = ['s0', 's133', 's399'];
    const before = await Promise.all(probe.map((k) => state(c.ours, k)));
    c.ours.send('BGSAVE');
    for (const k of probe) {
      c.ours.send('XADD', k, '9-0', 'new', 'entry');
      c.ours.send('XDEL', k, '1-0');
      c.ours.send('XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', k, '>');
      c.ours.send('XGROUP', 'SETID', k, 'g', '0');
    }
    assert.match(await c.ours.read(), /^\+Background saving started/);
    for (let i = 0; i < probe.length * 4; i++) await c.ours.read();
    await waitFor(c.ours, 'rdb_bgsave_in_progress');
    const tmp = mkTemp();
    fs.copyFileSync(path.join(p.nodis.server.config.str('dir'), 'dump.rdb'), path.join(tmp, 'dump.rdb'));
    const n = await startNodis({ dir: tmp });
    const nc = await RawClient.connect(n.port);
    try {
      assert.deepEqual(await Promise.all(probe.map((k) => state(nc, k))), before);
      assert.equal(await on(nc, 'DBSIZE'), ':400\r\n');
    } finally { nc.close(); await n.close(); }
  });
});

/** XINFO STREAM FULL with absolute times (delivery, seen) masked: AOF replay re-stamps them. */
async function masked(cl: RawClient, key: string): Promise<string> {
  const raw = await on(cl, 'XINFO', 'STREAM', key, 'FULL');
  return raw.replace(/:1[6-9]\d{11}\r\n/g, ':T\r\n') + (await on(cl, 'DEBUG', 'DIGEST-VALUE', key));
}

describe('streams: AOF rewrite', { skip: skipWithoutRedis() }, () => {
  const p = usePair({
    nodis: { appendonly: 'yes', 'aof-use-rdb-preamble': 'no' },
    redis: ['appendonly yes', 'aof-use-rdb-preamble no'],
  });

  test('BGREWRITEAOF then DEBUG LOADAOF rebuilds streams as Redis does', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'stream-node-max-entries', '5');
    await run(c, builds());
    await run(c, groupWork());
    await c.do('XGROUP', 'CREATE', 'e', 'y', '$');
    await c.do('XGROUP', 'CREATECONSUMER', 'e', 'y', 'idle');
    await c.do('BGREWRITEAOF');
    await waitFor(c.ours, 'aof_rewrite_in_progress');
    await waitFor(c.theirs, 'aof_rewrite_in_progress');
    await c.do('DEBUG', 'LOADAOF');
    for (const k of KEYS) assert.equal(await masked(c.ours, k), await masked(c.theirs, k), `stream ${k} after AOF reload`);
    await c.do('XPENDING', 'a', 'cg');
  });
});
