/*
 * Differential tests of the geo group against a real redis-server, reply
 * bytes compared: GEOADD (NX/XX/CH, every error), the stored scores (ZSCORE:
 * the exact 52-bit geohash, edge coordinates included), GEOPOS / GEOHASH /
 * GEODIST (units, odd scores set by ZADD), GEOSEARCH / GEOSEARCHSTORE and
 * GEORADIUS[BYMEMBER][_RO] over a seeded random point set in both encodings
 * (radius and box, ASC/DESC, COUNT [ANY], WITH*, STORE/STOREDIST, huge
 * radii, the poles and the antimeridian), option errors in Redis's order,
 * arity, WRONGTYPE, RESP3 shapes, keyspace events and what gets propagated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { usePair, type Arg, type PairClient } from '../helpers/pair.js';
import { skipWithoutRedis } from '../helpers/servers.js';
import { NodisStream, ReplStream, type Argv } from '../helpers/repl-stream.js';
import type { RawClient } from '../helpers/resp-client.js';

/** A seeded point set: [lon, lat, member] triples (printed with 6-7 decimals, as a client would send). */
function points(seed: number, n: number, lon: number, lat: number, spread: number): string[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.max(-180, Math.min(180, lon + (rnd() * 2 - 1) * spread));
    const y = Math.max(-85.051128, Math.min(85.051128, lat + (rnd() * 2 - 1) * spread));
    out.push(x.toFixed(7), y.toFixed(6), `p${seed}-${i}`);
  }
  return out;
}

