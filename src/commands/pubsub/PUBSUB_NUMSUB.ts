/* PUBSUB NUMSUB [channel ...]: subscriber count per channel (pattern subscriptions not counted). */
import type { CommandDef } from '../registry.js';
import { pubsubOf } from '../../server/pubsub.js';
import { numSub } from './channel-list.js';

export const PUBSUB_NUMSUB = {
  name: 'numsub', group: 'pubsub', summary: 'Get the count of subscribers for channels', since: '2.8.0',
  complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
  arity: -2, flags: ['pubsub', 'loading', 'stale'],
  arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  handler(c, argv) { numSub(c, argv, pubsubOf(c.server).channels); },
} as const satisfies CommandDef;
