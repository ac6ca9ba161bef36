/* ZSCAN key cursor [MATCH pattern] [COUNT count]: a small set whole with cursor 0; a big one by slot cursor (every member present for the whole iteration is returned). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_NOT_INTEGER, ERR_SYNTAX } from '../../protocol/errors.js';
import { formatDouble } from '../../protocol/reply.js';
import { globMatch } from '../../keyspace/glob.js';
import { toBigInt } from '../args.js';
import { parseCursor } from '../generic/SCAN.js';
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
    let count = 10;
    let pattern: string | null = null;
    for (let i = 3; i < argv.length;) {
      const opt = argv[i]!.toLowerCase();
      const more = argv.length - i >= 2;
      if (opt === 'count' && more) {
        const n = toBigInt(argv[i + 1]!);
        if (n === null) { c.error(ERR_NOT_INTEGER); return; }
        if (n < 1n) { c.error(ERR_SYNTAX); return; }
        count = n > 1000000000n ? 1000000000 : Number(n);
        i += 2;
      } else if (opt === 'match' && more) {
        pattern = argv[i + 1] === '*' ? null : argv[i + 1]!;
        i += 2;
      } else { c.error(ERR_SYNTAX); return; }
    }
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
