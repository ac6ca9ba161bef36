/* PUNSUBSCRIBE [pattern ...]: a confirmation per pattern; with none, every pattern (in subscription order), or one nil confirmation. */
import type { CommandDef } from '../registry.js';
import { unsubscribeAllPatterns, unsubscribePattern } from '../../server/pubsub.js';

export const PUNSUBSCRIBE = {
  name: 'punsubscribe', group: 'pubsub', summary: 'Stop listening for messages posted to channels matching the given patterns',
  since: '2.0.0',
  complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
  arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale', 'sentinel'],
  arguments: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
  handler(c, argv) {
    if (argv.length === 1) unsubscribeAllPatterns(c, true);
    else for (let i = 1; i < argv.length; i++) unsubscribePattern(c, argv[i]!, true);
  },
} as const satisfies CommandDef;
