/* The server command group. */
import type { CommandDef } from '../registry.js';

export const SERVER_COMMANDS: CommandDef[] = [];
