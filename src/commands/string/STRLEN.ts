/* STRLEN key: the length in bytes, 0 when missing. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { strLen } from '../../types/string.js';
import { readString } from './common.js';

export const STRLEN = {
  name: 'strlen', group: 'string', summary: 'Get the length of the value stored in a key', since: '2.2.0',
  complexity: 'O(1)',
  arity: 2, flags: ['readonly', 'fast'], acl: ['string'],
  keySpecs: [keyRange(1, ['RO'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
  ],
  handler(c, argv) {
    const v = readString(c, argv[1]!);
    if (v === false) return;
    c.int(v === null ? 0 : strLen(v));
  },
} as const satisfies CommandDef;
