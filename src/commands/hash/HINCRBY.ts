/* HINCRBY key field increment: 64-bit integer arithmetic with overflow detection. */
import type { CommandDef } from '../registry.js';
import { NOTIFY_HASH } from '../../keyspace/notify.js';
import { ERR_HASH_NOT_INTEGER, ERR_NOT_INTEGER, ERR_OVERFLOW } from '../../protocol/errors.js';
import { LLONG_MAX, LLONG_MIN, toBigInt } from '../args.js';
import { hashForWrite, maxEntries, maxValue } from './common.js';

export const HINCRBY = {
  name: 'hincrby', group: 'hash', summary: 'Increment the integer value of a hash field by the given number', since: '2.0.0',
  complexity: 'O(1)',
  arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RW', 'access', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 2],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string' }, { name: 'increment', type: 'integer' }],
  handler(c, argv) {
    const incr = toBigInt(argv[3]!);
    if (incr === null) { c.error(ERR_NOT_INTEGER); return; }
    const key = argv[1]!;
    const h = hashForWrite(c, key);
    if (h === false) return;
    const cur = h.get(argv[2]!);
    let value = 0n;
    if (cur !== undefined) {
      const v = toBigInt(cur);
      if (v === null) { c.error(ERR_HASH_NOT_INTEGER); return; }
      value = v;
    }
    if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
      c.error(ERR_OVERFLOW);
      return;
    }
    value += incr;
    h.set(argv[2]!, String(value), maxEntries(c), maxValue(c));
    c.int(value);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_HASH, 'hincrby');
  },
} as const satisfies CommandDef;
