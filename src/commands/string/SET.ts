/*
 * SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT|KEEPTTL]: setGeneric (t_string.c setGenericCommand) is shared
 * with SETNX, SETEX and PSETEX. The plain two-argument form takes a fast path.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../../keyspace/notify.js';
import { OBJ_GET, OBJ_KEEPTTL, OBJ_NX, OBJ_XX, optionsExpire, parseStringOptions, readString, setKey, replyValue } from './common.js';

/**
 * setGenericCommand: `exp` is the absolute expire already validated; ok and
 * abort reply success and the NX/XX refusal (not called with GET).
 */
export function setGeneric(
  c: Client, flags: number, key: string, val: string, exp: { ms: number; str: string } | null,
  ok: (c: Client) => void, abort: (c: Client) => void,
): void {
  if (flags & OBJ_GET) {
    const old = readString(c, key);
    if (old === false) return;
    if (old === null) c.null(); else replyValue(c, old);
  }
  const db = c.db;
  const found = db.has(key);
  if (((flags & OBJ_NX) && found) || ((flags & OBJ_XX) && !found)) {
    if (!(flags & OBJ_GET)) abort(c);
    return;
  }
  setKey(c, key, val, (flags & OBJ_KEEPTTL) !== 0);
  const rec = c.server.recorder;
  rec.keyWritten(db, key, NOTIFY_STRING, 'set');
  if (exp !== null) {
    db.setExpire(key, exp.ms);
    c.propagateArgv = ['SET', key, val, 'PXAT', exp.str];
    rec.notify(NOTIFY_GENERIC, 'expire', key, db.id);
  }
  if (!(flags & OBJ_GET)) ok(c);
  else if (exp === null) {
    // propagate without the GET option (it may be repeated)
    const argv = c.argv;
    const out: string[] = [];
    for (let j = 0; j < argv.length; j++) if (j < 3 || argv[j]!.toLowerCase() !== 'get') out.push(argv[j]!);
    c.propagateArgv = out;
  }
}

const replyOk = (c: Client): void => c.ok();
const replyNull = (c: Client): void => c.null();

export const SET = {
  name: 'set', group: 'string', summary: 'Set the string value of a key', since: '1.0.0',
  complexity: 'O(1)',
  arity: -3, flags: ['write', 'denyoom'], acl: ['string'],
  keySpecs: [{ ...keyRange(1, ['RW', 'access', 'update', 'variable_flags']), notes: 'RW and ACCESS due to the optional `GET` argument' }],
  /** setGetKeys: with GET the key is read too (RW access update), else overwritten (OW update). */
  getKeyFlags(argv) {
    for (let i = 3; i < argv.length; i++) {
      if (argv[i]!.toLowerCase() === 'get') return [{ pos: 1, flags: ['RW', 'access', 'update'] }];
    }
    return [{ pos: 1, flags: ['OW', 'update'] }];
  },
  history: [['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'], ['6.0.0', 'Added the `KEEPTTL` option.'], ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'], ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'value', type: 'string' },
    { name: 'condition', type: 'oneof', optional: true, since: '2.6.12', arguments: [
      { name: 'nx', type: 'pure-token', token: 'NX' },
      { name: 'xx', type: 'pure-token', token: 'XX' },
    ] },
    { name: 'get', type: 'pure-token', token: 'GET', optional: true, since: '6.2.0' },
    { name: 'expiration', type: 'oneof', optional: true, arguments: [
      { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
      { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
      { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
      { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
    ] },
  ],
  handler(c, argv) {
    if (argv.length === 3) {
      const key = argv[1]!;
      setKey(c, key, argv[2]!);
      c.server.recorder.keyWritten(c.db, key, NOTIFY_STRING, 'set');
      c.ok();
      return;
    }
    const o = parseStringOptions(c, argv, true);
    if (o === null) return;
    let exp = null;
    if (o.expire !== null) { exp = optionsExpire(c, o); if (exp === null) return; }
    setGeneric(c, o.flags, argv[1]!, argv[2]!, exp, replyOk, replyNull);
  },
} as const satisfies CommandDef;
