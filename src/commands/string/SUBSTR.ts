/* SUBSTR key start end: the old name of GETRANGE. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { getRange } from './range.js';

export const SUBSTR = {
  name: 'substr', group: 'string', summary: 'Get a substring of the string stored at a key', since: '1.0.0',
  complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  arity: 4, flags: ['readonly'], acl: ['string'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  docFlags: ['deprecated'],
  deprecatedSince: '2.0.0',
  replacedBy: '`GETRANGE`',
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'start', type: 'integer' },
    { name: 'end', type: 'integer' },
  ],
  handler(c, argv) { getRange(c, argv); },
} as const satisfies CommandDef;
