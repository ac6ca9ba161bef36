/* The pubsub command group: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH, PUBSUB. */
import type { CommandDef } from '../registry.js';
import { SUBSCRIBE } from './SUBSCRIBE.js';
import { UNSUBSCRIBE } from './UNSUBSCRIBE.js';
import { PSUBSCRIBE } from './PSUBSCRIBE.js';
import { PUNSUBSCRIBE } from './PUNSUBSCRIBE.js';
import { PUBLISH } from './PUBLISH.js';
import { PUBSUB } from './PUBSUB.js';
import { SSUBSCRIBE } from './SSUBSCRIBE.js';
import { SUNSUBSCRIBE } from './SUNSUBSCRIBE.js';
import { SPUBLISH } from './SPUBLISH.js';

export const PUBSUB_COMMANDS: CommandDef[] = [
  SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH,
];
