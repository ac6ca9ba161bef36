/* HSETNX key field value: sets the field only if absent (event "hset"). */
import type { CommandDef } from '../registry.js';
import { NOTIFY_HASH } from '../../keyspace/notify.js';
import { hashForWrite, maxEntries, maxValue } from './common.js';

export const HSETNX = {
  name: 'hsetnx', group: 'hash', summary: 'Set the value of a hash field, only if the field does not exist', since: '2.0.0',
  complexity: 'O(1)',
  arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RW', 'insert'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 2],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string' }, { name: 'value', type: 'string' }],
  handler(c, argv) {
    const key = argv[1]!;
    const h = hashForWrite(c, key);
    if (h === false) return;
    if (h.has(argv[2]!)) { c.int(0); return; }
    const mv = maxValue(c);
    h.convertForArgs(argv, 2, 3, mv);
    h.set(argv[2]!, argv[3]!, maxEntries(c), mv);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_HASH, 'hset');
    c.int(1);
  },
} as const satisfies CommandDef;
