/*
 * Scripting (EVAL family, SCRIPT) against real Redis: conversions both ways,
 * error texts, KEYS/ARGV, EVALSHA/NOSCRIPT, shebang flags, read-only scripts,
 * globals protection, RESP3, and a busy script with SCRIPT KILL (two
 * connections, busy-reply-threshold 50 ms on both servers).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

describe('scripting', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('Lua -> RESP conversions', async () => {
    const c = await p.client();
    await c.do('EVAL', 'return 1', '0');
    await c.do('EVAL', 'return 100.5', '0');
    await c.do('EVAL', 'return -3.9', '0');
    await c.do('EVAL', 'return 1e30', '0');
    await c.do('EVAL', "return 'hello\\0world'", '0');
    await c.do('EVAL', 'return true', '0');
    await c.do('EVAL', 'return false', '0');
    await c.do('EVAL', 'return nil', '0');
    await c.do('EVAL', "return {1,2,3,'ciao',{1,2}}", '0');
    await c.do('EVAL', "return {1,2,nil,4}", '0');
    await c.do('EVAL', "return {ok='fine'}", '0');
    await c.do('EVAL', "return redis.status_reply('a\\r\\nb')", '0');
    await c.error('My', 'EVAL', "return {err='My Error'}", '0');
    await c.error('ERR this', 'EVAL', "return redis.error_reply('ERR this is an error')", '0');
    await c.error('X', 'EVAL', "return redis.error_reply('X code')", '0');
    await c.do('EVAL', "return {1,{err='inner'},3}", '0');
    await c.do('EVAL', "return {double=3.5}", '0');
    await c.do('EVAL', "return _G", '0');
    await c.do('EVAL', 'local a = {}; setmetatable(a,{__index=function() error("x") end}) return a', '0');
    await c.do('EVAL', "return redis.sha1hex('')", '0');
    await c.do('EVAL', 'return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}', '0');
    await c.do('EVAL', 'return redis.replicate_commands()', '0');
  });

  test('RESP -> Lua conversions and KEYS/ARGV', async () => {
    const c = await p.client();
    await c.do('SET', 'k', 'v');
    await c.do('RPUSH', 'l', 'a', 'b', 'c');
    await c.do('EVAL', "return redis.call('get', KEYS[1])", '1', 'k');
    await c.do('EVAL', "return redis.call('lrange', KEYS[1], 0, -1)", '1', 'l');
    await c.do('EVAL', "return type(redis.call('get', 'missing'))", '0');
    await c.do('EVAL', "return redis.call('incr', 'n')", '0');
    await c.do('EVAL', "local r = redis.call('set', 'x', 'y') return r.ok", '0');
    await c.do('EVAL', "local r = redis.pcall('incr', 'k') return r.err", '0');
    await c.do('EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}', '2', 'a', 'b', 'c', 'd');
    await c.do('EVAL', "return redis.call('set', 'num', 3.14159)", '0');
    await c.do('GET', 'num');
    await c.do('EVAL', "redis.call('select', 9) return redis.call('set', 'in9', '1')", '0');
    await c.do('GET', 'in9');
    await c.do('SELECT', '9');
    await c.do('GET', 'in9');
    await c.do('FLUSHALL');
  });

  test('errors', async () => {
    const c = await p.client();
    await c.error('ERR wrong number', 'EVAL', 'return 1');
    await c.error('ERR value is not an integer', 'EVAL', 'return 1', 'x');
    await c.error("ERR Number of keys can't be greater", 'EVAL', 'return 1', '2', 'a');
    await c.error("ERR Number of keys can't be negative", 'EVAL', 'return 1', '-1');
    await c.error('ERR Error compiling script', 'EVAL', 'return +', '0');
    await c.error('ERR user_script:1: Script attempted to access nonexistent global', 'EVAL', 'return x', '0');
    await c.error('ERR user_script:1: Attempt to modify a readonly table', 'EVAL', 'a = 1', '0');
    await c.error('ERR user_script:1: Attempt to modify a readonly table', 'EVAL', 'redis.call = 1', '0');
    await c.error('ERR Attempt to modify a readonly table', 'EVAL', 'setmetatable(_G, {})', '0');
    await c.error('ERR user_script:2: Attempt to modify a readonly table', 'EVAL', 'local g = getmetatable(_G)\ng.__index = {}', '0');
    await c.error('ERR user_script:1: Attempt to modify a readonly table', 'EVAL', 'string.rep = 1', '0');
    await c.error('ERR Unknown Redis command', 'EVAL', "return redis.call('nosuch')", '0');
    await c.error('ERR Wrong number of args', 'EVAL', "return redis.call('get')", '0');
    await c.error('ERR This Redis command is not allowed', 'EVAL', "return redis.call('eval', 'return 1', 0)", '0');
    await c.error('ERR Please specify at least one argument', 'EVAL', 'return redis.call()', '0');
    await c.error('ERR Lua redis lib command arguments', 'EVAL', "return redis.call('get', {})", '0');
    await c.do('SET', 's', 'x');
    await c.error('ERR value is not an integer', 'EVAL', "return redis.call('incr', 's')", '0');
    await c.error('ERR user_script:1: boom', 'EVAL', "error('boom')", '0');
    await c.error('plain', 'EVAL', "error({err='plain'})", '0');
    await c.error('ERR user_script:1: attempt to call', 'EVAL', 'return loadstring(string.dump(function() return 1 end))()', '0');
    await c.error('ERR user_script:1: Script attempted to access nonexistent global', 'EVAL', 'print(1)', '0');
    await c.error('ERR unknown subcommand', 'SCRIPT', 'NOSUCH');
    await c.error('ERR SCRIPT FLUSH only support', 'SCRIPT', 'FLUSH', 'X');
    await c.error('NOTBUSY', 'SCRIPT', 'KILL');
  });

  test('EVALSHA, SCRIPT LOAD/EXISTS/FLUSH', async () => {
    const c = await p.client();
    await c.do('SCRIPT', 'FLUSH');
    await c.error('NOSCRIPT', 'EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0');
    await c.error('NOSCRIPT', 'EVALSHA', 'abc', '0');
    const sha = await c.do('SCRIPT', 'LOAD', "return 'loaded'");
    const hex = sha.split('\r\n')[1]!;
    await c.do('EVALSHA', hex, '0');
    await c.do('EVALSHA', hex.toUpperCase(), '0');
    await c.do('SCRIPT', 'EXISTS', hex, 'ffffffffffffffffffffffffffffffffffffffff');
    await c.do('EVAL', 'return 42', '0');
    await c.do('SCRIPT', 'EXISTS', 'c3fc3e3a0bb3ed4b1fb1d8c2e4e7e8b39cf1b8c1');
    await c.do('SCRIPT', 'FLUSH', 'ASYNC');
    await c.do('SCRIPT', 'EXISTS', hex);
    await c.error('ERR Error compiling', 'SCRIPT', 'LOAD', 'return +');
    await c.do('SCRIPT', 'HELP');
  });

  test('shebang flags and read-only scripts', async () => {
    const c = await p.client();
    await c.do('EVAL', '#!lua\nreturn 1', '0');
    await c.do('EVAL', '#!lua flags=no-writes\nreturn redis.call("get", "a")', '0');
    await c.error('ERR Unexpected engine', 'EVAL', '#!python\nreturn 1', '0');
    await c.error('ERR Unexpected flag', 'EVAL', '#!lua flags=bad\nreturn 1', '0');
    await c.error('ERR Unknown lua shebang option', 'EVAL', '#!lua x=1\nreturn 1', '0');
    await c.error('ERR Invalid script shebang', 'EVAL', '#!lua', '0');
    await c.error('ERR Write commands are not allowed', 'EVAL', "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')", '0');
    await c.error('ERR Write commands are not allowed', 'EVAL_RO', "return redis.call('set', 'a', 'b')", '0');
    await c.error('ERR Can not execute a script with write flag', 'EVAL_RO', "#!lua\nreturn redis.call('get', 'a')", '0');
    await c.do('EVAL_RO', "return redis.call('get', 'a')", '0');
    const sha = (await c.do('SCRIPT', 'LOAD', "return redis.call('set', 'a', 'b')")).split('\r\n')[1]!;
    await c.error('ERR Write commands are not allowed', 'EVALSHA_RO', sha, '0');
  });

  test('RESP3 in scripts', async () => {
    const c = await p.client();
    await c.doLoosely('HELLO', '3');
    await c.do('HSET', 'h', 'f', 'v');
    await c.do('EVAL', "redis.setresp(3) return redis.call('hgetall', 'h')", '0');
    await c.do('EVAL', "return redis.call('hgetall', 'h')", '0');
    await c.do('EVAL', 'return {map={a=1}}', '0');
    await c.do('EVAL', 'return {set={a=true}}', '0');
    await c.do('EVAL', 'return {double=1.5}', '0');
    await c.do('EVAL', "return {big_number='123456789012345678901234567890'}", '0');
    await c.do('EVAL', "return {verbatim_string={format='txt', string='hi'}}", '0');
    await c.do('EVAL', 'return true', '0');
    await c.do('EVAL', 'redis.setresp(3) return true', '0');
    await c.do('EVAL', 'redis.setresp(3) return false', '0');
    await c.do('EVAL', "redis.setresp(3) return redis.call('get', 'missing') == nil", '0');
    await c.error('ERR RESP version', 'EVAL', 'redis.setresp(4)', '0');
  });

  test('commands that behave differently from scripts', async () => {
    const c = await p.client();
    await c.do('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    await c.do('EVAL', "return redis.pcall('xread', 'STREAMS', 's', '$')", '1', 's');
    await c.error('ERR ', 'EVAL', "return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", '1', 's');
    await c.error('ERR ', 'EVAL', "return redis.pcall('XREAD', 'block', 'x', 'STREAMS', 's', '$')", '1', 's');
    await c.error('ERR ', 'EVAL', "return redis.pcall('xreadgroup', 'group', 'g', 'c', 'BLOCK', 0, 'STREAMS', 's', '>')", '1', 's');
    await c.error('ERR xread command is not allowed with BLOCK', 'EVAL', "return redis.call('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", '1', 's');
    // SORT BY <constant> of a set is sorted (ALPHA) when a script calls it
    await c.do('SADD', 'myset', 'a', 'b', 'c', 'd', 'z', 'aa', 'aaa', 'azz');
    await c.do('EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'myset');
    await c.do('EVAL', "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", '1', 'myset');
    await c.do('RPUSH', 'mylist', 'b', 'a', 'c');
    await c.do('EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'mylist');
  });

  test('busy script: BUSY for others, SCRIPT KILL, UNKILLABLE', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'busy-reply-threshold', '50');
    const other = await p.client({ flush: false });
    c.ours.send('EVAL', 'while true do end', '0');
    c.theirs.send('EVAL', 'while true do end', '0');
    await new Promise((r) => setTimeout(r, 200));
    await other.error('BUSY', 'GET', 'x');
    await other.do('SCRIPT', 'KILL');
    const [a, b] = await Promise.all([c.ours.read(), c.theirs.read()]);
    assert.equal(a, b);
    assert.ok(a.startsWith('-ERR Script killed by user with SCRIPT KILL'), a);
    await other.do('PING');
    await other.error('NOTBUSY', 'SCRIPT', 'KILL');
    c.ours.send('EVAL', "redis.call('set', 'w', '1') local t = redis.call('time') while redis.call('get', 'stop') == false and redis.call('time')[1] - t[1] < 2 do end return 1", '0');
    c.theirs.send('EVAL', "redis.call('set', 'w', '1') local t = redis.call('time') while redis.call('get', 'stop') == false and redis.call('time')[1] - t[1] < 2 do end return 1", '0');
    await new Promise((r) => setTimeout(r, 200));
    await other.error('UNKILLABLE', 'SCRIPT', 'KILL');
    await other.error('BUSY', 'SET', 'stop', '1');
    const [x, y] = await Promise.all([c.ours.read(), c.theirs.read()]);
    assert.equal(x, y);
    await other.do('GET', 'w');
    await c.do('CONFIG', 'SET', 'busy-reply-threshold', '5000');
  });
  test('INFO commandstats / errorstats of scripts: a caught error does not fail EVAL, one passed on does (once)', async () => {
    const c = await p.client();
    const stats = async (cmds: string[]): Promise<void> => {
      const [a, b] = await c.both('INFO', 'all');
      const pick = (r: string): string[] => r.split('\r\n').filter((l) => l.startsWith('errorstat_') || l.startsWith('total_error_replies:') ||
        cmds.some((n) => l.startsWith(`cmdstat_${n}:`))).map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
      assert.deepEqual(pick(a), pick(b));
    };
    const cases: [string[], string[]][] = [
      [['EVAL', "return redis.call('set','x','y')", '1', 'x'], ['set', 'eval']],
      [['EVAL', "local t = redis.pcall('set','x','y') if t['err'] then return 1 end return 0", '1', 'x'], ['set', 'eval']],
      [['EVAL', "return redis.pcall('set','x','y')", '1', 'x'], ['set', 'eval']],
      [['EVAL', "return {redis.pcall('set','x','y'), redis.pcall('set','x','y')}", '1', 'x'], ['set', 'eval']],
    ];
    await c.do('CONFIG', 'SET', 'maxmemory', '1');
    for (const [cmd, names] of cases) {
      await c.do('CONFIG', 'RESETSTAT');
      await c.both(...cmd);
      await stats(names);
    }
    await c.do('CONFIG', 'SET', 'maxmemory', '0');
    const more: [string[], string[]][] = [
      [['EVAL', "return redis.call('select',99)", '0'], ['select', 'eval']],
      [['EVAL', "local t = redis.pcall('select',99) if t['err'] then return 1 end return 0", '0'], ['select', 'eval']],
      [['EVAL_RO', "return redis.call('set','x','y')", '1', 'x'], ['set', 'eval_ro']],
      [['EVAL_RO', "local t = redis.pcall('set','x','y') return 1", '1', 'x'], ['set', 'eval_ro']],
      [['EVAL', "redis.pcall('nosuch') return redis.error_reply('MY_ERR custom')", '0'], ['eval']],
      [['EVAL', "redis.pcall('select', 99) return 1", '0'], ['select', 'eval']],
      [['EVAL', "return {err='plain'}", '0'], ['eval']],
      [['EVAL', "return {err='AN_ERROR_CODE_OF_EXACTLY_31_CHR x'}", '0'], ['eval']],
      [['EVAL', "return {err='A_LONG_ERROR_CODE_OF_30_CHARSS x'}", '0'], ['eval']],
      [['EVAL', "return redis.error_reply('')", '0'], ['eval']],
    ];
    for (const [cmd, names] of more) {
      await c.do('CONFIG', 'RESETSTAT');
      await c.both(...cmd);
      await stats(names);
    }
    // EXEC fails only for errors after its last command ran
    await c.do('CONFIG', 'RESETSTAT');
    await c.do('MULTI');
    await c.do('SET', 'x', '1');
    await c.do('LPUSH', 'x', 'a');
    await c.do('EXEC');
    await stats(['set', 'lpush', 'exec']);
  });
});
