// Ring lookups per second, in-process: twemproxy ketama (fnv1a_64, the hash twemproxy's docs
// recommend, and md5), modula, libketama, Redis Cluster slots, Maglev and rendezvous, on 100k
// distinct keys of 8-24 bytes, 10 servers. Target: ketama >= 5M lookups/s.
// Usage: npm run build && node bench/micro/ring.mjs [lookups=5000000]
import { TwemproxyRing, KetamaRing, SlotRing, MaglevRing, RendezvousRing } from '../../dist/src/ring/index.js';

const OPS = Number(process.argv[2] ?? 5_000_000);
const keys = Array.from({ length: 100_000 }, (_, i) => `object:${i}:${(i * 2654435761) >>> 20}`);
const names = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}:6379`);
const tw = (hash, distribution) => new TwemproxyRing(names.map((name) => ({ name })), { hash, distribution });
const rings = [
  ['twemproxy ketama fnv1a_64', tw('fnv1a_64', 'ketama')],
  ['twemproxy ketama murmur', tw('murmur', 'ketama')],
  ['twemproxy ketama md5', tw('md5', 'ketama')],
  ['twemproxy modula fnv1a_64', tw('fnv1a_64', 'modula')],
  ['libketama (md5)', new KetamaRing(names)],
  ['cluster slots (crc16)', new SlotRing(names)],
  ['maglev', new MaglevRing(names)],
  ['rendezvous', new RendezvousRing(names)],
];
let sink = 0;
for (const [label, r] of rings) {
  for (let i = 0; i < 200_000; i++) sink += r.lookup(keys[i % keys.length]); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) sink += r.lookup(keys[i % 100_000]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(28)} ${(OPS / s / 1e6).toFixed(2).padStart(6)} M lookups/s  ${(s * 1e9 / OPS).toFixed(0).padStart(4)} ns/lookup`);
}
if (sink === -1) console.log(sink);
