/*
 * Input generator for the protocol / command fuzzer (test/system/fuzz.test.ts
 * and scripts/fuzz.mjs share it). Deterministic: every choice comes from one
 * seeded Rng, so a seed names a sequence of inputs per connection.
 *
 * An input is a list of byte chunks (written separately, so the parser sees a
 * frame split at odd places) and what the connection does after it:
 *   keep     well-formed: the parser is back at a frame boundary, go on
 *   fin      half-close after it (the server may be mid-frame: it must free us)
 *   destroy  close at once; rst: close with a reset
 * Only raw mutations end a connection; commands (multibulk or clean inline)
 * always keep it.
 *
 * Invariants that keep a run bounded (the fuzzer must not fail for what Redis
 * does too): no SHUTDOWN, DEBUG but an allowlist (RELOAD, OBJECT, DIGEST,
 * PROTOCOL ...: needs --enable-debug-command yes), MONITOR, REPLICAOF/SLAVEOF host, SYNC/PSYNC,
 * FAILOVER, MIGRATE, ACL SETUSER; CONFIG SET only of harmless parameters
 * (not the slow log's: the driver reads it to name slow commands);
 * CLIENT PAUSE at most 100 ms; blocking timeouts short (0 = forever is rare, 0.5%:
 * it costs the connection its barrier wait); scripts from a fixed list (the
 * script cache stays small) with no loops; keys, channels and values from
 * small pools; LCS (quadratic, as in Redis) only on strings of its own. Allocations Redis allows but that cost hundreds of MB
 * (SETRANGE at 512 MB - 1, SETBIT at 2^32 - 1, proto-max-bulk-len 4gb)
 * appear only with bigAlloc, and then followed by DEL in the same input;
 * without it, offsets that would grow a string past 32 MB are made small. Huge declared lengths
 * ($2147483647, *1048577) are sent as headers with at most 64 KB behind them.
 */

import { crc64 } from '../../src/persistence/rdb/crc64.js';

/* ------------------------------------------------------------------ Rng */

/** xorshift128+ on 32-bit halves; seed any uint32. */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    // splitmix32 to fill the state
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next() | 1;
  }
  /** uint32 (xoshiro128**) */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c = (this.c ^ t) >>> 0; this.d = rotl(this.d, 11);
    this.a >>>= 0; this.b >>>= 0;
    return r;
  }
  /** 0 <= n < max */
  int(max: number): number { return max <= 1 ? 0 : this.u32() % max; }
  /** lo <= n <= hi */
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]!; }
  /** index chosen by weight */
  weighted(w: readonly number[]): number {
    let total = 0;
    for (const x of w) total += x;
    let v = (this.u32() / 4294967296) * total;
    for (let i = 0; i < w.length; i++) { v -= w[i]!; if (v < 0) return i; }
    return w.length - 1;
  }
  bytes(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(256));
    return s;
  }
}
function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }

/* ------------------------------------------------------------------ inputs */

export type InputEnd = 'keep' | 'fin' | 'destroy' | 'rst';
export interface FuzzInput { kind: string; chunks: Buffer[]; end: InputEnd }

export interface GenOptions {
  /** allow commands that allocate ~512 MB (each followed by DEL) */
  bigAlloc?: boolean;
  /** share of inputs that are raw byte mutations (the rest are commands) */
  rawShare?: number;
}

/** A readable form of an input for failure reports. */
export function describeInput(inp: FuzzInput, max = 400): string {
  const all = Buffer.concat(inp.chunks);
  const s = JSON.stringify(all.subarray(0, max).toString('latin1'));
  return `${inp.kind}/${inp.end} ${all.length}B ${s}${all.length > max ? '...' : ''}`;
}

export function encodeArgs(args: readonly string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/* ------------------------------------------------------------------ pools */

const LONG_MAX = '9223372036854775807';
const LONG_MIN = '-9223372036854775808';
const INTS = [
  '0', '1', '-1', '2', '3', '5', '7', '8', '10', '16', '63', '64', '100', '-2', '-5', '-100', '1000',
  '2147483647', '-2147483648', '2147483648', '4294967295', '4294967296', '-4294967296',
  '9007199254740992', '9007199254740993', LONG_MAX, LONG_MIN, '9223372036854775808', '-9223372036854775809',
  '4611686018427387903', '-4611686018427387903', '-4611686018427387904', '-4611686018427387905', '4611686018427387904',
  '536870911', '536870912', '536870913', '18446744073709551615', '18446744073709551616',
  '99999999999999999999999', '-0', '+1', '007', ' 1', '1 ', '', 'abc', '1e3', '0x10', '1.5', '\x001', '-',
];
const FLOATS = [
  '0', '1', '-1', '1.5', '-1.5', '0.1', 'inf', '-inf', '+inf', 'Infinity', 'nan', 'NaN', '1e308', '1e309', '-1e309',
  '1e-320', '4.9e-324', '3.0000000000000001', '1.7976931348623157e308', '-0', '0x1p3', '', ' 1', 'abc', '1,5', '5e', '.5', '5.',
];
const KEYS = [
  'k0', 'k1', 'k2', 'k3', 's0', 's1', 'l0', 'l1', 'h0', 'h1', 'S0', 'S1', 'z0', 'z1', 'x0', 'x1',
  '{t}a', '{t}b', 'missing', '', '\x00\xff\r\n', 'K'.repeat(300),
];
const TYPED: Record<string, string[]> = {
  s: ['s0', 's1', 'k0', 'k1'], l: ['l0', 'l1', 'k2'], h: ['h0', 'h1', 'k3'], S: ['S0', 'S1', 'k1'],
  z: ['z0', 'z1', 'k2'], x: ['x0', 'x1', 'k3'],
};
const MEMBERS = ['a', 'b', 'c', 'd', '1', '2', '3', '-1', '1.5', '', 'member:long:' + 'm'.repeat(80), '\x00', '\xff\xfe', 'e'.repeat(70), '12345678901234567890'];
const CHANNELS = ['ch0', 'ch1', 'news.*', 'ch*', '*', '[', '\\', '__keyspace@0__:k0', '__keyevent@0__:set'];
const PATTERNS = ['*', 'k*', '?0', '[a-z]*', '[^a]*', '[', '[a-', '\\', 'x\\', '*'.repeat(40) + 'x', '*a*a*a*a*a*a*a*a*a*a*a*b', '[[]', '[]]', '[\\', '??????????', ''];
const SCRIPTS = [
  'return 1', 'return ARGV[1]', 'return KEYS[1]', 'return redis.call("GET", KEYS[1])',
  'return redis.pcall(ARGV[1], KEYS[1], ARGV[2])', 'return redis.call(ARGV[1], KEYS[1])',
  'return {1, 2, {3, "x"}, false, true, nil, 1.5}', 'return redis.error_reply(ARGV[1])', 'return redis.status_reply(ARGV[1])',
  'return cjson.decode(ARGV[1])', 'return cjson.encode(cjson.decode(ARGV[1]))', 'return cmsgpack.unpack(ARGV[1])',
  'return cmsgpack.pack(ARGV[1], KEYS[1])', 'return struct.unpack(ARGV[1], ARGV[2])', 'return struct.pack(ARGV[1], ARGV[2])',
  'return bit.band(tonumber(ARGV[1]) or 0, 255)', 'return bit.tohex(tonumber(ARGV[1]) or 0)', 'return redis.sha1hex(ARGV[1])',
  'return tonumber(ARGV[1])', 'return string.rep("x", math.min(tonumber(ARGV[1]) or 0, 10000))', 'redis.setresp(3) return redis.call("HGETALL", KEYS[1])',
  'return redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")', 'return {err="x"}', 'return {ok="y"}', 'error("boom")',
  'return redis.call("INCRBYFLOAT", KEYS[1], ARGV[1])', 'local t = {} for i = 1, 100 do t[i] = i end return t',
  'return 1 +', 'return redis.call()', 'return redis.call("EVAL", "return 1", 0)', 'return loadstring(ARGV[1])',
  'redis.replicate_commands() return redis.call("TIME")', 'return redis.breakpoint()', 'return redis.log(redis.LOG_WARNING, ARGV[1])',
  'return tostring(_G)', 'rawset(_G, "x", 1) return 1', 'return math.huge', 'return -math.huge', 'return 0/0',
];
const SCRIPT_CMDS = ['get', 'set', 'incr', 'lpush', 'hset', 'zadd', 'sadd', 'xadd', 'del', 'ping', 'eval', 'multi', 'info', 'type', 'ttl', 'exists', 'nosuch', 'config', 'client', 'subscribe', 'blpop', 'sort', 'keys'];
const CONFIG_SET: [string, string[]][] = [
  // a small maxmemory turns every write into OOM until the next set: mostly 0
  ['maxmemory', ['0', '0', '0', '0', '0', '0', '0', '100mb', '1gb', '1mb', '-1', 'abc']],
  ['maxmemory', ['0']], ['maxmemory', ['0']], ['maxmemory', ['0']],
  ['maxmemory-policy', ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'volatile-ttl', 'allkeys-random', 'volatile-lru', 'bogus']],
  ['hash-max-listpack-entries', ['0', '1', '128', '512', '-1']], ['hash-max-listpack-value', ['0', '1', '64']],
  ['zset-max-listpack-entries', ['0', '1', '128']], ['zset-max-listpack-value', ['0', '1', '64']],
  ['set-max-intset-entries', ['0', '1', '512']], ['list-max-listpack-size', ['-5', '-2', '-1', '1', '2', '128', '0']],
  ['list-compress-depth', ['0', '1', '2']], ['stream-node-max-entries', ['0', '1', '2', '100']], ['stream-node-max-bytes', ['0', '1', '4096']],
  ['notify-keyspace-events', ['', 'KEA', 'Kx', 'Eg$lshzxetdmn', 'A', 'Z', 'K']], ['latency-monitor-threshold', ['0', '1', '100']], ['lua-time-limit', ['5000', '0']],
  ['proto-max-bulk-len', ['512mb', '512mb', '1mb', '1k']], ['client-query-buffer-limit', ['1gb', '1mb', '64k']],
  ['lfu-log-factor', ['10', '0', '255']], ['lfu-decay-time', ['1', '0']], ['active-expire-effort', ['1', '10']],
  ['tracking-table-max-keys', ['0', '1', '100']], ['busy-reply-threshold', ['5000']], ['hz', ['10', '1', '500']],
  ['lazyfree-lazy-user-del', ['yes', 'no']], ['appendfsync', ['everysec', 'no']], ['nosuch-param', ['1']],
];
/** Tokens for generic and option soup. */
const TOKENS = [
  'WITHSCORES', 'LIMIT', 'COUNT', 'BLOCK', 'STREAMS', 'GET', 'BY', 'REV', 'BYSCORE', 'BYLEX', 'NX', 'XX', 'GT', 'LT', 'CH', 'INCR',
  'EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL', 'PERSIST', 'MATCH', 'TYPE', 'IDX', 'LEN', 'MINMATCHLEN', 'WITHMATCHLEN', 'ASC', 'DESC',
  'ALPHA', 'STORE', 'WEIGHTS', 'AGGREGATE', 'SUM', 'MIN', 'MAX', 'LEFT', 'RIGHT', 'BEFORE', 'AFTER', 'RANK', 'MAXLEN', 'MINID',
  'NOMKSTREAM', 'IDLE', 'TIME', 'RETRYCOUNT', 'FORCE', 'JUSTID', 'LASTID', 'ENTRIESREAD', 'MKSTREAM', 'FULL', 'OVERFLOW', 'WRAP',
  'SAT', 'FAIL', 'SET', 'INCRBY', 'u8', 'i64', 'u63', 'i1', 'u0', 'i65', 'BIT', 'BYTE', 'WITHVALUES', 'NOVALUES', '~', '=', '#1', 'ID',
];

