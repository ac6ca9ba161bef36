/*
 * Differential tests of ACLs (redis/src/acl.c) against redis-server 7.0.15:
 * ACL SETUSER rules and their errors, GETUSER/LIST descriptions, CAT, DRYRUN,
 * AUTH / HELLO AUTH, NOPERM for commands, subcommands, keys (%R~ / %W~) and
 * channels, selectors, the ACL LOG, MULTI/EXEC and scripts run by restricted
 * users, connections closed by DELUSER and channel revocation, the aclfile
 * (LOAD / SAVE, a bad line) and requirepass as the default user's password.
 *
 * Normalized, by nature: the order of single-command rules in a description
 * (Redis lists them in its command dict's order, seeded at random per
 * process), ACL LOG's age-seconds and the per-connection fields of its
 * client-info (id, addr, fd, ages, memory).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Arg, type PairClient, type PairHandle, usePair } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';

/** Sort each run of single-command rules (+get -set ...) inside every line of a reply; lengths are unchanged. */
function sortRules(line: string): string {
  const toks = line.split(' ');
  const out: string[] = [];
  let run: string[] = [];
  const flush = (close: boolean): void => {
    run.sort();
    if (close && run.length > 0) run[run.length - 1] += ')';
    out.push(...run);
    run = [];
  };
  for (const t of toks) {
    const close = t.endsWith(')');
    const core = close ? t.slice(0, -1) : t;
    if (/^[+-][^@]/.test(core)) {
      run.push(core);
      if (close) flush(true);
    } else {
      flush(false);
      out.push(t);
    }
  }
  flush(false);
  return out.join(' ');
}
const normRules = (raw: string): string => raw.split('\r\n').map(sortRules).join('\r\n');
const normFile = (text: string): string => text.split('\n').map(sortRules).join('\n');

/** client-info fields that do not depend on the connection itself */
const STABLE = ['name', 'db', 'sub', 'psub', 'ssub', 'multi', 'cmd', 'user', 'resp', 'flags'];
function normLog(raw: string): string {
  let s = raw.replace(/(\$11\r\nage-seconds\r\n)(\$\d+\r\n[^\r]*|,[^\r]*)\r\n/g, '$1AGE\r\n');
  s = s.replace(/(\$11\r\nclient-info\r\n)\$\d+\r\n([^\r]*)\r\n/g, (_m, head: string, info: string) => {
    const kv = info.split(' ').map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] as const);
    const names = kv.map(([k]) => k).join(',');
    const kept = kv.filter(([k]) => STABLE.includes(k)).map(([k, v]) => `${k}=${v}`).join(' ');
    return `${head}INFO[${names}|${kept}]\r\n`;
  });
  return s;
}

async function same(c: PairClient, norm: (s: string) => string, ...args: Arg[]): Promise<string> {
  const [a, b] = await c.both(...args);
  assert.equal(JSON.stringify(norm(a)), JSON.stringify(norm(b)), args.join(' '));
  return a;
}

/** Back to one default user with every permission, and an empty log. */
async function fresh(c: PairClient): Promise<void> {
  for (const [raw, side] of [[await c.ours.call('ACL', 'USERS'), c.ours], [await c.theirs.call('ACL', 'USERS'), c.theirs]] as const) {
    const names = raw.split('\r\n').filter((_l, i) => i > 0 && i % 2 === 0).filter((n) => n !== 'default' && n !== '');
    if (names.length > 0) await side.call('ACL', 'DELUSER', ...names);
  }
  await c.do('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all');
  await c.do('ACL', 'LOG', 'RESET');
}

async function as(p: PairHandle, user: string, pass: string): Promise<PairClient> {
  const c = await p.client({ flush: false });
  await c.do('AUTH', user, pass);
  return c;
}

