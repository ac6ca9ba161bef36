/*
 * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
 * [FREQ frequency] (redis/src/cluster.c restoreCommand), in Redis's order of
 * checks: options, BUSYKEY, the TTL, the payload's version and CRC64, then
 * the value itself ("Bad data format", its reason logged at verbose level as
 * Redis does; sanitize-dump-payload decides how deep the value is checked,
 * see persistence/rdb/shallow.ts). A TTL already in the past deletes the
 * key (REPLACE) and propagates DEL; a relative TTL propagates as an absolute
 * one with ABSTTL. The restored value gets the encoding Redis would give it
 * under the current thresholds; IDLETIME / FREQ set its access clock as
 * objectSetLRUOrLFU does.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { toBigInt } from '../args.js';
import {
  ERR_BAD_DATA_FORMAT, ERR_BUSYKEY, ERR_DUMP_PAYLOAD, ERR_INVALID_FREQ, ERR_INVALID_IDLETIME, ERR_INVALID_TTL,
  ERR_NOT_INTEGER, ERR_SYNTAX,
} from '../../protocol/errors.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { LRU_CLOCK_MAX } from '../../keyspace/access.js';
import {
  EmptyKeyError, RdbCrash, RdbError, loadContextOf, rdbErrorText, restorePayload, verifyDumpPayload,
} from '../../persistence/rdb/index.js';
import { logCorruptionCrash } from '../../server/crash.js';
import type { Client } from '../../server/client.js';
import type { Value } from '../../types/value.js';
import { bigArg } from '../../protocol/big-args.js';
import { freshClock, notifyNew } from './common.js';

export const RESTORE = {
  name: 'restore', group: 'generic', summary: 'Create a key using the provided serialized value, previously obtained using DUMP.', since: '2.6.0',
  complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  bigValueArgs: [3, 0],
  arity: -4, flags: ['write', 'denyoom'], acl: ['keyspace', 'dangerous'],
  keySpecs: [keyRange(1, ['OW', 'update'])],
  history: [['3.0.0', 'Added the `REPLACE` modifier.'], ['5.0.0', 'Added the `ABSTTL` modifier.'], ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'ttl', type: 'integer' },
    { name: 'serialized-value', type: 'string' },
    { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
    { name: 'absttl', type: 'pure-token', token: 'ABSTTL', optional: true, since: '5.0.0' },
    { name: 'seconds', type: 'integer', token: 'IDLETIME', optional: true, since: '5.0.0' },
    { name: 'frequency', type: 'integer', token: 'FREQ', optional: true, since: '5.0.0' },
  ],
  handler(c, argv) {
    const server = c.server;
    let replace = false;
    let absttl = false;
    let idle = -1;
    let freq = -1;
    for (let j = 4; j < argv.length; j++) {
      const opt = argv[j]!.toLowerCase();
      const additional = argv.length - j - 1;
      if (opt === 'replace') replace = true;
      else if (opt === 'absttl') absttl = true;
      else if (opt === 'idletime' && additional >= 1 && freq === -1) {
        const v = toBigInt(argv[j + 1]!);
        if (v === null) { c.error(ERR_NOT_INTEGER); return; }
        if (v < 0n) { c.error(ERR_INVALID_IDLETIME); return; }
        idle = Number(v);
        j++;
      } else if (opt === 'freq' && additional >= 1 && idle === -1) {
        const v = toBigInt(argv[j + 1]!);
        if (v === null) { c.error(ERR_NOT_INTEGER); return; }
        if (v < 0n || v > 255n) { c.error(ERR_INVALID_FREQ); return; }
        freq = Number(v);
        j++;
      } else { c.error(ERR_SYNTAX); return; }
    }
    const db = c.db;
    const key = argv[1]!;
    if (!replace && db.has(key)) { c.error(ERR_BUSYKEY); return; }
    const ttlArg = toBigInt(argv[2]!);
    if (ttlArg === null) { c.error(ERR_NOT_INTEGER); return; }
    if (ttlArg < 0n) { c.error(ERR_INVALID_TTL); return; }
    const payload = bigArg(argv[3]!) ?? Buffer.from(argv[3]!, 'latin1');
    if (!verifyDumpPayload(payload, server.skipChecksumValidation)) { c.error(ERR_DUMP_PAYLOAD); return; }
    let value: Value;
    try {
      value = restorePayload(payload, loadContextOf(server.config, c.isMaster));
    } catch (e) {
      reportBadPayload(c, e);
      c.error(ERR_BAD_DATA_FORMAT);
      return;
    }
    const deleted = replace && db.delete(key);
    let ttl = Number(ttlArg);
    if (ttl !== 0 && !absttl) ttl += server.now;
    if (ttl !== 0 && ttl <= server.now && !db.hooks.expiryIsRemote && !server.persistence.loading) {
      if (deleted) {
        c.propagateArgv = ['DEL', key];
        server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'del');
      }
      c.ok();
      return;
    }
    db.insert(key, value, accessClockFor(server, idle, freq));
    notifyNew(server, db, key);
    if (ttl !== 0) {
      db.setExpire(key, ttl);
      if (!absttl) {
        const rewritten = argv.slice();
        rewritten[2] = String(ttl);
        rewritten.push('ABSTTL');
        c.propagateArgv = rewritten;
      }
    }
    server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'restore');
    c.ok();
  },
} as const satisfies CommandDef;

/**
 * rdbReportError in a RESTORE: the reason at verbose level (short reads and
 * empty values are refused silently, as Redis's); where Redis would crash on
 * the payload (shallow.ts), its crash lines, then Nodis's refusal.
 */
function reportBadPayload(c: Client, e: unknown): void {
  const log = c.server.log;
  if (e instanceof RdbCrash) {
    logCorruptionCrash(c.server, e.kind, e.where, e.before,
      'Corrupt RESTORE payload accepted by the shallow checks (sanitize-dump-payload): Nodis refuses it instead of crashing');
  } else if (e instanceof RdbError && !e.eof && !(e instanceof EmptyKeyError)) {
    log.verbose(rdbErrorText(e.message));
  }
}

/** objectSetLRUOrLFU: FREQ sets the LFU counter (LFU policies), IDLETIME the LRU clock (otherwise); else a fresh clock. */
function accessClockFor(server: Parameters<typeof freshClock>[0], idle: number, freq: number): number {
  if (server.lfuMode) {
    if (freq >= 0) return ((Math.floor(server.now / 60000) & 0xffff) << 8) | freq;
  } else if (idle >= 0) {
    let abs = server.lruClock - idle;
    if (abs < 0) abs += LRU_CLOCK_MAX;
    return abs;
  }
  return freshClock(server);
}
