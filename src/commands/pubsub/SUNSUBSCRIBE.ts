/* SUNSUBSCRIBE [shardchannel ...]: a confirmation per shard channel; with none, all of them, or one nil confirmation. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { unsubscribeAllShard, unsubscribeShard } from '../../server/pubsub.js';

export const SUNSUBSCRIBE = {
  name: 'sunsubscribe', group: 'pubsub', summary: 'Stop listening for messages posted to the given shard channels',
  since: '7.0.0', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
  arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'],
  keySpecs: [keyRange(1, ['not_key'], -1, 1, 0)],
  arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  handler(c, argv) {
    if (argv.length === 1) unsubscribeAllShard(c, true);
    else for (let i = 1; i < argv.length; i++) unsubscribeShard(c, argv[i]!, true);
  },
} as const satisfies CommandDef;
