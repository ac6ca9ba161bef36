/* DEL key [key ...]: deletes each existing key (an expired one is expired first, not counted), event "del" each. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { delGeneric } from './del-generic.js';

export const DEL = {
  name: 'del', group: 'generic', summary: 'Delete a key', since: '1.0.0',
  complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
  arity: -2, flags: ['write'], acl: ['keyspace'],
  keySpecs: [keyRange(1, ['RM', 'delete'], -1, 1, 0)],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
  handler(c, argv) { delGeneric(c, argv, c.server.config.bool('lazyfree-lazy-user-del')); },
} as const satisfies CommandDef;
