/* The stream command group (t_stream.c): one file per command; implementations in add-trim.ts, read.ts, group.ts, info.ts. */
import type { CommandDef } from '../registry.js';
import { XADD } from './XADD.js';
import { XTRIM } from './XTRIM.js';
import { XDEL } from './XDEL.js';
import { XLEN } from './XLEN.js';
import { XRANGE } from './XRANGE.js';
import { XREVRANGE } from './XREVRANGE.js';
import { XSETID } from './XSETID.js';
import { XREAD } from './XREAD.js';
import { XREADGROUP } from './XREADGROUP.js';
import { XACK } from './XACK.js';
import { XPENDING } from './XPENDING.js';
import { XCLAIM } from './XCLAIM.js';
import { XAUTOCLAIM } from './XAUTOCLAIM.js';
import { XGROUP } from './XGROUP.js';
import { XINFO } from './XINFO.js';

export const STREAM_COMMANDS: readonly CommandDef[] = [
  XADD, XTRIM, XDEL, XLEN, XRANGE, XREVRANGE, XSETID, XREAD, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XGROUP, XINFO,
];
