/* WATCH key [key ...] (watchCommand): EXEC fails if one of the keys changes before it; not allowed inside MULTI. */
import { keyRange, type CommandDef } from '../registry.js';
import { ERR_WATCH_IN_MULTI } from '../../protocol/errors.js';
import { transactionsOf } from '../../server/multi.js';

export const WATCH = {
  name: 'watch', group: 'transactions',
  summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', since: '2.2.0',
  complexity: 'O(1) for every key.', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['transaction'], keySpecs: [keyRange(1, ['RO'], -1)],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
  handler(c, argv) {
    if (c.inMulti) { c.error(ERR_WATCH_IN_MULTI); return; }
    transactionsOf(c.server).watch(c, argv.slice(1));
    c.ok();
  },
} as const satisfies CommandDef;
