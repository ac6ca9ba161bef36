/* BZPOPMIN key [key ...] timeout: [key, member, score] from the first non-empty key, or block. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { blockingZpop } from './pop-generic.js';

export const BZPOPMIN = {
  name: 'bzpopmin', group: 'sorted-set', summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', since: '5.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  arity: -3, flags: ['write', 'noscript', 'fast', 'blocking'], acl: ['sortedset'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete'], -2, 1, 0)],
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  arguments: [
    { name: 'key', type: 'key', multiple: true, key_spec_index: 0 },
    { name: 'timeout', type: 'double' },
  ],
  handler(c, argv) {
    blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1]!, -1, false, false);
  },
} as const satisfies CommandDef;
