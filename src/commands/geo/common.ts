/*
 * Helpers shared by the GEO commands (geo.c's argument helpers and reply
 * formats). A geo set is a plain sorted set whose scores are 52-bit geohashes
 * (types/geohash.ts); these commands only read it through the zset API, and
 * GEOADD writes it through ZADD.
 *
 * Replies: distances as fixedpoint_d2string(d, 4) (llrint of d * 10^4, so
 * ties go to even) in a bulk string; coordinates as addReplyHumanLongDouble
 * (the double as a long double printed %.17Lf, trailing zeros dropped), a
 * bulk string in RESP2 and a RESP3 double.
 */
import type { Client } from '../../server/client.js';
import type { ArgDoc } from '../registry.js';
import {
  ERR_GEO_BOX_NEGATIVE, ERR_GEO_HEIGHT_FLOAT, ERR_GEO_RADIUS_FLOAT, ERR_GEO_RADIUS_NEGATIVE, ERR_GEO_UNIT,
  ERR_GEO_WIDTH_FLOAT, ERR_NOT_FLOAT, cstr, errGeoLonLat,
} from '../../protocol/errors.js';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from '../../types/geohash.js';
import { formatDoubleFixed, formatHuman, ldFromDouble } from '../../types/longdouble.js';
import { toDouble } from '../args.js';

export { readZset } from '../zset/common.js';

/** An option as strcasecmp sees it: up to its first NUL, lowercased. */
export const keyword = (s: string): string => (s.length > 16 ? cstr(s, 17) : cstr(s)).toLowerCase();

/** getDoubleFromObjectOrReply: the double, or null after replying `msg`. */
export function getDouble(c: Client, s: string, msg = ERR_NOT_FLOAT): number | null {
  const d = toDouble(s);
  if (d === null) c.error(msg);
  return d;
}

/** extractLongLatOrReply: [longitude, latitude] from two arguments, or null after replying. */
export function parseLonLat(c: Client, lonArg: string, latArg: string): [number, number] | null {
  const x = getDouble(c, lonArg);
  if (x === null) return null;
  const y = getDouble(c, latArg);
  if (y === null) return null;
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    c.error(errGeoLonLat(formatDoubleFixed(x, 6), formatDoubleFixed(y, 6)));
    return null;
  }
  return [x, y];
}

/** extractUnitOrReply: meters per unit, or -1 after replying. */
export function parseUnit(c: Client, s: string): number {
  const u = keyword(s);
  if (u === 'm') return 1;
  if (u === 'km') return 1000;
  if (u === 'ft') return 0.3048;
  if (u === 'mi') return 1609.34;
  c.error(ERR_GEO_UNIT);
  return -1;
}

/** extractDistanceOrReply: radius and unit, or null after replying. */
export function parseRadius(c: Client, radiusArg: string, unitArg: string): { radius: number; conversion: number } | null {
  const radius = getDouble(c, radiusArg, ERR_GEO_RADIUS_FLOAT);
  if (radius === null) return null;
  if (radius < 0) { c.error(ERR_GEO_RADIUS_NEGATIVE); return null; }
  const conversion = parseUnit(c, unitArg);
  return conversion < 0 ? null : { radius, conversion };
}

/** extractBoxOrReply: width, height and unit, or null after replying. */
export function parseBox(c: Client, wArg: string, hArg: string, unitArg: string): { width: number; height: number; conversion: number } | null {
  const width = getDouble(c, wArg, ERR_GEO_WIDTH_FLOAT);
  if (width === null) return null;
  const height = getDouble(c, hArg, ERR_GEO_HEIGHT_FLOAT);
  if (height === null) return null;
  if (height < 0 || width < 0) { c.error(ERR_GEO_BOX_NEGATIVE); return null; }
  const conversion = parseUnit(c, unitArg);
  return conversion < 0 ? null : { width, height, conversion };
}

/** llrint: round half to even (distances are far inside the safe integer range). */
function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** fixedpoint_d2string(d, 4): a distance with exactly 4 decimals. */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const v = rint(d * 10000);
  const neg = v < 0;
  const s = String(Math.abs(v)).padStart(5, '0');
  return (neg ? '-' : '') + s.slice(0, s.length - 4) + '.' + s.slice(s.length - 4);
}

/**
 * addReplyDoubleDistance of a distance known as `approx` (fastDistance in
 * the unit): the exact one is computed only when the two could print
 * differently (approx * 10^4 near a half).
 */
