/* LSET key index element: replace one element; "no such key" or "index out of range" errors. The key is looked up before the index is parsed. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_LIST } from '../../keyspace/notify.js';
import { ERR_INDEX_OUT_OF_RANGE, ERR_NO_SUCH_KEY } from '../../protocol/errors.js';
import { longArg, writeList } from './common.js';

export const LSET = {
  name: 'lset', group: 'list', summary: 'Set the value of an element in a list by its index', since: '1.0.0',
  complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  arity: 4, flags: ['write', 'denyoom'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'update'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'index', type: 'integer' }, { name: 'element', type: 'string' }],
  handler(c, argv) {
    const key = argv[1]!;
    const l = writeList(c, key);
    if (l === false) return;
    if (l === null) { c.error(ERR_NO_SUCH_KEY); return; }
    let i = longArg(c, argv[2]!);
    if (i === null) return;
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) { c.error(ERR_INDEX_OUT_OF_RANGE); return; }
    l.set(i, argv[3]!);
    c.ok();
    c.server.recorder.keyWritten(c.db, key, NOTIFY_LIST, 'lset');
  },
} as const satisfies CommandDef;
