/*
 * Key movement when a tenth server becomes eleven: 1M keys; the moved share
 * must be within 0.5 points of 1/11 for ketama, rendezvous and Maglev, and no
 * key may move between two surviving servers for unweighted ketama and
 * rendezvous (Maglev's table reshuffles a little by design: reported, bounded).
 * Runs in a few seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwemproxyRing, MaglevRing, RendezvousRing, type Ring } from './index.js';

const N = 1_000_000;
const keys: string[] = Array.from({ length: N }, (_, i) => `key:${i}`);
const names10 = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}:6379`);
const names11 = [...names10, '10.0.0.11:6379'];

function movement(make: (names: string[]) => Ring): { moved: number; between: number } {
  const a = make(names10), b = make(names11);
  let moved = 0, between = 0;
  for (let i = 0; i < N; i++) {
    const x = a.lookup(keys[i]!), y = b.lookup(keys[i]!);
    if (x !== y) { moved++; if (y !== 10) between++; }
  }
  return { moved: (moved / N) * 100, between: (between / N) * 100 };
}

const ideal = 100 / 11;
const cases: [string, (n: string[]) => Ring, boolean][] = [
  ['ketama md5', (ns) => new TwemproxyRing(ns.map((name) => ({ name })), { hash: 'md5' }), true],
  ['ketama fnv1a_64', (ns) => new TwemproxyRing(ns.map((name) => ({ name })), { hash: 'fnv1a_64' }), true],
  ['rendezvous', (ns) => new RendezvousRing(ns), true],
  ['maglev', (ns) => new MaglevRing(ns), false],
];
for (const [name, make, exact] of cases) {
  test(`10 -> 11 servers, 1M keys: ${name}`, () => {
    const { moved, between } = movement(make);
    console.log(`# ${name}: ${moved.toFixed(3)}% moved (ideal ${ideal.toFixed(3)}%), ${between.toFixed(4)}% between survivors`);
    assert.ok(Math.abs(moved - ideal) <= 0.5, `${name}: moved ${moved}%`);
    if (exact) assert.equal(between, 0);
    else assert.ok(between < 0.5);
  });
}
