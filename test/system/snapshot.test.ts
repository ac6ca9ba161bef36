/*
 * Snapshots (persistence/snapshot.ts, loading.ts): a forkless BGSAVE under a
 * heavy write load equals the dataset at its start; restart keeps data;
 * SHUTDOWN SAVE/NOSAVE; SIGTERM with save points saves; MISCONF and recovery;
 * -LOADING during a long start-up load; save points; FLUSHALL; DEBUG RELOAD.
 * Every test uses its own temp dir, removed at the end.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Server } from '../../src/server/server.js';
import { startServer } from '../../src/index.js';
import { RawClient, parseReply } from '../helpers/resp-client.js';
import { spawnOnFreePort } from '../helpers/servers.js';
import { info, startCheckingLoad, tmpDir, until } from '../helpers/persist.js';
import { keyDigest } from '../../src/commands/server/debug-ops.js';
import { loadRdbSync } from '../../src/persistence/loading.js';
import { snapshotState } from '../../src/persistence/snapshot.js';

/** per db: key -> digest of value + expire */
function dataset(server: Server): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const db of server.dbs) {
    if (db.size === 0) continue;
    const m = new Map<string, string>();
    for (const k of [...db.keys()]) {
      const v = db.peek(k)!;
      m.set(k, `${keyDigest(db, k, v).toString('hex')}|${db.getExpire(k)}`);
    }
    out.set(db.id, m);
  }
  return out;
}

function loadFile(file: string): Map<number, Map<string, string>> {
  const s = new Server({ save: '', loglevel: 'warning' });
  assert.equal(loadRdbSync(s, file, false), true);
  return dataset(s);
}

function sameDataset(a: Map<number, Map<string, string>>, b: Map<number, Map<string, string>>): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'same dbs');
  for (const [id, ma] of a) {
    const mb = b.get(id)!;
    assert.equal(mb.size, ma.size, `db ${id} size`);
    let diffs = 0;
    for (const [k, v] of ma) if (mb.get(k) !== v) { if (diffs++ < 5) assert.fail(`db ${id} key ${JSON.stringify(k)}: ${mb.get(k)} != ${v}`); }
  }
}

/** Fill with `n` keys of every type through the commands (pipelined). */
async function populate(c: RawClient, n: number): Promise<void> {
  const batch = 5000;
  for (let i = 0; i < n; i += batch) {
    let sent = 0;
    for (let j = i; j < Math.min(n, i + batch); j++) {
      const k = `k:${j}`;
      switch (j % 8) {
        case 0: c.send('SET', k, `v${j}`); break;
        case 1: c.send('SET', k, j); break;
        case 2: c.send('RPUSH', k, 'a', 'b', j); break;
        case 3: c.send('HSET', k, 'f1', 'x', 'f2', j); break;
        case 4: c.send('SADD', k, 'm1', 'm2', j); break;
        case 5: c.send('ZADD', k, 1, 'a', 2, `b${j}`); break;
        case 6: c.send('SET', k, 'ttl', 'EX', 100000); break;
        default: c.send('SETRANGE', k, 3, `raw${j}`); break;
      }
      sent++;
    }
    for (let r = 0; r < sent; r++) await c.read();
  }
  const cmds: (string | number)[][] = [];
  for (let j = 0; j < 300; j++) cmds.push(['HSET', 'big:hash', `f${j}`, 'v'.repeat(j % 70)]);
  for (let j = 0; j < 300; j++) cmds.push(['RPUSH', 'big:list', `e${j}`]);
  cmds.push(['SELECT', 1], ['SET', 'one', '1'], ['RPUSH', 'l1', 'x'], ['SELECT', 2], ['SET', 'two', '2'], ['SELECT', 3]);
  for (let j = 0; j < 2000; j++) cmds.push(['SET', `three:${j}`, j]);
  cmds.push(['SELECT', 0]);
  for (const cmd of cmds) c.send(...cmd);
  for (let r = 0; r < cmds.length; r++) await c.read();
}

