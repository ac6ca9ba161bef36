/* The string command group: strings and bitmaps (t_string.c, bitops.c), one file per command. */
import type { CommandDef } from '../registry.js';
import { GET } from './GET.js';
import { SET } from './SET.js';
import { SETNX } from './SETNX.js';
import { SETEX } from './SETEX.js';
import { PSETEX } from './PSETEX.js';
import { GETSET } from './GETSET.js';
import { GETDEL } from './GETDEL.js';
import { GETEX } from './GETEX.js';
import { MGET } from './MGET.js';
import { MSET } from './MSET.js';
import { MSETNX } from './MSETNX.js';
import { APPEND } from './APPEND.js';
import { STRLEN } from './STRLEN.js';
import { INCR } from './INCR.js';
import { DECR } from './DECR.js';
import { INCRBY } from './INCRBY.js';
import { DECRBY } from './DECRBY.js';
import { INCRBYFLOAT } from './INCRBYFLOAT.js';
import { GETRANGE } from './GETRANGE.js';
import { SUBSTR } from './SUBSTR.js';
import { SETRANGE } from './SETRANGE.js';
import { LCS } from './LCS.js';
import { SETBIT } from './SETBIT.js';
import { GETBIT } from './GETBIT.js';
import { BITCOUNT } from './BITCOUNT.js';
import { BITPOS } from './BITPOS.js';
import { BITOP } from './BITOP.js';
import { BITFIELD } from './BITFIELD.js';
import { BITFIELD_RO } from './BITFIELD_RO.js';

export const STRING_COMMANDS: CommandDef[] = [
  GET,
  SET,
  SETNX,
  SETEX,
  PSETEX,
  GETSET,
  GETDEL,
  GETEX,
  MGET,
  MSET,
  MSETNX,
  APPEND,
  STRLEN,
  INCR,
  DECR,
  INCRBY,
  DECRBY,
  INCRBYFLOAT,
  GETRANGE,
  SUBSTR,
  SETRANGE,
  LCS,
  SETBIT,
  GETBIT,
  BITCOUNT,
  BITPOS,
  BITOP,
  BITFIELD,
  BITFIELD_RO,
];
