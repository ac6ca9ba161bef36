// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Node 20's `node --test` takes paths, not globs, so this lists them.
// Usage: node scripts/run-tests.mjs [substring-filter ...]
//
// Bounded: each test has TEST_TIMEOUT_MS (default 180 s) and the whole run
// RUN_TIMEOUT_MS (default 20 min). A test file whose process does not exit
// after its tests (a listener or timer left open) would hold the run forever;
// on the run's deadline the files still running are named and the run fails.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';

const roots = ['dist/src', 'dist/test'];
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
};
for (const r of roots) { try { walk(r); } catch { /* missing */ } }
const filters = process.argv.slice(2);
const chosen = filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
chosen.sort();

const testTimeout = Number(process.env.TEST_TIMEOUT_MS ?? 180_000);
const runTimeout = Number(process.env.RUN_TIMEOUT_MS ?? 20 * 60_000);
const started = Date.now();
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', `--test-timeout=${testTimeout}`, ...chosen], { stdio: 'inherit', detached: true });

/** The test files still running: node processes below the runner. */
function running() {
  try {
    const ps = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
    return ps.split('\n').filter((l) => l.includes('.test.js') && l.includes(String(child.pid))).map((l) => l.trim());
  } catch { return []; }
}

const watchdog = setTimeout(() => {
  console.error(`\n# run-tests: the run passed its ${runTimeout / 1000} s deadline; still running:`);
  for (const l of running()) console.error(`#   ${l}`);
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  process.exit(1);
}, runTimeout);

child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  console.log(`# run-tests: ${chosen.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
