/* LRANGE key start stop: inclusive range with negative indexes from the end, clamped; one string per reply. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { longArg, readList, replyRange } from './common.js';

export const LRANGE = {
  name: 'lrange', group: 'list', summary: 'Get a range of elements from a list', since: '1.0.0',
  complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  arity: 4, flags: ['readonly'], acl: ['list'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
  handler(c, argv) {
    const start = longArg(c, argv[2]!);
    if (start === null) return;
    const end = longArg(c, argv[3]!);
    if (end === null) return;
    const l = readList(c, argv[1]!);
    if (l === false) return;
    if (l === null) { c.raw('*0\r\n'); return; }
    replyRange(c, l, start, end);
  },
} as const satisfies CommandDef;
