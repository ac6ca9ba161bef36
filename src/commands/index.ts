/* Every command group, registered into the table by the server. */
import type { CommandDef } from './registry.js';
import { STRING_COMMANDS } from './string/index.js';
import { GENERIC_COMMANDS } from './generic/index.js';
import { SERVER_COMMANDS } from './server/index.js';
import { CONNECTION_COMMANDS } from './connection/index.js';

export const ALL_COMMANDS: readonly CommandDef[] = [
  ...STRING_COMMANDS,
  ...GENERIC_COMMANDS,
  ...SERVER_COMMANDS,
  ...CONNECTION_COMMANDS,
];
