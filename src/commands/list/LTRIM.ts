/* LTRIM key start stop: keep only the range (negative indexes from the end); the "ltrim" event fires even when nothing goes, the emptied key is deleted. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../../keyspace/notify.js';
import { longArg, writeList } from './common.js';

export const LTRIM = {
  name: 'ltrim', group: 'list', summary: 'Trim a list to the specified range', since: '1.0.0',
  complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  arity: 4, flags: ['write'], acl: ['list'],
  keySpecs: [keyRange(1, ['RW', 'delete'])],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
  handler(c, argv) {
    let start = longArg(c, argv[2]!);
    if (start === null) return;
    let end = longArg(c, argv[3]!);
    if (end === null) return;
    const key = argv[1]!;
    const l = writeList(c, key);
    if (l === false) return;
    if (l === null) { c.ok(); return; }
    const llen = l.length;
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > end || start >= llen) { ltrim = llen; rtrim = 0; } else {
      if (end >= llen) end = llen - 1;
      ltrim = start;
      rtrim = llen - end - 1;
    }
    l.trim(ltrim, rtrim);
    const rec = c.server.recorder;
    rec.keyWritten(c.db, key, NOTIFY_LIST, 'ltrim', ltrim + rtrim);
    if (l.length === 0) {
      c.db.delete(key);
      rec.notify(NOTIFY_GENERIC, 'del', key, c.db.id);
    }
    c.ok();
  },
} as const satisfies CommandDef;
