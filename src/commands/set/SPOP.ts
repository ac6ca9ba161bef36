/* SPOP key [count]: removes random members, propagated as SREM (one per member) or, when the whole set goes, as DEL; the count cases follow t_set.c spopWithCountCommand. */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { NOTIFY_SET } from '../../keyspace/notify.js';
import { ERR_MUST_BE_POSITIVE, ERR_SYNTAX } from '../../protocol/errors.js';
import { setFor, type SetValue } from '../../types/set.js';
import { toBigInt } from '../args.js';
import { notifyDel } from '../hash/common.js';
import { maxIntset, writeSet } from './common.js';

/** SPOP_MOVE_STRATEGY_MUL */
const MOVE_STRATEGY_MUL = 5;

function withCount(c: Client, argv: string[]): void {
  const l = toBigInt(argv[2]!);
  if (l === null || l < 0n) { c.error(ERR_MUST_BE_POSITIVE); return; }
  const key = argv[1]!;
  const s = writeSet(c, key);
  if (s === false) return;
  if (s === null || l === 0n) { c.set(0); return; }
  const size = s.size;
  const rec = c.server.recorder;
  const db = c.db;
  // CASE 1: the whole set: reply it (as SUNION would), delete the key, propagate DEL
  if (l >= BigInt(size)) {
    rec.keyWritten(db, key, NOTIFY_SET, 'spop', size);
    replyAll(c, s);
    db.delete(key);
    notifyDel(c, key);
    c.propagateArgv = ['DEL', key];
    return;
  }
  const count = Number(l);
  rec.keyWritten(db, key, NOTIFY_SET, 'spop', count);
  c.set(count);
  let remaining = size - count;
  if (remaining * MOVE_STRATEGY_MUL > count) {
    // CASE 2: pop random members one by one
    for (let n = count; n > 0; n--) {
      const m = s.random();
      s.delete(m);
      c.bulk(m);
      rec.propagate(db.id, ['SREM', key, m]);
    }
  } else {
    // CASE 3: move the members that stay into a new set, reply what is left
    let kept: SetValue | null = null;
    const max = maxIntset(c);
    while (remaining-- > 0) {
      const m = s.random();
      if (kept === null) kept = setFor(m);
      kept.add(m, max);
      s.delete(m);
    }
    s.forEach((m) => {
      c.bulk(m);
      rec.propagate(db.id, ['SREM', key, m]);
    });
    db.set(key, kept!, true);
  }
  c.preventPropagation = true;
}

/** The reply of SUNION key: the members re-added to a fresh set (an intset lists ascending). */
function replyAll(c: Client, s: SetValue): void {
  const max = maxIntset(c);
  const u = setFor('0');
  s.forEach((m) => { u.add(m, max); });
  c.set(u.size);
  u.forEach((m) => { c.bulk(m); });
}

export const SPOP = {
  name: 'spop', group: 'set', summary: 'Remove and return one or multiple random members from a set', since: '1.0.0',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
  arity: -2, flags: ['write', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  history: [['3.2.0', 'Added the `count` argument.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer', optional: true, since: '3.2.0' }],
  handler(c, argv) {
    if (argv.length === 3) { withCount(c, argv); return; }
    if (argv.length > 3) { c.error(ERR_SYNTAX); return; }
    const key = argv[1]!;
    const s = writeSet(c, key);
    if (s === false) return;
    if (s === null) { c.null(); return; }
    const m = s.random();
    s.delete(m);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_SET, 'spop');
    c.propagateArgv = ['SREM', key, m];
    c.bulk(m);
    if (s.size === 0) { c.db.delete(key); notifyDel(c, key); }
  },
} as const satisfies CommandDef;
