/*
 * Persistence failures as redis-server reports them, seen from outside (a real
 * nodis-server process, its stdout read as Redis's test suite reads it):
 * - a bad AOF manifest or AOF file: Redis's lines, each exactly once, then
 *   exit 1 (no extra "Fatal error ..." line repeating the text);
 * - a corrupt dump.rdb: the checksum line, rdbReportError's "Internal error
 *   in RDB reading offset ... -> RDB CRC error", "Terminating server ...";
 * - an AOF replaying RPUSH after a past PEXPIREAT on the same key: nothing
 *   expires while loading, the key is gone after the load;
 * - the child process of BGSAVE / BGREWRITEAOF (job-child.ts): a child of the
 *   server, its pid in the log, total_forks; killing it fails the job as in
 *   Redis (MISCONF after a failed BGSAVE, a failed rewrite keeps its incr
 *   file in the manifest); it goes away with a SIGKILLed server;
 * - CONFIG SET aof-disable-auto-gc no deletes the history files at once;
 *   DEBUG AOF-FLUSH-SLEEP.
 * Every wait is bounded; each server's directory is removed when it exits.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort, waitForPing, bounded } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp-client.js';
import { until } from '../helpers/persist.js';

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
    // the error is the last line (Redis's test suite reads it with tail -1)
    assert.match(log.trimEnd().split('\n').at(-1)!, /# Bad file format reading the append only file/);
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
    // in this order; redis-check-rdb's report of the file comes between the last two, as in Redis
    const lines = log.trimEnd().split('\n');
    const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
    const crc = at(/# Wrong RDB checksum expected: \([0-9a-f]+\) but got \(30307261626f6f66\)\. Aborting now\.$/);
    const internal = at(/# Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> RDB CRC error$/);
    const end = at(/# Terminating server after rdb file reading failure\.$/);
    assert.ok(crc >= 0 && internal === crc + 1 && end > internal, log);
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

/** INFO field */
async function info(c: RawClient, field: string): Promise<string> {
  const m = new RegExp(`\r\n${field}:([^\r]*)\r\n`).exec(await c.call('INFO', 'all'));
  return m ? m[1]! : '';
}

/** the parent pid of a process (Linux /proc), or -1 when it is gone */
function ppidOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch { return -1; }
}

/** a pid is gone (or a zombie nobody reaps: not ours) */
function gone(pid: number): boolean {
  try { return readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.startsWith('Z'); } catch { return true; }
}

