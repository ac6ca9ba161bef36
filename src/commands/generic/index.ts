/* The generic command group. */
import type { CommandDef } from '../registry.js';

export const GENERIC_COMMANDS: CommandDef[] = [];
