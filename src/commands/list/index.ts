/* The list command group (t_list.c): one file per command; shared helpers in common.ts and the *Generic files. */
import type { CommandDef } from '../registry.js';
import { LPUSH } from './LPUSH.js';
import { RPUSH } from './RPUSH.js';
import { LPUSHX } from './LPUSHX.js';
import { RPUSHX } from './RPUSHX.js';
import { LPOP } from './LPOP.js';
import { RPOP } from './RPOP.js';
import { LLEN } from './LLEN.js';
import { LRANGE } from './LRANGE.js';
import { LINDEX } from './LINDEX.js';
import { LSET } from './LSET.js';
import { LINSERT } from './LINSERT.js';
import { LREM } from './LREM.js';
import { LTRIM } from './LTRIM.js';
import { LPOS } from './LPOS.js';
import { LMOVE } from './LMOVE.js';
import { RPOPLPUSH } from './RPOPLPUSH.js';
import { LMPOP } from './LMPOP.js';
import { BLPOP } from './BLPOP.js';
import { BRPOP } from './BRPOP.js';
import { BLMOVE } from './BLMOVE.js';
import { BRPOPLPUSH } from './BRPOPLPUSH.js';
import { BLMPOP } from './BLMPOP.js';

export const LIST_COMMANDS: readonly CommandDef[] = [
  LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LRANGE, LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS,
  LMOVE, RPOPLPUSH, LMPOP, BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
];
