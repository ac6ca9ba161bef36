/*
 * twemproxy configuration files: the shapes nutcracker's own samples use
 * (several pools, names, hash tags, unix sockets, comments, quoting), the
 * defaults, and errors that name the line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from './config.js';
import { parseYaml } from './yaml.js';

const SAMPLE = `# pools in the style of twemproxy's conf/nutcracker.yml
alpha:
  listen: 127.0.0.1:22121
  hash: fnv1a_64
  distribution: ketama
  auto_eject_hosts: true
  redis: true
  server_retry_timeout: 2000
  server_failure_limit: 1
  servers:
   - 127.0.0.1:6379:1

beta:   # names and a hash tag
  listen: 127.0.0.1:22122
  hash: fnv1a_64
  hash_tag: "{}"
  distribution: ketama
  timeout: 400
  redis: true
  redis_auth: 'pa''ss #1'
  redis_db: 2
  server_connections: 2
  servers:
   - 127.0.0.1:6380:1 server1
   - 127.0.0.1:6381:1 server2
   - "127.0.0.1:6382:3 server3"

omega:
  listen: /tmp/gamma 0666
  hash: hsieh
  distribution: modula
  preconnect: true
  backlog: 1024
  servers:
  - 127.0.0.1:11214:100000
  - /var/run/redis.sock:1 sock
`;

test('reads twemproxy-style files: several pools, names, tags, sockets, quoting, defaults', () => {
  const pools = parseConfig(SAMPLE);
  assert.deepEqual(pools.map((p) => p.name), ['alpha', 'beta', 'omega']);
  const [a, b, o] = pools as [typeof pools[0], typeof pools[0], typeof pools[0]];
  assert.equal(a.listen.port, 22121);
  assert.equal(a.autoEjectHosts, true);
  assert.equal(a.serverRetryTimeout, 2000);
  assert.equal(a.serverFailureLimit, 1);
  assert.equal(a.timeout, 0);
  assert.equal(a.serverConnections, 1);
  assert.equal(b.hashTag, '{}');
  assert.equal(b.redisAuth, "pa'ss #1");
  assert.equal(b.redisDb, 2);
  assert.equal(b.serverConnections, 2);
  assert.deepEqual(b.servers.map((s) => [s.host, s.port, s.weight, s.name]), [
    ['127.0.0.1', 6380, 1, 'server1'], ['127.0.0.1', 6381, 1, 'server2'], ['127.0.0.1', 6382, 3, 'server3']]);
  assert.equal(o.listen.path, '/tmp/gamma');
  assert.equal(o.hash, 'hsieh');
  assert.equal(o.distribution, 'modula');
  assert.equal(o.servers[0]!.weight, 100000);
  assert.equal(o.servers[1]!.path, '/var/run/redis.sock');
  assert.equal(o.servers[1]!.name, 'sock');
  assert.equal(o.backlog, 1024);
  assert.equal(o.preconnect, true);
  assert.equal(a.hash, 'fnv1a_64');
  assert.equal(parseConfig('p:\n  listen: 127.0.0.1:1\n  servers:\n   - h:1:1\n')[0]!.hash, 'fnv1a_64');
});

function errorOf(text: string): string {
  try { parseConfig(text); } catch (e) { assert.ok(e instanceof ConfigError, String(e)); return (e as Error).message; }
  throw new Error('no error');
}

test('errors name the line', () => {
  const base = (extra: string): string => `alpha:\n  listen: 127.0.0.1:22121\n${extra}  servers:\n   - 127.0.0.1:6379:1\n`;
  assert.equal(errorOf(base('  hash: sha1\n')), "line 3: pool 'alpha': unknown hash 'sha1' (one of one_at_a_time, md5, crc16, crc32, crc32a, fnv1_64, fnv1a_64, fnv1_32, fnv1a_32, hsieh, murmur, jenkins)");
  assert.match(errorOf(base('  distribution: round\n')), /^line 3: pool 'alpha': unknown distribution 'round'/);
  assert.match(errorOf(base('  hashing: md5\n')), /^line 3: pool 'alpha': directive "hashing" is unknown/);
  assert.match(errorOf(base('  hash_tag: "{"\n')), /^line 3: .*hash_tag must be two characters/);
  assert.match(errorOf(base('  timeout: soon\n')), /^line 3: .*timeout must be an integer/);
  assert.match(errorOf(base('  preconnect: yes\n')), /^line 3: .*preconnect must be true or false/);
  assert.match(errorOf(base('  redis: false\n')), /^line 3: .*memcached pools/);
  assert.match(errorOf('alpha:\n  listen: 127.0.0.1:1\n  servers:\n   - 127.0.0.1:6379\n'), /^line 4: server '127.0.0.1:6379' has an invalid format/);
  assert.match(errorOf('alpha:\n  listen: 127.0.0.1:1\n  servers:\n   - 127.0.0.1:6379:0\n'), /^line 4: .*zero weight/);
  assert.match(errorOf('alpha:\n  listen: 127.0.0.1:1\n  servers:\n   - a:1:1 x\n   - b:2:1 x\n'), /^line 5: pool 'alpha': has servers with same name 'x' \(also on line 4\)/);
  assert.match(errorOf('alpha:\n  servers:\n   - a:1:1\n'), /^line 1: pool 'alpha': directive "listen:" is missing/);
  assert.match(errorOf('alpha:\n  listen: 127.0.0.1:1\n'), /^line 1: .*"servers:" is missing/);
  // malformed YAML
  assert.match(errorOf('alpha:\n  listen: 127.0.0.1:1\n   hash: md5\n'), /^line 3: /);
  assert.match(errorOf('alpha:\n\tlisten: 127.0.0.1:1\n'), /^line 2: tab character/);
  assert.match(errorOf('alpha:\n  listen: "127.0.0.1:1\n'), /^line 2: unterminated double-quoted string/);
  assert.match(errorOf('alpha:\n  servers: [a:1:1]\n  listen: x:1\n'), /^line 2: flow collections/);
  assert.match(errorOf('alpha:\n  listen: a:1\n  listen: b:2\n'), /^line 3: duplicate key 'listen'/);
  assert.match(errorOf('just text\n'), /^line 1: expected "key: value"/);
  assert.match(errorOf(''), /^line 1: the configuration is empty/);
  assert.match(errorOf('a:\n  listen: 127.0.0.1:7000\n  servers:\n   - h:1:1\nb:\n  listen: 127.0.0.1:7000\n  servers:\n   - h:1:1\n'), /^line 6: .*already used by pool 'a'/);
});

test('yaml subset: nesting, sequences of mappings, escapes, comments', () => {
  const y = parseYaml('a:\n  b: "x\\ty # not a comment" # a comment\n  c:\n  - 1\n  - k: v\n    k2: v2\n  d: \'it\'\'s\'\n');
  assert.deepEqual(JSON.parse(JSON.stringify(y, (k, v) => (k === 'line' || k === 'quoted' ? undefined : v))), {
    kind: 'map', entries: [{ key: 'a', value: { kind: 'map', entries: [
      { key: 'b', value: { kind: 'scalar', value: 'x\ty # not a comment' } },
      { key: 'c', value: { kind: 'seq', items: [{ kind: 'scalar', value: '1' }, { kind: 'map', entries: [
        { key: 'k', value: { kind: 'scalar', value: 'v' } }, { key: 'k2', value: { kind: 'scalar', value: 'v2' } }] }] } },
      { key: 'd', value: { kind: 'scalar', value: "it's" } }] } }],
  });
});

test('a UTF-8 file read as latin1 keeps server names and passwords as their bytes', () => {
  const text = Buffer.from('p:\n  listen: 127.0.0.1:1\n  redis_auth: "pâss\\u00e9"\n  servers:\n   - h:1:1 café\n', 'utf8').toString('latin1');
  const [p] = parseConfig(text);
  assert.equal(p!.servers[0]!.name, 'caf\xc3\xa9');
  assert.equal(p!.redisAuth, 'p\xc3\xa2ss\xc3\xa9');
  assert.equal(parseConfig('\xef\xbb\xbfp:\n  listen: 127.0.0.1:1\n  servers:\n   - h:1:1\n')[0]!.name, 'p');
});
