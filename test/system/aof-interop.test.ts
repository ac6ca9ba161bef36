/*
 * AOF interop and loading behaviour.
 * - redis-server 7.0 writes an AOF directory (appendonly yes, every type, small
 *   and large collections, expiring keys, several dbs, binary data, MULTI/EXEC,
 *   then BGREWRITEAOF and more writes), with and without the RDB preamble;
 *   Nodis loads it and every key is identical (type, contents, TTL).
 * - The reverse: an AOF directory written by Nodis passes redis-check-aof and
 *   loads into redis-server with the same data.
 * - Truncated tails (aof-load-truncated yes / no), a corrupt file, a cut
 *   MULTI, nodis-check-aof [--fix], CONFIG SET appendonly yes at runtime.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { skipWithoutRedis, startRedis, startNodis } from '../helpers/servers.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';

const CHECK = resolve('bin/nodis-check-aof');

type Call = (...a: (string | number)[]) => Promise<unknown>;
async function caller(port: number): Promise<{ call: Call; close(): void }> {
  const c = await RawClient.connect(port);
  return { call: async (...a) => parseReply(await c.call(...a)), close: () => c.close() };
}

async function fill(call: Call): Promise<void> {
  await call('SET', 'str', 'hello');
  await call('SET', 'int', '12345');
  await call('SET', 'bin\x00\xff', 'v\r\n\x00\xfe');
  await call('SET', 'big', 'x'.repeat(100000));
  await call('INCRBYFLOAT', 'flt', '1.5');
  await call('SET', 'ttl', 'v', 'EX', '1000');
  await call('RPUSH', 'list', 'a', 'b', 'c');
  await call('RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `item${i}`));
  await call('SADD', 'set', '1', '2', '3');
  await call('SADD', 'sset', 'a', 'b');
  await call('SADD', 'bigset', ...Array.from({ length: 600 }, (_, i) => `m${i}`));
  await call('ZADD', 'zset', '1.5', 'a', '-2', 'b', 'inf', 'c');
  await call('ZADD', 'bigzset', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `z${i}`]).flat());
  await call('HSET', 'hash', 'f1', 'v1', 'f2', 'v2');
  await call('HSET', 'bighash', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  await call('PEXPIRE', 'hash', '500000');
  await call('MULTI');
  await call('INCR', 'counter');
  await call('LPUSH', 'list', 'z');
  await call('EXEC');
  await call('SELECT', '3');
  await call('SET', 'db3key', 'in db 3');
  await call('SELECT', '0');
}

async function moreWrites(call: Call): Promise<void> {
  await call('INCR', 'counter');
  await call('DEL', 'str');
  await call('APPEND', 'int', '6');
  await call('SREM', 'bigset', 'm1');
  await call('SET', 'late', 'x', 'PX', '900000');
}

/** Every key of every db: type, contents, TTL bucket. */
async function snapshot(call: Call): Promise<string> {
  const out: string[] = [];
  for (let db = 0; db < 16; db++) {
    await call('SELECT', db);
    const keys = (await call('KEYS', '*') as string[]).sort();
    for (const k of keys) {
      const t = await call('TYPE', k) as string;
      let v: unknown;
      if (t === 'string') v = await call('GET', k);
      else if (t === 'list') v = await call('LRANGE', k, 0, -1);
      else if (t === 'set') v = (await call('SMEMBERS', k) as string[]).sort();
      else if (t === 'zset') v = await call('ZRANGE', k, 0, -1, 'WITHSCORES');
      else if (t === 'hash') v = (await call('HGETALL', k) as string[]).join('\x01').split('\x01');
      const pttl = await call('PTTL', k) as number;
      out.push(JSON.stringify([db, k, t, t === 'hash' ? pairsSorted(v as string[]) : v, pttl < 0 ? pttl : Math.round(pttl / 10000)]));
    }
  }
  await call('SELECT', 0);
  return out.join('\n');
}

function pairsSorted(a: string[]): string[] {
  const p: string[] = [];
  for (let i = 0; i < a.length; i += 2) p.push(`${a[i]}=${a[i + 1]}`);
  return p.sort();
}

async function waitRewrite(call: Call): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await call('INFO', 'persistence') as string;
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('rewrite did not finish');
}

