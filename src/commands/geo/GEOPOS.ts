/* GEOPOS key [member ...]: [longitude, latitude] of each member (its cell centre), a null array when missing. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { decodeScore } from '../../types/geohash.js';
import { readZset, replyCoord } from './common.js';

export const GEOPOS = {
  name: 'geopos', group: 'geo', summary: 'Returns longitude and latitude of members of a geospatial index', since: '3.2.0',
  complexity: 'O(N) where N is the number of members requested.',
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
      if (s === undefined) { c.nullArray(); continue; }
      const [x, y] = decodeScore(s);
      c.array(2);
      replyCoord(c, x);
      replyCoord(c, y);
    }
  },
} as const satisfies CommandDef;
