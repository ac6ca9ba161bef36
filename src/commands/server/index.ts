/* The server command group. */
import type { CommandDef } from '../registry.js';
import { CONFIG } from './CONFIG.js';
import { INFO } from './INFO.js';
import { COMMAND } from './COMMAND.js';
import { TIME } from './TIME.js';
import { LASTSAVE } from './LASTSAVE.js';
import { DEBUG } from './DEBUG.js';
import { SLOWLOG } from './SLOWLOG.js';
import { LATENCY } from './LATENCY.js';
import { MONITOR } from './MONITOR.js';
import { SHUTDOWN } from './SHUTDOWN.js';
import { FUNCTION } from './FUNCTION.js';
import { MEMORY } from './MEMORY.js';
import { BGREWRITEAOF } from './BGREWRITEAOF.js';
import { SAVE } from './SAVE.js';
import { BGSAVE } from './BGSAVE.js';
import { ACL } from './ACL.js';
import { MODULE } from './MODULE.js';
import { LOLWUT } from './LOLWUT.js';

export const SERVER_COMMANDS: CommandDef[] = [
  CONFIG, INFO, COMMAND, TIME, LASTSAVE, DEBUG, SLOWLOG, LATENCY, MONITOR, SHUTDOWN, FUNCTION, MEMORY,
  BGREWRITEAOF, SAVE, BGSAVE, ACL, MODULE, LOLWUT,
];
