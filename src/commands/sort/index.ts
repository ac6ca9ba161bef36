/* SORT and SORT_RO (sort.c; group "generic" in COMMAND DOCS). */
import type { CommandDef } from '../registry.js';
import { SORT } from './SORT.js';
import { SORT_RO } from './SORT_RO.js';

export const SORT_COMMANDS: readonly CommandDef[] = [
  SORT, SORT_RO,
];
