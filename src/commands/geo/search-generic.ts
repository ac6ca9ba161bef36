/*
 * georadiusGeneric: GEOSEARCH, GEOSEARCHSTORE, GEORADIUS[_RO] and
 * GEORADIUSBYMEMBER[_RO], in Redis's order of checks:
 *
 * 1. The source key is looked up first (WRONGTYPE before any argument error).
 * 2. The centre and shape of GEORADIUS / GEORADIUSBYMEMBER (a missing member:
 *    "could not decode"; with a missing key BYMEMBER skips its radius check).
 * 3. The options, left to right, each error at once (FROMMEMBER is resolved
 *    only when the key exists), then the cross checks (STORE with WITH*,
 *    FROM*, BY*, ANY without COUNT).
 * 4. A missing key: an empty array, or 0 with the destination deleted.
 * 5. The nine cells of types/geohash.ts scanned in order, each a score range,
 *    keeping points inside the shape (with COUNT ANY, stopping once enough
 *    were found); COUNT without ANY implies ASC.
 * 6. Sorted by distance if asked (all: stable, as glibc's qsort; cut to
 *    COUNT: pqsort, tie order included), then replied or
 *    stored: the destination holds the members with their geohash (or, with
 *    STOREDIST, their distance in the unit) in the encoding Redis's
 *    zsetConvertToListpackIfNeeded picks; "geosearchstore"/"georadiusstore"
 *    event, or dst deleted when nothing matched. Store commands propagate
 *    verbatim, as in Redis.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import {
  ERR_GEO_ANY_COUNT, ERR_GEO_COUNT, ERR_GEO_MEMBER, ERR_SYNTAX, errGeoBy, errGeoFrom, errGeoStoreWith,
} from '../../protocol/errors.js';
import {
  approxDistance, cellScores, circleDistance, decodeScore, decodeScoreSlot, geoDistance, inShape, isZeroCell, scoreAsLongLong, searchCells, type GeoShape,
} from '../../types/geohash.js';
import { ZSet } from '../../types/zset.js';
import { getLong, limits, setKey, storeEmpty } from '../zset/common.js';
import { pqsort } from './pqsort.js';
import { keyword, parseBox, parseLonLat, parseRadius, readZset, replyApproxDistance, replyCoord } from './common.js';

/** search around coordinates (GEORADIUS) */
export const RADIUS_COORDS = 1;
/** search around a member (GEORADIUSBYMEMBER) */
export const RADIUS_MEMBER = 2;
/** no STORE / STOREDIST (the _RO variants) */
export const RADIUS_NOSTORE = 4;
/** GEOSEARCH syntax */
export const GEOSEARCH = 8;
/** GEOSEARCHSTORE: argv[1] is the destination, STOREDIST is a flag */
export const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

/**
 * The points a search found, as columns (point i: PT_LON[i], PT_LAT[i], PT_DIST[i], PT_SCORE[i], PT_MEMBER[i]),
 * reused by every search (one runs to its end before the next), grown as needed. As an object per point, with its
 * four doubles boxed, a search over a thousand points left ~230 KB of garbage behind (a scavenge every 15 searches).
 * The search sorts point numbers, comparing their distances: the same moves, so the same order, as sorting the
 * points themselves.
 */
let PT_LON: Float64Array = new Float64Array(256);
let PT_LAT: Float64Array = new Float64Array(256);
let PT_DIST: Float64Array = new Float64Array(256);
let PT_SCORE: Float64Array = new Float64Array(256);
const PT_MEMBER: string[] = [];
/** a cell's entries (ZSet.rangeInto), before the shape test */
let CELL_SCORES: Float64Array = new Float64Array(256);
const CELL_MEMBERS: string[] = [];

function growPoints(): void {
  const grow = (a: Float64Array): Float64Array => { const b = new Float64Array(a.length * 2); b.set(a); return b; };
  PT_LON = grow(PT_LON); PT_LAT = grow(PT_LAT); PT_DIST = grow(PT_DIST); PT_SCORE = grow(PT_SCORE);
}

const byDistAsc = (a: number, b: number): number => (PT_DIST[a]! > PT_DIST[b]! ? 1 : PT_DIST[a] === PT_DIST[b] ? 0 : -1);
const byDistDesc = (a: number, b: number): number => -byDistAsc(a, b);