describe('acl: rules, descriptions, errors', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('SETUSER rules and GETUSER / LIST / USERS', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'alice', 'on', '>p1', '>p2', '~k*', '%R~r*', '%W~w*', '&ch*', '+get', '+set', '+publish', '+subscribe', '-@dangerous', '+client|id');
    await same(c, normRules, 'ACL', 'GETUSER', 'alice');
    await c.do('ACL', 'SETUSER', 'bob', '+@all', '-@write', '+set', '-debug', 'allkeys', '(~foo* +get)', '(', '%RW~bar', '+@hash', '-hset', ')');
    await same(c, normRules, 'ACL', 'GETUSER', 'bob');
    await c.do('ACL', 'SETUSER', 'carol', 'nopass', 'allcommands', 'allchannels', 'allkeys', 'on', 'skip-sanitize-payload');
    await c.do('ACL', 'GETUSER', 'carol');
    await c.do('ACL', 'SETUSER', 'dave', '+@read', '+@hash', '-hset', '+select|0', '+select|1', '%R~a', '%W~a', '%R~', 'resetkeys', '~x', '<p1'.slice(0, 0));
    await same(c, normRules, 'ACL', 'GETUSER', 'dave');
    await c.do('ACL', 'SETUSER', 'erin', '#' + 'a'.repeat(64), '>secret', '!' + 'a'.repeat(64), 'nocommands', '+@all', '-config|set', '-client|kill', '+config|get');
    await same(c, normRules, 'ACL', 'GETUSER', 'erin');
    await c.do('ACL', 'SETUSER', 'erin', 'reset');
    await c.do('ACL', 'GETUSER', 'erin');
    await c.do('ACL', 'SETUSER', 'frank', 'on', 'nopass', '+@all', '(~a +get)', '(~b +set)', 'clearselectors', '(%W~c +@write)');
    await same(c, normRules, 'ACL', 'GETUSER', 'frank');
    await same(c, normRules, 'ACL', 'LIST');
    await c.do('ACL', 'USERS');
    await c.do('ACL', 'GETUSER', 'nobody');
    await c.do('ACL', 'WHOAMI');
    await c.do('ACL', 'SETUSER', 'grace', '>x', 'resetpass', 'nopass', '>y');
    await c.do('ACL', 'GETUSER', 'grace');
    await c.both('HELLO', '3');
    await same(c, normRules, 'ACL', 'GETUSER', 'bob');
    await c.do('ACL', 'GETUSER', 'carol');
    await c.do('ACL', 'GETUSER', 'nobody');
  });

  test('SETUSER errors leave the user unchanged', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'u', 'on', '~a');
    for (const op of ['%', '%RR~x', '%~x', '%X~x', 'x', '+', '-', '+@', '+@nosuch', '+nosuch', '+select|', '+config|get|x', '+config|foo',
      '-select|0', '<nopw', '#abc', '!abc', 'a)', 'on off', '~a b']) {
      await c.error('ERR Error in ACL SETUSER modifier', 'ACL', 'SETUSER', 'u', '+get', op);
    }
    await c.error('ERR Unmatched parenthesis', 'ACL', 'SETUSER', 'u', '(+get');
    await c.error('ERR Unmatched parenthesis', 'ACL', 'SETUSER', 'u', '(', '+get');
    await c.error('ERR Error in ACL SETUSER modifier', 'ACL', 'SETUSER', 'u', '(+get nosuch)');
    await c.do('ACL', 'SETUSER', 'u', 'allkeys');
    await c.error('ERR Error in ACL SETUSER modifier', 'ACL', 'SETUSER', 'u', '~b');
    await c.do('ACL', 'SETUSER', 'u', 'allchannels');
    await c.error('ERR Error in ACL SETUSER modifier', 'ACL', 'SETUSER', 'u', '&b');
    await c.error("ERR Usernames can't contain spaces", 'ACL', 'SETUSER', 'a b');
    await c.do('ACL', 'GETUSER', 'u');
    await c.error('ERR wrong number of arguments', 'ACL', 'SETUSER');
    await c.error('ERR wrong number of arguments', 'ACL', 'GETUSER');
    await c.error('ERR unknown subcommand', 'ACL', 'NOSUCH');
    await c.error('ERR unknown subcommand or wrong number', 'ACL', 'LOG', '1', '2');
    await c.error('ERR unknown subcommand or wrong number', 'ACL', 'CAT', 'read', 'x');
    await c.error("ERR The 'default' user cannot be removed", 'ACL', 'DELUSER', 'u', 'default');
    await c.do('ACL', 'DELUSER', 'u', 'nosuch', 'u');
    await c.error('ERR ACL GENPASS argument', 'ACL', 'GENPASS', '0');
    await c.error('ERR ACL GENPASS argument', 'ACL', 'GENPASS', '4097');
    await c.error('ERR value is not an integer', 'ACL', 'GENPASS', 'x');
    await c.doLoosely('ACL', 'GENPASS');
    const [a, b] = await c.both('ACL', 'GENPASS', '5');
    assert.equal(a.length, b.length);
    await c.error('ERR This Redis instance is not configured to use an ACL file', 'ACL', 'LOAD');
    await c.error('ERR This Redis instance is not configured to use an ACL file', 'ACL', 'SAVE');
    await c.do('ACL', 'HELP');
  });

  test('CAT', async () => {
    const c = await p.client();
    await c.do('ACL', 'CAT');
    // categories whose commands Nodis all has (CLUSTER's subcommands, SCRIPT DEBUG ... are missing)
    for (const cat of ['keyspace', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream', 'pubsub', 'blocking', 'transaction']) {
      await c.doSorted('ACL', 'CAT', cat);
    }
    await c.doSorted('ACL', 'CAT', 'HASH');
    await c.error('ERR Unknown category', 'ACL', 'CAT', 'nosuch');
  });

  test('DRYRUN', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'd', 'on', '~k*', '&c*', '+get', '+publish', '+config|get', '(%R~r* +@read)');
    for (const args of [['get', 'k1'], ['get', 'x'], ['get', 'r1'], ['set', 'r1', 'v'], ['set', 'k', 'v'], ['publish', 'c1', 'm'], ['publish', 'x', 'm'],
      ['config', 'get', 'x'], ['config', 'set', 'a', 'b'], ['mget', 'k1', 'r1', 'x'], ['mget', 'k1', 'k2']]) {
      await c.do('ACL', 'DRYRUN', 'd', ...args);
    }
    await c.error("ERR User 'nosuch' not found", 'ACL', 'DRYRUN', 'nosuch', 'get', 'x');
    await c.error("ERR Command 'nosuch' not found", 'ACL', 'DRYRUN', 'd', 'nosuch');
    await c.error("ERR Command 'config' not found", 'ACL', 'DRYRUN', 'd', 'config', 'nosuch');
    await c.error('ERR wrong number of arguments', 'ACL', 'DRYRUN', 'd', 'get');
  });
});

