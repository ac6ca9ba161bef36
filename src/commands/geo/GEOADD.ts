/*
 * GEOADD key [NX|XX] [CH] longitude latitude member [...]: every position is
 * checked and turned into its 52-bit geohash score first, then the command
 * runs as ZADD key [options] score member ... (zaddGeneric: same replies,
 * "zadd" event) and propagates as that ZADD, as Redis's
 * replaceClientCommandVector does.
 */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';
import { geoScore } from '../../types/geohash.js';
import { zaddGeneric } from '../zset/zadd-generic.js';
import { keyword, parseLonLat } from './common.js';

export const GEOADD = {
  name: 'geoadd', group: 'geo', summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set', since: '3.2.0',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  arity: -5, flags: ['write', 'denyoom'], acl: ['geo'],
  keySpecs: [keyRange(1, ['RW', 'update'])],
  warmMembers: [4, 3],
  history: [['6.2.0', 'Added the `CH`, `NX` and `XX` options.']],
  arguments: [
    { name: 'key', type: 'key', key_spec_index: 0 },
    { name: 'condition', type: 'oneof', optional: true, since: '6.2.0', arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] },
    { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '6.2.0' },
    { name: 'longitude_latitude_member', type: 'block', multiple: true, arguments: [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }, { name: 'member', type: 'string' }] },
  ],
  handler(c, argv) {
    let nx = false;
    let xx = false;
    let longIdx = 2;
    for (; longIdx < argv.length; longIdx++) {
      const o = keyword(argv[longIdx]!);
      if (o === 'nx') nx = true;
      else if (o === 'xx') xx = true;
      else if (o !== 'ch') break;
    }
    if ((argv.length - longIdx) % 3 !== 0 || (xx && nx)) { c.error(ERR_SYNTAX); return; }
    const elements = (argv.length - longIdx) / 3;
    const zargv = ['zadd', ...argv.slice(1, longIdx)];
    for (let i = 0; i < elements; i++) {
      const at = longIdx + i * 3;
      const xy = parseLonLat(c, argv[at]!, argv[at + 1]!);
      if (xy === null) return;
      zargv.push(geoScore(xy[0], xy[1]).text, argv[at + 2]!);
    }
    c.propagateArgv = zargv;
    zaddGeneric(c, zargv, false);
  },
} as const satisfies CommandDef;
