/* UNLINK key [key ...]: DEL whose memory Redis reclaims in the background; here DEL counted in lazyfreed_objects (keyspace/lazyfree.ts). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { delGeneric } from './del-generic.js';

export const UNLINK = {
  name: 'unlink', group: 'generic', summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', since: '4.0.0',
  complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
  arity: -2, flags: ['write', 'fast'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RM', 'delete'], -1, 1, 0)],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
  handler(c, argv) { delGeneric(c, argv, true); },
} as const satisfies CommandDef;