const SICILY: Arg[] = [13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania', 12.758489, 38.788135, 'edge1', 17.241510, 38.222244, 'edge2'];

describe('geo', { skip: skipWithoutRedis() }, () => {
  const p = usePair({ redis: ['repl-ping-replica-period 3600', 'repl-diskless-sync no'] });

  test('GEOADD: options, replies, scores equal to Redis (ZSCORE), errors', async () => {
    const c = await p.client();
    await c.do('GEOADD', 'g', ...SICILY);
    await c.do('ZRANGE', 'g', 0, -1, 'WITHSCORES');
    await c.do('GEOADD', 'g', 'NX', 13.5, 38.1, 'Palermo', 14, 37, 'new1');
    await c.do('GEOADD', 'g', 'XX', 13.5, 38.1, 'Palermo', 14, 37, 'new2');
    await c.do('GEOADD', 'g', 'XX', 'CH', 13.6, 38.1, 'Palermo', 14, 37, 'new3');
    await c.do('GEOADD', 'g', 'CH', 13.6, 38.1, 'Palermo', 14.5, 37, 'new1', 1, 1, 'new4');
    await c.do('GEOADD', 'g', 'ch', 'nx', 'ch', 1, 1, 'new4', 2, 2, 'new5');
    await c.do('GEOADD', 'missing', 'XX', 1, 1, 'a');
    await c.do('EXISTS', 'missing');
    await c.do('ZRANGE', 'g', 0, -1, 'WITHSCORES');
    // edge coordinates: the limits themselves, the antimeridian, zero, tiny values
    const edges: Arg[] = [180, 85.05112878, 'ne', -180, -85.05112878, 'sw', 180, -85.05112878, 'se', -180, 85.05112878, 'nw',
      0, 0, 'zero', -0, '-0', 'negzero', 179.99999999, 85.0511287, 'almost', '1e-300', '-1e-300', 'tiny', 45, '0x1p-2', 'hex',
      '-179.9999999', '85.05112877999', 'w', 100.123456789, -45.987654321, 'x'];
    await c.do('GEOADD', 'e', ...edges);
    await c.do('ZRANGE', 'e', 0, -1, 'WITHSCORES');
    for (let i = 2; i < edges.length; i += 3) await c.do('ZSCORE', 'e', edges[i]!);
    await c.do('GEOPOS', 'e', ...edges.filter((_, i) => i % 3 === 2), 'nope');
    await c.do('GEOHASH', 'e', ...edges.filter((_, i) => i % 3 === 2), 'nope');
    // many points at once: listpack and skiplist
    await c.do('GEOADD', 'big', ...points(7, 200, 0, 0, 179));
    await c.do('OBJECT', 'ENCODING', 'big');
    await c.do('ZRANGE', 'big', 0, -1, 'WITHSCORES');

    await c.error('ERR syntax error', 'GEOADD', 'g', 'NX', 'XX', 1, 1, 'a');
    await c.error('ERR syntax error', 'GEOADD', 'g', 1, 1, 'a', 2);
    await c.error('ERR syntax error', 'GEOADD', 'g', 'CH', 'CH', 'CH');
    await c.error('ERR syntax error', 'GEOADD', 'g', 'GT', 1, 1, 'a');
    await c.error('ERR value is not a valid float', 'GEOADD', 'g', 'GT', 1, 1);
    await c.error('ERR value is not a valid float', 'GEOADD', 'g', 'x', 1, 'a');
    await c.error('ERR value is not a valid float', 'GEOADD', 'g', 1, 'nan', 'a');
    await c.error('ERR value is not a valid float', 'GEOADD', 'g', 1, ' 1', 'a');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', 1, 1, 'ok', 181, 0, 'bad');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', 0, 85.05112879, 'bad');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', '-0', -90, 'bad');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', 'inf', '-inf', 'bad');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', '1e300', 0.0078125, 'bad');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', '-180.0000001', '-1e-7', 'bad');
    await c.error('ERR invalid longitude,latitude pair', 'GEOADD', 'g', 200, '0.0000005', 'bad');
    await c.do('ZCARD', 'g');
    await c.error('ERR wrong number of arguments', 'GEOADD', 'g', 1, 1);
    await c.do('SET', 's', 'x');
    await c.error('WRONGTYPE', 'GEOADD', 's', 1, 1, 'a');
  });

  test('GEOPOS / GEOHASH / GEODIST: replies, odd scores, units, errors', async () => {
    const c = await p.client();
    await c.do('GEOADD', 'g', ...SICILY);
    await c.do('GEOPOS', 'g', 'Palermo', 'Catania', 'nope');
    await c.do('GEOPOS', 'nokey', 'a', 'b');
    await c.do('GEOPOS', 'g');
    await c.do('GEOHASH', 'g', 'Palermo', 'Catania', 'nope');
    await c.do('GEOHASH', 'nokey', 'a');
    await c.do('GEOHASH', 'g');
    for (const unit of [[], ['m'], ['km'], ['KM'], ['mi'], ['Ft'], ['M']]) {
      await c.do('GEODIST', 'g', 'Palermo', 'Catania', ...unit);
      await c.do('GEODIST', 'g', 'edge1', 'edge2', ...unit);
    }
    await c.do('GEODIST', 'g', 'Palermo', 'Palermo');
    await c.do('GEODIST', 'g', 'Palermo', 'nope');
    await c.do('GEODIST', 'g', 'nope', 'Palermo', 'km');
    await c.do('GEODIST', 'nokey', 'a', 'b');
    await c.error('ERR unsupported unit provided. please use M, KM, FT, MI', 'GEODIST', 'g', 'Palermo', 'Catania', 'yd');
    await c.error('ERR unsupported unit provided', 'GEODIST', 'nokey', 'a', 'b', 'kms');
    await c.error('ERR syntax error', 'GEODIST', 'g', 'Palermo', 'Catania', 'km', 'x');
    await c.error('ERR wrong number of arguments', 'GEODIST', 'g', 'Palermo');
    await c.error('ERR wrong number of arguments', 'GEOPOS');
    await c.error('ERR wrong number of arguments', 'GEOHASH');
    await c.do('SET', 's', 'x');
    await c.error('WRONGTYPE', 'GEOPOS', 's', 'a');
    await c.error('WRONGTYPE', 'GEOHASH', 's', 'a');
    await c.error('WRONGTYPE', 'GEODIST', 's', 'a', 'b');
    await c.error('ERR unsupported unit', 'GEODIST', 's', 'a', 'b', 'x');
    // scores no GEOADD would write: decoded as Redis decodes them
    await c.do('ZADD', 'odd', -1, 'neg', 1.5, 'frac', 0, 'zero', 1e20, 'huge', '+inf', 'pinf', '-inf', 'ninf',
      2 ** 53, 'two53', 2 ** 52, 'two52', 4503599627370495, 'max52', '9223372036854775808', 'two63', -9.3e18, 'verylow');
    const odd = ['neg', 'frac', 'zero', 'huge', 'pinf', 'ninf', 'two53', 'two52', 'max52', 'two63', 'verylow'];
    await c.do('GEOPOS', 'odd', ...odd);
    await c.do('GEOHASH', 'odd', ...odd);
    for (let i = 1; i < odd.length; i++) await c.do('GEODIST', 'odd', odd[i - 1]!, odd[i]!, 'km');
    await c.do('GEOSEARCH', 'odd', 'FROMMEMBER', 'zero', 'BYRADIUS', 100, 'km', 'WITHHASH', 'WITHCOORD', 'WITHDIST');
    // RESP3: coordinates are doubles, distances stay bulk strings
    await c.both('HELLO', '3');
    await c.do('GEOPOS', 'g', 'Palermo', 'nope');
    await c.do('GEOPOS', 'odd', ...odd);
    await c.do('GEOHASH', 'g', 'Palermo', 'nope');
    await c.do('GEODIST', 'g', 'Palermo', 'Catania');
    await c.do('GEODIST', 'g', 'Palermo', 'nope');
    await c.do('GEODIST', 'nokey', 'a', 'b');
  });

  /** The same searches on a listpack and a skiplist copy of the data. */
  async function searchBoth(c: PairClient, body: () => Promise<void>): Promise<void> {
    for (const entries of [1000, 0]) {
      await c.do('CONFIG', 'SET', 'zset-max-listpack-entries', entries);
      await c.do('DEL', 'pts');
      await c.do('GEOADD', 'pts', ...points(1, 150, 13, 38, 3), ...points(2, 60, 0, 0, 179), ...points(3, 40, 179, 84, 1.5),
        ...points(4, 40, -179.5, -84.5, 1), ...SICILY);
      await c.do('OBJECT', 'ENCODING', 'pts');
      await body();
    }
    await c.do('CONFIG', 'SET', 'zset-max-listpack-entries', 128);
  }

  test('GEOSEARCH: centres, shapes, order, COUNT [ANY], WITH*', async () => {
    const c = await p.client();
    await searchBoth(c, async () => {
      const from: Arg[][] = [['FROMMEMBER', 'Palermo'], ['FROMLONLAT', 13, 38], ['FROMLONLAT', 179.9, 84.9], ['FROMLONLAT', -180, -85.05112878],
        ['FROMLONLAT', 0, 0], ['FROMMEMBER', 'p3-0'], ['FROMLONLAT', 180, 0]];
      const by: Arg[][] = [['BYRADIUS', 200, 'km'], ['BYRADIUS', 50, 'MI'], ['BYRADIUS', 0, 'm'], ['BYRADIUS', 300000, 'ft'],
        ['BYBOX', 400, 200, 'km'], ['BYBOX', 50, 500, 'KM'], ['BYBOX', 0, 0, 'm'], ['BYRADIUS', 6000, 'km'], ['BYRADIUS', 15000, 'km'],
        ['BYBOX', 40000, 20000, 'km']];
      for (const f of from) {
        for (const b of by) {
          await c.do('GEOSEARCH', 'pts', ...f, ...b);
          await c.do('GEOSEARCH', 'pts', ...f, ...b, 'ASC', 'WITHDIST', 'WITHCOORD', 'WITHHASH');
        }
      }
      const f: Arg[] = ['FROMLONLAT', 13.2, 38.3];
      await c.do('GEOSEARCH', 'pts', ...f, 'BYRADIUS', 150, 'km', 'DESC', 'WITHDIST');
      await c.do('GEOSEARCH', 'pts', ...f, 'BYRADIUS', 150, 'km', 'COUNT', 5);
      await c.do('GEOSEARCH', 'pts', ...f, 'BYRADIUS', 150, 'km', 'COUNT', 5, 'DESC', 'WITHCOORD');
      await c.do('GEOSEARCH', 'pts', ...f, 'BYRADIUS', 150, 'km', 'COUNT', 5, 'ANY');
      await c.do('GEOSEARCH', 'pts', ...f, 'BYRADIUS', 150, 'km', 'COUNT', 5, 'ANY', 'ASC', 'WITHDIST');
      await c.do('GEOSEARCH', 'pts', ...f, 'BYRADIUS', 500, 'km', 'ANY', 'COUNT', 1000, 'DESC');
      await c.do('GEOSEARCH', 'pts', ...f, 'BYBOX', 300, 300, 'km', 'COUNT', 3, 'WITHHASH');
      await c.do('GEOSEARCH', 'pts', 'withdist', 'frommember', 'Palermo', 'bybox', 1, 1, 'km', 'asc');
      await c.do('GEOSEARCH', 'pts', 'FROMLONLAT', 13, 38, 'BYRADIUS', 100, 'km', 'COUNT', 3, 'COUNT', 4, 'ASC', 'DESC');
      await c.do('GEOSEARCH', 'nokey', ...f, 'BYRADIUS', 150, 'km');
      await c.do('GEOSEARCH', 'nokey', 'FROMMEMBER', 'nope', 'BYRADIUS', 150, 'km');
    });
    await c.do('GEOADD', 'g', ...SICILY);
    await c.both('HELLO', '3');
    await c.do('GEOSEARCH', 'g', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH');
    await c.do('GEOSEARCH', 'g', 'FROMLONLAT', 15, 37, 'BYRADIUS', 1, 'm');
  });

  test('COUNT among equal distances: the same members as Redis (its partial quicksort)', async () => {
    const c = await p.client();
    const args: Arg[] = [];
    for (let i = 0; i < 120; i++) args.push(13 + (i % 7) * 0.001, 38 + (i % 3) * 0.0005, `m${i}`);
    await c.do('GEOADD', 't', ...args);
    for (const n of [1, 2, 5, 6, 7, 8, 12, 30, 41, 60, 119, 120, 500]) {
      await c.do('GEOSEARCH', 't', 'FROMLONLAT', 13.0031, 38.0004, 'BYRADIUS', 10, 'km', 'COUNT', n);
      await c.do('GEOSEARCH', 't', 'FROMLONLAT', 13.0031, 38.0004, 'BYRADIUS', 10, 'km', 'COUNT', n, 'DESC');
      await c.do('GEOSEARCHSTORE', 'd', 't', 'FROMLONLAT', 13.0031, 38.0004, 'BYRADIUS', 10, 'km', 'COUNT', n, 'STOREDIST');
      await c.do('ZRANGE', 'd', 0, -1, 'WITHSCORES');
    }
    await c.do('GEOSEARCH', 't', 'FROMLONLAT', 13.0031, 38.0004, 'BYRADIUS', 10, 'km', 'ASC');
    await c.do('GEOSEARCH', 't', 'FROMLONLAT', 13.0031, 38.0004, 'BYRADIUS', 10, 'km', 'DESC');
  });

  test('geo sets move between Nodis and Redis with DUMP / RESTORE', async () => {
    const c = await p.client();
    await c.do('CONFIG', 'SET', 'zset-max-listpack-entries', 128);
    for (const [key, data] of [['small', SICILY], ['large', points(9, 300, 10, 45, 20)]] as const) {
      await c.do('GEOADD', key, ...data);
      const ours = await c.ours.call('DUMP', key);
      const theirs = await c.theirs.call('DUMP', key);
      const payload = (raw: string): Buffer => {
        const nl = raw.indexOf('\r\n');
        return Buffer.from(raw.slice(nl + 2, nl + 2 + Number(raw.slice(1, nl))), 'latin1');
      };
      // each side restores the other's dump
      assert.equal(await c.ours.call('RESTORE', `${key}-r`, '0', payload(theirs)), '+OK\r\n');
      assert.equal(await c.theirs.call('RESTORE', `${key}-r`, '0', payload(ours)), '+OK\r\n');
      await c.do('ZRANGE', `${key}-r`, 0, -1, 'WITHSCORES');
      await c.do('GEOSEARCH', `${key}-r`, 'FROMLONLAT', 13, 40, 'BYRADIUS', 800, 'km', 'WITHCOORD', 'WITHDIST', 'ASC');
      await c.do('GEOHASH', `${key}-r`, 'Palermo', 'p9-3');
    }
  });

  test('GEOSEARCH / GEOSEARCHSTORE errors, in Redis order', async () => {
    const c = await p.client();
    await c.do('GEOADD', 'g', ...SICILY);
    await c.do('SET', 's', 'x');
    const e = async (prefix: string, ...args: Arg[]): Promise<void> => { await c.error(prefix, ...args); };
    await e('ERR wrong number of arguments', 'GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 10);
    await e('ERR wrong number of arguments', 'GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 10);
    await e('WRONGTYPE', 'GEOSEARCH', 's', 'FROMMEMBER', 'x', 'BYRADIUS', 'bad', 'km');
    await e('WRONGTYPE', 'GEOSEARCHSTORE', 'd', 's', 'FROMMEMBER', 'x', 'BYRADIUS', 'bad', 'km');
    await e('ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH', 'GEOSEARCH', 'g', 'BYRADIUS', 10, 'km', 'ASC', 'ASC');
    await e('ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geoSearch', 'geoSearch', 'g', 'BYRADIUS', 10, 'km', 'ASC', 'ASC');
    await e('ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH', 'GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'ASC', 'DESC', 'ASC');
    await e('ERR exactly one of BYRADIUS and BYBOX', 'GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'Palermo', 'ASC', 'DESC', 'ASC');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', 1, 2, 'BYRADIUS', 1, 'km');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'FROMMEMBER', 'Palermo', 'BYRADIUS', 1, 'km');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'BYRADIUS', 1, 'km', 'BYBOX', 1, 1, 'km');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'BYBOX', 1, 1, 'km', 'BYRADIUS', 1, 'km');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'BYRADIUS', 1, 'km', 'STORE', 'x');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'BYRADIUS', 1, 'km', 'STOREDIST');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'BYRADIUS', 1, 'km', 'COUNT');
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 2, 'BYRADIUS', 1);
    await e('ERR syntax error', 'GEOSEARCH', 'g', 'BYRADIUS', 1, 'km', 'FROMLONLAT', 1);
    await e('ERR could not decode requested zset member', 'GEOSEARCH', 'g', 'FROMMEMBER', 'nope', 'BYRADIUS', 'x', 'km');
    await e('ERR invalid longitude,latitude pair 1.000000,90.000000', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 90, 'BYRADIUS', 1, 'km');
    await e('ERR invalid longitude,latitude pair', 'GEOSEARCH', 'nokey', 'FROMLONLAT', 1, 90, 'BYRADIUS', 1, 'km');
    await e('ERR value is not a valid float', 'GEOSEARCH', 'g', 'FROMLONLAT', 'x', 1, 'BYRADIUS', 1, 'km');
    await e('ERR need numeric radius', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYRADIUS', 'x', 'km');
    await e('ERR need numeric radius', 'GEOSEARCH', 'nokey', 'FROMLONLAT', 1, 1, 'BYRADIUS', 'x', 'km');
    await e('ERR radius cannot be negative', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYRADIUS', -1, 'km');
    await e('ERR unsupported unit provided', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYRADIUS', 1, 'kmm');
    await e('ERR need numeric width', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 'x', 'y', 'km');
    await e('ERR need numeric height', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 'y', 'km');
    await e('ERR height or width cannot be negative', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, -1, 'km');
    await e('ERR height or width cannot be negative', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', -1, 1, 'x');
    await e('ERR unsupported unit provided', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'x');
    await e('ERR value is not an integer or out of range', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'km', 'COUNT', 'x');
    await e('ERR COUNT must be > 0', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'km', 'COUNT', 0);
    await e('ERR COUNT must be > 0', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'km', 'COUNT', -3);
    await e('ERR the ANY argument requires COUNT argument', 'GEOSEARCH', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'km', 'ANY');
    await e('ERR the ANY argument requires COUNT argument', 'GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYBOX', 1, 1, 'km', 'ANY');
    await e('ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options', 'GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'km', 'WITHDIST');
    await e('ERR GEOSEARCHSTORE is not compatible', 'GEOSEARCHSTORE', 'd', 'g', 'WITHHASH', 'ASC', 'ASC', 'ASC', 'ASC');
    await e('ERR syntax error', 'GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', 1, 1, 'BYBOX', 1, 1, 'km', 'STORE', 'x');
    await c.do('GEOSEARCH', 'nokey', 'FROMMEMBER', 'nope', 'BYBOX', 1, 1, 'km');
  });

  test('GEOSEARCHSTORE / GEORADIUS STORE: stored sets, encodings, dst deleted', async () => {
    const c = await p.client();
    await searchBoth(c, async () => {
      await c.do('GEOSEARCHSTORE', 'd', 'pts', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 200, 'km');
      await c.do('ZRANGE', 'd', 0, -1, 'WITHSCORES');
      await c.do('OBJECT', 'ENCODING', 'd');
      await c.do('GEOSEARCHSTORE', 'd', 'pts', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 200, 'km', 'STOREDIST', 'COUNT', 7, 'DESC');
      await c.do('ZRANGE', 'd', 0, -1, 'WITHSCORES');
      await c.do('GEOSEARCHSTORE', 'd', 'pts', 'FROMLONLAT', 0, 0, 'BYBOX', 20000, 20000, 'km', 'STOREDIST');
      await c.do('ZRANGE', 'd', 0, -1, 'WITHSCORES');
      await c.do('OBJECT', 'ENCODING', 'd');
      await c.do('GEORADIUS', 'pts', 13, 38, 100, 'km', 'STORE', 'd2');
      await c.do('ZRANGE', 'd2', 0, -1, 'WITHSCORES');
      await c.do('GEORADIUS', 'pts', 13, 38, 100, 'km', 'STOREDIST', 'd2', 'COUNT', 3, 'ANY');
      await c.do('ZRANGE', 'd2', 0, -1, 'WITHSCORES');
      await c.do('GEORADIUS', 'pts', 13, 38, 100, 'km', 'STORE', 'd3', 'STOREDIST', 'd2');
      await c.do('ZRANGE', 'd2', 0, -1, 'WITHSCORES');
      await c.do('EXISTS', 'd3');
      await c.do('GEORADIUSBYMEMBER', 'pts', 'Catania', 100, 'mi', 'STORE', 'd2', 'DESC', 'COUNT', 4);
      await c.do('ZRANGE', 'd2', 0, -1, 'WITHSCORES');
      // nothing found, or no source: the destination goes
      await c.do('SET', 'd3', 'x');
      await c.do('GEOSEARCHSTORE', 'd3', 'pts', 'FROMLONLAT', 100, 10, 'BYRADIUS', 1, 'm');
      await c.do('EXISTS', 'd3');
      await c.do('GEOSEARCHSTORE', 'd2', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', 1, 'm');
      await c.do('EXISTS', 'd2');
      await c.do('SET', 'd3', 'x');
      await c.do('GEORADIUS', 'nokey', 0, 0, 1, 'km', 'STORE', 'd3');
      await c.do('EXISTS', 'd3');
      await c.do('GEORADIUSBYMEMBER', 'nokey', 'x', 'bad', 'km', 'STORE', 'd3');
      await c.do('GEOSEARCHSTORE', 'd', 'd', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 300, 'km');
    });
    await c.do('CONFIG', 'SET', 'zset-max-listpack-value', 3);
    await c.do('GEOADD', 'g', ...SICILY);
    await c.do('GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'edge1', 'BYRADIUS', 1000, 'km');
    await c.do('OBJECT', 'ENCODING', 'd');
    await c.do('SET', 's', 'x');
    await c.do('GEOSEARCHSTORE', 's', 'g', 'FROMMEMBER', 'edge1', 'BYRADIUS', 1000, 'km');
    await c.do('TYPE', 's');
    await c.do('SET', 's', 'x', 'EX', 100);
    await c.do('GEORADIUS', 'g', 15, 37, 1000, 'km', 'STORE', 's');
    await c.do('TTL', 's');
  });

  test('GEORADIUS / GEORADIUSBYMEMBER and _RO: replies and errors', async () => {
    const c = await p.client();
    await searchBoth(c, async () => {
      for (const cmd of ['GEORADIUS', 'GEORADIUS_RO']) {
        await c.do(cmd, 'pts', 15, 37, 200, 'km');
        await c.do(cmd, 'pts', 15, 37, 200, 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC');
        await c.do(cmd, 'pts', 15, 37, 200, 'km', 'COUNT', 4, 'DESC', 'WITHDIST');
        await c.do(cmd, 'pts', -179.9, -85, 300, 'km', 'WITHDIST');
        await c.do(cmd, 'pts', 0, 0, 9000, 'km', 'COUNT', 10, 'ANY');
        await c.do(cmd, 'nokey', 15, 37, 200, 'km');
      }
      for (const cmd of ['GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO']) {
        await c.do(cmd, 'pts', 'Palermo', 200, 'km');
        await c.do(cmd, 'pts', 'Palermo', 200, 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'DESC');
        await c.do(cmd, 'pts', 'p3-1', 250, 'km', 'COUNT', 3, 'WITHCOORD');
        await c.do(cmd, 'nokey', 'x', 200, 'km');
        await c.do(cmd, 'nokey', 'x', 'bad', 'bad');
      }
    });
    await c.do('GEOADD', 'g', ...SICILY);
    await c.do('SET', 's', 'x');
    await c.error('WRONGTYPE', 'GEORADIUS', 's', 'bad', 'bad', 1, 'km');
    await c.error('WRONGTYPE', 'GEORADIUSBYMEMBER_RO', 's', 'x', 1, 'km');
    await c.error('ERR invalid longitude,latitude pair -181.000000,0.000000', 'GEORADIUS', 'g', -181, 0, 1, 'km');
    await c.error('ERR invalid longitude,latitude pair', 'GEORADIUS_RO', 'nokey', 0, 86, 1, 'km');
    await c.error('ERR need numeric radius', 'GEORADIUS', 'g', 1, 1, 'x', 'km');
    await c.error('ERR radius cannot be negative', 'GEORADIUS', 'g', 1, 1, -5, 'km');
    await c.error('ERR unsupported unit provided', 'GEORADIUS', 'g', 1, 1, 5, 'kilometers');
    await c.error('ERR could not decode requested zset member', 'GEORADIUSBYMEMBER', 'g', 'nope', 5, 'km');
    await c.error('ERR need numeric radius', 'GEORADIUSBYMEMBER', 'g', 'Palermo', 'x', 'km');
    await c.error('ERR syntax error', 'GEORADIUS_RO', 'g', 1, 1, 5, 'km', 'STORE', 'x');
    await c.error('ERR syntax error', 'GEORADIUSBYMEMBER_RO', 'g', 'Palermo', 5, 'km', 'STOREDIST', 'x');
    await c.error('ERR syntax error', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'STORE');
    await c.error('ERR syntax error', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'FROMMEMBER', 'Palermo');
    await c.error('ERR syntax error', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'BYBOX', 1, 1, 'km');
    await c.error('ERR syntax error', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'STOREDIST');
    await c.error('ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'STORE', 'x', 'WITHCOORD');
    await c.error('ERR STORE option in GEORADIUS is not compatible', 'GEORADIUSBYMEMBER', 'nokey', 'x', 5, 'km', 'WITHDIST', 'STOREDIST', 'x');
    await c.error('ERR COUNT must be > 0', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'COUNT', 0);
    await c.error('ERR the ANY argument requires COUNT argument', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'ANY');
    await c.error('ERR wrong number of arguments', 'GEORADIUS', 'g', 1, 1, 5);
    await c.error('ERR wrong number of arguments', 'GEORADIUS_RO', 'g', 1, 1, 5);
    await c.error('ERR wrong number of arguments', 'GEORADIUSBYMEMBER', 'g', 'x', 5);
    await c.error('ERR wrong number of arguments', 'GEORADIUSBYMEMBER_RO', 'g', 'x', 5);
    await c.both('HELLO', '3');
    await c.do('GEORADIUS', 'g', 15, 37, 200, 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC');
    await c.do('GEORADIUSBYMEMBER_RO', 'g', 'Palermo', 200, 'km', 'WITHCOORD');
  });

  test('COMMAND GETKEYS of the store variants', async () => {
    const c = await p.client();
    await c.do('COMMAND', 'GETKEYS', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'STORE', 'a', 'STOREDIST', 'b');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'GEORADIUS', 'g', 1, 1, 5, 'km', 'STOREDIST', 'b');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'GEORADIUSBYMEMBER', 'g', 'm', 5, 'km', 'STORE', 'b');
    await c.do('COMMAND', 'GETKEYSANDFLAGS', 'GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'm', 'BYRADIUS', 5, 'km');
  });

  test('keyspace events', async () => {
    const c = await p.client();
    const sub = await p.client({ flush: false });
    await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    await sub.both('PSUBSCRIBE', '__key*__:*');
    await c.do('GEOADD', 'g', ...SICILY);
    await c.do('GEOADD', 'g', 'NX', 13.361389, 38.115556, 'Palermo');
    await c.do('GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 200, 'km');
    await c.do('GEORADIUS', 'g', 15, 37, 200, 'km', 'STORE', 'd2');
    await c.do('GEORADIUS', 'g', 15, 37, 200, 'km');
    await c.do('GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', 0, 0, 'BYRADIUS', 1, 'km');
    await c.do('GEORADIUSBYMEMBER', 'nokey', 'x', 1, 'km', 'STORE', 'd2');
    await c.do('PUBLISH', '__key__:end', 'x');
    const frames = async (r: RawClient): Promise<string[]> => {
      const got: string[] = [];
      for (;;) {
        const f = await r.read(3000);
        if (f.includes('__key__:end')) return got;
        got.push(f);
      }
    };
    const [a, b] = await Promise.all([frames(sub.ours), frames(sub.theirs)]);
    assert.equal(a.join(''), b.join(''));
    assert.ok(b.join('').includes('georadiusstore') && b.join('').includes('geosearchstore'));
    sub.close();
    await c.both('CONFIG', 'SET', 'notify-keyspace-events', '');
  });

  describe('propagation', () => {
    let c: PairClient;
    let marker: PairClient;
    let theirs: ReplStream;
    let ours: NodisStream;
    let seq = 0;
    before(async () => {
      c = await p.client();
      marker = await p.client({ flush: false });
      theirs = await ReplStream.connect(p.redis.port);
      ours = new NodisStream(p.nodis.server);
      await mark();
    });
    after(() => { theirs?.close(); ours?.close(); });

    async function mark(): Promise<[Argv[], Argv[]]> {
      const n = String(++seq);
      await marker.do('PUBLISH', '__geo_mark__', n);
      const isMark = (a: Argv): boolean => a[0] === 'PUBLISH' && a[1] === '__geo_mark__' && a[2] === n;
      const segs = await Promise.all([ours.until(isMark), theirs.until(isMark)]);
      for (const s of segs) {
        const last = s[s.length - 1];
        if (last !== undefined && last[0] === 'SELECT' && last[1] === '0') s.pop();
      }
      return segs;
    }

    test('GEOADD as ZADD, store commands verbatim, reads not at all', async () => {
      const steps: Arg[][][] = [
        [['GEOADD', 'g', ...SICILY]],
        [['GEOADD', 'g', 'ch', 'XX', 13.4, 38.2, 'Palermo', 1, 1, 'x'], ['GEOADD', 'g', 'NX', 13.4, 38.2, 'Palermo']],
        [['GEOADD', 'e', 180, 85.05112878, 'ne', -180, -85.05112878, 'sw', 179.999999, 0, 'x']],
        [['GEOADD', 'g', 1, 1, 'a', 1, 'bad', 'b']],
        [['GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 200, 'km', 'STOREDIST']],
        [['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', 0, 0, 'BYRADIUS', 1, 'km'], ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', 0, 0, 'BYRADIUS', 1, 'km']],
        [['GEORADIUS', 'g', 15, 37, 200, 'km', 'STORE', 'd2'], ['GEORADIUSBYMEMBER', 'g', 'Palermo', 200, 'km', 'STOREDIST', 'd3']],
        [['GEORADIUS', 'g', 15, 37, 200, 'km'], ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 1, 'km'], ['GEOPOS', 'g', 'x']],
      ];
      const bad: string[] = [];
      for (const st of steps) {
        for (const a of st) {
          const [x, y] = await c.both(...a);
          if (x !== y) bad.push(`${a.join(' ')}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
        }
        const [o, t] = await mark();
        if (JSON.stringify(o) !== JSON.stringify(t)) bad.push(`${st.map((a) => a.join(' ')).join('; ')}:\n  nodis ${JSON.stringify(o)}\n  redis ${JSON.stringify(t)}`);
      }
      assert.deepEqual(bad, [], bad.join('\n'));
    });
  });
});