export function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): void {
  const z = readZset(c, argv[srcKeyIndex]!);
  if (z === false) return;
  const shape: GeoShape = { circle: true, xy: [0, 0], conversion: 0, radius: 0, width: 0, height: 0 };
  let storeKey: string | null = null;
  let storeDist = false;
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const xy = parseLonLat(c, argv[2]!, argv[3]!);
    if (xy === null) return;
    shape.xy = xy;
    const r = parseRadius(c, argv[4]!, argv[5]!);
    if (r === null) return;
    shape.radius = r.radius;
    shape.conversion = r.conversion;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    if (z !== null) {
      const s = z.score(argv[2]!);
      if (s === undefined) { c.error(ERR_GEO_MEMBER); return; }
      shape.xy = decodeScore(s);
      const r = parseRadius(c, argv[3]!, argv[4]!);
      if (r === null) return;
      shape.radius = r.radius;
      shape.conversion = r.conversion;
    }
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storeKey = argv[1]!;
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const isSearch = (flags & GEOSEARCH) !== 0;
  const canStore = !(flags & RADIUS_NOSTORE) && !isSearch;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = keyword(argv[at]!);
    if (arg === 'withdist') withDist = true;
    else if (arg === 'withhash') withHash = true;
    else if (arg === 'withcoord') withCoords = true;
    else if (arg === 'any') any = true;
    else if (arg === 'asc') sort = SORT_ASC;
    else if (arg === 'desc') sort = SORT_DESC;
    else if (arg === 'count' && i + 1 < remaining) {
      const n = getLong(c, argv[at + 1]!);
      if (n === null) return;
      if (n <= 0) { c.error(ERR_GEO_COUNT); return; }
      count = n;
      i++;
    } else if (arg === 'store' && i + 1 < remaining && canStore) {
      storeKey = argv[at + 1]!;
      storeDist = false;
      i++;
    } else if (arg === 'storedist' && i + 1 < remaining && canStore) {
      storeKey = argv[at + 1]!;
      storeDist = true;
      i++;
    } else if (arg === 'storedist' && isSearch && (flags & GEOSEARCHSTORE)) {
      storeDist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && isSearch && !fromLoc) {
      if (z !== null) {
        const s = z.score(argv[at + 1]!);
        if (s === undefined) { c.error(ERR_GEO_MEMBER); return; }
        shape.xy = decodeScore(s);
      }
      fromMember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && isSearch && !fromMember) {
      const xy = parseLonLat(c, argv[at + 1]!, argv[at + 2]!);
      if (xy === null) return;
      shape.xy = xy;
      fromLoc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && isSearch && !byBox) {
      const r = parseRadius(c, argv[at + 1]!, argv[at + 2]!);
      if (r === null) return;
      shape.circle = true;
      shape.radius = r.radius;
      shape.conversion = r.conversion;
      byRadius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && isSearch && !byRadius) {
      const b = parseBox(c, argv[at + 1]!, argv[at + 2]!, argv[at + 3]!);
      if (b === null) return;
      shape.circle = false;
      shape.width = b.width;
      shape.height = b.height;
      shape.conversion = b.conversion;
      byBox = true;
      i += 3;
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    c.error(errGeoStoreWith(flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'));
    return;
  }
  if (isSearch && !(fromMember || fromLoc)) { c.error(errGeoFrom(argv[0]!)); return; }
  if (isSearch && !(byRadius || byBox)) { c.error(errGeoBy(argv[0]!)); return; }
  if (any && !count) { c.error(ERR_GEO_ANY_COUNT); return; }

  if (z === null) {
    if (storeKey !== null) {
      storeEmpty(c, storeKey);
      c.int(0);
    } else {
      c.array(0);
    }
    return;
  }

  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const found = pointsInShape(z, shape, any ? count : 0, sort !== SORT_NONE);
  /** the exact distance in the unit, computed for returned points only */
  const exactDist = (gp: number): number => geoDistance(shape.xy[0], shape.xy[1], PT_LON[gp]!, PT_LAT[gp]!) / shape.conversion;
  if (found.length === 0 && storeKey === null) { c.array(0); return; }

  const returned = count === 0 || found.length < count ? found.length : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? byDistAsc : byDistDesc;
    // all: glibc's qsort, a stable merge sort; a COUNT cut: pqsort, whose moves decide among ties
    if (returned === found.length) found.sort(cmp); else pqsort(found, cmp, 0, returned - 1);
  }

  if (storeKey === null) {
    const options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
    c.array(returned);
    for (let i = 0; i < returned; i++) {
      const gp = found[i]!;
      if (options) c.array(options + 1);
      c.bulk(PT_MEMBER[gp]!);
      if (withDist) replyApproxDistance(c, (PT_DIST[gp]! || approxDistance(shape, PT_LON[gp]!, PT_LAT[gp]!)) / shape.conversion, () => exactDist(gp));
      if (withHash) c.int(BigInt(scoreAsLongLong(PT_SCORE[gp]!)));
      if (withCoords) {
        c.array(2);
        replyCoord(c, PT_LON[gp]!);
        replyCoord(c, PT_LAT[gp]!);
      }
    }
    return;
  }

  if (returned > 0) {
    const pts = found.slice(0, returned).map((gp) => ({ m: PT_MEMBER[gp]!, s: storeDist ? exactDist(gp) : PT_SCORE[gp]! }));
    pts.sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.m < b.m ? -1 : a.m > b.m ? 1 : 0));
    const members: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i < pts.length; i++) {
      // a member seen twice (cells repeated non-adjacently) is inserted once
      if (i > 0 && pts[i]!.m === pts[i - 1]!.m && pts[i]!.s === pts[i - 1]!.s) continue;
      members.push(pts[i]!.m);
      scores.push(pts[i]!.s);
    }
    setKey(c, storeKey, ZSet.fromSorted(members, scores, limits(c)));
    c.server.recorder.keyWritten(c.db, storeKey, NOTIFY_ZSET, isSearch ? 'geosearchstore' : 'georadiusstore', returned);
  } else {
    storeEmpty(c, storeKey);
  }
  c.int(returned);
}

