/*
 * MODULE, LOLWUT, READONLY / READWRITE / ASKING against real Redis.
 *
 * MODULE: HELP and LIST are never gated; LOAD / LOADEX / UNLOAD are refused
 * under enable-module-command no and fail like a module that cannot load
 * under yes (and local, from 127.0.0.1), with the same log lines as Redis.
 * LOLWUT: the version line and every argument error byte for byte; the art
 * uses rand(), so versions 5 and 6 are compared on their structure (rows,
 * width, braille or ANSI cells only, the closing lines).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usePair, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { parseReply } from '../helpers/resp-client.js';

const VERSION_LINE = 'Redis ver. 7.0.15\n';
const SCHOTTER_END = '\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n';
const SKYLINE_END = '\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n';
const NOT_ALLOWED = 'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** Arity, unknown subcommand and the ungated subcommands: the same whatever enable-module-command says. */
async function moduleCommon(c: PairClient): Promise<void> {
  await c.do('MODULE', 'HELP');
  await c.do('module', 'help');
  await c.do('MODULE', 'LIST');
  await c.error('ERR wrong number of arguments for \'module\' command', 'MODULE');
  await c.error('ERR wrong number of arguments for \'module|help\' command', 'MODULE', 'HELP', 'x');
  await c.error('ERR wrong number of arguments for \'module|list\' command', 'MODULE', 'LIST', 'x');
  await c.error('ERR wrong number of arguments for \'module|load\' command', 'MODULE', 'LOAD');
  await c.error('ERR wrong number of arguments for \'module|loadex\' command', 'MODULE', 'LOADEX');
  await c.error('ERR wrong number of arguments for \'module|unload\' command', 'MODULE', 'UNLOAD');
  await c.error('ERR wrong number of arguments for \'module|unload\' command', 'MODULE', 'UNLOAD', 'a', 'b');
  await c.error('ERR unknown subcommand \'foo\'. Try MODULE HELP.', 'MODULE', 'foo');
  await c.error('ERR unknown subcommand \'foo\'. Try MODULE HELP.', 'MODULE', 'foo', 'bar');
  await c.both('HELLO', '3');
  await c.do('MODULE', 'LIST');
  await c.do('MODULE', 'HELP');
}

describe('MODULE with enable-module-command no', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('HELP, LIST and errors; LOAD, LOADEX, UNLOAD refused', async () => {
    const c = await p.client();
    await c.error(NOT_ALLOWED, 'MODULE', 'LOAD', '/nonexistent/x.so');
    await c.error(NOT_ALLOWED, 'MODULE', 'LOAD', '/nonexistent/x.so', 'a', 'b');
    await c.error(NOT_ALLOWED, 'MODULE', 'LOADEX', '/nonexistent/x.so', 'CONFIG', 'a', 'b');
    await c.error(NOT_ALLOWED, 'MODULE', 'UNLOAD', 'x');
    await c.error(NOT_ALLOWED, 'module', 'unload', 'x');
    // refused before MULTI queues it: EXEC aborts
    await c.do('MULTI');
    await c.error(NOT_ALLOWED, 'MODULE', 'UNLOAD', 'x');
    await c.error('EXECABORT', 'EXEC');
    await moduleCommon(c);
  });

  test('COMMAND INFO and DOCS of the MODULE subcommands', async () => {
    const c = await p.client();
    for (const resp of ['2', '3']) {
      await c.both('HELLO', resp);
      for (const sub of ['help', 'list', 'load', 'loadex', 'unload']) {
        await c.do('COMMAND', 'INFO', `module|${sub}`);
        await c.do('COMMAND', 'DOCS', `module|${sub}`);
      }
    }
    await c.doSorted('COMMAND', 'INFO', 'module');
  });
});

/** Files that fail dlopen in each way moduleLoad reports, in a fresh directory (removed by the caller). */
function badModules(): { dir: string; paths: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-module-'));
  const short = join(dir, 'short.so');
  writeFileSync(short, 'abc');
  const text = join(dir, 'text.so');
  writeFileSync(text, 'not an ELF object '.repeat(10));
  const noexec = join(dir, 'noexec.so');
  writeFileSync(noexec, 'x');
  const sub = join(dir, 'dir.so');
  mkdirSync(sub);
  chmodSync(short, 0o755);
  chmodSync(text, 0o755);
  chmodSync(noexec, 0o644);
  return { dir, paths: [join(dir, 'missing.so'), 'missing-relative.so', short, text, noexec, sub] };
}

