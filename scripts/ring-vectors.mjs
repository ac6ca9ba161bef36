#!/usr/bin/env node
/*
 * Regenerates the ring's golden vectors (test/fixtures/ring/*.json) from a
 * real nutcracker (twemproxy; Debian's 0.5.0 was used):
 *
 *   node scripts/ring-vectors.mjs [--nutcracker /usr/sbin/nutcracker] [--out test/fixtures/ring]
 *
 * How: fake RESP backends in this process listen on fixed loopback addresses
 * (127.0.0.x:27182 and :27183, so the "host:port" names that twemproxy hashes
 * are the same on every run) and answer +OK to everything. One nutcracker
 * runs every pool (hash x distribution x server set) from one YAML file; we
 * send "SET <key> <pool>" for every key through each pool and record which
 * backend each SET reached (the backend is told by the local address the
 * connection came in on). Keys are deterministic (seeded) and include
 * binary, non-ASCII (UTF-8 bytes and raw bytes >= 0x80), hash-tagged, long
 * and short keys.
 *
 * Output: keys.json (the keys, latin1 escaped as JSON strings) and one file
 * per server set: its servers as written in the YAML, and per pool a string
 * with one character per key: String.fromCharCode(48 + server index in the
 * YAML list), or '-' when nutcracker answered the SET with an error.
 */
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : d; };
const NUTCRACKER = opt('--nutcracker', fs.existsSync('/usr/sbin/nutcracker') ? '/usr/sbin/nutcracker' : 'nutcracker');
const OUT = opt('--out', 'test/fixtures/ring');
const NKEYS = Number(opt('--keys', '2500'));

const HASHES = ['one_at_a_time', 'md5', 'crc16', 'crc32', 'crc32a', 'fnv1_64', 'fnv1a_64',
  'fnv1_32', 'fnv1a_32', 'hsieh', 'murmur', 'jenkins'];

// ---------------------------------------------------------------------------
// keys

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeKeys(n) {
  const rnd = mulberry32(20261206);
  const int = (k) => Math.floor(rnd() * k);
  const keys = new Set();
  const add = (k) => { if (!keys.has(k)) keys.add(k); };
  const utf8 = (s) => Buffer.from(s, 'utf8').toString('latin1');
  // fixed edge cases
  for (const k of ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'foo', 'bar', '{', '}', '{}', '{}{x}', 'a{b', 'a}b{', '{user1000}.following',
    '{user1000}.followers', 'foo{}bar', 'foo{bar}', '{{x}}', 'x{y}z{w}', ' ', '\r\n', '\x00', '\x00\x00\x00\x00', '\xff', '\x80',
    '\xff\xfe\xfd', utf8('été'), utf8('日本語のキー'), utf8('ключ'), utf8('🔑'), '$$a$$', 'a$b$c', '<x>y']) add(k);
  // every length 1..70 (tails of the 4- and 12-byte block hashes, the MD5 64-byte block edge)
  for (let len = 1; len <= 70; len++) {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(33 + int(94));
    add(s);
    let b = '';
    for (let i = 0; i < len; i++) b += String.fromCharCode(int(256));
    add(b);
  }
  const words = ['user', 'session', 'cart', 'item', 'post', 'comment', 'feed', 'cache', 'lock', 'q'];
  while (keys.size < n) {
    const r = rnd();
    if (r < 0.35) add(`key:${int(1e6)}`);
    else if (r < 0.5) add(`${words[int(words.length)]}:${int(1e5)}:${words[int(words.length)]}`);
    else if (r < 0.6) add(`{${words[int(words.length)]}${int(50)}}:${int(1e4)}`); // hash-tagged
    else if (r < 0.65) add(`${int(1e3)}{${int(30)}}${int(1e3)}$${int(9)}$`);
    else if (r < 0.75) { // random binary
      let s = '';
      const len = 1 + int(40);
      for (let i = 0; i < len; i++) s += String.fromCharCode(int(256));
      add(s);
    } else if (r < 0.85) { // non-ASCII text as UTF-8 bytes
      const pool = 'äöüßéèçñ日本語中文한국어ключзначениеλόγος';
      let s = words[int(words.length)] + ':';
      const len = 1 + int(8);
      for (let i = 0; i < len; i++) s += pool[int(pool.length)];
      add(utf8(s));
    } else if (r < 0.9) { // long
      let s = '';
      const len = 64 + int(250);
      for (let i = 0; i < len; i++) s += String.fromCharCode(32 + int(95));
      add(s);
    } else add(String(int(1e9)));
  }
  return [...keys];
}

