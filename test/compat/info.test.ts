/*
 * INFO against real Redis: section selection and order, headers, line
 * format, the field names of every section (Nodis may add nodis_version),
 * and values that must agree (keyspace, counters after known commands).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply } from '../helpers/resp-client.js';

const headers = (s: string): string[] => s.split('\r\n').filter((l) => l.startsWith('# '));
const fields = (s: string): string[] => s.split('\r\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.indexOf(':')));
const value = (s: string, k: string): string | undefined => new RegExp(`(?:^|\\r\\n)${k}:([^\\r]*)`).exec(s)?.[1];

describe('INFO', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('section selection and order', async () => {
    const c = await p.client();
    for (const args of [[], ['default'], ['all'], ['everything'], ['server'], ['cpu', 'sentinel'], ['commandSTATS'],
      ['cpu', 'all'], ['cpu', 'default'], ['keyspace', 'server'], ['bogus'], ['modules'], ['latencystats'], ['errorstats']]) {
      const [a, b] = await c.both('INFO', ...args);
      const [x, y] = [parseReply(a) as string, parseReply(b) as string];
      assert.deepEqual(headers(x), headers(y), `INFO ${args.join(' ')}`);
      assert.ok(x === '' || x.endsWith('\r\n'));
      assert.equal(x.includes('\n\n'), false);
    }
  });

  test('field names of every section', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    const [a, b] = await c.both('INFO', 'everything');
    const ours = fields(parseReply(a) as string).filter((f) => !f.startsWith('cmdstat_') && !f.startsWith('latency_percentiles')
      && !f.startsWith('errorstat_') && f !== 'nodis_version');
    const theirs = fields(parseReply(b) as string).filter((f) => !f.startsWith('cmdstat_') && !f.startsWith('latency_percentiles')
      && !f.startsWith('errorstat_'));
    assert.deepEqual(ours, theirs);
  });

  test('values: keyspace, counters, version, role', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'RESETSTAT');
    await c.do('SET', 'a', '1');
    await c.do('SET', 'b', '2');
    await c.do('GET', 'a');
    await c.do('GET', 'zz');
    await c.error('ERR', 'GET');
    const [a, b] = await c.both('INFO', 'all');
    const x = parseReply(a) as string;
    const y = parseReply(b) as string;
    for (const k of ['redis_version', 'redis_mode', 'arch_bits', 'role', 'connected_slaves', 'db0', 'keyspace_hits',
      'keyspace_misses', 'total_error_replies', 'errorstat_ERR', 'cmdstat_set', 'aof_enabled', 'loading', 'maxmemory',
      'maxmemory_human', 'maxmemory_policy', 'cluster_enabled', 'connected_clients', 'blocked_clients', 'repl_backlog_size']) {
      const ours = value(x, k);
      const theirs = value(y, k);
      if (k === 'cmdstat_set') {
        assert.equal(ours?.replace(/usec=\d+,usec_per_call=[\d.]+/, ''), theirs?.replace(/usec=\d+,usec_per_call=[\d.]+/, ''));
      } else {
        assert.equal(ours, theirs, k);
      }
    }
    assert.match(value(x, 'cmdstat_get')!, /^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    assert.match(value(x, 'used_memory_human')!, /^\d+(\.\d\d[KMG])?B?$/);
    assert.match(value(x, 'run_id')!, /^[0-9a-f]{40}$/);
  });

  test('RESP3: verbatim string', async () => {
    const c = await p.client();
    await c.both('HELLO', '3');
    const [a, b] = await c.both('INFO', 'cluster');
    assert.equal(a, b);
    assert.ok(a.startsWith('=') && a.includes('txt:# Cluster'));
  });
});