/** The messages of the warning/notice lines of a Redis-format log ("pid:M date time # message"). */
function logMessages(file: string): string[] {
  let text = '';
  try { text = readFileSync(file, 'latin1'); } catch { return []; }
  return text.split('\n').map((l) => /^\d+:[A-Z] \d\d [A-Z][a-z]{2} \d{4} [\d:.]+ [#*] (.*)$/.exec(l)?.[1])
    .filter((m): m is string => m !== undefined && (m.startsWith('Module ') || m.includes('loadex') || m.startsWith('CONFIG specified')));
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
}

for (const setting of ['yes', 'local']) {
  describe(`MODULE with enable-module-command ${setting}`, { skip: skipWithoutRedis() }, () => {
    const logs = mkdtempSync(join(tmpdir(), 'nodis-module-log-'));
    const ourLog = join(logs, 'nodis.log');
    const theirLog = join(logs, 'redis.log');
    const p = usePair({
      nodis: { 'enable-module-command': setting, logfile: ourLog, loglevel: 'notice' },
      redis: [`enable-module-command ${setting}`, `logfile ${theirLog}`, 'loglevel notice'],
    });
    after(() => rmSync(logs, { recursive: true, force: true }));

    test('LOAD / LOADEX fail as Redis fails, with its log lines; UNLOAD of an unknown module', async (t) => {
      const { dir, paths } = badModules();
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const c = await p.client();
      const ERR_LOAD = 'ERR Error loading the extension. Please check the server logs.';
      for (const path of paths) {
        await c.error(ERR_LOAD, 'MODULE', 'LOAD', path);
        await c.error(ERR_LOAD, 'MODULE', 'LOAD', path, 'arg1', 'arg2');
        await c.error(ERR_LOAD, 'MODULE', 'LOADEX', path);
      }
      await c.error(ERR_LOAD, 'MODULE', 'LOADEX', paths[0]!, 'CONFIG', 'name', 'value', 'ARGS', 'a', 'b');
      await c.error(ERR_LOAD, 'MODULE', 'LOADEX', paths[0]!, 'ARGS');
      await c.error(ERR_LOAD, 'MODULE', 'LOADEX', paths[0]!, 'CONFIG', 'name');
      await c.error(ERR_LOAD, 'MODULE', 'LOADEX', paths[0]!, 'bogus', 'x');
      await c.error(ERR_LOAD, 'MODULE', 'LOADEX', paths[0]!, 'config', 'a', 'b', 'CONFIG', 'c');
      await c.error('ERR Error unloading module: no such module with that name', 'MODULE', 'UNLOAD', 'x');
      await c.error('ERR Error unloading module: no such module with that name', 'MODULE', 'UNLOAD', '');
      await c.do('MODULE', 'LIST');
      await moduleCommon(c);
      // Redis writes its log lines as it goes; ours go out synchronously
      const expected = logMessages(ourLog);
      await waitFor(() => logMessages(theirLog).length >= expected.length);
      assert.deepEqual(expected, logMessages(theirLog));
      assert.ok(expected.includes(`Module ${paths[0]} failed to load: ${paths[0]}: cannot open shared object file: No such file or directory`));
      assert.ok(expected.includes(`Module ${paths[4]} failed to load: It does not have execute permissions.`));
    });
  });
}

describe('LOLWUT', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('the version line, in RESP2 and RESP3; other versions and arguments', async () => {
    const c = await p.client();
    for (const resp of ['2', '3']) {
      await c.both('HELLO', resp);
      const a = await c.do('LOLWUT');
      if (resp === '2') assert.equal(a, `$${VERSION_LINE.length}\r\n${VERSION_LINE}\r\n`);
      await c.do('lolwut');
      for (const v of ['7', '4', '0', '-1', '1', '59', '50', '8', '4294967303', '-4294967289', '9223372036854775807', '-9223372036854775808']) {
        await c.do('LOLWUT', 'VERSION', v);
        await c.do('LOLWUT', 'VERSION', v, 'x', 'y');
      }
      await c.do('LOLWUT', 'VERSION');
      await c.do('LOLWUT', 'foo');
      await c.do('LOLWUT', 'foo', 'bar');
      await c.do('LOLWUT', 'foo', '5');
      await c.do('LOLWUT', 'version', '7', '66');
    }
    const [a] = await c.both('LOLWUT');
    assert.equal(a, `=${4 + VERSION_LINE.length}\r\ntxt:${VERSION_LINE}\r\n`);
  });

  test('argument errors', async () => {
    const c = await p.client();
    const ERR = 'ERR value is not an integer or out of range';
    for (const args of [
      ['VERSION', 'x'], ['VERSION', '5.0'], ['VERSION', ''], ['VERSION', '+5'], ['VERSION', '05'], ['VERSION', '9223372036854775808'],
      ['VERSION', '5', 'x'], ['VERSION', '5', '10', 'x'], ['VERSION', '5', '10', '10', 'x'], ['VERSION', '5', '99999999999999999999'],
      ['VERSION', '5', '1.5'], ['VERSION', '6', 'x'], ['VERSION', '6', '10', 'x'], ['VERSION', '4294967301', 'x'], ['version', '6', ' 1'],
    ]) await c.error(ERR, 'LOLWUT', ...args);
  });

  /** Rows of a reply with the closing text removed, each decoded from UTF-8. */
  function artRows(reply: string, end: string): string[] {
    const s = parseReply(reply) as string;
    assert.ok(s.endsWith(end), `closing lines: ${JSON.stringify(s.slice(-200))}`);
    const art = Buffer.from(s.slice(0, s.length - end.length), 'latin1').toString('utf8');
    return art === '' ? [] : art.split('\n');
  }

  test('version 5: Schotter in braille, the same dimensions as Redis', async () => {
    const c = await p.client();
    const cases = [[], ['66'], ['1'], ['2'], ['3'], ['10', '3', '3'], ['40', '1', '1'], ['1', '200', '1'], ['5', '7', '9'], ['0', '0', '0'],
      ['-5', '-1', '-1'], ['2000', '1', '1'], ['100', '300', '300'], ['33', '5', '200'], ['66', '8', '12', 'extra']];
    for (const args of cases) {
      for (const version of ['5', '4294967301']) {
        const [a, b] = await c.both('LOLWUT', 'VERSION', version, ...args);
        const ours = artRows(a, SCHOTTER_END);
        const theirs = artRows(b, SCHOTTER_END);
        const what = `LOLWUT VERSION ${version} ${args.join(' ')}`;
        assert.equal(ours.length, theirs.length, `${what}: rows`);
        assert.deepEqual(ours.map((l) => [...l].length), theirs.map((l) => [...l].length), `${what}: widths`);
        // a trailing empty row (no newline after the last one) exactly where Redis has it
        assert.deepEqual(ours.map((l) => l === ''), theirs.map((l) => l === ''), `${what}: empty rows`);
        for (const l of ours) assert.match(l, /^[\u2800-\u28ff]*$/u, `${what}: braille only`);
      }
    }
    // the default picture has squares drawn: not all blank
    const [a] = await c.both('LOLWUT', 'VERSION', '5');
    assert.ok(artRows(a, SCHOTTER_END).join('').replace(/\u2800/gu, '').length > 100);
    // RESP3: a verbatim string
    await c.both('HELLO', '3');
    const [x, y] = await c.both('LOLWUT', 'VERSION', '5', '20', '2', '2');
    assert.equal(x.slice(0, x.indexOf('\r\n') + 6), y.slice(0, y.indexOf('\r\n') + 6));
    assert.ok(x.startsWith('=') && x.includes('\r\ntxt:'));
  });

  test('version 6: the skyline in ANSI cells, the same dimensions as Redis', async () => {
    const c = await p.client();
    const cell = /\x1b\[0;(?:30;40|90;100|37;47|97;107)m \x1b\[0m/g;
    const cases = [[], ['80', '20'], ['1', '1'], ['0', '-3'], ['12'], ['200', '3'], ['30', '40'], ['5000', '2'], ['3', '1500'], ['40', '10', 'extra']];
    for (const args of cases) {
      const [a, b] = await c.both('LOLWUT', 'VERSION', '6', ...args);
      const ours = artRows(a, SKYLINE_END);
      const theirs = artRows(b, SKYLINE_END);
      const what = `LOLWUT VERSION 6 ${args.join(' ')}`;
      assert.equal(ours.length, theirs.length, `${what}: rows`);
      const cells = (l: string): number => (l.match(cell) ?? []).length;
      assert.deepEqual(ours.map(cells), theirs.map(cells), `${what}: cells per row`);
      for (const l of ours) assert.equal(l.replace(cell, ''), '', `${what}: ANSI cells only`);
    }
    // the default skyline: sky (white), gray buildings and black ones with windows
    const [a] = await c.both('LOLWUT', 'VERSION', '6');
    const art = artRows(a, SKYLINE_END).join('\n');
    for (const color of ['97;107', '37;47', '90;100', '30;40']) assert.ok(art.includes(`\x1b[0;${color}m`), color);
  });
});

describe('READONLY, READWRITE, ASKING without cluster support', { skip: skipWithoutRedis() }, () => {
  const p = usePair();

  test('errors and COMMAND INFO / DOCS', async () => {
    const c = await p.client();
    for (const cmd of ['READONLY', 'READWRITE', 'ASKING', 'readonly', 'asking']) {
      await c.error('ERR This instance has cluster support disabled', cmd);
      await c.error(`ERR wrong number of arguments for '${cmd.toLowerCase()}' command`, cmd, 'x');
    }
    await c.do('MULTI');
    await c.raw('*1\r\n$8\r\nREADONLY\r\n');
    await c.raw('*1\r\n$6\r\nASKING\r\n');
    await c.raw('*1\r\n$4\r\nEXEC\r\n');
    for (const resp of ['2', '3']) {
      await c.both('HELLO', resp);
      await c.do('COMMAND', 'INFO', 'readonly', 'readwrite', 'asking', 'lolwut');
      for (const cmd of ['readonly', 'readwrite', 'asking', 'lolwut']) await c.do('COMMAND', 'DOCS', cmd);
    }
  });
});
