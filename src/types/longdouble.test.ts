/*
 * Unit tests of the 80-bit long double emulation. Values checked here follow
 * from the format's definition (64-bit significand, exponent range,
 * ties-to-even); when a C compiler is available, random parse/add/format cases
 * are also compared with the platform's real long double (x86-64).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, arch } from 'node:os';
import { join } from 'node:path';
import { formatFixed17, formatHuman, ldAdd, ldFromBigInt, parseLongDouble, type LongDouble } from './longdouble.js';

const P = (s: string): LongDouble => { const v = parseLongDouble(s); assert.ok(v, `parse ${s}`); return v; };
const sum = (a: string, b: string): string => formatHuman(ldAdd(P(a), P(b)));

test('parse: exact values and significand', () => {
  assert.deepEqual([P('1').m, P('1').e], [1n << 63n, -63]);
  assert.deepEqual([P('0x1p-16445').m, P('0x1p-16445').e], [1n, -16445]); // smallest subnormal
  // 2^64 + 1 does not fit 64 bits: ties to even gives 2^64
  assert.equal(formatHuman(P('18446744073709551617')), '18446744073709551616');
  assert.equal(formatHuman(P('18446744073709551619')), '18446744073709551620');
  assert.equal(formatHuman(ldFromBigInt(-(2n ** 63n))), '-9223372036854775808');
});

test('parse: rejections as string2ld', () => {
  for (const s of ['', ' 1', '1 ', 'abc', 'nan', 'NaN', '1e', '0x', '.', '-', '1e5000', '-1e5000', '1e-5000', '0x1p', '1..2', 'infinit']) {
    assert.equal(parseLongDouble(s), null, JSON.stringify(s));
  }
  for (const s of ['inf', '-Infinity', '+1', '.5', '5.', '0x1.8p1', '1E3', '-0', '1e-4950']) assert.ok(parseLongDouble(s), s);
  assert.equal(parseLongDouble('x'.repeat(6000)), null);
});

test('addition and human formatting', () => {
  assert.equal(sum('0.1', '0.2'), '0.3');
  assert.equal(sum('10.5', '0.1'), '10.6');
  assert.equal(sum('1', '-1'), '0');
  assert.equal(sum('-0', '-0'), '0');
  assert.equal(sum('1.5', '1.5'), '3');
  assert.equal(sum('0x1p-16445', '0'), '0');
  assert.equal(formatHuman(ldAdd(P('1.1e4932'), P('1.1e4932'))), 'inf');
  assert.equal(ldAdd(P('inf'), P('-inf')).kind, 2);
  assert.equal(formatFixed17(P('0.5')), '0.50000000000000000');
  assert.equal(formatFixed17(P('-2')), '-2.00000000000000000');
  // %.17Lf rounds the exact binary value half to even: 2^-58 = 3.4694...e-18 -> 0.00000000000000000
  assert.equal(formatFixed17(P('0x1p-58')), '0.00000000000000000');
  assert.equal(formatFixed17(P('0x1p-56')), '0.00000000000000001');
});

test('random cases against the C long double', { skip: arch() !== 'x64' || spawnSync('cc', ['--version']).status !== 0 ? 'needs cc on x86-64' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ld-'));
  writeFileSync(join(dir, 'ld.c'), `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <math.h>
#include <ctype.h>
static int s2ld(const char*s, long double*dp){ char*e; errno=0; long double v=strtold(s,&e);
 if(isspace(s[0])||e[0]!='\\0'||(errno==ERANGE&&(v==HUGE_VAL||v==-HUGE_VAL||fpclassify(v)==FP_ZERO))||errno==EINVAL||isnan(v)) return 0; *dp=v; return 1;}
int main(){ static char a[6000],b[6000],buf[6000]; while(scanf("%5999s %5999s",a,b)==2){ long double x,y,z; int l;
 if(!s2ld(a,&x)||!s2ld(b,&y)){puts("ERR");continue;} z=x+y; if(isnan(z)||isinf(z)){puts("NAN");continue;}
 l=snprintf(buf,sizeof buf,"%.17Lf",z); if(strchr(buf,'.')){char*p=buf+l-1; while(*p=='0'){p--;l--;} if(*p=='.')l--;}
 if(l==2&&buf[0]=='-'&&buf[1]=='0'){buf[0]='0';l=1;} buf[l]=0; puts(buf);} return 0; }
`);
  const cc = spawnSync('cc', ['-O0', '-o', join(dir, 'ld'), join(dir, 'ld.c'), '-lm']);
  assert.equal(cc.status, 0, String(cc.stderr));
  let seed = 4242;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const digits = (n: number): string => Array.from({ length: n }, () => String(rnd(10))).join('');
  const num = (): string => {
    const sign = rnd(2) ? '-' : '';
    switch (rnd(8)) {
      case 0: return sign + digits(1 + rnd(22));
      case 1: return sign + digits(1 + rnd(5)) + '.' + digits(1 + rnd(25));
      case 2: return sign + digits(1 + rnd(3)) + 'e' + (rnd(2) ? '-' : '') + rnd(4960);
      case 3: return sign + '0x' + rnd(1e9).toString(16) + 'p' + (rnd(2) ? '-' : '') + rnd(16500);
      case 4: return sign + '0.' + digits(rnd(40)) + digits(1);
      case 5: return sign + digits(2) + 'e-' + (4930 + rnd(30));
      case 6: return sign + digits(1 + rnd(60)) + 'e-' + rnd(80);
      default: return sign + rnd(1000) + '.' + rnd(1000);
    }
  };
  const cases: [string, string][] = [];
  for (let i = 0; i < 3000; i++) {
    const a = num();
    cases.push([a, rnd(4) === 0 ? (a.startsWith('-') ? a.slice(1) : '-' + a) : num()]);
  }
  const run = spawnSync(join(dir, 'ld'), { input: cases.map((c) => c.join(' ')).join('\n') + '\n', maxBuffer: 1 << 28 });
  const want = String(run.stdout).trim().split('\n');
  for (let i = 0; i < cases.length; i++) {
    const [a, b] = cases[i]!;
    const x = parseLongDouble(a);
    const y = parseLongDouble(b);
    let got: string;
    if (x === null || y === null) got = 'ERR';
    else { const z = ldAdd(x, y); got = z.kind !== 0 ? 'NAN' : formatHuman(z); }
    assert.equal(got, want[i], `${a} + ${b}`);
  }
});
