/*
 * Replication edges, each run with a Nodis node and, as the reference the
 * test is checked against, a redis-server in the same place:
 *
 * - a replica link carries no replies: a SYNC/PSYNC client that then sends a
 *   command with a reply is dropped, with Redis's "Replica generated a reply
 *   to command '<name>', disconnecting it: <client>" line (networking.c
 *   _addReplyToBufferOrList); a bad PSYNC offset is an error and no sync;
 * - a diskless (swapdb) load cut short: the master drops the replica in the
 *   middle of the payload; the replica reports the short read as Redis does
 *   ("Internal error in RDB reading offset ..."), keeps serving its old data
 *   (it was never half replaced), then syncs again and matches the master;
 * - repl-diskless-sync-delay is read live (shouldStartChild): a sync that waits
 *   starts as soon as the delay is lowered.
 * - REPLCONF rdb-only / rdb-filter-only (redis-cli --rdb, --functions-rdb): the
 *   RDB alone, with or without the data, by disk or diskless sync; the replica
 *   is closed after it (no stream); the option errors byte for byte.
 *
 * Waits are bounded polls on replies, INFO and the logs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RawClient } from '../helpers/resp-client.js';
import { bounded, skipWithoutRedis } from '../helpers/servers.js';
import { poll, sameDigest, topology, waitSynced, type Kind } from '../helpers/topology.js';

const skip = skipWithoutRedis();
const KINDS: Kind[] = ['nodis-proc', 'redis'];

describe('replication edges', { skip }, () => {
  for (const kind of KINDS) {
    test(`${kind} master: a replica that makes a reply is dropped; a bad PSYNC offset syncs nothing`, async (t) => {
      const [topo, m] = await topology(t, [['master', kind, { 'repl-diskless-sync': 'no' }]]);
      await topo.run(async () => {
        await m!.ok('SET', 'foo', 'bar');
        for (const [sync, cmd, name] of [[['SYNC'], ['PING'], 'ping'], [['PSYNC', 'replicationid', '-1'], ['GET', 'foo'], 'get'], [['SYNC'], ['XINFO', 'HELP'], 'xinfo|help']] as const) {
          const r = await RawClient.connect(m!.port);
          t.after(() => r.close());
          r.send(...sync);
          if (sync[0] === 'PSYNC') assert.match(await r.read(5000), /^\+FULLRESYNC [0-9a-f]{40} \d+\r\n/);
          r.send(...cmd);
          await poll(`the ${name} replica dropped`, async () => m!.logText().includes(`Replica generated a reply to command '${name}', disconnecting it: id=`));
          await r.waitClose(5000);
          assert.equal(await m!.raw('PING'), '+PONG\r\n');
          // a command that reads or writes keys is refused first (processCommand), and that error is a reply too
          if (name === 'get') {
            assert.match(m!.logText(), /== CRITICAL == This master is sending an error to its replica: 'Replica can't interact with the keyspace' after processing the command 'get'/);
          }
        }
        await poll('no replica left', async () => (await m!.info('replication'))['connected_slaves'] === '0');
        await poll('no save left', async () => (await m!.info('persistence'))['rdb_bgsave_in_progress'] === '0', 15000);
        const syncs = (await m!.info('stats'))['sync_full'];
        assert.equal(await m!.raw('PSYNC', 'replicationid', 'offset_str'), '-ERR value is not an integer or out of range\r\n');
        assert.match(m!.logText(), /Replica \S+ asks for synchronization but with a wrong offset\n$/);
        assert.equal((await m!.info('stats'))['sync_full'], syncs);
      });
    });

    test(`${kind} master: repl-diskless-sync-delay is read live while a replica waits`, async (t) => {
      const [topo, m, r] = await topology(t, [
        ['master', kind, { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 3600 }],
        ['replica', 'redis'],
      ]);
      await topo.run(async () => {
        await m!.ok('SET', 'k', 'v');
        await r!.replicaOf(m!);
        await poll('the sync delayed', async () => m!.logText().includes('Delay next BGSAVE for diskless SYNC'));
        await new Promise((res) => setTimeout(res, 1200));
        assert.equal((await m!.info('persistence'))['rdb_bgsave_in_progress'], '0');
        assert.equal((await r!.info())['master_link_status'], 'down');
        await m!.ok('CONFIG', 'SET', 'repl-diskless-sync-delay', 0);
        await waitSynced(m!, [r!], 10000);
        assert.equal(await r!.raw('GET', 'k'), '$1\r\nv\r\n');
      });
    });

    test(`${kind} replica: a diskless swapdb load cut short keeps the old data, then syncs again`, async (t) => {
      const [topo, m, r] = await topology(t, [
        ['master', 'redis', { 'repl-diskless-sync': 'yes', rdbcompression: 'no' }],
        ['replica', kind, { 'repl-diskless-load': 'swapdb' }],
      ]);
      await topo.run(async () => {
        await r!.ok('SET', 'old', 'data');
        await m!.ok('DEBUG', 'POPULATE', 2000, 'key', 2000);
        // about 10 s of transfer: time enough to cut it even on a loaded machine
        await m!.ok('CONFIG', 'SET', 'rdb-key-save-delay', 5000);
        await r!.replicaOf(m!);
        await poll('the load started', async () => r!.logText().includes('Loading DB in memory'), 10000);
        await new Promise((res) => setTimeout(res, 300));
        // the replica's next attempt waits (it must not replace the old data before it is checked)
        await m!.ok('CONFIG', 'SET', 'repl-diskless-sync-delay', 3600);
        await m!.ok('CLIENT', 'KILL', 'TYPE', 'replica');
        await poll('the short read reported', async () => /Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> Unexpected EOF reading RDB file\. Failure loading rdb format from socket, assuming connection error, resuming operation\./.test(r!.logText()), 10000);
        assert.match(r!.logText(), /Discarding temporary DB in background/);
        // the old data was never replaced
        await poll('loading over', async () => (await r!.info('persistence'))['loading'] === '0');
        assert.equal(await r!.raw('GET', 'old'), '$4\r\ndata\r\n');
        assert.equal(await r!.raw('DBSIZE'), ':1\r\n');
        // the delay is read live: the waiting sync starts once it is lowered
        await m!.ok('CONFIG', 'SET', 'rdb-key-save-delay', 0);
        await m!.ok('CONFIG', 'SET', 'repl-diskless-sync-delay', 0);
        await waitSynced(m!, [r!], 30000);
        await sameDigest([m!, r!]);
        assert.equal(await r!.raw('DBSIZE'), ':2000\r\n');
      });
    });

    test(`${kind} master: a diskless replica that reads slowly is kept, one that reads nothing is dropped after repl-timeout`, async (t) => {
      const [topo, m] = await topology(t, [['master', kind, {
        'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 30, 'repl-diskless-sync-max-replicas': 2, rdbcompression: 'no', 'repl-timeout': 2,
      }]]);
      await topo.run(async () => {
        // about 40 MB of payload: more than the socket buffers and what Nodis queues per replica (16 MB) hold,
        // so the one that does not read blocks the transfer
        await m!.ok('DEBUG', 'POPULATE', 20000, 'key', 2000);
        const open = async (): Promise<net.Socket> => {
          const s = net.connect(m!.port, '127.0.0.1');
          await new Promise<void>((res, rej) => { s.once('connect', () => res()); s.once('error', rej); });
          s.on('error', () => {});
          t.after(() => s.destroy());
          // PSYNC only once REPLCONF's +OK is read (a sync with replies pending is refused)
          s.write('REPLCONF capa eof capa psync2\r\n');
          const ok = await new Promise<string>((res) => s.once('data', (d: Buffer) => res(d.toString('latin1'))));
          assert.equal(ok, '+OK\r\n');
          s.pause();
          s.write('PSYNC ? -1\r\n');
          return s;
        };
        // the slow one takes what Node has read every 20 ms (its buffer refills from the kernel in between):
        // a few MB/s, so its socket never empties for seconds, yet it reads
        const slow = await open();
        let got = 0;
        let closed = false;
        slow.pause();
        slow.once('close', () => { closed = true; });
        const reader = setInterval(() => {
          for (let b = slow.read() as Buffer | null; b !== null; b = slow.read() as Buffer | null) got += b.length;
        }, 20);
        t.after(() => clearInterval(reader));
        // as a replica does once it has its payload: acknowledge (a master drops a silent online replica)
        const acker = setInterval(() => { if (!slow.destroyed) slow.write('*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n'); }, 500);
        t.after(() => clearInterval(acker));
        // the stuck one never reads
        const stuck = await open();
        stuck.pause();
        await poll('the stuck replica dropped', async () => /Disconnecting timedout replica \(full sync\)/.test(m!.logText()), 30000);
        assert.equal((m!.logText().match(/Disconnecting timedout replica/g) ?? []).length, 1, 'only the stuck one');
        // the slow one gets the whole payload (it ends with the EOF mark the first line gave)
        await poll('the slow replica has its payload', async () => (await m!.info('persistence'))['rdb_bgsave_in_progress'] === '0' && got > 40_000_000, 60000);
        assert.equal(closed, false, 'the slow replica was kept');
        assert.match(m!.logText(), /done reading from pipe, 1 replicas still up/);
      });
    });

    test(`${kind} master, ${kind === 'redis' ? 'nodis' : 'redis'} replica: a replica loading a big payload pings its master with newlines, and a master with a short repl-timeout keeps it`, async (t) => {
      const other: Kind = kind === 'redis' ? 'nodis-proc' : 'redis';
      // disk sync: the master puts the replica online once the file is sent; the replica then loads for ~4 s
      // (key-load-delay) before its first ACK, and only its newlines (replicationSendNewlineToMaster, one a
      // second) keep a master with repl-timeout 1 from dropping it (processInlineBuffer refreshes repl_ack_time)
      const [topo, m, r] = await topology(t, [
        ['master', kind, { 'repl-diskless-sync': 'no', 'repl-timeout': 1 }],
        ['replica', other, { 'key-load-delay': 2000, 'loading-process-events-interval-bytes': 1024 }],
      ]);
      await topo.run(async () => {
        await m!.ok('DEBUG', 'POPULATE', 2000, 'key', 100);
        await r!.replicaOf(m!);
        await poll('the load started', async () => r!.logText().includes('Loading DB in memory'), 10000);
        await waitSynced(m!, [r!], 30000);
        assert.doesNotMatch(m!.logText(), /Disconnecting timedout replica/);
        assert.equal((await m!.info('stats'))['sync_full'], '1');
        assert.match(r!.logText(), /Done loading RDB, keys loaded: 2000/);
        await sameDigest([m!, r!]);
      });
    });

    test(`${kind} master: redis-cli --rdb and --functions-rdb (REPLCONF rdb-only, rdb-filter-only)`, async (t) => {
      const [topo, m] = await topology(t, [['master', kind]]);
      await topo.run(async () => {
        // the options' errors, as Redis words them
        assert.equal(await m!.raw('REPLCONF', 'rdb-only', '2'), '-ERR value is out of range, value must between 0 and 1\r\n');
        assert.equal(await m!.raw('REPLCONF', 'rdb-only', 'x'), '-ERR value is not an integer or out of range\r\n');
        assert.equal(await m!.raw('REPLCONF', 'rdb-filter-only', 'keys'), '-ERR Unsupported rdb-filter-only option: keys\r\n');
        assert.equal(await m!.raw('REPLCONF', 'rdb-filter-only', '"functions'), '-ERR Missing rdb-filter-only values\r\n');
        // a filtered RDB needs the EOF capability (it never goes to dump.rdb)
        const plain = await RawClient.connect(m!.port);
        t.after(() => plain.close());
        assert.equal(await plain.call('REPLCONF', 'rdb-filter-only', 'functions'), '+OK\r\n');
        assert.equal(await plain.call('SYNC'), '-ERR Filtered replica requires EOF capability\r\n');
        const dir = (await m!.call('CONFIG', 'GET', 'dir') as string[])[1]!;
        for (const functionsOnly of [false, true]) {
          for (const diskless of ['no', 'yes']) {
            await m!.ok('CONFIG', 'SET', 'repl-diskless-sync', diskless, 'repl-diskless-sync-delay', '0');
            await m!.ok('FLUSHALL');
            await m!.ok('FUNCTION', 'FLUSH');
            await m!.ok('DEBUG', 'POPULATE', '1000', 'key', '100');
            assert.equal(await m!.raw('FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('func1', function() return 123 end)"), '$4\r\nlib1\r\n');
            const file = join(dir, 'cli.rdb');
            const out = await runCli(['-p', String(m!.port), functionsOnly ? '--functions-rdb' : '--rdb', file]);
            assert.match(out, /Transfer finished with success/, out);
            // the replica was closed after its RDB, and nothing waits for it
            await poll('the rdb-only replica gone', async () => (await m!.info('replication'))['connected_slaves'] === '0');
            assert.match(m!.logText(), /RDB transfer completed, rdb only replica \(127\.0\.0\.1:<unknown-replica-port>\) should be disconnected asap/);
            // loaded back: the data only when asked for, the library either way
            rmSync(join(dir, 'dump.rdb'), { force: true });
            renameSync(file, join(dir, 'dump.rdb'));
            await m!.ok('SET', 'should-not-exist', '1');
            await m!.ok('FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('other', function() return 456 end)");
            await m!.ok('DEBUG', 'RELOAD', 'NOSAVE');
            assert.equal(await m!.raw('GET', 'should-not-exist'), '$-1\r\n');
            assert.equal(await m!.raw('DBSIZE'), functionsOnly ? ':0\r\n' : ':1000\r\n', `functions only: ${functionsOnly}, diskless: ${diskless}`);
            assert.equal(await m!.raw('FCALL', 'func1', '0'), ':123\r\n');
            assert.match(await m!.raw('FCALL', 'other', '0'), /^-ERR Function not found/);
          }
        }
      });
    });
  }
});

/** redis-cli with these arguments: its stdout and stderr (bounded: 30 s). */
function runCli(args: string[]): Promise<string> {
  const p = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  p.stderr.on('data', (d: Buffer) => { out += d.toString('latin1'); });
  return bounded(new Promise<string>((resolve) => p.once('close', () => resolve(out))), 30000).catch((e: Error) => { p.kill('SIGKILL'); throw e; });
}
