/*
 * GETEX key [EX|PX|EXAT|PXAT|PERSIST]: the value, and a TTL change propagated as PEXPIREAT, PERSIST, or DEL when
 * an absolute time has already passed.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { OBJ_EXAT, OBJ_PERSIST, OBJ_PXAT, optionsExpire, parseStringOptions, readString, replyValue } from './common.js';

export const GETEX = {
  name: 'getex', group: 'string', summary: 'Get the value of a key and optionally set its expiration', since: '6.2.0',
  complexity: 'O(1)',
  arity: -2, flags: ['write', 'fast'], acl: ['string'],
  keySpecs: [{ ...keyRange(1, ['RW', 'access', 'update']), notes: 'RW and UPDATE because it changes the TTL' }],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'expiration', type: 'oneof', optional: true, arguments: [
      { name: 'seconds', type: 'integer', token: 'EX' },
      { name: 'milliseconds', type: 'integer', token: 'PX' },
      { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
      { name: 'persist', type: 'pure-token', token: 'PERSIST' },
    ] },
  ],
  handler(c, argv) {
    const o = parseStringOptions(c, argv, false);
    if (o === null) return;
    const key = argv[1]!;
    const v = readString(c, key);
    if (v === false) return;
    if (v === null) { c.null(); return; }
    let exp = null;
    if (o.expire !== null) { exp = optionsExpire(c, o); if (exp === null) return; }
    replyValue(c, v);
    const db = c.db;
    const rec = c.server.recorder;
    if (exp !== null && (o.flags & (OBJ_EXAT | OBJ_PXAT)) && exp.ms <= c.server.now) {
      db.delete(key);
      c.propagateArgv = [c.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key];
      rec.keyWritten(db, key, NOTIFY_GENERIC, 'del');
    } else if (exp !== null) {
      db.setExpire(key, exp.ms);
      c.propagateArgv = ['PEXPIREAT', key, exp.str];
      rec.keyWritten(db, key, NOTIFY_GENERIC, 'expire');
    } else if (o.flags & OBJ_PERSIST) {
      if (db.persist(key)) {
        c.propagateArgv = ['PERSIST', key];
        rec.keyWritten(db, key, NOTIFY_GENERIC, 'persist');
      }
    }
  },
} as const satisfies CommandDef;
