/* GEOSEARCHSTORE destination source FROM... BY... [ASC|DESC] [COUNT n [ANY]] [STOREDIST]: georadiusGeneric storing into destination. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { SEARCH_ARGS } from './common.js';
import { GEOSEARCH, GEOSEARCHSTORE as STORE, georadiusGeneric } from './search-generic.js';

export const GEOSEARCHSTORE = {
  name: 'geosearchstore', group: 'geo', summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.', since: '6.2.0',
  complexity: 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape',
  arity: -8, flags: ['write', 'denyoom'], acl: ['geo'],
  keySpecs: [keyRange(1, ['OW', 'update']), keyRange(2, ['RO', 'access'])],
  history: [['7.0.0', 'Added support for uppercase unit names.']],
  arguments: [
    { name: 'destination', type: 'key', key_spec_index: 0 },
    { name: 'source', type: 'key', key_spec_index: 1 },
    ...SEARCH_ARGS,
    { name: 'storedist', token: 'STOREDIST', type: 'pure-token', optional: true },
  ],
  handler(c, argv) {
    georadiusGeneric(c, argv, 2, GEOSEARCH | STORE);
  },
} as const satisfies CommandDef;