describe('AOF interop with redis-server 7.0', { skip: skipWithoutRedis() }, () => {
  for (const preamble of ['yes', 'no']) {
    test(`Redis-written AOF dir (aof-use-rdb-preamble ${preamble}) loads into Nodis identically`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nodis-aof-interop-'));
      try {
        const r = await startRedis([`dir ${dir}`, 'appendonly yes', `aof-use-rdb-preamble ${preamble}`, 'aof-timestamp-enabled yes']);
        const rc = await caller(r.port);
        await fill(rc.call);
        await rc.call('BGREWRITEAOF');
        await waitRewrite(rc.call);
        await moreWrites(rc.call);
        const expected = await snapshot(rc.call);
        rc.close();
        await r.close(); // SIGKILL: the AOF as a crash leaves it (appendfsync everysec wrote it already)
        const files = readdirSync(join(dir, 'appendonlydir'));
        assert.ok(files.some((f) => f.endsWith(preamble === 'yes' ? '.base.rdb' : '.base.aof')), files.join(','));
        const n = await startNodis({ dir, appendonly: 'yes' });
        const nc = await caller(n.port);
        try {
          assert.equal(await snapshot(nc.call), expected);
        } finally {
          nc.close();
          await n.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('Nodis-written AOF dir passes redis-check-aof and loads into redis-server', async () => {
    for (const preamble of ['yes', 'no']) {
      const dir = mkdtempSync(join(tmpdir(), 'nodis-aof-rev-'));
      try {
        const n = await startNodis({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': preamble, appendfsync: 'always' });
        const nc = await caller(n.port);
        await fill(nc.call);
        assert.equal(await nc.call('BGREWRITEAOF'), 'Background append only file rewriting started');
        await waitRewrite(nc.call);
        await moreWrites(nc.call);
        const expected = await snapshot(nc.call);
        nc.close();
        await n.close();
        const manifest = join(dir, 'appendonlydir', 'appendonly.aof.manifest');
        const chk = spawnSync('redis-check-aof', [manifest], { encoding: 'latin1' });
        assert.equal(chk.status, 0, chk.stdout);
        assert.match(chk.stdout, /All AOF files and manifest are valid/);
        const r = await startRedis([`dir ${dir}`, 'appendonly yes']);
        const rc = await caller(r.port);
        try {
          assert.equal(await snapshot(rc.call), expected);
        } finally {
          rc.close();
          await r.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('AOF loading edge cases', () => {
  async function makeDir(): Promise<{ dir: string; incr: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-aof-load-'));
    const n = await startNodis({ dir, appendonly: 'yes', appendfsync: 'always' });
    const nc = await caller(n.port);
    await nc.call('SET', 'a', '1');
    await nc.call('INCR', 'a');
    nc.close();
    await n.close();
    const adir = join(dir, 'appendonlydir');
    const incr = join(adir, readdirSync(adir).find((f) => f.endsWith('.incr.aof'))!);
    return { dir, incr };
  }

  test('truncated tail: loaded and cut with aof-load-truncated yes, refused with no; nodis-check-aof --fix', async () => {
    const { dir, incr } = await makeDir();
    try {
      const good = statSync(incr).size;
      appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$2\r\nx');
      await assert.rejects(startNodis({ dir, appendonly: 'yes', 'aof-load-truncated': 'no' }), /Unexpected end of file.*appendonly\.aof\.1\.incr\.aof/);
      const manifest = join(dir, 'appendonlydir', 'appendonly.aof.manifest');
      const chk = spawnSync(process.execPath, [CHECK, manifest], { encoding: 'latin1' });
      assert.equal(chk.status, 1);
      assert.match(chk.stdout, new RegExp(`ok_up_to=${good},.*diff=${statSync(incr).size - good}`));
      const no = spawnSync(process.execPath, [CHECK, '--fix', manifest], { encoding: 'latin1', input: 'n\n' });
      assert.equal(no.status, 1);
      assert.match(no.stdout, /Continue\? \[y\/N\]: Aborting/);
      const n = await startNodis({ dir, appendonly: 'yes' });
      assert.equal(statSync(incr).size, good, 'truncated at the last complete command');
      const nc = await caller(n.port);
      assert.equal(await nc.call('GET', 'a'), '2');
      assert.equal(await nc.call('EXISTS', 'b'), 0);
      nc.close();
      await n.close();
      appendFileSync(incr, '*2\r\n$3\r\nDEL');
      const fix = spawnSync(process.execPath, [CHECK, '--fix', manifest], { encoding: 'latin1', input: 'y\n' });
      assert.equal(fix.status, 0, fix.stdout);
      assert.match(fix.stdout, /Successfully truncated AOF/);
      assert.equal(spawnSync('redis-check-aof', [manifest]).status ?? 0, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a corrupt file stops start-up naming file and offset; a cut MULTI is dropped whole', async () => {
    const { dir, incr } = await makeDir();
    try {
      const good = statSync(incr).size;
      appendFileSync(incr, 'garbage\r\n*1\r\n$4\r\nPING\r\n');
      await assert.rejects(startNodis({ dir, appendonly: 'yes' }), new RegExp(`Bad file format .*appendonly\\.aof\\.1\\.incr\\.aof at offset ${good}`));
      writeFileSync(incr, readFileSync(incr).subarray(0, good));
      appendFileSync(incr, '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nm\r\n$1\r\n1\r\n');
      const n = await startNodis({ dir, appendonly: 'yes' });
      const nc = await caller(n.port);
      assert.equal(await nc.call('EXISTS', 'm'), 0);
      assert.equal(statSync(incr).size, good);
      nc.close();
      await n.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('CONFIG SET appendonly yes at runtime starts with a rewrite; timestamps; no turns it off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-aof-rt-'));
    try {
      const n = await startNodis({ dir, 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': 'no' });
      const nc = await caller(n.port);
      await nc.call('SET', 'before', '1');
      assert.equal(await nc.call('CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
      await waitRewrite(nc.call);
      await nc.call('SET', 'after', '2');
      const info = await nc.call('INFO', 'persistence') as string;
      assert.match(info, /aof_enabled:1/);
      assert.match(info, /aof_rewrites:1/);
      const adir = join(dir, 'appendonlydir');
      const m = readFileSync(join(adir, 'appendonly.aof.manifest'), 'latin1');
      assert.match(m, /^file appendonly\.aof\.1\.base\.aof seq 1 type b\nfile appendonly\.aof\.1\.incr\.aof seq 1 type i\n$/);
      assert.match(readFileSync(join(adir, 'appendonly.aof.1.base.aof'), 'latin1'), /^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT\r\n\$1\r\n0\r\n\*3\r\n\$3\r\nSET\r\n\$6\r\nbefore/);
      assert.match(readFileSync(join(adir, 'appendonly.aof.1.incr.aof'), 'latin1'), /^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT\r\n\$1\r\n0\r\n\*3\r\n\$3\r\nSET\r\n\$5\r\nafter\r\n\$1\r\n2\r\n$/);
      assert.equal(await nc.call('CONFIG', 'SET', 'appendonly', 'no'), 'OK');
      assert.match(await nc.call('INFO', 'persistence') as string, /aof_enabled:0/);
      nc.close();
      await n.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
