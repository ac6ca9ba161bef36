/*
 * SHUTDOWN and SIGTERM on a master with a lagging replica (Redis 7.0's
 * server.c prepareForShutdown / finishShutdown; tests/integration/shutdown.tcl
 * is the model). Each scenario runs with a Nodis master and, as the reference
 * the test itself is checked against, a redis-server master; the replica is a
 * redis-server process stopped with SIGSTOP so it cannot acknowledge.
 *
 * 1. While the replica is stopped, writes to the master pile up in its
 *    replication buffer (INFO mem_total_replication_buffers passes 2 MB: what
 *    the socket cannot take waits in the shared stream, not in a per-socket
 *    queue). SHUTDOWN then blocks its caller, pauses writes (a SET waits),
 *    shows INFO shutdown_in_milliseconds; SHUTDOWN ABORT answers +OK, the
 *    blocked caller gets "Errors trying to SHUTDOWN. Check logs." and the SET
 *    runs. A second SHUTDOWN waits until SIGCONT lets the replica catch up:
 *    the replica has the last write, the master logs "1 of 1 replicas are in
 *    sync" and exits.
 * 2. shutdown-timeout 1 and SIGTERM: the master gives up on the stopped
 *    replica, logs the "Lagging replica" line and "0 of 1 replicas are in
 *    sync", and exits.
 * 3. SHUTDOWN NOW does not wait.
 *
 * Every wait is a bounded poll on observable state (a reply, INFO, the log,
 * the process's exit); processes are torn down by the topology, stopped ones
 * are continued first.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawClient } from '../helpers/resp-client.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { Node, poll, topology, waitSynced, type Kind } from '../helpers/topology.js';

const skip = skipWithoutRedis();
const MASTERS: Kind[] = ['nodis-proc', 'redis'];

/** SIGSTOP a node until the returned function (or the test's end) continues it. */
function pause(t: { after(fn: () => unknown): void }, n: Node): () => void {
  const pid = n.pid;
  process.kill(pid, 'SIGSTOP');
  let done = false;
  const cont = (): void => { if (done) return; done = true; try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } };
  t.after(cont);
  return cont;
}

async function field(n: Node, section: string, name: string): Promise<string | undefined> {
  return (await n.info(section))[name];
}

async function masterWithReplica(t: Parameters<typeof topology>[0], kind: Kind): Promise<[Awaited<ReturnType<typeof topology>>[0], Node, Node]> {
  const [topo, m, r] = await topology(t, [['master', kind, { 'shutdown-timeout': 300, 'repl-backlog-size': 1, hz: 100 }], ['replica', 'redis']]);
  await r!.replicaOf(m!);
  await m!.ok('SET', 'k', '1');
  await waitSynced(m!, [r!]);
  return [topo, m!, r!];
}

describe('SHUTDOWN waits for lagging replicas', { skip }, () => {
  for (const kind of MASTERS) {
    test(`${kind} master: buffers grow, SHUTDOWN pauses writes, ABORT, then exits once the replica caught up`, async (t) => {
      const [topo, m, r] = await masterWithReplica(t, kind);
      await topo.run(async () => {
        const cont = pause(t, r);
        // fill: the stopped replica's socket takes a few MB, then the stream waits in the replication buffer
        let i = 0;
        await poll('mem_total_replication_buffers > 2 MB', async () => {
          i++;
          // real writes (DEBUG POPULATE is not propagated): 256 × 4 KB per round
          const v = 'x'.repeat(4096);
          await m.pipeline(Array.from({ length: 256 }, (_, j) => ['SET', `junk${i}:${j}`, v]));
          return Number(await field(m, 'memory', 'mem_total_replication_buffers')) > 2 * 1024 * 1024;
        }, 30000, 10);
        await m.ok('INCR', 'k');

        const sd = await RawClient.connect(m.port);
        t.after(() => sd.close());
        sd.send('SHUTDOWN');
        await poll('shutdown_in_milliseconds', async () => Number(await field(m, 'server', 'shutdown_in_milliseconds') ?? 0) > 0);
        const clients = await m.info('clients');
        assert.equal(clients['blocked_clients'], '1');
        assert.equal(clients['connected_clients'], '2');

        // writes are paused while the shutdown waits; reads are not
        const w = await RawClient.connect(m.port);
        t.after(() => w.close());
        w.send('SET', 'during', 'x');
        assert.equal(await m.raw('GET', 'k'), '$1\r\n2\r\n');
        await poll('the log says it waits', async () => m.logText().includes('Waiting for replicas before shutting down.'));
        assert.equal(w.unread, '', 'a write ran while the shutdown waited');

        assert.equal(await m.raw('SHUTDOWN', 'ABORT'), '+OK\r\n');
        assert.equal(await sd.read(5000), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
        assert.equal(await w.read(5000), '+OK\r\n');
        assert.equal(await field(m, 'server', 'shutdown_in_milliseconds'), undefined);
        assert.equal(await m.raw('SHUTDOWN', 'ABORT'), '-ERR No shutdown in progress.\r\n');
        assert.match(m.logText(), /Shutdown manually aborted/);

        await m.ok('INCR', 'k');
        // a new connection: redis-server 7.0.15 leaves the aborted SHUTDOWN's argv on its
        // client, and the next command on that connection fails an assertion (networking.c:2295)
        const sd2 = await RawClient.connect(m.port);
        t.after(() => sd2.close());
        sd2.send('SHUTDOWN');
        await poll('shutdown_in_milliseconds again', async () => Number(await field(m, 'server', 'shutdown_in_milliseconds') ?? 0) > 0);
        cont();
        await sd2.waitClose(30000);
        assert.ok(await m.waitExit(30000), 'the master did not exit');
        assert.equal(await r.raw('GET', 'k'), '$1\r\n3\r\n');
        const log = m.logText();
        assert.match(log, /1 of 1 replicas are in sync when shutting down\./);
        assert.match(log, /ready to exit, bye bye/);
        assert.doesNotMatch(log, /Lagging replica/);
      });
    });

    test(`${kind} master: SIGTERM gives up on a stopped replica after shutdown-timeout`, async (t) => {
      const [topo, m, r] = await masterWithReplica(t, kind);
      await topo.run(async () => {
        await m.ok('CONFIG', 'SET', 'shutdown-timeout', 1);
        pause(t, r);
        await m.ok('INCR', 'k');
        process.kill(m.pid, 'SIGTERM');
        await poll('shutdown_in_milliseconds', async () => Number(await field(m, 'server', 'shutdown_in_milliseconds') ?? 0) > 0).catch(() => undefined);
        assert.ok(await m.waitExit(15000), 'the master did not exit');
        const log = m.logText();
        assert.match(log, /Waiting for replicas before shutting down\./);
        assert.match(log, /Lagging replica 127\.0\.0\.1:\d+ reported offset \d+ behind master, lag=\d+, state=online\./);
        assert.match(log, /0 of 1 replicas are in sync when shutting down\./);
      });
    });

    test(`${kind} master: SHUTDOWN NOW does not wait`, async (t) => {
      const [topo, m, r] = await masterWithReplica(t, kind);
      await topo.run(async () => {
        pause(t, r);
        await m.ok('INCR', 'k');
        const sd = await RawClient.connect(m.port);
        t.after(() => sd.close());
        sd.send('SHUTDOWN', 'NOW');
        assert.ok(await m.waitExit(15000), 'the master did not exit');
        assert.doesNotMatch(m.logText(), /Waiting for replicas/);
      });
    });
  }
});
