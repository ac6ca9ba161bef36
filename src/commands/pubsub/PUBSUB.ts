/* PUBSUB container and PUBSUB HELP (pubsubCommand in redis/src/pubsub.c). */
import type { CommandDef } from '../registry.js';
import { PUBSUB_CHANNELS } from './PUBSUB_CHANNELS.js';
import { PUBSUB_NUMPAT } from './PUBSUB_NUMPAT.js';
import { PUBSUB_NUMSUB } from './PUBSUB_NUMSUB.js';
import { PUBSUB_SHARDCHANNELS } from './PUBSUB_SHARDCHANNELS.js';
import { PUBSUB_SHARDNUMSUB } from './PUBSUB_SHARDNUMSUB.js';

const HELP_LINES = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

export const PUBSUB_HELP = {
  name: 'help', group: 'pubsub', summary: 'Show helpful text about the different subcommands', since: '6.2.0',
  complexity: 'O(1)', arity: 2, flags: ['loading', 'stale'],
  handler(c, argv) { c.help(argv[0]!, HELP_LINES); },
} as const satisfies CommandDef;

export const PUBSUB = {
  name: 'pubsub', group: 'pubsub', summary: 'A container for Pub/Sub commands', since: '2.8.0',
  complexity: 'Depends on subcommand.', arity: -2, flags: [],
  subcommands: [PUBSUB_CHANNELS, PUBSUB_HELP, PUBSUB_NUMPAT, PUBSUB_NUMSUB, PUBSUB_SHARDCHANNELS, PUBSUB_SHARDNUMSUB],
} as const satisfies CommandDef;
