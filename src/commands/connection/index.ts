/* The connection command group: PING, ECHO, SELECT, HELLO, AUTH, CLIENT, QUIT, RESET. */
import type { CommandDef } from '../registry.js';
import { PING } from './PING.js';
import { ECHO } from './ECHO.js';

export const CONNECTION_COMMANDS: CommandDef[] = [PING, ECHO];
