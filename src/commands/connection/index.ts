/* The connection command group: PING, ECHO, HELLO, AUTH, CLIENT, QUIT, RESET (SELECT lives with the keyspace work). */
import type { CommandDef } from '../registry.js';
import { PING } from './PING.js';
import { ECHO } from './ECHO.js';
import { HELLO } from './HELLO.js';
import { AUTH } from './AUTH.js';
import { QUIT } from './QUIT.js';
import { RESET } from './RESET.js';
import { CLIENT } from './CLIENT.js';

export const CONNECTION_COMMANDS: CommandDef[] = [PING, ECHO, HELLO, AUTH, QUIT, RESET, CLIENT];