// ---------------------------------------------------------------------------
// server sets (fixed addresses: the names are part of the placement)

const A = (x, port = 27182) => ({ host: `127.0.0.${x}`, port });
const SETS = {
  // listed out of name order on purpose: nutcracker sorts servers by name
  plain: { servers: [6, 2, 5, 3, 4].map((x) => ({ ...A(x), weight: 1 })) },
  // names of different lengths (127.0.0.9 sorts before 127.0.0.10) and weights
  weighted: { servers: [[100, 4], [9, 1], [10, 2], [8, 3], [11, 1]].map(([x, w]) => ({ ...A(x), weight: w })) },
  // explicit names (the address is then not hashed)
  // (names are written to the YAML as UTF-8: 'café' is hashed as its UTF-8 bytes)
  named: { servers: [['server-10', 1], ['b', 1], ['server-2', 2], ['alpha', 1], ['zz', 3], ['x1', 1], ['café', 2]].map(([name, w], i) => ({ ...A(i + 2, 27183), weight: w, name })) },
  // 25 equal servers: twemproxy's float arithmetic gives each 156 points, not 160
  n25: { servers: Array.from({ length: 25 }, (_, i) => ({ ...A(i + 20, 27183), weight: 1, name: `s${i + 1}` })), hashes: ['md5', 'fnv1a_64', 'murmur', 'crc32a'] },
  // hash tags
  tag_braces: { servers: [6, 2, 5, 3, 4].map((x) => ({ ...A(x), weight: 1 })), hashTag: '{}' },
  tag_dollar: { servers: [[3, 1], [4, 2], [5, 1]].map(([x, w]) => ({ ...A(x), weight: w })), hashTag: '$$', hashes: ['fnv1a_64', 'md5', 'crc16', 'hsieh'] },
};

const serverLine = (s) => `${s.host}:${s.port}:${s.weight}${s.name ? ' ' + s.name : ''}`;

// ---------------------------------------------------------------------------
// fake backends

const backends = new Map(); // "ip:port" -> { hits: Map(pool -> Map(key -> true)) }
const hits = new Map(); // pool -> Map(key -> "ip:port")

function parseCommands(state, chunk, onCommand) {
  state.buf = state.buf.length ? Buffer.concat([state.buf, chunk]) : chunk;
  const b = state.buf;
  let pos = 0;
  for (;;) {
    const start = pos;
    if (pos >= b.length) break;
    if (b[pos] !== 0x2a) throw new Error('fake backend: not a multibulk');
    let nl = b.indexOf('\r\n', pos);
    if (nl < 0) break;
    const n = Number(b.latin1Slice(pos + 1, nl));
    pos = nl + 2;
    const argv = [];
    let ok = true;
    for (let i = 0; i < n; i++) {
      nl = b.indexOf('\r\n', pos);
      if (nl < 0) { ok = false; break; }
      const len = Number(b.latin1Slice(pos + 1, nl));
      if (b.length < nl + 2 + len + 2) { ok = false; break; }
      argv.push(b.latin1Slice(nl + 2, nl + 2 + len));
      pos = nl + 2 + len + 2;
    }
    if (!ok) { pos = start; break; }
    onCommand(argv);
  }
  state.buf = b.subarray(pos);
}

async function startBackend(host, port) {
  const id = `${host}:${port}`;
  if (backends.has(id)) return;
  const srv = net.createServer((sock) => {
    const st = { buf: Buffer.alloc(0) };
    sock.on('data', (chunk) => {
      let out = '';
      parseCommands(st, chunk, (argv) => {
        if (argv[0].toUpperCase() === 'SET') {
          const m = hits.get(argv[2]);
          if (m) m.set(argv[1], id);
        }
        out += '+OK\r\n';
      });
      if (out) sock.write(out);
    });
    sock.on('error', () => {});
  });
  await new Promise((res, rej) => { srv.once('error', rej); srv.listen(port, host, res); });
  backends.set(id, srv);
}

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise((r) => s.close(r));
  return p;
}