const ALL_COMMANDS = [
  'append', 'bitcount', 'bitfield', 'bitfield_ro', 'bitop', 'bitpos', 'blmove', 'blmpop', 'blpop', 'brpop', 'brpoplpush', 'bzmpop',
  'bzpopmax', 'bzpopmin', 'client', 'command', 'config', 'copy', 'dbsize', 'decr', 'decrby', 'del', 'dump', 'echo', 'eval', 'eval_ro',
  'evalsha', 'evalsha_ro', 'exec', 'exists', 'expire', 'expireat', 'expiretime', 'flushdb', 'function', 'get', 'getbit', 'getdel',
  'getex', 'getrange', 'getset', 'hdel', 'hello', 'hexists', 'hget', 'hgetall', 'hincrby', 'hincrbyfloat', 'hkeys', 'hlen', 'hmget',
  'hmset', 'hrandfield', 'hscan', 'hset', 'hsetnx', 'hstrlen', 'hvals', 'incr', 'incrby', 'incrbyfloat', 'info', 'keys', 'lastsave',
  'latency', 'lcs', 'lindex', 'linsert', 'llen', 'lmove', 'lmpop', 'lolwut', 'lpop', 'lpos', 'lpush', 'lpushx', 'lrange', 'lrem',
  'lset', 'ltrim', 'memory', 'mget', 'move', 'mset', 'msetnx', 'multi', 'object', 'persist', 'pexpire', 'pexpireat', 'pexpiretime',
  'pfadd', 'pfcount', 'pfmerge', 'geoadd', 'georadius', 'ping', 'psetex', 'psubscribe', 'pttl', 'publish', 'pubsub', 'punsubscribe',
  'randomkey', 'readonly', 'rename', 'renamenx', 'reset', 'restore', 'role', 'rpop', 'rpoplpush', 'rpush', 'rpushx', 'sadd', 'scan',
  'scard', 'script', 'sdiff', 'sdiffstore', 'select', 'set', 'setbit', 'setex', 'setnx', 'setrange', 'sinter', 'sintercard',
  'sinterstore', 'sismember', 'slowlog', 'smembers', 'smismember', 'smove', 'sort', 'sort_ro', 'spop', 'spublish', 'srandmember',
  'srem', 'sscan', 'ssubscribe', 'strlen', 'subscribe', 'substr', 'sunion', 'sunionstore', 'sunsubscribe', 'swapdb', 'time', 'touch',
  'ttl', 'type', 'unlink', 'unsubscribe', 'unwatch', 'wait', 'watch', 'xack', 'xadd', 'xautoclaim', 'xclaim', 'xdel', 'xgroup',
  'xinfo', 'xlen', 'xpending', 'xrange', 'xread', 'xreadgroup', 'xrevrange', 'xsetid', 'xtrim', 'zadd', 'zcard', 'zcount', 'zdiff',
  'zdiffstore', 'zincrby', 'zinter', 'zintercard', 'zinterstore', 'zlexcount', 'zmpop', 'zmscore', 'zpopmax', 'zpopmin',
  'zrandmember', 'zrange', 'zrangebylex', 'zrangebyscore', 'zrangestore', 'zrank', 'zrem', 'zremrangebylex', 'zremrangebyrank',
  'zremrangebyscore', 'zrevrange', 'zrevrangebylex', 'zrevrangebyscore', 'zrevrank', 'zscan', 'zscore', 'zunion', 'zunionstore',
  'asking', 'cluster', 'sentinel', 'acl', 'nosuchcommand', 'quit', 'discard',
];

