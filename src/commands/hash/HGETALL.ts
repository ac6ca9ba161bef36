/* HGETALL key: all pairs as a map (RESP3 %, RESP2 flat array). HKEYS and HVALS share hgetallGeneric. */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { readHash } from './common.js';

/** genericHgetallCommand: fields and/or values; a map when both. */
export function hgetallGeneric(c: Client, key: string, fields: boolean, values: boolean): void {
  const h = readHash(c, key);
  if (h === false) return;
  const both = fields && values;
  if (h === null) { if (both) c.map(0); else c.array(0); return; }
  if (both) c.map(h.size); else c.array(h.size);
  h.forEach((f, v) => {
    if (fields) c.bulk(f);
    if (values) c.bulk(v);
  });
}

export const HGETALL = {
  name: 'hgetall', group: 'hash', summary: 'Get all the fields and values in a hash', since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  arity: 2, flags: ['readonly'], acl: ['hash'],
  keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { range: [0, 1, 0] } }],
  tips: ['nondeterministic_output_order'],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  handler(c, argv) { hgetallGeneric(c, argv[1]!, true, true); },
} as const satisfies CommandDef;
