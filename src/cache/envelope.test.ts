/*
 * The stored envelope: round trips, the not-found marker never confused with
 * a stored null, clear serialization errors, TTL jitter spread, the key limit,
 * the XFetch rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CacheKeyError, CacheSerializationError, MAX_KEY_BYTES, checkKey, decode, encode, isNegative, jittered, xfetch,
} from './envelope.js';

test('envelope round-trips values, null and the not-found marker distinctly', () => {
  for (const v of [null, 0, '', 'x', false, [1, 'a', null], { a: { b: [1] } }, 'é€😀']) {
    const env = decode(encode('k', { v, e: 10, g: 20, d: 1.5, t: { users: 3 } }))!;
    assert.deepEqual(env.v, v);
    assert.equal(isNegative(env), false);
    assert.deepEqual(env.t, { users: 3 });
    assert.equal(env.d, 1.5);
  }
  const neg = decode(encode('k', { n: 1, e: 10, g: 10 }))!;
  assert.equal(isNegative(neg), true);
  assert.equal('v' in neg, false);
  const nul = decode(encode('k', { v: null, e: 10, g: 10 }))!;
  assert.equal(isNegative(nul), false);
  assert.equal(nul.v, null);
  // Foreign or corrupt strings are misses, not errors.
  for (const s of ['hello', '{"e":1}', '{"v":1}', '[]', 'null', '{"e":1,"g":2}']) assert.equal(decode(s), null, s);
  assert.equal(decode(null), null);
});

test('unserializable values throw CacheSerializationError with the reason', () => {
  assert.throws(() => encode('big', { v: { n: 10n }, e: 1, g: 1 }), (e: Error) => e instanceof CacheSerializationError && /BigInt/.test(e.message) && /"big"/.test(e.message));
  const cyc: Record<string, unknown> = {}; cyc['self'] = cyc;
  assert.throws(() => encode('cyc', { v: cyc, e: 1, g: 1 }), (e: Error) => e instanceof CacheSerializationError && /cycle/.test(e.message));
  assert.throws(() => encode('f', { v: () => 1, e: 1, g: 1 }), CacheSerializationError);
  assert.throws(() => encode('u', { v: undefined, e: 1, g: 1 }), CacheSerializationError);
});

test('TTL jitter spreads ±10% uniformly', () => {
  const n = 100_000, ttl = 60_000;
  const buckets = new Array<number>(20).fill(0);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = jittered(ttl, 0.1);
    min = Math.min(min, t); max = Math.max(max, t);
    buckets[Math.min(19, Math.floor((t - 54_000) / 600))]!++;
  }
  console.log(`# jitter: min ${min} max ${max} buckets ${buckets.join(' ')}`);
  assert.ok(min >= 54_000 && max <= 66_000);
  assert.ok(min < 54_300 && max > 65_700, 'the whole range is used');
  const mean = n / 20;
  for (const b of buckets) assert.ok(b > mean * 0.8 && b < mean * 1.2, `bucket ${b} vs mean ${mean}`);
  assert.equal(jittered(1000, 0), 1000);
});

test('keys longer than MAX_KEY_BYTES are refused', () => {
  checkKey('a'.repeat(MAX_KEY_BYTES));
  assert.throws(() => checkKey('a'.repeat(MAX_KEY_BYTES + 1)), CacheKeyError);
  assert.throws(() => checkKey('€'.repeat(MAX_KEY_BYTES / 3 + 1)), CacheKeyError); // 3 bytes each in UTF-8
});

test('XFetch refreshes early more often as expiry nears and δ grows', () => {
  const now = 1_000_000;
  const rate = (e: number, d: number): number => {
    let k = 0;
    for (let i = 0; i < 10_000; i++) if (xfetch(now, { v: 1, e, g: e, d }, 1)) k++;
    return k / 10_000;
  };
  assert.equal(rate(now + 10_000, 10), 0);               // far from expiry: never
  const near = rate(now + 10, 10), far = rate(now + 30, 10);
  assert.ok(near > far && far > 0, `${near} ${far}`);    // P = exp(-(e-now)/δβ): 0.37 vs 0.05
  assert.ok(Math.abs(near - Math.exp(-1)) < 0.03, `${near}`);
  assert.equal(rate(now - 1, 10), 1);                    // expired: always
  assert.equal(rate(now + 5, 0), 0);                     // no δ: only at expiry
});
