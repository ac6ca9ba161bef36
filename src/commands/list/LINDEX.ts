/* LINDEX key index: the element (negative index from the end) or null. The key is looked up before the index is parsed. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { longArg, readList } from './common.js';

export const LINDEX = {
  name: 'lindex', group: 'list', summary: 'Get an element from a list by its index', since: '1.0.0',
  complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  arity: 3, flags: ['readonly'], acl: ['list'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'index', type: 'integer' }],
  handler(c, argv) {
    const l = readList(c, argv[1]!);
    if (l === false) return;
    if (l === null) { c.null(); return; }
    let i = longArg(c, argv[2]!);
    if (i === null) return;
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) c.null();
    else c.bulk(l.at(i));
  },
} as const satisfies CommandDef;
