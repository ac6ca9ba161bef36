/* DECRBY key decrement: 64-bit exact through incrDecr; LLONG_MIN cannot be negated. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_DECR_OVERFLOW, ERR_NOT_INTEGER } from '../../protocol/errors.js';
import { LLONG_MIN } from '../args.js';
import { incrDecr, parseLL } from './integers.js';

export const DECRBY = {
  name: 'decrby', group: 'string', summary: 'Decrement the integer value of a key by the given number', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'decrement', type: 'integer' },
  ],
  handler(c, argv) {
    const incr = parseLL(argv[2]!);
    if (incr === null) { c.error(ERR_NOT_INTEGER); return; }
    if (incr === LLONG_MIN) { c.error(ERR_DECR_OVERFLOW); return; }
    incrDecr(c, argv[1]!, typeof incr === 'number' ? -incr : -incr); // (each branch narrowed: number or bigint)
  },
} as const satisfies CommandDef;
