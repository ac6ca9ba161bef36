/* PSUBSCRIBE pattern [pattern ...]: one confirmation push per pattern (count = channels + patterns). */
import type { CommandDef } from '../registry.js';
import { subscribePattern } from '../../server/pubsub.js';

export const PSUBSCRIBE = {
  name: 'psubscribe', group: 'pubsub', summary: 'Listen for messages published to channels matching the given patterns',
  since: '2.0.0', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
  arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'],
  arguments: [{ name: 'pattern', type: 'block', multiple: true, arguments: [{ name: 'pattern', type: 'pattern' }] }],
  handler(c, argv) {
    for (let i = 1; i < argv.length; i++) subscribePattern(c, argv[i]!);
  },
} as const satisfies CommandDef;
