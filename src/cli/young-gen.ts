/*
 * The young generation of a nodis-server (or nodis-sentinel) process: semi-spaces of at most 4 MB instead of V8's
 * 16 MB. Called by the bin scripts before the server's modules load.
 *
 * Why (bench/README.md, "Young generation"): a scavenge pauses the event loop for as long as it takes to copy what
 * survives in the young generation; after a burst of new keys (a bulk load, DEBUG POPULATE, a big MSET pipeline)
 * nearly everything survives, and 16 MB semi-spaces made that a 20-40 ms stall (the full-sync benchmark's worst PING
 * wait). 4 MB ones cap it near a quarter of that. Throughput and CPU per request do not move (A/B at P1 and P16,
 * 1 MB to 64 MB); 1 MB semi-spaces slowed a save under load 2-3x (many more scavenges in its slices), 4 MB did not.
 *
 * How: --max-semi-space-size only works on node's command line, which `node bin/nodis-server` and embedding
 * programs control, not this code. V8 reads --semi-space-growth-factor each time it would grow the new space: at
 * start-up the space is grown to the cap (objects kept alive across a few scavenges, a few ms) and the factor set
 * to 1 (no growth). V8 shrinks the space when the allocation rate drops (an idle server); after each collection
 * the factor goes back to 2 while the space is below the cap, so it grows back. (That check runs when the
 * collection's entry is delivered, after the turn: a long synchronous burst right after a shrink may grow the
 * space a step past the cap before it stops.) A node flag given for the young generation wins;
 * NODIS_YOUNG_GEN=default keeps V8's sizing. Embedded servers (startServer) leave the host program's heap alone.
 */
import v8 from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';

/** the cap per semi-space; getHeapSpaceStatistics' new_space counts both */
const MAX_SEMI_MB = 4;

export function capYoungGeneration(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
    .some((a) => /^--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor)/.test(a));
  if (given || process.env.NODIS_YOUNG_GEN === 'default') return;
  const cap = 2 * MAX_SEMI_MB * 1024 * 1024;
  const newSpace = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? cap;
  // grow it to the cap now, while nothing else runs: V8 doubles the new space when most of what it holds survives
  // a scavenge, so keep objects alive until it has (a few MB for a few ms), checking after each batch
  let keep: object[] | null = [];
  for (let i = 0; i < 64 && newSpace() < cap; i++) {
    for (let j = 0; j < 20000; j++) keep.push({ i, j });
  }
  keep = null;
  let factor = 2;
  const set = (want: number): void => { if (want !== factor) { factor = want; v8.setFlagsFromString(`--semi-space-growth-factor=${want}`); } };
  set(1);
  // V8 shrinks the space again when the allocation rate drops (an idle server): let it grow back to the cap
  new PerformanceObserver(() => set(newSpace() >= cap ? 1 : 2)).observe({ entryTypes: ['gc'] });
}
