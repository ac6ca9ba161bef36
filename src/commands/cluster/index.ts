/* RESTORE-ASKING (MIGRATE's RESTORE in cluster mode); CLUSTER, READONLY, READWRITE and ASKING live in src/cluster/commands.ts. */
import type { CommandDef } from '../registry.js';
import { RESTORE_ASKING } from './RESTORE_ASKING.js';

export const CLUSTER_COMMANDS: CommandDef[] = [RESTORE_ASKING];
