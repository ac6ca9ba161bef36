/*
 * SSUBSCRIBE shardchannel [shardchannel ...]: like SUBSCRIBE on the shard
 * registry (count = shard channels only). Refused for clients that must get
 * one reply per command (inside EXEC or a script: Redis's DENY_BLOCKING).
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { subscribeShard } from '../../server/pubsub.js';
import { errDenyBlockingSubscribe } from '../../protocol/errors.js';

export const SSUBSCRIBE = {
  name: 'ssubscribe', group: 'pubsub', summary: 'Listen for messages published to the given shard channels', since: '7.0.0',
  complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'],
  keySpecs: [keyRange(1, ['not_key'], -1, 1, 0)],
  arguments: [{ name: 'shardchannel', type: 'string', multiple: true }],
  handler(c, argv) {
    if (c.inMulti || c.server.nestedCalls > 1) { c.error(errDenyBlockingSubscribe('SSUBSCRIBE')); return; }
    for (let i = 1; i < argv.length; i++) subscribeShard(c, argv[i]!);
  },
} as const satisfies CommandDef;
