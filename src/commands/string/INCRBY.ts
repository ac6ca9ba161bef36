/* INCRBY key increment: 64-bit exact through incrDecr. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_NOT_INTEGER } from '../../protocol/errors.js';
import { incrDecr, parseLL } from './integers.js';

export const INCRBY = {
  name: 'incrby', group: 'string', summary: 'Increment the integer value of a key by the given amount', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'increment', type: 'integer' },
  ],
  handler(c, argv) {
    const incr = parseLL(argv[2]!);
    if (incr === null) { c.error(ERR_NOT_INTEGER); return; }
    incrDecr(c, argv[1]!, incr);
  },
} as const satisfies CommandDef;