/** DUMP payloads taken from redis-server 7.0.15: string, int, quicklist, listpack hash, intset, set, listpack zset, stream with a group, hashtable hash, skiplist zset, big quicklist. */
const DUMPS = [
  // s
  '000568656c6c6f0a006372df766534200a',
  // i
  '00c139300a009d94ea2793fc08b9',
  // l
  '120102121200000004008161028162020301816402ff0a00192fa1f75ff35c38',
  // h
  '10151500000004008266310382763103826632030201ff0a005c5ea813feec1ff5',
  // si
  '0b0e02000000030000000100020003000a00a5025ce26d6e4d1b',
  // ss
  '02030161016301620a000d7e8a014cfe326c',
  // z
  '1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7',
  // x
  '130110000000000000000100000000000000013333000000130002010001010181660200010201000100018176020401000101010001020181660281' +
    '76028167028177020801ff02020101010000020102673101010101000000000000000100000000000000010a212945a201000001010263310a212945' +
    'a201000001000000000000000100000000000000010a00ef44063292798bd0',
  // hb
  '10c3442945bf0bbf05000018018266310382762003016632200720030166332007200301663420072003016635200720030166362007200301663720' +
    '072003016638200720030166392007083903836631300483764004026631314009200402663132400920040266313340092004026631344009200402' +
    '66313540092004026631364009200402663137400920040266313840092004026631394009200401663240634004016632205e00764004016632205e' +
    '00764004016632205e00764004016632205e00764004016632205e00764004016632205e00764004016632205e00764004016632205e007640040166' +
    '32205e007640040166334063400401663340634004016633406340040166334063400401663340634004016633406340040166334063400401663340' +
    '634004016633406340040166334063400401663440634004016634406340040166344063400401663440634004016634406340040166344063400401' +
    '663440634004016634406340040166344063400401663440634004016635406340040166354063400401663540634004016635406340040166354063' +
    '400401663540634004016635406340040166354063400401663540634004016635406340040166364063400401663640634004016636406340040166' +
    '364063400401663640634004016636406340040166364063400401663640634004016636406340040166364063400401663740634004016637406340' +
    '040166374063400401663740634004016637406340040166374063400401663740634004016637406340040166374063400401663740634004016638' +
    '406340040166384063400401663840634004016638406340040166384063400401663840634004016638406340040166384063400401663840634004' +
    '016638406340040166394063400401663940634004016639406340040166394063400401663940634004016639406340040166394063400401663940' +
    '6340040166394063400401663940632004008423830230058423842005200b0031600b2005200b0032600b2005200b0033600b2005200b0034600b20' +
    '05200b0035600b2005200b0036600b2005200b0037600b2005200b0038600b2005200b0039600b200523f1207123f22005200b2071200b2005200b20' +
    '71200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b20' +
    '05245f207124602005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b20' +
    '71200b2005200b2071200b2005200b2071200b200524cd207124ce2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b20' +
    '05200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005200b2071200b2005253b2071253c023005ff0a006b7e9e860318d1' +
    '2a',
  // zb
  '05408c046d3134300000000000806140046d3133390000000000606140046d3133380000000000406140046d3133370000000000206140046d313336' +
    '0000000000006140046d3133350000000000e06040046d3133340000000000c06040046d3133330000000000a06040046d3133320000000000806040' +
    '046d3133310000000000606040046d3133300000000000406040046d3132390000000000206040046d3132380000000000006040046d313237000000' +
    '0000c05f40046d3132360000000000805f40046d3132350000000000405f40046d3132340000000000005f40046d3132330000000000c05e40046d31' +
    '32320000000000805e40046d3132310000000000405e40046d3132300000000000005e40046d3131390000000000c05d40046d313138000000000080' +
    '5d40046d3131370000000000405d40046d3131360000000000005d40046d3131350000000000c05c40046d3131340000000000805c40046d31313300' +
    '00000000405c40046d3131320000000000005c40046d3131310000000000c05b40046d3131300000000000805b40046d3130390000000000405b4004' +
    '6d3130380000000000005b40046d3130370000000000c05a40046d3130360000000000805a40046d3130350000000000405a40046d31303400000000' +
    '00005a40046d3130330000000000c05940046d3130320000000000805940046d3130310000000000405940046d3130300000000000005940036d3939' +
    '0000000000c05840036d39380000000000805840036d39370000000000405840036d39360000000000005840036d39350000000000c05740036d3934' +
    '0000000000805740036d39330000000000405740036d39320000000000005740036d39310000000000c05640036d39300000000000805640036d3839' +
    '0000000000405640036d38380000000000005640036d38370000000000c05540036d38360000000000805540036d38350000000000405540036d3834' +
    '0000000000005540036d38330000000000c05440036d38320000000000805440036d38310000000000405440036d38300000000000005440036d3739' +
    '0000000000c05340036d37380000000000805340036d37370000000000405340036d37360000000000005340036d37350000000000c05240036d3734' +
    '0000000000805240036d37330000000000405240036d37320000000000005240036d37310000000000c05140036d37300000000000805140036d3639' +
    '0000000000405140036d36380000000000005140036d36370000000000c05040036d36360000000000805040036d36350000000000405040036d3634' +
    '0000000000005040036d36330000000000804f40036d36320000000000004f40036d36310000000000804e40036d36300000000000004e40036d3539' +
    '0000000000804d40036d35380000000000004d40036d35370000000000804c40036d35360000000000004c40036d35350000000000804b40036d3534' +
    '0000000000004b40036d35330000000000804a40036d35320000000000004a40036d35310000000000804940036d35300000000000004940036d3439' +
    '0000000000804840036d34380000000000004840036d34370000000000804740036d34360000000000004740036d34350000000000804640036d3434' +
    '0000000000004640036d34330000000000804540036d34320000000000004540036d34310000000000804440036d34300000000000004440036d3339' +
    '0000000000804340036d33380000000000004340036d33370000000000804240036d33360000000000004240036d33350000000000804140036d3334' +
    '0000000000004140036d33330000000000804040036d33320000000000004040036d33310000000000003f40036d33300000000000003e40036d3239' +
    '0000000000003d40036d32380000000000003c40036d32370000000000003b40036d32360000000000003a40036d32350000000000003940036d3234' +
    '0000000000003840036d32330000000000003740036d32320000000000003640036d32310000000000003540036d32300000000000003440036d3139' +
    '0000000000003340036d31380000000000003240036d31370000000000003140036d31360000000000003040036d31350000000000002e40036d3134' +
    '0000000000002c40036d31330000000000002a40036d31320000000000002840036d31310000000000002640036d31300000000000002440026d3900' +
    '00000000002240026d380000000000002040026d370000000000001c40026d360000000000001840026d350000000000001440026d34000000000000' +
    '1040026d330000000000000840026d320000000000000040026d31000000000000f03f0a0048354659cfbd1fd8',
  // lb
  '120102c344e648661f660800008c00f3c76b9f0605f38ed73e0d05f35543de1305f31caf7d1a05f3e31f1a1d2105f3aa86bc2705f371f25b2e05f338' +
    '5efb3405f3ffc99a3b05f412f36e0dd526dc660109f4c7716084f7be8a2009067cf05133c8a1ae200906316f43e29884d2200906e6ed34916967f620' +
    '09109b6c26403a4a1a0209f450eb17ef0a2d3e200906056a099edb0f62200906bae8fa4cacf2852009066f67ecfb7cd5a920090624e6ddaa4db8cd20' +
    '0906d964cf591e9bf12009108ee3c008ef7d150309f44362b2b7bf6039200906f8e0a36690435d200906ad5f951561268120090662de86c43109a520' +
    '0906175d787302ecc8200906ccdb6922d3ceec200910815a5bd1a3b1100409f436d94c80749434200906eb573e2f457758200906a0d62fde155a7c20' +
    '09065555218de63ca02009060ad4123cb71fc4200906bf5204eb8702e820091074d1f59958e50b0509f42950e74829c82f200906deced8f7f9aa5320' +
    '0906934dcaa6ca8d7720090648ccbb559b709b200906fd4aad046c53bf200906b2c99eb33c36e3200910674890620d19070609f41cc78111defb2a20' +
    '0906d14573c0aede4e20090686c4646f7fc1722009063b43561e50a496200906f0c147cd2087ba200906a540397cf169de2009105abf2a2bc24c0207' +
    '09f40f3e1cda922f26200906c4bc0d8963124a200906793bff3734f56d2009062ebaf0e604d891200906e338e295d5bab520090698b7d344a69dd920' +
    '09064d36c5f37680fd20091002b5b6a24763210809f4b733a8511846452009066cb29900e9286920090621318bafb90b8d200906d6af7c5e8aeeb020' +
    '09068b2e6e0d5bd1d420090640ad5fbc2bb4f8200910f52b516bfc961c0909f4aaaa421acd79402009065f2934c99d5c6420090614a825786e3f8820' +
    '0906c92617273f22ac2009067ea508d60f05d02009063324fa84e0e7f3200910e8a2eb33b1ca170a09f49d21dde281ad3b20090652a0ce9152905f20' +
    '0906071fc040237383200906bc9db1eff355a7200906711ca39ec438cb200906269b944d951bef200910db1986fc65fe120b09f4909877ab36e13620' +
    '09064517695a07c45a200906fa955a09d8a67e200906af144cb8a889a220090664933d67796cc620090619122f164a4fea200910ce9020c51a320e0c' +
    '09f4830f1274eb1432200906388e0323bcf755200906ed0cf5d18cda79200906a28be6805dbd9d200906570ad82f2ea0c12009060c89c9defe82e520' +
    '0910c107bb8dcf65090d09f47686ac3ca0482d2009062b059eeb702b51200906e0838f9a410e752009069502814912f1982009064a8172f8e2d3bc20' +
    '090cffff63a7b3b6e00d099b313030e00f02001c201c0031e00f02401c0032e00f02401c0033e00f02401c0034e00f02401c0035e00f02401c0036e0' +
    '0f02401c0037e00f02401c0038e00f02401c0039e00f02201ce10f0200314121e0110040390032e00f02401c0033e00f02401c0034e00f02401c0035' +
    'e00f02401c0036e00f02401c0037e00f02401c0038e00f02401c0039e00f02201c013230e00f02401ce10f034121013232e00f0240390033e00f0240' +
    '1c0034e00f02401c0035e00f02401c0036e00f02401c0037e00f02401c0038e00f02401c0039e00f02201c013330e00f02401ce20f084121013332e0' +
    '0f0240390033e00f02401c0034e00f02401c0035e00f02401c0036e00f02401c0037e00f02401c0038e00f02401c0039e00f02201c013430e00f0201' +
    '1cff0a0057489e5ec6477f70',
].map((h) => Buffer.from(h, 'hex'));

/* ------------------------------------------------------------------ generator */

export class FuzzGen {
  readonly r: Rng;
  private readonly bigAlloc: boolean;
  private readonly rawShare: number;
  private readonly cmds: [number, () => string[]][];
  private readonly cmdWeights: number[];

  constructor(seed: number, opts: GenOptions = {}) {
    this.r = new Rng(seed);
    this.bigAlloc = opts.bigAlloc ?? false;
    this.rawShare = opts.rawShare ?? 0.12;
    this.cmds = this.table();
    this.cmdWeights = this.cmds.map(([w]) => w);
  }

