/* HINCRBYFLOAT key field increment: C long double arithmetic (types/longdouble.ts), %.17Lf without trailing zeros; propagated as HSET key field result. */
import type { CommandDef } from '../registry.js';
import { NOTIFY_HASH } from '../../keyspace/notify.js';
import { ERR_HASH_NOT_FLOAT, ERR_INCR_NAN_OR_INF, ERR_NOT_FLOAT, ERR_VALUE_NAN_OR_INF } from '../../protocol/errors.js';
import { LD_ZERO, formatHuman, isFiniteLd, ldAdd, parseLongDouble } from '../../types/longdouble.js';
import { hashForWrite, maxEntries, maxValue } from './common.js';

export const HINCRBYFLOAT = {
  name: 'hincrbyfloat', group: 'hash', summary: 'Increment the float value of a hash field by the given amount', since: '2.6.0',
  complexity: 'O(1)',
  arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['hash'],
  keySpecs: [{ flags: ['RW', 'access', 'update'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  warmMembers: [2, 2],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'field', type: 'string' }, { name: 'increment', type: 'double' }],
  handler(c, argv) {
    const incr = parseLongDouble(argv[3]!);
    if (incr === null) { c.error(ERR_NOT_FLOAT); return; }
    if (!isFiniteLd(incr)) { c.error(ERR_VALUE_NAN_OR_INF); return; }
    const key = argv[1]!;
    const field = argv[2]!;
    const h = hashForWrite(c, key);
    if (h === false) return;
    const cur = h.get(field);
    let value = LD_ZERO;
    if (cur !== undefined) {
      const v = parseLongDouble(cur);
      if (v === null) { c.error(ERR_HASH_NOT_FLOAT); return; }
      value = v;
    }
    const sum = ldAdd(value, incr);
    if (!isFiniteLd(sum)) { c.error(ERR_INCR_NAN_OR_INF); return; }
    const s = formatHuman(sum);
    h.set(field, s, maxEntries(c), maxValue(c));
    c.bulk(s);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_HASH, 'hincrbyfloat');
    c.propagateArgv = ['HSET', key, field, s];
  },
} as const satisfies CommandDef;
