/*
 * CONFIG GET/SET/RESETSTAT/REWRITE/HELP against real Redis: the full
 * parameter list and defaults, validation errors byte for byte, multi-pair
 * SET with rollback, aliases, globs, canonical formatting.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply } from '../helpers/resp-client.js';
import { openFilesLimit } from '../../src/server/fd-limit.js';
import { readFileSync } from 'node:fs';

/** The soft open-files limit of another process, or null. */
function limitOf(pid: number): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'latin1'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

/** CONFIG GET reply as a sorted list of [name, value]. */
async function configMap(c: PairClient, ...patterns: string[]): Promise<[[string, string][], [string, string][]]> {
  const [a, b] = await c.both('CONFIG', 'GET', ...patterns);
  const pairs = (raw: string): [string, string][] => {
    const v = parseReply(raw) as string[];
    const out: [string, string][] = [];
    for (let i = 0; i < v.length; i += 2) out.push([v[i]!, v[i + 1]!]);
    return out.sort((x, y) => (x[0] < y[0] ? -1 : 1));
  };
  return [pairs(a), pairs(b)];
}

const LOCAL = new Set(['port', 'dir', 'bind', 'loglevel', 'enable-debug-command']);

describe('CONFIG', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('CONFIG GET * lists every parameter with Redis defaults', async () => {
    const c = await p.client();
    const [ours, theirs] = await configMap(c, '*');
    assert.deepEqual(ours.map(([k]) => k), theirs.map(([k]) => k));
    const diff = ours.filter(([k, v], i) => !LOCAL.has(k) && v !== theirs[i]![1]);
    assert.deepEqual(diff, []);
  });

  test('CONFIG GET patterns, aliases, case, hidden configs, several patterns', async () => {
    const c = await p.client();
    for (const pats of [['maxmemory*'], ['*max*entries*'], ['MAXMEMORY'], ['slaveof'], ['key-load-delay'], ['nonexistent'],
      ['maxmemory', 'maxmemory*', 'bind', '*of'], ['hash-max-ziplist-entries', 'HASH-MAX-LISTPACK-ENTRIES'], ['[a-c]*e'], ['*-lazy-*']]) {
      const [ours, theirs] = await configMap(c, ...pats);
      assert.deepEqual(ours.filter(([k]) => !LOCAL.has(k)), theirs.filter(([k]) => !LOCAL.has(k)), pats.join(' '));
    }
    await c.do('CONFIG', 'GET', 'maxmemory');
    await c.error('ERR wrong number', 'CONFIG', 'GET');
  });

  test('CONFIG GET in RESP3 is a map', async () => {
    const c = await p.client();
    await c.both('HELLO', '3');
    await c.do('CONFIG', 'GET', 'maxmemory');
    await c.do('CONFIG', 'GET', 'nonexistent');
  });

  test('CONFIG SET values and their canonical form', async () => {
    const c = await p.client();
    const cases: [string, string][] = [
      ['maxmemory', '1kb'], ['maxmemory', '1k'], ['maxmemory', '2GB'], ['maxmemory', ''], ['maxmemory', '0'],
      ['maxmemory-clients', '10%'], ['maxmemory-clients', '0'], ['hz', '50'], ['hz', '0'], ['hz', '100000'], ['hz', '10'],
      ['notify-keyspace-events', 'KEA'], ['notify-keyspace-events', 'Ex$lgsn'], ['notify-keyspace-events', 'KEnA'],
      ['notify-keyspace-events', ''], ['save', '100 10 200 20'], ['save', ''], ['loglevel', 'VERBOSE'], ['loglevel', 'warning'],
      ['maxmemory-policy', 'allkeys-lru'], ['maxmemory-policy', 'noeviction'], ['oom-score-adj', 'relative'], ['oom-score-adj', 'no'],
      ['oom-score-adj-values', '1 2 3'], ['oom-score-adj-values', '0 200 800'], ['shutdown-on-sigint', 'save now'],
      ['shutdown-on-sigint', 'default'], ['client-output-buffer-limit', 'normal 1mb 2mb 60 replica 3 4 5'],
      ['client-output-buffer-limit', 'pubsub 32mb 8mb 60'], ['client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60'],
      ['list-max-ziplist-size', '-3'], ['list-max-listpack-size', '-2'], ['slowlog-log-slower-than', '9223372036854775807'],
      ['slowlog-log-slower-than', '10000'], ['latency-tracking-info-percentiles', '50 99.5 100'],
      ['latency-tracking-info-percentiles', '50 99 99.9'], ['appendfsync', 'always'], ['appendfsync', 'everysec'],
      ['set-max-intset-entries', '100'], ['set-max-intset-entries', '512'], ['stream-node-max-entries', '5'],
      ['stream-node-max-entries', '100'], ['proc-title-template', '{title} {port}'],
      ['proc-title-template', '{title} {listen-addr} {server-mode}'], ['masterauth', 'x'], ['masterauth', ''],
    ];
    for (const [k, v] of cases) {
      await c.do('CONFIG', 'SET', k, v);
      await c.do('CONFIG', 'GET', k);
    }
  });

  test('CONFIG SET errors match byte for byte', async () => {
    const c = await p.client();
    const bad: string[][] = [
      ['foo', 'bar'], ['maxmemory', 'abc'], ['maxmemory', '-1'], ['maxmemory', '10xb'], ['port', 'abc'], ['port', '70000'],
      ['daemonize', 'yes'], ['databases', '3'], ['hz', '1.5'], ['hz', '+1'], ['hz', '01'], ['loglevel', 'foo'],
      ['appendonly', 'maybe'], ['maxclients', '0'], ['set-max-intset-entries', '-1'], ['maxmemory-clients', '200%'],
      ['maxmemory-clients', 'abc'], ['notify-keyspace-events', 'KEQ'], ['save', '1 2 3'], ['save', '0 1'], ['save', 'a b'],
      ['shutdown-on-sigint', 'save nosave'], ['shutdown-on-sigint', 'bogus'], ['client-output-buffer-limit', 'normal 1 2'],
      ['client-output-buffer-limit', 'master 1 2 3'], ['client-output-buffer-limit', 'normal a 2 3'],
      ['oom-score-adj-values', '1 2'], ['oom-score-adj-values', '1 2 3000'], ['dir', '/tmp'], ['dbfilename', 'x'],
      ['unixsocketperm', '777'], ['activedefrag', 'yes'], ['latency-tracking-info-percentiles', '101'],
      ['latency-tracking-info-percentiles', 'abc'], ['proc-title-template', '{bogus}'], ['proto-max-bulk-len', '100'],
      ['maxmemory', '1', 'maxmemory', '2'], ['hz', '1', 'HZ', '2'],
      ['foo', 'bar', 'daemonize', 'yes'], ['daemonize', 'yes', 'foo', 'bar'], ['MAXMEMORY', 'x'], ['slave-read-only', 'x'],
      ['maxmemory', '10', 'maxmemory-clients', '200%', 'client-query-buffer-limit', 'invalid'],
    ];
    for (const args of bad) await c.error('ERR', 'CONFIG', 'SET', ...args);
    await c.error('ERR wrong number', 'CONFIG', 'SET', 'maxmemory');
    await c.error('ERR syntax error', 'CONFIG', 'SET', 'maxmemory', '1', 'hz');
    // nothing above changed anything
    await c.do('CONFIG', 'GET', 'maxmemory');
    await c.do('CONFIG', 'GET', 'maxmemory-clients');
  });

  test('CONFIG SET several pairs at once, and rollback on a bad one', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'maxmemory', '10000001', 'repl-backlog-size', '10000002', 'save', '3000 5');
    await c.do('CONFIG', 'GET', 'maxmemory', 'repl-backlog-size', 'save').catch(async () => {
      const [ours, theirs] = await configMap(c, 'maxmemory', 'repl-backlog-size', 'save');
      assert.deepEqual(ours, theirs);
    });
    await c.error('ERR', 'CONFIG', 'SET', 'maxmemory', '5', 'hz', 'x');
    const [ours, theirs] = await configMap(c, 'maxmemory', 'hz');
    assert.deepEqual(ours, theirs);
    assert.deepEqual(ours, [['hz', '10'], ['maxmemory', '10000001']]);
    await c.do('CONFIG', 'SET', 'maxmemory', '0', 'repl-backlog-size', '1mb', 'save', '');
    // a name and its alias are different entries: not a duplicate, the last one wins
    await c.do('CONFIG', 'SET', 'hash-max-listpack-entries', '2', 'hash-max-ziplist-entries', '3');
    await c.do('CONFIG', 'GET', 'hash-max-listpack-entries');
    await c.do('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
  });

  test('CONFIG SET maxclients beyond the open-files limit is refused (updateMaxclients)', async (t) => {
    // Nodis runs in this process, redis-server is its child: both have this process's limit
    const limit = openFilesLimit();
    const redisLimit = (): number | null => limitOf(p.redis.proc.pid!);
    if (limit === null || !Number.isFinite(limit) || redisLimit() !== limit) { t.skip('no common finite open-files limit'); return; }
    const c = await p.client();
    const orig = (parseReply(await c.do('CONFIG', 'GET', 'maxclients')) as string[])[1]!;
    const over = String(limit + 1000); // redis-server tries setrlimit from there down, 16 at a time
    const [a, b] = await c.both('CONFIG', 'SET', 'maxclients', over);
    if (redisLimit() !== limit) { t.skip('redis-server could raise its limit here (CAP_SYS_RESOURCE); Nodis cannot'); return; }
    assert.equal(a, b);
    assert.equal(a, `-ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating system is not able to handle the specified number of clients, try with ${limit - 32}\r\n`);
    await c.do('CONFIG', 'GET', 'maxclients'); // unchanged
    await c.do('CONFIG', 'SET', 'maxclients', String(limit - 32));
    await c.do('CONFIG', 'GET', 'maxclients');
    await c.do('CONFIG', 'SET', 'maxclients', orig);
    // with another parameter: both restored (Nodis alone: redis-server would make ~62M setrlimit calls for 1e9)
    assert.equal(await c.ours.call('CONFIG', 'SET', 'maxmemory', '5mb', 'maxclients', '1000000000'), a);
    assert.equal(await c.ours.call('CONFIG', 'GET', 'maxmemory'), '*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    await c.do('CONFIG', 'GET', 'maxclients');
  });

  test('CONFIG HELP, unknown subcommand, RESETSTAT, REWRITE without a file', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'HELP');
    await c.error('ERR unknown subcommand', 'CONFIG', 'FOO');
    await c.error('ERR wrong number', 'CONFIG');
    await c.error('ERR wrong number', 'CONFIG', 'HELP', 'x');
    await c.do('CONFIG', 'RESETSTAT');
    await c.error('ERR The server is running without a config file', 'CONFIG', 'REWRITE');
  });

  test('CONFIG RESETSTAT clears stats', async () => {
    const c = await p.client();
    await c.both('GET', 'x');
    await c.both('NOSUCHCOMMAND');
    await c.do('CONFIG', 'RESETSTAT');
    const [a] = await c.both('INFO', 'stats');
    assert.match(a, /keyspace_misses:0\r\n/);
    assert.match(a, /total_error_replies:0\r\n/);
    const [cs] = await c.both('INFO', 'commandstats');
    assert.doesNotMatch(cs, /cmdstat_get:/);
  });
});
