/*
 * Golden vectors: placement recorded from a real nutcracker 0.5.0 by
 * scripts/ring-vectors.mjs (test/fixtures/ring/). Every hash x {ketama,
 * modula} x server set (plain host:port, weighted with names of different
 * lengths, explicit names, 25 servers, two hash tags) must agree on every key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TwemproxyRing, ketamaPoints, serverName, type Distribution, type RingServer } from './twemproxy.js';
import { HASH_NAMES, type HashName } from './hash.js';

const FIXTURES = new URL('../../../test/fixtures/ring/', import.meta.url);
const load = (f: string): unknown => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8'));

interface VectorFile { nutcracker: string; servers: string[]; hashTag: string | null; results: Record<string, string> }

/** "host:port:weight [name]" as in nutcracker's YAML */
export function parseServerLine(line: string): RingServer {
  const sp = line.indexOf(' ');
  const addr = sp < 0 ? line : line.slice(0, sp);
  const name = sp < 0 ? undefined : line.slice(sp + 1);
  const parts = addr.split(':');
  // nutcracker hashes the name's bytes: the YAML was UTF-8
  const bytes = name === undefined ? undefined : Buffer.from(name, 'utf8').toString('latin1');
  return { host: parts[0]!, port: Number(parts[1]), weight: Number(parts[2]), ...(bytes ? { name: bytes } : {}) };
}

const keys = (load('keys.json') as { keys: string[] }).keys;

for (const set of ['plain', 'weighted', 'named', 'n25', 'tag_braces', 'tag_dollar']) {
  test(`nutcracker golden vectors: ${set}`, () => {
    const doc = load(`${set}.json`) as VectorFile;
    const servers = doc.servers.map(parseServerLine);
    const pools = Object.entries(doc.results);
    assert.ok(pools.length >= 8);
    const bad: string[] = [];
    for (const [pool, expected] of pools) {
      const [hash, dist] = pool.split('/') as [HashName, Distribution];
      const ring = new TwemproxyRing(servers, { hash, distribution: dist, ...(doc.hashTag ? { hashTag: doc.hashTag } : {}) });
      let miss = 0, first = -1;
      for (let i = 0; i < keys.length; i++) {
        const want = expected.charCodeAt(i) - 48;
        if (ring.lookup(keys[i]!) !== want) { miss++; if (first < 0) first = i; }
      }
      if (miss) bad.push(`${pool}: ${miss}/${keys.length} differ (first key #${first} ${JSON.stringify(keys[first])})`);
    }
    assert.deepEqual(bad, []);
  });
}

test('vectors cover every hash with ketama and modula', () => {
  const doc = load('plain.json') as VectorFile;
  for (const h of HASH_NAMES) for (const d of ['ketama', 'modula']) assert.ok(doc.results[`${h}/${d}`], `${h}/${d}`);
  assert.ok(keys.length >= 2000);
});

test('Buffer keys place like their latin1 strings', () => {
  const doc = load('weighted.json') as VectorFile;
  const ring = new TwemproxyRing(doc.servers.map(parseServerLine), { hash: 'murmur' });
  for (const k of keys.slice(0, 300)) assert.equal(ring.lookup(Buffer.from(k, 'latin1')), ring.lookup(k));
});

test('ketama point counts use single precision (25 servers get 156 each)', () => {
  assert.equal(ketamaPoints(1, 10, 10), 160);
  assert.equal(ketamaPoints(1, 25, 25), 156);
  const ring = new TwemproxyRing(Array.from({ length: 25 }, (_, i) => ({ name: `s${i}` })), { hash: 'md5' });
  assert.equal(ring.continuum().length, 25 * 156);
});

test('server names: host:port, host alone on 11211, explicit name wins', () => {
  assert.equal(serverName({ host: '10.0.0.1', port: 6379 }), '10.0.0.1:6379');
  assert.equal(serverName({ host: '10.0.0.1', port: 11211 }), '10.0.0.1');
  assert.equal(serverName({ host: '10.0.0.1', port: 6379, name: 'a' }), 'a');
});

test('ejecting a server moves only its keys (ketama) and -1 with none live', () => {
  const servers = Array.from({ length: 5 }, (_, i) => ({ name: `n${i}` }));
  const ring = new TwemproxyRing(servers, { hash: 'fnv1a_64' });
  const before = keys.map((k) => ring.lookup(k));
  ring.setLive([true, true, false, true, true]);
  keys.forEach((k, i) => {
    const now = ring.lookup(k);
    assert.notEqual(now, 2);
    if (before[i] !== 2) assert.equal(now, before[i]);
  });
  ring.setLive([false, false, false, false, false]);
  assert.equal(ring.lookup('x'), -1);
});

test('bad options are rejected with a clear message', () => {
  assert.throws(() => new TwemproxyRing([]), /no servers/);
  assert.throws(() => new TwemproxyRing([{ name: 'a' }], { hash: 'sha1' as HashName }), /unknown hash 'sha1'/);
  assert.throws(() => new TwemproxyRing([{ name: 'a', weight: 0 }]), /positive integer/);
  assert.throws(() => new TwemproxyRing([{ name: 'a' }, { name: 'a' }]), /two servers named 'a'/);
});