export function replyApproxDistance(c: Client, approx: number, exact: () => number): void {
  const v = approx * 10000;
  const frac = v - Math.floor(v);
  c.bulk(formatDistance(Math.abs(frac - 0.5) < Math.max(1e-9, v * 1e-12) ? exact() : approx));
}

/**
 * ld2string(LD_STR_HUMAN) of a double: %.17Lf, trailing zeros and a bare '.'
 * dropped, "-0" as "0". toFixed(17) rounds the exact value as printf does
 * except on an exact tie (it rounds up, printf to even): a double whose
 * lowest set bit is 2^-18; those take the exact long double path.
 */
export function formatCoord(d: number): string {
  const t = d * 262144; // 2^18, exact
  if (Number.isFinite(d) && Math.abs(d) < 1e20 && !(Number.isInteger(t) && !Number.isInteger(t / 2) && !Number.isInteger(d * 131072))) {
    let s = d.toFixed(17);
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
    return s === '-0' ? '0' : s;
  }
  return formatHuman(ldFromDouble(d));
}

/** addReplyHumanLongDouble of a double coordinate */
export function replyCoord(c: Client, d: number): void {
  const s = formatCoord(d);
  if (c.resp === 3) c.raw(',' + s + '\r\n'); else c.bulk(s);
}

// ---- COMMAND DOCS argument blocks ------------------------------------------------

export const UNIT_TOKENS: readonly ArgDoc[] = [
  { name: 'm', type: 'pure-token', token: 'M' }, { name: 'km', type: 'pure-token', token: 'KM' },
  { name: 'ft', type: 'pure-token', token: 'FT' }, { name: 'mi', type: 'pure-token', token: 'MI' },
];
const UNIT: ArgDoc = { name: 'unit', type: 'oneof', arguments: UNIT_TOKENS };
const WITH: readonly ArgDoc[] = [
  { name: 'withcoord', token: 'WITHCOORD', type: 'pure-token', optional: true },
  { name: 'withdist', token: 'WITHDIST', type: 'pure-token', optional: true },
  { name: 'withhash', token: 'WITHHASH', type: 'pure-token', optional: true },
];
const countBlock = (anySince: boolean): ArgDoc => ({
  name: 'count', type: 'block', optional: true, arguments: [
    { token: 'COUNT', name: 'count', type: 'integer' },
    anySince ? { name: 'any', token: 'ANY', type: 'pure-token', optional: true, since: '6.2.0' } : { name: 'any', token: 'ANY', type: 'pure-token', optional: true },
  ],
});
const ORDER: ArgDoc = { name: 'order', type: 'oneof', optional: true, arguments: [{ name: 'asc', type: 'pure-token', token: 'ASC' }, { name: 'desc', type: 'pure-token', token: 'DESC' }] };
const STORE_KEYS: readonly ArgDoc[] = [
  { token: 'STORE', name: 'key', type: 'key', key_spec_index: 1, optional: true },
  { token: 'STOREDIST', name: 'key', type: 'key', key_spec_index: 2, optional: true },
];

/** GEORADIUS / GEORADIUSBYMEMBER (and _RO) arguments after the centre */
export function radiusArgs(center: readonly ArgDoc[], anySince: boolean, store: boolean): ArgDoc[] {
  return [
    { name: 'key', type: 'key', key_spec_index: 0 }, ...center, { name: 'radius', type: 'double' }, UNIT,
    ...WITH, countBlock(anySince), ORDER, ...(store ? STORE_KEYS : []),
  ];
}

/** GEOSEARCH / GEOSEARCHSTORE arguments after the key(s) */
export const SEARCH_ARGS: readonly ArgDoc[] = [
  { name: 'from', type: 'oneof', arguments: [
    { token: 'FROMMEMBER', name: 'member', type: 'string' },
    { token: 'FROMLONLAT', name: 'longitude_latitude', type: 'block', arguments: [{ name: 'longitude', type: 'double' }, { name: 'latitude', type: 'double' }] },
  ] },
  { name: 'by', type: 'oneof', arguments: [
    { name: 'circle', type: 'block', arguments: [{ token: 'BYRADIUS', name: 'radius', type: 'double' }, UNIT] },
    { name: 'box', type: 'block', arguments: [{ token: 'BYBOX', name: 'width', type: 'double' }, { name: 'height', type: 'double' }, UNIT] },
  ] },
  ORDER,
  countBlock(false),
];
export const SEARCH_WITH = WITH;
