/* Every command group, registered into the table by the server. */
import type { CommandDef } from './registry.js';
import { STRING_COMMANDS } from './string/index.js';
import { GENERIC_COMMANDS } from './generic/index.js';
import { CLUSTER_COMMANDS } from './cluster/index.js';
import { SERVER_COMMANDS } from './server/index.js';
import { CONNECTION_COMMANDS } from './connection/index.js';
import { HASH_COMMANDS } from './hash/index.js';
import { LIST_COMMANDS } from './list/index.js';
import { SET_COMMANDS } from './set/index.js';
import { SORT_COMMANDS } from './sort/index.js';
import { ZSET_COMMANDS } from './zset/index.js';
import { PUBSUB_COMMANDS } from './pubsub/index.js';
import { TRANSACTION_COMMANDS } from './transactions/index.js';
import { SCRIPTING_COMMANDS } from './scripting/index.js';
import { STREAM_COMMANDS } from './stream/index.js';
import { HYPERLOGLOG_COMMANDS } from './hyperloglog/index.js';
import { GEO_COMMANDS } from './geo/index.js';

export const ALL_COMMANDS: readonly CommandDef[] = [
  ...STRING_COMMANDS,
  ...GENERIC_COMMANDS,
  ...CLUSTER_COMMANDS,
  ...SERVER_COMMANDS,
  ...CONNECTION_COMMANDS,
  ...LIST_COMMANDS,
  ...HASH_COMMANDS,
  ...SET_COMMANDS,
  ...SORT_COMMANDS,
  ...ZSET_COMMANDS,
  ...PUBSUB_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...SCRIPTING_COMMANDS,
  ...STREAM_COMMANDS,
  ...HYPERLOGLOG_COMMANDS,
  ...GEO_COMMANDS,
];
