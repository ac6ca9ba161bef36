// ZRANGE (10 elements at a middle rank) and ZRANK on sorted sets of 10k, 100k and 1M members,
// in-process on the skiplist encoding (order-statistic B+tree): time per operation should grow
// like log n, not n. Also times ZADD updates (score changes: remove + insert).
// Usage: npm run build && node bench/micro/zset-rank.mjs [sizes=10000,100000,1000000]
import { ZSet } from '../../dist/src/types/zset.js';

const sizes = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const lim = { maxEntries: 128, maxValue: 64 };
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };

function time(label, ops, fn) {
  for (let i = 0; i < Math.min(ops, 20000); i++) fn(i); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / ops;
  return { label, ns };
}

const rows = [];
for (const n of sizes) {
  const z = new ZSet();
  const members = [];
  const tb = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const m = `member:${i}`;
    members.push(m);
    z.insert(m, Math.floor(rnd() * n), lim);
  }
  const buildMs = Number(process.hrtime.bigint() - tb) / 1e6;
  const mid = n >> 1;
  let sink = 0;
  const ops = 200000;
  const range = time('ZRANGE mid 10', ops, (i) => { z.each(mid + (i & 1023), 10, false, (m) => { sink += m.length; }); });
  const rank = time('ZRANK', ops, (i) => { sink += z.rank(members[(i * 7919) % n]); });
  const byScore = time('ZCOUNT', ops, (i) => { const s = (i * 31) % n; sink += z.scoreHigh(s + 100, false) - z.scoreLow(s, false); });
  const update = time('ZADD update', ops, (i) => { z.update(members[(i * 104729) % n], Math.floor(rnd() * n)); });
  rows.push({ n, buildMs, range: range.ns, rank: rank.ns, byScore: byScore.ns, update: update.ns });
  if (sink === 0.5) console.log(sink);
}
console.log('members     build(ms)  ZRANGE-mid-10(ns)  ZRANK(ns)  ZCOUNT(ns)  ZADD-update(ns)');
for (const r of rows) {
  console.log(`${String(r.n).padStart(9)}  ${r.buildMs.toFixed(0).padStart(9)}  ${r.range.toFixed(0).padStart(17)}  ${r.rank.toFixed(0).padStart(9)}  ${r.byScore.toFixed(0).padStart(10)}  ${r.update.toFixed(0).padStart(15)}`);
}
const a = rows[0];
const b = rows[rows.length - 1];
if (a && b && a !== b) {
  console.log(`growth ${a.n} -> ${b.n} (x${b.n / a.n}, log ratio ${(Math.log(b.n) / Math.log(a.n)).toFixed(2)}): ZRANGE x${(b.range / a.range).toFixed(2)}, ZRANK x${(b.rank / a.rank).toFixed(2)}, ZCOUNT x${(b.byScore / a.byScore).toFixed(2)}`);
}
