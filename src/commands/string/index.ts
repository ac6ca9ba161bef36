/* The string command group (strings and bitmaps). */
import type { CommandDef } from '../registry.js';
import { GET } from './GET.js';
import { SET } from './SET.js';

export const STRING_COMMANDS: CommandDef[] = [GET, SET];
