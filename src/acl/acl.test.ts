/* Unit tests of the ACL core (acl.ts, user.ts, selector.ts) on a server that is never started. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '../server/server.js';
import { ACL_OK, DENIED_CHANNEL, DENIED_CMD, DENIED_KEY, mergeSelectorArgs } from './acl.js';

function acl() {
  const s = new Server({ port: 0 });
  return { s, acl: s.acl, cmd: (...argv: string[]) => s.table.lookup(argv)! };
}

describe('acl', () => {
  test('the default user is unrestricted; requirepass sets its password', () => {
    const { acl: a, s } = acl();
    assert.equal(a.defaultUser.unrestricted, true);
    assert.equal(a.defaultUser.describe(), 'on nopass ~* &* +@all');
    assert.equal(a.authNeeded, false);
    s.config.set('requirepass', 'pw');
    assert.equal(a.authNeeded, true);
    assert.equal(a.defaultUser.checkPassword('pw'), true);
    assert.equal(a.defaultUser.checkPassword('no'), false);
    s.config.set('requirepass', '');
    assert.equal(a.defaultUser.nopass, true);
  });

  test('selectors merged across arguments; unmatched parenthesis', () => {
    assert.deepEqual(mergeSelectorArgs(['on', '(+get', '~a)', 'off']), ['on', '(+get ~a)', 'off']);
    assert.equal(mergeSelectorArgs(['on', '(+get', '~a']), 1);
    assert.deepEqual(mergeSelectorArgs(['(+get)']), ['(+get)']);
  });

  test('checks: command bits, first args, keys by access, channels, selectors', () => {
    const { acl: a, cmd } = acl();
    assert.equal(a.setUser('u', ['on', '+get', '+set', '-select', '+select|0', '%R~r*', '%W~w*', '~k*', '&news', '+publish', '(~s* +del)']), null);
    const u = a.users.get('u')!;
    assert.equal(u.unrestricted, false);
    assert.equal(a.checkCommand(u, cmd('get', 'r1'), ['get', 'r1']), ACL_OK);
    assert.equal(a.checkCommand(u, cmd('get', 'w1'), ['get', 'w1']), DENIED_KEY);
    assert.equal(a.lastPos, 1);
    assert.equal(a.checkCommand(u, cmd('set', 'w1', 'v'), ['set', 'w1', 'v']), ACL_OK);
    assert.equal(a.checkCommand(u, cmd('set', 'w1', 'v', 'GET'), ['set', 'w1', 'v', 'GET']), DENIED_KEY);
    assert.equal(a.checkCommand(u, cmd('select', '0'), ['select', '0']), ACL_OK);
    assert.equal(a.checkCommand(u, cmd('select', '1'), ['select', '1']), DENIED_CMD);
    assert.equal(a.checkCommand(u, cmd('publish', 'news', 'm'), ['publish', 'news', 'm']), ACL_OK);
    assert.equal(a.checkCommand(u, cmd('publish', 'x', 'm'), ['publish', 'x', 'm']), DENIED_CHANNEL);
    assert.equal(a.checkCommand(u, cmd('del', 's1'), ['del', 's1']), ACL_OK);
    assert.equal(a.checkCommand(u, cmd('del', 'k1'), ['del', 'k1']), DENIED_KEY);
    assert.equal(a.checkCommand(u, cmd('hset', 'k', 'f', 'v'), ['hset', 'k', 'f', 'v']), DENIED_CMD);
  });

  test('descriptions: +@all / -@all first, categories, then single commands', () => {
    const { acl: a } = acl();
    a.setUser('x', ['+@all', '-@write', '+set']);
    assert.equal(a.users.get('x')!.describe(), 'off resetchannels +@all -@write +set');
    a.setUser('y', ['+@hash', '-hset', '(~a +get)']);
    assert.equal(a.users.get('y')!.describe(), 'off resetchannels -@all +@hash -hset (~a resetchannels -@all +get)');
    assert.match(a.setUser('y', ['+get', 'bad']) ?? '', /^Error in ACL SETUSER modifier 'bad': Syntax error$/);
    assert.equal(a.users.get('y')!.describe(), 'off resetchannels -@all +@hash -hset (~a resetchannels -@all +get)');
  });

  test('aclfile: save and load round trip; a bad line changes nothing', () => {
    const { acl: a, s } = acl();
    const dir = mkdtempSync(join(tmpdir(), 'acl-unit-'));
    const file = join(dir, 'users.acl');
    s.config.set('aclfile', file, true);
    a.setUser('alice', ['on', '>pw', '~a*', '+@read']);
    assert.equal(a.saveToFile(file), true);
    const saved = readFileSync(file, 'latin1');
    assert.match(saved, /^user alice on #[0-9a-f]{64} ~a\* resetchannels -@all \+@read\nuser default on nopass ~\* &\* \+@all\n$/);
    a.setUser('bob', ['on']);
    assert.equal(a.loadFromFile(file), null);
    assert.deepEqual([...a.users.keys()].sort(), ['alice', 'default']);
    writeFileSync(file, saved + 'user carol on +nosuch\n');
    const err = a.loadFromFile(file);
    assert.equal(err, `${file}:3: Error in applying operation '+nosuch': Unknown command or category name in ACL. WARNING: ACL errors detected, no change to the previously active ACL rules was performed`);
    assert.deepEqual([...a.users.keys()].sort(), ['alice', 'default']);
  });
});
