// Memory per key, Nodis vs redis-server: loads N distinct keys with V-byte values through
// `redis-cli --pipe` into each server and reports RSS growth per key (and, for Nodis,
// heap-after-GC growth per key; run with node --expose-gc).
// Usage: node --expose-gc bench/e2e/memory.mjs [N=1000000] [V=16]
import { measure, writeProto } from './memory-harness.mjs';

const N = Number(process.argv[2] ?? 1_000_000);
const V = Number(process.argv[3] ?? 16);
const file = `/tmp/nodis-mem-${N}-${V}.resp`;
const value = 'v'.repeat(V);
writeProto(file, (emit) => {
  for (let i = 0; i < N; i++) {
    const k = `key:${String(i).padStart(12, '0')}`;
    emit(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${V}\r\n${value}\r\n`);
  }
});

const { redis: r, nodis: n } = await measure({ file, redisPort: Number(process.env.REDIS_PORT ?? 7098) });
const per = (d, k) => (d / k).toFixed(1);
console.log(`keys: redis ${r.keys}, nodis ${n.keys}; value ${V} bytes`);
console.log(`redis RSS growth per key:  ${per(r.rss, r.keys)} B`);
console.log(`nodis RSS growth per key:  ${per(n.rss, n.keys)} B  (ratio ${(n.rss / n.keys / (r.rss / r.keys)).toFixed(2)}x)`);
console.log(`nodis heap-after-GC growth per key: ${globalThis.gc ? per(n.heap, n.keys) + ' B' : 'n/a (run with --expose-gc)'}`);
