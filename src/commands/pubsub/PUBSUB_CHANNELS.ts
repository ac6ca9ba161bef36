/* PUBSUB CHANNELS [pattern]: channels with at least one subscriber, optionally matching a glob pattern. */
import type { CommandDef } from '../registry.js';
import { pubsubOf } from '../../server/pubsub.js';
import { channelList } from './channel-list.js';

export const PUBSUB_CHANNELS = {
  name: 'channels', group: 'pubsub', summary: 'List active channels', since: '2.8.0',
  complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
  arity: -2, flags: ['pubsub', 'loading', 'stale'],
  arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
  handler(c, argv) { channelList(c, argv, pubsubOf(c.server).channels); },
} as const satisfies CommandDef;
