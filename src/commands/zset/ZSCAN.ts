/* ZSCAN key cursor [MATCH pattern] [COUNT count]: a small set whole with cursor 0; a big one by slot cursor (every member present for the whole iteration is returned). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { formatDouble } from '../../protocol/reply.js';
import { globMatch } from '../../keyspace/glob.js';
import { parseCursor, parseScanOptions } from '../generic/SCAN.js';
import { readZset } from './common.js';

export const ZSCAN = {
  name: 'zscan', group: 'sorted-set', summary: 'Incrementally iterate sorted sets elements and associated scores', since: '2.8.0',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  arity: -3, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  handler(c, argv) {
    const cursor = parseCursor(c, argv[2]!);
    if (cursor === null) return;
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    if (z === null) { c.array(2); c.bulk('0'); c.array(0); return; }
    const o = parseScanOptions(c, argv, 3);
    if (o === null) return;
    const { count, pattern } = o;
    const out: string[] = [];
    const next = z.scan(cursor, count, (m, s) => {
      if (pattern !== null && !globMatch(pattern, m)) return;
      out.push(m, formatDouble(s));
    });
    c.array(2);
    c.bulk(String(next));
    c.bulks(out);
  },
} as const satisfies CommandDef;
