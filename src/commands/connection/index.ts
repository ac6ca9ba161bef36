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

/** Subcommands Nodis has from Redis 7.2 that 7.0.15 lacks: differential tests leave them out. */
export const NEWER_THAN_7_0 = ['client|no-touch', 'client|setinfo'] as const;
