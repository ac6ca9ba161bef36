/*
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (redis/src/db.c
 * scanGenericCommand for the keyspace). The cursor is a Db slot position
 * (Db.scan gives the guarantee: a key present for the whole iteration is
 * returned). Steps as Redis: parse options (COUNT < 1 is a syntax error),
 * collect a step of keys, then filter by pattern, by type (a lookup without
 * touching, which counts hits/misses) and drop expired keys (deleting them).
 */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { toBigInt } from '../args.js';
import { ERR_INVALID_CURSOR, ERR_NOT_INTEGER, ERR_SYNTAX } from '../../protocol/errors.js';
import { globMatch } from '../../keyspace/glob.js';
import { typeName } from './common.js';

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * parseScanCursorOrReply: strtoul(s, 10) with Redis's checks (no leading space,
 * the whole string consumed, no overflow). Like strtoul, an empty string is
 * 0, a sign is allowed and "-n" wraps around. null after replying the error.
 */
export function parseCursor(c: Client, s: string): number | null {
  const nul = s.indexOf('\0');
  const t = nul >= 0 ? s.slice(0, nul) : s;
  if (/^[ \t\n\v\f\r]/.test(s)) { c.error(ERR_INVALID_CURSOR); return null; }
  if (t === '') return 0;
  const m = /^([+-]?)([0-9]+)$/.exec(t);
  if (m === null) { c.error(ERR_INVALID_CURSOR); return null; }
  let v = BigInt(m[2]!);
  if (v > ULONG_MAX) { c.error(ERR_INVALID_CURSOR); return null; }
  if (m[1] === '-' && v !== 0n) v = ULONG_MAX + 1n - v;
  return Number(v);
}

export interface ScanOptions { count: number; pattern: string | null; type: string | null }

/**
 * The [MATCH pattern] [COUNT count] (and, for SCAN, [TYPE type]) options from
 * argv[first] on, as scanGenericCommand parses them: COUNT < 1 is a syntax
 * error, MATCH * means no filter. null after replying the error.
 */
export function parseScanOptions(c: Client, argv: readonly string[], first: number, allowType = false): ScanOptions | null {
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = first; i < argv.length;) {
    const opt = argv[i]!.toLowerCase();
    const more = argv.length - i >= 2;
    if (opt === 'count' && more) {
      const n = toBigInt(argv[i + 1]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return null; }
      if (n < 1n) { c.error(ERR_SYNTAX); return null; }
      count = n > 1000000000n ? 1000000000 : Number(n);
      i += 2;
    } else if (opt === 'match' && more) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1]!;
      i += 2;
    } else if (allowType && opt === 'type' && more) {
      type = argv[i + 1]!.toLowerCase();
      i += 2;
    } else {
      c.error(ERR_SYNTAX);
      return null;
    }
  }
  return { count, pattern, type };
}

export const SCAN = {
  name: 'scan', group: 'generic', summary: 'Incrementally iterate the keys space', since: '2.8.0',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  arity: -2, flags: ['readonly', 'touches_arbitrary_keys'], acl: ['keyspace'],
  tips: ['nondeterministic_output', 'request_policy:special'],
  history: [['6.0.0', 'Added the `TYPE` subcommand.']],
  arguments: [{ name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'type', type: 'string', token: 'TYPE', optional: true, since: '6.0.0' }],
  handler(c, argv) {
    const cursor = parseCursor(c, argv[1]!);
    if (cursor === null) return;
    const o = parseScanOptions(c, argv, 2, true);
    if (o === null) return;
    const { count, pattern, type } = o;
    const db = c.db;
    const server = c.server;
    const found: string[] = [];
    const next = db.scan(cursor, count, (k) => { found.push(k); });
    const keys: string[] = [];
    for (const key of found) {
      if (pattern !== null && !globMatch(pattern, key)) continue;
      if (type !== null) {
        const v = db.peek(key);
        if (v === undefined) { server.keyMiss(db, key); continue; }
        server.stats.keyspaceHits++;
        if (typeName(v) !== type) continue;
      }
      if (db.expires.size > 0 && db.expireIfNeeded(key)) continue;
      keys.push(key);
    }
    c.array(2);
    c.bulk(String(next));
    c.bulks(keys);
  },
} as const satisfies CommandDef;
