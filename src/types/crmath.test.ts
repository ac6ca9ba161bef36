/*
 * Unit tests of the correctly rounded sin / cos / asin: exact values, values
 * checked against 300-bit mpmath, and, when a C compiler is available, random
 * arguments in the ranges the geo code uses compared with the platform's
 * libm (what redis-server computes with): glibc 2.36 is not correctly
 * rounded either, but it agrees with these on all but ~0.1% of arguments
 * (V8's Math functions: ~3%), and never by more than one ulp.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crAsin, crCos, crSin } from './crmath.js';

test('exact and edge values', () => {
  assert.equal(crSin(0), 0);
  assert.ok(Object.is(crSin(-0), -0));
  assert.equal(crCos(0), 1);
  assert.equal(crAsin(1), Math.PI / 2);
  assert.equal(crAsin(0), 0);
  assert.equal(crSin(Math.PI), 1.2246467991473532e-16);
  assert.equal(crCos(Math.PI / 2), 6.123233995736766e-17);
  assert.ok(Number.isNaN(crAsin(1.5)));
  // correctly rounded values (mpmath, 300 bits), where glibc or V8 round the other way
  assert.equal(crSin(0.25463454239070415), 0.251891751882749);
  assert.equal(crCos(1.4349073834717274), 0.1354711128356406);
  assert.equal(crAsin(0.43397947624325756), 0.4489052134248504);
  assert.equal(crSin(0.1290738182142377), 0.12871572058467498);
});

/** Distance in ulps between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  const f = new Float64Array([a, b]);
  const i = new BigInt64Array(f.buffer);
  const d = i[0]! - i[1]!;
  return Number(d < 0n ? -d : d);
}

test('random arguments against libm', { skip: spawnSync('cc', ['--version']).status !== 0 ? 'needs cc' : false }, () => {
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const xs: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const k = i % 4;
    xs.push(k === 0 ? (rnd() * 2 - 1) * Math.PI : k === 1 ? (rnd() * 2 - 1) * 1e-3 : k === 2 ? rnd() : (rnd() * 2 - 1) * 1.6);
  }
  const dir = mkdtempSync(join(tmpdir(), 'crmath-'));
  writeFileSync(join(dir, 'm.c'), `#include <stdio.h>
#include <stdlib.h>
#include <math.h>
int main(void) { char buf[64]; while (fgets(buf, sizeof buf, stdin)) { double x = strtod(buf, NULL);
  printf("%a %a %a\\n", sin(x), cos(x), asin(fabs(x) <= 1 ? x : 0.5)); } return 0; }
`);
  const cc = spawnSync('cc', ['-O0', '-o', join(dir, 'm'), join(dir, 'm.c'), '-lm']);
  assert.equal(cc.status, 0, String(cc.stderr));
  const run = spawnSync(join(dir, 'm'), { input: xs.map((x) => x.toPrecision(17)).join('\n') + '\n' });
  const lines = String(run.stdout).trim().split('\n');
  const hex = (s: string): number => {
    const m = /^(-?)0x([01])\.?([0-9a-f]*)p([+-]\d+)$/.exec(s);
    assert.ok(m, s);
    const v = (Number(m[2]) + (m[3] ? parseInt(m[3], 16) / 16 ** m[3].length : 0)) * 2 ** Number(m[4]);
    return m[1] === '-' ? -v : v;
  };
  const bad: string[] = [];
  let differ = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = Number(xs[i]!.toPrecision(17));
    const [s, c, a] = lines[i]!.split(' ').map(hex) as [number, number, number];
    const y = Math.abs(x) <= 1 ? x : 0.5;
    for (const [name, ours, libm] of [['sin', crSin(x), s], ['cos', crCos(x), c], ['asin', crAsin(y), a]] as const) {
      if (ours === libm) continue;
      differ++;
      if (ulps(ours, libm) > 1) bad.push(`${name}(${x}) ${ours} vs ${libm}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(differ < xs.length * 3 * 0.005, `${differ} of ${xs.length * 3} differ from libm`);
});
