/* LINSERT key BEFORE|AFTER pivot element: insert next to the first pivot from the head; -1 when absent, 0 when no key. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_LIST } from '../../keyspace/notify.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';
import { writeList } from './common.js';

export const LINSERT = {
  name: 'linsert', group: 'list', summary: 'Insert an element before or after another element in a list', since: '2.2.0',
  complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  arity: 5, flags: ['write', 'denyoom'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'insert'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'where', type: 'oneof', arguments: [{ name: 'before', type: 'pure-token', token: 'BEFORE' }, { name: 'after', type: 'pure-token', token: 'AFTER' }] }, { name: 'pivot', type: 'string' }, { name: 'element', type: 'string' }],
  handler(c, argv) {
    const where = argv[2]!.toLowerCase();
    let after: boolean;
    if (where === 'after') after = true;
    else if (where === 'before') after = false;
    else { c.error(ERR_SYNTAX); return; }
    const key = argv[1]!;
    const l = writeList(c, key);
    if (l === false) return;
    if (l === null) { c.raw(':0\r\n'); return; }
    const pivot = argv[3]!;
    const n = l.length;
    let i = 0;
    while (i < n && l.at(i) !== pivot) i++;
    if (i === n) { c.raw(':-1\r\n'); return; }
    l.insertAt(after ? i + 1 : i, argv[4]!);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_LIST, 'linsert');
    c.int(l.length);
  },
} as const satisfies CommandDef;
