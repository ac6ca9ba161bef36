/*
 * Geohash arithmetic as Redis's GEO commands do it (geohash.c,
 * geohash_helper.c), reproduced step by step so every score, box and
 * distance comes out bit for bit the same:
 *
 * - A position is stored as a sorted set score: the latitude and longitude
 *   offsets in their ranges ([-85.05112878, 85.05112878], [-180, 180]) scaled
 *   to 26 bits each and interleaved, latitude on the even bits, longitude on
 *   the odd ones (a 52-bit integer; 53-54 bits at the exact upper edges, as
 *   in Redis, where the score then goes through a decimal string and strtod,
 *   i.e. is rounded to the nearest double).
 * - Decoding turns any score into a cell (the double converted to uint64 as
 *   x86-64 C does it, so odd scores decode as in Redis) and its centre,
 *   clamped to the ranges; it never fails.
 * - A search area is a centre cell at an estimated precision plus its eight
 *   neighbours (some dropped when the bounding box does not reach them),
 *   each scanned as the score range [cell << (52 - 2*step), (cell + 1) << ...).
 * - Distances use the haversine formula with Redis's earth radius, with
 *   correctly rounded sin/cos/asin (types/crmath.ts) as glibc's libm gives
 *   them (almost always; V8's own are one ulp off far more often).
 *
 * 64-bit hashes are handled as two uint32 halves on the hot paths (encoding a
 * position, decoding a score) and as BigInt for the few per-query cells.
 */

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

/** the earth's quadratic mean radius for WGS-84, in meters */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
import { crAsin, crCos, crSin } from './crmath.js';

const TWO32 = 4294967296;
const TWO53 = 2 ** 53;
const TWO63 = 2 ** 63;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

export interface GeoRange { min: number; max: number }
/** a cell: `step` bits per coordinate, interleaved in `bits` (bits 0 and step 0: none) */
export interface GeoHashBits { bits: bigint; step: number }
export interface GeoArea { lon: GeoRange; lat: GeoRange }

