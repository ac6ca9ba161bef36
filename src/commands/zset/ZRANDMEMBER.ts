/* ZRANDMEMBER key [count [WITHSCORES]]: a random member, or count of them (zrandmemberWithCount). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_SYNTAX, ERR_VALUE_OUT_OF_RANGE } from '../../protocol/errors.js';
import { LLONG_MAX, toBigInt } from '../args.js';
import { getRangeLong, readZset } from './common.js';
import { zrandmemberWithCount } from './zrandmember-generic.js';

export const ZRANDMEMBER = {
  name: 'zrandmember', group: 'sorted-set', summary: 'Get one or multiple random elements from a sorted set', since: '6.2.0',
  complexity: 'O(N) where N is the number of elements returned',
  arity: -2, flags: ['readonly'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'options', type: 'block', optional: true, arguments: [{ name: 'count', type: 'integer' }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }] },
  ],
  handler(c, argv) {
    if (argv.length >= 3) {
      const l = getRangeLong(c, argv[2]!, -LLONG_MAX, LLONG_MAX, null);
      if (l === null) return;
      let withscores = false;
      if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withscores')) { c.error(ERR_SYNTAX); return; }
      if (argv.length === 4) {
        withscores = true;
        // compared as integers: -LONG_MAX/2 and LONG_MAX/2 are not doubles (-4611686018427387904 must fail)
        const big = toBigInt(argv[2]!)!;
        if (big < -(LLONG_MAX / 2n) || big > LLONG_MAX / 2n) { c.error(ERR_VALUE_OUT_OF_RANGE); return; }
      }
      const z = readZset(c, argv[1]!);
      if (z === false) return;
      if (z === null) { c.array(0); return; }
      zrandmemberWithCount(c, z, l, withscores);
      return;
    }
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    if (z === null) { c.null(); return; }
    c.bulk(z.memberAt(Math.floor(Math.random() * z.size)));
  },
} as const satisfies CommandDef;