describe('the child process of background jobs', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  test('BGSAVE: a child of the server named in the log; kill -9 fails the save and writes get MISCONF', async () => {
    const s = await spawnServer(['--save', '900 1', '--enable-debug-command', 'yes']);
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      try {
        await c.call('DEBUG', 'POPULATE', '100');
        await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
        assert.equal(await c.call('BGSAVE'), '+Background saving started\r\n');
        const m = /Background saving started by pid (\d+)/.exec(s.log());
        assert.ok(m, s.log());
        const pid = Number(m[1]);
        assert.notEqual(pid, s.proc.pid);
        assert.equal(ppidOf(pid), s.proc.pid);
        assert.equal(await info(c, 'total_forks'), '1');
        assert.equal(await info(c, 'rdb_bgsave_in_progress'), '1');
        process.kill(pid, 'SIGKILL');
        await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '0', 10000);
        assert.equal(await info(c, 'rdb_last_bgsave_status'), 'err');
        assert.match(s.log(), /# Background saving terminated by signal 9\n/);
        assert.equal(readdirSync(s.dir).filter((f) => f.startsWith('temp-')).length, 0);
        assert.match(await c.call('SET', 'x', 'y'), /^-MISCONF /);
        assert.equal(await c.call('GET', 'key:1'), '$7\r\nvalue:1\r\n');
        // a save that ends normally lets its child go
        await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
        assert.equal(await c.call('BGSAVE'), '+Background saving started\r\n');
        await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '0', 10000);
        assert.equal(await info(c, 'rdb_last_bgsave_status'), 'ok');
        const pid2 = Number([...s.log().matchAll(/Background saving started by pid (\d+)/g)].at(-1)![1]);
        await until(() => gone(pid2), 10000);
        assert.equal(await c.call('SET', 'x', 'y'), '+OK\r\n');
      } finally { c.close(); }
    } finally { await stop(s); }
  });

  test('BGREWRITEAOF: kill -9 of its child fails the rewrite, the new incr file stays; the next one succeeds', async () => {
    const s = await spawnServer([...AOF, '--enable-debug-command', 'yes']);
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      const manifest = (): string => readFileSync(join(s.dir, MANIFEST), 'latin1');
      try {
        await c.call('SET', 'k', 'v');
        await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
        assert.match(await c.call('BGREWRITEAOF'), /^\+Background append only file rewriting started/);
        const m = /Background append only file rewriting started by pid (\d+)/.exec(s.log());
        assert.ok(m, s.log());
        const pid = Number(m[1]);
        assert.equal(ppidOf(pid), s.proc.pid);
        assert.equal(await info(c, 'aof_rewrite_in_progress'), '1');
        process.kill(pid, 'SIGKILL');
        await until(async () => (await info(c, 'aof_rewrite_in_progress')) === '0', 10000);
        assert.match(s.log(), /# Background AOF rewrite terminated by signal 9\n/);
        assert.equal(await info(c, 'aof_last_bgrewrite_status'), 'err');
        assert.equal(await info(c, 'aof_rewrites_consecutive_failures'), '1');
        assert.equal(existsSync(join(s.dir, `temp-rewriteaof-bg-${pid}.aof`)), false);
        assert.equal(manifest(), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
        await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
        await c.call('SET', 'k2', 'v2');
        assert.match(await c.call('BGREWRITEAOF'), /^\+Background append only file rewriting started/);
        await until(async () => (await info(c, 'aof_rewrite_in_progress')) === '0', 10000);
        assert.equal(await info(c, 'aof_last_bgrewrite_status'), 'ok');
        assert.equal(manifest(), 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n');
        assert.equal(await info(c, 'total_forks'), '2');
        const digest = await c.call('DEBUG', 'DIGEST');
        assert.equal(await c.call('DEBUG', 'LOADAOF'), '+OK\r\n');
        assert.equal(await c.call('DEBUG', 'DIGEST'), digest);
      } finally { c.close(); }
    } finally { await stop(s); }
  });

  test('a SIGKILLed server leaves no child behind', async () => {
    const s = await spawnServer(['--enable-debug-command', 'yes']);
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      await c.call('DEBUG', 'POPULATE', '10');
      await c.call('CONFIG', 'SET', 'rdb-key-save-delay', '10000000');
      await c.call('BGSAVE');
      c.close();
      const pid = Number(/Background saving started by pid (\d+)/.exec(s.log())![1]);
      assert.equal(ppidOf(pid), s.proc.pid);
      s.proc.kill('SIGKILL');
      await bounded(s.exit, 10000);
      await until(() => gone(pid), 10000);
    } finally { await stop(s); }
  });

  test('CONFIG SET aof-disable-auto-gc no deletes the history files now', async () => {
    const s = await spawnServer([...AOF]);
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      const manifest = (): string => readFileSync(join(s.dir, MANIFEST), 'latin1');
      try {
        await c.call('CONFIG', 'SET', 'aof-disable-auto-gc', 'yes');
        await c.call('BGREWRITEAOF');
        await until(async () => (await info(c, 'aof_rewrite_in_progress')) === '0' && manifest().includes('seq 2 type b'), 10000);
        assert.equal(manifest(), 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.1.base.rdb seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
        assert.equal(existsSync(join(s.dir, 'appendonlydir/appendonly.aof.1.base.rdb')), true);
        assert.equal(await c.call('CONFIG', 'SET', 'aof-disable-auto-gc', 'no'), '+OK\r\n');
        assert.equal(manifest(), 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
        await until(() => !existsSync(join(s.dir, 'appendonlydir/appendonly.aof.1.base.rdb')) && !existsSync(join(s.dir, INCR)), 10000);
      } finally { c.close(); }
    } finally { await stop(s); }
  });

  test('DEBUG AOF-FLUSH-SLEEP: a write reply still comes after its AOF write', async () => {
    const s = await spawnServer([...AOF, '--enable-debug-command', 'yes', '--appendfsync', 'always']);
    try {
      await waitForPing(s.port, 20000);
      const c = await RawClient.connect(s.port);
      try {
        assert.equal(await c.call('DEBUG', 'AOF-FLUSH-SLEEP', '200000'), '+OK\r\n');
        assert.match(await c.call('DEBUG', 'AOF-FLUSH-SLEEP'), /^-ERR unknown subcommand or wrong number of arguments for 'AOF-FLUSH-SLEEP'/);
        const size = (): number => readFileSync(join(s.dir, INCR)).length;
        const before = size();
        const t0 = Date.now();
        assert.equal(await c.call('INCR', 'n'), ':1\r\n');
        assert.ok(Date.now() - t0 >= 150, 'the write slept');
        assert.ok(size() > before);
        assert.equal(await c.call('DEBUG', 'AOF-FLUSH-SLEEP', '0'), '+OK\r\n');
      } finally { c.close(); }
    } finally { await stop(s); }
  });
});
