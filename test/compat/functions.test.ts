/*
 * Functions (FUNCTION LOAD/DELETE/LIST/STATS/FLUSH/DUMP/RESTORE/HELP, FCALL,
 * FCALL_RO) against real Redis: replies and error texts byte for byte, the
 * load-time API, flags, and DUMP payloads that move between the two servers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

const lib = (name: string, body: string): string => `#!lua name=${name}\n${body}`;
const MYLIB = lib('mylib', [
  "redis.register_function('setit', function(keys, args) return redis.call('set', keys[1], args[1]) end)",
  "redis.register_function{function_name='getit', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}",
].join('\n'));

describe('functions', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('load, call, list, delete', async () => {
    const c = await p.client();
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'LOAD', MYLIB);
    await c.do('FCALL', 'setit', '1', 'k', 'v');
    await c.do('FCALL', 'SETIT', '1', 'k', 'v2');
    await c.do('FCALL_RO', 'getit', '1', 'k');
    await c.error('ERR Can not execute a script with write flag', 'FCALL_RO', 'setit', '1', 'k', 'v');
    await c.error('ERR Function not found', 'FCALL', 'nosuch', '0');
    await c.error('ERR Bad number of keys', 'FCALL', 'setit', 'x');
    await c.error('ERR Number of keys can\'t be negative', 'FCALL', 'setit', '-1');
    await c.error('ERR Number of keys can\'t be greater', 'FCALL', 'setit', '3', 'a');
    // one function per library here, so the order of the reply is fixed
    await c.do('FUNCTION', 'LOAD', lib('one', "redis.register_function{function_name='f1', callback=function() return 1 end, flags={'allow-oom','no-writes','allow-stale'}}"));
    await c.do('FUNCTION', 'LIST', 'LIBRARYNAME', 'one');
    await c.do('FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'on*');
    await c.do('FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch');
    await c.error('ERR library name argument was not given', 'FUNCTION', 'LIST', 'LIBRARYNAME');
    await c.error('ERR Unknown argument', 'FUNCTION', 'LIST', 'bogus');
    await c.do('FUNCTION', 'STATS');
    await c.do('FUNCTION', 'DELETE', 'one');
    await c.error('ERR Library not found', 'FUNCTION', 'DELETE', 'one');
    await c.do('FUNCTION', 'LOAD', 'REPLACE', MYLIB);
    await c.error('ERR Unknown option given', 'FUNCTION', 'LOAD', 'bogus', MYLIB);
    await c.error('ERR Missing library metadata', 'FUNCTION', 'LOAD', 'REPLACE');
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'LIST');
    await c.do('FUNCTION', 'HELP');
  });

  test('load errors', async () => {
    const c = await p.client();
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'LOAD', MYLIB);
    await c.error('ERR Library \'mylib\' already exists', 'FUNCTION', 'LOAD', MYLIB);
    await c.error('ERR Function SETIT already exists', 'FUNCTION', 'LOAD', lib('other', "redis.register_function('SETIT', function() end)"));
    const bad: string[] = [
      lib('bad', 'local x = string.len("a")'),
      lib('bad', 'redis.call("ping")'),
      lib('bad', 'return 1'),
      '#!lua\nreturn 1',
      '#!lua name=a b=c\nreturn 1',
      '#!lua name=a name=b\nreturn 1',
      '#!js name=a\nreturn 1',
      'no metadata',
      '#!lua name=a',
      '#!lua name=a-b\nreturn 1',
      lib('bad', "redis.register_function('a b', function() end)"),
      lib('bad', "redis.register_function{function_name='f', callback=function() end, flags={'bogus'}}"),
      lib('bad', "redis.register_function{function_name='f', callback=function() end, flags='x'}"),
      lib('bad', "redis.register_function{function_name='f', callback=function() end, bogus=1}"),
      lib('bad', "redis.register_function{callback=function() end}"),
      lib('bad', "redis.register_function{function_name='f'}"),
      lib('bad', "redis.register_function('f', 5)"),
      lib('bad', "redis.register_function('f')"),
      lib('bad', "redis.register_function(1, 2, 3)"),
      lib('bad', "redis.register_function('f', function() end)\nredis.register_function('f', function() end)"),
      lib('bad', 'error("boom")'),
      lib('bad', 'local function f( end'),
      lib('bad', 'x = 1'),
    ];
    for (const code of bad) await c.error('', 'FUNCTION', 'LOAD', code);
    // the failed loads left the library alone
    await c.do('FCALL', 'setit', '1', 'k', 'v');
    // the load API: log and versions work while loading
    await c.do('FUNCTION', 'LOAD', lib('api', "redis.log(redis.LOG_NOTICE, 'loading ' .. redis.REDIS_VERSION)\nredis.register_function('v', function() return redis.REDIS_VERSION_NUM end)"));
    await c.do('FCALL', 'v', '0');
  });

  test('errors while running, and the full API inside a function', async () => {
    const c = await p.client();
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'LOAD', lib('e', [
      "redis.register_function('unknown', function() return redis.call('nosuchcmd') end)",
      "redis.register_function('raise', function() error('oops') end)",
      "redis.register_function('tbl', function() return redis.error_reply('MY err') end)",
      "redis.register_function('strlen', function(k, a) return string.len(a[1]) end)",
      "redis.register_function('pc', function() return redis.pcall('incr', 'notanumber') end)",
      "redis.register_function('glob', function() return undefined_global end)",
    ].join('\n')));
    await c.do('SET', 'notanumber', 'x');
    await c.error('ERR Unknown Redis command', 'FCALL', 'unknown', '0');
    await c.error('ERR user_function', 'FCALL', 'raise', '0');
    await c.error('MY err', 'FCALL', 'tbl', '0');
    await c.do('FCALL', 'strlen', '0', 'hello');
    await c.error('ERR value is not', 'FCALL', 'pc', '0');
    await c.error('ERR user_function', 'FCALL', 'glob', '0');
  });

  test('DUMP payloads move both ways', async () => {
    const c = await p.client();
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'LOAD', MYLIB);
    const [ours, theirs] = await c.both('FUNCTION', 'DUMP');
    assert.equal(ours, theirs, 'same payload bytes');
    const payload = Buffer.from(ours.slice(ours.indexOf('\r\n') + 2, -2), 'latin1');
    await c.error('ERR Library mylib already exists', 'FUNCTION', 'RESTORE', payload);
    await c.do('FUNCTION', 'RESTORE', payload, 'REPLACE');
    await c.do('FUNCTION', 'FLUSH');
    await c.do('FUNCTION', 'RESTORE', payload);
    await c.do('FCALL_RO', 'getit', '1', 'nokey');
    await c.do('FUNCTION', 'RESTORE', payload, 'FLUSH');
    await c.error('ERR Wrong restore policy', 'FUNCTION', 'RESTORE', payload, 'bogus');
    const broken = Buffer.from(payload);
    broken[broken.length - 1]! ^= 0xff;
    await c.error('ERR DUMP payload version or checksum are wrong', 'FUNCTION', 'RESTORE', broken);
    await c.error('ERR DUMP payload version or checksum are wrong', 'FUNCTION', 'RESTORE', 'short');
  });
});
