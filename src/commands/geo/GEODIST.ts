/* GEODIST key member1 member2 [M|KM|FT|MI]: the distance (4 decimals) between two members, null if either is missing. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';
import { decodeScore, fastDistance, geoDistance } from '../../types/geohash.js';
import { UNIT_TOKENS, parseUnit, readZset, replyApproxDistance } from './common.js';

export const GEODIST = {
  name: 'geodist', group: 'geo', summary: 'Returns the distance between two members of a geospatial index', since: '3.2.0',
  complexity: 'O(log(N))',
  arity: -4, flags: ['readonly'], acl: ['geo'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'member1', type: 'string' },
    { name: 'member2', type: 'string' },
    { name: 'unit', type: 'oneof', optional: true, arguments: UNIT_TOKENS },
  ],
  handler(c, argv) {
    let toMeter = 1;
    if (argv.length === 5) {
      toMeter = parseUnit(c, argv[4]!);
      if (toMeter < 0) return;
    } else if (argv.length > 5) {
      c.error(ERR_SYNTAX);
      return;
    }
    const z = readZset(c, argv[1]!);
    if (z === false) return;
    if (z === null) { c.null(); return; }
    const s1 = z.score(argv[2]!);
    const s2 = s1 === undefined ? undefined : z.score(argv[3]!);
    if (s1 === undefined || s2 === undefined) { c.null(); return; }
    const [x1, y1] = decodeScore(s1);
    const [x2, y2] = decodeScore(s2);
    replyApproxDistance(c, fastDistance(x1, y1, x2, y2) / toMeter, () => geoDistance(x1, y1, x2, y2) / toMeter);
  },
} as const satisfies CommandDef;
