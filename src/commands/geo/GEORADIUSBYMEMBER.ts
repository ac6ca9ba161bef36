/* GEORADIUSBYMEMBER key member radius unit [WITH...] [COUNT n [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]: georadiusGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { radiusArgs } from './common.js';
import { RADIUS_MEMBER, georadiusGeneric } from './search-generic.js';

export const GEORADIUSBYMEMBER = {
  name: 'georadiusbymember', group: 'geo', summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member', since: '3.2.0',
  complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  arity: -5, flags: ['write', 'denyoom'], acl: ['geo'],
  keySpecs: [
    keyRange(1, ['RO', 'access']),
    { flags: ['OW', 'update'], begin: { keyword: 'STORE', startfrom: 5 }, find: { range: [0, 1, 0] } },
    { flags: ['OW', 'update'], begin: { keyword: 'STOREDIST', startfrom: 5 }, find: { range: [0, 1, 0] } },
  ],
  history: [['7.0.0', 'Added support for uppercase unit names.']],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments',
  arguments: radiusArgs([{ name: 'member', type: 'string' }], false, true),
  handler(c, argv) {
    georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
  },
} as const satisfies CommandDef;
