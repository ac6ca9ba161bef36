/*
 * SPUBLISH shardchannel message: deliver smessage to the shard channel's
 * subscribers (patterns ignored); reply receivers. Propagated to replicas
 * (not the AOF) outside a cluster, as PUBLISH.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { spublish } from '../../server/pubsub.js';

export const SPUBLISH = {
  name: 'spublish', group: 'pubsub', summary: 'Post a message to a shard channel', since: '7.0.0',
  complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  keySpecs: [keyRange(1, ['not_key'], 0, 1, 0)],
  arguments: [{ name: 'shardchannel', type: 'string' }, { name: 'message', type: 'string' }],
  handler(c, argv) {
    c.int(spublish(c.server, argv[1]!, argv[2]!));
    // replicas get the message too (not the AOF); a cluster spreads it over its bus instead
    if (c.server.clusterPublish !== null) c.server.clusterPublish(argv[1]!, argv[2]!, true);
    else c.forceReplication = true;
  },
} as const satisfies CommandDef;
