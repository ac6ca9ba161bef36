/* GETDEL key: the value, then the key is deleted; propagated as DEL (UNLINK with lazyfree-lazy-user-del). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { readString, replyValue } from './common.js';

export const GETDEL = {
  name: 'getdel', group: 'string', summary: 'Get the value of a key and delete the key', since: '6.2.0',
  complexity: 'O(1)',
  arity: 2, flags: ['write', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'delete'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const v = readString(c, key);
    if (v === false) return;
    if (v === null) { c.null(); return; }
    replyValue(c, v);
    c.db.delete(key);
    c.propagateArgv = [c.server.config.bool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key];
    c.server.recorder.keyWritten(c.db, key, NOTIFY_GENERIC, 'del');
  },
} as const satisfies CommandDef;
