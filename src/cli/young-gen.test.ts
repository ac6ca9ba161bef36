/*
 * capYoungGeneration() (run by bin/nodis-server before the server loads): the
 * new space is grown to 4 MB semi-spaces at once and stays there through a long
 * synchronous burst of surviving allocations (V8 alone grows it to 16 MB ones);
 * NODIS_YOUNG_GEN=default leaves V8's sizing. Each case runs in a fresh process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const mod = fileURLToPath(new URL('./young-gen.js', import.meta.url));
const probe = `
import v8 from 'node:v8';
const { capYoungGeneration } = await import(${JSON.stringify(mod)});
capYoungGeneration();
const mb = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
const atStart = mb();
const keep = []; let max = 0;
for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (i % 50000 === 0) max = Math.max(max, mb()); }
console.log(JSON.stringify({ atStart, max }));
`;

function run(env: NodeJS.ProcessEnv): { atStart: number; max: number } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { env: { ...process.env, NODE_OPTIONS: '', ...env }, encoding: 'latin1' });
  return JSON.parse(out) as { atStart: number; max: number };
}

test('the new space is grown to 4 MB semi-spaces (8 MB) at start and held there', () => {
  const r = run({});
  assert.equal(r.atStart, 8);
  assert.equal(r.max, 8);
});

test('NODIS_YOUNG_GEN=default keeps V8 growing it', () => {
  const r = run({ NODIS_YOUNG_GEN: 'default' });
  assert.ok(r.max > 8, `max ${r.max} MB`);
});
