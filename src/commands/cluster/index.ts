/* The cluster command group: so far only the connection switches, answering "cluster support disabled". */
import type { CommandDef } from '../registry.js';
import { ASKING, READONLY, READWRITE } from './READONLY.js';

export const CLUSTER_COMMANDS: CommandDef[] = [READONLY, READWRITE, ASKING];
