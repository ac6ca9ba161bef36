/* The scripting group: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL, FCALL_RO (engine in src/scripting/). */
import type { CommandDef } from '../registry.js';
import { EVAL } from './EVAL.js';
import { EVALSHA } from './EVALSHA.js';
import { EVAL_RO } from './EVAL_RO.js';
import { EVALSHA_RO } from './EVALSHA_RO.js';
import { SCRIPT } from './SCRIPT.js';
import { FCALL } from './FCALL.js';
import { FCALL_RO } from './FCALL_RO.js';

export const SCRIPTING_COMMANDS: readonly CommandDef[] = [EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL, FCALL_RO];
