/* PUBSUB SHARDNUMSUB [shardchannel ...]: subscriber count per shard channel. */
import type { CommandDef } from '../registry.js';
import { pubsubOf } from '../../server/pubsub.js';
import { numSub } from './channel-list.js';

export const PUBSUB_SHARDNUMSUB = {
  name: 'shardnumsub', group: 'pubsub', summary: 'Get the count of subscribers for shard channels', since: '7.0.0',
  complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
  arity: -2, flags: ['pubsub', 'loading', 'stale'],
  arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  handler(c, argv) { numSub(c, argv, pubsubOf(c.server).shardChannels); },
} as const satisfies CommandDef;
