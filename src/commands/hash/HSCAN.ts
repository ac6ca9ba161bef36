/* HSCAN key cursor [MATCH pattern] [COUNT count]: a listpack hash returns everything with cursor 0; a hashtable is walked by slot (SlotTable.scan: the SCAN guarantee). */
import type { CommandDef } from '../registry.js';
import { parseCursor, parseScanOptions } from '../generic/SCAN.js';
import { readHash, replyEmptyScan, replyScan } from './common.js';

export const HSCAN = {
  name: 'hscan', group: 'hash', summary: 'Incrementally iterate hash fields and associated values', since: '2.8.0',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  arity: -3, flags: ['readonly'], acl: ['hash'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  handler(c, argv) {
    const cursor = parseCursor(c, argv[2]!);
    if (cursor === null) return;
    const h = readHash(c, argv[1]!);
    if (h === false) return;
    if (h === null) { replyEmptyScan(c); return; }
    const o = parseScanOptions(c, argv, 3);
    if (o === null) return;
    const t = h.t;
    if (t === null) { replyScan(c, 0, h.pairs(), o.pattern, true); return; }
    const items: string[] = [];
    const next = t.scan(cursor, o.count, (s) => { items.push(t.keys[s]!, t.vals![s]!); });
    replyScan(c, next, items, o.pattern, true);
  },
} as const satisfies CommandDef;
