/* ZCOUNT key min max: elements in a score range (two O(log n) lower bounds). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_ZSET_MINMAX_FLOAT } from '../../protocol/errors.js';
import { parseScoreRange, readZset, scoreRanks } from './common.js';

export const ZCOUNT = {
  name: 'zcount', group: 'sorted-set', summary: 'Count the members in a sorted set with scores within the given values', since: '2.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  arity: 4, flags: ['readonly', 'fast'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'min', type: 'double' },
    { name: 'max', type: 'double' },
  ],
  handler(c, argv) {
    const r = parseScoreRange(argv[2]!, argv[3]!);
    if (r === null) { c.error(ERR_ZSET_MINMAX_FLOAT); return; }
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    if (z === null) { c.int(0); return; }
    const [lo, hi] = scoreRanks(z, r);
    c.int(hi > lo ? hi - lo : 0);
  },
} as const satisfies CommandDef;
