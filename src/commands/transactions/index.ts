/* The transactions group: MULTI, EXEC, DISCARD, WATCH, UNWATCH (state in src/server/multi.ts). */
import type { CommandDef } from '../registry.js';
import { MULTI } from './MULTI.js';
import { EXEC } from './EXEC.js';
import { DISCARD } from './DISCARD.js';
import { WATCH } from './WATCH.js';
import { UNWATCH } from './UNWATCH.js';

export const TRANSACTION_COMMANDS: readonly CommandDef[] = [MULTI, EXEC, DISCARD, WATCH, UNWATCH];
