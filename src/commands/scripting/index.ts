/* The scripting group: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT (engine in src/scripting/). */
import type { CommandDef } from '../registry.js';
import { EVAL } from './EVAL.js';
import { EVALSHA } from './EVALSHA.js';
import { EVAL_RO } from './EVAL_RO.js';
import { EVALSHA_RO } from './EVALSHA_RO.js';
import { SCRIPT } from './SCRIPT.js';

export const SCRIPTING_COMMANDS: readonly CommandDef[] = [EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT];
