// Memory of small hashes, Nodis vs redis-server: loads N hashes of F fields (short field
// names, V-byte values) with one HSET each through `redis-cli --pipe` into each server and
// reports RSS growth per hash and the ratio (target <= 1.3x Redis), and for Nodis the
// heap-after-GC growth per hash (run with node --expose-gc).
// Usage: node --expose-gc bench/e2e/memory-hash.mjs [N=100000] [F=10] [V=8]
import { bulk, measure, writeProto } from './memory-harness.mjs';

const N = Number(process.argv[2] ?? 100_000);
const F = Number(process.argv[3] ?? 10);
const V = Number(process.argv[4] ?? 8);
const file = `/tmp/nodis-memhash-${N}-${F}-${V}.resp`;
writeProto(file, (emit) => {
  for (let i = 0; i < N; i++) {
    let cmd = `*${2 + 2 * F}\r\n$4\r\nHSET\r\n` + bulk(`hash:${String(i).padStart(10, '0')}`);
    for (let j = 0; j < F; j++) cmd += bulk(`field${j}`) + bulk(String(i * F + j).padStart(V, 'v').slice(-V));
    emit(cmd);
  }
});

const { redis: r, nodis: n } = await measure({ file, redisPort: Number(process.env.REDIS_PORT ?? 7697), sample: 'hash:0000000000' });
const per = (d, k) => (d / k).toFixed(1);
console.log(`hashes: redis ${r.keys} (${r.enc}), nodis ${n.keys} (${n.enc}); ${F} fields, values ${V} bytes`);
console.log(`redis RSS growth per hash:  ${per(r.rss, r.keys)} B`);
console.log(`nodis RSS growth per hash:  ${per(n.rss, n.keys)} B  (ratio ${(n.rss / n.keys / (r.rss / r.keys)).toFixed(2)}x, target <= 1.3x)`);
console.log(`nodis heap-after-GC growth per hash: ${globalThis.gc ? per(n.heap, n.keys) + ' B' : 'n/a (run with --expose-gc)'}`);
