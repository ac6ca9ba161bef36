/*
 * PUBLISH channel message: deliver and reply with the number of receivers
 * (channel subscribers plus one per matching pattern subscription).
 * Outside a cluster it is propagated to replicas (not the AOF), as Redis's
 * forceCommandPropagation(PROPAGATE_REPL).
 */
import type { CommandDef } from '../registry.js';
import { publish } from '../../server/pubsub.js';

export const PUBLISH = {
  name: 'publish', group: 'pubsub', summary: 'Post a message to a channel', since: '2.0.0',
  complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'],
  arguments: [{ name: 'channel', type: 'string' }, { name: 'message', type: 'string' }],
  handler(c, argv) {
    c.int(publish(c.server, argv[1]!, argv[2]!));
    // replicas get the message too (not the AOF); a cluster spreads it over its bus instead
    if (c.server.clusterPublish !== null) c.server.clusterPublish(argv[1]!, argv[2]!, false);
    else c.forceReplication = true;
  },
} as const satisfies CommandDef;
