/* SINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, stopping at limit. */
import type { CommandDef } from '../registry.js';
import { ERR_SINTERCARD_LIMIT, ERR_SINTERCARD_NUMKEYS, ERR_SINTERCARD_NUMKEYS_ARGS, ERR_SYNTAX } from '../../protocol/errors.js';
import { is, toBigInt } from '../args.js';
import { sinterGeneric } from './common.js';

export const SINTERCARD = {
  name: 'sintercard', group: 'set', summary: 'Intersect multiple sets and return the cardinality of the result', since: '7.0.0',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  arity: -3, flags: ['readonly'], acl: ['set'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keynum: [0, 1, 1] } }],
  arguments: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', multiple: true, key_spec_index: 0 }, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
  handler(c, argv) {
    const nk = toBigInt(argv[1]!);
    if (nk === null || nk < 1n) { c.error(ERR_SINTERCARD_NUMKEYS); return; }
    if (nk > BigInt(argv.length - 2)) { c.error(ERR_SINTERCARD_NUMKEYS_ARGS); return; }
    const numkeys = Number(nk);
    let limit = 0;
    for (let j = 2 + numkeys; j < argv.length; j++) {
      if (is(argv[j], 'limit') && j < argv.length - 1) {
        const l = toBigInt(argv[++j]!);
        if (l === null || l < 0n) { c.error(ERR_SINTERCARD_LIMIT); return; }
        limit = l > 2n ** 53n ? 2 ** 53 : Number(l);
      } else {
        c.error(ERR_SYNTAX);
        return;
      }
    }
    sinterGeneric(c, argv.slice(2, 2 + numkeys), null, true, limit);
  },
} as const satisfies CommandDef;