describe('snapshots', () => {
  test('BGSAVE of 200k keys under heavy writes equals the dataset at its start', async (t) => {
    const dir = tmpDir(t);
    const s = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    t.after(() => s.close());
    const c = await RawClient.connect(s.port);
    t.after(() => c.close());
    await populate(c, 200_000);
    const before = dataset(s.server);
    assert.equal(await c.call('BGSAVE'), '+Background saving started\r\n');
    assert.equal(await c.call('BGSAVE'), '-ERR Background save already in progress\r\n');
    const job = snapshotState(s.server).job!;
    assert.ok(job);
    let round = 0;
    let writes = 0;
    while (!job.done) {
      // a mix of writes on random keys (some already written by the slicer, some not)
      const base = Math.floor(Math.random() * 200_000);
      let sent = 0;
      for (let j = 0; j < 400; j++) {
        const k = `k:${(base + j * 97) % 200_000}`;
        switch (j % 14) {
          case 0: c.send('SET', k, 'over'); break;
          case 1: c.send('DEL', k); break;
          case 2: c.send('LPUSH', k, 'new'); break;
          case 3: c.send('HSET', k, 'f1', 'changed'); break;
          case 4: c.send('EXPIRE', k, 5000); break;
          case 5: c.send('PERSIST', k); break;
          case 6: c.send('APPEND', k, 'more'); break;
          case 7: c.send('SADD', k, 'extra'); break;
          case 8: c.send('ZINCRBY', k, 5, 'a'); break;
          case 9: c.send('RENAME', k, `renamed:${round}:${j}`); break;
          case 10: c.send('SETRANGE', k, 0, 'ZZ'); break;
          case 11: c.send('INCR', k); break;
          case 12: c.send('RPOP', k); break;
          default: c.send('SET', `fresh:${round}:${j}`, 'x'); break;
        }
        sent++;
      }
      c.send('HSET', 'big:hash', 'f1', 'changed'); c.send('RPUSH', 'big:list', 'tail'); sent += 2;
      if (round === 2) { c.send('SELECT', 3); c.send('FLUSHDB'); c.send('SELECT', 0); sent += 3; }
      if (round === 3) { c.send('SWAPDB', 1, 2); sent++; }
      if (round === 4) { c.send('SELECT', 1); c.send('SET', 'one', 'changed'); c.send('SELECT', 0); sent += 3; }
      for (let r = 0; r < sent; r++) await c.read(10000);
      writes += sent;
      round++;
    }
    assert.equal(await info(c, 'rdb_last_bgsave_status'), 'ok');
    assert.equal(await info(c, 'rdb_bgsave_in_progress'), '0');
    sameDataset(loadFile(path.join(dir, 'dump.rdb')), before);
    assert.ok(round >= 5, `the save ran across ${round} rounds of writes`);
    assert.ok(job.captured > 1000, `writes hit keys not yet written (${job.captured})`);
    assert.ok(writes > 2000);
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb'], 'no temp file left');
    // dirty: only the changes made during the save remain
    assert.ok(Number(await info(c, 'rdb_changes_since_last_save')) > 0);
  });

  test('SAVE, restart keeps data; DEBUG RELOAD; LASTSAVE', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'enable-debug-command': 'yes' });
    const c = await RawClient.connect(a.port);
    await c.call('RPUSH', 'l', 'a', 'b');
    await c.call('SET', 's', 'v', 'PX', 1000000);
    await c.call('SELECT', 5);
    await c.call('HSET', 'h', 'f', 'v');
    const digest = await c.call('DEBUG', 'DIGEST');
    assert.equal(await c.call('DEBUG', 'RELOAD'), '+OK\r\n');
    assert.equal(await c.call('DEBUG', 'DIGEST'), digest);
    assert.equal(await info(c, 'rdb_changes_since_last_save'), '0');
    assert.equal(await c.call('SAVE'), '+OK\r\n');
    const last = parseReply(await c.call('LASTSAVE')) as number;
    assert.ok(Math.abs(last - Date.now() / 1000) < 5);
    c.close();
    await a.close();
    const b = await startServer({ port: 0, save: '', dir, loglevel: 'warning', 'enable-debug-command': 'yes' });
    t.after(() => b.close());
    const d = await RawClient.connect(b.port);
    t.after(() => d.close());
    assert.equal(await d.call('DEBUG', 'DIGEST'), digest);
    assert.equal(await d.call('LRANGE', 'l', 0, -1), '*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    const pttl = parseReply(await d.call('PTTL', 's')) as number;
    assert.ok(pttl > 900000 && pttl <= 1000000);
    assert.equal(await info(d, 'rdb_last_load_keys_loaded'), '3');
  });

  test('SHUTDOWN SAVE writes the file, SHUTDOWN NOSAVE does not', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    let c = await RawClient.connect(a.port);
    await c.call('SET', 'k', 'v');
    c.send('SHUTDOWN', 'SAVE');
    await c.waitClose();
    assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));
    fs.rmSync(path.join(dir, 'dump.rdb'));
    const b = await startServer({ port: 0, save: '3600 1', dir, loglevel: 'warning' });
    c = await RawClient.connect(b.port);
    await c.call('SET', 'k', 'v');
    c.send('SHUTDOWN', 'NOSAVE');
    await c.waitClose();
    assert.ok(!fs.existsSync(path.join(dir, 'dump.rdb')));
  });

  test('SHUTDOWN with a failing save answers an error unless FORCE', async (t) => {
    const dir = tmpDir(t);
    const sub = path.join(dir, 'gone');
    fs.mkdirSync(sub);
    const a = await startServer({ port: 0, save: '3600 1', dir: sub, loglevel: 'warning' });
    t.after(() => a.close());
    const c = await RawClient.connect(a.port);
    t.after(() => c.close());
    fs.rmdirSync(sub);
    assert.equal(await c.call('SHUTDOWN'), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    assert.equal(await c.call('PING'), '+PONG\r\n');
    c.send('SHUTDOWN', 'FORCE');
    await c.waitClose();
  });

  /** Start bin/nodis-server with these extra arguments, set one key, send `sig`; the exit code and whether dump.rdb has the key. */
  async function signalled(t: { after(f: () => void): void }, extra: string[], sig: NodeJS.Signals, opts: { unwritable?: boolean } = {}): Promise<{ code: number | null; saved: boolean }> {
    const dir = path.join(tmpDir(t), 'data');
    fs.mkdirSync(dir);
    const { port, proc, exited: exit } = await spawnOnFreePort((p) => {
      const child = spawn(process.execPath, [path.resolve('bin/nodis-server'), '--port', String(p), '--bind', '127.0.0.1', '--dir', dir, ...extra], { stdio: 'ignore' });
      return child;
    });
    t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
    const c = await RawClient.connect(port);
    await c.call('SET', 'persisted', 'yes');
    c.close();
    if (opts.unwritable) fs.rmdirSync(dir); // nothing can be created in it any more (works as root too)
    proc.kill(sig);
    const code = await Promise.race([exit, new Promise<number | null>((r) => setTimeout(() => r(-1), 3000))]);
    const file = path.join(dir, 'dump.rdb');
    return { code, saved: fs.existsSync(file) && loadFile(file).get(0)?.has('persisted') === true };
  }

  test('SIGTERM with save points saves before exiting', async (t) => {
    assert.deepEqual(await signalled(t, ['--save', '3600 1'], 'SIGTERM'), { code: 0, saved: true });
  });
  test('shutdown-on-sigterm nosave: no save even with save points', async (t) => {
    assert.deepEqual(await signalled(t, ['--save', '3600 1', '--shutdown-on-sigterm', 'nosave'], 'SIGTERM'), { code: 0, saved: false });
  });
  test('shutdown-on-sigint save: saves even without save points', async (t) => {
    assert.deepEqual(await signalled(t, ['--save', '', '--shutdown-on-sigint', 'save'], 'SIGINT'), { code: 0, saved: true });
  });
  test('SIGTERM without save points and by default: no save', async (t) => {
    assert.deepEqual(await signalled(t, ['--save', ''], 'SIGTERM'), { code: 0, saved: false });
  });
  test('a failed save on SIGTERM keeps the server running, unless shutdown-on-sigterm has force', async (t) => {
    const kept = await signalled(t, ['--save', '3600 1'], 'SIGTERM', { unwritable: true });
    assert.deepEqual(kept, { code: -1, saved: false });
    assert.deepEqual(await signalled(t, ['--save', '3600 1', '--shutdown-on-sigterm', 'save force'], 'SIGTERM', { unwritable: true }), { code: 0, saved: false });
  });

  test('MISCONF after a failed BGSAVE, recovery after a good one', async (t) => {
    const dir = tmpDir(t);
    const sub = path.join(dir, 'data');
    fs.mkdirSync(sub);
    const a = await startServer({ port: 0, save: '3600 1000', dir: sub, loglevel: 'warning' });
    t.after(() => a.close());
    const c = await RawClient.connect(a.port);
    t.after(() => c.close());
    await c.call('SET', 'k', 'v');
    fs.rmdirSync(sub); // the directory disappears: nothing can be created in it (works as root too)
    assert.equal(await c.call('BGSAVE'), '+Background saving started\r\n');
    await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '0', 5000);
    assert.equal(await info(c, 'rdb_last_bgsave_status'), 'err');
    const misconf = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";
    assert.equal(await c.call('SET', 'k', 'w'), misconf);
    assert.equal(await c.call('PING'), misconf);
    assert.equal(await c.call('GET', 'k'), '$1\r\nv\r\n');
    assert.equal(await c.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'), '+OK\r\n');
    assert.equal(await c.call('SET', 'k', 'w'), '+OK\r\n');
    assert.equal(await c.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'), '+OK\r\n');
    assert.equal(await c.call('SET', 'k', 'w'), misconf);
    fs.mkdirSync(sub);
    assert.equal(await c.call('BGSAVE'), '+Background saving started\r\n');
    await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '0', 5000);
    assert.equal(await info(c, 'rdb_last_bgsave_status'), 'ok');
    assert.equal(await c.call('SET', 'k', 'x'), '+OK\r\n');
  });

  test('-LOADING and loading:1 while a big RDB loads at start-up', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    const c = await RawClient.connect(a.port);
    await populate(c, 150_000);
    assert.equal(await c.call('SAVE'), '+OK\r\n');
    c.close();
    await a.close();
    const d = await startCheckingLoad(t, { dir }, 'k:0');
    assert.equal(await d.call('GET', 'k:0'), '$2\r\nv0\r\n');
    assert.equal(await info(d, 'loading'), '0');
  });

  test('key-load-delay: each key loaded waits that many µs, the server answers meanwhile', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    const c = await RawClient.connect(a.port);
    await populate(c, 1000);
    const size = await c.call('DBSIZE');
    assert.equal(await c.call('SAVE'), '+OK\r\n');
    c.close();
    await a.close();
    const t0 = Date.now();
    // 1000 keys x 1 ms: at least a second of loading, answering -LOADING meanwhile (parsed 1 KB at a time)
    const d = await startCheckingLoad(t, { dir, 'key-load-delay': 1000, 'loading-process-events-interval-bytes': 1024 }, 'k:0');
    assert.ok(Date.now() - t0 >= 900, `loaded in ${Date.now() - t0} ms`);
    assert.equal(await info(d, 'loading'), '0');
    assert.equal(await d.call('DBSIZE'), size);
  });

  test('save points trigger a BGSAVE; FLUSHALL saves and aborts a BGSAVE', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '1 2', dir, loglevel: 'warning', 'rdb-key-save-delay': 100000 });
    t.after(() => a.close());
    const c = await RawClient.connect(a.port);
    t.after(() => c.close());
    await c.call('SET', 'a', '1');
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(await info(c, 'rdb_bgsave_in_progress'), '0', 'one change is under the save point');
    await c.call('SET', 'b', '1');
    await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '1', 3000);
    // FLUSHALL kills the running BGSAVE and (save points set) saves the empty dataset
    assert.equal(await c.call('FLUSHALL'), '+OK\r\n');
    assert.equal(await info(c, 'rdb_bgsave_in_progress'), '0');
    assert.equal(loadFile(path.join(dir, 'dump.rdb')).size, 0);
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb']);
    await c.call('CONFIG', 'SET', 'rdb-key-save-delay', 0);
    await c.call('SET', 'c', '1');
    await c.call('SET', 'd', '1');
    await until(() => fs.existsSync(path.join(dir, 'dump.rdb')) && loadFile(path.join(dir, 'dump.rdb')).get(0)?.size === 2, 4000);
    // the file is renamed into place just before the job's completion resets the counter
    await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '0', 2000);
    assert.equal(await info(c, 'rdb_changes_since_last_save'), '0');
  });

  test('copy-on-write figures: the pre-images a save keeps for keys written before it wrote them', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    t.after(() => a.close());
    const c = await RawClient.connect(a.port);
    t.after(() => c.close());
    for (let i = 0; i < 100; i++) await c.call('SET', `k${i}`, 'A'.repeat(500));
    assert.equal(await info(c, 'current_cow_size'), '0');
    assert.equal(await info(c, 'rdb_last_cow_size'), '0');
    const before = dataset(a.server);
    await c.call('CONFIG', 'SET', 'rdb-key-save-delay', 20000);
    assert.equal(await c.call('BGSAVE'), '+Background saving started\r\n');
    // the save writes about 50 keys a second: most are still ahead of it
    for (let i = 99; i >= 84; i--) await c.call('SETRANGE', `k${i}`, 0, 'B'.repeat(500));
    const cow = Number(await info(c, 'current_cow_size'));
    assert.ok(cow >= 16 * 500 && cow < 16 * 2000, `current_cow_size ${cow}`);
    assert.equal(await info(c, 'current_cow_peak'), String(cow));
    // a key written again costs nothing more (its pre-image is kept once)
    await c.call('SETRANGE', 'k99', 0, 'C');
    assert.equal(await info(c, 'current_cow_size'), String(cow));
    await c.call('CONFIG', 'SET', 'rdb-key-save-delay', 0);
    await until(async () => (await info(c, 'rdb_bgsave_in_progress')) === '0', 5000);
    assert.equal(await info(c, 'current_cow_size'), '0');
    assert.equal(await info(c, 'rdb_last_cow_size'), String(cow));
    // the file holds the values as they were when the save began
    sameDataset(loadFile(path.join(dir, 'dump.rdb')), before);
  });

  test('BGSAVE SCHEDULE while another background job runs; syntax', async (t) => {
    const dir = tmpDir(t);
    const a = await startServer({ port: 0, save: '', dir, loglevel: 'warning' });
    t.after(() => a.close());
    const c = await RawClient.connect(a.port);
    t.after(() => c.close());
    await c.call('SET', 'x', '1');
    assert.equal(await c.call('BGSAVE', 'foo'), '-ERR syntax error\r\n');
    a.server.persistence.rewriteInProgress = true;
    assert.match(await c.call('BGSAVE'), /^-ERR Another child process is active \(AOF\?\): can't BGSAVE right now/);
    assert.equal(await c.call('BGSAVE', 'SCHEDULE'), '+Background saving scheduled\r\n');
    a.server.persistence.rewriteInProgress = false;
    await until(() => fs.existsSync(path.join(dir, 'dump.rdb')), 3000);
  });
});
