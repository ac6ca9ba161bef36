/* GETSET key value: the old value, then SET (dropping the TTL); propagated as SET key value. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { readString, setKey, replyValue } from './common.js';

export const GETSET = {
  name: 'getset', group: 'string', summary: 'Set the string value of a key and return its old value', since: '1.0.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`SET` with the `!GET` argument',
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const old = readString(c, key);
    if (old === false) return;
    if (old === null) c.null(); else replyValue(c, old);
    setKey(c, key, argv[2]!);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'set');
    c.propagateArgv = ['SET', key, argv[2]!];
  },
} as const satisfies CommandDef;
