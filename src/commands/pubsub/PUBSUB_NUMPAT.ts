/* PUBSUB NUMPAT: the number of distinct patterns subscribed to (by any client). */
import type { CommandDef } from '../registry.js';
import { pubsubOf } from '../../server/pubsub.js';

export const PUBSUB_NUMPAT = {
  name: 'numpat', group: 'pubsub', summary: 'Get the count of unique patterns pattern subscriptions', since: '2.8.0',
  complexity: 'O(1)', arity: 2, flags: ['pubsub', 'loading', 'stale'],
  handler(c) { c.int(pubsubOf(c.server).patterns.size); },
} as const satisfies CommandDef;
