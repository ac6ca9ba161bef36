/*
 * The bus message codec: Redis 7.0's clusterMsg offsets (cluster.h's
 * static_asserts), round trips of PING with gossip and the hostname
 * extension, FAIL, UPDATE, PUBLISH, and the length checks clusterProcessPacket
 * makes (explen, extension padding).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildFail, buildMessage, buildPing, buildPublish, buildUpdate, expectedLength, FLAG0_EXT_DATA, HDR_LEN, MSG_AUTH_REQUEST,
  MSG_MEET, MSG_PONG, MSG_PUBLISHSHARD, readFailAbout, readGossip, readHeader, readHostnameExt, readPublish, readUpdate, setBit,
  SLOTS_BYTES, testBit, type Self,
} from './msg.js';

const A = 'a'.repeat(40);
const B = '0123456789abcdef0123456789abcdef01234567';

function me(): Self {
  const slots = new Uint8Array(SLOTS_BYTES);
  setBit(slots, 0); setBit(slots, 5461); setBit(slots, 16383);
  return {
    port: 7000, pport: 0, cport: 17000, currentEpoch: 7, configEpoch: 3, offset: 12345, name: A, slots, slaveof: '',
    announceIp: '', flags: 1 | 16, state: 0, mflags0: 0,
  };
}

test('header fields sit at clusterMsg offsets', () => {
  const b = buildMessage(MSG_AUTH_REQUEST, { ...me(), slaveof: B, announceIp: '10.0.0.1', pport: 6999 }, HDR_LEN);
  assert.equal(b.length, 2256);
  assert.equal(b.latin1Slice(0, 4), 'RCmb');
  assert.equal(b.readUInt32BE(4), 2256);
  assert.equal(b.readUInt16BE(8), 1);
  assert.equal(b.readUInt16BE(10), 7000);
  assert.equal(b.readUInt16BE(12), MSG_AUTH_REQUEST);
  assert.equal(b.readBigUInt64BE(16), 7n);
  assert.equal(b.readBigUInt64BE(24), 3n);
  assert.equal(b.readBigUInt64BE(32), 12345n);
  assert.equal(b.latin1Slice(40, 80), A);
  assert.equal(b[80], 1); // slot 0: bit 0 of byte 0
  assert.equal(b[80 + 2047], 0x80); // slot 16383: bit 7 of the last byte
  assert.equal(b.latin1Slice(2128, 2168), B);
  assert.equal(b.latin1Slice(2168, 2176), '10.0.0.1');
  assert.equal(b.readUInt16BE(2246), 6999);
  assert.equal(b.readUInt16BE(2248), 17000);
  assert.equal(b.readUInt16BE(2250), 17);
  const h = readHeader(b);
  assert.equal(h.slaveof, B);
  assert.equal(h.myip, '10.0.0.1');
  assert.ok(testBit(h.myslots, 5461) && !testBit(h.myslots, 5462));
  assert.equal(expectedLength(b, h), HDR_LEN);
});

test('PING/MEET with gossip and the hostname extension round-trips', () => {
  const g = { name: B, pingSent: 1700000000123, pongReceived: 1700000001999, ip: '127.0.0.1', port: 7001, cport: 17001, flags: 2, pport: 0 };
  const b = buildPing(MSG_MEET, me(), [g, { ...g, name: A, flags: 4 }], 'node-1.example');
  const h = readHeader(b);
  assert.equal(h.count, 2);
  assert.equal(h.extensions, 1);
  assert.ok(h.mflags0 & FLAG0_EXT_DATA);
  // 2 gossip entries of 104 bytes, then an 8-byte extension header and the NUL-terminated name padded to 8
  assert.equal(b.length, HDR_LEN + 2 * 104 + 8 + 16);
  assert.equal(expectedLength(b, h), b.length);
  const g0 = readGossip(b, 0);
  assert.deepEqual({ ...g0 }, { ...g, pingSent: 1700000000, pongReceived: 1700000001 });
  assert.equal(readGossip(b, 1).flags, 4);
  assert.equal(readHostnameExt(b, h, () => assert.fail('unknown type')), 'node-1.example');
  // without a hostname: no extension at all
  const p = buildPing(MSG_PONG, me(), [], '');
  assert.equal(p.length, HDR_LEN);
  assert.equal(readHostnameExt(p, readHeader(p), () => undefined), null);
});

test('clusterProcessPacket length checks: a bad extension padding or length is refused', () => {
  const b = buildPing(MSG_MEET, me(), [], 'host');
  const at = HDR_LEN;
  const bad = Buffer.from(b);
  bad.writeUInt32BE(12, at);
  assert.match(String(expectedLength(bad, readHeader(bad))), /without proper padding \(12 bytes\)/);
  const long = Buffer.from(b);
  long.writeUInt32BE(64, at);
  assert.match(String(expectedLength(long, readHeader(long))), /exceeds total packet length/);
  // a gossip count larger than the message
  const short = Buffer.from(buildPing(MSG_PONG, me(), [], ''));
  short.writeUInt16BE(3, 14);
  assert.equal(expectedLength(short, readHeader(short)), 'Received invalid pong packet with gossip count 3 that exceeds total packet length (2256)');
  // a hostname extension without its NUL
  const noNul = Buffer.from(b);
  noNul.fill(0x61, at + 8, at + 16);
  assert.equal(expectedLength(noNul, readHeader(noNul)), 'Received meet packet with missing null terminator in extension type 0');
  // one gossip entry fewer than the bytes: explen smaller than totlen (the caller reports the length)
  const more = Buffer.from(buildPing(MSG_PONG, me(), [{ name: A, pingSent: 0, pongReceived: 0, ip: '', port: 0, cport: 0, flags: 0, pport: 0 }], ''));
  more.writeUInt16BE(0, 14);
  assert.equal(expectedLength(more, readHeader(more)), HDR_LEN);
});

test('FAIL, UPDATE and PUBLISHSHARD carry their data', () => {
  const f = buildFail(me(), B);
  assert.equal(f.length, HDR_LEN + 40);
  assert.equal(readFailAbout(f), B);
  const slots = new Uint8Array(SLOTS_BYTES);
  setBit(slots, 42);
  const u = buildUpdate(me(), B, 9, slots);
  assert.equal(u.length, HDR_LEN + 8 + 40 + 2048);
  const up = readUpdate(u);
  assert.equal(up.configEpoch, 9);
  assert.equal(up.name, B);
  assert.ok(testBit(up.slots, 42) && !testBit(up.slots, 41));
  const p = buildPublish(MSG_PUBLISHSHARD, me(), 'ch\x00an', 'm\xffsg');
  assert.equal(expectedLength(p, readHeader(p)), p.length);
  assert.deepEqual(readPublish(p), ['ch\x00an', 'm\xffsg']);
});
