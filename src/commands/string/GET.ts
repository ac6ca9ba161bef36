/* GET key: the value, or null. The hot path reads plain strings without any helper call. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_WRONGTYPE } from '../../protocol/errors.js';
import { replyValue } from './common.js';

export const GET = {
  name: 'get', group: 'string', summary: 'Get the value of a key', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
  ],
  handler(c, argv) {
    const v = c.db.get(argv[1]!);
    if (v === undefined) { c.server.keyMiss(c.db, argv[1]!); c.null(); return; }
    if (typeof v === 'string') { c.server.stats.keyspaceHits++; c.bulk(v); return; }
    c.server.stats.keyspaceHits++;
    if (v.type !== 'string') { c.error(ERR_WRONGTYPE); return; }
    replyValue(c, v as never);
  },
} as const satisfies CommandDef;
