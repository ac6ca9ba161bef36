/* GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [ASC|DESC] [COUNT n [ANY]] [WITH...]: georadiusGeneric. */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { SEARCH_ARGS, SEARCH_WITH } from './common.js';
import { GEOSEARCH as SEARCH, georadiusGeneric } from './search-generic.js';

export const GEOSEARCH = {
  name: 'geosearch', group: 'geo', summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.', since: '6.2.0',
  complexity: 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape',
  arity: -7, flags: ['readonly'], acl: ['geo'],
  keySpecs: [keyRange(1, ['RO', 'access'])],
  history: [['7.0.0', 'Added support for uppercase unit names.']],
  arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }, ...SEARCH_ARGS, ...SEARCH_WITH],
  handler(c, argv) {
    georadiusGeneric(c, argv, 1, SEARCH);
  },
} as const satisfies CommandDef;
