/* ZLEXCOUNT key min max: elements in a lex range. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_ZSET_MINMAX_LEX } from '../../protocol/errors.js';
import { lexRanks, parseLexItem, readZset } from './common.js';

export const ZLEXCOUNT = {
  name: 'zlexcount', group: 'sorted-set', summary: 'Count the number of members in a sorted set between a given lexicographical range', since: '2.8.9',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  arity: 4, flags: ['readonly', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'min', type: 'string' },
    { name: 'max', type: 'string' },
  ],
  handler(c, argv) {
    const min = parseLexItem(argv[2]!);
    const max = parseLexItem(argv[3]!);
    if (min === null || max === null) { c.error(ERR_ZSET_MINMAX_LEX); return; }
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    if (z === null) { c.int(0); return; }
    const [lo, hi] = lexRanks(z, min, max);
    c.int(hi > lo ? hi - lo : 0);
  },
} as const satisfies CommandDef;
