/* BRPOP key [key ...] timeout: pop the tail of the first non-empty list as [key, element], or block until one has elements. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { blockingPop } from './bpop.js';

export const BRPOP = {
  name: 'brpop', group: 'list', summary: 'Remove and get the last element in a list, or block until one is available', since: '2.0.0',
  complexity: 'O(N) where N is the number of provided keys.',
  arity: -3, flags: ['write', 'noscript', 'blocking'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete'], -2, 1, 0)],
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'timeout', type: 'double' }],
  handler(c, argv) { blockingPop(c, argv.slice(1, -1), false, argv[argv.length - 1]!, -1); },
} as const satisfies CommandDef;