const WGS84_LON: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** the standard geohash ranges (GEOHASH's string) */
const STD_LON: GeoRange = { min: -180, max: 180 };
const STD_LAT: GeoRange = { min: -90, max: 90 };

// ---- bit interleaving ---------------------------------------------------------

/** The 16 low bits of v spread onto the even bits of a uint32. */
function spread16(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** The even bits of a uint32 gathered into 16 bits. */
function compact16(w: number): number {
  let x = w & 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** interleave64(lat, lon) as [hi, lo] uint32 halves: lat on even bits, lon on odd bits. */
function interleave(lat: number, lon: number): [number, number] {
  const lo = (spread16(lat & 0xffff) | (spread16(lon & 0xffff) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  return [hi, lo];
}

/** The [lat, lon] uint32 indices of a 64-bit hash given as halves. */
function deinterleave(hi: number, lo: number): [number, number] {
  const lat = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const lon = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  return [lat, lon];
}

const halvesOf = (b: bigint): [number, number] => [Number((b >> 32n) & 0xffffffffn), Number(b & 0xffffffffn)];
const bigOf = (hi: number, lo: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);

// ---- encode / decode ------------------------------------------------------------

/** geohashEncode: the cell of a position at `step` bits, or null when out of the ranges. */
function encodeHalves(lonR: GeoRange, latR: GeoRange, lon: number, lat: number, step: number): [number, number] | null {
  if (step > 32 || step === 0) return null;
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latR.min || lat > latR.max || lon < lonR.min || lon > lonR.max) return null;
  let latOff = (lat - latR.min) / (latR.max - latR.min);
  let lonOff = (lon - lonR.min) / (lonR.max - lonR.min);
  latOff *= 2 ** step;
  lonOff *= 2 ** step;
  // the C conversion to uint32_t truncates
  return interleave(Math.trunc(latOff) >>> 0, Math.trunc(lonOff) >>> 0);
}

function encode(lonR: GeoRange, latR: GeoRange, lon: number, lat: number, step: number): GeoHashBits | null {
  const h = encodeHalves(lonR, latR, lon, lat, step);
  return h === null ? null : { bits: bigOf(h[0], h[1]), step };
}

/** A valid WGS84 position's score: the 52-bit hash as a double, and its decimal integer (what GEOADD hands ZADD). */
export function geoScore(lon: number, lat: number): { score: number; text: string } {
  const [hi, lo] = encodeHalves(WGS84_LON, WGS84_LAT, lon, lat, GEO_STEP_MAX)!;
  const score = hi * TWO32 + lo; // one correctly rounded addition: the value strtod gives for the decimal
  const text = score < TWO53 ? String(score) : bigOf(hi, lo).toString();
  return { score, text };
}

/** geohashDecode: the area of cell indices (lat, lon) at `step` bits. */
function decodeArea(lonR: GeoRange, latR: GeoRange, latIdx: number, lonIdx: number, step: number): GeoArea {
  const latScale = latR.max - latR.min;
  const lonScale = lonR.max - lonR.min;
  const div = 2 ** step;
  // (idx + 1) is uint32 arithmetic in C
  return {
    lat: { min: latR.min + (latIdx * 1.0 / div) * latScale, max: latR.min + (((latIdx + 1) >>> 0) * 1.0 / div) * latScale },
    lon: { min: lonR.min + (lonIdx * 1.0 / div) * lonScale, max: lonR.min + (((lonIdx + 1) >>> 0) * 1.0 / div) * lonScale },
  };
}

function decodeCell(h: GeoHashBits): GeoArea {
  const [hi, lo] = halvesOf(h.bits);
  const [lat, lon] = deinterleave(hi, lo);
  return decodeArea(WGS84_LON, WGS84_LAT, lat, lon, h.step);
}

/** (uint64_t)d as gcc compiles it on x86-64 (cvttsd2si; out of range gives 2^63, or 0 from the >= 2^63 path), as halves. */
function scoreHalves(d: number): [number, number] {
  if (d >= 0 && d < TWO53) {
    const t = Math.trunc(d);
    const hi = Math.floor(t / TWO32);
    return [hi, t - hi * TWO32];
  }
  let v: bigint;
  if (!(d >= TWO63)) {
    v = d >= -TWO63 ? BigInt.asUintN(64, BigInt(Math.trunc(d))) : 1n << 63n;
  } else {
    const r = d - TWO63;
    v = r < TWO63 ? BigInt(Math.trunc(r)) + (1n << 63n) : 0n;
  }
  return halvesOf(v);
}

/**
 * decodeGeohash into out[0] (longitude) and out[1] (latitude), with no allocation for a score in [0, 2^53) (every
 * GEOADD score): the cell centre at GEO_STEP_MAX bits on the WGS84 ranges (geohashDecode's steps), clamped.
 */
export function decodeScoreInto(score: number, out: Float64Array): void {
  if (!(score >= 0 && score < TWO53)) { decodeOddScoreInto(score, out); return; }
  const hi = Math.floor(score / TWO32);
  // as int32s (the low half's bits, wrapped): a double or a uint32 past 2^31 crossing a call goes as a new heap number
  decodeIndices(hi | 0, (score - hi * TWO32) | 0, out);
}

/** decodeScoreInto(out[2], out): the score in a slot of `out`, for a loop over many points (no double crosses the call). */
export function decodeScoreSlot(out: Float64Array): void {
  decodeScoreInto(out[2]!, out);
}

/** decodeScoreInto for a score outside [0, 2^53) (BigInt on the way: never a GEOADD score) */
function decodeOddScoreInto(score: number, out: Float64Array): void {
  const [hi, lo] = scoreHalves(score);
  decodeIndices(hi | 0, lo | 0, out);
}

/** latitude / longitude cell sizes at GEO_STEP_MAX bits: the ranges over 2^26 */
const CELL_DIV = 67108864;
const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;
const LON_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;

/** hi, lo: the score's 32-bit halves as int32s (only their bits are read) */
function decodeIndices(hi: number, lo: number, out: Float64Array): void {
  const latIdx = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const lonIdx = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  // geohashDecode on the WGS84 ranges; (idx + 1) is uint32 arithmetic in C
  const latMin = GEO_LAT_MIN + (latIdx / CELL_DIV) * LAT_SCALE;
  const latMax = GEO_LAT_MIN + (((latIdx + 1) >>> 0) / CELL_DIV) * LAT_SCALE;
  const lonMin = GEO_LONG_MIN + (lonIdx / CELL_DIV) * LON_SCALE;
  const lonMax = GEO_LONG_MIN + (((lonIdx + 1) >>> 0) / CELL_DIV) * LON_SCALE;
  let x = (lonMin + lonMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (latMin + latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  out[0] = x; out[1] = y;
}

const DECODED = new Float64Array(2);

/** decodeGeohash: the [longitude, latitude] a score stands for (cell centre, clamped to the ranges). */
export function decodeScore(score: number): [number, number] {
  decodeScoreInto(score, DECODED);
  return [DECODED[0]!, DECODED[1]!];
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** GEOHASH's 11-character string: the decoded position re-encoded on the standard ranges (the 11th char is always '0'). */
export function geohashString(score: number): string {
  const [x, y] = decodeScore(score);
  const h = encodeHalves(STD_LON, STD_LAT, x, y, GEO_STEP_MAX)!;
  const bits = bigOf(h[0], h[1]);
  let s = '';
  for (let i = 0; i < 10; i++) s += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return s + '0';
}

/** (long long)d as x86-64 converts it (out of range: LLONG_MIN), for WITHHASH. */
export function scoreAsLongLong(d: number): string {
  if (!(d >= -TWO63 && d < TWO63)) return '-9223372036854775808';
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? String(t) : BigInt(t).toString();
}

// ---- distances ------------------------------------------------------------------

/** Distance along a meridian. */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: haversine great circle distance in meters, with the correctly rounded sin/cos/asin. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = crSin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = crSin((lat2r - lat1r) / 2);
  const a = u * u + crCos(lat1r) * crCos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(a));
}

/** geoDistance with V8's Math functions: within a few ulps of it, several times faster (filtering, sorting, 4-decimal replies). */
export function fastDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** fastDistance(...) > limit, decided with geoDistance when the two could disagree. */
function beyond(limit: number, lon1d: number, lat1d: number, lon2d: number, lat2d: number): boolean {
  return beyondGiven(fastDistance(lon1d, lat1d, lon2d, lat2d), limit, lon1d, lat1d, lon2d, lat2d);
}

/** beyond() with fastDistance(...) already known as d */
function beyondGiven(d: number, limit: number, lon1d: number, lat1d: number, lon2d: number, lat2d: number): boolean {
  if (Math.abs(d - limit) > 1e-11 * Math.max(d, limit)) return d > limit;
  return geoDistance(lon1d, lat1d, lon2d, lat2d) > limit;
}

/**
 * inShape for a circle, with the sort key approxDistance() would give: that distance when the point is inside,
 * -1 when it is not (one fastDistance per point instead of two).
 */
export function circleDistance(s: GeoShape, x: number, y: number): number {
  const cx = s.xy[0], cy = s.xy[1];
  const d = fastDistance(cx, cy, x, y);
  return beyondGiven(d, s.radius * s.conversion, cx, cy, x, y) ? -1 : d;
}

// ---- search shapes ------------------------------------------------------------

/** A search area: centre [lon, lat], a radius or a width/height (in `conversion` units: multiply to get meters). */
export interface GeoShape {
  circle: boolean;
  xy: [number, number];
  conversion: number;
  radius: number;
  width: number;
  height: number;
}

/**
 * geoWithinShape after decoding: whether the point is inside the shape.
 * Distances for replies come from geoDistance(centre, point) afterwards
 * (only for the points returned).
 */
export function inShape(s: GeoShape, x: number, y: number): boolean {
  if (s.circle) return !beyond(s.radius * s.conversion, s.xy[0], s.xy[1], x, y);
  const w = s.width * s.conversion;
  const h = s.height * s.conversion;
  if (latDistance(y, s.xy[1]) > h / 2) return false;
  return !beyond(w / 2, x, y, s.xy[0], y);
}

/** A sort key for distances from the centre: fastDistance (ties between different points aside, the same order). */
export function approxDistance(s: GeoShape, x: number, y: number): number {
  return fastDistance(s.xy[0], s.xy[1], x, y);
}

/** geohashEstimateStepsByRadius: cell precision for a search of this radius. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat] of the shape. */
function boundingBox(s: GeoShape): [number, number, number, number] {
  const [lon, lat] = s.xy;
  const height = s.conversion * (s.circle ? s.radius : s.height / 2);
  const width = s.conversion * (s.circle ? s.radius : s.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / crCos(degRad(lat - latDelta)));
  const south = lat < 0;
  return [
    south ? lon - lonDeltaBottom : lon - lonDeltaTop,
    lat - latDelta,
    south ? lon + lonDeltaBottom : lon + lonDeltaTop,
    lat + latDelta,
  ];
}

const EVEN = 0x5555555555555555n;
const ODD = 0xaaaaaaaaaaaaaaaan;

/** geohash_move_x / geohash_move_y: the cell d (+1/-1) steps east (x) or north (y), wrapping. */
function move(h: GeoHashBits, d: number, xAxis: boolean): GeoHashBits {
  const shift = BigInt(64 - h.step * 2);
  const mine = h.bits & (xAxis ? ODD : EVEN);
  const other = h.bits & (xAxis ? EVEN : ODD);
  const zz = (xAxis ? EVEN : ODD) >> shift;
  const moved = d > 0 ? mine + (zz + 1n) : (mine | zz) - (zz + 1n);
  return { bits: (moved & ((xAxis ? ODD : EVEN) >> shift)) | other, step: h.step };
}

const ZERO_CELL: GeoHashBits = { bits: 0n, step: 0 };

/**
 * geohashCalculateAreasByShapeWGS84 + membersOfAllNeighbors' order: the cells
 * to scan, centre first then N, S, E, W, NE, NW, SE, SW; dropped neighbours
 * are ZERO cells (bits 0, step 0).
 */
export function searchCells(s: GeoShape): GeoHashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  const [lon, lat] = s.xy;
  const radiusMeters = (s.circle ? s.radius : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))) * s.conversion;
  let steps = estimateSteps(radiusMeters, lat);

  const around = (st: number): { hash: GeoHashBits; n: GeoHashBits[] } => {
    const hash = encode(WGS84_LON, WGS84_LAT, lon, lat, st) ?? { bits: 0n, step: st };
    const east = move(hash, 1, true);
    const west = move(hash, -1, true);
    const north = move(hash, 1, false);
    const south = move(hash, -1, false);
    return {
      hash,
      // north, south, east, west, north_east, north_west, south_east, south_west
      n: [north, south, east, west, move(move(hash, 1, true), 1, false), move(move(hash, -1, true), 1, false),
        move(move(hash, 1, true), -1, false), move(move(hash, -1, true), -1, false)],
    };
  };

  let { hash, n } = around(steps);
  const north = decodeCell(n[0]!);
  const south = decodeCell(n[1]!);
  const east = decodeCell(n[2]!);
  const west = decodeCell(n[3]!);
  const decrease = north.lat.max < maxLat || south.lat.min > minLat || east.lon.max < maxLon || west.lon.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    ({ hash, n } = around(steps));
  }
  const area = decodeCell(hash);
  if (steps >= 2) {
    const drop = (...idx: number[]): void => { for (const i of idx) n[i] = ZERO_CELL; };
    if (area.lat.min < minLat) drop(1, 6, 7); // south, south_west, south_east
    if (area.lat.max > maxLat) drop(0, 4, 5); // north, north_east, north_west
    if (area.lon.min < minLon) drop(3, 7, 5); // west, south_west, north_west
    if (area.lon.max > maxLon) drop(2, 6, 4); // east, south_east, north_east
  }
  // scan order: self, N, S, E, W, NE, NW, SE, SW
  return [hash, n[0]!, n[1]!, n[2]!, n[3]!, n[4]!, n[5]!, n[6]!, n[7]!];
}

/** scoresOfGeoHashBox: the score range [min, max) of every position inside the cell. */
export function cellScores(h: GeoHashBits): [number, number] {
  const shift = BigInt(52 - h.step * 2);
  const min = BigInt.asUintN(64, h.bits << shift);
  const max = BigInt.asUintN(64, (h.bits + 1n) << shift);
  return [Number(min), Number(max)];
}

export const isZeroCell = (h: GeoHashBits): boolean => h.bits === 0n && h.step === 0;