describe('acl: authentication and permissions', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('AUTH and HELLO AUTH', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'u', 'on', '>pw', '+@all', '~*');
    await c.do('ACL', 'SETUSER', 'offuser', 'off', '>pw', '+@all');
    await c.do('ACL', 'SETUSER', 'np', 'on', 'nopass', '+acl');
    await c.error('ERR AUTH <password> called without any password', 'AUTH', 'x');
    const u = await p.client({ flush: false });
    await u.error('WRONGPASS', 'AUTH', 'u', 'bad');
    await u.error('WRONGPASS', 'AUTH', 'offuser', 'pw');
    await u.error('WRONGPASS', 'AUTH', 'nosuch', 'pw');
    await u.do('AUTH', 'u', 'pw');
    await u.do('ACL', 'WHOAMI');
    await u.do('AUTH', 'np', 'anything');
    await u.do('ACL', 'WHOAMI');
    const [h1, h2] = await u.both('HELLO', '3', 'AUTH', 'u', 'pw');
    assert.equal(h1.replace(/id\r\n:\d+/, ''), h2.replace(/id\r\n:\d+/, ''));
    await u.do('ACL', 'WHOAMI');
    await u.error('WRONGPASS', 'HELLO', '2', 'AUTH', 'u', 'bad');
    await u.do('ACL', 'WHOAMI');
    await u.error('ERR syntax error', 'AUTH', 'a', 'b', 'c');
    await same(c, normLog, 'ACL', 'LOG');
    await c.both('HELLO', '3');
    await same(c, normLog, 'ACL', 'LOG');
    await same(c, normLog, 'ACL', 'LOG', '1');
    await c.do('ACL', 'LOG', '0');
    await c.do('ACL', 'LOG', '-5');
    await c.error('ERR value is not an integer', 'ACL', 'LOG', 'x');
    await c.do('ACL', 'LOG', 'RESET');
    await c.do('ACL', 'LOG');
  });

  test('ACL LOG groups repeated denials and keeps acllog-max-len entries', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'l', 'on', '>p', '+get', '~a*');
    const u = await as(p, 'l', 'p');
    for (let i = 0; i < 3; i++) await u.error('NOPERM', 'SET', 'a', 'b');
    for (let i = 0; i < 4; i++) await u.error('NOPERM', 'GET', 'k' + i);
    await same(c, normLog, 'ACL', 'LOG');
    await c.do('CONFIG', 'SET', 'acllog-max-len', '2');
    await u.error('NOPERM', 'GET', 'z');
    await same(c, normLog, 'ACL', 'LOG');
    await c.do('CONFIG', 'SET', 'acllog-max-len', '128');
  });

  test('requirepass is the default user password', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('CONFIG', 'SET', 'requirepass', 'secret');
    await c.do('ACL', 'GETUSER', 'default');
    const n = await p.client({ flush: false });
    await n.error('NOAUTH', 'GET', 'x');
    await n.error('NOAUTH', 'HELLO', '3');
    await n.error('WRONGPASS', 'AUTH', 'bad');
    await n.do('AUTH', 'secret');
    await n.do('GET', 'x');
    await c.do('ACL', 'SETUSER', 'default', '>other');
    await c.do('CONFIG', 'GET', 'requirepass');
    const m = await p.client({ flush: false });
    await m.do('AUTH', 'default', 'other');
    await c.do('CONFIG', 'SET', 'requirepass', '');
    await c.do('ACL', 'GETUSER', 'default');
    const o = await p.client({ flush: false });
    await o.do('GET', 'x');
    await c.do('ACL', 'SETUSER', 'default', 'off');
    const q = await p.client({ flush: false });
    await q.error('NOAUTH', 'GET', 'x');
    await c.do('ACL', 'SETUSER', 'default', 'on');
  });

  test('NOPERM: commands, subcommands, categories, first args', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'r', 'on', '>p', '~*', '&*', '+@read', '+@connection', '-ping', '+config|get', '-select', '+select|0', '+client', '-client|kill', '+acl|whoami');
    await c.do('SET', 'k', 'v');
    const u = await as(p, 'r', 'p');
    await u.do('GET', 'k');
    await u.error('NOPERM', 'SET', 'k', 'v');
    await u.error('NOPERM', 'PING');
    await u.do('CONFIG', 'GET', 'maxmemory');
    await u.error('NOPERM', 'CONFIG', 'SET', 'maxmemory', '0');
    await u.error('NOPERM', 'config', 'resetstat');
    await u.do('SELECT', '0');
    await u.error('NOPERM', 'SELECT', '1');
    await u.doLoosely('CLIENT', 'ID');
    await u.error('NOPERM', 'CLIENT', 'KILL', 'ID', '99999');
    await u.error('ERR unknown command', 'NOSUCH');
    await u.error('ERR wrong number of arguments', 'SET', 'k');
    await u.do('ACL', 'WHOAMI');
    await u.error('NOPERM', 'ACL', 'LIST');
    await same(c, normLog, 'ACL', 'LOG');
    await same(c, normLog, 'ACL', 'LOG', '2');
  });

  test('NOPERM: keys with read / write patterns, and selectors', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'k', 'on', '>p', '+@all', '~own*', '%R~ro*', '%W~wo*', '(~sel* +get +set)');
    await c.do('MSET', 'own1', 'a', 'ro1', 'b', 'wo1', 'c', 'sel1', 'd', 'x', 'e');
    const u = await as(p, 'k', 'p');
    await u.do('GET', 'own1');
    await u.do('GET', 'ro1');
    await u.error('NOPERM', 'GET', 'wo1');
    await u.error('NOPERM', 'SET', 'ro1', 'v');
    await u.do('SET', 'wo1', 'v');
    await u.error('NOPERM', 'SET', 'wo1', 'v', 'GET');
    await u.do('SET', 'own1', 'v', 'GET');
    await u.error('NOPERM', 'GET', 'x');
    await u.do('GET', 'sel1');
    await u.do('SET', 'sel1', 'v');
    await u.error('NOPERM', 'DEL', 'sel1');
    await u.do('COPY', 'ro1', 'wo2');
    await u.error('NOPERM', 'COPY', 'wo1', 'ro2');
    await u.error('NOPERM', 'LMOVE', 'ro1x', 'own2', 'LEFT', 'RIGHT');
    await u.do('LMOVE', 'own3', 'own2', 'LEFT', 'RIGHT');
    await u.error('NOPERM', 'MGET', 'own1', 'x', 'ro1');
    await u.do('EXISTS', 'own1');
    await u.error('ERR BY option of SORT denied', 'SORT', 'own1', 'BY', 'w*');
    await u.error('ERR GET option of SORT denied', 'SORT', 'own1', 'GET', '#');
    await u.error('WRONGTYPE', 'SORT', 'own1', 'BY', 'nosort');
    await u.error('NOPERM', 'SORT', 'x');
    await u.doSorted('SCAN', '0', 'COUNT', '1000');
    await same(c, normLog, 'ACL', 'LOG');
  });

  test('NOPERM: channels', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'ch', 'on', '>p', '+@all', '~*', 'resetchannels', '&news.*', '&lit');
    const u = await as(p, 'ch', 'p');
    await u.do('PUBLISH', 'news.a', 'm');
    await u.error('NOPERM', 'PUBLISH', 'other', 'm');
    await u.error('NOPERM', 'SPUBLISH', 'other', 'm');
    await u.error('NOPERM', 'SUBSCRIBE', 'news.a', 'other');
    await u.error('NOPERM', 'PSUBSCRIBE', 'news.*x');
    await u.error('NOPERM', 'SSUBSCRIBE', 'zzz');
    await u.do('UNSUBSCRIBE', 'other');
    await u.do('PSUBSCRIBE', 'news.*');
    await u.do('PUNSUBSCRIBE');
    await same(c, normLog, 'ACL', 'LOG');
    await c.do('ACL', 'DRYRUN', 'ch', 'subscribe', 'news.x', 'y');
  });

  test('MULTI / EXEC with a restricted user, and rules changed before EXEC', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'm', 'on', '>p', '+@all', '-flushall', '~a*', '&*');
    const u = await as(p, 'm', 'p');
    await u.do('MULTI');
    await u.do('SET', 'a1', 'v');
    await u.error('NOPERM', 'SET', 'b1', 'v');
    await u.error('NOPERM', 'FLUSHALL');
    await u.error('EXECABORT', 'EXEC');
    await u.do('MULTI');
    await u.do('SET', 'a1', 'v');
    await u.do('GET', 'a2');
    await u.do('PUBLISH', 'x', 'y');
    await c.do('ACL', 'SETUSER', 'm', '-get', 'resetchannels');
    await u.do('EXEC');
    await same(c, normLog, 'ACL', 'LOG');
    await c.do('ACL', 'LOG', 'RESET');
    await c.do('MULTI');
    await c.do('AUTH', 'm', 'bad');
    await c.do('AUTH', 'nosuch', 'x');
    await c.do('EXEC');
    await same(c, normLog, 'ACL', 'LOG');
  });

  test('scripts run as the calling user', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 's', 'on', '>p', '+@all', '-del', '~a*', 'resetchannels', '&ok');
    const u = await as(p, 's', 'p');
    await u.do('EVAL', "return redis.call('set', KEYS[1], 'x')", '1', 'a1');
    await u.error('ERR The user executing the script', 'EVAL', "return redis.call('get', 'b1')", '0');
    await u.error('ERR The user executing the script', 'EVAL', "return redis.call('del', 'a1')", '0');
    await u.error('ERR The user executing the script', 'EVAL', "return redis.call('publish', 'no', 'm')", '0');
    await u.do('EVAL', "return redis.pcall('get', 'b1')['err']", '0');
    await u.error('NOPERM', 'EVAL', "return 1", '1', 'b1');
    await same(c, normLog, 'ACL', 'LOG');
    // redis.acl_check_cmd: the caller's user, no arity check, an unknown command raises
    await u.do('EVAL', "return {redis.acl_check_cmd('set','a1',1), redis.acl_check_cmd('del','a1'), redis.acl_check_cmd('set','b1',1), redis.acl_check_cmd('get')}", '0');
    await u.error('ERR Invalid command passed to redis.acl_check_cmd()', 'EVAL', "return redis.acl_check_cmd('nosuch','x')", '0');
    await u.error('ERR Lua redis lib command arguments must be strings or integers', 'EVAL', "return redis.acl_check_cmd({})", '0');
  });

  test('DELUSER closes the user\'s connections; revoked channels close its subscribers', async () => {
    const c = await p.client();
    await fresh(c);
    await c.do('ACL', 'SETUSER', 'gone', 'on', '>p', '+@all', '~*');
    const u1 = await as(p, 'gone', 'p');
    const u2 = await as(p, 'gone', 'p');
    await c.do('ACL', 'SETUSER', 'gone', 'off');
    await u1.do('PING');
    await c.do('ACL', 'DELUSER', 'gone');
    await Promise.all([u1.ours.waitClose(), u1.theirs.waitClose(), u2.ours.waitClose(), u2.theirs.waitClose()]);
    // a user deleting itself gets its reply, then the connection closes
    await c.do('ACL', 'SETUSER', 'self', 'on', '>p', '+@all', '~*');
    const s = await as(p, 'self', 'p');
    await s.do('ACL', 'DELUSER', 'self');
    await Promise.all([s.ours.waitClose(), s.theirs.waitClose()]);
    await c.do('ACL', 'SETUSER', 'sub', 'on', '>p', '+@all', '~*', 'resetchannels', '&a', '&b');
    const sa = await as(p, 'sub', 'p');
    await sa.do('SUBSCRIBE', 'a');
    const sb = await as(p, 'sub', 'p');
    await sb.do('SUBSCRIBE', 'b');
    await c.do('ACL', 'SETUSER', 'sub', '&c'); // a superset: nobody closed
    await c.do('ACL', 'SETUSER', 'sub', 'resetchannels', '&a');
    await Promise.all([sb.ours.waitClose(), sb.theirs.waitClose()]);
    await sa.do('PING');
    await c.doSorted('CLIENT', 'KILL', 'USER', 'nosuch');
  });
});

