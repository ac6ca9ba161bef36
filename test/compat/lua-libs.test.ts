/*
 * The Lua libraries Redis bundles into scripts (cjson, cmsgpack, bit, struct)
 * against real Redis: results, the exact bytes cmsgpack/struct produce, number
 * formatting, configuration functions and every error text, in EVAL and in
 * functions, RESP2 and RESP3. Scripts return packed strings raw, so replies
 * compare byte for byte.
 */
import { describe, test } from 'node:test';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

/** a Lua prelude: show(v) describes any value with its type (tables with sorted keys), all(...) each of several */
const SHOW = `local function show(v)
  if type(v) == 'table' then
    local p = {}
    for k, x in pairs(v) do p[#p+1] = type(k) .. ':' .. tostring(k) .. '=' .. show(x) end
    table.sort(p)
    return '{' .. table.concat(p, ',') .. '}'
  end
  if type(v) == 'userdata' then return 'userdata:' .. tostring(v == cjson.null) end
  return type(v) .. ':' .. tostring(v)
end
local function all(...)
  local r = {}
  for i = 1, select('#', ...) do r[i] = show((select(i, ...))) end
  return r
end
`;

const bytes = (hex: string): string => Buffer.from(hex, 'hex').toString('latin1');
/** a double's big-endian bytes in hex */
const dbl = (d: number): string => { const b = Buffer.alloc(8); b.writeDoubleBE(d); return b.toString('hex'); };

/** EVAL with no keys */
const ev = (c: PairClient, script: string, ...args: string[]): Promise<string> => c.do('EVAL', script, '0', ...args);
/** EVAL failing with a script error */
const evErr = (c: PairClient, script: string, ...args: string[]): Promise<string> => c.error('ERR ', 'EVAL', script, '0', ...args);
/** pcall(f, ...) as a value: ok and the result, or false and the error text (no script prefix) */
const evCall = (c: PairClient, expr: string, ...args: string[]): Promise<string> =>
  c.do('EVAL', `${SHOW}return all(pcall(function() return ${expr} end))`, '0', ...args);

