/* UNSUBSCRIBE [channel ...]: a confirmation per channel (subscribed or not); with none, every channel, or one nil confirmation. */
import type { CommandDef } from '../registry.js';
import { unsubscribeAllChannels, unsubscribeChannel } from '../../server/pubsub.js';

export const UNSUBSCRIBE = {
  name: 'unsubscribe', group: 'pubsub', summary: 'Stop listening for messages posted to the given channels', since: '2.0.0',
  complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
  arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'],
  arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  handler(c, argv) {
    if (argv.length === 1) unsubscribeAllChannels(c, true);
    else for (let i = 1; i < argv.length; i++) unsubscribeChannel(c, argv[i]!, true);
  },
} as const satisfies CommandDef;
