/* The hyperloglog command group (hyperloglog.c), one file per command; the data structure is types/hyperloglog.ts. */
import type { CommandDef } from '../registry.js';
import { PFADD } from './PFADD.js';
import { PFCOUNT } from './PFCOUNT.js';
import { PFMERGE } from './PFMERGE.js';
import { PFDEBUG } from './PFDEBUG.js';
import { PFSELFTEST } from './PFSELFTEST.js';

export const HYPERLOGLOG_COMMANDS: CommandDef[] = [
  PFADD,
  PFCOUNT,
  PFMERGE,
  PFDEBUG,
  PFSELFTEST,
];
