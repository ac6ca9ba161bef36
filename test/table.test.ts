/*
 * The command table (STYLE.md §5.4): unique names, write <=> @write,
 * readonly => @read (unless scripting) and no write key spec, admin =>
 * @admin @dangerous, fast <=> not @slow, arity sign sane, every key spec's
 * flags valid, subcommand names without '|', and every command appears in at
 * least one test file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CommandTable } from '../src/commands/registry.js';
import { ALL_COMMANDS } from '../src/commands/index.js';

const table = new CommandTable();
table.register(ALL_COMMANDS);
const all = [...table.all()];

test('names are unique and lowercase', () => {
  const seen = new Set<string>();
  for (const c of all) {
    assert.ok(!seen.has(c.fullname), `duplicate ${c.fullname}`);
    seen.add(c.fullname);
    assert.equal(c.name, c.name.toLowerCase());
    assert.ok(!c.name.includes('|'));
  }
});

test('flags and ACL categories agree', () => {
  for (const c of all) {
    const f = c.flags;
    const acl = new Set(c.acl);
    assert.equal(f.has('write'), acl.has('write'), `${c.fullname}: write <=> @write`);
    if (f.has('readonly') && !acl.has('scripting')) assert.ok(acl.has('read'), `${c.fullname}: readonly => @read`);
    if (f.has('admin')) assert.ok(acl.has('admin') && acl.has('dangerous'), `${c.fullname}: admin => @admin @dangerous`);
    assert.notEqual(acl.has('fast'), acl.has('slow'), `${c.fullname}: exactly one of @fast/@slow`);
    assert.ok(!(f.has('write') && f.has('readonly')), `${c.fullname}: write and readonly`);
  }
});

test('readonly commands have no write key spec; key specs are well formed', () => {
  const writeFlags = ['RW', 'OW', 'RM', 'insert', 'delete', 'update'];
  for (const c of all) {
    for (const s of c.def.keySpecs ?? []) {
      if (s.flags.includes('not_key')) continue; // shard channels (SSUBSCRIBE ...): routed like keys, no access flag
      const access = ['RO', 'RW', 'OW', 'RM'].filter((x) => s.flags.includes(x as never));
      assert.equal(access.length, 1, `${c.fullname}: one of RO/RW/OW/RM`);
      // PFCOUNT: readonly, yet RW (it writes the cached cardinality and may propagate), as in Redis's pfcount.json
      if (c.flags.has('readonly') && c.fullname !== 'pfcount') {
        assert.ok(!s.flags.some((x) => writeFlags.includes(x)), `${c.fullname}: readonly with write key spec`);
      }
    }
    if (c.subcommands) for (const sub of c.subcommands.values()) assert.ok(sub.arity === 0 || Math.abs(sub.arity) >= 2);
  }
});

test('every command appears in at least one test file', () => {
  const texts: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.test.ts')) texts.push(readFileSync(p, 'utf8').toLowerCase());
    }
  };
  walk('test');
  walk('src');
  const text = texts.join('\n');
  const missing = [...table.commands.values()].map((c) => c.name)
    .filter((n) => !text.includes(`'${n}'`) && !text.includes(`"${n}"`) && !text.includes(`'${n} `));
  assert.deepEqual(missing, []);
});
