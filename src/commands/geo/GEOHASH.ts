/* GEOHASH key [member ...]: each member's standard 11-character geohash string, a null when missing. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { geohashString } from '../../types/geohash.js';
import { readZset } from './common.js';

export const GEOHASH = {
  name: 'geohash', group: 'geo', summary: 'Returns members of a geospatial index as standard geohash strings', since: '3.2.0',
  complexity: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.',
  arity: -2, flags: ['readonly'], acl: ['geo'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'member', type: 'string', multiple: true },
  ],
  handler(c, argv) {
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    c.array(argv.length - 2);
    for (let j = 2; j < argv.length; j++) {
      const s = z === null ? undefined : z.score(argv[j]!);
      if (s === undefined) c.null(); else c.bulk(geohashString(s));
    }
  },
} as const satisfies CommandDef;
