/* LREM key count element: remove up to |count| matches (from the tail when negative, all when 0); the emptied key is deleted. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../../keyspace/notify.js';
import { longArg, writeList } from './common.js';

export const LREM = {
  name: 'lrem', group: 'list', summary: 'Remove elements from a list', since: '1.0.0',
  complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  arity: 4, flags: ['write'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'delete'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer' }, { name: 'element', type: 'string' }],
  handler(c, argv) {
    let toremove = longArg(c, argv[2]!);
    if (toremove === null) return;
    const key = argv[1]!;
    const l = writeList(c, key);
    if (l === false) return;
    if (l === null) { c.raw(':0\r\n'); return; }
    const fromTail = toremove < 0;
    if (fromTail) toremove = -toremove;
    const removed = l.removeMatching(argv[3]!, toremove, fromTail);
    const rec = c.server.recorder;
    if (removed > 0) rec.keyWritten(c.db, key, NOTIFY_LIST, 'lrem', removed);
    if (l.length === 0) {
      c.db.delete(key);
      rec.notify(NOTIFY_GENERIC, 'del', key, c.db.id);
    }
    c.int(removed);
  },
} as const satisfies CommandDef;