function command(argv) {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

/** send SET key pool for every key through the proxy port; resolve with per-key ok/err */
function drive(port, pool, keys) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const results = [];
    let buf = '';
    let sent = 0;
    const BATCH = 200;
    const sendBatch = () => {
      const parts = [];
      const end = Math.min(keys.length, sent + BATCH);
      for (; sent < end; sent++) parts.push(command(['SET', keys[sent], pool]));
      sock.write(Buffer.concat(parts));
    };
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`pool ${pool}: timed out after ${results.length} replies`)); }, 30000);
    sock.on('connect', sendBatch);
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let nl;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        results.push(buf[0] === '+');
        buf = buf.slice(nl + 2);
      }
      if (results.length === keys.length) { clearTimeout(timer); sock.end(); resolve(results); }
      else if (results.length === sent) sendBatch();
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

async function waitListening(port, deadline) {
  while (Date.now() < deadline) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nutcracker did not listen on ${port}`);
}

async function main() {
  console.log(execFileSync(NUTCRACKER, ['--version'], { encoding: 'utf8' }).trim());
  const keys = makeKeys(NKEYS);
  const pools = [];
  for (const [setName, set] of Object.entries(SETS)) {
    for (const s of set.servers) await startBackend(s.host, s.port);
    for (const hash of set.hashes ?? HASHES) {
      for (const dist of ['ketama', 'modula']) {
        pools.push({ name: `${setName}__${hash}__${dist}`, set: setName, hash, dist, port: await freePort() });
      }
    }
  }
  let yaml = '';
  for (const p of pools) {
    const set = SETS[p.set];
    yaml += `${p.name}:\n  listen: 127.0.0.1:${p.port}\n  hash: ${p.hash}\n  distribution: ${p.dist}\n`;
    if (set.hashTag) yaml += `  hash_tag: "${set.hashTag}"\n`;
    yaml += '  redis: true\n  timeout: 5000\n  auto_eject_hosts: false\n  servers:\n';
    for (const s of set.servers) yaml += `   - ${serverLine(s)}\n`;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ring-vectors-'));
  const conf = path.join(dir, 'nutcracker.yml');
  fs.writeFileSync(conf, yaml);
  const statsPort = await freePort();
  const proc = spawn(NUTCRACKER, ['-c', conf, '-s', String(statsPort), '-a', '127.0.0.1', '-o', path.join(dir, 'nc.log')], { stdio: 'inherit' });
  try {
    await waitListening(pools[pools.length - 1].port, Date.now() + 10000);
    const out = {};
    for (const p of pools) {
      hits.set(p.name, new Map());
      const ok = await drive(p.port, p.name, keys);
      const m = hits.get(p.name);
      const set = SETS[p.set];
      const ids = set.servers.map((s) => `${s.host}:${s.port}`);
      let s = '';
      for (let i = 0; i < keys.length; i++) {
        if (!ok[i]) { s += '-'; continue; }
        const at = m.get(keys[i]);
        if (at === undefined) throw new Error(`${p.name}: key #${i} reached no backend`);
        s += String.fromCharCode(48 + ids.indexOf(at));
      }
      (out[p.set] ??= {})[`${p.hash}/${p.dist}`] = s;
      hits.delete(p.name);
    }
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'keys.json'), JSON.stringify({ generator: 'scripts/ring-vectors.mjs', keys }) + '\n');
    for (const [setName, set] of Object.entries(SETS)) {
      const doc = {
        nutcracker: execFileSync(NUTCRACKER, ['--version'], { encoding: 'utf8' }).trim().split('\n')[0],
        servers: set.servers.map(serverLine),
        hashTag: set.hashTag ?? null,
        results: out[setName],
      };
      fs.writeFileSync(path.join(OUT, `${setName}.json`), JSON.stringify(doc, null, 1) + '\n');
    }
    console.log(`${pools.length} pools x ${keys.length} keys written to ${OUT}`);
  } finally {
    proc.kill('SIGTERM');
    for (const srv of backends.values()) srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
