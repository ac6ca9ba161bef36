/* SETNX key value: SET NX replying 1 or 0. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import type { Client } from '../../server/client.js';
import { OBJ_NX } from './common.js';
import { setGeneric } from './SET.js';

const one = (c: Client): void => c.int(1);
const zero = (c: Client): void => c.int(0);

export const SETNX = {
  name: 'setnx', group: 'string', summary: 'Set the value of a key, only if the key does not exist', since: '1.0.0',
  complexity: 'O(1)',
  bigValueArgs: [2, 0],
  arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['OW', 'insert'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    setGeneric(c, OBJ_NX, argv[1]!, argv[2]!, null, one, zero);
  },
} as const satisfies CommandDef;
