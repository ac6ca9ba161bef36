/* The geo group (geo.c), one file per command: sorted sets holding 52-bit geohash scores. */
import type { CommandDef } from '../registry.js';
import { GEOADD } from './GEOADD.js';
import { GEOPOS } from './GEOPOS.js';
import { GEODIST } from './GEODIST.js';
import { GEOHASH } from './GEOHASH.js';
import { GEOSEARCH } from './GEOSEARCH.js';
import { GEOSEARCHSTORE } from './GEOSEARCHSTORE.js';
import { GEORADIUS } from './GEORADIUS.js';
import { GEORADIUS_RO } from './GEORADIUS_RO.js';
import { GEORADIUSBYMEMBER } from './GEORADIUSBYMEMBER.js';
import { GEORADIUSBYMEMBER_RO } from './GEORADIUSBYMEMBER_RO.js';

export const GEO_COMMANDS: readonly CommandDef[] = [
  GEOADD,
  GEOPOS,
  GEODIST,
  GEOHASH,
  GEOSEARCH,
  GEOSEARCHSTORE,
  GEORADIUS,
  GEORADIUS_RO,
  GEORADIUSBYMEMBER,
  GEORADIUSBYMEMBER_RO,
];
