/* The generic command group: keyspace, expiry and db commands (SELECT, SWAPDB, MOVE, FLUSH*, DBSIZE live here too). */
import type { CommandDef } from '../registry.js';
import { COPY } from './COPY.js';
import { DBSIZE } from './DBSIZE.js';
import { DEL } from './DEL.js';
import { DUMP } from './DUMP.js';
import { EXISTS } from './EXISTS.js';
import { EXPIRE } from './EXPIRE.js';
import { EXPIREAT } from './EXPIREAT.js';
import { EXPIRETIME } from './EXPIRETIME.js';
import { FLUSHALL } from './FLUSHALL.js';
import { FLUSHDB } from './FLUSHDB.js';
import { KEYS } from './KEYS.js';
import { MIGRATE } from './MIGRATE.js';
import { MOVE } from './MOVE.js';
import { OBJECT } from './OBJECT.js';
import { PERSIST } from './PERSIST.js';
import { PEXPIRE } from './PEXPIRE.js';
import { PEXPIREAT } from './PEXPIREAT.js';
import { PEXPIRETIME } from './PEXPIRETIME.js';
import { PTTL } from './PTTL.js';
import { RANDOMKEY } from './RANDOMKEY.js';
import { RENAME } from './RENAME.js';
import { RENAMENX } from './RENAMENX.js';
import { RESTORE } from './RESTORE.js';
import { SCAN } from './SCAN.js';
import { SELECT } from './SELECT.js';
import { SWAPDB } from './SWAPDB.js';
import { TOUCH } from './TOUCH.js';
import { TTL } from './TTL.js';
import { TYPE } from './TYPE.js';
import { UNLINK } from './UNLINK.js';

export const GENERIC_COMMANDS: CommandDef[] = [
  COPY, DBSIZE, DEL, DUMP, EXISTS, EXPIRE, EXPIREAT, EXPIRETIME, FLUSHALL, FLUSHDB, KEYS, MIGRATE, MOVE, OBJECT, PERSIST, PEXPIRE,
  PEXPIREAT, PEXPIRETIME, PTTL, RANDOMKEY, RENAME, RENAMENX, RESTORE, SCAN, SELECT, SWAPDB, TOUCH, TTL, TYPE, UNLINK,
];
