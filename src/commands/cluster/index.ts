/* The cluster command group: so far the connection switches, answering "cluster support disabled", and RESTORE-ASKING (MIGRATE's RESTORE in cluster mode). */
import type { CommandDef } from '../registry.js';
import { ASKING, READONLY, READWRITE } from './READONLY.js';
import { RESTORE_ASKING } from './RESTORE_ASKING.js';

export const CLUSTER_COMMANDS: CommandDef[] = [READONLY, READWRITE, ASKING, RESTORE_ASKING];