  /** The next input. */
  next(): FuzzInput {
    const r = this.r;
    if (r.chance(this.rawShare)) return this.raw();
    if (r.chance(0.03)) return this.inline();
    const parts: string[] = [];
    // usually one command; sometimes a pipeline of several in one write
    const n = r.chance(0.1) ? r.range(2, 8) : 1;
    for (let i = 0; i < n; i++) {
      const args = this.command();
      if (!this.bigAlloc) this.tame(args);
      parts.push(encodeArgs(args));
      if (args[0] === 'LCS') parts.unshift(encodeArgs(['MSET', 'lcs:a', this.lcsText(), 'lcs:b', this.lcsText()]));
      if (isBigAlloc(args)) parts.push(encodeArgs(['DEL', 'big']));
    }
    return { kind: n > 1 ? 'pipeline' : 'cmd', chunks: this.split(parts.join('')), end: 'keep' };
  }

  /** One command as its argument list. */
  command(): string[] {
    const r = this.r;
    if (r.chance(0.04)) return this.generic();
    const args = this.cmds[r.weighted(this.cmdWeights)]![1]();
    // DEBUG SLEEP / CLIENT PAUSE keep their bounded arguments
    if (r.chance(0.05) && args[0] !== 'DEBUG' && args[0] !== 'CLIENT') this.mutateArgs(args);
    return args;
  }

