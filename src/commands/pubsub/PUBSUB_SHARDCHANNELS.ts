/* PUBSUB SHARDCHANNELS [pattern]: shard channels with at least one subscriber, optionally matching a glob pattern. */
import type { CommandDef } from '../registry.js';
import { pubsubOf } from '../../server/pubsub.js';
import { channelList } from './channel-list.js';

export const PUBSUB_SHARDCHANNELS = {
  name: 'shardchannels', group: 'pubsub', summary: 'List active shard channels', since: '7.0.0',
  complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
  arity: -2, flags: ['pubsub', 'loading', 'stale'],
  arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
  handler(c, argv) { channelList(c, argv, pubsubOf(c.server).shardChannels); },
} as const satisfies CommandDef;