/** a point's score in [2] and its decoded position in [0], [1] (decodeScoreSlot), reused by every point of every search */
const XY = new Float64Array(3);

/**
 * membersOfAllNeighbors: the points inside the shape, cell by cell; limit > 0 stops once that many were found (ANY).
 * Returns the numbers (0 ... n - 1) of the points found, in the order found; the points are in the PT_ columns.
 */
function pointsInShape(z: ZSet, shape: GeoShape, limit: number, needDist: boolean): number[] {
  let n = 0;
  const circle = shape.circle;
  const cells = searchCells(shape);
  let last = 0; // index of the last cell scanned; 0 (the centre, or none yet) is never compared, as in Redis
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (isZeroCell(cell)) continue;
    // a huge radius can make adjacent neighbours the same cell
    if (last !== 0 && cell.bits === cells[last]!.bits && cell.step === cells[last]!.step) continue;
    if (n && limit && n >= limit) break;
    const [min, max] = cellScores(cell);
    const lo = z.scoreLow(min, false);
    const hi = z.scoreHigh(max, true);
    if (hi > lo) {
      // the cell's entries copied out first (one call for the range, none per entry)
      if (CELL_SCORES.length < hi - lo) CELL_SCORES = new Float64Array(Math.max(hi - lo, CELL_SCORES.length * 2));
      const m = z.rangeInto(lo, hi - lo, CELL_SCORES, CELL_MEMBERS);
      for (let j = 0; j < m; j++) {
        const score = CELL_SCORES[j]!;
        XY[2] = score;
        decodeScoreSlot(XY);
        const lon = XY[0]!, lat = XY[1]!;
        let dist: number;
        if (circle) {
          const d = circleDistance(shape, lon, lat);
          if (d < 0) continue;
          dist = needDist ? d : 0;
        } else {
          if (!inShape(shape, lon, lat)) continue;
          dist = needDist ? approxDistance(shape, lon, lat) : 0;
        }
        if (n === PT_LON.length) growPoints();
        PT_LON[n] = lon; PT_LAT[n] = lat; PT_DIST[n] = dist; PT_SCORE[n] = score; PT_MEMBER[n] = CELL_MEMBERS[j]!;
        n++;
        if (limit && n >= limit) break;
      }
      // the cell's members stay referenced only until the next cell or search overwrites them
      if (CELL_MEMBERS.length > m) CELL_MEMBERS.length = m;
    }
    last = i;
  }
  const found = new Array<number>(n);
  for (let i = 0; i < n; i++) found[i] = i;
  // the members stay referenced until the next search overwrites them: drop what this one added past the last
  if (PT_MEMBER.length > n) PT_MEMBER.length = n;
  return found;
}
