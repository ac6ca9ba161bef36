/*
 * INCRBYFLOAT key increment: C long double arithmetic (types/longdouble.ts) formatted as %.17Lf without trailing
 * zeros; propagated as SET key value KEEPTTL.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_INCR_NAN_OR_INF, ERR_NOT_FLOAT } from '../../protocol/errors.js';
import { strLen, strOf } from '../../types/string.js';
import { LD_ZERO, formatHuman, isFiniteLd, ldAdd, parseLongDouble } from '../../types/longdouble.js';
import { setKey, writeString } from './common.js';

export const INCRBYFLOAT = {
  name: 'incrbyfloat', group: 'string', summary: 'Increment the float value of a key by the given amount', since: '2.6.0',
  complexity: 'O(1)',
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'increment', type: 'double' },
  ],
  handler(c, argv) {
    const key = argv[1]!;
    const v = writeString(c, key);
    if (v === false) return;
    const cur = v === null ? LD_ZERO : strLen(v) >= 5 * 1024 ? null : parseLongDouble(strOf(v));
    if (cur === null) { c.error(ERR_NOT_FLOAT); return; }
    const incr = parseLongDouble(argv[2]!);
    if (incr === null) { c.error(ERR_NOT_FLOAT); return; }
    const sum = ldAdd(cur, incr);
    if (!isFiniteLd(sum)) { c.error(ERR_INCR_NAN_OR_INF); return; }
    const s = formatHuman(sum);
    setKey(c, key, s, true);
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'incrbyfloat');
    c.bulk(s);
    c.propagateArgv = ['SET', key, s, 'KEEPTTL'];
  },
} as const satisfies CommandDef;