describe('Lua libraries', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('cjson.encode: values, numbers, strings, tables', async () => {
    const c = await p.client();
    for (const v of ['1', '-1', '0', '-0', '0.1', '1/3', '1e300', '-1e-300', '2^53', '2^63', '123456789012345678', '1e15', '1e14', '100000000000000',
      '3.14159265358979', '5e-324', 'true', 'false', 'nil', 'cjson.null', "'plain'", "''",
      "'a\"b\\\\c/d'", "'\\0\\1\\2\\31\\127'", "'\\b\\f\\n\\r\\t'", "'\\128\\200\\255'", "'h\\195\\169llo \\226\\130\\172'",
      '{}', '{1,2,3}', "{'a',{'b',{'c'}}}", '{a=1}', '{[1]=1,[2]=2,[3]=3}', "{1,2,nil,4}", '{[1]=1,[3]=3}',
      "{x={y={z={}}}}", '{true,false,cjson.null}', '{[1.5]=1}', '{[0]=1}', '{[-1]=1}', '{[2^31]=1}', '{[2^40]=1}', '{[1e300]=1}',
      "{[10]=1}", "{[1]=1,[10]=1}", '{[1]=1,[2]=1,[3]=1,[4]=1,[5]=1,[6]=1,[7]=1,[8]=1,[9]=1,[10]=1,[20]=1}']) {
      await ev(c, `return cjson.encode(${v})`);
    }
    // objects: key order is the table's own (lua_next), the same in both VMs
    await ev(c, "return cjson.encode({a=1,b=2,c={d=3},e='f',[1]='one',[2.5]='x'})");
    await ev(c, "local t = {} for i = 1, 50 do t['k' .. i] = i end return cjson.encode(t)");
    await ev(c, "local t = {} for i = 1, 100 do t[i] = i * 1.5 end return cjson.encode(t)");
    await ev(c, 'local s = "" for i = 0, 255 do s = s .. string.char(i) end return cjson.encode(s)');
    await ev(c, 'return cjson.encode(string.rep("x", 100000))');
  });

  test('cjson.encode: errors', async () => {
    const c = await p.client();
    for (const v of ['0/0', '1/0', '-1/0', '{0/0}', '{[1/0]=1}', 'function() end', 'redis.call', 'coroutine.create(function() end)',
      '{f=print}', '{[true]=1}', '{[{}]=1}', '{[1]=1,[11]=1}', '{[1]=1,[3]=1,[20]=1}', '{[1]=1,[2]=1,[3]=1,[4]=1,[5]=1,[20]=1}']) {
      await evErr(c, `return cjson.encode(${v})`);
    }
    await evErr(c, 'return cjson.encode()');
    await evErr(c, 'return cjson.encode(1, 2)');
    await evErr(c, 'local t = {} t[1] = t return cjson.encode(t)');
    await evErr(c, 'local t = {} local x = t for i = 1, 1001 do x.a = {} x = x.a end return cjson.encode(t)');
    await ev(c, 'local t = {} local x = t for i = 1, 999 do x[1] = {} x = x[1] end return #cjson.encode(t)');
    await evCall(c, 'cjson.encode(0/0)');
    await evCall(c, 'cjson.encode({{{}}, function() end})');
  });

  test('cjson.decode: values and round trips', async () => {
    const c = await p.client();
    for (const j of ['1', '-1', '0', '-0', '1.5', '1e3', '1E-3', '1e400', '-1e400', '12345678901234567890', '0.1', '"str"', '""', 'true', 'false', 'null',
      '[]', '{}', '[1,"a",true,null,{"b":[2]}]', '{"a":{"b":{"c":[1,2,{"d":null}]}}}', ' \t\n\r[ 1 , 2 ] \r\n',
      '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\u0041\\u00e9\\u20ac\\ud83d\\ude00"', '"\\u0000x"', '"caf\u00c3\u00a9"', '"\u00ff\u0080"',
      '{"a":1,"a":2}', '{"1":"x","2":"y"}', '[1,[2,[3,[4,[5]]]]]',
      // strtod forms accepted by default (decode_invalid_numbers on)
      '0x1F', '0X10', '-0x10', '0x1p4', '0x1.8p1', '0x.8', '+1', '007', '1.', '-.5', 'inf', '-inf', 'Infinity', '-Infinity', 'INF', 'nan', 'NaN', '-nan', 'nan(123)', '1e', '0x']) {
      await evCall(c, 'cjson.decode(ARGV[1])', j);
    }
    await ev(c, "return cjson.decode('[1,2,3,\"x\"]')");
    await ev(c, "return cjson.decode('{\"a\":[1,2],\"b\":\"c\"}').a");
    await ev(c, "return cjson.encode(cjson.decode(ARGV[1]))", '{"a":[1,2.5,"x",null,true,{}],"b":{"c":[]}}');
    await ev(c, 'return cjson.decode(123)');
    await ev(c, 'return {cjson.decode("null") == cjson.null, type(cjson.null), tostring(cjson.null)}');
    await ev(c, 'return {cjson.decode("[null]")[1] == cjson.null, #cjson.decode("[null,null]")}');
  });

  test('cjson.decode: errors', async () => {
    const c = await p.client();
    for (const j of ['', ' ', '[', ']', '{', '}', '[1,', '[1 2]', '[1,]', '{"a" 1}', '{"a":1,}', '{1:2}', '{"a":}', '"abc', '"a\\x"', '"\\u12"', '"\\u12g4"',
      '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"\\ud800x"', 'nul', 'tru', 'fals', 'x', '@', '.5', '-', '--1', '-x', '[1]x', '1 2', '"a"b',
      '\u0000[1]', '[\u00001]', '"a\u0000b"', 'a\u0000', '[1]\u0000garbage', 'infinit', 'nano', '0x1g']) {
      await evCall(c, 'cjson.decode(ARGV[1])', j);
    }
    await evErr(c, "return cjson.decode('[1,')");
    await evErr(c, 'return cjson.decode()');
    await evErr(c, 'return cjson.decode({})');
    await evErr(c, "return cjson.decode('a', 'b')");
    await evErr(c, `return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))`);
    await ev(c, `return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))`);
  });

  test('cjson configuration', async () => {
    const c = await p.client();
    await c.do('SCRIPT', 'FLUSH');
    await ev(c, `${SHOW}return all(cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), cjson.encode_keep_buffer(), cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers(), cjson.encode_sparse_array())`);
    await ev(c, `${SHOW}return all(cjson._NAME, cjson._VERSION, type(cjson.new), cjson.null)`);
    // settings last for the life of the Lua state (until SCRIPT FLUSH)
    await ev(c, 'return cjson.encode_max_depth(3)');
    await evErr(c, 'return cjson.encode({{{{}}}})');
    await ev(c, 'return cjson.encode({{{}}})');
    await ev(c, 'return cjson.decode_max_depth(2)');
    await evErr(c, "return cjson.decode('[[[1]]]')");
    await evErr(c, "return cjson.decode('{\"a\":{\"b\":{\"c\":1}}}')");
    await ev(c, 'return cjson.encode_max_depth(2^32 + 7)');
    await ev(c, 'return cjson.encode_number_precision(3)');
    await ev(c, 'return cjson.encode({3.14159, 1234567, 0.000012345, 100, 1e100})');
    await ev(c, 'return cjson.encode_number_precision(1)');
    await ev(c, 'return cjson.encode({0.5, 15, 2.5})');
    await ev(c, 'return cjson.encode_invalid_numbers(true)');
    await ev(c, 'return cjson.encode({0/0, 1/0, -1/0})');
    await ev(c, "return cjson.encode({[1/0]='x'})");
    await ev(c, "return cjson.encode_invalid_numbers('null')");
    await ev(c, 'return cjson.encode({0/0, 1/0, 1})');
    await ev(c, "return cjson.encode_invalid_numbers('off')");
    await ev(c, `${SHOW}return all(cjson.encode_sparse_array(true))`);
    await ev(c, 'return cjson.encode({[1]=1,[20]=2})');
    await ev(c, `${SHOW}return all(cjson.encode_sparse_array(false, 0))`);
    await ev(c, 'return cjson.encode({[1]=1,[2000]=2})');
    await ev(c, `${SHOW}return all(cjson.encode_sparse_array(nil, 1, 3))`);
    await ev(c, 'return cjson.encode({1,2,3})');
    await evErr(c, 'return cjson.encode({1,2,3,nil,5})');
    await ev(c, 'return cjson.decode_invalid_numbers(false)');
    for (const j of ['0x10', '-inf', 'nan', '+1', '01', '-01', '1.5', '-0', 'Infinity', '1e5']) await evCall(c, 'cjson.decode(ARGV[1])', j);
    await ev(c, "return cjson.encode_keep_buffer('off')");
    await ev(c, 'return cjson.encode({1})');
    await ev(c, 'return cjson.encode_keep_buffer(true)');
    // a new cjson has its own (default) settings
    await ev(c, `${SHOW}local j = cjson.new() return all(j.encode_max_depth(), j.encode({1.23456789}), j._NAME, cjson.encode_number_precision())`);
    // argument errors
    for (const e of ['cjson.encode_max_depth(0)', "cjson.encode_max_depth('x')", 'cjson.encode_max_depth(1, 2)', 'cjson.decode_max_depth(-1)',
      'cjson.encode_number_precision(15)', 'cjson.encode_number_precision(0)', 'cjson.encode_sparse_array(1)', 'cjson.encode_sparse_array(true, -1)',
      'cjson.encode_sparse_array(true, 1, -1)', 'cjson.encode_sparse_array(1, 2, 3, 4)', "cjson.encode_invalid_numbers('maybe')", 'cjson.encode_invalid_numbers({})',
      "cjson.decode_invalid_numbers('null')", 'cjson.encode_keep_buffer(5)', 'cjson.encode_max_depth(1e30)']) {
      await evErr(c, `return ${e}`);
    }
    // with the depth limits lifted, the Lua stack (LUAI_MAXCSTACK) stops deep nesting at the same place
    await ev(c, "cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep('[', 20000)) return e");
    await ev(c, 'cjson.encode_max_depth(100000) local t = {} local x = t for i = 1, 20000 do x[1] = {} x = x[1] end local ok, e = pcall(cjson.encode, t) return e');
    await ev(c, 'local t = {} local x = t for i = 1, 20000 do x.a = {} x = x.a end local ok, e = pcall(cjson.encode, t) return e');
    await c.do('SCRIPT', 'FLUSH');
    await ev(c, 'return cjson.encode_max_depth()');
  });

  test('cmsgpack.pack: exact bytes', async () => {
    const c = await p.client();
    for (const v of ['0', '1', '-1', '127', '128', '255', '256', '65535', '65536', '2^32-1', '2^32', '-32', '-33', '-128', '-129', '-32768', '-32769',
      '-2^31', '-2^31-1', '2^53', '-2^53', '2^62', '2^63', '-2^63', '2^64', '-0', '0.5', '0.1', '-1.5', '1e300', '3.25', '1e-45', '2^-149', '1/0', '-1/0', '0/0',
      'true', 'false', 'nil', "''", "'abc'", "string.rep('x', 31)", "string.rep('y', 32)", "string.rep('z', 255)", "string.rep('z', 256)",
      "string.rep('w', 65535)", "string.rep('w', 65536)", "'\\0\\255\\128'",
      '{}', '{1,2,3}', '{a=1}', '{1,2,nil,4}', '{[2]=1}', '{[1.5]=1}', '{[0]=1}', '{[-1]=1}', '{[2^31]=1}', "{1,{2,{3,{}}},'x'}", "{a={b={c='d'}}}",
      'redis.call', 'cjson.null', 'coroutine.create(function() end)', '{f=redis.call}']) {
      await ev(c, `return cmsgpack.pack(${v})`);
    }
    await ev(c, 'return cmsgpack.pack(0/0, -(0/0), math.huge - math.huge, {0/0})');
    await ev(c, "return cmsgpack.pack(1, 'two', {3}, {f=4}, nil, true)");
    await ev(c, 'local t = {} for i = 1, 15 do t[i] = i end return cmsgpack.pack(t)');
    await ev(c, 'local t = {} for i = 1, 16 do t[i] = i end return cmsgpack.pack(t)');
    await ev(c, 'local t = {} for i = 1, 70000 do t[i] = i % 3 end return cmsgpack.pack(t)');
    await ev(c, "local t = {} for i = 1, 15 do t['k' .. i] = i end return cmsgpack.pack(t)");
    await ev(c, "local t = {} for i = 1, 16 do t['k' .. i] = i end return cmsgpack.pack(t)");
    await ev(c, "local t = {} for i = 1, 70000 do t['k' .. i] = 1 end return cmsgpack.pack(t)");
    // nesting beyond LUACMSGPACK_MAX_NESTING (16) packs nil; self references end the same way
    await ev(c, 'local t = {} local x = t for i = 1, 20 do x[1] = {} x = x[1] end return cmsgpack.pack(t)');
    await ev(c, 'local t = {} t[1] = t return cmsgpack.pack(t)');
    await ev(c, 'local t = {} t.a = t return cmsgpack.pack(t)');
    await evErr(c, 'return cmsgpack.pack()');
  });

  test('cmsgpack.unpack: every format', async () => {
    const c = await p.client();
    for (const hex of ['00', '7f', 'e0', 'ff', 'cc00', 'ccff', 'cd0100', 'cdffff', 'ce00010000', 'ceffffffff', 'cf0000000100000000', 'cfffffffffffffffff',
      'cf8000000000000000', 'cf0020000000000001', 'cf7fffffffffffffff', 'd080', 'd0ff', 'd18000', 'd1ff7f', 'd280000000', 'd2ffffffff',
      'd38000000000000000', 'd3ffffffffffffffff', 'd30020000000000001', 'ca3f800000', 'ca3dcccccd', 'ca7f800000', 'caff800000', 'ca00000001',
      'cb3ff0000000000000', 'cb3fb999999999999a', 'cb7ff0000000000000', 'cb0000000000000001', 'cb8000000000000000',
      'c0', 'c2', 'c3', 'a0', 'a3616263', 'bf' + '61'.repeat(31), 'd900', 'd903616263', 'da0003616263', 'db00000003616263',
      '90', '93010203', '9f' + '01'.repeat(15), 'dc0000', 'dc000201c0', 'dd00000002c2c3', '80', '81a161c3', '82a16101a16202', 'de0001a178c0',
      'df00000001a17893c0c0c0', '92c093', '81c0c0', '8101c0', '91c0', '9491c0c0', '0102a103',
      // bin/ext formats and 0xc1 are not understood by this cmsgpack
      'c1', 'c40101', 'c5000101', 'c600000001ff', 'c70101ff', 'd401ff', 'd50100ff', 'd6', 'd7', 'd8',
      // truncated input
      'cc', 'cd00', 'ce000000', 'cf00000000000000', 'd0', 'd1ff', 'd2ffffff', 'd3ffffffffffffff', 'ca0000', 'cb00000000', 'a2', 'a361', 'd9', 'd905',
      'da00', 'da0005', 'db000000', 'db00000005', '91', '92c0', 'dc00', 'dc0001', 'dd000000', 'dd00000001', '81', '81a161', 'de00', 'de0001', 'df000000',
      'df00000001c0', '81c0']) {
      await evCall(c, 'cmsgpack.unpack(ARGV[1])', bytes(hex));
    }
    await evCall(c, 'cmsgpack.unpack(ARGV[1])', '');
    await ev(c, 'return cmsgpack.unpack(ARGV[1])', bytes('93010203'));
    await ev(c, 'return {cmsgpack.unpack(ARGV[1])}', bytes('01a2686993c3c2c0'));
    await evCall(c, 'cmsgpack.unpack(123)');
    await evErr(c, 'return cmsgpack.unpack({})');
    await evErr(c, 'return cmsgpack.unpack()');
    await evErr(c, 'return cmsgpack.unpack(ARGV[1])', bytes('81c001'));
    await evErr(c, 'return cmsgpack.unpack(ARGV[1])', bytes('c1'));
    await evErr(c, 'return cmsgpack.unpack(ARGV[1])', bytes('92c0'));
    // deep nesting and long streams run into the Lua stack limit
    await evCall(c, "cmsgpack.unpack(string.rep(string.char(0x91), 100) .. string.char(1))");
    await evCall(c, "#cmsgpack.pack(cmsgpack.unpack(string.rep(string.char(0x91), 7000) .. string.char(1)))");
    await evCall(c, "cmsgpack.unpack(string.rep(string.char(0x91), 9000) .. string.char(1))");
    await evCall(c, "select('#', cmsgpack.unpack(string.rep(string.char(1), 7000)))");
    await evCall(c, "select('#', cmsgpack.unpack(string.rep(string.char(1), 9000)))");
    await evCall(c, "select('#', cmsgpack.unpack_limit(string.rep(string.char(1), 9000), 5))");
  });

  test('cmsgpack: round trips, unpack_one, unpack_limit', async () => {
    const c = await p.client();
    for (const v of ["{1,2,3,'x',{a=1,b={true,false}}}", '{-1, 0.5, 1e300, 2^40, -2^40, -2^63}', "{['1']=1, [1]=2}", "{'\\0\\1\\255'}", '12345.678', '2^63', '2^64']) {
      await evCall(c, `cmsgpack.unpack(cmsgpack.pack(${v}))`);
    }
    const s = "local s = cmsgpack.pack(1, 'two', {3}, {f=4}) ";
    for (const e of ['cmsgpack.unpack_one(s)', 'cmsgpack.unpack_one(s, 0)', 'cmsgpack.unpack_one(s, 1)', 'cmsgpack.unpack_one(s, 5)', 'cmsgpack.unpack_one(s, 7)',
      'cmsgpack.unpack_one(s, #s)', 'cmsgpack.unpack_one(s, #s + 1)', 'cmsgpack.unpack_one(s, -1)', 'cmsgpack.unpack_one(s, 2.7)', "cmsgpack.unpack_one(s, '5')",
      "cmsgpack.unpack_one(s, 'x')", 'cmsgpack.unpack_one()', 'cmsgpack.unpack_one(s, nil)', 'cmsgpack.unpack_one(s, 2)',
      'cmsgpack.unpack_limit(s, 1)', 'cmsgpack.unpack_limit(s, 2)', 'cmsgpack.unpack_limit(s, 4)', 'cmsgpack.unpack_limit(s, 100)', 'cmsgpack.unpack_limit(s, 0)',
      'cmsgpack.unpack_limit(s, 0, 1)', 'cmsgpack.unpack_limit(s, 2, 1)', 'cmsgpack.unpack_limit(s, 10, 5)', 'cmsgpack.unpack_limit(s, -1)', 'cmsgpack.unpack_limit(s, 1, -5)',
      'cmsgpack.unpack_limit(s)', "cmsgpack.unpack_limit(s, 'x')", 'cmsgpack.unpack_limit(s, 2, 100)', "cmsgpack.unpack_one('')", "cmsgpack.unpack_limit('', 1)"]) {
      await c.do('EVAL', `${SHOW}${s}return all(pcall(function() return ${e} end))`, '0');
    }
    await evErr(c, `${s}return cmsgpack.unpack_one(s, -1)`);
    await evErr(c, `${s}return cmsgpack.unpack_limit(s, 2, 100)`);
    await ev(c, `${s}local out, off = {}, 0 while off >= 0 do local v off, v = cmsgpack.unpack_one(s, off) out[#out+1] = type(v) end return out`);
  });

  test('a BullMQ-like script: msgpack options in, JSON out', async () => {
    const c = await p.client();
    const script = `local opts = cmsgpack.unpack(ARGV[1])
local job = { name = opts.name, attempts = opts.attempts or 0, delay = opts.delay, data = cjson.decode(opts.data), tags = opts.tags }
redis.call('HSET', KEYS[1], 'name', job.name, 'opts', cjson.encode(opts), 'data', cjson.encode(job.data))
return cjson.encode(job)`;
    // cmsgpack.pack of {name='email', attempts=3, delay=1500.5, data='{"to":"a@b.c","n":[1,2]}', tags={'x','y'}} as a JS msgpack encoder writes it
    const packed = bytes('85' + 'a46e616d65' + 'a5656d61696c' + 'a8617474656d707473' + '03' + 'a564656c6179' + 'cb' + dbl(1500.5)
      + 'a464617461' + 'b8' + Buffer.from('{"to":"a@b.c","n":[1,2]}').toString('hex') + 'a474616773' + '92a178a179');
    await c.do('EVAL', script, '1', 'job:1', packed);
    for (const f of ['name', 'opts', 'data']) await c.do('HGET', 'job:1', f);
    await c.do('EVAL', 'return cjson.encode(cmsgpack.unpack(ARGV[1]))', '0', packed);
    await c.do('EVAL', 'return cmsgpack.pack(cmsgpack.unpack(ARGV[1]))', '0', packed);
  });

  test('bit', async () => {
    const c = await p.client();
    const vals = ['0', '1', '-1', '0x7fffffff', '0x80000000', '0xffffffff', '2^32', '2^32+5', '-2^31', '-2^31-1', '2^52', '2^53', '2^64', '1.5', '2.5', '-1.5',
      '0.49999', '1e300', '-1e300', '1/0', '-1/0', '0/0', "'12'", "'0x10'"];
    for (const v of vals) {
      await ev(c, `return {bit.tobit(${v}), bit.bnot(${v}), bit.bswap(${v}), bit.tohex(${v})}`);
    }
    for (const [a, b] of [['1', '2'], ['0xf0', '0x0f'], ['-1', '0x12345678'], ['2^32+3', '5'], ['1.5', '3'], ['0x80000000', '-1']]) {
      await ev(c, `return {bit.band(${a}, ${b}), bit.bor(${a}, ${b}), bit.bxor(${a}, ${b}), bit.band(${a}), bit.bor(${a}, ${b}, 0x100), bit.bxor(${a}, ${b}, ${a})}`);
    }
    for (const n of ['0', '1', '4', '31', '32', '33', '-1', '-31', '1.7', '2^32+1']) {
      for (const v of ['1', '0x80000000', '0x12345678', '-1', '-256']) {
        await ev(c, `return {bit.lshift(${v}, ${n}), bit.rshift(${v}, ${n}), bit.arshift(${v}, ${n}), bit.rol(${v}, ${n}), bit.ror(${v}, ${n})}`);
      }
    }
    for (const n of ['0', '1', '2', '4', '8', '9', '100', '-1', '-4', '-8', '-9', '2.9', '-2^31', '2^31', '-2^31+1', '2^32-1']) {
      await ev(c, `return {bit.tohex(0x1234abcd, ${n}), bit.tohex(-1, ${n}), bit.tohex(255, ${n})}`);
    }
    for (const e of ["bit.tobit('x')", 'bit.tobit()', 'bit.tobit({})', 'bit.band(1, nil)', "bit.bor(1, 'y')", 'bit.lshift(1)', 'bit.tohex(1, {})', 'bit.band()']) {
      await evErr(c, `return ${e}`);
    }
    await ev(c, 'return {bit.tobit(0), bit.tobit(-0), bit.band(1, 0)}');
    await evErr(c, 'bit.band = nil');
  });

  test('struct', async () => {
    const c = await p.client();
    // pack: exact bytes
    for (const [fmt, args] of [['b', '1'], ['b', '-1'], ['B', '255'], ['b', '300'], ['h', '-2'], ['H', '65535'], ['>h', '-2'], ['<H', '258'], ['>H', '258'],
      ['l', '-1'], ['L', '2^53'], ['>L', '2^63'], ['L', '2^64'], ['l', '-2^63'], ['l', '2^63'], ['L', '0/0'], ['l', '1e30'], ['l', '-1e30'], ['i', '-3'], ['I', '4000000000'],
      ['i1', '200'], ['i2', '-2'], ['i3', '0x123456'], ['>i3', '0x123456'], ['i8', '-1'], ['i16', '-1'], ['>i16', '-1'], ['I12', '2^70'], ['i0', '5'], ['T', '7'],
      ['f', '1.5'], ['>f', '1.5'], ['f', '0.1'], ['f', '1e40'], ['d', '0.1'], ['>d', '-2.5'], ['d', '1/0'], ['b', '1.9'], ['b', '-1.9'], ['h', "'7'"],
      ['c', "'abc'"], ['c3', "'abc'"], ['c2', "'abc'"], ['c0', "'hello'"], ['s', "'hello'"], ['s', "'a\\0b'"], ['x', ''], ['xxb', '1'],
      ['!4 b i', '1, 2'], ['!b i', '1, 2'], ['!2 b d', '1, 2'], ['!8 b l', '1, 2'], ['!1 b l', '1, 2'], ['!4 b h b d', '1, 2, 3, 4'], ['! b c3 i', "1, 'abc', 2"],
      ['<i >i <i', '1, 2, 3'], ['bhlBHL', '1, 2, 3, 4, 5, 6'], ['  b  ', '9'], ['', ''], ['b\0h', '1, 2']]) {
      await ev(c, `return struct.pack(${JSON.stringify(fmt).replace(/\\u0000/g, '\\0')}${args ? ', ' + args : ''})`);
    }
    // unpack
    const data = 'local d = struct.pack(">i4 h b s c3 d f", 123456, -2, 7, "str", "xyz", 2.5, 0.25) ';
    for (const e of ['struct.unpack(">i4 h b s c3 d f", d)', 'struct.unpack(">i4", d, 1)', 'struct.unpack(">h", d, 5)', 'struct.unpack(">I4 H B", d)',
      'struct.unpack("<i4", d)', 'struct.unpack(">i2 i2", d)', 'struct.unpack("b", d, #d)', 'struct.unpack("b", d, #d + 1)', 'struct.unpack("b", d, 0)',
      'struct.unpack("b", d, -1)', 'struct.unpack("", d, -5)', 'struct.unpack("", d)', 'struct.unpack("x", d, #d + 1)', 'struct.unpack("c0", d)',
      'struct.unpack("b c0", string.char(3) .. "abcdef")', 'struct.unpack("b c0", string.char(9) .. "abc")', 'struct.unpack("s", "abc")', 'struct.unpack("s s", "a\\0b\\0")',
      'struct.unpack("i16", string.rep("\\255", 16))', 'struct.unpack("I16", string.rep("\\255", 16))', 'struct.unpack("i9", string.rep("\\128", 9))',
      'struct.unpack(">i9", "\\1\\2\\3\\4\\5\\6\\7\\8\\9")', 'struct.unpack("i3", "\\255\\255\\127")', 'struct.unpack("i3", "\\1\\0\\128")', 'struct.unpack("I3", "\\1\\0\\128")',
      'struct.unpack("L", string.rep("\\255", 8))', 'struct.unpack("l", string.rep("\\255", 8))', 'struct.unpack("i0", "")', 'struct.unpack("!4 b i", struct.pack("!4 b i", 1, 2))',
      'struct.unpack("f d", struct.pack("f d", 0.1, 0.1))', 'struct.unpack("d", string.rep("\\255", 8))', 'struct.unpack("i", "ab")', 'struct.unpack(">c2 c1", "abc")']) {
      await evCall(c, `(function() ${data} return ${e} end)()`);
    }
    // size
    for (const fmt of ['b', 'bhl', 'i', 'i7', 'c10', 'd f', '!4 b i', '!8 b d', 'x x', 'z', 'b5', '>l<h', '!3', 's', 'c0', 'c', '#', '']) {
      await evCall(c, `struct.size(${JSON.stringify(fmt)})`);
    }
    // errors
    for (const e of ["struct.pack('z', 1)", "struct.pack('i33', 1)", "struct.pack('i99999999999', 1)", "struct.pack('!3', 1)", "struct.pack('!0 b', 1)",
      "struct.pack('b')", "struct.pack('b', 'x')", "struct.pack('c5', 'ab')", "struct.pack('b c5', 1, 'ab')", "struct.pack('s', {})", "struct.pack()",
      "struct.pack('d', nil)", "struct.unpack('b')", "struct.unpack('i4', 'ab')", "struct.unpack('z', 'ab')", "struct.unpack('c0', 'ab')", "struct.unpack('b', 'a', 'x')",
      "struct.unpack('s', 'abc')", "struct.size('s')", "struct.size('c0')", "struct.size('#')", "struct.size()", "struct.size('i40')"]) {
      await evErr(c, `return ${e}`);
      await evCall(c, e);
    }
    await ev(c, 'local t = {} for i = 1, 3000 do t[i] = "b" end return #{struct.unpack(table.concat(t), string.rep("a", 3000))}');
    await evCall(c, 'select("#", struct.unpack(string.rep("b", 9000), string.rep("a", 9000)))');
  });

  test('library tables are read-only; the libraries in functions', async () => {
    const c = await p.client();
    for (const s of ['cjson.foo = 1', 'cjson.encode = nil', 'cmsgpack.pack = 1', 'bit.x = 1', 'struct.pack = 1', 'cjson = nil', 'bit = {}',
      "rawset(cjson, 'a', 1)", 'setmetatable(cmsgpack, {})']) {
      await evErr(c, s);
    }
    await ev(c, 'return {type(cjson), type(cmsgpack), type(bit), type(struct), type(cjson.encode), type(struct.size)}');
    await ev(c, `${SHOW}return all(cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION, cjson._NAME, cjson._VERSION)`);
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'LOAD', `#!lua name=libs
redis.register_function('enc', function(keys, args) return cjson.encode(cmsgpack.unpack(args[1])) end)
redis.register_function('pk', function(keys, args) return cmsgpack.pack(cjson.decode(args[1])) end)
redis.register_function('bits', function(keys, args) return {bit.band(tonumber(args[1]), 0xff), bit.tohex(tonumber(args[1]))} end)
redis.register_function('st', function(keys, args) return {struct.unpack('>i4', args[1])} end)
redis.register_function('ro', function(keys, args) cjson.x = 1 end)
redis.register_function('bad', function(keys, args) return cjson.decode(args[1]) end)
redis.register_function('depth', function(keys, args) return cjson.encode_max_depth(tonumber(args[1])) end)`);
    await c.do('FCALL', 'enc', '0', bytes('82a161c3a16293010203'));
    await c.do('FCALL', 'pk', '0', '{"a":[1,2,{"b":null}]}');
    await c.do('FCALL', 'pk', '0', '[1,2.5,"x"]');
    await c.do('FCALL', 'bits', '0', '-2');
    await c.do('FCALL', 'st', '0', bytes('fffffffe'));
    await c.error('ERR ', 'FCALL', 'ro', '0');
    await c.error('ERR ', 'FCALL', 'bad', '0', '[1,');
    await c.do('FCALL', 'depth', '0', '7');
    // the functions state has its own cjson settings
    await ev(c, 'return cjson.encode_max_depth()');
    await c.do('FUNCTION', 'FLUSH');
    // libraries are not reachable while a library loads (only the load API is)
    await c.error('ERR ', 'FUNCTION', 'LOAD', "#!lua name=x\nlocal a = cjson.encode({1})\nredis.register_function('f', function() return 1 end)");
  });

  test('RESP3 replies of decoded tables', async () => {
    const c = await p.client();
    await c.doLoosely('HELLO', '3');
    await ev(c, "return cjson.decode('[1,2.5,\"x\",true,false,[3]]')");
    await ev(c, "redis.setresp(3) return cjson.decode('[1,2.5,\"x\",true,false,[3]]')");
    await ev(c, 'return cmsgpack.unpack(ARGV[1])', bytes('9601cb4004000000000000a178c3c291c0'));
    await ev(c, "return {map=cjson.decode('{\"a\":1}')}");
    await ev(c, "return {double=cjson.decode('2.5')}");
    await ev(c, 'return {struct.unpack("<d", struct.pack("<d", 2.5))}');
    await ev(c, 'return bit.tobit(2^31)');
  });
});
