/* PSETEX key milliseconds value: SET PX, propagated as SET key value PXAT <ms>. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import type { Client } from '../../server/client.js';
import { expireMs } from './common.js';
import { setGeneric } from './SET.js';

const ok = (c: Client): void => c.ok();

export const PSETEX = {
  name: 'psetex', group: 'string', summary: 'Set the value and expiration in milliseconds of a key', since: '2.6.0',
  complexity: 'O(1)',
  bigValueArgs: [3, 0],
  arity: 4, flags: ['write', 'denyoom'], acl: ['string'],
  keySpecs: [keyRange(1, ['OW', 'update'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'milliseconds', type: 'integer' },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const exp = expireMs(c, argv[2]!, false, true);
    if (exp === null) return;
    setGeneric(c, 0, argv[1]!, argv[3]!, exp, ok, ok);
  },
} as const satisfies CommandDef;
