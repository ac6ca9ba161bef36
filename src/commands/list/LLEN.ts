/* LLEN key: the length of the list, 0 when missing. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { readList } from './common.js';

export const LLEN = {
  name: 'llen', group: 'list', summary: 'Get the length of a list', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['list'],
  keySpecs: [keyRange(1, ['RO'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) {
    const l = readList(c, argv[1]!);
    if (l === false) return;
    c.int(l === null ? 0 : l.length);
  },
} as const satisfies CommandDef;
