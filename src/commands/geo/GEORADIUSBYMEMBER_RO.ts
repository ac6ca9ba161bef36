/* GEORADIUSBYMEMBER_RO key member radius unit [WITH...] [COUNT n [ANY]] [ASC|DESC]: GEORADIUSBYMEMBER without STORE. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { radiusArgs } from './common.js';
import { RADIUS_MEMBER, RADIUS_NOSTORE, georadiusGeneric } from './search-generic.js';

export const GEORADIUSBYMEMBER_RO = {
  name: 'georadiusbymember_ro', group: 'geo', summary: 'A read-only variant for GEORADIUSBYMEMBER', since: '3.2.10',
  complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  arity: -5, flags: ['readonly'], acl: ['geo'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments',
  arguments: radiusArgs([{ name: 'member', type: 'string' }], false, false),
  handler(c, argv) {
    georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
  },
} as const satisfies CommandDef;
