/*
 * Persistence failures as redis-server reports them, seen from outside (a real
 * nodis-server process, its stdout read as Redis's test suite reads it):
 * - a bad AOF manifest or AOF file: Redis's lines, each exactly once, then
 *   exit 1 (no extra "Fatal error ..." line repeating the text);
 * - a corrupt dump.rdb: the checksum line, rdbReportError's "Internal error
 *   in RDB reading offset ... -> RDB CRC error", "Terminating server ...";
 * - an AOF replaying RPUSH after a past PEXPIREAT on the same key: nothing
 *   expires while loading, the key is gone after the load.
 * Every wait is bounded; each server's directory is removed when it exits.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort, waitForPing } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';

const BIN = resolve('bin/nodis-server');

interface Proc { proc: ChildProcess; port: number; dir: string; log: () => string; exit: Promise<{ code: number | null; signal: string | null }> }

/** nodis-server in a fresh dir holding `files` (paths relative to the dir). */
async function spawnServer(args: string[], files: Record<string, string | Buffer> = {}, keepDir = false): Promise<Proc> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-plog-'));
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const proc = spawn(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => proc.once('exit', (code, signal) => {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
    r({ code, signal });
  }));
  return { proc, port, dir, log: () => out, exit };
}

function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, rej) => { timer = setTimeout(() => rej(new Error(`not within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function stop(p: Proc): Promise<void> {
  if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  await p.exit;
}

/** lines of the log containing `s` (count_message_lines) */
const count = (log: string, s: string): number => log.split('\n').filter((l) => l.includes(s)).length;

const cmd = (...a: string[]): string => `*${a.length}\r\n${a.map((x) => `$${x.length}\r\n${x}\r\n`).join('')}`;
const AOF = ['--appendonly', 'yes', '--auto-aof-rewrite-percentage', '0'];
const MANIFEST = 'appendonlydir/appendonly.aof.manifest';
const BASE = 'appendonlydir/appendonly.aof.1.base.aof';
const INCR = 'appendonlydir/appendonly.aof.1.incr.aof';

/** Start with these files, expect exit 1; returns the log. */
async function failsToStart(args: string[], files: Record<string, string | Buffer>): Promise<string> {
  const s = await spawnServer(args, files);
  try {
    const r = await bounded(s.exit, 20000);
    assert.equal(r.code, 1, s.log());
    return s.log();
  } finally { await stop(s); }
}

describe('persistence failures in the log', () => {
  const goodFiles = { [BASE]: cmd('SET', 'k1', 'v1'), [INCR]: cmd('SET', 'k2', 'v2') };
  const manifestCases: [string, string, string][] = [
    ['non-monotonic incr seq', 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.2.incr.aof seq 3 type i\nfile appendonly.aof.1.incr.aof seq 2 type i\n', 'Found a non-monotonic sequence number'],
    ['blank line', 'file appendonly.aof.1.base.aof seq 1 type b\n\nfile appendonly.aof.1.incr.aof seq 1 type i\n', 'Invalid AOF manifest file format'],
    ['duplicate base', 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.base.aof seq 1 type b\n', 'Found duplicate base file information'],
    ['unknown type', 'file appendonly.aof.1.base.aof seq 1 type x\n', 'Unknown AOF file type'],
    ['line too long', `file appendonly.aof.1.base.aof seq 1 type b ${'a'.repeat(1100)}\n`, 'The AOF manifest file contains too long line'],
    ['empty manifest', '', 'Found an empty AOF manifest'],
  ];
  for (const [what, manifest, line] of manifestCases) {
    test(`manifest error (${what}): "${line}" logged once, FATAL banner once, exit 1`, async () => {
      const log = await failsToStart(AOF, { ...goodFiles, [MANIFEST]: manifest });
      assert.equal(count(log, line), 1, log);
      assert.equal(count(log, '*** FATAL AOF MANIFEST FILE ERROR ***'), 1, log);
      assert.equal(count(log, 'Fatal error'), 0, log);
    });
  }

  test('bad AOF format: Redis\'s line once, nothing repeating it', async () => {
    const log = await failsToStart(AOF, {
      ...goodFiles, [INCR]: cmd('SET', 'k2', 'v2') + '!!!garbage\r\n',
      [MANIFEST]: 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    });
    assert.equal(count(log, 'Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>'), 1, log);
    assert.equal(count(log, 'Bad file format'), 1, log);
  });

  test('unknown command in the AOF: logged once', async () => {
    const log = await failsToStart(AOF, {
      ...goodFiles, [INCR]: cmd('BLA', 'x'),
      [MANIFEST]: 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    });
    assert.equal(count(log, "Unknown command 'BLA' reading the append only file appendonly.aof.1.incr.aof"), 1, log);
    assert.equal(count(log, 'Unknown command'), 1, log);
  });

  test('a file listed in the manifest is missing: the stat line once', async () => {
    const log = await failsToStart(AOF, {
      [BASE]: cmd('SET', 'k1', 'v1'),
      [MANIFEST]: 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    });
    assert.equal(count(log, 'appendonly.aof.1.incr.aof'), 1, log);
    assert.match(log, /Unable to obtain the AOF file appendonly\.aof\.1\.incr\.aof length\. stat: No such file or directory/);
  });

  test('dump.rdb with a bad CRC: the checksum line, rdbReportError\'s "RDB CRC error" line, "Terminating server ..."', async () => {
    // a saved dump.rdb from a first server
    const a = await spawnServer([], {}, true);
    let rdb: Buffer;
    try {
      await waitForPing(a.port, 20000);
      const c = await RawClient.connect(a.port);
      await c.call('SET', 'a', 'b');
      assert.equal(await c.call('SAVE'), '+OK\r\n');
      c.close();
      rdb = readFileSync(join(a.dir, 'dump.rdb'));
    } finally { await stop(a); rmSync(a.dir, { recursive: true, force: true }); }
    Buffer.from('foobar00', 'latin1').copy(rdb, rdb.length - 8);
    const log = await failsToStart([], { 'dump.rdb': rdb });
    const lines = log.trimEnd().split('\n');
    assert.match(lines.at(-3)!, /# Wrong RDB checksum expected: \([0-9a-f]+\) but got \(30307261626f6f66\)\. Aborting now\.$/);
    assert.match(lines.at(-2)!, /# Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> RDB CRC error$/);
    assert.match(lines.at(-1)!, /# Terminating server after rdb file reading failure\.$/);
  });

  test('a truncated dump.rdb: "Short read ..." and the "Unexpected EOF" report', async () => {
    const log = await failsToStart([], { 'dump.rdb': Buffer.from('REDIS0010\xfa\x09redis-ver', 'latin1') });
    assert.equal(count(log, 'Short read or OOM loading DB. Unrecoverable error, aborting now.'), 1, log);
    assert.match(log, /Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> Unexpected EOF reading RDB file\n/);
  });

  test('a file that is not an RDB: the signature line, then "Fatal error loading the DB: Invalid argument. Exiting."', async () => {
    const log = await failsToStart([], { 'dump.rdb': 'hello world, not an rdb' });
    const lines = log.trimEnd().split('\n');
    assert.match(lines.at(-2)!, /# Wrong signature trying to load DB from file$/);
    assert.match(lines.at(-1)!, /# Fatal error loading the DB: Invalid argument\. Exiting\.$/);
  });

  test('AOF: RPUSH after a past PEXPIREAT on the same key is replayed onto the kept key, which expires after the load', async () => {
    const s = await spawnServer(['--appendonly', 'yes', '--aof-load-truncated', 'no'], {
      'appendonly.aof': cmd('RPUSH', 'list', 'foo') + cmd('PEXPIREAT', 'list', '1000') + cmd('RPUSH', 'list', 'bar')
        + cmd('SET', 'other', 'x') + cmd('PEXPIREAT', 'other', '1000') + cmd('SET', 'kept', 'y'),
    });
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      try {
        assert.equal(await c.call('LLEN', 'list'), ':0\r\n');
        assert.equal(await c.call('EXISTS', 'other'), ':0\r\n');
        assert.equal(await c.call('GET', 'kept'), '$1\r\ny\r\n');
      } finally { c.close(); }
    } finally { await stop(s); }
  });
});