  /**
   * Without bigAlloc, offsets that Redis accepts but that would grow a string past 32 MB
   * (SETRANGE, SETBIT, BITFIELD SET / INCRBY; a mutated argument can land there) become small.
   */
  private tame(args: string[]): void {
    const name = args[0]!.toUpperCase();
    const small = (): string => String(this.r.range(0, 1 << 20));
    const big = (a: string | undefined, bytesPerUnit: number, limit: number): boolean => {
      if (a === undefined || !/^#?\d+$/.test(a)) return false;
      const n = Number(a.replace('#', '')) * (a.startsWith('#') ? 64 : 1) * bytesPerUnit;
      return n >= 32 * 2 ** 20 && n <= limit;
    };
    if (name === 'SETRANGE' && big(args[2], 1, 2 ** 29)) args[2] = small();
    else if (name === 'SETBIT' && big(args[2], 1 / 8, 2 ** 29)) args[2] = small();
    else if (name === 'BITFIELD') {
      for (let j = 2; j < args.length - 2; j++) {
        const sub = args[j]!.toUpperCase();
        if ((sub === 'SET' || sub === 'INCRBY') && big(args[j + 2], 1 / 8, 2 ** 30)) args[j + 2] = small();
      }
    }
  }

  /** The same bytes, split into a few chunks now and then. */
  private split(s: string): Buffer[] {
    const b = Buffer.from(s, 'latin1');
    const r = this.r;
    if (b.length < 2 || !r.chance(0.08)) return [b];
    const cuts = new Set<number>();
    const k = r.range(1, Math.min(6, b.length - 1));
    for (let i = 0; i < k; i++) cuts.add(r.range(1, b.length - 1));
    const sorted = [...cuts].sort((x, y) => x - y);
    const out: Buffer[] = [];
    let p = 0;
    for (const c of sorted) { out.push(b.subarray(p, c)); p = c; }
    out.push(b.subarray(p));
    return out;
  }

  /* ---- argument kinds */
  key(t?: string): string { const r = this.r; return t && r.chance(0.85) ? r.pick(TYPED[t]!) : r.pick(KEYS); }
  keys(t?: string, max = 4): string[] { const n = this.r.range(1, max); const o: string[] = []; for (let i = 0; i < n; i++) o.push(this.key(t)); return o; }
  int(): string { const r = this.r; return r.chance(0.6) ? String(r.range(-20, 20)) : r.chance(0.7) ? r.pick(INTS) : String(r.u32() - 2147483648); }
  count(): string { const r = this.r; return r.chance(0.75) ? String(r.range(0, 12)) : this.int(); }
  float(): string { const r = this.r; return r.chance(0.5) ? String(r.range(-10, 10)) : r.chance(0.7) ? r.pick(FLOATS) : String((r.u32() / 1e5) * (r.chance(0.5) ? 1 : -1)); }
  /** byte / bit offsets: small, around 2^k boundaries, or interesting. */
  offset(): string {
    const r = this.r;
    const w = r.weighted([6, 2, 3]);
    if (w === 0) return String(r.range(-10, 100));
    if (w === 1) { const k = r.range(3, 24); return String(2 ** k + r.range(-2, 2)); }
    const v = r.pick(INTS);
    // values that Redis accepts but that allocate ~512 MB stay behind bigAlloc
    if (!this.bigAlloc && /^(536870911|4294967295|2147483647|2147483648|536870912|536870913|4294967296)$/.test(v)) return String(r.range(0, 1 << 20));
    return v;
  }
  val(): string {
    const r = this.r;
    switch (r.weighted([6, 3, 2, 1, 1, 0.2])) {
      case 0: return r.pick(MEMBERS);
      case 1: return String(r.range(-1000, 1000));
      case 2: return r.bytes(r.range(0, 16));
      case 3: return r.pick(INTS);
      case 4: return 'v'.repeat(r.range(17, 2000));
      default: return r.bytes(r.range(4000, 70000));
    }
  }
  member(): string { return this.r.chance(0.8) ? this.r.pick(MEMBERS) : this.val(); }
  members(max = 5): string[] { const n = this.r.range(1, max); const o: string[] = []; for (let i = 0; i < n; i++) o.push(this.member()); return o; }
  score(): string { return this.r.chance(0.8) ? String(this.r.range(-5, 5)) : this.float(); }
  scoreBound(): string { const r = this.r; const s = r.chance(0.3) ? r.pick(['-inf', '+inf', 'inf', '(inf', '(-inf', '(', '((1', 'nan']) : this.score(); return r.chance(0.25) ? '(' + s : s; }
  lexBound(): string { const r = this.r; return r.pick(['-', '+', '[a', '(a', '[b', '(c', '[', '(', 'a', '[' + this.member(), '(' + this.member(), '+inf', '-x']); }
  ms(): string { const r = this.r; return r.chance(0.7) ? String(r.range(-5, 100000)) : this.int(); }
  blockTimeout(): string { const r = this.r; return r.chance(0.005) ? '0' : r.chance(0.8) ? r.pick(['0.01', '0.02', '0.05', '0.001']) : r.pick(['-1', 'abc', '1e-9', 'inf', '0.1', '9999999999999999', '-0.01', '0x1']); }
  blockMs(): string { const r = this.r; return r.chance(0.005) ? '0' : r.chance(0.8) ? String(r.range(1, 40)) : r.pick(['-1', 'abc', '1.5', '9223372036854775807', '100']); }
  id(): string {
    const r = this.r;
    switch (r.weighted([4, 3, 2])) {
      case 0: return `${r.range(0, 5)}-${r.range(0, 3)}`;
      case 1: return r.pick(['0', '0-0', '0-1', '1', '*', '$', '>', '+', '-', '1-*', '18446744073709551615-18446744073709551615', '18446744073709551615-*', '18446744073709551616', '-1', '1-', '-1-1', '(1-1', '(0-0', '(18446744073709551615-18446744073709551615', '1-18446744073709551615', 'abc', '']);
      default: return `${r.range(0, 2000000000000)}-${r.range(0, 5)}`;
    }
  }
  channel(): string { return this.r.pick(CHANNELS); }
  channels(): string[] { const n = this.r.range(1, 3); const o: string[] = []; for (let i = 0; i < n; i++) o.push(this.channel()); return o; }
  pattern(): string { return this.r.pick(PATTERNS); }
  /** Some of the given optional groups, in random order, with a junk token now and then. */
  opts(...groups: (() => string[])[]): string[] {
    const r = this.r;
    const out: string[] = [];
    for (const g of groups) if (r.chance(0.35)) out.push(...g());
    if (out.length > 1 && r.chance(0.2)) { const i = r.int(out.length); const j = r.int(out.length); [out[i], out[j]] = [out[j]!, out[i]!]; }
    if (r.chance(0.05)) out.push(r.pick(TOKENS));
    return out;
  }
  withN<T>(n: number, f: () => T[]): T[] { const o: T[] = []; for (let i = 0; i < n; i++) o.push(...f()); return o; }

  /** A random command name with random arguments (argument soup). */
  private generic(): string[] {
    const r = this.r;
    const args = [r.chance(0.5) ? r.pick(ALL_COMMANDS) : r.pick(ALL_COMMANDS).toUpperCase()];
    const n = r.range(0, 8);
    for (let i = 0; i < n; i++) {
      const w = r.weighted([3, 3, 2, 2, 1]);
      args.push(w === 0 ? this.key() : w === 1 ? r.pick(TOKENS) : w === 2 ? this.int() : w === 3 ? this.member() : this.float());
    }
    return args;
  }

  private mutateArgs(args: string[]): void {
    const r = this.r;
    const i = r.range(1, Math.max(1, args.length - 1));
    switch (r.int(4)) {
      case 0: if (args.length > 1) args.splice(i, 1); break;
      case 1: args.splice(i, 0, r.pick(TOKENS)); break;
      case 2: args[i] = this.int(); break;
      default: args.push(...this.keys());
    }
  }

  /* ---- raw mutations */
  private raw(): FuzzInput {
    const r = this.r;
    const ends: InputEnd[] = ['fin', 'fin', 'destroy', 'rst'];
    const end = r.pick(ends);
    const frame = (): string => encodeArgs(this.command());
    let s: string;
    let kind: string;
    switch (r.weighted([3, 3, 2, 2, 2, 1, 1, 1, 1])) {
      case 0: { kind = 'truncated'; const f = frame(); s = f.slice(0, r.range(1, f.length - 1)); break; }
      case 1: { kind = 'mutated'; s = this.mutateBytes(frame()); break; }
      case 2: {
        kind = 'huge-multibulk';
        s = `*${r.pick(['1048577', '1048576', '2147483647', '2147483648', '4294967297', LONG_MAX, '99999999999999999999', '-1', '-2', '0', 'abc', '', '1 ', '+3', '0x10', '3\x00'])}\r\n`;
        if (r.chance(0.7)) s += `$${r.pick(['3', '4', '0', '-1', '2147483647', '536870912'])}\r\nSET\r\n` + this.filler();
        break;
      }
      case 3: {
        kind = 'huge-bulk';
        const len = r.pick(['2147483647', '2147483648', '536870912', '536870911', '536870889', '512000000', '4294967296', LONG_MAX, '-1', '-5', '0x10', '', '1e3', '99999999999999999999', ' 5', '5 ']);
        s = `*3\r\n$3\r\nSET\r\n$2\r\nk0\r\n$${len}\r\n` + this.filler();
        break;
      }
      case 4: {
        kind = 'inline-junk';
        const n = r.range(1, 12);
        const toks: string[] = [];
        for (let i = 0; i < n; i++) toks.push(r.pick(['"', "'", '\\', '\\x', '\\x4g', '"\\x41"', "'a'b", '"a"b', '\x00', '\xff', '\t', '\v', '\f', '"\\', 'SET', 'GET', 'k0', this.int(), r.bytes(r.range(0, 8))]));
        s = (r.chance(0.5) ? r.pick(['', '%', '~', '>', '$', ':', '+', '-', '\x00', '\xff', '!', '=']) : '') + toks.join(r.pick([' ', '', '  ', '\t'])) + r.pick(['\r\n', '\n', '', '\r', '\r\r\n']);
        break;
      }
      case 5: { kind = 'long-inline'; s = 'SET k0 ' + 'A'.repeat(r.pick([65536, 70000, 1024 * 1024 + 10])); break; }
      case 6: { kind = 'bad-in-pipeline'; s = frame() + this.mutateBytes(frame()) + frame(); break; }
      case 7: { kind = 'resp3-types'; s = r.pick(['%1\r\n+a\r\n+b\r\n', '~2\r\n', '>3\r\n', '|1\r\n', '_\r\n', '#t\r\n', ',1.5\r\n', '(123\r\n', '=5\r\ntxt:a\r\n', '!3\r\nerr\r\n']) + frame(); break; }
      default: { kind = 'restore-mutated'; s = this.restoreFrame(); return { kind, chunks: this.split(s), end: 'keep' }; }
    }
    return { kind, chunks: this.split(s), end };
  }

  private filler(): string {
    const r = this.r;
    return r.chance(0.5) ? r.bytes(r.range(0, 64)) : 'x'.repeat(r.range(0, 65536));
  }

  mutateBytes(s: string): string {
    const r = this.r;
    const b = s.split('');
    const k = r.range(1, 4);
    for (let i = 0; i < k && b.length > 0; i++) {
      const p = r.int(b.length);
      switch (r.int(5)) {
        case 0: b[p] = String.fromCharCode(r.int(256)); break;
        case 1: b.splice(p, 0, r.pick(['\r', '\n', '$', '*', '-', '0', '9', '\r\n', '\x00', ' '])); break;
        case 2: b.splice(p, 1); break;
        case 3: b.splice(p, 0, ...b.slice(p, p + r.range(1, 20))); break;
        default: b[p] = String.fromCharCode(b[p]!.charCodeAt(0) ^ (1 << r.int(8)));
      }
    }
    return b.join('');
  }

  /** RESTORE of a real DUMP payload with a few bytes changed and the CRC fixed (so the RDB decoder sees it). */
  private restoreFrame(): string {
    const r = this.r;
    const base = Buffer.from(r.pick(DUMPS));
    const body = Buffer.from(base.subarray(0, base.length - 8));
    const k = r.range(0, 3);
    let bytes = body;
    for (let i = 0; i < k; i++) {
      const p = r.int(bytes.length - 2); // keep the RDB version field mostly
      if (r.chance(0.7)) bytes[p] = r.chance(0.5) ? r.int(256) : bytes[p]! ^ (1 << r.int(8));
      else if (r.chance(0.5)) bytes = Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 1)]);
      else bytes = Buffer.concat([bytes.subarray(0, p), Buffer.from([r.int(256)]), bytes.subarray(p)]);
    }
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(crc64(bytes));
    const fix = r.chance(0.9);
    const payload = Buffer.concat([bytes, fix ? crc : base.subarray(base.length - 8)]).toString('latin1');
    return encodeArgs(['RESTORE', this.key(), r.chance(0.8) ? '0' : this.int(), payload, ...this.opts(() => ['REPLACE'], () => ['ABSTTL'], () => ['IDLETIME', this.int()], () => ['FREQ', this.int()])]);
  }

  /* ---- clean inline commands (keep the connection) */
  private inline(): FuzzInput {
    const r = this.r;
    const words = this.command().map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : `"${[...a].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}"`));
    const s = (r.chance(0.2) ? '\r\n' : '') + words.join(r.pick([' ', '  ', '\t'])) + r.pick(['\r\n', '\n']);
    return { kind: 'inline', chunks: this.split(s), end: 'keep' };
  }

  /* ---- the command table: [weight, generator] */
  private table(): [number, () => string[]][] {
    const r = this.r;
    const k = (t?: string): string => this.key(t);
    const o = this.opts.bind(this);
    const i = (): string => this.int();
    const c = (): string => this.count();
    const v = (): string => this.val();
    const m = (): string => this.member();
    const expiry = (): string[] => r.pick([['EX', this.ms()], ['PX', this.ms()], ['EXAT', this.ms()], ['PXAT', this.ms()], ['KEEPTTL'], ['PERSIST'], ['EX', i()]]);
    const limit = (): string[] => ['LIMIT', i(), i()];
    const bitType = (): string => r.pick(['u8', 'i8', 'u1', 'i1', 'u63', 'i64', 'u64', 'i65', 'u0', 'i0', 'u16', 'i32', 'x8', '']);
    const bfOffset = (): string => (r.chance(0.3) ? '#' : '') + this.offset();
    const zaggr = (n: number): string[] => o(() => ['WEIGHTS', ...this.withN(n, () => [this.float()])], () => ['AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'AVG'])], () => ['WITHSCORES']);
    const numkeys = (t: string): string[] => { const ks = this.keys(t); const n = r.chance(0.85) ? String(ks.length) : i(); return [n, ...ks]; };
    const direction = (): string => r.pick(['LEFT', 'RIGHT', 'MIDDLE']);
    const xtrim = (): string[] => [r.pick(['MAXLEN', 'MINID']), ...(r.chance(0.4) ? [r.pick(['~', '='])] : []), r.chance(0.5) ? c() : this.id(), ...o(() => ['LIMIT', c()])];
    const T: [number, () => string[]][] = [
      // strings
      [3, () => ['SET', k('s'), v(), ...o(() => [r.pick(['NX', 'XX'])], expiry, () => ['GET'])]],
      [3, () => ['GET', k('s')]],
      [1, () => ['GETEX', k('s'), ...o(expiry)]], [1, () => ['GETDEL', k('s')]], [1, () => ['GETSET', k('s'), v()]],
      [1, () => ['MSET', ...this.withN(r.range(1, 4), () => [k('s'), v()])]], [1, () => ['MSETNX', ...this.withN(r.range(1, 3), () => [k('s'), v()])]],
      [1, () => ['MGET', ...this.keys('s')]], [1, () => ['SETNX', k('s'), v()]], [1, () => ['SETEX', k('s'), this.ms(), v()]], [1, () => ['PSETEX', k('s'), this.ms(), v()]],
      [2, () => ['APPEND', k('s'), v()]], [1, () => ['STRLEN', k('s')]],
      [2, () => [r.pick(['INCR', 'DECR']), k('s')]], [2, () => [r.pick(['INCRBY', 'DECRBY']), k('s'), i()]], [2, () => ['INCRBYFLOAT', k('s'), this.float()]],
      [2, () => [r.pick(['GETRANGE', 'SUBSTR']), k('s'), this.offset(), this.offset()]],
      [2, () => ['SETRANGE', k('s'), this.offset(), v()]],
      [2, () => ['SETBIT', k('s'), this.offset(), r.pick(['0', '1', '2', '-1', ''])]], [1, () => ['GETBIT', k('s'), this.offset()]],
      [2, () => ['BITCOUNT', k('s'), ...(r.chance(0.7) ? [this.offset(), this.offset(), ...o(() => [r.pick(['BIT', 'BYTE', 'bit', 'WORD'])])] : [])]],
      [2, () => ['BITPOS', k('s'), r.pick(['0', '1', '2']), ...(r.chance(0.7) ? [this.offset(), ...(r.chance(0.6) ? [this.offset(), ...o(() => [r.pick(['BIT', 'BYTE'])])] : [])] : [])]],
      [1, () => ['BITOP', r.pick(['AND', 'OR', 'XOR', 'NOT', 'NAND']), k('s'), ...this.keys('s')]],
      [3, () => {
        const a = [r.chance(0.8) ? 'BITFIELD' : 'BITFIELD_RO', k('s')];
        const n = r.range(1, 4);
        for (let j = 0; j < n; j++) {
          switch (r.int(4)) {
            case 0: a.push('GET', bitType(), bfOffset()); break;
            case 1: a.push('SET', bitType(), bfOffset(), i()); break;
            case 2: a.push('INCRBY', bitType(), bfOffset(), i()); break;
            default: a.push('OVERFLOW', r.pick(['WRAP', 'SAT', 'FAIL', 'NONE']));
          }
        }
        return a;
      }],
      // LCS is O(n*m) up to 134M cells, as in Redis: on its own short strings (see next())
      [0.7, () => ['LCS', 'lcs:a', r.chance(0.9) ? 'lcs:b' : k(), ...o(() => ['LEN'], () => ['IDX'], () => ['MINMATCHLEN', i()], () => ['WITHMATCHLEN'])]],
      // lists
      [3, () => [r.pick(['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']), k('l'), ...this.members(6)]],
      [2, () => [r.pick(['LPOP', 'RPOP']), k('l'), ...(r.chance(0.5) ? [c()] : [])]],
      [3, () => ['LRANGE', k('l'), this.offset(), this.offset()]], [1, () => ['LINDEX', k('l'), this.offset()]],
      [1, () => ['LSET', k('l'), this.offset(), m()]], [1, () => ['LTRIM', k('l'), this.offset(), this.offset()]],
      [1, () => ['LINSERT', k('l'), r.pick(['BEFORE', 'AFTER', 'MIDDLE']), m(), m()]], [1, () => ['LREM', k('l'), i(), m()]], [1, () => ['LLEN', k('l')]],
      [2, () => ['LPOS', k('l'), m(), ...o(() => ['RANK', i()], () => ['COUNT', c()], () => ['MAXLEN', c()])]],
      [1, () => ['LMOVE', k('l'), k('l'), direction(), direction()]], [1, () => ['RPOPLPUSH', k('l'), k('l')]],
      [1, () => ['LMPOP', ...numkeys('l'), direction(), ...o(() => ['COUNT', c()])]],
      [1, () => [r.pick(['BLPOP', 'BRPOP']), ...this.keys('l'), this.blockTimeout()]],
      [1, () => ['BLMOVE', k('l'), k('l'), direction(), direction(), this.blockTimeout()]], [0.5, () => ['BRPOPLPUSH', k('l'), k('l'), this.blockTimeout()]],
      [1, () => ['BLMPOP', this.blockTimeout(), ...numkeys('l'), direction(), ...o(() => ['COUNT', c()])]],
      // hashes
      [3, () => [r.pick(['HSET', 'HMSET']), k('h'), ...this.withN(r.range(1, 4), () => [m(), v()])]], [1, () => ['HSETNX', k('h'), m(), v()]],
      [2, () => ['HGET', k('h'), m()]], [1, () => ['HMGET', k('h'), ...this.members()]], [1, () => ['HDEL', k('h'), ...this.members()]],
      [1, () => [r.pick(['HGETALL', 'HKEYS', 'HVALS', 'HLEN']), k('h')]], [1, () => ['HEXISTS', k('h'), m()]], [1, () => ['HSTRLEN', k('h'), m()]],
      [2, () => ['HINCRBY', k('h'), m(), i()]], [1, () => ['HINCRBYFLOAT', k('h'), m(), this.float()]],
      [3, () => ['HRANDFIELD', k('h'), ...(r.chance(0.8) ? [c(), ...o(() => ['WITHVALUES'])] : [])]],
      [1, () => ['HSCAN', k('h'), r.chance(0.7) ? '0' : i(), ...o(() => ['MATCH', this.pattern()], () => ['COUNT', c()])]],
      // sets
      [3, () => ['SADD', k('S'), ...this.members(6)]], [1, () => ['SREM', k('S'), ...this.members()]], [1, () => [r.pick(['SMEMBERS', 'SCARD']), k('S')]],
      [1, () => ['SISMEMBER', k('S'), m()]], [1, () => ['SMISMEMBER', k('S'), ...this.members()]], [1, () => ['SMOVE', k('S'), k('S'), m()]],
      [2, () => ['SPOP', k('S'), ...(r.chance(0.6) ? [c()] : [])]], [3, () => ['SRANDMEMBER', k('S'), ...(r.chance(0.8) ? [c()] : [])]],
      [2, () => [r.pick(['SINTER', 'SUNION', 'SDIFF']), ...this.keys('S')]], [1, () => [r.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k('S'), ...this.keys('S')]],
      [1, () => ['SINTERCARD', ...numkeys('S'), ...o(() => ['LIMIT', c()])]],
      [1, () => ['SSCAN', k('S'), r.chance(0.7) ? '0' : i(), ...o(() => ['MATCH', this.pattern()], () => ['COUNT', c()])]],
      // sorted sets
      [3, () => ['ZADD', k('z'), ...o(() => [r.pick(['NX', 'XX'])], () => [r.pick(['GT', 'LT'])], () => ['CH'], () => ['INCR']), ...this.withN(r.range(1, 4), () => [this.score(), m()])]],
      [1, () => ['ZINCRBY', k('z'), this.float(), m()]], [1, () => ['ZREM', k('z'), ...this.members()]], [1, () => ['ZCARD', k('z')]],
      [1, () => ['ZSCORE', k('z'), m()]], [1, () => ['ZMSCORE', k('z'), ...this.members()]], [1, () => [r.pick(['ZRANK', 'ZREVRANK']), k('z'), m()]],
      [1, () => ['ZCOUNT', k('z'), this.scoreBound(), this.scoreBound()]], [1, () => ['ZLEXCOUNT', k('z'), this.lexBound(), this.lexBound()]],
      [3, () => {
        const by = r.weighted([3, 2, 2]);
        const [a, b] = by === 0 ? [this.offset(), this.offset()] : by === 1 ? [this.scoreBound(), this.scoreBound()] : [this.lexBound(), this.lexBound()];
        return ['ZRANGE', k('z'), a, b, ...(by === 1 ? ['BYSCORE'] : by === 2 ? ['BYLEX'] : []), ...o(() => ['REV'], limit, () => ['WITHSCORES'])];
      }],
      [1, () => ['ZRANGESTORE', k('z'), k('z'), this.offset(), this.offset(), ...o(() => ['BYSCORE'], () => ['REV'], limit)]],
      [1, () => [r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), k('z'), this.scoreBound(), this.scoreBound(), ...o(() => ['WITHSCORES'], limit)]],
      [1, () => [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), k('z'), this.lexBound(), this.lexBound(), ...o(limit)]],
      [1, () => ['ZREVRANGE', k('z'), this.offset(), this.offset(), ...o(() => ['WITHSCORES'])]],
      [1, () => ['ZREMRANGEBYRANK', k('z'), this.offset(), this.offset()]], [1, () => ['ZREMRANGEBYSCORE', k('z'), this.scoreBound(), this.scoreBound()]],
      [1, () => ['ZREMRANGEBYLEX', k('z'), this.lexBound(), this.lexBound()]],
      [2, () => [r.pick(['ZPOPMIN', 'ZPOPMAX']), k('z'), ...(r.chance(0.6) ? [c()] : [])]],
      [1, () => [r.pick(['BZPOPMIN', 'BZPOPMAX']), ...this.keys('z'), this.blockTimeout()]],
      [1, () => ['ZMPOP', ...numkeys('z'), r.pick(['MIN', 'MAX', 'MID']), ...o(() => ['COUNT', c()])]],
      [1, () => ['BZMPOP', this.blockTimeout(), ...numkeys('z'), r.pick(['MIN', 'MAX']), ...o(() => ['COUNT', c()])]],
      [3, () => ['ZRANDMEMBER', k('z'), ...(r.chance(0.8) ? [c(), ...o(() => ['WITHSCORES'])] : [])]],
      [1, () => ['ZSCAN', k('z'), r.chance(0.7) ? '0' : i(), ...o(() => ['MATCH', this.pattern()], () => ['COUNT', c()])]],
      [2, () => { const nk = numkeys('z'); return [r.pick(['ZUNION', 'ZINTER', 'ZDIFF']), ...nk, ...zaggr(nk.length - 1)]; }],
      [1, () => { const nk = numkeys('z'); return [r.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), k('z'), ...nk, ...zaggr(nk.length - 1).filter((x) => x !== 'WITHSCORES')]; }],
      [1, () => ['ZINTERCARD', ...numkeys('z'), ...o(() => ['LIMIT', c()])]],
      // streams
      [3, () => ['XADD', k('x'), ...o(() => ['NOMKSTREAM'], xtrim), r.chance(0.6) ? '*' : this.id(), ...this.withN(r.range(1, 3), () => [m(), v()])]],
      [2, () => [r.pick(['XRANGE', 'XREVRANGE']), k('x'), this.id(), this.id(), ...o(() => ['COUNT', c()])]],
      [1, () => ['XLEN', k('x')]], [1, () => ['XDEL', k('x'), this.id(), ...(r.chance(0.3) ? [this.id()] : [])]], [1, () => ['XTRIM', k('x'), ...xtrim()]],
      [1, () => { const ks = this.keys('x', 3); return ['XREAD', ...o(() => ['COUNT', c()], () => ['BLOCK', this.blockMs()]), 'STREAMS', ...ks, ...ks.map(() => this.id())]; }],
      [2, () => ['XGROUP', ...r.pick([
        () => ['CREATE', k('x'), r.pick(['g1', 'g2']), this.id(), ...o(() => ['MKSTREAM'], () => ['ENTRIESREAD', i()])],
        () => ['SETID', k('x'), r.pick(['g1', 'g2']), this.id(), ...o(() => ['ENTRIESREAD', i()])],
        () => ['DESTROY', k('x'), r.pick(['g1', 'g2'])], () => ['CREATECONSUMER', k('x'), r.pick(['g1', 'g2']), r.pick(['c1', 'c2'])],
        () => ['DELCONSUMER', k('x'), r.pick(['g1', 'g2']), r.pick(['c1', 'c2'])], () => ['HELP'],
      ])()]],
      [2, () => { const ks = this.keys('x', 2); return ['XREADGROUP', 'GROUP', r.pick(['g1', 'g2']), r.pick(['c1', 'c2']), ...o(() => ['COUNT', c()], () => ['BLOCK', this.blockMs()], () => ['NOACK']), 'STREAMS', ...ks, ...ks.map(() => (r.chance(0.6) ? '>' : this.id()))]; }],
      [1, () => ['XACK', k('x'), r.pick(['g1', 'g2']), this.id(), ...(r.chance(0.3) ? [this.id()] : [])]],
      [1, () => ['XPENDING', k('x'), r.pick(['g1', 'g2']), ...(r.chance(0.6) ? [...o(() => ['IDLE', this.ms()]), this.id(), this.id(), c(), ...o(() => [r.pick(['c1', 'c2'])])] : [])]],
      [1, () => ['XCLAIM', k('x'), r.pick(['g1', 'g2']), r.pick(['c1', 'c2']), this.ms(), this.id(), ...o(() => ['IDLE', this.ms()], () => ['TIME', this.ms()], () => ['RETRYCOUNT', i()], () => ['FORCE'], () => ['JUSTID'], () => ['LASTID', this.id()])]],
      [1, () => ['XAUTOCLAIM', k('x'), r.pick(['g1', 'g2']), r.pick(['c1', 'c2']), this.ms(), this.id(), ...o(() => ['COUNT', c()], () => ['JUSTID'])]],
      [1, () => ['XINFO', ...r.pick([() => ['STREAM', k('x'), ...o(() => ['FULL'], () => ['COUNT', c()])], () => ['GROUPS', k('x')], () => ['CONSUMERS', k('x'), r.pick(['g1', 'g2'])], () => ['HELP']])()]],
      [1, () => ['XSETID', k('x'), this.id(), ...o(() => ['ENTRIESADDED', i()], () => ['MAXDELETEDID', this.id()])]],
      // generic
      [2, () => [r.pick(['DEL', 'UNLINK', 'EXISTS', 'TOUCH']), ...this.keys()]],
      // typed keys change type (RENAME, COPY, STORE destinations): drop them now and then
      [2, () => ['DEL', k(r.pick(['s', 'l', 'h', 'S', 'z', 'x']))]], [1, () => [r.pick(['TYPE', 'TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME', 'PERSIST', 'DUMP']), k()]],
      [2, () => [r.pick(['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']), k(), r.chance(0.5) ? this.ms() : i(), ...o(() => [r.pick(['NX', 'XX', 'GT', 'LT'])])]],
      [1, () => [r.pick(['RENAME', 'RENAMENX']), k(), k()]], [1, () => ['COPY', k(), k(), ...o(() => ['DB', String(r.range(-1, 16))], () => ['REPLACE'])]],
      [1, () => ['MOVE', k(), String(r.range(-1, 16))]], [1, () => ['SELECT', r.chance(0.9) ? String(r.range(0, 3)) : i()]], [0.3, () => ['SWAPDB', String(r.range(0, 3)), String(r.range(-1, 16))]],
      [1, () => ['KEYS', this.pattern()]], [1, () => ['SCAN', r.chance(0.7) ? '0' : i(), ...o(() => ['MATCH', this.pattern()], () => ['COUNT', c()], () => ['TYPE', r.pick(['string', 'list', 'zset', 'stream', 'bogus'])])]],
      [1, () => [r.pick(['RANDOMKEY', 'DBSIZE'])]], [1, () => ['OBJECT', r.pick(['ENCODING', 'FREQ', 'IDLETIME', 'REFCOUNT', 'HELP', 'NOPE']), k()]],
      [0.15, () => [r.pick(['FLUSHDB', 'FLUSHALL']), ...o(() => [r.pick(['ASYNC', 'SYNC'])])]],
      [2, () => {
        const a = [r.chance(0.8) ? 'SORT' : 'SORT_RO', k(r.pick(['l', 'S', 'z']))];
        return [...a, ...o(() => ['BY', r.pick(['nosort', 'k*', 'h*->a', '*->', 'x_*', '#', this.pattern()])], limit, () => ['GET', r.pick(['#', 'k*', 'h*->a', '*', '*->', 's*'])], () => ['GET', '#'], () => [r.pick(['ASC', 'DESC'])], () => ['ALPHA'], () => ['STORE', k('l')])];
      }],
      [0.3, () => ['RESTORE', k(), '0', r.bytes(r.range(0, 30)), ...o(() => ['REPLACE'])]],
      // transactions
      [1, () => ['MULTI']], [1, () => ['EXEC']], [0.5, () => ['DISCARD']], [0.5, () => ['WATCH', ...this.keys()]], [0.3, () => ['UNWATCH']],
      // pub/sub
      [0.4, () => [r.pick(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE']), ...this.channels()]],
      [1, () => [r.pick(['UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE']), ...(r.chance(0.5) ? this.channels() : [])]],
      [1, () => [r.pick(['PUBLISH', 'SPUBLISH']), this.channel(), v()]],
      [0.5, () => ['PUBSUB', r.pick(['CHANNELS', 'NUMSUB', 'NUMPAT', 'SHARDCHANNELS', 'SHARDNUMSUB', 'HELP', 'X']), ...(r.chance(0.5) ? [this.channel()] : [])]],
      // scripting
      [2, () => { const ks = r.chance(0.8) ? this.keys(undefined, 2) : []; return [r.pick(['EVAL', 'EVAL_RO']), r.pick(SCRIPTS), r.chance(0.9) ? String(ks.length) : i(), ...ks, ...this.scriptArgs()]; }],
      [0.5, () => [r.pick(['EVALSHA', 'EVALSHA_RO']), r.pick(['e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'ffffffffffffffffffffffffffffffffffffffff', 'x']), '0', ...this.scriptArgs()]],
      [0.5, () => ['SCRIPT', ...r.pick([() => ['LOAD', r.pick(SCRIPTS)], () => ['EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'], () => ['FLUSH', ...o(() => [r.pick(['ASYNC', 'SYNC'])])], () => ['KILL'], () => ['HELP']])()]],
      [0.5, () => ['FUNCTION', ...r.pick([
        () => ['LOAD', ...o(() => ['REPLACE']), `#!lua name=lib${r.int(3)}\n` + r.pick(['redis.register_function("f1", function(keys, args) return args[1] end)', 'redis.register_function{function_name="f2", callback=function() return 1 end, flags={"no-writes"}}', 'return 1', 'redis.register_function("f1")', '', 'redis.call("ping")'])],
        () => ['LIST', ...o(() => ['WITHCODE'], () => ['LIBRARYNAME', 'lib*'])], () => ['DELETE', `lib${r.int(3)}`], () => ['FLUSH'], () => ['STATS'], () => ['DUMP'],
        () => ['RESTORE', r.bytes(r.range(0, 40)), ...o(() => [r.pick(['FLUSH', 'APPEND', 'REPLACE'])])], () => ['KILL'],
      ])()]],
      [0.5, () => [r.pick(['FCALL', 'FCALL_RO']), r.pick(['f1', 'f2', 'nope']), r.chance(0.9) ? '1' : i(), k(), ...this.scriptArgs()]],
      // connection / server
      [1, () => ['PING', ...(r.chance(0.3) ? [v()] : [])]], [0.5, () => ['ECHO', v()]],
      [0.5, () => ['HELLO', ...(r.chance(0.9) ? [r.pick(['2', '3', '3', '1', '4', '-1', 'x'])] : []), ...o(() => ['SETNAME', r.pick(['fz', 'a b', ''])], () => ['AUTH', 'default', r.pick(['', 'x'])])]],
      [1, () => ['CLIENT', ...r.pick([
        () => ['SETNAME', r.pick(['fz', 'a b', '', 'x\n'])], () => ['GETNAME'], () => ['ID'], () => ['INFO'], () => ['LIST', ...o(() => ['TYPE', r.pick(['normal', 'pubsub', 'master', 'x'])], () => ['ID', i()])],
        () => ['REPLY', r.pick(['ON', 'ON', 'SKIP', 'OFF', 'X'])], () => ['NO-EVICT', r.pick(['on', 'off'])], () => ['NO-TOUCH', r.pick(['on', 'off'])],
        () => ['TRACKING', r.pick(['on', 'off']), ...o(() => ['BCAST'], () => ['PREFIX', r.pick(['k', 's', ''])], () => ['OPTIN'], () => ['OPTOUT'], () => ['NOLOOP'], () => ['REDIRECT', i()])],
        () => ['CACHING', r.pick(['yes', 'no'])], () => ['GETREDIR'], () => ['TRACKINGINFO'], () => ['UNBLOCK', i(), ...o(() => [r.pick(['TIMEOUT', 'ERROR'])])],
        () => ['PAUSE', String(r.range(0, 100)), ...o(() => [r.pick(['WRITE', 'ALL'])])], () => ['UNPAUSE'],
        () => ['KILL', ...r.pick([() => ['ID', i()], () => ['TYPE', r.pick(['pubsub', 'master', 'normal'])], () => ['SKIPME', 'yes', 'ID', i()], () => ['127.0.0.1:1'], () => ['LADDR', 'x']])()],
        () => ['SETINFO', r.pick(['LIB-NAME', 'LIB-VER', 'X']), r.pick(['fz', 'a b'])], () => ['HELP'],
      ])()]],
      [0.5, () => ['CONFIG', ...r.pick([
        () => { const [p, vs] = r.pick(CONFIG_SET); return ['SET', p, r.pick(vs)]; },
        () => ['GET', r.pick(['*', 'max*', 'port', 'save', 'nosuch', '*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*x'])], () => ['RESETSTAT'], () => ['HELP'],
      ])()]],
      [0.5, () => ['INFO', ...(r.chance(0.5) ? [r.pick(['all', 'everything', 'memory', 'clients', 'keyspace', 'commandstats', 'errorstats', 'latencystats', 'x', 'server', 'stats'])] : [])]],
      [0.5, () => ['COMMAND', ...r.pick([() => ['COUNT'], () => ['INFO', r.pick(ALL_COMMANDS)], () => ['DOCS', r.pick(ALL_COMMANDS)], () => ['GETKEYS', ...this.command()], () => ['GETKEYSANDFLAGS', ...this.command()], () => ['LIST', ...o(() => ['FILTERBY', r.pick(['MODULE', 'ACLCAT', 'PATTERN']), r.pick(['x', 'read', '*'])])]])()]],
      [0.3, () => ['MEMORY', ...r.pick([() => ['USAGE', k(), ...o(() => ['SAMPLES', i()])], () => ['STATS'], () => ['DOCTOR'], () => ['MALLOC-STATS'], () => ['PURGE'], () => ['HELP']])()]],
      [0.3, () => ['LATENCY', r.pick(['LATEST', 'HISTORY', 'RESET', 'DOCTOR', 'GRAPH', 'HISTOGRAM', 'HELP']), ...(r.chance(0.5) ? [r.pick(['command', 'fork', 'x'])] : [])]],
      [0.3, () => ['SLOWLOG', r.pick(['GET', 'LEN', 'HELP', 'X']), ...(r.chance(0.4) ? [i()] : [])]],
      [0.3, () => [r.pick(['TIME', 'LASTSAVE', 'ROLE', 'READONLY', 'READWRITE', 'LOLWUT'])]],
      [0.05, () => [r.pick(['SAVE', 'BGSAVE', 'BGREWRITEAOF'])]],
      // DEBUG: only what cannot stop or stall the server (the server runs with --enable-debug-command yes);
      // not SET-DISABLE-DENY-SCRIPTS (a script's redis.call('EVAL') then trips an assertion in Redis 7.0.15)
      // nor RELOAD NOFLUSH without MERGE (a duplicate key in the RDB is a panic, by design)
      [0.4, () => ['DEBUG', ...r.pick([
        () => ['RELOAD', ...r.pick([[], ['MERGE'], ['NOFLUSH', 'MERGE']])], () => ['OBJECT', k()], () => ['DIGEST'], () => ['DIGEST-VALUE', ...this.keys()],
        () => ['PROTOCOL', r.pick(['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'true', 'false', 'verbatim', 'x'])],
        () => ['SET-ACTIVE-EXPIRE', r.pick(['0', '1'])], () => ['CHANGE-REPL-ID'], () => ['QUICKLIST-PACKED-THRESHOLD', r.pick(['1', '100', '1k', '1gb', '0', '-1', 'x'])],
        () => ['LISTPACK', k()], () => ['QUICKLIST', k()], () => ['SDSLEN', k()], () => ['HTSTATS', '0'], () => ['HTSTATS-KEY', k()], () => ['JMAP'], () => ['SLEEP', '0'],
        () => ['STRINGMATCH-LEN', this.pattern()], () => ['PAUSE-CRON', '0'], () => ['REPLYBUFFER', 'PEAK-RESET-TIME', '100'],
      ])()]],
      [0.3, () => ['RESET']], [0.1, () => ['QUIT']], [0.3, () => ['WAIT', String(r.range(0, 2)), String(r.range(1, 20))]],
      [0.2, () => ['REPLICAOF', 'NO', 'ONE']], [0.2, () => ['AUTH', ...(r.chance(0.5) ? ['default'] : []), r.pick(['', 'x'])]],
    ];
    if (this.bigAlloc) {
      // Redis allows these; each takes ~512 MB, so the key is dropped in the same input
      T.push([0.02, () => ['CONFIG', 'SET', 'proto-max-bulk-len', r.pick(['4gb', '512mb'])]],
        [0.02, () => ['SETRANGE', 'big', r.pick(['536870911', '536870900']), 'x']], [0.02, () => ['SETBIT', 'big', '4294967295', '1']],
        [0.02, () => ['BITFIELD', 'big', 'SET', 'u8', '4294967287', '1']]);
    }
    return T;
  }

  private lcsText(): string {
    const r = this.r;
    let t = '';
    const n = r.chance(0.9) ? r.range(0, 40) : r.range(100, 1000);
    for (let j = 0; j < n; j++) t += r.pick(['a', 'b', 'c', 'ab', 'ohmy', '\x00']);
    return t;
  }

  private scriptArgs(): string[] {
    const r = this.r;
    const n = r.range(0, 3);
    const o: string[] = [];
    for (let j = 0; j < n; j++) {
      o.push(r.pick([
        () => r.pick(SCRIPT_CMDS), () => this.int(), () => this.val(),
        () => r.pick(['{"a":[1,2,{"b":null}]}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"a":', '"\\ud800"', '1e999', '[' + '['.repeat(2000), '{}', '[]']),
        () => r.pick(['\x93\x01\x02\x03', '\xdc\xff\xff', '\xdf\xff\xff\xff\xff', '\xc1', '\x81\xa1a\x01', '\x91'.repeat(300)]),
        () => r.pick(['>I2', '<i4', 'c0', 'I16', 'Bhi', 's', 'i0', 'c', 'x'.repeat(50), 'I99', '!17i']),
      ])());
    }
    return o;
  }
}

/** The generator's big-allocation commands run in a big key; drop it right after. */
export function isBigAlloc(args: readonly string[]): boolean { return args[1] === 'big'; }
