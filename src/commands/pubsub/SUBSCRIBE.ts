/* SUBSCRIBE channel [channel ...]: one confirmation push per channel (count = channels + patterns). */
import type { CommandDef } from '../registry.js';
import { subscribeChannel } from '../../server/pubsub.js';

export const SUBSCRIBE = {
  name: 'subscribe', group: 'pubsub', summary: 'Listen for messages published to the given channels', since: '2.0.0',
  complexity: 'O(N) where N is the number of channels to subscribe to.',
  arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'],
  arguments: [{ name: 'channel', type: 'string', multiple: true }],
  handler(c, argv) {
    for (let i = 1; i < argv.length; i++) subscribeChannel(c, argv[i]!);
  },
} as const satisfies CommandDef;
