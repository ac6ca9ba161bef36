/* The set group (t_set.c): one file per command. */
import type { CommandDef } from '../registry.js';
import { SADD } from './SADD.js';
import { SREM } from './SREM.js';
import { SCARD } from './SCARD.js';
import { SISMEMBER } from './SISMEMBER.js';
import { SMISMEMBER } from './SMISMEMBER.js';
import { SMEMBERS } from './SMEMBERS.js';
import { SRANDMEMBER } from './SRANDMEMBER.js';
import { SPOP } from './SPOP.js';
import { SMOVE } from './SMOVE.js';
import { SINTER } from './SINTER.js';
import { SINTERCARD } from './SINTERCARD.js';
import { SINTERSTORE } from './SINTERSTORE.js';
import { SUNION } from './SUNION.js';
import { SUNIONSTORE } from './SUNIONSTORE.js';
import { SDIFF } from './SDIFF.js';
import { SDIFFSTORE } from './SDIFFSTORE.js';
import { SSCAN } from './SSCAN.js';

export const SET_COMMANDS: readonly CommandDef[] = [
  SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SRANDMEMBER, SPOP, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN,
];