describe('acl: aclfile', { skip: skipWithoutRedis() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'acl-test-'));
  const ours = join(dir, 'ours.acl');
  const theirs = join(dir, 'theirs.acl');
  const initial = 'user default on nopass ~* &* +@all\nuser alice on >pw ~a* &c* +get +set\n\n  user bob off (~x +get) -@all\n';
  writeFileSync(ours, initial);
  writeFileSync(theirs, initial);
  const p = usePair({ nodis: { aclfile: ours }, redis: [`aclfile ${theirs}`] });
  const norm = (s: string): string => normRules(s.replaceAll(ours, 'FILE').replaceAll(theirs, 'FILE'));

  test('loaded at start, SAVE and LOAD round trip', async () => {
    const c = await p.client();
    await same(c, normRules, 'ACL', 'LIST');
    await c.do('ACL', 'SETUSER', 'carol', 'on', 'nopass', '+@hash', '+@set', '-sadd', '-@write', '+get', '(%R~z +@hash)');
    await c.do('ACL', 'SAVE');
    assert.equal(normFile(readFileSync(ours, 'latin1')), normFile(readFileSync(theirs, 'latin1')));
    const a = await as(p, 'alice', 'pw');
    await c.do('ACL', 'SETUSER', 'dave', 'on');
    await c.do('ACL', 'LOAD');
    await same(c, normRules, 'ACL', 'LIST');
    // alice was reloaded as a new user: her connections are closed
    await Promise.all([a.ours.waitClose(), a.theirs.waitClose()]);
  });

  test('a bad line refuses the whole file', async () => {
    const c = await p.client();
    const bad = 'user default on nopass ~* &* +@all\nuser ok on >x +get\nuser bad on +nosuch %X~y\nnotuser x\nuser ok off\nuser sel (+get\n';
    writeFileSync(ours, bad);
    writeFileSync(theirs, bad);
    await same(c, norm, 'ACL', 'LOAD');
    await same(c, normRules, 'ACL', 'LIST');
    writeFileSync(ours, 'user default on nopass ~* &* +@all\nuser x on nopass nosuchrule\n');
    writeFileSync(theirs, 'user default on nopass ~* &* +@all\nuser x on nopass nosuchrule\n');
    await same(c, norm, 'ACL', 'LOAD');
    writeFileSync(ours, 'user x on nopass +@all ~*\n');
    writeFileSync(theirs, 'user x on nopass +@all ~*\n');
    await c.do('ACL', 'LOAD');
    await same(c, normRules, 'ACL', 'LIST');
  });
});
