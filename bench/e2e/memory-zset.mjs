// Memory of sorted sets, Nodis vs redis-server: loads N sorted sets of M members each
// (ZADD in batches of 10 pairs: short members, integer and fractional scores) through
// `redis-cli --pipe` into both, then reports RSS growth (total and per zset) and the ratio,
// plus Nodis's heap-after-GC growth (run with node --expose-gc). M <= 128 keeps Redis's
// default listpack encoding; the encoding of one key is printed for both.
// Usage: npm run build && node --expose-gc bench/e2e/memory-zset.mjs [N=100000] [M=100]
import { bulk, measure, writeProto } from './memory-harness.mjs';

const N = Number(process.argv[2] ?? 100_000);
const M = Number(process.argv[3] ?? 100);
const file = `/tmp/nodis-memzset-${N}-${M}.resp`;
writeProto(file, (emit) => {
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
  for (let i = 0; i < N; i++) {
    const k = `zset:${String(i).padStart(8, '0')}`;
    for (let j = 0; j < M; j += 10) {
      const n = Math.min(10, M - j);
      let cmd = `*${2 + 2 * n}\r\n$4\r\nZADD\r\n${bulk(k)}`;
      for (let t = j; t < j + n; t++) {
        const r = rnd();
        const score = t % 4 === 0 ? String((r % 100000) / 100) : String(r % 1000000);
        cmd += bulk(score) + bulk(`member:${t}`);
      }
      emit(cmd);
    }
  }
});

const sample = `zset:${String(0).padStart(8, '0')}`;
const { redis: r, nodis: n } = await measure({
  file, redisPort: Number(process.env.REDIS_PORT ?? 7798), nodisPort: Number(process.env.NODIS_PORT ?? 0), sample, card: true,
});
const mb = (b) => (b / 1048576).toFixed(1);
console.log(`sorted sets: redis ${r.keys} (${r.enc}, ${r.card} members), nodis ${n.keys} (${n.enc}, ${n.value?.size} members)`);
console.log(`redis RSS growth: ${mb(r.rss)} MB, ${(r.rss / r.keys).toFixed(0)} B per zset`);
console.log(`nodis RSS growth: ${mb(n.rss)} MB, ${(n.rss / n.keys).toFixed(0)} B per zset  (ratio ${(n.rss / n.keys / (r.rss / r.keys)).toFixed(2)}x)`);
console.log(`nodis heap-after-GC growth: ${globalThis.gc ? `${mb(n.heap)} MB, ${(n.heap / n.keys).toFixed(0)} B per zset` : 'n/a (run with --expose-gc)'}`);
