/* GEORADIUS_RO key longitude latitude radius unit [WITH...] [COUNT n [ANY]] [ASC|DESC]: GEORADIUS without STORE. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { radiusArgs } from './common.js';
import { RADIUS_COORDS, RADIUS_NOSTORE, georadiusGeneric } from './search-generic.js';

export const GEORADIUS_RO = {
  name: 'georadius_ro', group: 'geo', summary: 'A read-only variant for GEORADIUS', since: '3.2.10',
  complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  arity: -6, flags: ['readonly'], acl: ['geo'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  history: [['6.2.0', 'Added the `ANY` option for `COUNT`.']],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`GEOSEARCH` with the `BYRADIUS` argument',
  arguments: radiusArgs([{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }], true, false),
  handler(c, argv) {
    georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
  },
} as const satisfies CommandDef;
